//! Step 1 of the report form: where? A click or Enter on the map, the map's centre (keyboard
//! users), the browser's location, or a described place when there is no map.
//!
//! Two parts: the panel above the map (what to do, the place chosen) and the rest under it
//! (other ways to give the place, "Weiter"), so that the map follows the panel directly and
//! fills a phone's screen. Without a map both are one panel.

use super::{heading, input, label, row, Errors};
use crate::dom::El;
use crate::reports::state::State;
use civickit_model::LatLng;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub(super) fn parts(s: State, errors: &Errors) -> (Vec<El>, Vec<El>) {
    let t = s.t;
    let map_ok = s.map_ok.get_untracked();
    let mut parts: Vec<El> = Vec::new();
    parts.extend(heading(t, 1, t.step_locate));
    parts.push(El::new("p").class("civic-help").text(if map_ok {
        t.locate_help
    } else {
        t.locate_help_no_map
    }));
    parts.push(
        El::new("p")
            .class("civic-place")
            .attr("id", "civic-place")
            // "bei Hauptstraße 12" follows the coordinates when the address is found.
            .attr("aria-live", "polite")
            .text(&s.place_text()),
    );
    parts.push(
        El::new("p")
            .class("civic-error")
            .attr("id", "civic-outside")
            .attr("role", "alert")
            .text(&s.outside_text()),
    );
    parts.push(errors.line("position"));
    let top = if map_ok {
        std::mem::take(&mut parts)
    } else {
        Vec::new()
    };
    let mut buttons = Vec::new();
    if map_ok {
        buttons.push(El::button(t.take_centre, "take-centre", "", false));
    }
    buttons.push(El::button(t.my_location, "my-location", "", false));
    parts.push(row(buttons));
    parts.push(
        El::new("p")
            .class("civic-help")
            .attr("id", "civic-geo")
            .attr("role", "status")
            .text(&s.geo_message.get_untracked().unwrap_or_default()),
    );
    parts.push(label("civic-address", t.describe_place));
    parts.push(
        input(
            "civic-address",
            "text",
            s.address.get_untracked(),
            "civic-err-address",
        )
        .attr("autocomplete", "off")
        .attr("maxlength", "300")
        .attr("placeholder", t.describe_place_hint)
        .attr("aria-invalid", errors.invalid("address")),
    );
    parts.push(errors.line("address"));
    parts.push(row(vec![
        El::button(t.cancel, "cancel", "", false),
        El::button(t.next, "locate-next", "", true)
            .attr("aria-invalid", errors.invalid("position")),
    ]));
    if map_ok {
        (top, parts)
    } else {
        (parts, Vec::new())
    }
}

impl State {
    /// Asks the browser for the citizen's location and takes it as the place.
    pub fn my_location(self) {
        let t = self.t;
        let geo_message = self.geo_message;
        let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            geo_message.set(Some(t.geolocation_failed.to_string()));
            return;
        };
        geo_message.set(Some(t.locating.to_string()));
        let ok = Closure::once_into_js(move |pos: JsValue| {
            let coords = js_sys::Reflect::get(&pos, &"coords".into()).unwrap_or_default();
            let num = |k: &str| {
                js_sys::Reflect::get(&coords, &k.into())
                    .ok()
                    .and_then(|v| v.as_f64())
            };
            if let (Some(lat), Some(lng)) = (num("latitude"), num("longitude")) {
                let p = LatLng::new(lat, lng);
                geo_message.set(None);
                self.map_view.with_value(|m| {
                    if let Some(m) = m {
                        m.pan_to(p);
                    }
                });
                self.choose(p);
            } else {
                geo_message.set(Some(t.geolocation_failed.to_string()));
            }
        });
        let err = Closure::once_into_js(move |_: JsValue| {
            geo_message.set(Some(t.geolocation_failed.to_string()));
        });
        if geo
            .get_current_position_with_error_callback(ok.unchecked_ref(), Some(err.unchecked_ref()))
            .is_err()
        {
            geo_message.set(Some(t.geolocation_failed.to_string()));
        }
    }

    /// Takes the centre of the map (under the crosshair) as the place.
    pub fn take_centre(self) {
        let c = self.map_view.with_value(|m| m.as_ref().map(|m| m.center()));
        if let Some(c) = c {
            self.choose(c);
        }
    }
}
