//! The generated statements (admins, `docs/office-api.md`): the privacy notice for the
//! widgets and the accessibility statement (BITV 2.0), per town in German and English. The
//! server writes them from the town's settings, its retention periods and the fields below;
//! an admin may replace a statement's text per language and reset it to the generated one.
//! Public at `/t/{slug}/datenschutz` and `/t/{slug}/barrierefreiheit` (`docs/widget-api.md`).

use crate::validate::{clean_text, is_valid_email, FieldError, ValidationCode};
use crate::Lang;
use serde::{Deserialize, Serialize};

/// Longest controller, officer and legal-basis text (an address block, a paragraph).
pub const FIELD_MAX_CHARS: usize = 1000;
/// Longest one-line field (phone, authority, date, link).
pub const LINE_MAX_CHARS: usize = 300;
/// Longest edited statement text: several times the generated one.
pub const TEXT_MAX_CHARS: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    /// "Datenschutzhinweise zu den Beteiligungswidgets", `/t/{slug}/datenschutz`.
    Privacy,
    /// "Erklärung zur Barrierefreiheit", `/t/{slug}/barrierefreiheit`.
    Accessibility,
}

impl StatementKind {
    pub const ALL: [StatementKind; 2] = [StatementKind::Privacy, StatementKind::Accessibility];

    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Privacy => "privacy",
            StatementKind::Accessibility => "accessibility",
        }
    }

    pub fn parse(s: &str) -> Option<StatementKind> {
        StatementKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The public page's path under the town, `/t/{slug}/…`.
    pub fn path_segment(self) -> &'static str {
        match self {
            StatementKind::Privacy => "datenschutz",
            StatementKind::Accessibility => "barrierefreiheit",
        }
    }

    /// The page's title (its `h1`).
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            StatementKind::Privacy => lang.pick(
                "Datenschutzhinweise zu den Beteiligungswidgets",
                "Privacy notice for the participation widgets",
            ),
            StatementKind::Accessibility => {
                lang.pick("Erklärung zur Barrierefreiheit", "Accessibility statement")
            }
        }
    }

    /// The name of a text's field in a 422: `texts.privacy.de`.
    pub fn text_field(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (StatementKind::Privacy, Lang::De) => "texts.privacy.de",
            (StatementKind::Privacy, Lang::En) => "texts.privacy.en",
            (StatementKind::Accessibility, Lang::De) => "texts.accessibility.de",
            (StatementKind::Accessibility, Lang::En) => "texts.accessibility.en",
        }
    }
}

/// How far the widgets and the office meet BITV 2.0 / WCAG 2.1 AA, as the town declares it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conformance {
    /// "vollständig vereinbar"
    Full,
    /// "teilweise vereinbar", with the known limitations listed (the default: honest).
    #[default]
    Partial,
    /// "nicht vereinbar"
    NotCompliant,
}

impl Conformance {
    pub const ALL: [Conformance; 3] = [
        Conformance::Full,
        Conformance::Partial,
        Conformance::NotCompliant,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Conformance::Full => lang.pick("vollständig vereinbar", "fully compliant"),
            Conformance::Partial => lang.pick("teilweise vereinbar", "partially compliant"),
            Conformance::NotCompliant => lang.pick("nicht vereinbar", "not compliant"),
        }
    }
}

/// What only the town can say; empty fields appear as "[von der Gemeinde zu ergänzen]" in
/// the generated texts. The same in both languages (names, addresses, links).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementFields {
    /// The controller (Verantwortliche Stelle): name and address, several lines.
    pub controller: String,
    /// How to reach the data-protection officer, several lines.
    pub dpo: String,
    /// The legal basis of the processing, e.g. "Art. 6 Abs. 1 lit. e DSGVO i. V. m. …".
    pub legal_basis: String,
    /// The supervisory authority citizens may complain to; empty: named in general terms.
    pub supervisory_authority: String,
    pub conformance: Conformance,
    /// When the accessibility statement was made or last reviewed, `YYYY-MM-DD`, or empty.
    pub reviewed_on: String,
    /// Feedback contact for barriers: an e-mail address and/or a phone number.
    pub feedback_email: String,
    pub feedback_phone: String,
    /// The enforcement procedure (Schlichtungsverfahren): an http(s) link, or empty.
    pub enforcement_url: String,
}

impl StatementFields {
    /// The fields as they are stored: text cleaned (`clean_text`), one-line fields trimmed.
    pub fn cleaned(&self) -> StatementFields {
        let line = |s: &str| clean_text(s).replace(['\n', '\t'], " ");
        StatementFields {
            controller: clean_text(&self.controller),
            dpo: clean_text(&self.dpo),
            legal_basis: clean_text(&self.legal_basis),
            supervisory_authority: line(&self.supervisory_authority),
            conformance: self.conformance,
            reviewed_on: line(&self.reviewed_on),
            feedback_email: line(&self.feedback_email),
            feedback_phone: line(&self.feedback_phone),
            enforcement_url: line(&self.enforcement_url),
        }
    }

    /// Every broken rule of cleaned fields, each naming its field; empty if they may be stored.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut check = |field: &str, ok: bool, code: ValidationCode| {
            if !ok {
                errors.push(FieldError::new(field, code));
            }
        };
        let fits = |s: &str, max: usize| s.chars().count() <= max;
        check(
            "controller",
            fits(&self.controller, FIELD_MAX_CHARS),
            ValidationCode::TooLong,
        );
        check(
            "dpo",
            fits(&self.dpo, FIELD_MAX_CHARS),
            ValidationCode::TooLong,
        );
        check(
            "legal_basis",
            fits(&self.legal_basis, FIELD_MAX_CHARS),
            ValidationCode::TooLong,
        );
        check(
            "supervisory_authority",
            fits(&self.supervisory_authority, LINE_MAX_CHARS),
            ValidationCode::TooLong,
        );
        check(
            "reviewed_on",
            self.reviewed_on.is_empty() || is_date(&self.reviewed_on),
            ValidationCode::InvalidValue,
        );
        check(
            "feedback_email",
            self.feedback_email.is_empty() || is_valid_email(&self.feedback_email),
            ValidationCode::InvalidEmail,
        );
        check(
            "feedback_phone",
            fits(&self.feedback_phone, LINE_MAX_CHARS),
            ValidationCode::TooLong,
        );
        check(
            "enforcement_url",
            self.enforcement_url.is_empty() || is_web_link(&self.enforcement_url),
            ValidationCode::InvalidValue,
        );
        errors
    }
}

/// `YYYY-MM-DD`, a day that exists.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        s.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))?
            .parse()
            .ok()
    };
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 2000 && (1..=days).contains(&day)
}

/// An absolute http(s) link to a host (no path on this server, no `javascript:`, no spaces).
pub fn is_web_link(url: &str) -> bool {
    if url.chars().count() > LINE_MAX_CHARS
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
        || url.contains(['<', '>', '"', '\''])
    {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !host.contains('@')
    })
}

/// One statement in one language as the public page shows it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementText {
    pub statement: StatementKind,
    pub lang: Lang,
    /// Plain text: blocks apart by blank lines; a line `## …` is a heading, lines `- …` a
    /// list; links and e-mail addresses become links. Escaped when shown.
    pub text: String,
    /// Whether an admin's text replaces the generated one (which then no longer follows the
    /// settings until it is reset).
    pub edited: bool,
    /// The public page, absolute.
    pub url: String,
}

/// `GET /office/api/privacy/statements`, and the answer of changing them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statements {
    pub fields: StatementFields,
    /// Privacy then accessibility, German then English.
    pub texts: Vec<StatementText>,
}

/// `POST /office/api/privacy/statements`: new fields, and/or texts to replace or reset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementsChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<StatementFields>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<StatementTextChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementTextChange {
    pub statement: StatementKind,
    pub lang: Lang,
    /// The admin's text; `null` goes back to the generated one. A text equal to the generated
    /// one is not stored as an edit (so it keeps following the settings).
    pub text: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_fields_name_themselves() {
        let fields = StatementFields {
            reviewed_on: "2026-02-30".into(),
            feedback_email: "barrierefrei(at)musterstadt.de".into(),
            enforcement_url: "javascript:alert(1)".into(),
            controller: "x".repeat(FIELD_MAX_CHARS + 1),
            ..Default::default()
        };
        let fields: Vec<_> = fields.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "controller",
                "reviewed_on",
                "feedback_email",
                "enforcement_url"
            ]
        );
        assert!(StatementFields::default().validate().is_empty());
    }

    #[test]
    fn links_are_web_links_and_dates_exist() {
        assert!(is_web_link("https://www.schlichtungsstelle-bgg.de/"));
        assert!(!is_web_link("/t/musterstadt/datenschutz"));
        assert!(!is_web_link("https://"));
        assert!(!is_web_link("ftp://example.org"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("06.12.2026"));
    }

    #[test]
    fn one_line_fields_lose_their_breaks() {
        let f = StatementFields {
            feedback_phone: " 0661 1234\n-56 ".into(),
            controller: "Gemeinde Musterstadt\r\nMarktplatz 1".into(),
            ..Default::default()
        }
        .cleaned();
        assert_eq!(f.feedback_phone, "0661 1234 -56");
        assert_eq!(f.controller, "Gemeinde Musterstadt\nMarktplatz 1");
    }
}
