//! The mailbox inbox: messages from citizens, forwarded, answered and closed by officials.

use crate::MessageStatus;
use serde::{Deserialize, Serialize};

/// The query of `GET /office/api/messages`; every part may be left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageQuery {
    /// Comma-separated [`MessageStatus`] names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A message kind (`hinweis`, `idee`, `lob`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageList {
    pub messages: Vec<MessageSummary>,
    pub more: bool,
    pub page: i64,
}

/// One line of the mailbox inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageSummary {
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: String,
    pub subject: Option<String>,
    pub status: MessageStatus,
    /// German label of `status`.
    pub status_label: String,
    pub department_id: Option<i64>,
    pub department: Option<String>,
    pub created: String,
    pub updated: String,
    /// Whether the citizen left an e-mail address or phone number.
    pub has_contact: bool,
    /// Text and contact erased after the retention time.
    pub erased: bool,
}

/// One message with its history; `message`, `name`, `email`, `phone` are `null` when not
/// given or erased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDetail {
    #[serde(flatten)]
    pub summary: MessageSummary,
    pub message: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub events: Vec<MessageEvent>,
}

/// What happened to a message, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageEvent {
    pub at: String,
    /// `forward`, `reply`, `note` or `status`.
    pub kind: String,
    /// The reply or note; for `forward` the address it was mailed to, if it was.
    pub text: Option<String>,
    pub department_id: Option<i64>,
    /// The official's e-mail address.
    pub user: String,
}

/// What every action on a message answers.
pub type MessageChanged = super::Changed<MessageDetail>;

/// `POST /office/api/messages/{ref}/forward`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardRequest {
    pub department_id: i64,
    /// Also mail it to the department's address; may be left out (`false`).
    #[serde(default)]
    pub send_email: bool,
}

/// `POST /office/api/messages/{ref}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageStatusRequest {
    /// A [`MessageStatus`] name; anything else is a 422 on `status`.
    pub status: String,
}

/// `GET /office/api/messages/statistics` (admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageStatistics {
    pub counts: Vec<MonthlyCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyCount {
    pub kind: String,
    /// `2026-11`
    pub month: String,
    pub count: i64,
}
