//! What a webmaster needs to embed the widgets: the code per widget, to copy, and a preview.

use crate::app::{tr, use_ctx};
use crate::browser::{copy_text, origin};
use crate::Msg;
use leptos::prelude::*;

/// The code a webmaster pastes into the town's CMS.
pub fn embed_snippet(origin: &str, element: &str, tenant: &str) -> String {
    let extra = if element == "civic-poll" {
        " data-poll=\"UMFRAGE-ID\""
    } else {
        ""
    };
    format!(
        "<script src=\"{origin}/widgets/civic.js\" defer></script>\n<{element} data-tenant=\"{tenant}\"{extra}></{element}>"
    )
}

#[component]
pub fn EmbedPage() -> impl IntoView {
    let ctx = use_ctx();
    let slug = ctx
        .me
        .with_untracked(|m| m.as_ref().map(|m| m.tenant.slug.clone()))
        .unwrap_or_default();
    let origin = origin();
    let copied = RwSignal::new(None::<Msg>);
    let widgets: [(&'static str, Msg, &'static str); 3] = [
        ("civic-reports", |t| t.embed_reports, "embed-reports"),
        ("civic-mailbox", |t| t.embed_mailbox, "embed-mailbox"),
        ("civic-poll", |t| t.embed_poll, "embed-poll"),
    ];
    let preview = format!(
        "<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"></head><body style=\"margin:0;font-family:sans-serif\">{}</body></html>",
        embed_snippet(&origin, "civic-reports", &slug)
    );
    view! {
        <section aria-labelledby="page-heading" class="embed">
            <h1 id="page-heading" tabindex="-1">
                {tr!(ctx, embed_heading)}
            </h1>
            <p>{tr!(ctx, embed_intro)}</p>
            <p class="form-done" role="status">
                {move || copied.get().map(|m| m(ctx.t()))}
            </p>
            {widgets
                .into_iter()
                .map(|(element, label, id)| {
                    let code = embed_snippet(&origin, element, &slug);
                    let code2 = code.clone();
                    view! {
                        <div class="field snippet">
                            <h2>
                                <label for=id>{move || label(ctx.t())}</label>
                            </h2>
                            {(element == "civic-poll")
                                .then(|| view! { <p class="hint">{tr!(ctx, embed_poll_hint)}</p> })}
                            <textarea id=id readonly rows="3" spellcheck="false">
                                {code}
                            </textarea>
                            <button
                                type="button"
                                on:click=move |_| {
                                    let code = code2.clone();
                                    copy_text(id, code, copied);
                                }
                            >
                                {tr!(ctx, copy)}
                                <span class="sr-only">": " {move || label(ctx.t())}</span>
                            </button>
                        </div>
                    }
                })
                .collect_view()}
            <h2>{tr!(ctx, preview_heading)}</h2>
            <p class="hint">{tr!(ctx, preview_hint)}</p>
            <iframe class="preview" title=tr!(ctx, preview_title) srcdoc=preview></iframe>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_name_the_loader_and_the_tenant() {
        assert_eq!(
            embed_snippet("https://buerger.example", "civic-reports", "musterstadt"),
            "<script src=\"https://buerger.example/widgets/civic.js\" defer></script>\n<civic-reports data-tenant=\"musterstadt\"></civic-reports>"
        );
        assert!(embed_snippet("https://x", "civic-poll", "t").contains("data-poll=\"UMFRAGE-ID\""));
    }
}
