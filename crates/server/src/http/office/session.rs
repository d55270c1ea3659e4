//! Sessions: login (throttled per account and address), logout, logout everywhere, and `me`.
//!
//! Sessions are random tokens in an HttpOnly, SameSite=Strict cookie scoped to `/office`
//! (Secure behind https); the CSRF token that every change must carry comes with `me`.

use super::guards::{Official, SameOrigin, SESSION_COOKIE};
use crate::db::users::{LoginOutcome, Session};
use crate::http::{ApiError, ApiJson, AppState, ClientAddr, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use civickit_model::api::office::{
    Category, CloseReasonInfo, Department, LoginRequest, Me, MeTenant, MeUser, Role, StateInfo,
};
use civickit_model::{CloseReason, Lang, Status};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office/api/login", post(login))
        .route("/office/api/logout", post(logout))
        .route("/office/api/logout-everywhere", post(logout_everywhere))
        .route("/office/api/me", get(me))
}

fn session_cookie(state: &AppState, token: &str, max_age: i64) -> String {
    let secure = state
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/office; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

async fn login(
    state: State,
    _: SameOrigin,
    client: ClientAddr,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let tenant = match body.tenant.as_deref().filter(|t| !t.is_empty()) {
        Some(slug) => state.tenant(slug).await?,
        None => {
            let mut all = state.db.tenants().await?;
            if all.len() != 1 {
                return Err(ApiError::BadRequest(
                    "Bitte geben Sie die Gemeinde (tenant) an.".into(),
                ));
            }
            all.remove(0)
        }
    };
    match state
        .db
        .login(
            tenant.id,
            &body.email,
            &body.password,
            &client.limit_key().to_string(),
            state.limiter.limits(),
        )
        .await?
    {
        LoginOutcome::Ok { token, session } => {
            let cookie = session_cookie(&state, &token, crate::db::users::SESSION_SECONDS);
            Ok((
                [(header::SET_COOKIE, cookie)],
                ApiJson(me_answer(&state, &session).await?),
            )
                .into_response())
        }
        LoginOutcome::WrongCredentials => Err(ApiError::Unauthorized),
        LoginOutcome::Throttled { retry_after } => Err(ApiError::RateLimited {
            message: format!(
                "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie {}.",
                match retry_after.as_secs().div_ceil(60) {
                    1 => "eine Minute".to_string(),
                    minutes => format!("{minutes} Minuten"),
                }
            ),
            retry_after,
        }),
    }
}

fn ended_session(state: &AppState) -> Response {
    (
        [(header::SET_COOKIE, session_cookie(state, "", 0))],
        StatusCode::NO_CONTENT,
    )
        .into_response()
}

async fn logout(state: State, official: Official) -> Result<Response, ApiError> {
    state.db.logout(&official.token).await?;
    Ok(ended_session(&state))
}

async fn logout_everywhere(state: State, official: Official) -> Result<Response, ApiError> {
    state
        .db
        .logout_everywhere(official.tenant_id(), official.user().id)
        .await?;
    Ok(ended_session(&state))
}

/// The contract's role of a stored user.
pub(super) fn role(role: crate::db::users::Role) -> Role {
    match role {
        crate::db::users::Role::Admin => Role::Admin,
        crate::db::users::Role::Editor => Role::Editor,
    }
}

async fn me_answer(state: &AppState, session: &Session) -> Result<Me, ApiError> {
    let tenant = state
        .db
        .tenant_by_id(session.user.tenant_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let departments = state.db.departments(tenant.id).await?;
    let categories = state.db.categories(tenant.id).await?;
    Ok(Me {
        user: MeUser {
            email: session.user.email.clone(),
            name: session.user.name.clone(),
            role: role(session.user.role),
            department_id: session.user.department_id,
        },
        tenant: MeTenant {
            slug: tenant.slug,
            name: tenant.name,
            premoderation: tenant.premoderation,
            response_days: tenant.response_days,
        },
        departments: departments
            .into_iter()
            .map(|(id, name, _)| Department { id, name })
            .collect(),
        categories: categories
            .into_iter()
            .map(|c| Category {
                code: c.code,
                name: c.name,
                department_id: c.department_id,
            })
            .collect(),
        states: Status::PUBLIC
            .iter()
            .chain([Status::PendingReview].iter())
            .map(|&s| StateInfo {
                state: s,
                label: s.label(Lang::De).to_string(),
                color: s.light(),
                hex: s.light().hex().to_string(),
            })
            .collect(),
        close_reasons: CloseReason::ALL
            .iter()
            .map(|&reason| CloseReasonInfo {
                reason,
                label: reason.label(Lang::De).to_string(),
            })
            .collect(),
        csrf_token: session.csrf_token.clone(),
    })
}

async fn me(state: State, official: Official) -> Result<ApiJson<Me>, ApiError> {
    Ok(ApiJson(me_answer(&state, &official.session).await?))
}
