//! The town's retention periods (`/office/api/privacy/retention`, admins).

use crate::fetch::{self, ApiError};
pub use civickit_model::privacy::Retention;
use civickit_model::privacy::RetentionChange;
use serde_json::json;

pub async fn retention() -> Result<Retention, ApiError> {
    fetch::get("/privacy/retention").await
}

/// The periods as typed: what is not a whole number goes as -1, so that the server's range
/// check names its field.
pub async fn save_retention(days: [&str; 4], erase_text: bool) -> Result<Retention, ApiError> {
    let [contact, outbox, tracking, photo] = days.map(|d| d.trim().parse::<i64>().unwrap_or(-1));
    let change = RetentionChange {
        contact_days: Some(contact),
        erase_text: Some(erase_text),
        outbox_days: Some(outbox),
        tracking_days: Some(tracking),
        photo_days: Some(photo),
    };
    fetch::post("/privacy/retention", json!(change)).await
}
