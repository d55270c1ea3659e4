//! The audit log (admins): the newest 500 changes of the town, newest first.

use super::guards::Admin;
use crate::http::{rfc3339, ApiError, ApiJson, AppState, State};
use axum::routing::get;
use axum::Router;
use civickit_model::api::office::{AuditEntry, AuditLog};
use std::sync::Arc;

const SHOWN_ENTRIES: i64 = 500;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/office/api/audit", get(audit_log))
}

async fn audit_log(state: State, admin: Admin) -> Result<ApiJson<AuditLog>, ApiError> {
    let entries = state.db.audit_log(admin.tenant_id(), SHOWN_ENTRIES).await?;
    Ok(ApiJson(AuditLog {
        entries: entries
            .into_iter()
            .map(|e| AuditEntry {
                at: rfc3339(e.at),
                user: e.user_email,
                action: e.action,
                subject: e.subject,
                before: e.before,
                after: e.after,
            })
            .collect(),
    }))
}
