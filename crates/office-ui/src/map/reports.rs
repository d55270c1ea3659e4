//! Reports on an office map: one marker per report with the shape and colour of its state as
//! the widget draws them (colour is never the only cue, WCAG 1.4.1), in clusters when dense
//! (leaflet.markercluster: a click or Enter on a cluster zooms into it), and the report's own
//! pin that an official may drag, or move with the arrow keys, to correct its position.
//!
//! Markers are Leaflet markers with a small inline SVG: focusable, with the report in their
//! title, so the keyboard reaches them (Tab, Enter opens) and screen readers name them. The
//! SVG is ours alone; every text from a report goes into the title attribute, never into HTML.

use super::{clusters_loaded, LeafletLayer};
use super::{
    div_icon, feature_group, lat_lng, leaflet_marker, marker_cluster_group, options, to_lat_lng,
    Listener, OfficeMap,
};
use civickit_model::api::office::ReportMarker;
use civickit_model::{Lang, LatLng, Marker, Status};
use js_sys::{Array, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The side of a marker's square in CSS pixels.
const MARKER_PX: i32 = 24;
/// How far an arrow key moves the pin, in screen pixels.
const PIN_STEP_PX: f64 = 8.0;

/// The marker of a state as inline SVG, the shapes of the widget: a triangle for received
/// (hollow while it waits for review), a diamond in progress, a circle resolved, a square
/// closed. Only our fixed shapes and colours go into it.
pub fn marker_icon(status: Status) -> String {
    let colour = status.light().hex();
    let (fill, width) = if status == Status::PendingReview {
        ("#ffffff", 3)
    } else {
        (colour, 2)
    };
    let stroke = if status == Status::PendingReview {
        colour
    } else {
        "#ffffff"
    };
    let shape = match status.marker() {
        Marker::Triangle => r#"<path d="M12 2 23 21H1Z"/>"#,
        Marker::Diamond => r#"<path d="M12 1 23 12 12 23 1 12Z"/>"#,
        Marker::Circle => r#"<circle cx="12" cy="12" r="10"/>"#,
        Marker::Square => r#"<rect x="2.5" y="2.5" width="19" height="19"/>"#,
    };
    format!(
        r#"<svg viewBox="0 0 24 24" width="{MARKER_PX}" height="{MARKER_PX}" aria-hidden="true" focusable="false"><g fill="{fill}" stroke="{stroke}" stroke-width="{width}" stroke-linejoin="round">{shape}</g></svg>"#
    )
}

/// What a marker's title says: reference, state, category, place, and the start of the text.
fn marker_title(m: &ReportMarker, lang: Lang) -> String {
    let mut title = format!(
        "{}: {}, {}",
        m.reference,
        m.status.label(lang),
        m.category_name
    );
    if let Some(a) = m.address.as_deref().filter(|a| !a.is_empty()) {
        title.push_str(" – ");
        title.push_str(a);
    }
    if !m.summary.is_empty() {
        title.push_str(" – ");
        title.push_str(&m.summary);
    }
    title
}

/// Escapes a text for HTML (the cluster's label, our own words; escaped all the same).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The reports drawn on a map, clustered when the plugin is there.
pub struct ReportLayer {
    group: LeafletLayer,
    clustered: bool,
    /// Whether it shows no marker (Leaflet's bounds of nothing cannot be fitted).
    empty: std::cell::Cell<bool>,
}

/// The property of a marker's options that carries its report's reference.
const REF_KEY: &str = "civicRef";

/// Whether a Leaflet keyboard event is Enter or Space (activating a marker like a button).
fn activates(e: &JsValue) -> bool {
    let original = Reflect::get(e, &JsValue::from_str("originalEvent")).unwrap_or_default();
    match original.dyn_ref::<web_sys::KeyboardEvent>() {
        Some(k) if k.key() == "Enter" || k.key() == " " => {
            k.prevent_default();
            true
        }
        _ => false,
    }
}

impl OfficeMap {
    fn listen(&self, layer: &LeafletLayer, events: &str, f: impl FnMut(JsValue) + 'static) {
        let listener: Listener = Closure::new(f);
        layer.layer_on(events, listener.as_ref().unchecked_ref());
        self.listeners.borrow_mut().push(listener);
    }

    /// A layer of report markers; `cluster` gathers dense ones (`cluster_label(n)` names a
    /// cluster of n for screen readers). A click or Enter on a marker calls `open` with its
    /// reference.
    pub fn report_layer<L: Fn(usize) -> String + 'static>(
        &self,
        cluster: Option<L>,
        open: impl Fn(String) + 'static,
    ) -> ReportLayer {
        let (group, clustered) = match cluster.filter(|_| clusters_loaded()) {
            Some(label) => {
                let icon = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |c: JsValue| {
                    let count = Reflect::get(&c, &JsValue::from_str("getChildCount"))
                        .ok()
                        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                        .and_then(|f| f.call0(&c).ok())
                        .and_then(|n| n.as_f64())
                        .unwrap_or(0.0) as usize;
                    let size = if count < 10 {
                        34
                    } else if count < 100 {
                        40
                    } else {
                        48
                    };
                    div_icon(&options(&[
                        (
                            "html",
                            format!(
                                r#"<span aria-hidden="true">{count}</span><span class="sr-only">{}</span>"#,
                                escape(&label(count))
                            )
                            .into(),
                        ),
                        ("className", "report-cluster".into()),
                        ("iconSize", Array::of2(&size.into(), &size.into()).into()),
                    ]))
                });
                let group = marker_cluster_group(&options(&[
                    ("showCoverageOnHover", false.into()),
                    ("maxClusterRadius", 40.into()),
                    ("spiderfyOnMaxZoom", true.into()),
                    ("chunkedLoading", true.into()),
                    ("iconCreateFunction", icon.as_ref().clone()),
                ]));
                // One per map, needed as long as the map is: Leaflet calls it on every zoom.
                icon.forget();
                (group, true)
            }
            None => (feature_group(), false),
        };
        group.add_to(&self.map);
        let opener = Rc::new(open);
        self.listen(&group, "click keydown", move |e: JsValue| {
            let kind = Reflect::get(&e, &JsValue::from_str("type"))
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            if kind == "keydown" && !activates(&e) {
                return;
            }
            let reference = Reflect::get(&e, &JsValue::from_str("layer"))
                .and_then(|l| Reflect::get(&l, &JsValue::from_str("options")))
                .and_then(|o| Reflect::get(&o, &JsValue::from_str(REF_KEY)))
                .ok()
                .and_then(|r| r.as_string());
            if let Some(r) = reference {
                opener(r);
            }
        });
        ReportLayer {
            group,
            clustered,
            empty: std::cell::Cell::new(true),
        }
    }

    /// Brings every report of `layer` into view (not closer than a street's zoom); nothing
    /// happens for an empty layer.
    pub fn fit(&self, layer: &ReportLayer) {
        if layer.empty.get() {
            return;
        }
        self.map.fit_bounds_with(
            &layer.group.layer_bounds(),
            &options(&[
                ("padding", Array::of2(&24.into(), &24.into()).into()),
                ("maxZoom", 17.into()),
            ]),
        );
    }

    /// The report's own pin at `p`. With `movable`, it can be dragged, or moved with the arrow
    /// keys while it has the focus; `moved` gets the new position after a drop or on Enter.
    pub fn pin(
        &self,
        p: LatLng,
        title: &str,
        movable: bool,
        moved: impl Fn(LatLng) + 'static,
    ) -> Pin {
        let icon = div_icon(&options(&[
            ("className", "report-pin".into()),
            ("html", "".into()),
            ("iconSize", Array::of2(&30.into(), &42.into()).into()),
            ("iconAnchor", Array::of2(&15.into(), &42.into()).into()),
        ]));
        let marker = leaflet_marker(
            &lat_lng(p),
            &options(&[
                ("icon", icon),
                ("title", title.into()),
                ("draggable", movable.into()),
                ("keyboard", movable.into()),
                ("autoPan", true.into()),
                ("zIndexOffset", 1000.into()),
            ]),
        )
        .add_to(&self.map);
        if movable {
            let moved = Rc::new(moved);
            let dropped = moved.clone();
            let pin = marker.clone();
            self.listen(&marker, "dragend", move |_| {
                dropped(to_lat_lng(&pin.get_lat_lng()))
            });
            let pin = marker.clone();
            let map = self.map.clone();
            self.listen(&marker, "keydown", move |e: JsValue| {
                let original =
                    Reflect::get(&e, &JsValue::from_str("originalEvent")).unwrap_or_default();
                let Some(k) = original.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                let now = to_lat_lng(&pin.get_lat_lng());
                // Metres per screen pixel at this zoom (Web Mercator).
                let m_per_px = 156_543.03 * now.lat.to_radians().cos() / 2f64.powf(map.get_zoom());
                let step = PIN_STEP_PX * m_per_px;
                let dlat = step / 111_320.0;
                let dlng = step / (111_320.0 * now.lat.to_radians().cos().max(0.01));
                let next = match k.key().as_str() {
                    "ArrowUp" => LatLng::new(now.lat + dlat, now.lng),
                    "ArrowDown" => LatLng::new(now.lat - dlat, now.lng),
                    "ArrowLeft" => LatLng::new(now.lat, now.lng - dlng),
                    "ArrowRight" => LatLng::new(now.lat, now.lng + dlng),
                    "Enter" => {
                        k.prevent_default();
                        moved(now);
                        return;
                    }
                    _ => return,
                };
                k.prevent_default();
                pin.set_lat_lng(&lat_lng(next));
            });
        }
        Pin { marker }
    }
}

/// A report's pin on a map.
pub struct Pin {
    marker: LeafletLayer,
}

impl Pin {
    /// Puts the pin at `p` (the saved position, or back there after a refused move).
    pub fn place(&self, p: LatLng) {
        self.marker.set_lat_lng(&lat_lng(p));
    }
}

impl ReportLayer {
    /// Shows `markers` (replacing those before), leaving out the report `except`.
    pub fn show(&self, markers: &[ReportMarker], lang: Lang, except: Option<&str>) {
        self.group.clear_layers();
        let layers = Array::new();
        for m in markers {
            if except == Some(m.reference.as_str()) {
                continue;
            }
            let icon = div_icon(&options(&[
                ("className", "report-marker".into()),
                ("html", marker_icon(m.status).into()),
                (
                    "iconSize",
                    Array::of2(&MARKER_PX.into(), &MARKER_PX.into()).into(),
                ),
            ]));
            let marker = leaflet_marker(
                &lat_lng(LatLng::new(m.lat, m.lng)),
                &options(&[
                    ("icon", icon),
                    ("title", marker_title(m, lang).into()),
                    ("riseOnHover", true.into()),
                    (REF_KEY, m.reference.as_str().into()),
                ]),
            );
            layers.push(&marker);
        }
        self.empty.set(layers.length() == 0);
        if self.clustered {
            self.group.add_layers(&layers);
        } else {
            for layer in layers.iter() {
                self.group.add_layer(layer.unchecked_ref());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_its_own_shape_and_colour() {
        let icons: Vec<String> = Status::PUBLIC.iter().map(|s| marker_icon(*s)).collect();
        for (i, a) in icons.iter().enumerate() {
            for b in &icons[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert!(icons[0].contains("#c62828") && icons[0].contains("M12 2 23 21H1Z"));
        assert!(icons[2].contains("<circle"));
        // Waiting for review: the red triangle, hollow.
        let pending = marker_icon(Status::PendingReview);
        assert!(pending.contains(r##"fill="#ffffff" stroke="#c62828""##));
    }

    #[test]
    fn a_markers_title_names_the_report() {
        let m = ReportMarker {
            reference: "M-2026-00001".into(),
            status: Status::InProgress,
            category_name: "Müll".into(),
            summary: "Säcke <am> Parkplatz".into(),
            lat: 50.0,
            lng: 9.0,
            address: Some("Waldweg 3".into()),
        };
        assert_eq!(
            marker_title(&m, Lang::De),
            "M-2026-00001: in Bearbeitung, Müll – Waldweg 3 – Säcke <am> Parkplatz"
        );
        assert_eq!(escape("<b>\"&"), "&lt;b&gt;&quot;&amp;");
    }
}
