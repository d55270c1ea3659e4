//! How the statistics write their figures: numbers in the reader's language (decimal comma
//! in German), "< 5" for small cells and "–" for figures left out, remembering which of the
//! two appeared so that their explanation is shown once, below the figures.
//!
//! Numbers go through the browser (`Number.prototype.toLocaleString`), not Rust's float
//! formatting: that is more than 10 KB of wasm (see `dom::fixed`), a quarter of the budget.

use super::texts::Texts;
use civickit_model::api::widget::Count;
use std::cell::Cell;

pub struct Fmt {
    pub t: &'static Texts,
    /// A "< 5" was written.
    pub small: Cell<bool>,
    /// A "–" was written.
    pub missing: Cell<bool>,
}

/// `parts` one after another. The one way texts are put together here: no `format!`,
/// `str::replace` or `join`, each of which brings its own code (the substring search alone
/// is 3 KB of wasm).
pub fn cat(parts: &[&str]) -> String {
    let mut s = String::new();
    for p in parts {
        s.push_str(p);
    }
    s
}

/// What a left-out figure shows.
pub const DASH: &str = "–";

impl Fmt {
    pub fn new(t: &'static Texts) -> Fmt {
        Fmt {
            t,
            small: Cell::new(false),
            missing: Cell::new(false),
        }
    }

    /// `1234.5` as `1.234,5` (de) or `1,234.5` (en).
    pub fn num(&self, x: f64) -> String {
        js_sys::Number::from(x)
            .to_locale_string(self.t.locale)
            .into()
    }

    pub fn count(&self, c: Count) -> String {
        match c {
            Count::Exact(n) => self.num(n as f64),
            Count::FewerThanFive => {
                self.small.set(true);
                self.t.fewer_than_five.to_string()
            }
        }
    }

    /// A figure (days or percent) as a bare number, or "–".
    pub fn opt(&self, x: Option<f64>) -> String {
        match x {
            Some(x) => self.num(x),
            None => self.dash(),
        }
    }

    pub fn dash(&self) -> String {
        self.missing.set(true);
        DASH.to_string()
    }

    /// `83,3 %` or "–".
    pub fn percent(&self, p: Option<f64>) -> String {
        match p {
            Some(p) => self.num(p) + " %",
            None => self.dash(),
        }
    }

    /// `1,5 Tage`, `1 Tag` or "–".
    pub fn days(&self, d: Option<f64>) -> String {
        match d {
            Some(d) => {
                let unit = if d == 1.0 { self.t.day } else { self.t.days };
                self.num(d) + " " + unit
            }
            None => self.dash(),
        }
    }

    /// `2026-11` as `November 2026`.
    pub fn month(&self, ym: &str) -> String {
        month_name(self.t, ym)
    }

    /// An RFC 3339 time in the reader's time zone: `6. Dezember 2026 um 17:40`.
    pub fn when(&self, rfc3339: &str) -> String {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
        if date.get_time().is_nan() {
            return rfc3339.to_string();
        }
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
        let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
        date.to_locale_string(self.t.locale, &options).into()
    }
}

/// `2026-11` as `November 2026` (the text as it is if it is no month).
pub fn month_name(t: &Texts, ym: &str) -> String {
    let name = ym
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| t.months_long.get(m.wrapping_sub(1)));
    match (name, ym.get(..4)) {
        (Some(name), Some(year)) => cat(&[name, " ", year]),
        _ => ym.to_string(),
    }
}

/// The first three letters of a month's name, for the chart's axis: `2026-11` → `Nov`.
pub fn short_month(t: &Texts, ym: &str) -> String {
    month_name(t, ym).chars().take(3).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::texts::{DE, EN};

    #[test]
    fn months_are_named_in_the_readers_language() {
        assert_eq!(month_name(&DE, "2026-03"), "März 2026");
        assert_eq!(month_name(&EN, "2026-12"), "December 2026");
        assert_eq!(short_month(&DE, "2026-03"), "Mär");
        assert_eq!(month_name(&DE, "2026-13"), "2026-13");
        assert_eq!(month_name(&DE, "2026-00"), "2026-00");
        assert_eq!(month_name(&DE, "x"), "x");
    }
}
