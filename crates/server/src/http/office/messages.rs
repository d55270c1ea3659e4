//! The office's mailbox inbox: list, read, forward to a department (optionally by mail), reply
//! to the citizen (mailed and stored), internal notes, close; statistics for admins. Editors
//! see what was forwarded to their department.

use super::guards::{Admin, Official};
use crate::db::messages::{Message, MessageFilter};
use crate::http::{rfc3339, ApiError, ApiJson, AppState, State};
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use civickit_model::api::office::{
    Changed, ForwardRequest, MessageChanged, MessageDetail, MessageEvent, MessageList,
    MessageQuery, MessageStatistics, MessageStatusRequest, MessageSummary, MonthlyCount,
    RoutedAway, TextRequest,
};
use civickit_model::validate::NOTE_MAX_CHARS;
use civickit_model::{FieldError, Lang, MessageStatus, ValidationCode};
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
}

async fn workable(
    state: &AppState,
    official: &Official,
    reference: &str,
) -> Result<Message, ApiError> {
    state
        .db
        .message(official.tenant_id(), reference)
        .await?
        .filter(|m| official.may_work_department(m.department_id))
        .ok_or(ApiError::NotFound)
}

fn summary(m: &Message) -> MessageSummary {
    MessageSummary {
        reference: m.reference.clone(),
        kind: m.kind.clone(),
        subject: m.subject.clone(),
        status: m.status,
        status_label: m.status.label(Lang::De).to_string(),
        department_id: m.department_id,
        department: m.department_name.clone(),
        created: rfc3339(m.created_at),
        updated: rfc3339(m.updated_at),
        has_contact: m.email.is_some() || m.phone.is_some(),
        erased: m.erased_at.is_some(),
    }
}

async fn list(
    state: State,
    official: Official,
    Query(q): Query<MessageQuery>,
) -> Result<ApiJson<MessageList>, ApiError> {
    let statuses = super::states(q.status.as_deref(), MessageStatus::parse)?;
    let page = q.page.unwrap_or(1).max(1);
    let filter = MessageFilter {
        statuses,
        kinds: q.kind.iter().filter(|k| !k.is_empty()).cloned().collect(),
        department_id: official.department_scope(),
        search: q.q,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let (messages, more) = state.db.messages(official.tenant_id(), &filter).await?;
    Ok(ApiJson(MessageList {
        messages: messages.iter().map(summary).collect(),
        more,
        page,
    }))
}

async fn detail(
    state: &AppState,
    official: &Official,
    m: &Message,
) -> Result<MessageDetail, ApiError> {
    let events = state.db.message_events(official.tenant_id(), m.id).await?;
    Ok(MessageDetail {
        summary: summary(m),
        message: m.body.clone(),
        name: m.name.clone(),
        email: m.email.clone(),
        phone: m.phone.clone(),
        events: events
            .iter()
            .map(|e| MessageEvent {
                at: rfc3339(e.at),
                kind: e.kind.clone(),
                text: e.text.clone(),
                department_id: e.department_id,
                user: e.user_email.clone(),
            })
            .collect(),
    })
}

async fn one(
    state: State,
    official: Official,
    Path(reference): Path<String>,
) -> Result<ApiJson<MessageDetail>, ApiError> {
    let m = workable(&state, &official, &reference).await?;
    Ok(ApiJson(detail(&state, &official, &m).await?))
}

async fn reload(
    state: &AppState,
    official: &Official,
    reference: &str,
) -> Result<ApiJson<MessageChanged>, ApiError> {
    match workable(state, official, reference).await {
        Ok(m) => Ok(ApiJson(Changed::Current(
            detail(state, official, &m).await?,
        ))),
        // An editor who forwarded a message elsewhere no longer sees it.
        Err(ApiError::NotFound) => Ok(ApiJson(Changed::RoutedAway(RoutedAway {
            reference: reference.to_string(),
            routed_away: true,
        }))),
        Err(e) => Err(e),
    }
}

async fn forward(
    state: State,
    official: Official,
    headers: HeaderMap,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<ForwardRequest>,
) -> Result<ApiJson<MessageChanged>, ApiError> {
    let tenant_id = official.tenant_id();
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

async fn reply(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<TextRequest>,
) -> Result<ApiJson<MessageChanged>, ApiError> {
    let tenant_id = official.tenant_id();
    let m = workable(&state, &official, &reference).await?;
    let text = crate::http::required_text("text", &body.text, REPLY_MAX_CHARS)?;
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
    ApiJson(body): ApiJson<TextRequest>,
) -> Result<ApiJson<MessageChanged>, ApiError> {
    let m = workable(&state, &official, &reference).await?;
    let text = crate::http::required_text("text", &body.text, NOTE_MAX_CHARS)?;
    state
        .db
        .note_on_message(official.tenant_id(), &m, &text, &official.actor())
        .await?;
    reload(&state, &official, &reference).await
}

async fn status(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<MessageStatusRequest>,
) -> Result<ApiJson<MessageChanged>, ApiError> {
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
        .set_message_status(official.tenant_id(), &m, next, &official.actor())
        .await?;
    reload(&state, &official, &reference).await
}

async fn statistics(state: State, admin: Admin) -> Result<ApiJson<MessageStatistics>, ApiError> {
    let rows = state.db.message_statistics(admin.tenant_id()).await?;
    Ok(ApiJson(MessageStatistics {
        counts: rows
            .into_iter()
            .map(|(kind, month, count)| MonthlyCount { kind, month, count })
            .collect(),
    }))
}
