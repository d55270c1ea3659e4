//! The answers of the mailbox endpoints, read with the lean JSON reader of `crate::api`.

use crate::api::{FromJson, Json};
use civickit_model::mailbox::{MESSAGE_MAX_CHARS, SUBJECT_MAX_CHARS};

/// `GET /api/v1/{tenant}/mailbox`.
#[derive(Debug, Clone, PartialEq)]
pub struct MailboxConfig {
    pub name: String,
    pub kinds: Vec<(String, String)>,
    pub anonymous_allowed: bool,
    pub privacy_url: String,
    pub subject_max_chars: usize,
    pub message_max_chars: usize,
    pub form_token: String,
}

impl FromJson for MailboxConfig {
    fn from_json(j: &Json) -> Option<MailboxConfig> {
        let max = |key: &str, default: usize| {
            j.num(key)
                .filter(|n| *n >= 1.0)
                .map(|n| n as usize)
                .unwrap_or(default)
        };
        Some(MailboxConfig {
            name: j.str("name"),
            kinds: j
                .list("kinds")
                .iter()
                .map(|k| (k.str("code"), k.str("name")))
                .filter(|(code, _)| !code.is_empty())
                .collect(),
            anonymous_allowed: j.get("anonymous_allowed").0.as_bool().unwrap_or(true),
            privacy_url: j.str("privacy_url"),
            subject_max_chars: max("subject_max_chars", SUBJECT_MAX_CHARS),
            message_max_chars: max("message_max_chars", MESSAGE_MAX_CHARS),
            form_token: j.opt_str("form_token")?,
        })
    }
}

/// `201` of `POST /api/v1/{tenant}/messages`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub reference: String,
    pub can_be_answered: bool,
    pub receipt_mailed: bool,
}

impl FromJson for Sent {
    fn from_json(j: &Json) -> Option<Sent> {
        Some(Sent {
            reference: j.opt_str("ref")?,
            can_be_answered: j.bool("can_be_answered"),
            receipt_mailed: j.bool("receipt_mailed"),
        })
    }
}
