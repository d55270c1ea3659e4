//! Addresses in `<civic-reports>`, from the town's own list on our server (never a geocoder
//! called from the citizen's browser): "bei Hauptstraße 12" for the chosen place
//! (`…/places/reverse`), and the address search above the map (`…/places/search`), an
//! ARIA 1.2 combobox that moves the map and the pin.
//!
//! The combobox is plain DOM built once (see dom.rs), not a Leptos view: it is never rebuilt
//! while someone types, and it costs less wasm. Options are not focused; the input keeps the
//! focus and points at the active option with `aria-activedescendant`.

use super::state::{State, Step};
use crate::api::{encode, ApiError};
use crate::dom::{self, El};
use crate::ui;
use civickit_model::api::widget::{Place, ReverseAnswer, SearchAnswer};
use civickit_model::places::SearchText;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// The map's zoom for a chosen address: a few houses on a phone.
const ADDRESS_ZOOM: f64 = 18.0;
/// Typing pauses this long before the search asks the server.
const SEARCH_DELAY: Duration = Duration::from_millis(250);

/// Looks up the address of each new pin position (one request per position; an answer for a
/// position the pin has left is dropped). A failed lookup keeps the coordinates, which are
/// still right, and says nothing: the address is a help, not a step.
pub fn watch_reverse(s: State) {
    Effect::new(move |_| {
        let Some(p) = s.position.get() else {
            return;
        };
        if s.place
            .with_untracked(|k| k.as_ref().is_some_and(|(q, _)| *q == p))
        {
            return; // chosen from the search: its address is known
        }
        s.place.set(None);
        let query = ["lat=", &dom::number(p.lat), "&lng=", &dom::number(p.lng)].concat();
        spawn_local(async move {
            let answer: Result<ReverseAnswer, ApiError> =
                s.api.get_value().get("/places/reverse", &query).await;
            if s.position.get_untracked() != Some(p) {
                return;
            }
            if let Ok(ReverseAnswer { place: Some(near) }) = answer {
                s.place.set(Some((p, near.place.label)));
            }
        });
    });
}

/// The search field, its suggestions and its status line.
struct Search {
    s: State,
    input: web_sys::Element,
    list: web_sys::Element,
    status: web_sys::Element,
    places: RefCell<Vec<Place>>,
    open: Cell<bool>,
    active: Cell<Option<usize>>,
    /// Numbers what was typed, so that only the answer to the newest text is shown.
    seq: Cell<u32>,
}

/// Builds the search into its container once the view has it.
pub fn watch_search(s: State) {
    Effect::new(move |_| {
        if let Some(div) = s.search_ref.get() {
            build(s, &div);
        }
    });
}

fn build(s: State, container: &web_sys::Element) {
    let t = s.t;
    let input = El::new("input")
        .attr("id", "civic-search")
        .attr("type", "text")
        .attr("role", "combobox")
        .attr("aria-autocomplete", "list")
        .attr("aria-expanded", "false")
        .attr("aria-controls", "civic-search-list")
        .attr("autocomplete", "off")
        .attr("spellcheck", "false")
        .attr("placeholder", t.search_hint)
        .0;
    let list = El::new("ul")
        .class("civic-options civic-hidden")
        .attr("id", "civic-search-list")
        .attr("role", "listbox")
        .attr("aria-labelledby", "civic-search-label")
        .0;
    let status = El::new("p")
        .class("civic-help")
        .attr("role", "status")
        .0;
    dom::replace(
        container,
        vec![
            El::new("label")
                .attr("for", "civic-search")
                .attr("id", "civic-search-label")
                .text(t.search_label),
            El(input.clone()),
            El(list.clone()),
            El(status.clone()),
        ],
    );
    let me = Rc::new(Search {
        s,
        input,
        list,
        status,
        places: RefCell::new(Vec::new()),
        open: Cell::new(false),
        active: Cell::new(None),
        seq: Cell::new(0),
    });
    let m = me.clone();
    ui::on(&me.input, "input", move |_| m.typed());
    let m = me.clone();
    ui::on(&me.input, "keydown", move |ev| {
        if let Some(ev) = ev.dyn_ref::<web_sys::KeyboardEvent>() {
            m.key(ev);
        }
    });
    let m = me.clone();
    ui::on(&me.input, "blur", move |_| m.close());
    // Pressing on a suggestion must not take the focus from the input (which would close
    // the list before the click arrives).
    ui::on(&me.list, "mousedown", |ev| ev.prevent_default());
    let m = me.clone();
    ui::on(&me.list, "click", move |ev| {
        let i = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("[data-i]").ok().flatten())
            .and_then(|o| o.get_attribute("data-i"))
            .and_then(|i| i.parse().ok());
        if let Some(i) = i {
            m.select(i);
        }
    });
}

impl Search {
    /// A new text: after a pause, ask the server (unless something newer was typed by then).
    fn typed(self: &Rc<Self>) {
        let seq = self.seq.get() + 1;
        self.seq.set(seq);
        let text = ui::value(&self.input);
        if SearchText::parse(&text).is_none() {
            self.show(Vec::new(), "");
            return;
        }
        let me = self.clone();
        set_timeout(
            move || {
                if me.seq.get() != seq {
                    return;
                }
                let query = ["q=", &encode(&text), "&limit=8"].concat();
                spawn_local(async move {
                    let answer: Result<SearchAnswer, ApiError> =
                        me.s.api.get_value().get("/places/search", &query).await;
                    if me.seq.get() != seq {
                        return;
                    }
                    let t = me.s.t;
                    match answer {
                        Ok(a) if a.places.is_empty() => me.show(Vec::new(), t.search_none),
                        Ok(a) => me.show(a.places, ""),
                        Err(_) => me.show(Vec::new(), t.search_failed),
                    }
                });
            },
            SEARCH_DELAY,
        );
    }

    fn show(&self, places: Vec<Place>, status: &str) {
        ui::set_text(&self.status, status);
        *self.places.borrow_mut() = places;
        self.open.set(true);
        self.active.set(None);
        self.render();
    }

    fn close(&self) {
        self.open.set(false);
        self.active.set(None);
        self.render();
    }

    /// Draws the suggestions and the combobox's state from `places`, `open` and `active`.
    fn render(&self) {
        let places = self.places.borrow();
        let active = self.active.get();
        let open = self.open.get() && !places.is_empty();
        let id = |i: usize| ["civic-opt-", &i.to_string()].concat();
        dom::replace(
            &self.list,
            places
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    El::new("li")
                        .attr("id", &id(i))
                        .attr("role", "option")
                        .attr(
                            "aria-selected",
                            if active == Some(i) { "true" } else { "false" },
                        )
                        .attr("data-i", &i.to_string())
                        .text(&p.label)
                })
                .collect(),
        );
        ui::show(&self.list, open);
        let _ = self
            .input
            .set_attribute("aria-expanded", if open { "true" } else { "false" });
        let _ = match active.filter(|_| open) {
            Some(i) => self.input.set_attribute("aria-activedescendant", &id(i)),
            None => self.input.remove_attribute("aria-activedescendant"),
        };
    }

    /// The keys of the APG combobox pattern: arrows move through the suggestions (and open
    /// them again), Enter takes the active one, Escape closes them, or empties the field.
    fn key(&self, ev: &web_sys::KeyboardEvent) {
        let n = self.places.borrow().len();
        let open = self.open.get() && n > 0;
        let key = ev.key();
        match key.as_str() {
            "ArrowDown" | "ArrowUp" if n > 0 => {
                ev.prevent_default();
                let down = key == "ArrowDown";
                let next = match self.active.get().filter(|_| open) {
                    None if down => 0,
                    None => n - 1,
                    Some(i) if down => (i + 1) % n,
                    Some(i) => (i + n - 1) % n,
                };
                self.open.set(true);
                self.active.set(Some(next));
                self.render();
            }
            "Enter" => {
                if let Some(i) = self.active.get().filter(|_| open) {
                    ev.prevent_default();
                    self.select(i);
                }
            }
            "Escape" if open => {
                ev.prevent_default();
                self.close();
            }
            "Escape" => {
                self.seq.set(self.seq.get() + 1);
                ui::set_value(&self.input, "");
                self.show(Vec::new(), "");
            }
            _ => {}
        }
    }

    /// Takes suggestion `i`: the map moves there and, while the citizen chooses the place of a
    /// report, the pin goes there as if the map had been tapped.
    fn select(&self, i: usize) {
        let Some(place) = self.places.borrow().get(i).cloned() else {
            return;
        };
        ui::set_value(&self.input, &place.label);
        self.close();
        let (s, p) = (self.s, place.position);
        s.map_view.with_value(|m| {
            if let Some(m) = m {
                m.set_view(p, ADDRESS_ZOOM);
            }
        });
        if s.step.get_untracked() == Step::Locate {
            s.place.set(Some((p, place.label)));
            s.choose(p);
        }
    }
}
