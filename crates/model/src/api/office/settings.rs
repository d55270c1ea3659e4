//! The town's settings (admins): reports, polls and the mailbox.

use serde::{Deserialize, Serialize};

/// `GET /office/api/settings`, and the answer of changing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantSettings {
    /// New reports wait for an official before the public sees them.
    pub premoderation: bool,
    /// Days until an unanswered report counts as overdue (1 to 60).
    pub response_days: i64,
    /// Citizens' photos are public at once instead of after review.
    pub photos_auto_release: bool,
    /// Flags ("Meldung melden") from distinct addresses that hide a report or photo until an
    /// official decides (1 to 50).
    #[serde(default = "default_flag_threshold")]
    pub flag_threshold: i64,
    /// While a poll is open, its results (public and office) move only every this many
    /// participations (1 to 100; 1 shows them exactly, vote by vote).
    #[serde(default = "default_poll_result_step")]
    pub poll_result_step: i64,
}

fn default_flag_threshold() -> i64 {
    3
}

fn default_poll_result_step() -> i64 {
    10
}

/// `POST /office/api/settings`: what is left out stays as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantSettingsChange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub premoderation: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_days: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photos_auto_release: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag_threshold: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll_result_step: Option<i64>,
}

/// `GET /office/api/mailbox-settings`, and the answer of changing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxSettings {
    /// Messages without name and contact are accepted.
    pub anonymous_allowed: bool,
    /// Days after closing until a message's text and contact are erased (1 to 3650).
    pub retention_days: i64,
    /// Whether the text is erased too, not only the contact.
    pub erase_text: bool,
}

/// `POST /office/api/mailbox-settings`: what is left out stays as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailboxSettingsChange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anonymous_allowed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erase_text: Option<bool>,
}
