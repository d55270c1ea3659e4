//! The report form: three steps (place, what and who, preview) and the receipt, in plain DOM
//! rebuilt when the step or the error list changes.
//!
//! Inputs start from the signals (nothing typed is lost when a step is rebuilt) and write back
//! through one delegated input listener ([`on_input`]); buttons carry a `data-action` that the
//! widget's delegated click listener dispatches. Texts that change while a step is shown (the
//! chosen place, the character counter, the sending state) are updated in place by small
//! effects instead of rebuilding the step, so that focus and typing are never disturbed.

mod describe;
mod done;
mod draft;
mod locate;
mod preview;

use super::state::{State, Step};
use crate::dom::{self, El};
use crate::texts::Texts;
use civickit_model::validate::DESCRIPTION_MAX_CHARS;
use civickit_model::{FieldError, ValidationCode};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The error list of the step being built: the error line and `aria-invalid` of each field.
struct Errors<'a>(&'a [(String, String)]);

impl Errors<'_> {
    /// The error line of `field` (`#civic-err-FIELD`, named by the field's `aria-describedby`).
    fn line(&self, field: &str) -> El {
        let text = self
            .0
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        El::new("p")
            .class("civic-error")
            .attr("id", &format!("civic-err-{field}"))
            .text(&text)
    }

    fn invalid(&self, field: &str) -> &'static str {
        if self.0.iter().any(|(f, _)| f == field) {
            "true"
        } else {
            "false"
        }
    }
}

/// "Schritt n / 3" and the step's heading (focused when the step opens).
fn heading(t: &Texts, n: u8, title: &str) -> [El; 2] {
    [
        El::new("p")
            .class("civic-stepno")
            .text(&format!("{} {n} / 3", t.step_of)),
        El::new("h3").attr("tabindex", "-1").text(title),
    ]
}

fn row(buttons: Vec<El>) -> El {
    buttons
        .into_iter()
        .fold(El::new("div").class("civic-row"), El::child)
}

fn label(id: &str, text: &str) -> El {
    El::new("label").attr("for", id).text(text)
}

fn input(id: &str, kind: &str, value: String, described: &str) -> El {
    let el = El::new("input")
        .attr("id", id)
        .attr("type", kind)
        .attr("aria-describedby", described);
    if let Some(i) = el.0.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(&value);
    }
    el
}

impl State {
    /// The element matching `selector` in the form (of the step shown now), in its panel or
    /// in step 1's part under the map.
    fn find(self, selector: &str) -> Option<web_sys::Element> {
        [self.flow_ref, self.more_ref]
            .iter()
            .find_map(|r| r.get_untracked()?.query_selector(selector).ok()?)
    }

    fn set_text(self, selector: &str, text: &str) {
        if let Some(el) = self.find(selector) {
            el.set_text_content(Some(text));
        }
    }

    /// "bei Hauptstraße 12" while the address found belongs to the chosen position.
    fn near_text(self) -> Option<String> {
        let p = self.position.get_untracked()?;
        self.place.with_untracked(|k| {
            k.as_ref()
                .filter(|(q, _)| *q == p)
                .map(|(_, label)| [self.t.near, " ", label.as_str()].concat())
        })
    }

    fn place_text(self) -> String {
        match self.position.get_untracked() {
            Some(p) => self.near_text().unwrap_or_else(|| {
                format!(
                    "{}: {}, {}",
                    self.t.chosen_place,
                    dom::fixed(p.lat, 5),
                    dom::fixed(p.lng, 5)
                )
            }),
            None => self.t.no_place_yet.to_string(),
        }
    }

    fn counter_text(self) -> String {
        let n = self.description.with_untracked(|d| d.chars().count());
        let over = if n > DESCRIPTION_MAX_CHARS {
            " ⚠"
        } else {
            ""
        };
        format!("{n} / {DESCRIPTION_MAX_CHARS} {}{over}", self.t.characters)
    }

    fn outside_text(self) -> String {
        if self.outside_area() {
            FieldError::new("position", ValidationCode::OutsideArea).message(self.lang)
        } else {
            String::new()
        }
    }
}

/// Builds the form's current step into its container and keeps the live parts up to date.
pub fn watch(s: State) {
    let t = s.t;
    Effect::new(move |_| {
        let (Some(container), Some(below)) = (s.flow_ref.get(), s.more_ref.get()) else {
            return;
        };
        let step = s.step.get();
        let errs = s.errors.get();
        let errors = Errors(&errs);
        let (parts, more) = match step {
            Step::Off => (Vec::new(), Vec::new()),
            Step::Locate => locate::parts(s, &errors),
            Step::Details => (describe::parts(s, &errors), Vec::new()),
            Step::Preview => (preview::parts(s), Vec::new()),
            Step::Done => (done::parts(s), Vec::new()),
        };
        // Always both sections; an empty one is not shown (`.civic-flow:empty`).
        let panel = |parts: Vec<El>, class: &str| {
            vec![parts
                .into_iter()
                .fold(El::new("section").class(class), El::child)]
        };
        dom::replace(
            &container,
            panel(
                parts,
                if step == Step::Done {
                    "civic-flow civic-done"
                } else {
                    "civic-flow"
                },
            ),
        );
        dom::replace(&below, panel(more, "civic-flow civic-more"));
        s.fill_nearby();
    });
    Effect::new(move |_| {
        s.place.track();
        // Tracks the step and everything the draft holds (one effect: each costs bytes).
        s.save_draft();
        s.set_text("#civic-place", &s.place_text());
        s.set_text("#civic-outside", &s.outside_text());
    });
    Effect::new(move |_| {
        s.description.track();
        s.set_text("#civic-counter", &s.counter_text());
    });
    Effect::new(move |_| {
        s.set_text("#civic-geo", &s.geo_message.get().unwrap_or_default());
    });
    Effect::new(move |_| {
        s.set_text(
            "#civic-submit-error",
            &s.submit_error.get().unwrap_or_default(),
        );
        let busy = s.sending.get();
        if let Some(b) = s.find("#civic-submit") {
            b.set_text_content(Some(if busy { t.sending } else { t.submit }));
            let _ = if busy {
                b.set_attribute("disabled", "")
            } else {
                b.remove_attribute("disabled")
            };
        }
    });
    Effect::new(move |_| {
        s.nearby.track();
        s.support_message.track();
        s.fill_nearby();
    });
}

/// The delegated `input`/`change` listener of the form: writes what was typed to its signal.
pub fn on_input(s: State, ev: web_sys::Event) {
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let value = event_target_value(&ev);
    match target.id().as_str() {
        "civic-address" => s.address.set(value),
        "civic-description" => s.description.set(value),
        "civic-email" => s.email.set(value),
        "civic-website" => s.website.set(value),
        "civic-category" => s.category.set(value),
        _ => {}
    }
}

/// Starts the nearby-reports lookup of step 2 (see `describe`).
pub fn watch_nearby(s: State) {
    describe::watch_nearby(s);
}
