use serde::{Deserialize, Serialize};

/// The languages every user-facing text exists in. German is the default everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    /// Reads a language tag such as `en`, `en-GB` or an `Accept-Language` header value;
    /// anything that is not clearly English is German.
    pub fn from_tag(tag: &str) -> Lang {
        let first = tag
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if first == "en" || first.starts_with("en-") || first.starts_with("en;") {
            Lang::En
        } else {
            Lang::De
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// Picks the text for this language from a (German, English) pair.
    pub fn pick(self, de: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_only_when_asked_for() {
        assert_eq!(Lang::from_tag("en"), Lang::En);
        assert_eq!(Lang::from_tag("en-GB,en;q=0.8"), Lang::En);
        assert_eq!(Lang::from_tag("de-DE,en;q=0.5"), Lang::De);
        assert_eq!(Lang::from_tag(""), Lang::De);
        assert_eq!(Lang::from_tag("fr"), Lang::De);
    }
}
