//! A map in an office page: Leaflet loaded when the map is first shown, an outlined area and a
//! marked point that follow the page's signals. The map is never the only way: every page
//! that shows one also offers what it sets as fields (centre as numbers, area as a file with a
//! text summary), and a map that cannot load says so instead.

use crate::map::{load_leaflet, MapSetup, OfficeMap};
use civickit_model::LatLng;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use std::rc::Rc;

/// The page's hold on its map (empty until Leaflet is loaded and the map made).
#[derive(Clone, Copy)]
pub struct MapHandle(StoredValue<Option<Rc<OfficeMap>>, LocalStorage>);

impl MapHandle {
    pub fn new() -> MapHandle {
        MapHandle(StoredValue::new_local(None))
    }

    /// Holds the page's map (made by the page itself, e.g. with layers of reports).
    pub fn set(&self, map: Rc<OfficeMap>) {
        self.0.set_value(Some(map));
    }

    /// Runs `f` on the map if it is there.
    pub fn with<R>(&self, f: impl FnOnce(&OfficeMap) -> R) -> Option<R> {
        self.0
            .try_with_value(|m| m.as_ref().map(|m| f(m)))
            .flatten()
    }
}

impl Default for MapHandle {
    fn default() -> Self {
        MapHandle::new()
    }
}

/// The map. `area` is outlined (when it changes after the first drawing, the map moves to show
/// all of it, e.g. a freshly chosen boundary file); `point` is marked.
#[component]
pub fn MapView(
    setup: MapSetup,
    handle: MapHandle,
    #[prop(into)] area: Signal<Option<Value>>,
    #[prop(into)] point: Signal<Option<LatLng>>,
    /// Said in place of the map when Leaflet cannot load.
    #[prop(into)]
    unavailable: TextProp,
    #[prop(default = "map")] class: &'static str,
) -> impl IntoView {
    let el = NodeRef::<leptos::html::Div>::new();
    let ready = RwSignal::new(false);
    let failed = RwSignal::new(false);
    el.on_load(move |div| {
        spawn_local(async move {
            if !load_leaflet().await {
                failed.set(true);
                return;
            }
            let map = OfficeMap::new(&div, &setup);
            handle.0.set_value(Some(Rc::new(map)));
            ready.set(true);
        });
    });
    // The first drawing keeps the view the page asked for; a later area is brought into view.
    let drawn = StoredValue::new(false);
    Effect::new(move |_| {
        let area = area.get();
        if !ready.get() {
            return;
        }
        let fit = drawn.get_value();
        handle.with(|m| m.show_area(area.as_ref(), fit));
        drawn.set_value(true);
    });
    Effect::new(move |_| {
        let p = point.get();
        if ready.get() {
            handle.with(|m| m.show_point(p));
        }
    });
    view! {
        <div class=class node_ref=el></div>
        <p class="hint map-unavailable" role="status">
            {move || failed.get().then(|| unavailable.get())}
        </p>
    }
}
