//! Statistics (`/office/stats`, admins): the town's processing statistics with exact counts
//! and a table per department. The page is the citizens' `<civic-stats>` widget itself in its
//! office mode (`data-source="office"`: `GET /office/api/stats` on this origin, with the
//! session cookie): the charts, tables and filters already exist there, and a second copy
//! in Leptos would cost the office's wasm kilobytes it does not have (its budget is spent).
//! This page only adds the loader `/widgets/civic.js` once and the element.

use crate::app::{tr, use_ctx};
use leptos::prelude::*;

/// Adds the widgets' loader to the page unless it is there (the loader itself also does
/// nothing when it runs twice).
fn load_widgets() {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let present = js_sys::Reflect::has(&js_sys::global(), &"__civickit".into())
            .unwrap_or(false)
            || matches!(
                document.query_selector("script[src='/widgets/civic.js']"),
                Ok(Some(_))
            );
        if let (false, Ok(script), Some(head)) =
            (present, document.create_element("script"), document.head())
        {
            let _ = script.set_attribute("src", "/widgets/civic.js");
            let _ = head.append_child(&script);
        }
    }
}

#[component]
pub fn StatsPage() -> impl IntoView {
    let ctx = use_ctx();
    load_widgets();
    let tenant = ctx
        .me
        .with_untracked(|m| m.as_ref().map(|m| m.tenant.slug.clone()))
        .unwrap_or_default();
    view! {
        <section aria-labelledby="page-heading" class="stats-page">
            <h1 id="page-heading" tabindex="-1">{tr!(ctx, nav_stats)}</h1>
            <p class="hint">{tr!(ctx, stats_intro)}</p>
            // A new element per language: the widget reads `data-lang` once, when mounted.
            {move || {
                let lang = ctx.lang.get().code();
                view! {
                    <civic-stats data-tenant=tenant.clone() data-source="office" data-lang=lang></civic-stats>
                }
            }}
        </section>
    }
}
