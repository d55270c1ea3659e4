//! Statistics (`/office/stats`, admins): the town's processing statistics with exact counts
//! and a table per department. The page is the citizens' `<civic-stats>` widget itself in its
//! office mode (`data-source="office"`: `GET /office/api/stats` on this origin, with the
//! session cookie): the charts, tables and filters exist there already, and a second copy in
//! Leptos would cost the office's wasm kilobytes it does not have (it is over its budget).
//!
//! For the same reason the page is not a Leptos view: each page's view type is its own copy
//! of Leptos's rendering code (a heading and the element as a `view!` came to 2.2 KB of
//! brotli'd wasm, 2.5 KB with an `Effect` following the language). The page is an empty view
//! beside a `<section>` made with plain DOM calls, put into `<main>` and taken out when the
//! page goes (`on_cleanup`); `browser::apply_lang` calls [`relabel`] for another language.

use crate::app::Ctx;
use civickit_model::Lang;
use leptos::prelude::*;

#[cfg(target_arch = "wasm32")]
const ID: &str = "stats-page";

pub fn view(ctx: Ctx) -> AnyView {
    #[cfg(target_arch = "wasm32")]
    {
        let tenant = ctx
            .me
            .with_untracked(|m| m.as_ref().map(|m| m.tenant.slug.clone()))
            .unwrap_or_default();
        let document = document();
        if let Ok(section) = document.create_element("section") {
            let _ = section.set_attribute("id", ID);
            let _ = section.set_attribute("aria-labelledby", "page-heading");
            fill(&section, &tenant, ctx.lang.get_untracked());
            // Into `<main>` now, so that the navigation's `focus_id("page-heading")` finds the
            // heading; a frame later when the office opens on this page (`<main>` is not in
            // the document yet while the first view is built).
            match document.get_element_by_id("main") {
                Some(main) => {
                    let _ = main.append_child(&section);
                }
                None => {
                    let shown = section.clone();
                    request_animation_frame(move || {
                        if let Some(main) = document.get_element_by_id("main") {
                            let _ = main.append_child(&shown);
                        }
                    });
                }
            }
            on_cleanup(move || section.remove());
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = ctx;
    ().into_any()
}

/// The page in `lang` again, if it is shown.
pub fn relabel(lang: Lang) {
    #[cfg(target_arch = "wasm32")]
    if let Some(section) = document().get_element_by_id(ID) {
        let tenant = section
            .last_element_child()
            .and_then(|w| w.get_attribute("data-tenant"))
            .unwrap_or_default();
        fill(&section, &tenant, lang);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = lang;
}

#[cfg(target_arch = "wasm32")]
fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// The heading and `<civic-stats data-tenant data-source="office" data-lang>`, in place of
/// what `section` held: the widget reads `data-lang` once, when it is mounted, so another
/// language is a new element. Adds the widgets' loader unless it is on the page (the loader
/// itself does nothing when it runs twice).
#[cfg(target_arch = "wasm32")]
fn fill(section: &web_sys::Element, tenant: &str, lang: Lang) {
    let document = document();
    let (Ok(h1), Ok(widget)) = (
        document.create_element("h1"),
        document.create_element("civic-stats"),
    ) else {
        return;
    };
    // Every attribute before the element is in the page: the loader reads them when it is.
    for (el, key, value) in [
        (&h1, "id", "page-heading"),
        (&h1, "tabindex", "-1"),
        (&widget, "data-tenant", tenant),
        (&widget, "data-source", "office"),
        (&widget, "data-lang", lang.code()),
    ] {
        let _ = el.set_attribute(key, value);
    }
    h1.set_text_content(Some(crate::texts::texts(lang).nav_stats));
    section.set_text_content(None);
    let _ = section.append_child(&h1);
    let _ = section.append_child(&widget);
    if let (Ok(None), Ok(script), Some(head)) = (
        document.query_selector("script[src='/widgets/civic.js']"),
        document.create_element("script"),
        document.head(),
    ) {
        let _ = script.set_attribute("src", "/widgets/civic.js");
        let _ = head.append_child(&script);
    }
}
