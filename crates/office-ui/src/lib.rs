//! civickit's office page: officials log in, work the defect reports and mailbox messages of
//! their town, and administrators run polls, manage users, change settings and read the audit
//! log, and set up their town (the "Gemeinde" page). A full page served at `/office` (`target/dist/office/index.html`), with its own wasm
//! that citizens never download.
//!
//! The code map: `app` (the frame and what every page shares), `routes` (one URL per page),
//! `fetch` (the one way to the server), `api` (the calls and answers of the office API),
//! `components` (fields, action forms, the list with its detail, state chips), `pages` (one
//! module per page, composed from the components), `texts` (every word, German and English),
//! `browser` (what the page asks of the browser), `map` (Leaflet, loaded when a map is shown),
//! `geojson` (boundary files read in the browser).
//!
//! German by default, English with `?lang=en` or the switch in the header. Everything also
//! compiles natively (workspace clippy and unit tests); browser calls are only made in wasm.

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod fetch;
pub mod geojson;
pub mod map;
pub mod pages;
pub mod routes;
pub mod texts;

pub use app::App;

/// A text from the current language's table, picked when shown (so switching the language
/// re-renders it).
pub type Msg = fn(&'static texts::Texts) -> &'static str;

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}
