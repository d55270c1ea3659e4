//! "Meldung melden": a citizen flags a public report or one of its photos (personal data,
//! offensive, spam, other) for the town to check (`POST …/reports/{ref}/flags`, issue 15).
//!
//! The wasm keeps the buttons and where the form goes; the form itself (reasons, text with
//! counter, honeypot, sending, thanks and errors in words) is built by www/flag.mjs, which comes
//! with pow.js only when a citizen opens it: <civic-reports>' first load has a 150 KB budget
//! (ARCHITECTURE.md). "Abbrechen" is a `data-action="flag-cancel"` button handled here. The
//! form's element is kept in the state: the details panel is rebuilt from signals (support
//! counts, loading), and re-attaching the same element keeps what was typed.

use super::state::State;
use crate::ui::focus_first;
use civickit_model::Lang;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `__civickit.flag(root, options)` of www/civic.js (loads pow.js, then builds the form).
    #[wasm_bindgen(js_namespace = __civickit, js_name = flag)]
    fn build(root: &web_sys::Element, options: &js_sys::Object);
}

/// The open flag form: what it flags and its element.
pub struct FlagForm {
    /// `None`: the report's text; `Some(id)`: the photo with that public id.
    pub photo: Option<String>,
    pub root: web_sys::Element,
}

/// The labels of the buttons that open the form: for the report, for a photo.
pub fn openers(lang: Lang) -> (&'static str, &'static str) {
    (
        lang.pick("Meldung melden", "Report this"),
        lang.pick("Foto melden", "Report photo"),
    )
}

/// The button that opens the form for `photo` (or for the report).
fn opener(photo: &Option<String>) -> String {
    match photo {
        Some(id) => format!("[data-action=flag-photo][data-for=\"{id}\"]"),
        None => "[data-action=flag]".to_string(),
    }
}

/// Puts the open form (if any) right after the button that opened it, which says it is
/// expanded. Called whenever the details panel is rebuilt.
pub fn attach(s: State, section: &web_sys::Element) {
    let Some(f) = s.pows().flag_form.borrow().clone() else {
        return;
    };
    if let Ok(Some(button)) = section.query_selector(&opener(&f.photo)) {
        let _ = button.set_attribute("aria-expanded", "true");
        // A photo's form goes under the whole row of photos: a thumbnail's column is too
        // narrow for it.
        let place = match f.photo {
            Some(_) => button.closest(".civic-photos").ok().flatten(),
            None => None,
        };
        let _ = place.unwrap_or(button).after_with_node_1(&f.root);
    }
}

/// The public id of a released photo, from its URL (`…/media/{id}.jpg`).
pub fn photo_id(url: &str) -> &str {
    // By bytes: `rsplit` brings a string searcher into the wasm.
    let start = url.bytes().rposition(|b| b == b'/').map_or(0, |i| i + 1);
    let name = &url[start..];
    name.strip_suffix(".jpg").unwrap_or(name)
}

impl State {
    /// Opens the flag form for the selected report (`photo: None`) or one of its photos; a
    /// second click on the same button closes it.
    pub fn open_flag(self, photo: Option<String>) {
        let pows = self.pows();
        let open = pows.flag_form.borrow().as_ref().map(|f| f.photo == photo);
        if open == Some(true) {
            return self.close_flag();
        }
        let Some(reference) = self.selected.get_untracked() else {
            return;
        };
        let root = crate::ui::H::new("div").class("civic-box civic-flag").el();
        let api = self.api.get_value();
        let path = format!("/reports/{}/flags", crate::api::encode(&reference));
        let options = js_sys::Object::new();
        for (key, value) in [
            ("url", JsValue::from(api.url(&path, ""))),
            ("lang", api.lang.code().into()),
            (
                "photo",
                photo.as_deref().map_or(JsValue::NULL, JsValue::from),
            ),
            ("pow", pows.flag.handle.clone().into()),
        ] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value);
        }
        build(&root, &options);
        *pows.flag_form.borrow_mut() = Some(std::rc::Rc::new(FlagForm { photo, root }));
        self.flag_open.set(!self.flag_open.get_untracked());
        // Solved while the citizen chooses a reason.
        pows.flag.start();
    }

    /// Closes the form and gives the focus back to the button that opened it.
    pub fn close_flag(self) {
        let Some(f) = self.pows().flag_form.borrow_mut().take() else {
            return;
        };
        self.flag_open.set(!self.flag_open.get_untracked());
        if let Some(c) = self.details_ref.get_untracked() {
            focus_first(&c, &opener(&f.photo));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_ids_come_from_the_urls() {
        assert_eq!(photo_id("https://h/media/abc123.jpg"), "abc123");
        assert_eq!(photo_id("abc"), "abc");
    }
}
