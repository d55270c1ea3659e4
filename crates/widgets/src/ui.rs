//! Plain-DOM helpers for the small form widgets (`<civic-mailbox>`, `<civic-poll>`).
//!
//! Why not Leptos here: a Leptos form alone came to 92 KB (mailbox) and 107 KB (poll) of
//! gzipped wasm, over the 80 KB budget of SPEC.md; the reactive runtime and the
//! monomorphised view types are most of it. These widgets build their DOM once, keep the
//! handles and change text, attributes and classes imperatively. Text always goes in as text
//! nodes (never as HTML), so nothing a citizen or official typed can inject markup.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// An element under construction.
#[derive(Clone)]
pub struct H(pub web_sys::Element);

impl H {
    pub fn new(tag: &str) -> H {
        H(document().create_element(tag).expect("an element"))
    }
    pub fn class(self, class: &str) -> H {
        self.0.set_class_name(class);
        self
    }
    pub fn attr(self, key: &str, value: &str) -> H {
        let _ = self.0.set_attribute(key, value);
        self
    }
    pub fn id(self, id: &str) -> H {
        self.0.set_id(id);
        self
    }
    pub fn text(self, text: &str) -> H {
        let _ = self
            .0
            .append_child(&document().create_text_node(text).into());
        self
    }
    pub fn child(self, child: &H) -> H {
        let _ = self.0.append_child(&child.0);
        self
    }
    pub fn el(&self) -> web_sys::Element {
        self.0.clone()
    }
}

/// Listens for `event` on `target` for the page's lifetime.
pub fn on(target: &web_sys::Element, event: &str, f: impl FnMut(web_sys::Event) + 'static) {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}

/// Replaces the text of `el`.
pub fn set_text(el: &web_sys::Element, text: &str) {
    el.set_text_content(Some(text));
}

/// Shows or hides `el` (class `civic-hidden`, `display: none`).
pub fn show(el: &web_sys::Element, visible: bool) {
    let _ = el.class_list().toggle_with_force("civic-hidden", !visible);
}

/// The `value` of an input, select or textarea.
pub fn value(el: &web_sys::Element) -> String {
    js_sys::Reflect::get(el, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

pub fn set_value(el: &web_sys::Element, v: &str) {
    let _ = js_sys::Reflect::set(el, &"value".into(), &v.into());
}

pub fn set_prop(el: &web_sys::Element, key: &str, v: bool) {
    let _ = js_sys::Reflect::set(el, &key.into(), &v.into());
}

pub fn prop(el: &web_sys::Element, key: &str) -> bool {
    js_sys::Reflect::get(el, &key.into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Focuses the first element below `root` that matches `selector`, after the browser has
/// laid out what was just changed.
pub fn focus_first(root: &web_sys::Element, selector: &str) {
    let root = root.clone();
    let selector = selector.to_string();
    let f = Closure::once_into_js(move || {
        if let Ok(Some(el)) = root.query_selector(&selector) {
            if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(f.unchecked_ref());
    }
}

/// Marks the controls of `field` invalid (or valid) and puts `message` into its error line.
pub fn field_error(root: &web_sys::Element, field: &str, message: Option<&str>) {
    if let Ok(list) = root.query_selector_all(&format!("[data-field=\"{field}\"]")) {
        for i in 0..list.length() {
            if let Some(el) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.set_attribute(
                    "aria-invalid",
                    if message.is_some() { "true" } else { "false" },
                );
            }
        }
    }
    if let Ok(Some(err)) = root.query_selector(&format!("[data-error-for=\"{field}\"]")) {
        set_text(&err, message.unwrap_or(""));
    }
}

/// Clears every field error below `root`.
pub fn clear_errors(root: &web_sys::Element) {
    if let Ok(list) = root.query_selector_all("[data-error-for]") {
        for i in 0..list.length() {
            if let Some(el) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                set_text(&el, "");
            }
        }
    }
    if let Ok(list) = root.query_selector_all("[aria-invalid=true]") {
        for i in 0..list.length() {
            if let Some(el) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.set_attribute("aria-invalid", "false");
            }
        }
    }
}
