//! What the office page asks of the browser (language in the URL, focus, time zone, clipboard,
//! downloads). Natively (clippy, unit tests) each of these does nothing or answers a fixed value.

use crate::Msg;
use civickit_model::Lang;
use leptos::prelude::*;
#[cfg(target_arch = "wasm32")]
use leptos::task::spawn_local;

pub fn initial_lang() -> Lang {
    #[cfg(target_arch = "wasm32")]
    {
        let search = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        if let Some(lang) = search
            .trim_start_matches('?')
            .split('&')
            .find_map(|kv| kv.strip_prefix("lang="))
        {
            return Lang::from_tag(lang);
        }
    }
    Lang::De
}

/// Keeps `<html lang>`, the title and `?lang=` in step with the chosen language.
pub fn apply_lang(lang: Lang) {
    #[cfg(target_arch = "wasm32")]
    {
        let doc = document();
        if let Some(html) = doc.document_element() {
            let _ = html.set_attribute("lang", lang.code());
        }
        doc.set_title(crate::texts::texts(lang).app_title);
        // The rest of the query (the inbox's filters) stays.
        replace_query(&without_lang(&query_string()), lang);
        // The statistics page is plain DOM, outside the reactive texts.
        crate::pages::stats::relabel(lang);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = lang;
}

/// Moves keyboard focus to an element once it is rendered (ids of list rows are made at run
/// time, hence `Into<String>`).
pub fn focus_id(id: impl Into<String>) {
    let id: String = id.into();
    #[cfg(target_arch = "wasm32")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// The text of a file the official chose (a boundary file); `None` if it cannot be read.
pub async fn read_text(file: &web_sys::File) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|t| t.as_string())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = file;
        None
    }
}

/// Seconds since an RFC 3339 time.
pub fn seconds_since(rfc3339: &str) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Date::now() - js_sys::Date::parse(rfc3339)) / 1000.0
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = rfc3339;
        0.0
    }
}

/// A time in the reader's local time zone, "23.11.2026, 10:15:00".
pub fn local_time(lang: Lang, rfc3339: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
        if d.get_time().is_nan() {
            return rfc3339.to_string();
        }
        let locale = if lang == Lang::En { "en-GB" } else { "de-DE" };
        d.to_locale_string(locale, &wasm_bindgen::JsValue::UNDEFINED)
            .into()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = lang;
        rfc3339.to_string()
    }
}

pub fn origin() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        "https://civickit.example".into()
    }
}

/// Copies to the clipboard; where that is not allowed, selects the text for Ctrl+C.
pub fn copy_text(id: &'static str, text: String, outcome: RwSignal<Option<Msg>>) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let select = move || {
            if let Some(area) = document()
                .get_element_by_id(id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                let _ = area.focus();
                area.select();
            }
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&text);
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => outcome.set(Some(|t| t.copied)),
                Err(_) => {
                    select();
                    outcome.set(Some(|t| t.copy_failed));
                }
            }
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (id, text);
        outcome.set(Some(|t| t.copied));
    }
}

/// Asks the official to confirm (deleting a poll); natively: yes.
pub fn confirm(text: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(text).ok())
            .unwrap_or(false)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = text;
        true
    }
}

/// Today's date in the reader's time zone, `2026-12-06` (for names of downloaded files).
pub fn today() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new_0();
        format!(
            "{:04}-{:02}-{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date()
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        "2026-12-06".to_string()
    }
}

/// A blob: URL for a downloaded file, so it can be saved or opened from a link.
pub fn blob_url(text: &str, mime: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(mime);
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
            .ok()
            .and_then(|b| web_sys::Url::create_object_url_with_blob(&b).ok())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (text, mime);
        String::new()
    }
}

/// The path of the page's URL (`/office/reports/M-2026-00042`).
pub fn current_path() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        crate::routes::BASE.to_string()
    }
}

/// The page URL's query, without `?`.
pub fn query_string() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default()
            .trim_start_matches('?')
            .to_string()
    }
    #[cfg(not(target_arch = "wasm32"))]
    String::new()
}

/// After logging in: the work order the official was sent to log in for
/// (`?next=/office/print/…`, set by the print pages). Only our own print pages, so the
/// parameter cannot send anyone elsewhere.
pub fn print_page_to_return_to() -> Option<String> {
    let next = query_string()
        .split('&')
        .find_map(|kv| kv.strip_prefix("next="))
        .map(str::to_string)?;
    #[cfg(target_arch = "wasm32")]
    let next = js_sys::decode_uri_component(&next)
        .ok()
        .and_then(|s| s.as_string())?;
    is_print_page(&next).then_some(next)
}

fn is_print_page(path: &str) -> bool {
    path.starts_with("/office/print/") && !path.contains(['\\', '\n', '\r']) && !path.contains("..")
}

/// Leaves the office page for another page of ours.
pub fn go_to(path: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(path);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = path;
}

/// A query without its `lang=` part.
pub fn without_lang(query: &str) -> String {
    query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect::<Vec<_>>()
        .join("&")
}

/// Sets the page URL's query (`lang=en` added for English) without a new history entry: the
/// inbox's filters follow every change, "back" still goes to the page before.
pub fn replace_query(query: &str, lang: Lang) {
    let mut query = query.to_string();
    if lang == Lang::En {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str("lang=en");
    }
    #[cfg(target_arch = "wasm32")]
    if let Some(w) = web_sys::window() {
        let path = w.location().pathname().unwrap_or_default();
        let url = crate::fetch::with_query(&path, &query);
        if let Ok(history) = w.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = query;
}

/// Goes to `url` with a new history entry, so that the back button returns.
pub fn push_url(url: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = url;
}

/// Runs `f` whenever the official goes back or forward in the browser's history.
pub fn on_history_move(f: impl Fn() + 'static) {
    #[cfg(target_arch = "wasm32")]
    {
        // The listener lives as long as the page.
        std::mem::forget(window_event_listener(leptos::ev::popstate, move |_| f()));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = f;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_leaves_the_rest_of_the_query_alone() {
        assert_eq!(
            without_lang("status=received&lang=en&q=x"),
            "status=received&q=x"
        );
        assert_eq!(without_lang("lang=de"), "");
        assert_eq!(without_lang(""), "");
    }
}

#[cfg(test)]
mod print_return_tests {
    use super::is_print_page;

    #[test]
    fn only_our_print_pages_are_returned_to() {
        assert!(is_print_page("/office/print/reports/M-2026-00001"));
        assert!(is_print_page(
            "/office/print/reports?status=received&lang=en"
        ));
        assert!(!is_print_page("https://evil.example/office/print/"));
        assert!(!is_print_page("//evil.example/office/print/"));
        assert!(!is_print_page("/office/print/../../logout"));
        assert!(!is_print_page("/office/reports"));
    }
}
