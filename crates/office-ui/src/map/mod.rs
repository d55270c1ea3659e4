//! Leaflet for the office, bound by hand: the dozen calls the office's maps make, instead of
//! the `leaflet` crate the widgets use, so the office wasm stays inside its size budget.
//!
//! Leaflet is the widget bundle's own file (`/widgets/leaflet-full.js` and `leaflet.css`,
//! Leaflet 1.9.4's complete build from www/node_modules; citizens get a smaller build of only
//! what their widget uses, which lacks GeoJSON, SVG paths and what markercluster needs): loaded from our origin, and only when a page with a map opens, so
//! officials who never open one never download it. Tiles come from the same URLs the widgets
//! use (see [`tile_template`]): our server, never a third party. The reports on the office's
//! maps (markers in clusters, the draggable pin) are in `reports.rs`; leaflet.markercluster
//! comes from the office's own assets, loaded with the first map of reports.

mod reports;

pub use reports::{marker_icon, Pin, ReportLayer};

use civickit_model::LatLng;
use js_sys::{Array, Object, Reflect};
use serde_json::Value;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `L.Map`.
    #[derive(Clone)]
    pub type LeafletMap;
    #[wasm_bindgen(js_namespace = L, js_name = map)]
    fn leaflet_map(el: &web_sys::HtmlElement, options: &JsValue) -> LeafletMap;
    #[wasm_bindgen(method, js_name = setView)]
    fn set_view(this: &LeafletMap, center: &Array, zoom: f64) -> LeafletMap;
    #[wasm_bindgen(method, js_name = getCenter)]
    fn get_center(this: &LeafletMap) -> JsValue;
    #[wasm_bindgen(method, js_name = getZoom)]
    fn get_zoom(this: &LeafletMap) -> f64;
    #[wasm_bindgen(method, js_name = fitBounds)]
    fn fit_bounds(this: &LeafletMap, bounds: &JsValue);
    #[wasm_bindgen(method, js_name = fitBounds)]
    fn fit_bounds_with(this: &LeafletMap, bounds: &JsValue, options: &JsValue);
    #[wasm_bindgen(method, js_name = invalidateSize)]
    fn invalidate_size(this: &LeafletMap);
    #[wasm_bindgen(method, js_name = getContainer)]
    fn get_container(this: &LeafletMap) -> web_sys::Element;
    #[wasm_bindgen(method, js_name = getBounds)]
    fn map_bounds(this: &LeafletMap) -> LatLngBounds;
    #[wasm_bindgen(method, js_name = on)]
    fn map_on(this: &LeafletMap, events: &str, f: &js_sys::Function);
    #[wasm_bindgen(method, js_name = off)]
    fn map_off(this: &LeafletMap);

    /// `L.LatLngBounds`.
    type LatLngBounds;
    #[wasm_bindgen(method, js_name = toBBoxString)]
    fn to_bbox_string(this: &LatLngBounds) -> String;

    /// `L.Layer` (tiles, GeoJSON, circle marker, markers and their groups).
    #[derive(Clone)]
    pub type LeafletLayer;
    #[wasm_bindgen(js_namespace = L, js_name = tileLayer)]
    fn tile_layer(url: &str, options: &JsValue) -> LeafletLayer;
    #[wasm_bindgen(js_namespace = L, js_name = geoJSON)]
    fn geo_json(data: &JsValue, options: &JsValue) -> LeafletLayer;
    #[wasm_bindgen(js_namespace = L, js_name = circleMarker)]
    fn circle_marker(at: &Array, options: &JsValue) -> LeafletLayer;
    #[wasm_bindgen(method, js_name = addTo)]
    fn add_to(this: &LeafletLayer, map: &LeafletMap) -> LeafletLayer;
    #[wasm_bindgen(method, js_name = getBounds)]
    fn layer_bounds(this: &LeafletLayer) -> JsValue;
    #[wasm_bindgen(method, js_name = remove)]
    fn remove_layer(this: &LeafletLayer);
    #[wasm_bindgen(method, js_name = setLatLng)]
    fn set_lat_lng(this: &LeafletLayer, at: &Array);
    #[wasm_bindgen(method, js_name = getLatLng)]
    fn get_lat_lng(this: &LeafletLayer) -> JsValue;

    /// `L.marker`, `L.divIcon`, groups of layers and `L.markerClusterGroup` (the plugin).
    #[wasm_bindgen(js_namespace = L, js_name = marker)]
    fn leaflet_marker(at: &Array, options: &JsValue) -> LeafletLayer;
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = L, js_name = featureGroup)]
    fn feature_group() -> LeafletLayer;
    #[wasm_bindgen(js_namespace = L, js_name = markerClusterGroup)]
    fn marker_cluster_group(options: &JsValue) -> LeafletLayer;
    #[wasm_bindgen(method, js_name = addLayer)]
    fn add_layer(this: &LeafletLayer, layer: &LeafletLayer);
    #[wasm_bindgen(method, js_name = addLayers)]
    fn add_layers(this: &LeafletLayer, layers: &Array);
    #[wasm_bindgen(method, js_name = clearLayers)]
    fn clear_layers(this: &LeafletLayer);
    #[wasm_bindgen(method, js_name = on)]
    fn layer_on(this: &LeafletLayer, events: &str, f: &js_sys::Function);
}

/// The tile URL template for a town, by the server's rule (`http::tiles::widget_tile_url`): a
/// server-relative template as it is, an external tile server through our caching proxy.
pub fn tile_template(slug: &str, tile_url: &str) -> String {
    if tile_url.starts_with("http://") || tile_url.starts_with("https://") {
        format!("/tiles/{slug}/{{z}}/{{x}}/{{y}}")
    } else {
        tile_url.to_string()
    }
}

/// How a map starts.
#[derive(Debug, Clone, PartialEq)]
pub struct MapSetup {
    /// From [`tile_template`].
    pub tiles: String,
    pub attribution: String,
    pub center: LatLng,
    pub zoom: f64,
    /// The map's accessible name.
    pub label: String,
}

/// A JS callback Leaflet holds on to.
type Listener = Closure<dyn FnMut(JsValue)>;

/// A Leaflet map in the office with one outlined area and one marked point (and, through
/// `reports.rs`, reports and a pin).
pub struct OfficeMap {
    map: LeafletMap,
    area: RefCell<Option<LeafletLayer>>,
    point: RefCell<Option<LeafletLayer>>,
    /// Callbacks Leaflet holds; they live as long as the map.
    listeners: RefCell<Vec<Listener>>,
}

impl Drop for OfficeMap {
    /// The page is gone: the map's listeners go before the callbacks they would call are
    /// freed. Not `map.remove()`: a zoom animation still running then ends on panes that are
    /// gone and throws (Leaflet 1.9's `_onZoomTransitionEnd` after `remove`); the layers'
    /// listeners only answer DOM events of elements that are gone with the page.
    fn drop(&mut self) {
        self.map.map_off();
    }
}

/// Reads `key` of a JS object as a number (NaN if it is none).
fn number(v: &JsValue, key: &str) -> f64 {
    Reflect::get(v, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN)
}

/// A Leaflet `LatLng` as ours.
fn to_lat_lng(v: &JsValue) -> LatLng {
    LatLng::new(number(v, "lat"), number(v, "lng"))
}

fn lat_lng(p: LatLng) -> Array {
    Array::of2(&p.lat.into(), &p.lng.into())
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(key), value);
    }
    o.into()
}

impl OfficeMap {
    /// Creates the map in `el`; Leaflet must be loaded ([`load_leaflet`]).
    pub fn new(el: &web_sys::HtmlElement, setup: &MapSetup) -> OfficeMap {
        let map = leaflet_map(el, &options(&[("maxZoom", 19.into())]));
        map.set_view(&lat_lng(setup.center), setup.zoom);
        // Leaflet makes the container focusable (arrows pan, +/- zoom); name it for readers.
        let container = map.get_container();
        let _ = container.set_attribute("aria-label", &setup.label);
        let _ = container.set_attribute("role", "application");
        tile_layer(
            &setup.tiles,
            &options(&[
                ("attribution", setup.attribution.as_str().into()),
                ("maxZoom", 19.into()),
            ]),
        )
        .add_to(&map);
        OfficeMap {
            map,
            area: RefCell::new(None),
            point: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
        }
    }

    /// Calls `f` after every move or zoom of the map (panned, zoomed, `set_view`).
    pub fn on_moved(&self, f: impl Fn() + 'static) {
        let listener = Closure::<dyn FnMut(JsValue)>::new(move |_| f());
        self.map
            .map_on("moveend", listener.as_ref().unchecked_ref());
        self.listeners.borrow_mut().push(listener);
    }

    /// What the map shows now, as `west,south,east,north` within WGS84's ranges (zoomed far
    /// out, Leaflet's view reaches past ±180°, which the server rightly refuses).
    pub fn bbox(&self) -> String {
        clamp_bbox(&self.map.map_bounds().to_bbox_string())
    }

    /// Outlines a GeoJSON geometry (replacing the one before); with `fit`, the map moves so
    /// that all of it is in view.
    pub fn show_area(&self, geometry: Option<&Value>, fit: bool) {
        if let Some(old) = self.area.borrow_mut().take() {
            old.remove_layer();
        }
        let Some(data) = geometry.and_then(|g| js_sys::JSON::parse(&g.to_string()).ok()) else {
            return;
        };
        let style = options(&[
            ("color", "#1565c0".into()),
            ("weight", 3.into()),
            ("fillOpacity", 0.12.into()),
            ("interactive", false.into()),
            ("className", "map-area".into()),
        ]);
        let layer = geo_json(&data, &options(&[("style", style)])).add_to(&self.map);
        if fit {
            self.map.fit_bounds(&layer.layer_bounds());
        }
        *self.area.borrow_mut() = Some(layer);
    }

    /// Marks one point (the town's centre).
    pub fn show_point(&self, p: Option<LatLng>) {
        let Some(p) = p.filter(LatLng::is_valid) else {
            if let Some(old) = self.point.borrow_mut().take() {
                old.remove_layer();
            }
            return;
        };
        let mut point = self.point.borrow_mut();
        match point.as_ref() {
            Some(marker) => marker.set_lat_lng(&lat_lng(p)),
            None => {
                let style = options(&[
                    ("radius", 7.into()),
                    ("color", "#b71c1c".into()),
                    ("fillOpacity", 0.9.into()),
                    ("interactive", false.into()),
                    ("className", "map-point".into()),
                ]);
                *point = Some(circle_marker(&lat_lng(p), &style).add_to(&self.map));
            }
        }
    }

    /// The centre and zoom the map shows now.
    pub fn view(&self) -> (LatLng, i64) {
        (
            to_lat_lng(&self.map.get_center()),
            self.map.get_zoom().round() as i64,
        )
    }

    pub fn set_view(&self, center: LatLng, zoom: f64) {
        self.map.set_view(&lat_lng(center), zoom);
    }

    /// After the map's box changed size (e.g. shown after being hidden).
    pub fn refresh(&self) {
        self.map.invalidate_size();
    }
}

/// `west,south,east,north` with each number held inside the WGS84 ranges.
fn clamp_bbox(bbox: &str) -> String {
    let limits = [180.0, 90.0, 180.0, 90.0];
    bbox.split(',')
        .zip(limits)
        .map(|(n, limit)| {
            let n: f64 = n.trim().parse().unwrap_or(0.0);
            format!("{}", n.clamp(-limit, limit))
        })
        .collect::<Vec<_>>()
        .join(",")
}

thread_local! {
    /// Leaflet's loading, started once per page.
    static LOADING: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// Loads Leaflet's script and stylesheet from our origin (once; later calls wait for the same
/// load). False if it could not be loaded; the pages then offer the number fields alone.
pub async fn load_leaflet() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        let window = web_sys::window().expect("a window");
        if Reflect::has(&window, &JsValue::from_str("L")).unwrap_or(false) {
            return true;
        }
        let promise = LOADING.with(|l| l.borrow_mut().get_or_insert_with(start_loading).clone());
        wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = LOADING.with(|l| l.borrow().is_some());
        false
    }
}

thread_local! {
    /// leaflet.markercluster's loading, started once per page.
    static CLUSTER: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// Loads Leaflet and then leaflet.markercluster (the office's own copy). False if the plugin
/// could not be loaded: the maps then show every marker unclustered.
pub async fn load_clusters() -> bool {
    if !load_leaflet().await {
        return false;
    }
    #[cfg(target_arch = "wasm32")]
    {
        let promise = CLUSTER.with(|l| {
            l.borrow_mut()
                .get_or_insert_with(|| {
                    load_files(
                        "/office/assets/MarkerCluster.css",
                        "/office/assets/leaflet.markercluster.js",
                    )
                })
                .clone()
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = CLUSTER.with(|l| l.borrow().is_some());
        false
    }
}

/// Whether leaflet.markercluster is there (`L.markerClusterGroup`).
fn clusters_loaded() -> bool {
    let l = Reflect::get(&js_sys::global(), &JsValue::from_str("L")).unwrap_or(JsValue::UNDEFINED);
    !l.is_undefined() && Reflect::has(&l, &JsValue::from_str("markerClusterGroup")).unwrap_or(false)
}

/// Adds `<link>` and `<script>` for Leaflet and answers a promise of both loaded. The CSS must
/// be in before the map is made: Leaflet measures its container once, at creation.
#[cfg(target_arch = "wasm32")]
fn start_loading() -> js_sys::Promise {
    load_files("/widgets/leaflet.css", "/widgets/leaflet-full.js")
}

/// Adds a stylesheet and a script to the page; the promise settles when both are loaded.
#[cfg(target_arch = "wasm32")]
fn load_files(css: &str, js: &str) -> js_sys::Promise {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let load = |tag: &str, attrs: &[(&str, &str)]| -> js_sys::Promise {
        let el = document.create_element(tag).expect("an element");
        for (k, v) in attrs {
            let _ = el.set_attribute(k, v);
        }
        let el2 = el.clone();
        let promise = js_sys::Promise::new(&mut move |resolve, reject| {
            el2.add_event_listener_with_callback("load", &resolve).ok();
            el2.add_event_listener_with_callback("error", &reject).ok();
        });
        if let Some(head) = document.head() {
            let _ = head.append_child(&el);
        }
        promise
    };
    let css = load("link", &[("rel", "stylesheet"), ("href", css)]);
    let js = load("script", &[("src", js)]);
    js_sys::Promise::all(&Array::of2(&css, &js))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_past_the_date_line_is_held_to_wgs84() {
        assert_eq!(clamp_bbox("-200.5,-91,9.7,50.6"), "-180,-90,9.7,50.6");
        assert_eq!(clamp_bbox("9.6,50.5,9.7,50.6"), "9.6,50.5,9.7,50.6");
    }

    #[test]
    fn external_tile_servers_go_through_our_proxy() {
        assert_eq!(
            tile_template(
                "kleinhausen",
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
            ),
            "/tiles/kleinhausen/{z}/{x}/{y}"
        );
        assert_eq!(
            tile_template("musterstadt", "/tiles/{z}/{x}/{y}.svg"),
            "/tiles/{z}/{x}/{y}.svg"
        );
    }
}
