//! civickit's citizen widgets, compiled to WebAssembly and mounted by the loader `www/civic.js`
//! into an open shadow root of `<civic-reports>`, `<civic-mailbox>`, `<civic-poll>` or
//! `<civic-stats>`.
//!
//! One wasm per widget: each widget is a cargo feature of this crate, and crates/xtask builds
//! the crate once per feature (`--no-default-features --features reports`, …) into its own
//! `civic_<widget>_bg.wasm`. A page with only a mailbox therefore never downloads Leaflet
//! bindings or map code, and the shared parts (API client, texts) stay in one place.
//!
//! Everything here also compiles natively (the workspace's clippy and tests run natively);
//! browser calls simply are never made there.

pub mod api;
pub mod dom;
pub mod texts;

#[cfg(any(feature = "mailbox", feature = "reports"))]
pub mod draft;

#[cfg(any(feature = "mailbox", feature = "poll", feature = "reports"))]
pub mod challenge;

#[cfg(feature = "reports")]
pub mod reports;

#[cfg(any(
    feature = "mailbox",
    feature = "poll",
    feature = "reports",
    feature = "stats",
    test
))]
pub mod ui;

#[cfg(feature = "mailbox")]
pub mod mailbox;

#[cfg(feature = "poll")]
pub mod poll;

// Also in the native unit tests, which build only the default feature.
#[cfg(any(feature = "stats", test))]
pub mod stats;

use wasm_bindgen::prelude::*;

/// Mounts `<civic-reports>` into `target` (a div inside the element's shadow root). `host` is the
/// custom element itself (events are dispatched on it), `api_base` the loader's origin.
#[cfg(feature = "reports")]
#[wasm_bindgen]
pub fn mount_reports(
    target: web_sys::HtmlElement,
    host: web_sys::HtmlElement,
    api_base: String,
    tenant: String,
    lang: String,
) {
    let api = api::Api::new(api_base, tenant, &lang);
    reports::mount(target, host, api);
}

/// Mounts `<civic-mailbox>` (same arguments as [`mount_reports`]; `data-kind` is read from `host`).
#[cfg(feature = "mailbox")]
#[wasm_bindgen]
pub fn mount_mailbox(
    target: web_sys::HtmlElement,
    host: web_sys::HtmlElement,
    api_base: String,
    tenant: String,
    lang: String,
) {
    let api = api::Api::new(api_base, tenant, &lang);
    mailbox::mount(target, host, api);
}

/// Mounts `<civic-poll>` (same arguments as [`mount_reports`]; `data-poll` is read from `host`).
#[cfg(feature = "poll")]
#[wasm_bindgen]
pub fn mount_poll(
    target: web_sys::HtmlElement,
    host: web_sys::HtmlElement,
    api_base: String,
    tenant: String,
    lang: String,
) {
    let api = api::Api::new(api_base, tenant, &lang);
    poll::mount(target, host, api);
}

/// Mounts `<civic-stats>` (same arguments as [`mount_reports`]; `data-county` and
/// `data-source` are read from `host`, and `tenant` is empty for the county view).
#[cfg(feature = "stats")]
#[wasm_bindgen]
pub fn mount_stats(
    target: web_sys::HtmlElement,
    host: web_sys::HtmlElement,
    api_base: String,
    tenant: String,
    lang: String,
) {
    let api = api::Api::new(api_base, tenant, &lang);
    stats::mount(target, host, api);
}

/// Dispatches `CustomEvent(name, {bubbles: true, composed: true, detail})` on the widget's
/// host element, so that the host page hears it through the shadow boundary.
pub fn emit(host: &web_sys::HtmlElement, name: &str, detail: &[(&str, &str)]) {
    let object = js_sys::Object::new();
    for (key, value) in detail {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), &(*value).into());
    }
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&object);
    if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&ev);
    }
}

/// A random id for "Betrifft mich auch", kept in localStorage so that one browser counts once.
pub fn supporter_id() -> String {
    const KEY: &str = "civickit-supporter";
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let Some(id) = storage
        .as_ref()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .filter(|id| (8..=64).contains(&id.len()))
    {
        return id;
    }
    let id: String = (0..24)
        .map(|_| {
            let n = (js_sys::Math::random() * 36.0) as u32;
            char::from_digit(n.min(35), 36).unwrap_or('0')
        })
        .collect();
    if let Some(s) = storage {
        let _ = s.set_item(KEY, &id);
    }
    id
}
