//! Access and erasure for one citizen: search by e-mail address or phone number, everything
//! found listed (or "Nichts gefunden"), the answer as a JSON file to hand over, and "Alles
//! löschen" behind a confirmation step, then what was erased. Focus follows each step, so a
//! screen reader hears the result.

use crate::api::subject::{self as api, SubjectData, SubjectErased};
use crate::app::use_ctx;
use crate::browser::{blob_url, focus_id, local_time, today};
use crate::components::{ActionForm, FormOutcome, FormState, TextField};
use crate::texts::{erased_summary, mail_texts, request_texts, Texts};
use civickit_model::api::office::{SubjectMail, SubjectMessage, SubjectReport};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn RequestsSection() -> impl IntoView {
    let ctx = use_ctx();
    let t = move || request_texts(ctx.lang.get());
    let typed = RwSignal::new(String::new());
    // What the shown answer is about: erasure acts on it, not on the field edited since.
    let asked = RwSignal::new(String::new());
    let found = RwSignal::new(None::<SubjectData>);
    // The answer as a file: (blob URL, file name).
    let file = RwSignal::new(None::<(String, String)>);
    let confirming = RwSignal::new(false);
    let erased = RwSignal::new(None::<SubjectErased>);
    let search = FormState::new();
    let erasing = FormState::new();

    let submit = move |_| {
        if !search.start() {
            return;
        }
        let query = typed.get_untracked();
        found.set(None);
        confirming.set(false);
        erased.set(None);
        erasing.clear();
        spawn_local(async move {
            match api::lookup(&query).await {
                Ok(data) => {
                    let json = serde_json::to_string_pretty(&data).unwrap_or_default();
                    file.set(Some((
                        blob_url(&json, "application/json"),
                        format!("auskunft-{}.json", today()),
                    )));
                    asked.set(query);
                    found.set(Some(data));
                    search.busy.set(false);
                    focus_id("p-found");
                }
                Err(e) => search.failed(ctx, e),
            }
        });
    };
    let erase = move |_| {
        if !erasing.start() {
            return;
        }
        let query = asked.get_untracked();
        spawn_local(async move {
            match api::erase(&query).await {
                Ok(counts) => {
                    erasing.busy.set(false);
                    confirming.set(false);
                    found.set(None);
                    erased.set(Some(counts));
                    focus_id("p-erased");
                }
                Err(e) => erasing.failed(ctx, e),
            }
        });
    };
    let ask = move |_| {
        confirming.set(true);
        focus_id("p-erase-yes");
    };
    let cancel = move |_| {
        confirming.set(false);
        focus_id("p-erase");
    };

    view! {
        <section class="settings privacy" aria-labelledby="privacy-requests">
            <h2 id="privacy-requests">{move || t().heading}</h2>
            <p class="hint">{move || t().intro}</p>
            <ActionForm form=search id="p-subject" button=move || t().search on_submit=Callback::new(submit)>
                <TextField
                    id="p-subject-query"
                    label=move || t().query
                    hint=move || t().query_hint
                    value=typed
                    form=search
                    errors=&["email", "phone"]
                    autocomplete="off"
                    verbatim=true
                />
            </ActionForm>
            {move || erased.get().map(|n| view! {
                <p class="form-done" role="status" id="p-erased" tabindex="-1">
                    {move || t().erased} ": " {move || erased_summary(ctx.lang.get(), n.reports, n.messages, n.mails)}
                </p>
            })}
            {move || {
                // Drawn afresh in the other language when it is switched.
                ctx.lang.track();
                found.get()
            }.map(|data| {
                let empty = data.is_empty();
                view! {
                    <h3 id="p-found" tabindex="-1">
                        {move || if empty { t().nothing_found } else { t().found }}
                    </h3>
                    {(!empty).then(|| view! {
                        <Found data=data.clone() />
                        <p>
                            {move || file.get().map(|(href, name)| view! {
                                <a href=href download=name id="p-download">{move || t().download}</a>
                            })}
                        </p>
                        <Show
                            when=move || confirming.get()
                            fallback=move || view! {
                                <button type="button" id="p-erase" on:click=ask>{move || t().erase}</button>
                            }
                        >
                            <div class="confirm" role="group" aria-labelledby="p-erase-question">
                                <p id="p-erase-question"><strong>{move || t().erase_question}</strong></p>
                                <button type="button" class="primary" id="p-erase-yes" on:click=erase>
                                    {move || t().erase_yes}
                                </button>
                                <button type="button" on:click=cancel>{move || t().cancel}</button>
                            </div>
                        </Show>
                        <FormOutcome form=erasing />
                    })}
                }
            })}
        </section>
    }
}

/// Everything found, by kind.
#[component]
fn Found(data: SubjectData) -> impl IntoView {
    let ctx = use_ctx();
    let t = move || request_texts(ctx.lang.get());
    let SubjectData {
        reports,
        messages,
        mails,
    } = data;
    let (nr, nm, nmail) = (reports.len(), messages.len(), mails.len());
    view! {
        {(nr > 0).then(|| view! {
            <h4>{move || t().reports} " (" {nr} ")"</h4>
            <ul class="subject-items">{reports.into_iter().map(|r| view! { <ReportItem r /> }).collect_view()}</ul>
        })}
        {(nm > 0).then(|| view! {
            <h4>{move || t().messages} " (" {nm} ")"</h4>
            <ul class="subject-items">{messages.into_iter().map(|m| view! { <MessageItem m /> }).collect_view()}</ul>
        })}
        {(nmail > 0).then(|| view! {
            <h4>{move || t().mails} " (" {nmail} ")"</h4>
            <ul class="subject-items">{mails.into_iter().map(|m| view! { <MailItem m /> }).collect_view()}</ul>
        })}
    }
}

/// " · eingegangen 23.11.2026, 10:15:00"
fn when(label: &'static str, at: Option<String>) -> impl IntoView {
    let lang = use_ctx().lang.get_untracked();
    at.map(|at| view! { " · " {label} " " {local_time(lang, &at)} })
}

fn email_state(t: &'static Texts, state: Option<&str>) -> &'static str {
    match state {
        Some("confirmed") => t.mail_confirmed,
        Some("unconfirmed") => t.mail_unconfirmed,
        Some("unsubscribed") => t.mail_unsubscribed,
        _ => t.mail_none,
    }
}

#[component]
fn ReportItem(r: SubjectReport) -> impl IntoView {
    let ctx = use_ctx();
    let t = request_texts(ctx.lang.get_untracked());
    let state = email_state(ctx.t(), r.email_state.as_deref());
    view! {
        <li>
            <strong>{r.reference}</strong> " · " {r.status.label(ctx.lang.get_untracked())}
            {when(t.created, Some(r.created))}
            {when(t.finished, r.finished)}
            <br />{r.description}
            {r.original_description.map(|o| view! { <br />{o} })}
            {r.address.map(|a| view! { <br />{a} })}
            <br />{t.email_state} ": " {r.email} " (" {state} ")"
        </li>
    }
}

#[component]
fn MessageItem(m: SubjectMessage) -> impl IntoView {
    let ctx = use_ctx();
    let t = request_texts(ctx.lang.get_untracked());
    let contact: Vec<String> = [m.name, m.email, m.phone].into_iter().flatten().collect();
    view! {
        <li>
            <strong>{m.reference}</strong> " · " {m.kind} " · " {m.status.label(ctx.lang.get_untracked())}
            {when(t.created, Some(m.created))}
            {when(t.closed, m.closed)}
            {m.subject.map(|s| view! { <br /><em>{s}</em> })}
            {m.text.map(|s| view! { <br />{s} })}
            <br />{contact.join(" · ")}
            {(!m.events.is_empty()).then(|| view! {
                <ul>
                    {m.events.into_iter().map(|e| {
                        let mt = mail_texts(ctx.lang.get_untracked());
                        let kind = match e.kind.as_str() {
                            "forward" => mt.ev_forward,
                            "reply" => mt.ev_reply,
                            _ => mt.ev_note,
                        };
                        view! { <li>{kind} {when("", Some(e.at))} ": " {e.text}</li> }
                    }).collect_view()}
                </ul>
            })}
        </li>
    }
}

#[component]
fn MailItem(m: SubjectMail) -> impl IntoView {
    let ctx = use_ctx();
    let t = request_texts(ctx.lang.get_untracked());
    let sent = m.sent.is_some();
    view! {
        <li>
            {t.to} " " {m.recipient} ": " <strong>{m.subject}</strong>
            {when(t.created, Some(m.created))}
            {if sent { when(t.sent, m.sent).into_any() } else { view! { " · " {t.not_sent} }.into_any() }}
            <details><summary>{t.body}</summary><pre class="mail-body">{m.body}</pre></details>
        </li>
    }
}
