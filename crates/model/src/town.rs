//! A town's settings and their rules, checked alike by the command line (`civickit tenant
//! add/set`) and the office's town page, so that neither can store what the other refuses.

use crate::validate::{clean_text, FieldError, ValidationCode};
use crate::{Area, LatLng};
use std::ops::RangeInclusive;

pub const NAME_MAX_CHARS: usize = 200;
pub const ATTRIBUTION_MAX_CHARS: usize = 300;
pub const URL_MAX_CHARS: usize = 500;
pub const ZOOM: RangeInclusive<i64> = 1..=19;
pub const RESPONSE_DAYS: RangeInclusive<i64> = 1..=60;
/// More origins than a town has websites; keeps the CORS check and the settings page short.
pub const MAX_ORIGINS: usize = 50;

/// Everything a town sets about itself (the slug is fixed at creation).
#[derive(Debug, Clone, PartialEq)]
pub struct TownProfile {
    pub name: String,
    pub center: LatLng,
    pub zoom: i64,
    pub area: Area,
    /// Normalised origins, or the one entry `*`.
    pub allowed_origins: Vec<String>,
    pub tile_url: String,
    pub tile_attribution: String,
    pub privacy_url: String,
    pub imprint_url: String,
    /// A Nominatim or Photon server the *server* asks for places when the town imported
    /// none (`docs/places.md`); empty (the default) asks nobody.
    pub geocoder_url: String,
    pub response_days: i64,
}

impl TownProfile {
    /// Every broken rule, each naming its field; empty if the profile may be stored.
    pub fn validate(&self) -> Vec<FieldError> {
        use ValidationCode::*;
        let mut errors = Vec::new();
        let mut refuse = |field: &str, code| errors.push(FieldError::new(field, code));
        let name = clean_text(&self.name);
        if name.is_empty() {
            refuse("name", Required);
        } else if name.chars().count() > NAME_MAX_CHARS {
            refuse("name", TooLong);
        }
        if !ZOOM.contains(&self.zoom) {
            refuse("zoom", InvalidValue);
        }
        if !RESPONSE_DAYS.contains(&self.response_days) {
            refuse("response_days", InvalidValue);
        }
        let area_ok = match self.area.check() {
            Ok(()) => true,
            Err(crate::area::AreaProblem::Empty) => {
                refuse("area", Required);
                false
            }
            Err(_) => {
                refuse("area", InvalidValue);
                false
            }
        };
        if !self.center.is_valid() {
            refuse("center", InvalidPosition);
        } else if area_ok && !self.area.contains(&self.center) {
            refuse("center", OutsideArea);
        }
        let origins_ok = self.allowed_origins.len() <= MAX_ORIGINS
            && (self
                .allowed_origins
                .iter()
                .all(|o| normalize_origin(o).as_deref() == Some(o))
                && (self.allowed_origins.len() == 1
                    || !self.allowed_origins.iter().any(|o| o == "*")));
        if !origins_ok {
            refuse("allowed_origins", InvalidValue);
        }
        if !is_valid_tile_url(&self.tile_url) {
            refuse("tile_url", InvalidValue);
        }
        if self.tile_attribution.chars().count() > ATTRIBUTION_MAX_CHARS
            || self.tile_attribution.chars().any(char::is_control)
        {
            refuse("tile_attribution", InvalidValue);
        }
        if !is_valid_page_url(&self.privacy_url) {
            refuse("privacy_url", InvalidValue);
        }
        if !is_valid_page_url(&self.imprint_url) {
            refuse("imprint_url", InvalidValue);
        }
        if !is_valid_page_url(&self.geocoder_url) || self.geocoder_url.contains(['?', '#', '@']) {
            refuse("geocoder_url", InvalidValue);
        }
        errors
    }
}

/// What is wrong with a town setting and how to get it right, for the command line and the
/// office. Kept apart from [`ValidationCode::message`], which the citizen widgets carry.
pub fn message(error: &FieldError, lang: crate::Lang) -> String {
    use ValidationCode::*;
    let text = match (error.code, error.field.as_str()) {
        (Required, "name") => ("Bitte geben Sie den Namen der Gemeinde an.", "Please enter the town's name."),
        (TooLong, "name") => ("Der Name ist zu lang: höchstens 200 Zeichen.", "The name is too long: at most 200 characters."),
        (_, "zoom") => ("Die Zoomstufe muss zwischen 1 und 19 liegen.", "The zoom must be between 1 and 19."),
        (_, "response_days") => ("Die Antwortfrist muss zwischen 1 und 60 Tagen liegen.", "The response promise must be between 1 and 60 days."),
        (Required, "area") => ("Das Gemeindegebiet fehlt: bitte ein Polygon oder MultiPolygon angeben.", "The area is missing: please give a Polygon or MultiPolygon."),
        (_, "area") => (
            "Das Gemeindegebiet ist ungültig: jeder Ring braucht mindestens drei verschiedene Ecken, und kein Rand darf sich selbst kreuzen.",
            "The area is invalid: each ring needs at least three distinct corners, and no edge may cross another of its ring.",
        ),
        (OutsideArea, "center") => ("Der Kartenmittelpunkt muss im Gemeindegebiet liegen.", "The map centre must lie inside the area."),
        (_, "center") => ("Der Kartenmittelpunkt ist keine gültige Position.", "The map centre is not a valid position."),
        (_, "allowed_origins") => (
            "Jede Herkunft ist scheme://host[:port] (http oder https, ohne Pfad), oder allein *.",
            "Each origin is scheme://host[:port] (http or https, no path), or * alone.",
        ),
        (_, "tile_url") => (
            "Die Kachel-URL muss mit http:// oder https:// beginnen und {z}, {x} und {y} enthalten.",
            "The tile URL must start with http:// or https:// and contain {z}, {x} and {y}.",
        ),
        (_, "tile_attribution") => ("Der Kartennachweis ist zu lang (höchstens 300 Zeichen).", "The attribution is too long (at most 300 characters)."),
        (_, "privacy_url") | (_, "imprint_url") => (
            "Bitte eine Adresse mit http:// oder https:// angeben, oder das Feld leer lassen.",
            "Please give an address starting with http:// or https://, or leave the field empty.",
        ),
        (_, "geocoder_url") => (
            "Die Adresse des Geocoders (Nominatim oder Photon) muss mit http:// oder https:// beginnen, ohne ?, # und Zugangsdaten; leer schaltet ihn ab.",
            "The geocoder's address (Nominatim or Photon) must start with http:// or https://, without ?, # or credentials; empty turns it off.",
        ),
        (_, "retired") => (
            "Diese Abteilung bearbeitet noch aktive Kategorien: bitte ordnen Sie diese zuerst einer anderen Abteilung zu.",
            "This department still handles active categories: please move them to another department first.",
        ),
        (InvalidValue, "name") => ("Diesen Namen gibt es hier schon.", "This name is already taken here."),
        (_, "ids") => (
            "Die neue Reihenfolge muss jeden Eintrag der Liste genau einmal nennen.",
            "The new order must name every entry of the list exactly once.",
        ),
        (_, "department_id") => (
            "Bitte wählen Sie eine aktive Abteilung dieser Gemeinde.",
            "Please choose an active department of this town.",
        ),
        _ => return error.message(lang),
    };
    lang.pick(text.0, text.1).to_string()
}

/// An origin as browsers send it in `Origin`: `scheme://host[:port]`, http or https, no path.
/// Returns it lowercased and without a trailing slash, or `*` for any origin; `None` if it is
/// not an origin (a page URL with a path is a common mistake, and would never match).
pub fn normalize_origin(origin: &str) -> Option<String> {
    let o = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    if o == "*" {
        return Some(o);
    }
    let rest = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"))?;
    let (host, port) = match rest.strip_prefix('[') {
        Some(v6) => {
            let (addr, after) = v6.split_once(']')?;
            if addr.is_empty()
                || !addr
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
            {
                return None;
            }
            match after {
                "" => (rest, None),
                _ => (&rest[..addr.len() + 2], Some(after.strip_prefix(':')?)),
            }
        }
        None => match rest.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        },
    };
    let host_ok = host.starts_with('[')
        || (!host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            }));
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n))
    });
    (host_ok && port_ok).then_some(o)
}

/// Parses a comma- or space-separated origin list; the error names the first bad entry.
pub fn parse_origins(list: &str) -> Result<Vec<String>, String> {
    list.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|o| normalize_origin(o).ok_or_else(|| o.to_string()))
        .collect()
}

/// An absolute http(s) URL, or a path on this server (`/…`, as the demo town's pages are),
/// without spaces or control characters.
fn is_http_url(url: &str) -> bool {
    if url.len() > URL_MAX_CHARS || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    if url.starts_with('/') {
        return !url.starts_with("//");
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

/// A tile source: an http(s) URL (or a path here) with `{z}`, `{x}` and `{y}`.
pub fn is_valid_tile_url(url: &str) -> bool {
    is_http_url(url) && ["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p))
}

/// A privacy or imprint page: an http(s) URL, or empty when the town has none yet.
pub fn is_valid_page_url(url: &str) -> bool {
    url.is_empty() || is_http_url(url)
}

/// A stable code made from a name: `Kritik/Beschwerde` → `kritik-beschwerde`,
/// `Straßenschäden` → `strassenschaeden`. Empty if the name has no letters or digits.
pub fn code_from_name(name: &str) -> String {
    let mut code = String::new();
    for c in name.to_lowercase().chars() {
        let mapped = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                code.push(c);
                continue;
            }
            _ => "-",
        };
        if mapped == "-" {
            if !code.is_empty() && !code.ends_with('-') {
                code.push('-');
            }
        } else {
            code.push_str(mapped);
        }
    }
    code.trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> TownProfile {
        TownProfile {
            name: "Kleinhausen".into(),
            center: LatLng::new(50.5, 10.5),
            zoom: 15,
            area: Area::new(vec![
                LatLng::new(50.0, 10.0),
                LatLng::new(50.0, 11.0),
                LatLng::new(51.0, 11.0),
                LatLng::new(51.0, 10.0),
            ]),
            allowed_origins: vec!["https://www.kleinhausen.de".into()],
            tile_url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            tile_attribution: "© OpenStreetMap-Mitwirkende".into(),
            privacy_url: "https://www.kleinhausen.de/datenschutz".into(),
            imprint_url: String::new(),
            geocoder_url: String::new(),
            response_days: 3,
        }
    }

    fn fields(p: &TownProfile) -> Vec<(String, ValidationCode)> {
        p.validate()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_good_profile_passes() {
        assert_eq!(fields(&profile()), vec![]);
    }

    #[test]
    fn each_bad_setting_names_its_field() {
        use ValidationCode::*;
        type Case = (fn(&mut TownProfile), &'static str, ValidationCode);
        let cases: Vec<Case> = vec![
            (|p| p.name = "  ".into(), "name", Required),
            (|p| p.name = "x".repeat(201), "name", TooLong),
            (|p| p.zoom = 20, "zoom", InvalidValue),
            (|p| p.zoom = 0, "zoom", InvalidValue),
            (|p| p.response_days = 61, "response_days", InvalidValue),
            (|p| p.response_days = 0, "response_days", InvalidValue),
            (
                |p| p.center = LatLng::new(52.0, 10.5),
                "center",
                OutsideArea,
            ),
            (|p| p.area = Area { polygons: vec![] }, "area", Required),
            (
                |p| {
                    p.area = Area::new(vec![
                        LatLng::new(50.0, 10.0),
                        LatLng::new(51.0, 11.0),
                        LatLng::new(51.0, 10.0),
                        LatLng::new(50.0, 11.0),
                    ])
                },
                "area",
                InvalidValue,
            ),
            (
                |p| p.allowed_origins = vec!["https://x.de/page".into()],
                "allowed_origins",
                InvalidValue,
            ),
            (
                |p| p.allowed_origins = vec!["*".into(), "https://x.de".into()],
                "allowed_origins",
                InvalidValue,
            ),
            (
                |p| p.tile_url = "https://tiles.example/{z}/{x}.png".into(),
                "tile_url",
                InvalidValue,
            ),
            (
                |p| p.tile_url = "ftp://tiles.example/{z}/{x}/{y}.png".into(),
                "tile_url",
                InvalidValue,
            ),
            (
                |p| p.privacy_url = "javascript:alert(1)".into(),
                "privacy_url",
                InvalidValue,
            ),
            (
                |p| p.imprint_url = "//evil.example/x".into(),
                "imprint_url",
                InvalidValue,
            ),
        ];
        for (change, field, code) in cases {
            let mut p = profile();
            change(&mut p);
            assert_eq!(fields(&p), vec![(field.to_string(), code)], "{field}");
        }
    }

    #[test]
    fn messages_say_how_to_fix_it() {
        let e = FieldError::new("tile_url", ValidationCode::InvalidValue);
        assert!(message(&e, crate::Lang::En).contains("{z}"));
        let e = FieldError::new("center", ValidationCode::OutsideArea);
        assert!(message(&e, crate::Lang::De).contains("Gemeindegebiet"));
    }

    #[test]
    fn origins() {
        assert_eq!(
            normalize_origin("https://www.Kleinhausen.de/").as_deref(),
            Some("https://www.kleinhausen.de")
        );
        assert_eq!(
            normalize_origin("http://localhost:8080").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(
            normalize_origin("http://[::1]:8080").as_deref(),
            Some("http://[::1]:8080")
        );
        assert_eq!(normalize_origin("*").as_deref(), Some("*"));
        for bad in [
            "www.kleinhausen.de",
            "https://",
            "https://kleinhausen.de/datenschutz",
            "ftp://kleinhausen.de",
            "https://klein hausen.de",
            "https://kleinhausen.de:99999",
            "https://kleinhausen.de:",
            "https://user@kleinhausen.de",
        ] {
            assert_eq!(normalize_origin(bad), None, "{bad}");
        }
        assert_eq!(
            parse_origins("https://a.de, https://b.de").unwrap(),
            vec!["https://a.de".to_string(), "https://b.de".to_string()]
        );
        assert_eq!(parse_origins("https://a.de,a.de"), Err("a.de".to_string()));
    }

    #[test]
    fn page_and_tile_urls() {
        assert!(is_valid_page_url(""));
        assert!(is_valid_page_url("/demo/datenschutz.html"));
        assert!(is_valid_page_url("https://www.kleinhausen.de/impressum"));
        assert!(!is_valid_page_url("www.kleinhausen.de/impressum"));
        assert!(!is_valid_page_url("https://a.de/x y"));
        assert!(is_valid_tile_url("/tiles/{z}/{x}/{y}.svg"));
        assert!(!is_valid_tile_url(
            "https://user@tiles.example/{z}/{x}/{y}.png"
        ));
    }

    #[test]
    fn codes_from_names() {
        assert_eq!(code_from_name("Kritik/Beschwerde"), "kritik-beschwerde");
        assert_eq!(
            code_from_name("Straßenschäden/Schlaglöcher"),
            "strassenschaeden-schlagloecher"
        );
        assert_eq!(code_from_name("  Lob! "), "lob");
        assert_eq!(code_from_name("???"), "");
    }
}
