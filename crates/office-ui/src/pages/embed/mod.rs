//! What a webmaster needs to embed the widgets: the code per widget in the form the town's CMS
//! takes (element, `<div>`, WordPress shortcode), to copy, the WordPress plugin, and a live
//! preview of the chosen form.

mod snippet;

use crate::app::use_ctx;
use crate::browser::{copy_text, origin};
use crate::components::{Choice, SelectField};
use crate::texts::{embed_texts, EmbedTexts};
use crate::Msg;
use civickit_model::Lang;
use leptos::prelude::*;
use snippet::{preview_page, snippet, Form, WIDGETS};

/// Where the server serves the plugin built with it (`cargo xtask build`).
const PLUGIN_ZIP: &str = "/integrations/civickit-wordpress.zip";

fn widget_name(t: &EmbedTexts, widget: &str) -> &'static str {
    match widget {
        "mailbox" => t.mailbox,
        "poll" => t.poll,
        "stats" => t.stats,
        _ => t.reports,
    }
}

#[component]
pub fn EmbedPage() -> impl IntoView {
    let ctx = use_ctx();
    let t = move || embed_texts(ctx.lang.get());
    let tenant = ctx
        .me
        .with_untracked(|m| m.as_ref().map(|m| m.tenant.slug.clone()))
        .unwrap_or_default();
    let origin = origin();
    let form_key = RwSignal::new(Form::Element.key().to_string());
    let lang_code = RwSignal::new(Lang::De.code().to_string());
    let previewed = RwSignal::new(WIDGETS[0].to_string());
    let copied = RwSignal::new(None::<Msg>);
    let form = move || Form::from_key(&form_key.get());
    let lang = move || Lang::from_tag(&lang_code.get());

    let forms = Signal::derive(move || {
        let t = t();
        Form::ALL
            .into_iter()
            .map(|f| {
                let label = match f {
                    Form::Element => t.form_element,
                    Form::Div => t.form_div,
                    Form::Shortcode => t.form_shortcode,
                };
                Choice::new(f.key(), label)
            })
            .collect()
    });
    let form_hint = move || match form() {
        Form::Element => t().hint_element,
        Form::Div => t().hint_div,
        Form::Shortcode => t().hint_shortcode,
    };
    let languages = Signal::derive(move || {
        vec![
            Choice::new(Lang::De.code(), t().german),
            Choice::new(Lang::En.code(), t().english),
        ]
    });
    // The poll needs a real poll's id, so the preview offers the others.
    let preview_widgets = Signal::derive(move || {
        WIDGETS
            .iter()
            .filter(|w| **w != "poll")
            .map(|w| Choice::new(*w, widget_name(t(), w)))
            .collect()
    });

    let snippets = WIDGETS
        .into_iter()
        .map(|widget| {
            let id = match widget {
                "reports" => "embed-reports",
                "mailbox" => "embed-mailbox",
                "stats" => "embed-stats",
                _ => "embed-poll",
            };
            let (origin, tenant) = (origin.clone(), tenant.clone());
            let code = move || snippet(form(), widget, &origin, &tenant, lang());
            let name = move || widget_name(t(), widget);
            view! {
                <div class="field snippet">
                    <h2>
                        <label for=id>{name}</label>
                    </h2>
                    {(widget == "poll").then(|| view! { <p class="hint">{move || t().poll_hint}</p> })}
                    <textarea id=id readonly rows="3" spellcheck="false" prop:value=code.clone()></textarea>
                    <button type="button" on:click=move |_| copy_text(id, code(), copied)>
                        {move || t().copy}
                        <span class="sr-only">": " {name}</span>
                    </button>
                </div>
            }
        })
        .collect_view();

    let wordpress = {
        let (origin, tenant) = (origin.clone(), tenant.clone());
        move || {
            (form() == Form::Shortcode).then(|| {
                let steps = t()
                    .wordpress_steps
                    .iter()
                    .map(|s| s.replace("{server}", &origin).replace("{town}", &tenant))
                    .map(|s| view! { <li>{s}</li> })
                    .collect_view();
                view! {
                    <section class="wordpress" aria-labelledby="embed-wordpress">
                        <h2 id="embed-wordpress">{t().wordpress_heading}</h2>
                        <p>
                            <a href=PLUGIN_ZIP download="civickit-wordpress.zip">
                                {t().wordpress_download}
                            </a>
                        </p>
                        <ol>{steps}</ol>
                    </section>
                }
            })
        }
    };

    let preview = move || preview_page(form(), &previewed.get(), &origin, &tenant, lang());
    view! {
        <section aria-labelledby="page-heading" class="embed">
            <h1 id="page-heading" tabindex="-1">
                {move || t().heading}
            </h1>
            <p>{move || t().intro}</p>
            <SelectField
                id="embed-form"
                label=Signal::derive(move || t().form)
                value=form_key
                options=forms
                hint=Signal::derive(form_hint)
            />
            <SelectField
                id="embed-lang"
                label=Signal::derive(move || t().language)
                value=lang_code
                options=languages
            />
            <p class="form-done" role="status">
                {move || copied.get().map(|m| m(ctx.t()))}
            </p>
            {snippets}
            {wordpress}
            <h2>{move || t().preview_heading}</h2>
            <p class="hint">{move || t().preview_hint}</p>
            <SelectField
                id="embed-preview"
                label=Signal::derive(move || t().preview_widget)
                value=previewed
                options=preview_widgets
            />
            <iframe class="preview" title=move || t().preview_title srcdoc=preview></iframe>
        </section>
    }
}
