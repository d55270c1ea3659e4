//! Polls (admins, `crates/server/src/http/office_polls.rs`): list, create and edit, open /
//! close / publish / delete, results, invitation codes as a file.

use crate::fetch::{self, encode, ApiError};
use serde_json::{json, Value};

pub use civickit_model::api::office::{OfficePoll as Poll, PollResults as Results};
use civickit_model::api::office::{PollList, TenantSettings, TenantSettingsChange};
pub use civickit_model::poll::Question as PollQuestion;

pub async fn polls() -> Result<Vec<Poll>, ApiError> {
    fetch::get::<PollList>("/polls").await.map(|l| l.polls)
}

pub async fn results(slug: &str) -> Result<Results, ApiError> {
    fetch::get(&format!("/polls/{}/results", encode(slug))).await
}

/// Creates a poll (`slug` none) or replaces one.
pub async fn save(slug: Option<&str>, body: Value) -> Result<(), ApiError> {
    let body = fetch::Body::Json(body);
    match slug {
        Some(s) => fetch::send("PUT", &format!("/polls/{}", encode(s)), body).await,
        None => fetch::send("POST", "/polls", body).await,
    }
    .map(|_| ())
}

/// `open`, `close`, `publish` or `delete`.
pub async fn act(slug: &str, what: &str) -> Result<(), ApiError> {
    let path = format!("/polls/{}", encode(slug));
    if what == "delete" {
        fetch::send("DELETE", &path, fetch::Body::None).await
    } else {
        fetch::post_text(&format!("{path}/{what}"), json!({})).await
    }
    .map(|_| ())
}

/// Invitation codes as a file to download (`format`: csv or html), shown once.
pub async fn codes_file(slug: &str, count: i64, format: &str) -> Result<String, ApiError> {
    let path = format!("/polls/{}/codes?format={format}", encode(slug));
    fetch::post_text(&path, json!({ "count": count })).await
}

/// The town's step of interim results (`poll_result_step` of the settings).
pub async fn result_step() -> Result<i64, ApiError> {
    fetch::get::<TenantSettings>("/settings")
        .await
        .map(|s| s.poll_result_step)
}

/// Saves the step; what is not a number goes as 0, so the server's range check answers on the
/// field (one rule, one message).
pub async fn save_result_step(step: &str) -> Result<i64, ApiError> {
    let body = TenantSettingsChange {
        poll_result_step: Some(step.trim().parse().unwrap_or(0)),
        ..Default::default()
    };
    fetch::post::<TenantSettings>("/settings", json!(body))
        .await
        .map(|s| s.poll_result_step)
}
