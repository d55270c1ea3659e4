//! Access and erasure for one citizen (DSGVO Art. 15 and 17; admins, `docs/office-api.md`):
//! everything the town holds about an e-mail address or a phone number, and its erasure.
//! Both are POSTs, so the address never stands in a URL or an access log.

use crate::validate::{is_valid_email, FieldError, ValidationCode};
use crate::{MessageStatus, Status};
use serde::{Deserialize, Serialize};

/// `POST /office/api/privacy/subject` and `/subject/erase`: exactly one of the two.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// What a [`SubjectQuery`] is matched by: an e-mail address trimmed and in lower case, or a
/// phone number's [`phone_key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectKey {
    Email(String),
    Phone(String),
}

/// Fewer digits than this would match numbers inside references and dates.
pub const PHONE_MIN_DIGITS: usize = 5;

impl SubjectQuery {
    /// The key to match by, or every broken rule naming its field: one of `email` and
    /// `phone`, an e-mail address that is one, a phone number of at least
    /// [`PHONE_MIN_DIGITS`] digits.
    pub fn key(&self) -> Result<SubjectKey, Vec<FieldError>> {
        let filled = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        match (filled(&self.email), filled(&self.phone)) {
            (Some(email), None) if is_valid_email(&email) => {
                Ok(SubjectKey::Email(email.to_lowercase()))
            }
            (Some(_), None) => Err(vec![FieldError::new("email", ValidationCode::InvalidEmail)]),
            (None, Some(phone)) => match phone_key(&phone) {
                Some(key) if key.len() >= PHONE_MIN_DIGITS => Ok(SubjectKey::Phone(key)),
                _ => Err(vec![FieldError::new("phone", ValidationCode::InvalidValue)]),
            },
            (None, None) => Err(vec![FieldError::new("email", ValidationCode::Required)]),
            (Some(_), Some(_)) => Err(vec![FieldError::new("phone", ValidationCode::InvalidValue)]),
        }
    }
}

impl SubjectKey {
    /// Whether a stored e-mail address is this one (trimmed, any case).
    pub fn matches_email(&self, email: Option<&str>) -> bool {
        matches!((self, email), (SubjectKey::Email(key), Some(e)) if e.trim().to_lowercase() == *key)
    }

    /// Whether a stored phone number is this one, in whatever spelling it was typed.
    pub fn matches_phone(&self, phone: Option<&str>) -> bool {
        matches!((self, phone.and_then(phone_key)), (SubjectKey::Phone(key), Some(p)) if p == *key)
    }

    /// Whether a mail goes to the address or names it in its subject or text.
    pub fn named_in_mail(&self, recipient: &str, subject: &str, body: &str) -> bool {
        match self {
            SubjectKey::Email(key) => {
                recipient.trim().to_lowercase() == *key
                    || text_names_email(subject, key)
                    || text_names_email(body, key)
            }
            SubjectKey::Phone(key) => text_names_phone(subject, key) || text_names_phone(body, key),
        }
    }

    /// Which kind of address it is (`email`, `phone`): all an audit entry may say about it.
    pub fn kind(&self) -> &'static str {
        match self {
            SubjectKey::Email(_) => "email",
            SubjectKey::Phone(_) => "phone",
        }
    }
}

/// Whether a text names the e-mail address `key` (lower case), not as part of a longer one
/// (`max@example.org` in `xmax@example.org` or `max@example.org.uk`).
pub fn text_names_email(text: &str, key: &str) -> bool {
    let lower = text.to_lowercase();
    let part = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    lower.match_indices(key).any(|(at, _)| {
        let before = lower[..at].chars().next_back();
        let mut after = lower[at + key.len()..].chars();
        let next = after.next();
        let longer_domain = match next {
            Some('.') => after.next().is_some_and(char::is_alphanumeric),
            Some(c) => c.is_alphanumeric() || c == '-',
            None => false,
        };
        !before.is_some_and(part) && !longer_domain
    })
}

/// A phone number as digits, so that `0171 / 123-45 67`, `(0171) 1234567` and
/// `+49 171 1234567` are the same number: spaces, dashes, slashes and parentheses are
/// ignored, a leading `+49` or `0049` counts as `0`. `None` when anything else is in it.
pub fn phone_key(phone: &str) -> Option<String> {
    let kept: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '-' | '/' | '(' | ')'))
        .collect();
    let national = if let Some(rest) = kept.strip_prefix("+49") {
        format!("0{rest}")
    } else if let Some(rest) = kept.strip_prefix("0049") {
        format!("0{rest}")
    } else {
        kept
    };
    (!national.is_empty() && national.chars().all(|c| c.is_ascii_digit())).then_some(national)
}

/// Whether a text (a mail's body) names the phone number of `key` in any of the spellings
/// [`phone_key`] accepts, not as part of a longer number.
pub fn text_names_phone(text: &str, key: &str) -> bool {
    let squeezed: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '-' | '/' | '(' | ')'))
        .collect();
    let mut spellings = vec![key.to_string()];
    if let Some(rest) = key.strip_prefix('0').filter(|r| !r.starts_with('0')) {
        spellings.push(format!("+49{rest}"));
        spellings.push(format!("0049{rest}"));
    }
    spellings.iter().any(|s| {
        squeezed.match_indices(s.as_str()).any(|(at, _)| {
            let before = squeezed[..at].chars().next_back();
            let after = squeezed[at + s.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_digit() || c == '+')
                && !after.is_some_and(|c| c.is_ascii_digit())
        })
    })
}

/// The answer of `POST /office/api/privacy/subject`: everything held about the address, as
/// the citizen may receive it (Art. 15). Times are RFC 3339 in UTC.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectData {
    pub reports: Vec<SubjectReport>,
    pub messages: Vec<SubjectMessage>,
    pub mails: Vec<SubjectMail>,
}

impl SubjectData {
    pub fn is_empty(&self) -> bool {
        self.reports.is_empty() && self.messages.is_empty() && self.mails.is_empty()
    }
}

/// A report made with that e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectReport {
    #[serde(rename = "ref")]
    pub reference: String,
    pub status: Status,
    pub created: String,
    pub updated: String,
    /// When it was resolved or closed.
    pub finished: Option<String>,
    /// The public description.
    pub description: String,
    /// The citizen's own text, when an official changed the public one.
    pub original_description: Option<String>,
    /// The place in words.
    pub address: Option<String>,
    pub email: String,
    /// `unconfirmed`, `confirmed` or `unsubscribed`.
    pub email_state: Option<String>,
}

/// A mailbox message with that e-mail address or phone number, with what officials wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectMessage {
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: String,
    pub status: MessageStatus,
    pub created: String,
    pub updated: String,
    pub closed: Option<String>,
    pub subject: Option<String>,
    pub text: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Replies, forwards and notes (`kind`: `reply`, `forward`, `note`), oldest first.
    pub events: Vec<SubjectEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectEvent {
    pub at: String,
    pub kind: String,
    pub text: String,
}

/// A mail in the outbox to that address or naming it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectMail {
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created: String,
    /// `None` while it waits or after it failed for good.
    pub sent: Option<String>,
}

/// The answer of `POST /office/api/privacy/subject/erase`: how many items lost their personal
/// data (reports and messages stay, anonymised) and how many mails were deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectErased {
    pub reports: i64,
    pub messages: i64,
    pub mails: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_match_in_every_common_spelling() {
        let key = phone_key("0171 / 123-45 67").unwrap();
        assert_eq!(key, "01711234567");
        for other in ["(0171) 1234567", "+49 171 1234567", "0049-171-1234567"] {
            assert_eq!(phone_key(other).as_deref(), Some(key.as_str()), "{other}");
        }
        assert_eq!(phone_key("0171 123 45 67 ab"), None);
        assert_eq!(phone_key(" - "), None);
    }

    #[test]
    fn a_text_names_a_phone_only_as_a_whole_number() {
        let key = "01711234567";
        assert!(text_names_phone("Telefon: +49 (171) 123 45-67\n", key));
        assert!(text_names_phone("Tel.: 0171/1234567.", key));
        assert!(!text_names_phone("Tel.: 01711234567 8", key));
        assert!(!text_names_phone("Konto 9901711234567", key));
    }

    #[test]
    fn a_text_names_an_address_only_as_a_whole() {
        let key = "max@example.org";
        assert!(text_names_email("E-Mail: Max@Example.org\n", key));
        assert!(text_names_email("an max@example.org.", key));
        assert!(!text_names_email("xmax@example.org", key));
        assert!(!text_names_email("max@example.org.uk", key));
        assert!(!text_names_email("max@example.organic", key));
    }

    #[test]
    fn a_query_needs_exactly_one_good_address() {
        let q = |email: Option<&str>, phone: Option<&str>| SubjectQuery {
            email: email.map(str::to_string),
            phone: phone.map(str::to_string),
        };
        assert_eq!(
            q(Some("  Max@Example.ORG "), None).key(),
            Ok(SubjectKey::Email("max@example.org".into()))
        );
        assert_eq!(
            q(None, Some("+49 171 1234567")).key(),
            Ok(SubjectKey::Phone("01711234567".into()))
        );
        let field = |r: Result<SubjectKey, Vec<FieldError>>| r.unwrap_err()[0].field.clone();
        assert_eq!(field(q(None, None).key()), "email");
        assert_eq!(field(q(Some(" "), Some("")).key()), "email");
        assert_eq!(field(q(Some("kein-at"), None).key()), "email");
        assert_eq!(field(q(None, Some("0171")).key()), "phone");
        assert_eq!(
            field(q(Some("a@b.de"), Some("0171 1234567")).key()),
            "phone"
        );
    }
}
