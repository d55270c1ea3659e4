//! Request guards of the office API: [`Official`] (a valid session; for changes also the CSRF
//! token and our own Origin) and [`Admin`] (an official with the admin role). A handler names
//! the guard it needs in its signature, so no handler can forget the check.

use crate::db::audit::Actor;
use crate::db::reports::Report;
use crate::db::users::{Role, Session, User};
use crate::http::{ApiError, AppState};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "civickit_session";

/// A logged-in official, extracted from the session cookie. For every method but GET/HEAD the
/// CSRF token and the Origin are checked too.
pub struct Official {
    pub session: Session,
    pub token: String,
}

impl Official {
    pub fn user(&self) -> &User {
        &self.session.user
    }
    pub fn tenant_id(&self) -> i64 {
        self.session.user.tenant_id
    }
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.session.user.id),
            email: self.session.user.email.clone(),
        }
    }
    /// Admins work every report and message of their tenant; editors those of their
    /// department (an editor without a department works none).
    pub fn may_work_department(&self, department_id: Option<i64>) -> bool {
        match self.user().role {
            Role::Admin => true,
            Role::Editor => {
                self.user().department_id.is_some() && department_id == self.user().department_id
            }
        }
    }
    pub fn may_work(&self, report: &Report) -> bool {
        self.may_work_department(report.department_id)
    }
    /// The department an editor's lists are limited to, whatever they ask for; `None` for
    /// admins. An editor without a department gets an id no department has.
    pub fn department_scope(&self) -> Option<i64> {
        match self.user().role {
            Role::Admin => None,
            Role::Editor => Some(self.user().department_id.unwrap_or(-1)),
        }
    }
}

impl FromRequestParts<Arc<AppState>> for Official {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, ApiError> {
        let token = cookie_token(&parts.headers).ok_or(ApiError::Unauthorized)?;
        let session = state
            .db
            .session(&token)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        if parts.method != Method::GET && parts.method != Method::HEAD {
            check_same_origin(state, &parts.headers)?;
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
                return Err(ApiError::Forbidden(
                    "CSRF-Token fehlt oder ist falsch.".into(),
                ));
            }
        }
        Ok(Official { session, token })
    }
}

/// An [`Official`] with the admin role; editors get 403. Checked before the body is read, so
/// an editor learns nothing from a malformed body either.
pub struct Admin(pub Official);

impl std::ops::Deref for Admin {
    type Target = Official;
    fn deref(&self) -> &Official {
        &self.0
    }
}

impl FromRequestParts<Arc<AppState>> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, ApiError> {
        let official = Official::from_request_parts(parts, state).await?;
        match official.user().role {
            Role::Admin => Ok(Admin(official)),
            Role::Editor => Err(ApiError::Forbidden("Nur für Administratoren.".into())),
        }
    }
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// For the login, which has no session yet: refuses a request from another site's page
/// before its body is read.
pub struct SameOrigin;

impl FromRequestParts<Arc<AppState>> for SameOrigin {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, ApiError> {
        check_same_origin(state, &parts.headers).map(|()| SameOrigin)
    }
}

/// A browser always sends Origin on cross-origin POSTs; if it names another site, refuse.
fn check_same_origin(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    if origin == state.base_url(headers) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "Anfrage von fremder Herkunft abgelehnt.".into(),
        ))
    }
}
