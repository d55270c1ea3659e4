//! The inventory of personal data (admins): what the town holds, how much, since when, and
//! when it goes (`crate::db::inventory`).

use super::guards::Admin;
use crate::http::{ApiError, ApiJson, AppState, State};
use axum::routing::get;
use axum::Router;
use civickit_model::api::office::PrivacyInventory;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/office/api/privacy/inventory", get(inventory))
}

async fn inventory(state: State, admin: Admin) -> Result<ApiJson<PrivacyInventory>, ApiError> {
    Ok(ApiJson(
        state
            .db
            .privacy_inventory(admin.tenant_id(), crate::db::now())
            .await?,
    ))
}
