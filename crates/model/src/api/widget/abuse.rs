//! Spam and abuse defences the widgets take part in: the proof-of-work challenge every
//! anonymous write carries, and "Meldung melden" (a citizen flags a public report or photo).

use serde::{Deserialize, Serialize};

/// What a challenge is good for; a solution for one purpose is refused for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Report,
    Message,
    Vote,
    Support,
    Flag,
}

impl Purpose {
    pub const ALL: [Purpose; 5] = [
        Purpose::Report,
        Purpose::Message,
        Purpose::Vote,
        Purpose::Support,
        Purpose::Flag,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Report => "report",
            Purpose::Message => "message",
            Purpose::Vote => "vote",
            Purpose::Support => "support",
            Purpose::Flag => "flag",
        }
    }

    pub fn parse(text: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// `GET /api/v1/{tenant}/challenge?purpose=report`: a SHA-256 hash puzzle in the shape of the
/// ALTCHA protocol (<https://altcha.org/docs/api/challenge-api/>): find `number` in
/// `0..=maxnumber` with `hex(sha256(salt + number)) == challenge`. The salt carries the
/// signed parameters (`?expires=…&issued=…&purpose=…&tenant=…`); `signature` is the server's
/// HMAC of `challenge`. Issuing it also starts the form's minimum fill time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// Always `"SHA-256"`.
    pub algorithm: String,
    pub challenge: String,
    pub maxnumber: u64,
    pub salt: String,
    pub signature: String,
    /// Seconds after issuing before a write with this challenge is taken.
    pub min_fill_seconds: i64,
    /// Seconds the challenge stays good (the widget fetches a new one before).
    pub expires_in: i64,
}

/// Why a citizen flags a report or photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagReason {
    /// Names, faces, number plates, addresses of private people.
    PersonalData,
    Offensive,
    Spam,
    Other,
}

impl FlagReason {
    pub const ALL: [FlagReason; 4] = [
        FlagReason::PersonalData,
        FlagReason::Offensive,
        FlagReason::Spam,
        FlagReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FlagReason::PersonalData => "personal_data",
            FlagReason::Offensive => "offensive",
            FlagReason::Spam => "spam",
            FlagReason::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<FlagReason> {
        FlagReason::ALL.into_iter().find(|r| r.as_str() == text)
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            FlagReason::PersonalData => lang.pick("Persönliche Daten", "Personal data"),
            FlagReason::Offensive => lang.pick("Beleidigend oder anstößig", "Offensive"),
            FlagReason::Spam => lang.pick("Werbung oder Spam", "Advertising or spam"),
            FlagReason::Other => lang.pick("Anderer Grund", "Other reason"),
        }
    }
}

/// The longest optional text of a flag.
pub const FLAG_TEXT_MAX_CHARS: usize = 500;

/// `POST /api/v1/{tenant}/reports/{ref}/flags`: "Meldung melden". `photo` (a photo's public
/// id) flags that photo instead of the report's text. Unknown fields are refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagRequest {
    /// A [`FlagReason`] code; anything else is a 422 on `reason`.
    #[serde(default)]
    pub reason: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    /// The solved challenge (purpose `flag`), ALTCHA's base64 payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altcha: Option<String>,
    /// Honeypot: invisible in the form, so only bots fill it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// 201 to a flag. Says nothing about other flags or what follows (the flagger is never told
/// who else flagged, nor whether the report is now hidden).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagReceived {
    pub received: bool,
}
