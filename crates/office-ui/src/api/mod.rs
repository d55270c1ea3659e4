//! The office JSON API (`docs/office-api.md`) as the office page sees it: the answer types and
//! one function per call, all sent through [`crate::fetch`]. One file per area of the API.

pub mod admin;
pub mod flags;
pub mod inventory;
pub mod messages;
pub mod photos;
pub mod places;
pub mod polls;
pub mod reports;
pub mod retention;
pub mod statements;
pub mod subject;
pub mod town;

use crate::fetch::{self, ApiError};
use civickit_model::api::office::LoginRequest;
pub use civickit_model::api::office::{Category, Department, Me, MeTenant, MeUser};
use serde_json::json;

/// Reads the answer of an action that may move the item out of reach. Read through `Value`
/// rather than as the untagged `Changed` itself: serde's untagged machinery, once per item
/// type, costs the office wasm more than the office's size budget leaves.
pub fn read_changed<T: serde::de::DeserializeOwned>(
    v: serde_json::Value,
) -> Result<civickit_model::api::office::Changed<T>, ApiError> {
    use civickit_model::api::office::{Changed, RoutedAway};
    if v.get("routed_away").and_then(serde_json::Value::as_bool) == Some(true) {
        let reference = v["ref"].as_str().unwrap_or_default().to_string();
        return Ok(Changed::RoutedAway(RoutedAway {
            reference,
            routed_away: true,
        }));
    }
    serde_json::from_value(v)
        .map(Changed::Current)
        .map_err(ApiError::bad_answer)
}

// ---------- session ----------

pub async fn me() -> Result<Me, ApiError> {
    fetch::get("/me").await
}

pub async fn login(tenant: &str, email: &str, password: &str) -> Result<Me, ApiError> {
    let tenant = tenant.trim();
    let body = LoginRequest {
        tenant: (!tenant.is_empty()).then(|| tenant.to_string()),
        email: email.trim().to_string(),
        password: password.to_string(),
    };
    fetch::post("/login", json!(body)).await
}

pub async fn logout(everywhere: bool) -> Result<(), ApiError> {
    let path = if everywhere {
        "/logout-everywhere"
    } else {
        "/logout"
    };
    fetch::send("POST", path, fetch::Body::Json(json!({})))
        .await
        .map(|_| ())
}
