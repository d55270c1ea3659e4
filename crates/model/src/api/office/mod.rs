//! Bodies of the office API (`/office/api/…`, `docs/office-api.md`), one module per area.
//!
//! Requests keep free-text fields (`status`, `mode`, `role`…) as `String` where the server
//! checks them itself: an unknown value is then a 422 on that field (shown in place by the
//! office page), not a 400 for the whole body. Answers use the model's enums.
//! Times are RFC 3339 strings in UTC (`2026-11-22T10:15:00Z`).

mod admin;
mod audit;
mod flags;
mod messages;
mod photos;
mod polls;
mod privacy;
mod reports;
mod session;
mod settings;
mod statements;
mod subject;
mod town;

pub use admin::*;
pub use audit::*;
pub use flags::*;
pub use messages::*;
pub use photos::*;
pub use polls::*;
pub use privacy::*;
pub use reports::*;
pub use session::*;
pub use settings::*;
pub use statements::*;
pub use subject::*;
pub use town::*;

use serde::{Deserialize, Serialize};

/// The answer of an action that may take a report or message out of an editor's reach
/// (re-categorised, forwarded to another department): either the item as it is now, or the
/// news that it moved away, `{"ref": "M-2026-00042", "routed_away": true}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Changed<T> {
    RoutedAway(RoutedAway),
    Current(T),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutedAway {
    #[serde(rename = "ref")]
    pub reference: String,
    /// Always `true`; it is what tells this answer from the item itself.
    pub routed_away: bool,
}

/// `{"id": 7}`: what creating a template answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    pub id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_answer_is_the_item_or_the_news_that_it_moved_away() {
        let away: ReportChanged =
            serde_json::from_str(r#"{"ref": "M-2026-00042", "routed_away": true}"#).unwrap();
        assert!(matches!(away, Changed::RoutedAway(r) if r.reference == "M-2026-00042"));
        let now: Changed<TenantSettings> = serde_json::from_str(
            r#"{"premoderation": false, "response_days": 5, "photos_auto_release": true}"#,
        )
        .unwrap();
        assert!(matches!(now, Changed::Current(s) if s.response_days == 5));
    }

    #[test]
    fn left_out_optional_request_fields_stay_left_out() {
        let body = StatusChangeRequest {
            status: "in_progress".into(),
            reason: None,
            public_note: "Wir kümmern uns.".into(),
            internal_note: None,
            duplicate_of: None,
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"status":"in_progress","public_note":"Wir kümmern uns."}"#
        );
    }
}
