//! The open message: its facts, text, contact data and history, and the actions forward,
//! reply, internal note, close / reopen.

use super::{back_to_list, mt, REPLY_MAX_CHARS};
use crate::api::messages::{self as api, MsgDetail};
use crate::app::{tr, use_ctx};
use crate::browser::local_time;
use crate::components::{
    ActionForm, CheckField, Choice, FormOutcome, FormState, MsgBadge, SelectField, TextArea,
};
use crate::texts::{kind_label, mail_texts, MailTexts};
use crate::Msg;
use civickit_model::api::office::Changed as Answer;
use civickit_model::validate::NOTE_MAX_CHARS;
use civickit_model::MessageStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

#[component]
pub fn MsgDetailPane(
    detail: RwSignal<Option<MsgDetail>>,
    flash: RwSignal<Option<Msg>>,
    reload: Callback<()>,
) -> impl IntoView {
    let ctx = use_ctx();
    let me = ctx.me.get_untracked().expect("logged in");
    let reference =
        Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.summary.reference.clone())));
    let department = RwSignal::new(String::new());
    let send_email = RwSignal::new(false);
    let reply = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let forward_form = FormState::new();
    let reply_form = FormState::new();
    let note_form = FormState::new();
    let status_form = FormState::new();

    // Another message: start its forms afresh (texts typed for this one stay on errors).
    let shown = StoredValue::new(reference.get_untracked());
    Effect::new(move |_| {
        let now = reference.get();
        if now == shown.get_value() {
            return;
        }
        shown.set_value(now);
        department.set(String::new());
        send_email.set(false);
        reply.set(String::new());
        note.set(String::new());
        for f in [forward_form, reply_form, note_form, status_form] {
            f.clear();
        }
    });

    let run = move |action: &'static str, body: Value, form: FormState, ok: Msg| {
        let Some(reference) = reference.get_untracked() else {
            return;
        };
        if !form.start() {
            return;
        }
        spawn_local(async move {
            let answer = api::act(&reference, action, body).await;
            if form.busy.try_get_untracked().is_none() {
                return; // the official has left the page meanwhile
            }
            match answer {
                Ok(Answer::Current(d)) => {
                    detail.set(Some(d));
                    form.succeeded(ok);
                    match action {
                        "reply" => reply.set(String::new()),
                        "notes" => note.set(String::new()),
                        "forward" => {
                            department.set(String::new());
                            send_email.set(false);
                        }
                        _ => {}
                    }
                    reload.run(());
                }
                Ok(Answer::RoutedAway(_)) => {
                    form.busy.set(false);
                    flash.set(Some(|t| t.mailbox_routed_away));
                    reload.run(());
                    back_to_list(ctx);
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };

    let submit_forward = move |_| {
        let id = department.get_untracked().parse::<i64>().unwrap_or(0);
        run(
            "forward",
            json!({"department_id": id, "send_email": send_email.get_untracked()}),
            forward_form,
            |t| t.mailbox_forwarded,
        );
    };
    let submit_reply = move |_| {
        run(
            "reply",
            json!({"text": reply.get_untracked()}),
            reply_form,
            |t| t.mailbox_replied,
        );
    };
    let submit_note = move |_| {
        run(
            "notes",
            json!({"text": note.get_untracked()}),
            note_form,
            |t| t.mailbox_noted,
        );
    };
    let is_closed = move || {
        detail.with(|d| {
            d.as_ref()
                .is_some_and(|d| d.summary.status == MessageStatus::Closed)
        })
    };
    let toggle_closed = move |_| {
        let next = if is_closed() { "received" } else { "closed" };
        run("status", json!({"status": next}), status_form, |t| {
            t.mailbox_status_changed
        });
    };
    let has_email = move || detail.with(|d| d.as_ref().is_some_and(|d| d.email.is_some()));
    let departments: Vec<Choice> = me
        .departments
        .iter()
        .map(|d| Choice::new(d.id.to_string(), d.name.clone()))
        .collect();

    view! {
        <div class="detail">
            <button type="button" class="quiet back" on:click=move |_| back_to_list(ctx)>
                "← "
                {tr!(ctx, back_to_list)}
            </button>
            {move || detail.get().map(|d| view! { <MsgFacts d /> })}

            <h3 class="actions-heading">{mt!(ctx, forward_heading)}</h3>
            <ActionForm form=forward_form id="m-forward" button=mt!(ctx, forward_button) primary=true on_submit=Callback::new(submit_forward)>
                <SelectField
                    id="m-dept"
                    label=mt!(ctx, forward_to)
                    value=department
                    empty=mt!(ctx, choose)
                    options=Signal::stored(departments)
                    form=forward_form
                    errors=&["department_id"]
                />
                <CheckField
                    id="m-send-email"
                    label=mt!(ctx, send_email)
                    hint=mt!(ctx, send_email_hint)
                    value=send_email
                    form=forward_form
                    errors=&["send_email"]
                    error_text=mt!(ctx, send_email_no_address)
                />
            </ActionForm>

            <h3 class="actions-heading">{mt!(ctx, reply_heading)}</h3>
            <ActionForm form=reply_form id="m-reply" button=mt!(ctx, reply_button) primary=true on_submit=Callback::new(submit_reply)>
                <TextArea
                    id="m-reply-text"
                    describe_as="m-reply"
                    label=mt!(ctx, reply_label)
                    hint=move || {
                        let t = mail_texts(ctx.lang.get());
                        if has_email() { t.reply_hint } else { t.reply_no_email }
                    }
                    value=reply
                    rows=6
                    maxlength=REPLY_MAX_CHARS
                    form=reply_form
                    errors=&["text"]
                />
            </ActionForm>

            <h3 class="actions-heading">{mt!(ctx, note_heading)}</h3>
            <ActionForm form=note_form id="m-note" button=mt!(ctx, note_button) on_submit=Callback::new(submit_note)>
                <TextArea
                    id="m-note-text"
                    describe_as="m-note"
                    label=mt!(ctx, note_label)
                    value=note
                    rows=3
                    maxlength=NOTE_MAX_CHARS
                    form=note_form
                    errors=&["text"]
                />
            </ActionForm>

            <h3 class="actions-heading">{mt!(ctx, close_heading)}</h3>
            <div class="action">
                <FormOutcome form=status_form />
                <button type="button" id="m-close" on:click=toggle_closed>
                    {move || {
                        let t: &MailTexts = mail_texts(ctx.lang.get());
                        if is_closed() { t.reopen_button } else { t.close_button }
                    }}
                </button>
            </div>
        </div>
    }
}

#[component]
fn MsgFacts(d: MsgDetail) -> impl IntoView {
    let ctx = use_ctx();
    let created = d.summary.created.clone();
    let kind = d.summary.kind.clone();
    let contact = d.name.is_some() || d.email.is_some() || d.phone.is_some();
    view! {
        <h2 id="msg-heading" tabindex="-1">
            {d.summary.reference.clone()}
            ": "
            {d.summary.subject.clone()}
        </h2>
        <dl class="facts">
            <div>
                <dt>{tr!(ctx, filter_state)}</dt>
                <dd>
                    <MsgBadge status=d.summary.status />
                </dd>
            </div>
            <div>
                <dt>{mt!(ctx, kind)}</dt>
                <dd>{move || kind_label(ctx.lang.get(), &kind)}</dd>
            </div>
            <div>
                <dt>{mt!(ctx, received_at)}</dt>
                <dd>
                    <time datetime=d.summary.created.clone()>
                        {move || local_time(ctx.lang.get(), &created)}
                    </time>
                </dd>
            </div>
            <div>
                <dt>{mt!(ctx, department)}</dt>
                <dd>
                    {d.summary
                        .department
                        .clone()
                        .unwrap_or_else(|| "–".into())}
                </dd>
            </div>
        </dl>
        <h3>{mt!(ctx, text)}</h3>
        {match d.message.clone() {
            Some(text) if !text.is_empty() => {
                view! { <p class="description message-text">{text}</p> }.into_any()
            }
            _ => view! { <p class="hint">{mt!(ctx, text_erased)}</p> }.into_any(),
        }}
        <h3>{mt!(ctx, contact)}</h3>
        {if contact {
            view! {
                <dl class="facts contact">
                    {d.name.clone().map(|n| view! { <div><dt>{mt!(ctx, name)}</dt><dd>{n}</dd></div> })}
                    {d.email.clone().map(|e| {
                        let href = format!("mailto:{e}");
                        view! { <div><dt>{tr!(ctx, email)}</dt><dd><a href=href>{e}</a></dd></div> }
                    })}
                    {d.phone.clone().map(|p| view! { <div><dt>{mt!(ctx, phone)}</dt><dd>{p}</dd></div> })}
                </dl>
            }
                .into_any()
        } else {
            view! { <p class="hint">{mt!(ctx, no_contact)}</p> }.into_any()
        }}
        <h3>{mt!(ctx, history)}</h3>
        <ol class="notes events">
            {d.events
                .iter()
                .map(|e| {
                    let at = e.at.clone();
                    let kind = e.kind.clone();
                    let text = e.text.clone().unwrap_or_default();
                    let user = e.user.clone();
                    let internal = kind == "note";
                    view! {
                        <li class=if internal { "note internal" } else { "note" }>
                            <p class="note-head">
                                <span class="badge kind">
                                    {move || {
                                        let t = mail_texts(ctx.lang.get());
                                        match kind.as_str() {
                                            "forward" => t.ev_forward,
                                            "reply" => t.ev_reply,
                                            "note" => t.ev_note,
                                            _ => t.ev_status,
                                        }
                                    }}
                                </span>
                                <time datetime=e.at.clone()>{move || local_time(ctx.lang.get(), &at)}</time>
                                " "
                                {user}
                            </p>
                            <p class="note-text">{move || event_text(ctx.lang.get(), &text)}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// A status event's text is the state's code; everything else is shown as written.
fn event_text(lang: civickit_model::Lang, text: &str) -> String {
    MessageStatus::parse(text)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_events_read_as_the_state() {
        assert_eq!(event_text(civickit_model::Lang::En, "closed"), "closed");
    }
}
