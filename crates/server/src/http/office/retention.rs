//! The town's retention periods (admins): `GET/POST /office/api/privacy/retention`. A change
//! is checked as a whole (`Retention::validate`): a 422 names every bad field and stores
//! nothing; a good one is stored and audited (`tenant.retention`) in one transaction.

use super::guards::Admin;
use crate::http::{ApiError, ApiJson, AppState, State};
use axum::routing::get;
use axum::Router;
use civickit_model::privacy::{Retention, RetentionChange};
use civickit_model::Lang;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route(
        "/office/api/privacy/retention",
        get(retention).post(change_retention),
    )
}

async fn retention(state: State, admin: Admin) -> Result<ApiJson<Retention>, ApiError> {
    Ok(ApiJson(state.db.retention(admin.tenant_id()).await?))
}

async fn change_retention(
    state: State,
    admin: Admin,
    ApiJson(change): ApiJson<RetentionChange>,
) -> Result<ApiJson<Retention>, ApiError> {
    let before = state.db.retention(admin.tenant_id()).await?;
    let after = change.apply(before);
    let errors = after.validate();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors, Lang::De));
    }
    if after != before {
        state
            .db
            .set_retention(admin.tenant_id(), &after, &admin.actor())
            .await?;
    }
    Ok(ApiJson(state.db.retention(admin.tenant_id()).await?))
}
