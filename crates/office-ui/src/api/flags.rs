//! The moderation queue (`/office/api/flags`): flagged reports and photos and the decisions.

use crate::fetch::{self, ApiError};
use civickit_model::api::office::FlagQueue;
pub use civickit_model::api::office::{FlagDecision, FlaggedItem};
use serde_json::json;

pub async fn queue() -> Result<Vec<FlaggedItem>, ApiError> {
    fetch::get::<FlagQueue>("/flags").await.map(|q| q.items)
}

/// Keep, hide or redact one item; answers the queue as it is now.
pub async fn decide(decision: FlagDecision) -> Result<Vec<FlaggedItem>, ApiError> {
    fetch::post::<FlagQueue>("/flags/decide", json!(decision))
        .await
        .map(|q| q.items)
}
