//! The mailbox (Bürgerbriefkasten): list, one message, the actions on it, statistics and
//! settings (`crates/server/src/http/office_messages.rs`).

use crate::fetch::{self, encode, with_query, ApiError};
use serde_json::{json, Value};

pub use civickit_model::api::office::{
    MailboxSettings as MailSettings, MessageChanged as MsgChanged, MessageDetail as MsgDetail,
    MessageEvent as MsgEvent, MessageList as MsgList, MessageSummary as MsgSummary,
    MonthlyCount as StatRow,
};
use civickit_model::api::office::{MailboxSettingsChange, MessageStatistics};

/// The list query (without `?`).
pub fn list_query(status: &str, kind: &str, q: &str) -> String {
    [("status", status), ("kind", kind), ("q", q.trim())]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn messages(query: &str) -> Result<MsgList, ApiError> {
    fetch::get(&with_query("/messages", query)).await
}

pub async fn message(reference: &str) -> Result<MsgDetail, ApiError> {
    fetch::get(&format!("/messages/{}", encode(reference))).await
}

/// POST /office/api/messages/{ref}/{action} (forward, reply, notes, status).
pub async fn act(reference: &str, action: &str, body: Value) -> Result<MsgChanged, ApiError> {
    let path = format!("/messages/{}/{action}", encode(reference));
    super::read_changed(fetch::post(&path, body).await?)
}

pub async fn statistics() -> Result<Vec<StatRow>, ApiError> {
    fetch::get::<MessageStatistics>("/messages/statistics")
        .await
        .map(|s| s.counts)
}

pub async fn settings() -> Result<MailSettings, ApiError> {
    fetch::get("/mailbox-settings").await
}

pub async fn save_settings(
    anonymous_allowed: bool,
    days: &str,
    erase_text: bool,
) -> Result<MailSettings, ApiError> {
    // Not a number goes as 0, so the server's range check names the field.
    let days = days.trim().parse::<i64>().unwrap_or(0);
    let body = json!(MailboxSettingsChange {
        anonymous_allowed: Some(anonymous_allowed),
        retention_days: Some(days),
        erase_text: Some(erase_text),
    });
    fetch::post("/mailbox-settings", body).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_query_leaves_out_what_is_not_set() {
        assert_eq!(list_query("", "", " "), "");
        assert_eq!(
            list_query("forwarded", "lob", "Bank & Weg"),
            "status=forwarded&kind=lob&q=Bank%20%26%20Weg"
        );
    }

    #[test]
    fn answers_parse_as_the_server_writes_them() {
        let d: MsgDetail = serde_json::from_value(json!({
            "ref": "B-2026-00001", "kind": "lob", "subject": "Danke", "status": "forwarded",
            "status_label": "weitergeleitet", "department_id": 1, "department": "Bauhof",
            "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z",
            "has_contact": true, "erased": false, "message": "Vielen Dank!", "name": null,
            "email": "a@example.org", "phone": null,
            "events": [{"at": "2026-01-01T00:00:00Z", "kind": "forward", "text": null, "department_id": 1, "user": "x@y"}],
        }))
        .unwrap();
        assert_eq!(d.summary.reference, "B-2026-00001");
        assert_eq!(d.events[0].kind, "forward");
    }
}
