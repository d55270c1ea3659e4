//! Access and erasure for one citizen: search by e-mail address or phone number, everything
//! found listed (or "Nichts gefunden"), the answer as a JSON file to hand over, and "Alles
//! löschen" behind a confirmation step, then what was erased. Focus follows each step, so a
//! screen reader hears the result.
//!
//! The items are written as lines of text first ([`Entry`]) and shown by one small view: a
//! view per kind of item cost the office wasm three times as much.

use crate::api::subject::{self as api, SubjectData};
use crate::app::use_ctx;
use crate::browser::{blob_url, focus_id, local_time, today};
use crate::components::{ActionForm, FormOutcome, FormState, TextField};
use crate::texts::{self, erased_summary, mail_texts, request_texts};
use civickit_model::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A search's answer as the page shows it: one signal for all of it, since every type held
/// in a signal is its own copy of code in the wasm.
#[derive(Clone)]
struct Answer {
    /// What was asked: erasure acts on it, not on the field edited since.
    asked: String,
    data: SubjectData,
    /// The answer as the server sent it, as a file: (blob URL, file name).
    file: (String, String),
}

#[component]
pub fn RequestsSection() -> impl IntoView {
    let ctx = use_ctx();
    let t = move || request_texts(ctx.lang.get());
    let typed = RwSignal::new(String::new());
    let answer = RwSignal::new(None::<Answer>);
    let confirming = RwSignal::new(false);
    // What was erased, in words.
    let erased = RwSignal::new(None::<String>);
    let search = FormState::new();
    let erasing = FormState::new();

    let submit = move |_| {
        if !search.start() {
            return;
        }
        let asked = typed.get_untracked();
        answer.set(None);
        confirming.set(false);
        erased.set(None);
        erasing.clear();
        spawn_local(async move {
            match api::lookup(&asked).await {
                Ok((data, text)) => {
                    let name = format!("auskunft-{}.json", today());
                    answer.set(Some(Answer {
                        asked,
                        data,
                        file: (blob_url(&text, "application/json"), name),
                    }));
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
        let asked = answer.with_untracked(|a| a.as_ref().map(|a| a.asked.clone()));
        let Some(asked) = asked else { return };
        spawn_local(async move {
            match api::erase(&asked).await {
                Ok(n) => {
                    erasing.busy.set(false);
                    confirming.set(false);
                    answer.set(None);
                    let lang = ctx.lang.get_untracked();
                    erased.set(Some(format!(
                        "{}: {}",
                        request_texts(lang).erased,
                        erased_summary(lang, n.reports, n.messages, n.mails)
                    )));
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
            {move || erased.get().map(|text| view! {
                <p class="form-done" role="status" id="p-erased" tabindex="-1">{text}</p>
            })}
            {move || answer.get().map(|Answer { data, file: (href, name), .. }| {
                let lang = ctx.lang.get();
                let t = request_texts(lang);
                let groups = groups(lang, &data);
                let empty = groups.is_empty();
                view! {
                    <h3 id="p-found" tabindex="-1">{if empty { t.nothing_found } else { t.found }}</h3>
                    {(!empty).then(|| view! {
                        {groups.into_iter().map(|(heading, entries)| view! {
                            <h4>{heading}</h4>
                            <ul class="subject-items">
                                {entries.into_iter().map(|e| view! {
                                    <li>
                                        <strong>{e.title}</strong>
                                        {e.lines.iter().map(|l| format!("\n{l}")).collect::<String>()}
                                        {e.body.map(|b| view! {
                                            <details><summary>{t.body}</summary><pre class="mail-body">{b}</pre></details>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }).collect_view()}
                        <p><a href=href download=name id="p-download">{t.download}</a></p>
                        <Show
                            when=move || confirming.get()
                            fallback=move || view! {
                                <button type="button" id="p-erase" on:click=ask>{t.erase}</button>
                            }
                        >
                            <div class="confirm" role="group" aria-labelledby="p-erase-question">
                                <p id="p-erase-question"><strong>{t.erase_question}</strong></p>
                                <button type="button" class="primary" id="p-erase-yes" on:click=erase>
                                    {t.erase_yes}
                                </button>
                                <button type="button" on:click=cancel>{t.cancel}</button>
                            </div>
                        </Show>
                        <FormOutcome form=erasing />
                    })}
                }
            })}
        </section>
    }
}

/// One item found: its first line (reference and facts), the lines under it and, for a mail,
/// its text (shown folded).
#[derive(Debug, PartialEq)]
struct Entry {
    title: String,
    lines: Vec<String>,
    body: Option<String>,
}

/// The kinds that have items: heading with count, and the items.
fn groups(lang: Lang, data: &SubjectData) -> Vec<(String, Vec<Entry>)> {
    let t = request_texts(lang);
    let office = texts::texts(lang);
    let time = |label: &str, at: &Option<String>| {
        at.as_ref()
            .map(|at| format!(" · {label} {}", local_time(lang, at)))
            .unwrap_or_default()
    };
    let reports = data.reports.iter().map(|r| Entry {
        title: format!(
            "{} · {}{}{}",
            r.reference,
            r.status.label(lang),
            time(t.created, &Some(r.created.clone())),
            time(t.finished, &r.finished),
        ),
        lines: [
            Some(r.description.clone()),
            r.original_description.clone(),
            r.address.clone(),
        ]
        .into_iter()
        .flatten()
        .chain([format!(
            "{}: {} ({})",
            t.email_state,
            r.email,
            email_state(office, r.email_state.as_deref())
        )])
        .collect(),
        body: None,
    });
    let mt = mail_texts(lang);
    let messages = data.messages.iter().map(|m| {
        let contact: Vec<&str> = [&m.name, &m.email, &m.phone]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let events = m.events.iter().map(|e| {
            let kind = match e.kind.as_str() {
                "forward" => mt.ev_forward,
                "reply" => mt.ev_reply,
                _ => mt.ev_note,
            };
            format!("{kind}{}: {}", time("", &Some(e.at.clone())), e.text)
        });
        Entry {
            title: format!(
                "{} · {} · {}{}{}",
                m.reference,
                m.kind,
                m.status.label(lang),
                time(t.created, &Some(m.created.clone())),
                time(t.closed, &m.closed),
            ),
            lines: [m.subject.clone(), m.text.clone(), Some(contact.join(" · "))]
                .into_iter()
                .flatten()
                .chain(events)
                .collect(),
            body: None,
        }
    });
    let mails = data.mails.iter().map(|m| Entry {
        title: format!(
            "{} {}: {}{}{}",
            t.to,
            m.recipient,
            m.subject,
            time(t.created, &Some(m.created.clone())),
            if m.sent.is_some() {
                time(t.sent, &m.sent)
            } else {
                format!(" · {}", t.not_sent)
            }
        ),
        lines: Vec::new(),
        body: Some(m.body.clone()),
    });
    let group = |heading: &str, entries: Vec<Entry>| {
        (!entries.is_empty()).then(|| (format!("{heading} ({})", entries.len()), entries))
    };
    [
        group(t.reports, reports.collect()),
        group(t.messages, messages.collect()),
        group(t.mails, mails.collect()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn email_state(t: &'static texts::Texts, state: Option<&str>) -> &'static str {
    match state {
        Some("confirmed") => t.mail_confirmed,
        Some("unconfirmed") => t.mail_unconfirmed,
        Some("unsubscribed") => t.mail_unsubscribed,
        _ => t.mail_none,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use civickit_model::api::office::{SubjectEvent, SubjectMail, SubjectMessage, SubjectReport};
    use civickit_model::{MessageStatus, Status};

    #[test]
    fn items_read_as_lines_grouped_by_kind() {
        let data = SubjectData {
            reports: vec![SubjectReport {
                reference: "M-2026-00042".into(),
                status: Status::Resolved,
                created: "2026-11-02T08:15:00Z".into(),
                updated: "2026-11-20T10:00:00Z".into(),
                finished: Some("2026-11-20T10:00:00Z".into()),
                description: "Laterne dunkel.".into(),
                original_description: None,
                address: Some("Lindenstraße 56".into()),
                email: "anna@example.org".into(),
                email_state: Some("confirmed".into()),
            }],
            messages: vec![SubjectMessage {
                reference: "B-2026-00017".into(),
                kind: "frage".into(),
                status: MessageStatus::Answered,
                created: "2026-11-03T09:00:00Z".into(),
                updated: "2026-11-04T11:30:00Z".into(),
                closed: None,
                subject: Some("Sperrmüll".into()),
                text: None,
                name: None,
                email: Some("anna@example.org".into()),
                phone: Some("0171 5551234".into()),
                events: vec![SubjectEvent {
                    at: "2026-11-04T11:30:00Z".into(),
                    kind: "reply".into(),
                    text: "Am Dienstag.".into(),
                }],
            }],
            mails: vec![SubjectMail {
                recipient: "anna@example.org".into(),
                subject: "Antwort".into(),
                body: "Guten Tag".into(),
                created: "2026-11-04T11:30:00Z".into(),
                sent: None,
            }],
        };
        let groups = groups(Lang::De, &data);
        let headings: Vec<&str> = groups.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(
            headings,
            [
                "Meldungen (1)",
                "Nachrichten (1)",
                "E-Mails im Postausgang (1)"
            ]
        );
        let report = &groups[0].1[0];
        assert!(report.title.starts_with("M-2026-00042 · erledigt · vom "));
        assert_eq!(
            report.lines,
            [
                "Laterne dunkel.",
                "Lindenstraße 56",
                "E-Mail: anna@example.org (bestätigt: die meldende Person erhält Statusmails)"
            ]
        );
        let message = &groups[1].1[0];
        assert_eq!(message.lines[1], "anna@example.org · 0171 5551234");
        assert!(message.lines[2].ends_with(": Am Dienstag."));
        let mail = &groups[2].1[0];
        assert!(mail.title.ends_with(" · nicht versandt"));
        assert_eq!(mail.body.as_deref(), Some("Guten Tag"));
    }
}
