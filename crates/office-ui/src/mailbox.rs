//! The mailbox inbox (Bürgerbriefkasten) of the office page: list with filters and search,
//! a message with its contact data and history, forward / reply / internal note / close;
//! for admins statistics per kind and month and the mailbox settings
//! (`crates/server/src/http/office_messages.rs`).

use crate::api::{self, encode, ApiError};
use crate::texts::{kind_label, mail_texts, MailTexts};
use crate::{focus_id, local_time, use_ctx, FieldErr, FormOutcome, FormState, Msg};
use civickit_model::mailbox::DEFAULT_KINDS;
use civickit_model::validate::NOTE_MAX_CHARS;
use civickit_model::MessageStatus;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use serde_json::{json, Value};

/// The longest reply the server takes.
pub const REPLY_MAX_CHARS: usize = 10_000;

/// `mt!(ctx, field)`: a reactive text from the mailbox table.
macro_rules! mt {
    ($ctx:expr, $field:ident) => {
        move || mail_texts($ctx.lang.get()).$field
    };
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MsgSummary {
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: String,
    #[serde(default)]
    pub subject: String,
    pub status: String,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub department: Option<String>,
    pub created: String,
    #[serde(default)]
    pub has_contact: bool,
    #[serde(default)]
    pub erased: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MsgEvent {
    pub at: String,
    pub kind: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub user: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MsgDetail {
    #[serde(flatten)]
    pub summary: MsgSummary,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub events: Vec<MsgEvent>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct MsgList {
    messages: Vec<MsgSummary>,
    #[serde(default)]
    more: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct StatRow {
    kind: String,
    month: String,
    count: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Stats {
    counts: Vec<StatRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
struct MailSettings {
    anonymous_allowed: bool,
    retention_days: i64,
    erase_text: bool,
}

/// What an action answers: the message as it is now, or that it left the editor's department.
enum MsgChanged {
    Message(Box<MsgDetail>),
    RoutedAway,
}

/// The list query (without `?`).
pub fn list_query(status: &str, kind: &str, q: &str) -> String {
    [("status", status), ("kind", kind), ("q", q.trim())]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn messages(query: String) -> Result<MsgList, ApiError> {
    api::get(&if query.is_empty() {
        "/messages".into()
    } else {
        format!("/messages?{query}")
    })
    .await
}

async fn message(reference: &str) -> Result<MsgDetail, ApiError> {
    api::get(&format!("/messages/{}", encode(reference))).await
}

async fn act(
    csrf: &str,
    reference: &str,
    action: &str,
    body: &Value,
) -> Result<MsgChanged, ApiError> {
    let path = format!("/messages/{}/{action}", encode(reference));
    let v = api::send("POST", &path, Some(body), Some(csrf)).await?;
    if v.get("routed_away").and_then(Value::as_bool) == Some(true) {
        return Ok(MsgChanged::RoutedAway);
    }
    serde_json::from_value::<MsgDetail>(v)
        .map(|d| MsgChanged::Message(Box::new(d)))
        .map_err(ApiError::bad_answer)
}

fn status_label(lang: civickit_model::Lang, status: &str) -> String {
    MessageStatus::parse(status)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| status.to_string())
}

#[component]
fn MsgBadge(status: String) -> impl IntoView {
    let ctx = use_ctx();
    let class = format!("badge state msg-{status}");
    view! { <span class=class>{move || status_label(ctx.lang.get(), &status)}</span> }
}

#[component]
pub fn MailboxPage() -> impl IntoView {
    let ctx = use_ctx();
    let state = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let list = RwSignal::new(None::<MsgList>);
    let list_error = RwSignal::new(None::<Msg>);
    let selected = RwSignal::new(None::<String>);
    let detail = RwSignal::new(None::<MsgDetail>);
    let detail_error = RwSignal::new(None::<Msg>);
    let flash = RwSignal::new(None::<Msg>);
    let seq = StoredValue::new(0u32);

    let reload = move || {
        let q = list_query(
            &state.get_untracked(),
            &kind.get_untracked(),
            &query.get_untracked(),
        );
        seq.update_value(|s| *s += 1);
        let mine = seq.get_value();
        spawn_local(async move {
            let answer = messages(q).await;
            if seq.get_value() != mine {
                return;
            }
            match answer {
                Ok(l) => {
                    list.set(Some(l));
                    list_error.set(None);
                }
                Err(e) => list_error.set(Some(ctx.fail(&e))),
            }
        });
    };
    Effect::new(move |_| {
        state.track();
        kind.track();
        query.track();
        reload();
    });
    let open = move |reference: String| {
        selected.set(Some(reference.clone()));
        detail_error.set(None);
        flash.set(None);
        spawn_local(async move {
            match message(&reference).await {
                Ok(d) => {
                    detail.set(Some(d));
                    focus_id("msg-heading");
                }
                Err(e) => {
                    detail.set(None);
                    detail_error.set(Some(ctx.fail(&e)));
                }
            }
        });
    };

    view! {
        <div class="inbox mailbox" class:has-detail=move || selected.with(Option::is_some)>
            <section class="list-pane" aria-labelledby="page-heading">
                <h1 id="page-heading" tabindex="-1">
                    {mt!(ctx, heading)}
                </h1>
                <form
                    class="filters"
                    role="search"
                    aria-label=tr!(ctx, filters_label)
                    on:submit=move |ev: SubmitEvent| {
                        ev.prevent_default();
                        query.set(search.get_untracked());
                    }
                >
                    <div class="field search">
                        <label for="m-q">{tr!(ctx, search_label)}</label>
                        <div class="inline">
                            <input
                                id="m-q"
                                type="search"
                                aria-describedby="m-q-hint"
                                prop:value=move || search.get()
                                on:input=move |ev| search.set(event_target_value(&ev))
                            />
                            <button type="submit">{tr!(ctx, search_button)}</button>
                        </div>
                        <p class="hint" id="m-q-hint">
                            {mt!(ctx, search_hint)}
                        </p>
                    </div>
                    <div class="field">
                        <label for="m-state">{tr!(ctx, filter_state)}</label>
                        <select id="m-state" on:change=move |ev| state.set(event_target_value(&ev))>
                            <option value="" prop:selected=move || state.with(String::is_empty)>
                                {tr!(ctx, all)}
                            </option>
                            {MessageStatus::ALL
                                .into_iter()
                                .map(|s| {
                                    view! {
                                        <option value=s.as_str() prop:selected=move || state.with(|v| v == s.as_str())>
                                            {move || s.label(ctx.lang.get())}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="m-kind">{mt!(ctx, filter_kind)}</label>
                        <select id="m-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            <option value="" prop:selected=move || kind.with(String::is_empty)>
                                {tr!(ctx, all)}
                            </option>
                            {DEFAULT_KINDS
                                .iter()
                                .map(|(code, de, en)| {
                                    let (code, de, en) = (*code, *de, *en);
                                    view! {
                                        <option value=code prop:selected=move || kind.with(|v| v == code)>
                                            {move || ctx.lang.get().pick(de, en)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                </form>
                <p class="flash" role="status">
                    {move || flash.get().map(|m| m(ctx.t()))}
                </p>
                <p class="count" role="status">
                    {move || {
                        list.with(|l| {
                            l.as_ref()
                                .map(|l| message_count(ctx.lang.get(), l.messages.len(), l.more))
                                .unwrap_or_default()
                        })
                    }}
                </p>
                <p class="form-error" role="alert">
                    {move || list_error.get().map(|m| m(ctx.t()))}
                </p>
                {move || {
                    list.with(|l| {
                        l.as_ref()
                            .filter(|l| l.messages.is_empty())
                            .map(|_| view! { <p class="empty">{mt!(ctx, empty)}</p> })
                    })
                }}
                <ul class="reports messages">
                    {move || {
                        list.get()
                            .map(|l| {
                                l.messages
                                    .into_iter()
                                    .map(|m| view! { <MsgRow m selected open /> })
                                    .collect_view()
                            })
                    }}
                </ul>
            </section>
            <section class="detail-pane" aria-labelledby="msg-heading">
                <p class="form-error" role="alert">
                    {move || detail_error.get().map(|m| m(ctx.t()))}
                </p>
                <Show
                    when=move || detail.with(Option::is_some)
                    fallback=move || view! { <p class="pick">{mt!(ctx, pick)}</p> }
                >
                    <MsgDetailPane detail selected flash reload=Callback::new(move |_: ()| reload()) />
                </Show>
            </section>
        </div>
    }
}

#[component]
fn MsgRow(
    m: MsgSummary,
    selected: RwSignal<Option<String>>,
    open: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let reference = m.reference.clone();
    let r2 = reference.clone();
    let created = m.created.clone();
    let kind = m.kind.clone();
    view! {
        <li>
            <button
                type="button"
                class="report message"
                aria-current=move || selected.with(|s| s.as_deref() == Some(r2.as_str())).then_some("true")
                on:click=move |_| open(reference.clone())
            >
                <span class="line1">
                    <span class="ref">{m.reference.clone()}</span>
                    <MsgBadge status=m.status.clone() />
                    <span class="badge kind">{move || kind_label(ctx.lang.get(), &kind)}</span>
                </span>
                <span class="summary">{m.subject.clone()}</span>
                <span class="meta">
                    {move || local_time(ctx.lang.get(), &created)}
                    {m.department.clone().map(|d| format!(" · {d}"))}
                </span>
            </button>
        </li>
    }
}

#[component]
fn MsgDetailPane(
    detail: RwSignal<Option<MsgDetail>>,
    selected: RwSignal<Option<String>>,
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
        let csrf = ctx.csrf();
        spawn_local(async move {
            match act(&csrf, &reference, action, &body).await {
                Ok(MsgChanged::Message(d)) => {
                    form.busy.set(false);
                    detail.set(Some(*d));
                    form.done.set(Some(ok));
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
                Ok(MsgChanged::RoutedAway) => {
                    form.busy.set(false);
                    detail.set(None);
                    selected.set(None);
                    flash.set(Some(|t| t.mailbox_routed_away));
                    reload.run(());
                    focus_id("page-heading");
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };

    let submit_forward = move |ev: SubmitEvent| {
        ev.prevent_default();
        let id = department.get_untracked().parse::<i64>().unwrap_or(0);
        run(
            "forward",
            json!({"department_id": id, "send_email": send_email.get_untracked()}),
            forward_form,
            |t| t.mailbox_forwarded,
        );
    };
    let submit_reply = move |ev: SubmitEvent| {
        ev.prevent_default();
        run(
            "reply",
            json!({"text": reply.get_untracked()}),
            reply_form,
            |t| t.mailbox_replied,
        );
    };
    let submit_note = move |ev: SubmitEvent| {
        ev.prevent_default();
        run(
            "notes",
            json!({"text": note.get_untracked()}),
            note_form,
            |t| t.mailbox_noted,
        );
    };
    let is_closed =
        move || detail.with(|d| d.as_ref().is_some_and(|d| d.summary.status == "closed"));
    let toggle_closed = move |_| {
        let next = if is_closed() { "received" } else { "closed" };
        run("status", json!({"status": next}), status_form, |t| {
            t.mailbox_status_changed
        });
    };
    let has_email = move || detail.with(|d| d.as_ref().is_some_and(|d| d.email.is_some()));
    let departments = me.departments.clone();

    view! {
        <div class="detail">
            <button
                type="button"
                class="quiet back"
                on:click=move |_| {
                    selected.set(None);
                    detail.set(None);
                    focus_id("page-heading");
                }
            >
                "← "
                {tr!(ctx, back_to_list)}
            </button>
            {move || detail.get().map(|d| view! { <MsgFacts d /> })}

            <h3 class="actions-heading">{mt!(ctx, forward_heading)}</h3>
            <form class="action" id="m-forward" on:submit=submit_forward novalidate>
                <div class="field">
                    <label for="m-dept">{mt!(ctx, forward_to)}</label>
                    <select
                        id="m-dept"
                        aria-invalid=move || forward_form.invalid(&["department_id"])
                        aria-describedby="m-dept-err"
                        on:change=move |ev| department.set(event_target_value(&ev))
                    >
                        <option value="" prop:selected=move || department.with(String::is_empty)>
                            {mt!(ctx, choose)}
                        </option>
                        {departments
                            .iter()
                            .map(|d| {
                                let id = d.id.to_string();
                                let id2 = id.clone();
                                view! {
                                    <option value=id prop:selected=move || department.with(|v| *v == id2)>
                                        {d.name.clone()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldErr form=forward_form names=&["department_id"] id="m-dept-err" />
                </div>
                <div class="field check">
                    <input
                        id="m-send-email"
                        type="checkbox"
                        aria-invalid=move || forward_form.invalid(&["send_email"])
                        aria-describedby="m-send-email-hint m-send-email-err"
                        prop:checked=move || send_email.get()
                        on:change=move |ev| send_email.set(event_target_checked(&ev))
                    />
                    <label for="m-send-email">{mt!(ctx, send_email)}</label>
                    <p class="hint" id="m-send-email-hint">
                        {mt!(ctx, send_email_hint)}
                    </p>
                    <p class="field-error" id="m-send-email-err">
                        {move || {
                            forward_form
                                .invalid(&["send_email"])
                                .map(|_| mail_texts(ctx.lang.get()).send_email_no_address)
                        }}
                    </p>
                </div>
                <FormOutcome form=forward_form />
                <button type="submit" class="primary">
                    {mt!(ctx, forward_button)}
                </button>
            </form>

            <h3 class="actions-heading">{mt!(ctx, reply_heading)}</h3>
            <form class="action" id="m-reply" on:submit=submit_reply novalidate>
                <div class="field">
                    <label for="m-reply-text">{mt!(ctx, reply_label)}</label>
                    <p class="hint" id="m-reply-hint">
                        {move || {
                            if has_email() {
                                mail_texts(ctx.lang.get()).reply_hint
                            } else {
                                mail_texts(ctx.lang.get()).reply_no_email
                            }
                        }}
                    </p>
                    <textarea
                        id="m-reply-text"
                        rows="6"
                        maxlength=REPLY_MAX_CHARS.to_string()
                        aria-invalid=move || reply_form.invalid(&["text"])
                        aria-describedby="m-reply-hint m-reply-err"
                        prop:value=move || reply.get()
                        on:input=move |ev| reply.set(event_target_value(&ev))
                    ></textarea>
                    <FieldErr form=reply_form names=&["text"] id="m-reply-err" />
                </div>
                <FormOutcome form=reply_form />
                <button type="submit" class="primary">
                    {mt!(ctx, reply_button)}
                </button>
            </form>

            <h3 class="actions-heading">{mt!(ctx, note_heading)}</h3>
            <form class="action" id="m-note" on:submit=submit_note novalidate>
                <div class="field">
                    <label for="m-note-text">{mt!(ctx, note_label)}</label>
                    <textarea
                        id="m-note-text"
                        rows="3"
                        maxlength=NOTE_MAX_CHARS.to_string()
                        aria-invalid=move || note_form.invalid(&["text"])
                        aria-describedby="m-note-err"
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))
                    ></textarea>
                    <FieldErr form=note_form names=&["text"] id="m-note-err" />
                </div>
                <FormOutcome form=note_form />
                <button type="submit">{mt!(ctx, note_button)}</button>
            </form>

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
                    <MsgBadge status=d.summary.status.clone() />
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
                    let user = e.user.clone().unwrap_or_default();
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

/// "1 Nachricht", "12 Nachrichten", "100+ messages".
pub fn message_count(lang: civickit_model::Lang, n: usize, more: bool) -> String {
    let plus = if more { "+" } else { "" };
    match (lang, n) {
        (civickit_model::Lang::De, 1) if !more => "1 Nachricht".into(),
        (civickit_model::Lang::De, _) => format!("{n}{plus} Nachrichten"),
        (civickit_model::Lang::En, 1) if !more => "1 message".into(),
        (civickit_model::Lang::En, _) => format!("{n}{plus} messages"),
    }
}

/// A status event's text is the state's code; everything else is shown as written.
fn event_text(lang: civickit_model::Lang, text: &str) -> String {
    MessageStatus::parse(text)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| text.to_string())
}

/// Statistics and settings of the mailbox (admins).
#[component]
pub fn MailboxAdminPage() -> impl IntoView {
    let ctx = use_ctx();
    let stats = RwSignal::new(None::<Vec<StatRow>>);
    let stats_error = RwSignal::new(None::<Msg>);
    let anonymous = RwSignal::new(false);
    let days = RwSignal::new(String::new());
    let erase = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let form = FormState::new();
    spawn_local(async move {
        match api::get::<Stats>("/messages/statistics").await {
            Ok(s) => stats.set(Some(s.counts)),
            Err(e) => stats_error.set(Some(ctx.fail(&e))),
        }
        match api::get::<MailSettings>("/mailbox-settings").await {
            Ok(s) => {
                anonymous.set(s.anonymous_allowed);
                days.set(s.retention_days.to_string());
                erase.set(s.erase_text);
                loaded.set(true);
            }
            Err(e) => form.error.set(Some(ctx.fail(&e))),
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !form.start() {
            return;
        }
        let csrf = ctx.csrf();
        // Not a number goes as 0, so the server's range check names the field.
        let d = days.get_untracked().trim().parse::<i64>().unwrap_or(0);
        let body = json!({
            "anonymous_allowed": anonymous.get_untracked(),
            "retention_days": d,
            "erase_text": erase.get_untracked(),
        });
        spawn_local(async move {
            let answer = api::send("POST", "/mailbox-settings", Some(&body), Some(&csrf))
                .await
                .and_then(|v| {
                    serde_json::from_value::<MailSettings>(v).map_err(ApiError::bad_answer)
                });
            match answer {
                Ok(s) => {
                    form.busy.set(false);
                    anonymous.set(s.anonymous_allowed);
                    days.set(s.retention_days.to_string());
                    erase.set(s.erase_text);
                    form.done.set(Some(|t| t.mailbox_settings_saved));
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    view! {
        <section aria-labelledby="page-heading" class="settings mailbox-admin">
            <h1 id="page-heading" tabindex="-1">
                {mt!(ctx, nav_mailbox_admin)}
            </h1>
            <h2 id="stats-heading">{mt!(ctx, stats_heading)}</h2>
            <p class="form-error" role="alert">
                {move || stats_error.get().map(|m| m(ctx.t()))}
            </p>
            {move || stats.get().map(|rows| view! { <StatsTable rows /> })}
            <h2>{mt!(ctx, settings_heading)}</h2>
            <Show when=move || loaded.get() fallback=move || view! { <FormOutcome form /> }>
                <form class="action" id="m-settings" novalidate on:submit=submit>
                    <div class="field check">
                        <input
                            id="m-anonymous"
                            type="checkbox"
                            aria-describedby="m-anonymous-hint"
                            prop:checked=move || anonymous.get()
                            on:change=move |ev| anonymous.set(event_target_checked(&ev))
                        />
                        <label for="m-anonymous">{mt!(ctx, anonymous)}</label>
                        <p class="hint" id="m-anonymous-hint">
                            {mt!(ctx, anonymous_hint)}
                        </p>
                    </div>
                    <div class="field">
                        <label for="m-retention">{mt!(ctx, retention)}</label>
                        <p class="hint" id="m-retention-hint">
                            {mt!(ctx, retention_hint)}
                        </p>
                        <input
                            id="m-retention"
                            type="number"
                            inputmode="numeric"
                            min="1"
                            max="3650"
                            aria-invalid=move || form.invalid(&["retention_days"])
                            aria-describedby="m-retention-hint m-retention-err"
                            prop:value=move || days.get()
                            on:input=move |ev| days.set(event_target_value(&ev))
                        />
                        <FieldErr form names=&["retention_days"] id="m-retention-err" />
                    </div>
                    <div class="field check">
                        <input
                            id="m-erase"
                            type="checkbox"
                            aria-describedby="m-erase-hint"
                            prop:checked=move || erase.get()
                            on:change=move |ev| erase.set(event_target_checked(&ev))
                        />
                        <label for="m-erase">{mt!(ctx, erase_text)}</label>
                        <p class="hint" id="m-erase-hint">
                            {mt!(ctx, erase_text_hint)}
                        </p>
                    </div>
                    <FormOutcome form />
                    <button type="submit" class="primary">
                        {mt!(ctx, save)}
                    </button>
                </form>
            </Show>
        </section>
    }
}

/// Months down, kinds across, with a total per month.
#[component]
fn StatsTable(rows: Vec<StatRow>) -> impl IntoView {
    let ctx = use_ctx();
    if rows.is_empty() {
        return view! { <p>{mt!(ctx, stats_empty)}</p> }.into_any();
    }
    let mut kinds: Vec<String> = Vec::new();
    let mut months: Vec<String> = Vec::new();
    for r in &rows {
        if !kinds.contains(&r.kind) {
            kinds.push(r.kind.clone());
        }
        if !months.contains(&r.month) {
            months.push(r.month.clone());
        }
    }
    months.sort();
    months.reverse();
    let count = move |kind: &str, month: &str| {
        rows.iter()
            .filter(|r| r.kind == kind && r.month == month)
            .map(|r| r.count)
            .sum::<i64>()
    };
    let body: Vec<(String, Vec<i64>)> = months
        .iter()
        .map(|m| (m.clone(), kinds.iter().map(|k| count(k, m)).collect()))
        .collect();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="stats-heading">
            <table class="stats">
                <thead>
                    <tr>
                        <th scope="col">{mt!(ctx, stats_month)}</th>
                        {kinds
                            .iter()
                            .map(|k| {
                                let k = k.clone();
                                view! { <th scope="col">{move || kind_label(ctx.lang.get(), &k)}</th> }
                            })
                            .collect_view()}
                        <th scope="col">{mt!(ctx, stats_total)}</th>
                    </tr>
                </thead>
                <tbody>
                    {body
                        .into_iter()
                        .map(|(month, counts)| {
                            let total: i64 = counts.iter().sum();
                            view! {
                                <tr>
                                    <th scope="row">{month}</th>
                                    {counts.into_iter().map(|n| view! { <td>{n}</td> }).collect_view()}
                                    <td>{total}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_query_leaves_out_what_is_not_set() {
        assert_eq!(list_query("", "", " "), "");
        assert_eq!(
            list_query("forwarded", "lob", "Bank & Weg"),
            "status=forwarded&kind=lob&q=Bank%20%26%20Weg"
        );
    }

    #[test]
    fn answers_parse_as_the_server_writes_them() {
        let d: MsgDetail = serde_json::from_value(json!({
            "ref": "B-2026-00001", "kind": "lob", "subject": "Danke", "status": "forwarded",
            "status_label": "weitergeleitet", "department_id": 1, "department": "Bauhof",
            "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z",
            "has_contact": true, "erased": false, "message": "Vielen Dank!", "name": null,
            "email": "a@example.org", "phone": null,
            "events": [{"at": "2026-01-01T00:00:00Z", "kind": "forward", "text": null, "department_id": 1, "user": "x@y"}],
        }))
        .unwrap();
        assert_eq!(d.summary.reference, "B-2026-00001");
        assert_eq!(d.events[0].kind, "forward");
        assert_eq!(event_text(civickit_model::Lang::En, "closed"), "closed");
    }
}
