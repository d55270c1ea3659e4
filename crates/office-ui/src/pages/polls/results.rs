//! A poll's results (bars per option, CSV) and its invitation codes (generated once, as a
//! printable page or CSV).

use crate::api::polls::{self as api, Poll};
use crate::app::use_ctx;
use crate::browser::blob_url;
use crate::components::{FormOutcome, FormState};
use crate::fetch::encode;
use crate::texts::{poll_texts, votes_label};
use civickit_model::poll::PollMode;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn PollResults(poll: Poll) -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    let slug = poll.slug.clone();
    let results = RwSignal::new(Some(poll.results.clone()));
    {
        let slug = slug.clone();
        spawn_local(async move {
            if let Ok(r) = api::results(&slug).await {
                results.set(Some(r));
            }
        });
    }
    let csv = format!("/office/api/polls/{}/results?format=csv", encode(&slug));
    let is_codes = poll.mode == PollMode::Codes;
    let turnout = poll.participations;
    view! {
        <section class="poll-results" aria-labelledby="results-heading">
            <h2 id="results-heading" tabindex="-1">
                {move || poll_texts(lang()).results_2}
                {poll.title.clone()}
            </h2>
            {move || {
                results
                    .get()
                    .map(|r| {
                        view! {
                            <p class="turnout">
                                {move || poll_texts(lang()).turnout_2}
                                {r.participations}
                            </p>
                            {r.interim_step.map(|n| view! {
                                <p class="hint interim">
                                    {move || {
                                        poll_texts(lang())
                                            .interim_note
                                            .replace("{n}", &n.to_string())
                                            .replace("{m}", &turnout.to_string())
                                    }}
                                </p>
                            })}
                            {r
                                .questions
                                .into_iter()
                                .map(|q| {
                                    view! {
                                        <h3>{q.text.clone()}</h3>
                                        <ul class="bars" style="list-style:none;padding:0">
                                            {q
                                                .options
                                                .into_iter()
                                                .map(|o| {
                                                    let pct = o.percent.clamp(0.0, 100.0);
                                                    let votes = o.votes;
                                                    let label = move || votes_label(lang(), votes, pct);
                                                    view! {
                                                        <li style="margin:.5rem 0">
                                                            <span class="option">{o.text.clone()}</span>
                                                            ": "
                                                            <span class="votes">{label}</span>
                                                            <span
                                                                aria-hidden="true"
                                                                style=format!("display:block;height:.8rem;background:#1f5fa8;width:{pct:.1}%;min-width:2px;border-radius:2px")
                                                            ></span>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                })
                                .collect_view()}
                        }
                    })
            }}
            <p>
                <a href=csv download=format!("{slug}-ergebnisse.csv")>
                    {move || poll_texts(lang()).download_the_results_as_csv}
                </a>
            </p>
            {is_codes.then(|| view! { <Codes slug=slug.clone() /> })}
        </section>
    }
}

#[component]
fn Codes(slug: String) -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    let count = RwSignal::new("50".to_string());
    let format = RwSignal::new("html".to_string());
    let link = RwSignal::new(None::<(String, String)>);
    let form = FormState::new();
    let count_error = RwSignal::new(false);
    let generate = move |ev: SubmitEvent| {
        ev.prevent_default();
        let n = count.get_untracked().trim().parse::<i64>().unwrap_or(0);
        if !(1..=civickit_model::poll::MAX_CODES_PER_BATCH as i64).contains(&n) {
            count_error.set(true);
            return;
        }
        count_error.set(false);
        if !form.start() {
            return;
        }
        let (slug, fmt) = (slug.clone(), format.get_untracked());
        spawn_local(async move {
            match api::codes_file(&slug, n, &fmt).await {
                Ok(text) => {
                    form.busy.set(false);
                    let (mime, name) = if fmt == "csv" {
                        ("text/csv", format!("{slug}-codes.csv"))
                    } else {
                        ("text/html", format!("{slug}-codes.html"))
                    };
                    link.set(Some((blob_url(&text, mime), name)));
                    form.done.set(Some(|t| t.codes_ready));
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    view! {
        <form class="action codes" novalidate on:submit=generate>
            <h3>{move || poll_texts(lang()).generate_invitation_codes}</h3>
            <p class="hint" id="codes-once">
                {move || {
                    poll_texts(lang()).codes_are_shown_this_once
                }}
            </p>
            <div class="field">
                <label for="codes-count">{move || poll_texts(lang()).number}</label>
                <input
                    id="codes-count"
                    type="number"
                    min="1"
                    max=civickit_model::poll::MAX_CODES_PER_BATCH.to_string()
                    style="width:8rem"
                    aria-invalid=move || count_error.get().then_some("true")
                    aria-describedby="codes-once codes-count-err"
                    prop:value=move || count.get()
                    on:input=move |ev| count.set(event_target_value(&ev))
                />
                <p class="field-error" id="codes-count-err">
                    {move || count_error.get().then(|| format!("{} 1 – {}", poll_texts(lang()).please_a_number_from, civickit_model::poll::MAX_CODES_PER_BATCH))}
                </p>
            </div>
            <div class="field">
                <label for="codes-format">{move || poll_texts(lang()).format}</label>
                <select id="codes-format" on:change=move |ev| format.set(event_target_value(&ev))>
                    <option value="html" prop:selected=move || format.get() == "html">
                        {move || poll_texts(lang()).printable_page_of_slips}
                    </option>
                    <option value="csv" prop:selected=move || format.get() == "csv">"CSV"</option>
                </select>
            </div>
            <FormOutcome form />
            <button type="submit" class="primary">
                {move || poll_texts(lang()).generate_codes}
            </button>
            {move || {
                link.get()
                    .map(|(href, name)| {
                        let html = name.ends_with(".html");
                        view! {
                            <p>
                                <a href=href download=name target=if html { "_blank" } else { "_self" }>
                                    {move || {
                                        if html {
                                            poll_texts(lang()).open_the_printable_page
                                        } else {
                                            poll_texts(lang()).download_the_csv
                                        }
                                    }}
                                </a>
                            </p>
                        }
                    })
            }}
        </form>
    }
}
