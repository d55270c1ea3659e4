//! Moderation (`/office/moderation`): the public reports and photos citizens flagged
//! ("Meldung melden"), with counts, reasons and notes, and the decision: keep (shown again),
//! hide, or redact (a new public description; a photo is blacked out on the report's page).
//! Every official sees the items of the reports they may work; the server scopes the list.

use crate::api::flags::{self as api, FlagDecision, FlaggedItem};
use crate::app::{tr, use_ctx};
use crate::browser::local_time;
use crate::components::{FormOutcome, FormState, TextArea};
use crate::routes::Route;
use crate::texts::moderation_texts;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// An item's key: the report, and the photo when a photo is flagged.
fn key(item: &FlaggedItem) -> String {
    format!("{}/{}", item.reference, item.photo.as_deref().unwrap_or(""))
}

#[component]
pub fn ModerationPage() -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    let items = RwSignal::new(None::<Vec<FlaggedItem>>);
    let form = FormState::new();
    let redacting = RwSignal::new(None::<String>);
    let description = RwSignal::new(String::new());
    spawn_local(async move {
        match api::queue().await {
            Ok(list) => items.set(Some(list)),
            Err(e) => form.error.set(Some(ctx.fail(&e))),
        }
    });
    let decide = move |item: &FlaggedItem, decision: &'static str| {
        if !form.start() {
            return;
        }
        let body = FlagDecision {
            reference: item.reference.clone(),
            photo: item.photo.clone(),
            decision: decision.into(),
            description: (decision == "redact").then(|| description.get_untracked()),
        };
        spawn_local(async move {
            match api::decide(body).await {
                Ok(list) => {
                    items.set(Some(list));
                    redacting.set(None);
                    form.succeeded(|t| t.flag_decided);
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    let open_report = move |reference: String| {
        move |ev: leptos::ev::MouseEvent| {
            if ev.ctrl_key() || ev.meta_key() || ev.shift_key() {
                return;
            }
            ev.prevent_default();
            ctx.go(Route::report(&reference));
        }
    };

    let item_view = move |item: FlaggedItem| {
        let t = move || moderation_texts(lang());
        let k = key(&item);
        let heading_id = format!("flag-{}", k.replace(['/', ' '], "-"));
        let reference = item.reference.clone();
        let href = Route::report(&reference).url(lang());
        let thumb = item.thumb_url.clone();
        let is_photo = item.photo.is_some();
        let hidden = item.hidden;
        let reasons = item.reasons.clone();
        let notes = item.notes.clone();
        let first = item.first_flagged.clone();
        let first_at = first.clone();
        let labelled_by = heading_id.clone();
        let (keep_item, hide_item, redact_item) = (item.clone(), item.clone(), item.clone());
        let k2 = k.clone();
        let prefill = item.description.clone();
        let sr = format!(" ({reference})");
        let (sr1, sr2, sr3) = (sr.clone(), sr.clone(), sr);
        view! {
            <li class="flagged">
                <article aria-labelledby=labelled_by>
                    <h2 id=heading_id>
                        {move || if is_photo { t().photo_of } else { t().report }}
                        " "
                        <a href=href on:click=open_report(reference.clone())>{reference.clone()}</a>
                    </h2>
                    {thumb.map(|src| view! {
                        <img src=src alt=move || format!("{} {}", t().photo_of, item.reference) style="max-width:14rem;height:auto;display:block" />
                    })}
                    <p>
                        <span class=if hidden { "badge overdue" } else { "badge" }>
                            {move || if hidden { t().hidden_now } else { t().public_now }}
                        </span>
                        " · " {move || t().flags} ": " {item.flags}
                        " · " {item.category_name.clone()}
                    </p>
                    <p class="hint">
                        {move || t().first_flagged} ": "
                        <time datetime=first_at>{move || local_time(lang(), &first)}</time>
                    </p>
                    <h3>{move || t().description}</h3>
                    <blockquote class="description">{item.description.clone()}</blockquote>
                    <h3>{move || t().reasons}</h3>
                    <ul>
                        {reasons.into_iter().map(|r| view! {
                            <li>{move || r.reason.label(lang())} ": " {r.count}</li>
                        }).collect_view()}
                    </ul>
                    {(!notes.is_empty()).then(|| view! {
                        <h3>{move || t().notes}</h3>
                        <ul>
                            {notes.into_iter().map(|n| view! {
                                <li>
                                    {move || n.reason.label(lang())} ": "
                                    <q>{n.text.clone()}</q>
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                    <div class="inline">
                        <button type="button" class="primary" on:click=move |_| decide(&keep_item, "keep")>
                            {move || t().keep}<span class="sr-only">{sr1.clone()}</span>
                        </button>
                        <button type="button" on:click=move |_| decide(&hide_item, "hide")>
                            {move || t().hide}<span class="sr-only">{sr2.clone()}</span>
                        </button>
                        <button
                            type="button"
                            aria-expanded=move || if redacting.get().as_deref() == Some(k.as_str()) { "true" } else { "false" }
                            on:click=move |_| {
                                form.clear();
                                description.set(prefill.clone());
                                redacting.update(|r| *r = if r.as_deref() == Some(k2.as_str()) { None } else { Some(k2.clone()) });
                            }
                        >
                            {move || t().redact}<span class="sr-only">{sr3.clone()}</span>
                        </button>
                    </div>
                    {move || (redacting.get().as_deref() == Some(key(&redact_item).as_str())).then(|| {
                        let item = redact_item.clone();
                        if is_photo {
                            let href = Route::report(&item.reference).url(lang());
                            view! {
                                <p>
                                    <a href=href on:click=open_report(item.reference.clone())>{move || t().redact_photo}</a>
                                    " " {move || t().redact_photo_hint}
                                </p>
                            }.into_any()
                        } else {
                            view! {
                                <div class="action">
                                    <TextArea
                                        id="flag-description"
                                        label=move || t().new_description
                                        hint=move || t().new_description_hint
                                        value=description
                                        form
                                        errors=&["description"]
                                        rows=4
                                    />
                                    <div class="inline">
                                        <button type="button" class="primary" on:click=move |_| decide(&item, "redact")>
                                            {move || t().save_redaction}
                                        </button>
                                        <button type="button" on:click=move |_| redacting.set(None)>
                                            {move || t().cancel}
                                        </button>
                                    </div>
                                </div>
                            }.into_any()
                        }
                    })}
                </article>
            </li>
        }
    };

    view! {
        <section aria-labelledby="page-heading" class="moderation">
            <h1 id="page-heading" tabindex="-1">{tr!(ctx, nav_moderation)}</h1>
            <p class="hint">{move || moderation_texts(lang()).intro}</p>
            <FormOutcome form />
            {move || items.get().map(|list| {
                if list.is_empty() {
                    return view! { <p>{move || moderation_texts(lang()).empty}</p> }.into_any();
                }
                view! {
                    <ul class="flag-queue" style="list-style:none;padding:0">
                        {list.into_iter().map(item_view).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}
