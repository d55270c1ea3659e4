//! The office's mailbox inbox: list, read, forward to a department (optionally by mail), reply
//! to the citizen (mailed and stored), internal notes, close; statistics and retention
//! settings for admins. Editors see what was forwarded to their department.

use super::office::Official;
use super::{rfc3339, ApiError, AppState, State};
use crate::db::messages::{Message, MessageFilter};
use crate::db::users::Role;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use civickit_model::validate::NOTE_MAX_CHARS;
use civickit_model::{FieldError, Lang, MessageStatus, ValidationCode};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

const PAGE_SIZE: i64 = 100;
const REPLY_MAX_CHARS: usize = 10_000;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office/api/messages", get(list))
        .route("/office/api/messages/statistics", get(statistics))
        .route("/office/api/messages/{reference}", get(one))
        .route("/office/api/messages/{reference}/forward", post(forward))
        .route("/office/api/messages/{reference}/reply", post(reply))
        .route("/office/api/messages/{reference}/notes", post(note))
        .route("/office/api/messages/{reference}/status", post(status))
        .route(
            "/office/api/mailbox-settings",
            get(settings).post(change_settings),
        )
}

fn may_work(official: &Official, m: &Message) -> bool {
    match official.session.user.role {
        Role::Admin => true,
        Role::Editor => {
            official.session.user.department_id.is_some()
                && m.department_id == official.session.user.department_id
        }
    }
}

async fn workable(
    state: &AppState,
    official: &Official,
    reference: &str,
) -> Result<Message, ApiError> {
    state
        .db
        .message(official.session.user.tenant_id, reference)
        .await?
        .filter(|m| may_work(official, m))
        .ok_or(ApiError::NotFound)
}

fn summary(m: &Message) -> Value {
    json!({
        "ref": m.reference,
        "kind": m.kind,
        "subject": m.subject,
        "status": m.status.as_str(),
        "status_label": m.status.label(Lang::De),
        "department_id": m.department_id,
        "department": m.department_name,
        "created": rfc3339(m.created_at),
        "updated": rfc3339(m.updated_at),
        "has_contact": m.email.is_some() || m.phone.is_some(),
        "erased": m.erased_at.is_some(),
    })
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
    kind: Option<String>,
    q: Option<String>,
    page: Option<i64>,
}

async fn list(
    state: State,
    official: Official,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let mut statuses = Vec::new();
    for s in q
        .status
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.is_empty())
    {
        statuses.push(
            MessageStatus::parse(s)
                .ok_or_else(|| ApiError::BadRequest(format!("unknown status {s:?}")))?,
        );
    }
    let page = q.page.unwrap_or(1).max(1);
    let filter = MessageFilter {
        statuses,
        kinds: q.kind.iter().filter(|k| !k.is_empty()).cloned().collect(),
        department_id: match official.session.user.role {
            Role::Admin => None,
            Role::Editor => Some(official.session.user.department_id.unwrap_or(-1)),
        },
        search: q.q,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let (messages, more) = state
        .db
        .messages(official.session.user.tenant_id, &filter)
        .await?;
    Ok(Json(json!({
        "messages": messages.iter().map(summary).collect::<Vec<_>>(),
        "more": more,
        "page": page,
    })))
}

async fn detail(
    state: &AppState,
    official: &Official,
    m: &Message,
) -> Result<Json<Value>, ApiError> {
    let events = state
        .db
        .message_events(official.session.user.tenant_id, m.id)
        .await?;
    let mut v = summary(m);
    v["message"] = json!(m.body);
    v["name"] = json!(m.name);
    v["email"] = json!(m.email);
    v["phone"] = json!(m.phone);
    v["events"] = json!(events
        .iter()
        .map(|e| json!({"at": rfc3339(e.at), "kind": e.kind, "text": e.text, "department_id": e.department_id, "user": e.user_email}))
        .collect::<Vec<_>>());
    Ok(Json(v))
}

async fn one(
    state: State,
    official: Official,
    Path(reference): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let m = workable(&state, &official, &reference).await?;
    detail(&state, &official, &m).await
}

async fn reload(
    state: &AppState,
    official: &Official,
    reference: &str,
) -> Result<Json<Value>, ApiError> {
    match workable(state, official, reference).await {
        Ok(m) => detail(state, official, &m).await,
        // An editor who forwarded a message elsewhere no longer sees it.
        Err(ApiError::NotFound) => Ok(Json(json!({"ref": reference, "routed_away": true}))),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct ForwardBody {
    department_id: i64,
    #[serde(default)]
    send_email: bool,
}

async fn forward(
    state: State,
    official: Official,
    headers: HeaderMap,
    Path(reference): Path<String>,
    Json(body): Json<ForwardBody>,
) -> Result<Json<Value>, ApiError> {
    let tenant_id = official.session.user.tenant_id;
    let m = workable(&state, &official, &reference).await?;
    let departments = state.db.departments(tenant_id).await?;
    let (_, _, dept_email) = departments
        .iter()
        .find(|(id, _, _)| *id == body.department_id)
        .ok_or_else(|| {
            ApiError::Validation(
                vec![FieldError::new(
                    "department_id",
                    ValidationCode::InvalidValue,
                )],
                Lang::De,
            )
        })?;
    let tenant = state
        .db
        .tenant_by_id(tenant_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mail = match (body.send_email, dept_email) {
        (true, Some(to)) => Some((
            to.as_str(),
            crate::mail::message_forward(&tenant, &m, &state.base_url(&headers)),
        )),
        (true, None) => {
            return Err(ApiError::Validation(
                vec![FieldError::new("send_email", ValidationCode::InvalidValue)],
                Lang::De,
            ))
        }
        (false, _) => None,
    };
    state
        .db
        .forward_message(tenant_id, &m, body.department_id, mail, &official.actor())
        .await?;
    state.mail_wake.notify_one();
    reload(&state, &official, &reference).await
}

#[derive(Deserialize)]
struct TextBody {
    text: String,
}

async fn reply(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    Json(body): Json<TextBody>,
) -> Result<Json<Value>, ApiError> {
    let tenant_id = official.session.user.tenant_id;
    let m = workable(&state, &official, &reference).await?;
    let text = super::required_text("text", &body.text, REPLY_MAX_CHARS)?;
    let tenant = state
        .db
        .tenant_by_id(tenant_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mail = m
        .email
        .as_deref()
        .map(|to| (to, crate::mail::message_reply(&tenant, &m, &text)));
    state
        .db
        .reply_to_message(tenant_id, &m, &text, mail, &official.actor())
        .await?;
    state.mail_wake.notify_one();
    reload(&state, &official, &reference).await
}

async fn note(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    Json(body): Json<TextBody>,
) -> Result<Json<Value>, ApiError> {
    let m = workable(&state, &official, &reference).await?;
    let text = super::required_text("text", &body.text, NOTE_MAX_CHARS)?;
    state
        .db
        .note_on_message(
            official.session.user.tenant_id,
            &m,
            &text,
            &official.actor(),
        )
        .await?;
    reload(&state, &official, &reference).await
}

#[derive(Deserialize)]
struct StatusBody {
    status: String,
}

async fn status(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    Json(body): Json<StatusBody>,
) -> Result<Json<Value>, ApiError> {
    let m = workable(&state, &official, &reference).await?;
    let next = MessageStatus::parse(&body.status).ok_or_else(|| {
        ApiError::Validation(
            vec![FieldError::new("status", ValidationCode::InvalidValue)],
            Lang::De,
        )
    })?;
    if next == m.status {
        return Err(ApiError::Conflict(
            "Die Nachricht ist bereits in diesem Zustand.".into(),
        ));
    }
    state
        .db
        .set_message_status(official.session.user.tenant_id, &m, next, &official.actor())
        .await?;
    reload(&state, &official, &reference).await
}

async fn statistics(state: State, official: Official) -> Result<Json<Value>, ApiError> {
    official.require_admin()?;
    let rows = state
        .db
        .message_statistics(official.session.user.tenant_id)
        .await?;
    Ok(Json(json!({
        "counts": rows.iter().map(|(kind, month, n)| json!({"kind": kind, "month": month, "count": n})).collect::<Vec<_>>(),
    })))
}

async fn settings(state: State, official: Official) -> Result<Json<Value>, ApiError> {
    official.require_admin()?;
    let (anonymous, days, erase_text) = state
        .db
        .mailbox_settings(official.session.user.tenant_id)
        .await?;
    Ok(Json(
        json!({"anonymous_allowed": anonymous, "retention_days": days, "erase_text": erase_text}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsBody {
    anonymous_allowed: Option<bool>,
    retention_days: Option<i64>,
    erase_text: Option<bool>,
}

async fn change_settings(
    state: State,
    official: Official,
    Json(body): Json<SettingsBody>,
) -> Result<Json<Value>, ApiError> {
    official.require_admin()?;
    if body
        .retention_days
        .is_some_and(|d| !(1..=3650).contains(&d))
    {
        return Err(ApiError::Validation(
            vec![FieldError::new(
                "retention_days",
                ValidationCode::InvalidValue,
            )],
            Lang::De,
        ));
    }
    let tenant_id = official.session.user.tenant_id;
    let before = state.db.mailbox_settings(tenant_id).await?;
    state
        .db
        .set_mailbox_settings(
            tenant_id,
            body.anonymous_allowed,
            body.retention_days,
            body.erase_text,
        )
        .await?;
    let after = state.db.mailbox_settings(tenant_id).await?;
    state
        .db
        .audit_simple(
            tenant_id,
            &official.actor(),
            "mailbox.settings",
            &json!({"anonymous_allowed": before.0, "retention_days": before.1, "erase_text": before.2}),
            &json!({"anonymous_allowed": after.0, "retention_days": after.1, "erase_text": after.2}),
        )
        .await?;
    settings(state, official).await
}
