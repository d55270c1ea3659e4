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
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The map's zoom for a chosen address: a few houses on a phone.
const ADDRESS_ZOOM: f64 = 18.0;
/// Typing pauses this long (ms) before the search asks the server.
const SEARCH_DELAY_MS: i32 = 250;

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
        let query = [
            "lat=",
            dom::number(p.lat).as_str(),
            "&lng=",
            dom::number(p.lng).as_str(),
        ]
        .concat();
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

/// Builds the search into its container (with the map: without one it has nothing to move).
pub fn build_search(s: State) {
    let Some(container) = s.search_ref.get_untracked() else {
        return;
    };
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
    let status = El::new("p").class("civic-help").attr("role", "status").0;
    dom::replace(
        &container,
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
    // One listener for everything (one closure instead of five in the wasm): typing and keys
    // in the field, leaving it, and pressing and clicking the suggestions.
    let handler =
        Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| me.event(&ev));
    for name in ["input", "keydown", "focusout", "mousedown", "click"] {
        let _ = container.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
    }
    handler.forget();
}

/// The id of suggestion `i` (at most 8, so one digit).
fn option_id(i: usize) -> String {
    let mut id = String::from("civic-opt-");
    id.push(char::from(b'0' + i as u8));
    id
}

impl Search {
    fn event(self: &Rc<Self>, ev: &web_sys::Event) {
        let option = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("[role=option]").ok().flatten());
        match ev.type_().as_str() {
            "input" => self.typed(),
            "keydown" => {
                if let Some(ev) = ev.dyn_ref::<web_sys::KeyboardEvent>() {
                    self.key(ev);
                }
            }
            // Leaving the field closes the list; an answer still on its way is not shown.
            "focusout" => {
                self.seq.set(self.seq.get() + 1);
                self.close();
            }
            // Pressing on a suggestion must not take the focus from the field (which would
            // close the list before the click arrives).
            "mousedown" if option.is_some() => ev.prevent_default(),
            "click" => {
                if let Some(i) = option.and_then(|o| o.id().bytes().last()) {
                    self.select(usize::from(i.wrapping_sub(b'0')));
                }
            }
            _ => {}
        }
    }

    /// A new text: after a pause, ask the server (unless something newer was typed by then).
    fn typed(self: &Rc<Self>) {
        let seq = self.seq.get() + 1;
        self.seq.set(seq);
        let text = ui::value(&self.input);
        // Nothing to search (empty, or a number without a street): the model's `SearchText`
        // would say so exactly, but its Unicode case folding costs kilobytes of wasm tables,
        // and the server applies it anyway.
        if text
            .bytes()
            .find(|b| *b != b' ')
            .is_none_or(|b| b.is_ascii_digit())
        {
            self.show(Vec::new(), "");
            return;
        }
        let me = self.clone();
        // `window.setTimeout` directly: Leptos' `set_timeout` takes a `Duration`, whose
        // 128-bit milliseconds pull in more wasm than this whole function.
        let later = Closure::once_into_js(move || {
            if me.seq.get() != seq {
                return;
            }
            let query = ["q=", encode(&text).as_str(), "&limit=8"].concat();
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
        });
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                later.unchecked_ref(),
                SEARCH_DELAY_MS,
            );
        }
    }

    fn show(&self, places: Vec<Place>, status: &str) {
        ui::set_text(&self.status, status);
        let mut places = places;
        places.truncate(8);
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
        dom::replace(
            &self.list,
            places
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    El::new("li")
                        .attr("id", &option_id(i))
                        .attr("role", "option")
                        .attr(
                            "aria-selected",
                            if active == Some(i) { "true" } else { "false" },
                        )
                        .text(&p.label)
                })
                .collect(),
        );
        ui::show(&self.list, open);
        let _ = self
            .input
            .set_attribute("aria-expanded", if open { "true" } else { "false" });
        let _ = match active.filter(|_| open) {
            Some(i) => self
                .input
                .set_attribute("aria-activedescendant", &option_id(i)),
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
