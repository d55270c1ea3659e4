//! The citizen mailbox (Bürgerbriefkasten): message kinds, states and validation, shared by the
//! `<civic-mailbox>` widget and the server.

use crate::validate::{clean_text, is_valid_email, FieldError, ValidationCode};
use crate::Lang;
use serde::{Deserialize, Serialize};

pub const SUBJECT_MAX_CHARS: usize = 200;
pub const MESSAGE_MIN_CHARS: usize = 10;
pub const MESSAGE_MAX_CHARS: usize = 5000;
pub const NAME_MAX_CHARS: usize = 100;
pub const PHONE_MAX_CHARS: usize = 40;

/// The seed list of kinds; a tenant may offer a subset or its own.
pub const DEFAULT_KINDS: &[(&str, &str, &str)] = &[
    ("anregung", "Anregung", "Suggestion"),
    ("frage", "Frage", "Question"),
    ("hinweis", "Hinweis", "Notice"),
    ("beschwerde", "Kritik/Beschwerde", "Criticism/complaint"),
    ("idee", "Idee", "Idea"),
    ("lob", "Lob", "Praise"),
];

/// received → forwarded → answered → closed (forwarding and answering may repeat or be skipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Received,
    Forwarded,
    Answered,
    Closed,
}

impl MessageStatus {
    pub const ALL: [MessageStatus; 4] = [
        MessageStatus::Received,
        MessageStatus::Forwarded,
        MessageStatus::Answered,
        MessageStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Received => "received",
            MessageStatus::Forwarded => "forwarded",
            MessageStatus::Answered => "answered",
            MessageStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<MessageStatus> {
        MessageStatus::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MessageStatus::Received => lang.pick("eingegangen", "received"),
            MessageStatus::Forwarded => lang.pick("weitergeleitet", "forwarded"),
            MessageStatus::Answered => lang.pick("beantwortet", "answered"),
            MessageStatus::Closed => lang.pick("abgeschlossen", "closed"),
        }
    }
}

/// What a citizen sends through the mailbox.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewMessage {
    pub kind: String,
    pub subject: String,
    pub message: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

fn is_valid_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    digits >= 4
        && s.chars().count() <= PHONE_MAX_CHARS
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-/()".contains(c))
}

impl NewMessage {
    pub fn normalized(&self) -> NewMessage {
        let opt = |s: &Option<String>| s.as_deref().map(clean_text).filter(|s| !s.is_empty());
        NewMessage {
            kind: self.kind.trim().to_string(),
            subject: clean_text(&self.subject).replace('\n', " "),
            message: clean_text(&self.message),
            name: opt(&self.name).map(|n| n.replace('\n', " ")),
            email: opt(&self.email),
            phone: opt(&self.phone),
        }
    }

    /// Whether an answer is possible at all: only with an e-mail address or a phone number.
    pub fn can_be_answered(&self) -> bool {
        self.email.is_some() || self.phone.is_some()
    }

    /// Every problem at once. `anonymous_allowed` is the tenant's choice; when it is off, a
    /// name and a way to answer (e-mail or phone) are required.
    pub fn validate(&self, kinds: &[&str], anonymous_allowed: bool) -> Vec<FieldError> {
        use ValidationCode::*;
        let mut errors = Vec::new();
        if self.kind.is_empty() {
            errors.push(FieldError::new("kind", Required));
        } else if !kinds.contains(&self.kind.as_str()) {
            errors.push(FieldError::new("kind", InvalidValue));
        }
        let subject = self.subject.chars().count();
        if subject == 0 {
            errors.push(FieldError::new("subject", Required));
        } else if subject > SUBJECT_MAX_CHARS {
            errors.push(FieldError::new("subject", TooLong));
        }
        let message = self.message.chars().count();
        if message == 0 {
            errors.push(FieldError::new("message", Required));
        } else if message < MESSAGE_MIN_CHARS {
            errors.push(FieldError::new("message", TooShort));
        } else if message > MESSAGE_MAX_CHARS {
            errors.push(FieldError::new("message", TooLong));
        }
        match &self.name {
            Some(n) if n.chars().count() > NAME_MAX_CHARS => {
                errors.push(FieldError::new("name", TooLong))
            }
            None if !anonymous_allowed => errors.push(FieldError::new("name", Required)),
            _ => {}
        }
        if let Some(e) = &self.email {
            if !is_valid_email(e) {
                errors.push(FieldError::new("email", InvalidEmail));
            }
        }
        if let Some(p) = &self.phone {
            if !is_valid_phone(p) {
                errors.push(FieldError::new("phone", InvalidValue));
            }
        }
        if !anonymous_allowed && !self.can_be_answered() {
            errors.push(FieldError::new("email", ContactRequired));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: &[&str] = &["anregung", "frage", "lob"];

    fn good() -> NewMessage {
        NewMessage {
            kind: "anregung".into(),
            subject: "Bank am Dorfplatz".into(),
            message: "Eine Sitzbank am Dorfplatz wäre schön.".into(),
            ..Default::default()
        }
    }

    fn codes(m: &NewMessage, anonymous: bool) -> Vec<(String, ValidationCode)> {
        m.validate(KINDS, anonymous)
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn anonymous_messages_when_allowed() {
        assert!(codes(&good(), true).is_empty());
        assert!(!good().can_be_answered());
        assert_eq!(
            codes(&good(), false),
            vec![
                ("name".into(), ValidationCode::Required),
                ("email".into(), ValidationCode::ContactRequired)
            ]
        );
        let with_contact = NewMessage {
            name: Some("Erika Muster".into()),
            phone: Some("+49 (0)6621 / 123-45".into()),
            ..good()
        };
        assert!(codes(&with_contact, false).is_empty());
    }

    #[test]
    fn every_field_is_checked() {
        let bad = NewMessage {
            kind: "werbung".into(),
            subject: "x".repeat(SUBJECT_MAX_CHARS + 1),
            message: "kurz".into(),
            name: Some("n".repeat(NAME_MAX_CHARS + 1)),
            email: Some("nope".into()),
            phone: Some("call me".into()),
        };
        assert_eq!(
            codes(&bad, true),
            vec![
                ("kind".into(), ValidationCode::InvalidValue),
                ("subject".into(), ValidationCode::TooLong),
                ("message".into(), ValidationCode::TooShort),
                ("name".into(), ValidationCode::TooLong),
                ("email".into(), ValidationCode::InvalidEmail),
                ("phone".into(), ValidationCode::InvalidValue),
            ]
        );
    }

    #[test]
    fn normalizing_keeps_subjects_and_names_on_one_line() {
        let m = NewMessage {
            subject: " Zeile\r\nzwei ".into(),
            name: Some("  ".into()),
            email: Some(" a@b.de ".into()),
            ..good()
        }
        .normalized();
        assert_eq!(m.subject, "Zeile zwei");
        assert_eq!(m.name, None);
        assert_eq!(m.email.as_deref(), Some("a@b.de"));
    }

    #[test]
    fn statuses_round_trip() {
        for s in MessageStatus::ALL {
            assert_eq!(MessageStatus::parse(s.as_str()), Some(s));
        }
    }
}
