//! The mailbox widget: its form configuration and sending a message.

use serde::{Deserialize, Serialize};

/// `GET /api/v1/{tenant}/mailbox`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxConfig {
    pub slug: String,
    pub name: String,
    pub kinds: Vec<MessageKind>,
    pub anonymous_allowed: bool,
    pub privacy_url: String,
    pub subject_max_chars: usize,
    pub message_max_chars: usize,
    pub min_fill_seconds: i64,
    /// Signed by the server; to be sent back with the message.
    pub form_token: String,
}

/// A kind of message in the requested language (a town's own kinds keep their name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageKind {
    pub code: String,
    pub name: String,
}

/// `POST /api/v1/{tenant}/messages`. Unknown fields are refused. `form_token` may be left
/// out only to get the friendly "reload the form" answer (400) instead of a parse error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMessageRequest {
    // Left out reads as empty: a per-field 422 `required`, as for an empty form field.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Honeypot: hidden in the form, only bots fill it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_token: Option<String>,
    /// The solved proof-of-work challenge (ALTCHA's base64 payload), see [`super::Challenge`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altcha: Option<String>,
    /// The language of messages when `?lang=` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl NewMessageRequest {
    /// The message to validate and store (without honeypot, token and language).
    pub fn message(&self) -> crate::NewMessage {
        crate::NewMessage {
            kind: self.kind.clone(),
            subject: self.subject.clone(),
            message: self.message.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
        }
    }
}

/// 201 to a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageSent {
    #[serde(rename = "ref")]
    pub reference: String,
    /// The citizen left an e-mail address or a phone number.
    pub can_be_answered: bool,
    /// A receipt went to the citizen's e-mail address.
    pub receipt_mailed: bool,
}
