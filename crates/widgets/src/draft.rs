//! Drafts that survive a reload: what a citizen typed into a form, kept in the host page's
//! `sessionStorage` (this tab only, gone when it closes) under `civickit-draft:<widget>:<tenant>`.
//!
//! A phone browser drops a tab in the background, a thumb hits reload: the form comes back as
//! it was. Never photos (too big, and a file cannot be stored) and never contact data such as
//! the e-mail address (a shared computer's next user must not find it). Stored as one JSON
//! object through the browser's `JSON`, read back with the lean reader of `api::json`.

use crate::api::Json;
use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::JsValue;

pub struct Draft(String);

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

impl Draft {
    pub fn new(widget: &str, tenant: &str) -> Draft {
        Draft(["civickit-draft:", widget, ":", tenant].concat())
    }

    /// The stored draft, if there is one (a storage the page forbids reads as none).
    pub fn load(&self) -> Option<Json> {
        Json::parse(&storage()?.get_item(&self.0).ok()??)
    }

    /// Replaces the draft by `fields` (strings and numbers).
    pub fn save(&self, fields: &[(&str, JsValue)]) {
        let o = Object::new();
        for (k, v) in fields {
            let _ = Reflect::set(&o, &JsValue::from_str(k), v);
        }
        if let (Some(s), Some(text)) = (storage(), JSON::stringify(&o).ok()) {
            let _ = s.set_item(&self.0, &String::from(text));
        }
    }

    /// Forgets the draft (sent or cancelled).
    pub fn clear(&self) {
        if let Some(s) = storage() {
            let _ = s.remove_item(&self.0);
        }
    }
}
