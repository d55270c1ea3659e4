//! The Leaflet side of `<civic-reports>`: the map, one canvas layer with a shape per report
//! (colour AND shape per state, WCAG 1.4.1), counted circles for clusters, the draggable pin
//! and the keyboard crosshair.
//!
//! Single reports are canvas paths, not DOM markers: up to 300 of them per answer. Leaflet's
//! canvas renderer draws circles and polygons; the triangle, diamond and square are polygons
//! sized in screen pixels, recomputed when the zoom changes. Clusters are DOM markers (at most
//! one per 64-px cell, so a few hundred at most): each must be reachable with Tab and carry its
//! counts in words, which a canvas cannot.

use super::tiles::TileRange;
use crate::dom::El;
use civickit_model::api::widget::{MapCluster, MapPoint};
use civickit_model::{LatLng, Marker, Status};
use js_sys::{Array, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &JsValue) -> JsValue;
    /// `L.Map` for what the `leaflet` crate lacks.
    type MapMore;
    /// The view in world pixels at the current zoom.
    #[wasm_bindgen(method, js_name = getPixelBounds)]
    fn get_pixel_bounds(this: &MapMore) -> JsValue;
}

/// Radius of a report marker in CSS pixels (the shapes have about the same area).
const MARKER_RADIUS_PX: f64 = 9.0;

/// A JS callback Leaflet or the DOM holds on to.
type Listener = Closure<dyn FnMut(JsValue)>;

pub struct MapView {
    map: leaflet::Map,
    markers: leaflet::FeatureGroup,
    clusters: leaflet::FeatureGroup,
    renderer: leaflet::Canvas,
    pin: RefCell<Option<leaflet::Marker>>,
    drawn: RefCell<Vec<MapPoint>>,
    drawn_clusters: RefCell<Vec<MapCluster>>,
    /// Closures Leaflet holds on to; they live as long as the map.
    closures: RefCell<Vec<Listener>>,
}

fn set(obj: &JsValue, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn ll(p: LatLng) -> leaflet::LatLng {
    leaflet::LatLng::new(p.lat, p.lng)
}

/// Is Leaflet (the global `L` the loader puts there before the wasm) present?
pub fn leaflet_available() -> bool {
    web_sys::window().is_some_and(|w| Reflect::has(&w, &JsValue::from_str("L")).unwrap_or(false))
}

/// The few transcendental functions the Mercator projection needs. In the browser they are
/// JavaScript's `Math` (imports of a few bytes): Rust's own (libm's `sin` with its argument
/// reduction tables, `sinh`, `atan`, `pow`, `ln`) were about 9 KB of wasm, 4 KB gzipped.
#[cfg(target_arch = "wasm32")]
mod math {
    pub use js_sys::Math::{atan, log as ln, pow, sin, sinh};
}
#[cfg(not(target_arch = "wasm32"))]
mod math {
    pub fn atan(x: f64) -> f64 {
        x.atan()
    }
    pub fn ln(x: f64) -> f64 {
        x.ln()
    }
    pub fn pow(x: f64, y: f64) -> f64 {
        x.powf(y)
    }
    pub fn sin(x: f64) -> f64 {
        x.sin()
    }
    pub fn sinh(x: f64) -> f64 {
        x.sinh()
    }
}

/// Web Mercator: world pixel coordinates at `zoom` and back, for pixel-sized shapes.
pub(super) fn project(p: LatLng, zoom: f64) -> (f64, f64) {
    let size = 256.0 * math::pow(2.0, zoom);
    let x = (p.lng + 180.0) / 360.0 * size;
    let s = math::sin(p.lat.to_radians()).clamp(-0.9999, 0.9999);
    let y = (0.5 - math::ln((1.0 + s) / (1.0 - s)) / (4.0 * std::f64::consts::PI)) * size;
    (x, y)
}

pub(super) fn unproject(x: f64, y: f64, zoom: f64) -> LatLng {
    let size = 256.0 * math::pow(2.0, zoom);
    let lng = x / size * 360.0 - 180.0;
    let n = std::f64::consts::PI - 2.0 * std::f64::consts::PI * y / size;
    let lat = math::atan(math::sinh(n)).to_degrees();
    LatLng::new(lat, lng)
}

/// The corners of a marker shape around `p` at `zoom`, in screen-pixel offsets.
pub fn shape_corners(marker: Marker, p: LatLng, zoom: f64) -> Vec<LatLng> {
    let r = MARKER_RADIUS_PX;
    let offsets: &[(f64, f64)] = match marker {
        Marker::Triangle => &[(0.0, -1.25), (1.15, 0.85), (-1.15, 0.85)],
        Marker::Diamond => &[(0.0, -1.2), (1.2, 0.0), (0.0, 1.2), (-1.2, 0.0)],
        Marker::Square => &[(-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)],
        Marker::Circle => &[],
    };
    let (x, y) = project(p, zoom);
    offsets
        .iter()
        .map(|(dx, dy)| unproject(x + dx * r, y + dy * r, zoom))
        .collect()
}

impl MapView {
    /// Creates the map inside `el` (a div in the shadow root: `getElementById` cannot see it).
    pub fn new(
        el: &web_sys::HtmlElement,
        cfg: &civickit_model::api::widget::Config,
        map_label: &str,
    ) -> Result<Rc<MapView>, JsValue> {
        if !leaflet_available() {
            return Err(JsValue::from_str("Leaflet is not loaded"));
        }
        let options = leaflet::MapOptions::new();
        options.set_center(ll(cfg.map.center));
        options.set_zoom(cfg.map.zoom as f64);
        options.set_min_zoom(cfg.map.min_zoom as f64);
        options.set_max_zoom(cfg.map.max_zoom as f64);
        options.set_prefer_canvas(true);
        let map = leaflet::Map::new_with_element(el, &options)?;
        // Leaflet makes the container focusable; give it a name for screen readers.
        let container: JsValue = map.clone().into();
        let container = get(&container, "_container");
        if let Some(c) = container.dyn_ref::<web_sys::Element>() {
            let _ = c.set_attribute("aria-label", map_label);
            let _ = c.set_attribute("role", "application");
        }

        let tile_options = leaflet::TileLayerOptions::new();
        tile_options.set_attribution(cfg.tiles.attribution.clone());
        tile_options.set_max_zoom(cfg.map.max_zoom as f64);
        leaflet::TileLayer::new_options(&cfg.tiles.url, &tile_options).add_to(&map);

        let canvas_options = leaflet::CanvasOptions::new();
        canvas_options.set_padding(0.5);
        canvas_options.set_tolerance(6.0);
        let renderer = leaflet::Canvas::with_options(&canvas_options);

        if cfg.map.area.is_valid() {
            // Leaflet draws nested lists as a multipolygon: parts, each its outer ring and holes.
            let ring = |r: &Vec<LatLng>| -> JsValue {
                r.iter()
                    .map(|p| JsValue::from(ll(*p)))
                    .collect::<Array>()
                    .into()
            };
            let parts = cfg.map.area.polygons.iter();
            let ring: Array = parts
                .map(|p| -> JsValue {
                    let rings = std::iter::once(&p.outer).chain(&p.holes);
                    rings.map(ring).collect::<Array>().into()
                })
                .collect();
            let style = leaflet::PolylineOptions::new();
            style.set_color("#37474f".into());
            style.set_weight(2.0);
            style.set_dash_array("6 6".into());
            style.set_fill(false);
            style.set_interactive(false);
            set(&style, "renderer", renderer.clone());
            leaflet::Polygon::new_with_options(&ring, &style).add_to(&map);
        }
        let markers = leaflet::FeatureGroup::new();
        markers.add_to(&map);
        let clusters = leaflet::FeatureGroup::new();
        clusters.add_to(&map);
        Ok(Rc::new(MapView {
            map,
            markers,
            clusters,
            renderer,
            pin: RefCell::new(None),
            drawn: RefCell::new(Vec::new()),
            drawn_clusters: RefCell::new(Vec::new()),
            closures: RefCell::new(Vec::new()),
        }))
    }

    fn on(&self, target: &JsValue, event: &str, f: impl FnMut(JsValue) + 'static) {
        let closure = Closure::<dyn FnMut(JsValue)>::new(f);
        target
            .unchecked_ref::<leaflet::Evented>()
            .on(event, closure.as_ref());
        self.closures.borrow_mut().push(closure);
    }

    /// Calls `f` with the tiles the map shows, now and after every move; with `None` while the
    /// map has no size (its element hidden, e.g. the list view chosen before the map first
    /// showed): Leaflet's bounds are then a single point.
    pub fn on_view_change(self: &Rc<Self>, f: impl Fn(Option<TileRange>) + 'static) {
        let f = Rc::new(f);
        let me = Rc::downgrade(self);
        let g = f.clone();
        self.on(&self.map.clone().into(), "moveend", move |_| {
            if let Some(me) = me.upgrade() {
                g(me.tiles());
            }
        });
        let me = Rc::downgrade(self);
        self.on(&self.map.clone().into(), "zoomend", move |_| {
            if let Some(me) = me.upgrade() {
                me.draw_shapes(&me.drawn.borrow());
            }
        });
        f(self.tiles());
    }

    /// The tiles under the view at the map's (integer) zoom, by Leaflet's own projection.
    fn tiles(&self) -> Option<TileRange> {
        let b = self.map.unchecked_ref::<MapMore>().get_pixel_bounds();
        let at = |corner: &str| {
            let p = get(&b, corner);
            let n = |k: &str| get(&p, k).as_f64().unwrap_or(0.0);
            (n("x"), n("y"))
        };
        TileRange::covering(self.zoom() as u32, at("min"), at("max"))
    }

    pub fn zoom(&self) -> f64 {
        self.map.get_zoom().floor()
    }

    pub fn max_zoom(&self) -> f64 {
        self.map.get_max_zoom()
    }

    /// `aria-busy` on the map while its reports are loading (screen readers wait; tests and
    /// the browser figure read when the answer is drawn).
    pub fn busy(&self, busy: bool) {
        if let Some(c) = self.container() {
            let _ = c.set_attribute("aria-busy", if busy { "true" } else { "false" });
        }
    }

    fn container(&self) -> Option<web_sys::HtmlElement> {
        get(&self.map.clone().into(), "_container").dyn_into().ok()
    }

    pub fn center(&self) -> LatLng {
        let c = self.map.get_center();
        LatLng::new(c.lat(), c.lng())
    }

    /// Clicks and taps on the map (not on markers): `f(position)`.
    pub fn on_click(&self, f: impl Fn(LatLng) + 'static) {
        self.on(&self.map.clone().into(), "click", move |e| {
            let p = get(&e, "latlng");
            let (lat, lng) = (get(&p, "lat").as_f64(), get(&p, "lng").as_f64());
            if let (Some(lat), Some(lng)) = (lat, lng) {
                f(LatLng::new(lat, lng));
            }
        });
    }

    /// Enter on the focused map itself: `f(centre)` (the crosshair sits in the centre; Leaflet's
    /// own keyboard handler moves the map under it with the arrow keys). Enter or Space on a
    /// focused cluster clicks it.
    pub fn on_keys(self: &Rc<Self>, f: impl Fn(LatLng) + 'static) {
        let me = Rc::downgrade(self);
        let closure = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let (Some(e), Some(me)) = (e.dyn_ref::<web_sys::KeyboardEvent>(), me.upgrade()) else {
                return;
            };
            let key = e.key();
            let Some(target) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                return;
            };
            if target.class_list().contains("civic-cluster-icon") {
                // Leaflet's markers take the focus but not the keys: a click on it, which
                // Leaflet hands to the cluster layer's click handler.
                if key == "Enter" || key == " " {
                    e.prevent_default();
                    target.click();
                }
            } else if key == "Enter" && me.container().is_some_and(|c| c == target) {
                e.prevent_default();
                f(me.center());
            }
        });
        if let Some(c) = self.container() {
            let _ = c.add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref());
        }
        self.closures.borrow_mut().push(closure);
    }

    /// Clicks on a report marker: `f(report)`.
    pub fn on_marker_click(self: &Rc<Self>, f: impl Fn(&MapPoint) + 'static) {
        let me = Rc::downgrade(self);
        self.on(&self.markers.clone().into(), "click", move |e| {
            let Some(me) = me.upgrade() else { return };
            if let Some(r) = index(&e).and_then(|i| me.drawn.borrow().get(i).cloned()) {
                f(&r);
            }
        });
    }

    /// Clicks on a cluster: `f(cluster)`.
    pub fn on_cluster_click(self: &Rc<Self>, f: impl Fn(&MapCluster) + 'static) {
        let me = Rc::downgrade(self);
        self.on(&self.clusters.clone().into(), "click", move |e| {
            let Some(me) = me.upgrade() else { return };
            if let Some(c) = index(&e).and_then(|i| me.drawn_clusters.borrow().get(i).cloned()) {
                f(&c);
            }
        });
    }

    /// Draws an answer: `points` as coloured shapes, `clusters` as counted circles named by
    /// `name`, replacing what was there.
    pub fn draw(
        &self,
        points: Vec<MapPoint>,
        clusters: Vec<MapCluster>,
        name: impl Fn(&MapCluster) -> String,
    ) {
        self.draw_shapes(&points);
        *self.drawn.borrow_mut() = points;
        self.clusters.clear_layers();
        for (i, c) in clusters.iter().enumerate() {
            let label = name(c);
            let marker = cluster_marker(c, &label, i);
            self.clusters.add_layer(&marker);
            // The icon exists once the marker is on the map: name it for screen readers (Leaflet
            // made it a focusable `role=button`).
            if let Ok(icon) = get(&marker, "_icon").dyn_into::<web_sys::Element>() {
                let _ = icon.set_attribute("aria-label", &label);
            }
        }
        *self.drawn_clusters.borrow_mut() = clusters;
    }

    fn draw_shapes(&self, reports: &[MapPoint]) {
        self.markers.clear_layers();
        let zoom = self.map.get_zoom();
        for (i, r) in reports.iter().enumerate() {
            let p = LatLng::new(r.lat, r.lng);
            let style = leaflet::PolylineOptions::new();
            let status = if r.status.is_public() {
                r.status
            } else {
                Status::Received
            };
            style.set_color("#ffffff".into());
            style.set_weight(2.0);
            style.set_opacity(1.0);
            style.set_fill(true);
            style.set_fill_color(status.light().hex().into());
            style.set_fill_opacity(1.0);
            set(&style, "renderer", self.renderer.clone());
            set(&style, "civicIndex", i as f64);
            let layer: leaflet::Layer = match status.marker() {
                Marker::Circle => {
                    set(&style, "radius", MARKER_RADIUS_PX);
                    leaflet::CircleMarker::new_with_options(&ll(p), &style).unchecked_into()
                }
                shape => {
                    let corners: Array = shape_corners(shape, p, zoom)
                        .into_iter()
                        .map(|c| JsValue::from(ll(c)))
                        .collect();
                    leaflet::Polygon::new_with_options(&corners, &style).into()
                }
            };
            self.markers.add_layer(&layer);
        }
    }

    /// Opens a popup with `content` (a DOM node built from text nodes) at `p`.
    pub fn popup(&self, content: &web_sys::Element, p: LatLng) {
        self.map.open_popup_with_content(content, &ll(p));
    }

    pub fn close_popup(&self) {
        let m: JsValue = self.map.clone().into();
        if let Ok(f) = get(&m, "closePopup").dyn_into::<js_sys::Function>() {
            let _ = f.call0(&m);
        }
    }

    /// Shows the draggable pin at `p` (creating it on first use); `on_drag(position)` after a drag.
    pub fn show_pin(&self, p: LatLng, title: &str, on_drag: impl Fn(LatLng) + 'static) {
        if let Some(pin) = self.pin.borrow().as_ref() {
            pin.set_lat_lng(&ll(p));
            if !self.map.has_layer(pin) {
                pin.add_to(&self.map);
            }
            return;
        }
        // `leaflet::DivIcon::new` constructs an `L.Icon` (js_name bug in leaflet 0.5), which
        // throws without an image URL; build the div icon through `L.divIcon` directly.
        let icon_options = js_sys::Object::new();
        set(&icon_options, "className", "civic-pin");
        set(&icon_options, "html", "");
        set(
            &icon_options,
            "iconSize",
            Array::of2(&30.into(), &42.into()),
        );
        set(
            &icon_options,
            "iconAnchor",
            Array::of2(&15.into(), &42.into()),
        );
        let options = leaflet::MarkerOptions::new();
        set(&options, "icon", div_icon(&icon_options));
        options.set_draggable(true);
        options.set_title(title.to_string());
        options.set_alt(title.to_string());
        options.set_keyboard(false);
        options.set_z_index_offset(1000.0);
        let pin = leaflet::Marker::new_with_options(&ll(p), &options);
        pin.add_to(&self.map);
        let moved = pin.clone();
        self.on(&pin.clone().into(), "dragend", move |_| {
            let c = moved.get_lat_lng();
            on_drag(LatLng::new(c.lat(), c.lng()));
        });
        *self.pin.borrow_mut() = Some(pin);
    }

    pub fn hide_pin(&self) {
        if let Some(pin) = self.pin.borrow().as_ref() {
            pin.remove();
        }
    }

    /// Centres the map on `p` at `zoom` (Leaflet keeps it within the map's zoom limits).
    pub fn set_view(&self, p: LatLng, zoom: f64) {
        self.map.set_view(&ll(p), zoom);
    }

    pub fn pan_to(&self, p: LatLng) {
        self.map.pan_to(&ll(p));
    }

    /// Leaflet must measure its container again after it was hidden (list view).
    pub fn refresh_size(&self) {
        self.map.invalidate_size(false);
    }

    pub fn focus(&self) {
        if let Some(c) = self.container() {
            let _ = c.focus();
        }
    }
}

/// The `civicIndex` option of the layer a Leaflet event is about.
fn index(e: &JsValue) -> Option<usize> {
    let i = get(&get(&get(e, "layer"), "options"), "civicIndex").as_f64()?;
    Some(i as usize)
}

/// A counted circle: the number in a white disc, ringed by the states' colours in proportion
/// (received, in progress, resolved, closed); larger with more digits. The counts in words are
/// its accessible name and its tooltip, so no colour carries meaning alone (WCAG 1.4.1).
fn cluster_marker(c: &MapCluster, label: &str, index: usize) -> leaflet::Marker {
    let n = c.count();
    let size = 30 + 6 * n.to_string().len() as u32;
    let ring = El::new("div")
        .class("civic-cluster")
        .child(El::new("span").text(&n.to_string()))
        .0;
    if let Some(ring) = ring.dyn_ref::<web_sys::HtmlElement>() {
        // Through the CSSOM, which a page's Content-Security-Policy allows (a `style` attribute
        // it would block).
        let _ = ring
            .style()
            .set_property("background", &ring_gradient(&c.counts));
    }
    let icon_options = js_sys::Object::new();
    set(&icon_options, "className", "civic-cluster-icon");
    set(&icon_options, "html", ring);
    let size = Array::of2(&size.into(), &size.into());
    set(&icon_options, "iconSize", size);
    let options = leaflet::MarkerOptions::new();
    set(&options, "icon", div_icon(&icon_options));
    options.set_title(label.to_string());
    set(&options, "civicIndex", index as f64);
    leaflet::Marker::new_with_options(&ll(LatLng::new(c.lat, c.lng)), &options)
}

/// `conic-gradient(#c62828 0deg 43deg,#b26a00 43deg 360deg)`: each state's share of the ring.
fn ring_gradient(counts: &[u32; 4]) -> String {
    let total = counts.iter().map(|n| u64::from(*n)).sum::<u64>().max(1);
    let (mut at, mut css) = (0u64, String::from("conic-gradient("));
    for (status, n) in Status::PUBLIC.iter().zip(counts) {
        if *n == 0 {
            continue;
        }
        // Whole degrees, formatted as u32 (a u64's formatting would be more wasm).
        let from = (at * 360 / total) as u32;
        at += u64::from(*n);
        let to = (at * 360 / total) as u32;
        if !css.ends_with('(') {
            css.push(',');
        }
        css.push_str(&format!("{} {from}deg {to}deg", status.light().hex()));
    }
    css.push(')');
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_round_trip() {
        let p = LatLng::new(50.552, 9.677);
        let (x, y) = project(p, 15.0);
        let q = unproject(x, y, 15.0);
        assert!((p.lat - q.lat).abs() < 1e-9 && (p.lng - q.lng).abs() < 1e-9);
    }

    #[test]
    fn a_cluster_ring_gives_each_state_its_share() {
        assert_eq!(
            ring_gradient(&[1, 0, 2, 1]),
            "conic-gradient(#c62828 0deg 90deg,#2e7d32 90deg 270deg,#616161 270deg 360deg)"
        );
        assert_eq!(
            ring_gradient(&[0, 5, 0, 0]),
            "conic-gradient(#b26a00 0deg 360deg)"
        );
        // A share too small for a whole degree still has its place in the list.
        assert_eq!(
            ring_gradient(&[1, 999, 0, 0]),
            "conic-gradient(#c62828 0deg 0deg,#b26a00 0deg 360deg)"
        );
    }

    #[test]
    fn shapes_have_their_corners_around_the_point() {
        let p = LatLng::new(50.552, 9.677);
        assert_eq!(shape_corners(Marker::Triangle, p, 15.0).len(), 3);
        assert_eq!(shape_corners(Marker::Diamond, p, 15.0).len(), 4);
        assert_eq!(shape_corners(Marker::Square, p, 15.0).len(), 4);
        for c in shape_corners(Marker::Square, p, 15.0) {
            let d = p.distance_m(&c);
            assert!(d > 1.0 && d < 100.0, "{d}");
        }
    }
}
