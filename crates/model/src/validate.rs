use crate::{Area, Lang, LatLng};
use serde::{Deserialize, Serialize};

pub const DESCRIPTION_MIN_CHARS: usize = 5;
pub const DESCRIPTION_MAX_CHARS: usize = 4000;
pub const ADDRESS_MAX_CHARS: usize = 300;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const NOTE_MAX_CHARS: usize = 2000;

/// Why a field was refused: a machine-readable code, the widget shows [`ValidationCode::message`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidationCode {
    Required,
    TooShort,
    TooLong,
    InvalidEmail,
    InvalidPosition,
    OutsideArea,
    LocationRequired,
    UnknownCategory,
    InvalidValue,
    /// An answer needs an e-mail address or a phone number.
    ContactRequired,
    TooFewChoices,
    TooManyChoices,
}

/// One refused field. `field` is the name used in the JSON API and in the widget's form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: ValidationCode,
}

impl FieldError {
    pub fn new(field: &str, code: ValidationCode) -> FieldError {
        FieldError {
            field: field.to_string(),
            code,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        self.code.message(&self.field, lang)
    }
}

impl ValidationCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ValidationCode::Required => "required",
            ValidationCode::TooShort => "too_short",
            ValidationCode::TooLong => "too_long",
            ValidationCode::InvalidEmail => "invalid_email",
            ValidationCode::InvalidPosition => "invalid_position",
            ValidationCode::OutsideArea => "outside_area",
            ValidationCode::LocationRequired => "location_required",
            ValidationCode::UnknownCategory => "unknown_category",
            ValidationCode::InvalidValue => "invalid_value",
            ValidationCode::ContactRequired => "contact_required",
            ValidationCode::TooFewChoices => "too_few_choices",
            ValidationCode::TooManyChoices => "too_many_choices",
        }
    }

    /// Says what is wrong and how to fix it, in the citizen's language.
    pub fn message(self, field: &str, lang: Lang) -> String {
        use ValidationCode::*;
        let limit = |de: &str, en: &str, n: usize| match lang {
            Lang::De => de.replace("{n}", &n.to_string()),
            Lang::En => en.replace("{n}", &n.to_string()),
        };
        match (self, field) {
            (TooShort, "description") => limit(
                "Bitte beschreiben Sie den Mangel etwas genauer (mindestens {n} Zeichen).",
                "Please describe the problem in a bit more detail (at least {n} characters).",
                DESCRIPTION_MIN_CHARS,
            ),
            (TooLong, "description") => limit(
                "Die Beschreibung ist zu lang: höchstens {n} Zeichen. Bitte kürzen Sie den Text.",
                "The description is too long: at most {n} characters. Please shorten it.",
                DESCRIPTION_MAX_CHARS,
            ),
            (TooLong, "address") => limit(
                "Die Ortsbeschreibung ist zu lang: höchstens {n} Zeichen.",
                "The location description is too long: at most {n} characters.",
                ADDRESS_MAX_CHARS,
            ),
            (TooLong, f) if f == "note" || f.ends_with("_note") => limit(
                "Die Notiz ist zu lang: höchstens {n} Zeichen.",
                "The note is too long: at most {n} characters.",
                NOTE_MAX_CHARS,
            ),
            (TooLong, "subject") => limit(
                "Der Betreff ist zu lang: höchstens {n} Zeichen.",
                "The subject is too long: at most {n} characters.",
                crate::mailbox::SUBJECT_MAX_CHARS,
            ),
            (TooShort, "message") => limit(
                "Bitte schreiben Sie etwas ausführlicher (mindestens {n} Zeichen).",
                "Please write a little more (at least {n} characters).",
                crate::mailbox::MESSAGE_MIN_CHARS,
            ),
            (TooLong, "message") => limit(
                "Die Nachricht ist zu lang: höchstens {n} Zeichen. Bitte kürzen Sie den Text.",
                "The message is too long: at most {n} characters. Please shorten it.",
                crate::mailbox::MESSAGE_MAX_CHARS,
            ),
            (TooLong, "name") => limit(
                "Der Name ist zu lang: höchstens {n} Zeichen.",
                "The name is too long: at most {n} characters.",
                crate::mailbox::NAME_MAX_CHARS,
            ),
            (Required, "name") => lang
                .pick(
                    "Bitte geben Sie Ihren Namen an; anonyme Nachrichten nimmt diese Gemeinde nicht an.",
                    "Please give your name; this municipality does not accept anonymous messages.",
                )
                .into(),
            (Required, "kind") | (InvalidValue, "kind") => lang
                .pick(
                    "Bitte wählen Sie die Art Ihrer Nachricht aus der Liste.",
                    "Please choose the kind of your message from the list.",
                )
                .into(),
            (Required, "subject") => lang
                .pick("Bitte geben Sie einen Betreff an.", "Please enter a subject.")
                .into(),
            (Required, "message") => lang
                .pick("Bitte schreiben Sie Ihre Nachricht.", "Please write your message.")
                .into(),
            (InvalidValue, "phone") => lang
                .pick(
                    "Diese Telefonnummer sieht nicht gültig aus (nur Ziffern, Leerzeichen und + - / ( )). Sie können das Feld auch leer lassen.",
                    "This phone number does not look valid (digits, spaces and + - / ( ) only). You may also leave the field empty.",
                )
                .into(),
            (InvalidValue, "code") => lang
                .pick(
                    "Dieser Code ist ungültig. Bitte prüfen Sie die Schreibweise (Beispiel: ABCD-EFGH).",
                    "This code is not valid. Please check how it is written (example: ABCD-EFGH).",
                )
                .into(),
            (TooFewChoices, _) => lang
                .pick(
                    "Bitte wählen Sie bei dieser Frage (mehr) Antworten aus.",
                    "Please choose (more) answers for this question.",
                )
                .into(),
            (TooManyChoices, _) => lang
                .pick(
                    "Bei dieser Frage haben Sie zu viele Antworten gewählt.",
                    "You chose too many answers for this question.",
                )
                .into(),
            (ContactRequired, _) => lang
                .pick(
                    "Damit wir antworten können, geben Sie bitte eine E-Mail-Adresse oder Telefonnummer an.",
                    "So that we can answer, please give an e-mail address or a phone number.",
                )
                .into(),
            (Required, "description") => lang
                .pick(
                    "Bitte beschreiben Sie den Mangel.",
                    "Please describe the problem.",
                )
                .into(),
            (Required, "category") | (UnknownCategory, _) => lang
                .pick(
                    "Bitte wählen Sie eine Kategorie aus der Liste.",
                    "Please choose a category from the list.",
                )
                .into(),
            (InvalidEmail, _) => lang
                .pick(
                    "Diese E-Mail-Adresse sieht nicht gültig aus (Beispiel: name@beispiel.de). Sie können das Feld auch leer lassen.",
                    "This e-mail address does not look valid (example: name@example.org). You may also leave the field empty.",
                )
                .into(),
            (InvalidPosition, _) => lang
                .pick(
                    "Die Position ist ungültig. Bitte wählen Sie den Ort auf der Karte neu.",
                    "The position is invalid. Please choose the place on the map again.",
                )
                .into(),
            (OutsideArea, _) => lang
                .pick(
                    "Dieser Ort liegt außerhalb unseres Gemeindegebiets. Bitte wählen Sie einen Ort innerhalb der Gemeinde oder wenden Sie sich an die zuständige Gemeinde.",
                    "This place is outside our municipality. Please choose a place inside it or contact the responsible municipality.",
                )
                .into(),
            (LocationRequired, _) => lang
                .pick(
                    "Bitte markieren Sie den Ort auf der Karte oder beschreiben Sie ihn in Worten.",
                    "Please mark the place on the map or describe it in words.",
                )
                .into(),
            (Required, _) => lang
                .pick("Bitte füllen Sie dieses Feld aus.", "Please fill in this field.")
                .into(),
            (TooShort, _) => lang
                .pick("Die Eingabe ist zu kurz.", "The input is too short.")
                .into(),
            (TooLong, _) => lang
                .pick("Die Eingabe ist zu lang.", "The input is too long.")
                .into(),
            (InvalidValue, _) => lang
                .pick("Dieser Wert ist ungültig.", "This value is invalid.")
                .into(),
        }
    }
}

/// Normalises user text: CRLF to LF, control characters other than newline and tab removed,
/// surrounding white space trimmed. Everything else is kept as typed (escaping is the job of
/// whoever outputs it).
pub fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .trim()
        .to_string()
}

/// A deliberately plain syntax check: one `@`, a non-empty local part, a dotted domain without
/// spaces. Whether the address exists is for the double opt-in to find out.
pub fn is_valid_email(s: &str) -> bool {
    if s.chars().count() > EMAIL_MAX_CHARS || s.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !s.contains(['<', '>', '"', ',', ';'])
}

/// What a citizen submits for a new defect report, before it has an id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewReport {
    pub category: String,
    #[serde(default)]
    pub position: Option<LatLng>,
    #[serde(default)]
    pub address: Option<String>,
    pub description: String,
    #[serde(default)]
    pub email: Option<String>,
}

impl NewReport {
    /// Returns a copy with the text fields cleaned and empty optional fields set to `None`.
    pub fn normalized(&self) -> NewReport {
        let opt = |s: &Option<String>| s.as_deref().map(clean_text).filter(|s| !s.is_empty());
        NewReport {
            category: self.category.trim().to_string(),
            position: self.position,
            address: opt(&self.address),
            description: clean_text(&self.description),
            email: opt(&self.email),
        }
    }

    /// Checks every field and reports every problem at once, so that a citizen can fix them
    /// all in one go. `area` is the tenant's boundary; `categories` the codes offered.
    pub fn validate(&self, area: Option<&Area>, categories: &[&str]) -> Vec<FieldError> {
        use ValidationCode::*;
        let mut errors = Vec::new();
        if self.category.is_empty() {
            errors.push(FieldError::new("category", Required));
        } else if !categories.contains(&self.category.as_str()) {
            errors.push(FieldError::new("category", UnknownCategory));
        }
        let desc_len = self.description.chars().count();
        if desc_len == 0 {
            errors.push(FieldError::new("description", Required));
        } else if desc_len < DESCRIPTION_MIN_CHARS {
            errors.push(FieldError::new("description", TooShort));
        } else if desc_len > DESCRIPTION_MAX_CHARS {
            errors.push(FieldError::new("description", TooLong));
        }
        if let Some(addr) = &self.address {
            if addr.chars().count() > ADDRESS_MAX_CHARS {
                errors.push(FieldError::new("address", TooLong));
            }
        }
        match (&self.position, &self.address) {
            (None, None) => errors.push(FieldError::new("position", LocationRequired)),
            (Some(p), _) if !p.is_valid() => {
                errors.push(FieldError::new("position", InvalidPosition))
            }
            (Some(p), _) => {
                if let Some(area) = area {
                    if !area.contains(p) {
                        errors.push(FieldError::new("position", OutsideArea));
                    }
                }
            }
            (None, Some(_)) => {}
        }
        if let Some(email) = &self.email {
            if !is_valid_email(email) {
                errors.push(FieldError::new("email", InvalidEmail));
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area() -> Area {
        Area::new(vec![
            LatLng::new(50.0, 10.0),
            LatLng::new(50.0, 11.0),
            LatLng::new(51.0, 11.0),
            LatLng::new(51.0, 10.0),
        ])
    }

    fn good() -> NewReport {
        NewReport {
            category: "strassenbeleuchtung".into(),
            position: Some(LatLng::new(50.5, 10.5)),
            address: None,
            description: "Lampe vor Hausnummer 12 ist dunkel".into(),
            email: None,
        }
    }

    fn codes(r: &NewReport) -> Vec<(String, ValidationCode)> {
        r.validate(Some(&area()), &["strassenbeleuchtung"])
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_good_report_passes() {
        assert!(codes(&good()).is_empty());
        let text_only = NewReport {
            position: None,
            address: Some("Ecke Hauptstraße / Kirchweg".into()),
            ..good()
        };
        assert!(codes(&text_only).is_empty());
    }

    #[test]
    fn description_limits_count_characters_not_bytes() {
        let at_limit = NewReport {
            description: "ä".repeat(DESCRIPTION_MAX_CHARS),
            ..good()
        };
        assert!(codes(&at_limit).is_empty());
        let over = NewReport {
            description: "ä".repeat(DESCRIPTION_MAX_CHARS + 1),
            ..good()
        };
        assert_eq!(
            codes(&over),
            vec![("description".into(), ValidationCode::TooLong)]
        );
    }

    #[test]
    fn reports_every_problem_at_once() {
        let bad = NewReport {
            category: "unknown".into(),
            position: Some(LatLng::new(52.0, 13.0)),
            address: None,
            description: "".into(),
            email: Some("not-an-address".into()),
        };
        let got = codes(&bad);
        assert_eq!(
            got,
            vec![
                ("category".into(), ValidationCode::UnknownCategory),
                ("description".into(), ValidationCode::Required),
                ("position".into(), ValidationCode::OutsideArea),
                ("email".into(), ValidationCode::InvalidEmail),
            ]
        );
    }

    #[test]
    fn needs_a_place() {
        let nowhere = NewReport {
            position: None,
            ..good()
        };
        assert_eq!(
            codes(&nowhere),
            vec![("position".into(), ValidationCode::LocationRequired)]
        );
        let nan = NewReport {
            position: Some(LatLng::new(f64::NAN, 10.0)),
            ..good()
        };
        assert_eq!(
            codes(&nan),
            vec![("position".into(), ValidationCode::InvalidPosition)]
        );
    }

    #[test]
    fn normalizing_cleans_text_and_drops_empty_fields() {
        let r = NewReport {
            address: Some("   ".into()),
            email: Some("".into()),
            description: "  Zeile 1\r\nZeile 2\u{0}\u{7}  ".into(),
            ..good()
        }
        .normalized();
        assert_eq!(r.address, None);
        assert_eq!(r.email, None);
        assert_eq!(r.description, "Zeile 1\nZeile 2");
    }

    #[test]
    fn emails() {
        for ok in ["a@b.de", "vorname.nachname+x@gemeinde-musterstadt.de"] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "@b.de",
            "a@.de",
            "a@b.de.",
            "a b@c.de",
            "a@b@c.de",
            "a@b..de",
            "<a@b.de>",
            "a@b.de\nBcc: x@y.de",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn every_message_is_translated() {
        let e = FieldError::new("description", ValidationCode::TooLong);
        assert!(e.message(Lang::De).contains("4000"));
        assert!(e.message(Lang::En).contains("4000"));
        assert_ne!(e.message(Lang::De), e.message(Lang::En));
    }
}
