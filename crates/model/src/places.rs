//! Places: the addresses and streets a town imports from open data (`civickit places import`),
//! and the rules for finding them: how a name is folded for search, how a search text splits
//! into a street and a house-number prefix, how a place is labelled.
//!
//! Why our own list and no geocoder: every position a citizen taps would otherwise go to a
//! third party (Nominatim, Google). A town imports its "Hauskoordinaten" or an OpenStreetMap
//! extract once; lookups then stay on the town's own server.

use crate::LatLng;
use serde::{Deserialize, Serialize};

/// The nearest address counts within this distance of a position…
pub const ADDRESS_RADIUS_M: f64 = 75.0;
/// …else the nearest street within this one, else nothing.
pub const STREET_RADIUS_M: f64 = 150.0;

/// One address point: a street and a house number (`12`, `12a`, `12-14`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddressPoint {
    pub street: String,
    pub housenumber: String,
    pub position: LatLng,
}

/// A named street as a line (an OpenStreetMap way), for places without house numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreetLine {
    pub name: String,
    /// At least two points.
    pub points: Vec<LatLng>,
}

/// Everything one import brings: it replaces the tenant's previous set as a whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlaceSet {
    pub addresses: Vec<AddressPoint>,
    pub streets: Vec<StreetLine>,
}

/// `Hauptstraße 12`, or `Hauptstraße` for a street.
pub fn label(street: &str, housenumber: Option<&str>) -> String {
    match housenumber {
        Some(n) if !n.is_empty() => format!("{street} {n}"),
        _ => street.to_string(),
    }
}

/// Folds a name for accent- and case-insensitive prefix search: lower case, `ß` → `ss`,
/// accents and umlauts dropped (`Mühlenweg` → `muhlenweg`), punctuation and runs of
/// spaces made one space. Both the stored names and the typed text go through this.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded: &str = match c {
            'ß' => "ss",
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
            'ç' | 'č' | 'ć' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' | 'ń' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' => "u",
            'ý' | 'ÿ' => "y",
            'š' | 'ś' => "s",
            'ž' | 'ź' | 'ż' => "z",
            'ł' => "l",
            c if c.is_alphanumeric() => {
                out.push(c);
                space = false;
                continue;
            }
            _ => {
                if !space {
                    out.push(' ');
                    space = true;
                }
                continue;
            }
        };
        out.push_str(folded);
        space = false;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A search text split into what it asks for: `linden 1` is streets starting with `linden`
/// and house numbers starting with `1`; `Hauptstr.` is streets only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText {
    /// Folded; never empty.
    pub street: String,
    /// Folded; the last word when it starts with a digit.
    pub housenumber: Option<String>,
}

impl SearchText {
    /// `None` for a text with nothing to search (empty, or only a number).
    pub fn parse(text: &str) -> Option<SearchText> {
        let folded = fold(text);
        let (street, number) = match folded.rsplit_once(' ') {
            Some((street, last)) if last.starts_with(|c: char| c.is_ascii_digit()) => {
                (street.to_string(), Some(last.to_string()))
            }
            _ => (folded, None),
        };
        if street.is_empty() || street.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        Some(SearchText {
            street,
            housenumber: number,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("Mühlenweg"), "muhlenweg");
        assert_eq!(fold("Große  Straße"), "grosse strasse");
        assert_eq!(fold("Am Rathaus-Platz "), "am rathaus platz");
        assert_eq!(fold("Hauptstr. 12a"), "hauptstr 12a");
    }

    #[test]
    fn a_search_text_is_a_street_prefix_and_maybe_a_number_prefix() {
        let s = SearchText::parse("linden 1").unwrap();
        assert_eq!(s.street, "linden");
        assert_eq!(s.housenumber.as_deref(), Some("1"));
        let s = SearchText::parse("Große Straße").unwrap();
        assert_eq!(s.street, "grosse strasse");
        assert_eq!(s.housenumber, None);
        assert_eq!(SearchText::parse("  "), None);
        assert_eq!(SearchText::parse("12"), None);
    }

    #[test]
    fn labels_read_like_an_address() {
        assert_eq!(label("Hauptstraße", Some("12")), "Hauptstraße 12");
        assert_eq!(label("Hauptstraße", None), "Hauptstraße");
    }
}
