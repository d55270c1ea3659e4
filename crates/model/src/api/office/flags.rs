//! The moderation queue: public reports and photos citizens flagged ("Meldung melden").

use crate::api::widget::FlagReason;
use crate::Status;
use serde::{Deserialize, Serialize};

/// `GET /office/api/flags`: what awaits an official's decision, oldest first flag first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagQueue {
    pub items: Vec<FlaggedItem>,
}

/// One flagged report or photo with its undecided flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlaggedItem {
    #[serde(rename = "ref")]
    pub reference: String,
    /// The photo's public id when a photo is flagged, else the report's text is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    /// The flagged photo's thumbnail in the office (needs the session), when a photo is flagged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumb_url: Option<String>,
    pub status: Status,
    pub category_name: String,
    /// The report's description as the public sees it.
    pub description: String,
    /// Hidden from the public now (by the flags' threshold or an official).
    pub hidden: bool,
    /// Flags from distinct addresses.
    pub flags: i64,
    pub reasons: Vec<FlagCount>,
    /// The flaggers' optional texts, oldest first (no address, no id of the flagger).
    pub notes: Vec<FlagNote>,
    pub first_flagged: String,
    pub last_flagged: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagCount {
    pub reason: FlagReason,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagNote {
    pub at: String,
    pub reason: FlagReason,
    pub text: String,
}

/// `POST /office/api/flags/decide`: the official's decision on one item's open flags.
/// `keep` shows it again (and closes the flags), `hide` keeps it from the public, `redact`
/// replaces the report's public description with `description` and shows it again (a photo is
/// redacted on the photo page and then kept). Audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagDecision {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    /// `keep`, `hide` or `redact`.
    pub decision: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}
