//! Polls in the office (admins, `crates/server/src/http/office_polls.rs`): list with state,
//! turnout and codes; create and edit (until the first vote); open, close, publish, delete;
//! invitation codes as CSV or printable slips (shown once); results with bars and CSV export.

use crate::api::{self, encode, ApiError};
use crate::{focus_id, local_time, use_ctx, FormOutcome, FormState, Msg};
use civickit_model::poll::PollState;
use civickit_model::Lang;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OptionResult {
    #[serde(default)]
    pub id: i64,
    pub text: String,
    #[serde(default)]
    pub votes: i64,
    #[serde(default)]
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QuestionResult {
    pub text: String,
    pub options: Vec<OptionResult>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Results {
    #[serde(default)]
    pub participations: i64,
    #[serde(default)]
    pub questions: Vec<QuestionResult>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PollOption {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PollQuestion {
    pub text: String,
    pub kind: String,
    #[serde(default)]
    pub min_choices: i64,
    #[serde(default)]
    pub max_choices: i64,
    #[serde(default)]
    pub options: Vec<PollOption>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Poll {
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub mode: String,
    pub visibility: String,
    pub state: String,
    pub opens_at: String,
    pub closes_at: String,
    #[serde(default)]
    pub questions: Vec<PollQuestion>,
    #[serde(default)]
    pub results: Option<Results>,
    #[serde(default)]
    pub published: bool,
    #[serde(default)]
    pub codes_issued: Option<i64>,
    #[serde(default)]
    pub codes_used: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct PollList {
    polls: Vec<Poll>,
}

/// One question as the form keeps it (options one per line).
#[derive(Debug, Clone, Copy)]
struct QForm {
    text: RwSignal<String>,
    kind: RwSignal<String>,
    min: RwSignal<String>,
    max: RwSignal<String>,
    options: RwSignal<String>,
}

impl QForm {
    fn new() -> QForm {
        QForm {
            text: RwSignal::new(String::new()),
            kind: RwSignal::new("single".into()),
            min: RwSignal::new("1".into()),
            max: RwSignal::new("1".into()),
            options: RwSignal::new(String::new()),
        }
    }
    fn from(q: &PollQuestion) -> QForm {
        let f = QForm::new();
        f.text.set(q.text.clone());
        f.kind.set(q.kind.clone());
        f.min.set(q.min_choices.to_string());
        f.max.set(q.max_choices.to_string());
        f.options.set(
            q.options
                .iter()
                .map(|o| o.text.clone())
                .collect::<Vec<_>>()
                .join("\n"),
        );
        f
    }
    fn json(&self) -> Value {
        let n = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>().unwrap_or(1);
        let kind = self.kind.get_untracked();
        let (min, max) = if kind == "single" {
            (1, 1)
        } else {
            (n(self.min), n(self.max))
        };
        json!({
            "text": self.text.get_untracked(),
            "kind": kind,
            "min_choices": min,
            "max_choices": max,
            "options": options_of(&self.options.get_untracked()),
        })
    }
}

/// The options typed one per line, without empty lines.
pub fn options_of(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// The form's own checks, so errors stand next to their fields: (field id, message).
fn check(
    lang: Lang,
    title: &str,
    opens: &str,
    closes: &str,
    questions: &[QForm],
) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    if title.trim().is_empty() {
        out.push((
            "p-title".into(),
            lang.pick("Bitte einen Titel eingeben.", "Please enter a title."),
        ));
    }
    if opens.is_empty() {
        out.push((
            "p-opens".into(),
            lang.pick("Bitte einen Zeitpunkt wählen.", "Please choose a time."),
        ));
    }
    if closes.is_empty() || (!opens.is_empty() && closes <= opens) {
        out.push((
            "p-closes".into(),
            lang.pick(
                "Das Ende muss nach dem Beginn liegen.",
                "The closing time must be after the opening time.",
            ),
        ));
    }
    for (i, q) in questions.iter().enumerate() {
        if q.text.get_untracked().trim().is_empty() {
            out.push((
                format!("p-q{i}-text"),
                lang.pick("Bitte die Frage eingeben.", "Please enter the question."),
            ));
        }
        let n = options_of(&q.options.get_untracked()).len();
        if n < 2 {
            out.push((
                format!("p-q{i}-options"),
                lang.pick(
                    "Mindestens zwei Antworten, eine pro Zeile.",
                    "At least two options, one per line.",
                ),
            ));
        }
        if q.kind.get_untracked() == "multiple" {
            let min = q.min.get_untracked().trim().parse::<usize>().ok();
            let max = q.max.get_untracked().trim().parse::<usize>().ok();
            match (min, max) {
                (Some(min), Some(max)) if min <= max && max >= 1 && max <= n.max(1) => {}
                _ => out.push((
                    format!("p-q{i}-max"),
                    lang.pick(
                        "Mindestens ≤ höchstens ≤ Zahl der Antworten.",
                        "Minimum ≤ maximum ≤ number of options.",
                    ),
                )),
            }
        }
    }
    out
}

/// A `datetime-local` value to RFC 3339 (the browser's time zone).
fn from_local_input(v: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(v));
        if d.get_time().is_nan() {
            return v.to_string();
        }
        d.to_iso_string().into()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        format!("{v}:00Z")
    }
}

/// An RFC 3339 time (or now + `days` when empty) as a `datetime-local` value.
fn to_local_input(rfc3339: Option<&str>, days: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let ms = match rfc3339 {
            Some(t) => js_sys::Date::parse(t),
            None => js_sys::Date::now() + days * 86_400_000.0,
        };
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
        let local = ms - d.get_timezone_offset() * 60_000.0;
        let s: String = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(local))
            .to_iso_string()
            .into();
        s.chars().take(16).collect()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = days;
        rfc3339.unwrap_or("").chars().take(16).collect()
    }
}

fn state_label(lang: Lang, state: &str) -> String {
    PollState::parse(state)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| state.to_string())
}

async fn post_poll(csrf: &str, path: &str, body: &Value) -> Result<Value, ApiError> {
    api::send("POST", path, Some(body), Some(csrf)).await
}

/// POSTs for codes and answers the file as text (CSV or HTML).
#[cfg(target_arch = "wasm32")]
async fn codes_file(csrf: &str, slug: &str, count: i64, format: &str) -> Result<String, ApiError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| ApiError::default())?;
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("X-CSRF-Token", csrf);
    init.set_headers(&headers);
    init.set_body(&wasm_bindgen::JsValue::from_str(
        &json!({ "count": count }).to_string(),
    ));
    let url = format!("/office/api/polls/{}/codes?format={format}", encode(slug));
    let window = web_sys::window().ok_or_else(ApiError::default)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(|_| ApiError::default())?
        .dyn_into()
        .map_err(|_| ApiError::default())?;
    let status = response.status();
    let text = match response.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(ApiError::from_body(status, &text))
    }
}

#[cfg(not(target_arch = "wasm32"))]
async fn codes_file(_: &str, slug: &str, count: i64, format: &str) -> Result<String, ApiError> {
    let _ = (encode(slug), count, format);
    Err(ApiError::default())
}

/// A blob: URL for a downloaded file, so it can be saved or opened from a link.
fn blob_url(text: &str, mime: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(mime);
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
            .ok()
            .and_then(|b| web_sys::Url::create_object_url_with_blob(&b).ok())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (text, mime);
        String::new()
    }
}

#[component]
pub fn PollsPage() -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    let polls = RwSignal::new(None::<Vec<Poll>>);
    let error = RwSignal::new(None::<Msg>);
    let flash = RwSignal::new(None::<Msg>);
    // None: the list; Some(None): a new poll; Some(Some(slug)): edit that poll.
    let editing = RwSignal::new(None::<Option<Poll>>);
    let results_of = RwSignal::new(None::<Poll>);
    let reload = move || {
        spawn_local(async move {
            match api::get::<PollList>("/polls").await {
                Ok(l) => {
                    polls.set(Some(l.polls));
                    error.set(None);
                }
                Err(e) => error.set(Some(ctx.fail(&e))),
            }
        });
    };
    reload();
    let action = move |slug: String, what: &'static str, ok: Msg| {
        let csrf = ctx.csrf();
        flash.set(None);
        spawn_local(async move {
            let path = format!("/polls/{}", encode(&slug));
            let answer = if what == "delete" {
                api::send("DELETE", &path, None, Some(&csrf)).await
            } else {
                post_poll(&csrf, &format!("{path}/{what}"), &json!({})).await
            };
            match answer {
                Ok(_) => {
                    flash.set(Some(ok));
                    results_of.set(None);
                    reload();
                }
                Err(e) => error.set(Some(ctx.fail(&e))),
            }
        });
    };
    view! {
        <section aria-labelledby="page-heading" class="polls settings">
            <h1 id="page-heading" tabindex="-1">
                {move || lang().pick("Umfragen", "Polls")}
            </h1>
            <p class="form-error" role="alert">
                {move || error.get().map(|m| m(ctx.t()))}
            </p>
            <p class="form-done" role="status">
                {move || flash.get().map(|m| m(ctx.t()))}
            </p>
            <Show
                when=move || editing.with(Option::is_none)
                fallback=move || {
                    let poll = editing.get().flatten();
                    view! { <PollForm poll editing flash reload=Callback::new(move |_: ()| reload()) /> }
                }
            >
                <button
                    type="button"
                    class="primary"
                    on:click=move |_| {
                        editing.set(Some(None));
                        focus_id("poll-form-heading");
                    }
                >
                    {move || lang().pick("Neue Umfrage", "New poll")}
                </button>
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="page-heading">
                    <table class="polls-list">
                        <thead>
                            <tr>
                                <th scope="col">{move || lang().pick("Titel", "Title")}</th>
                                <th scope="col">{move || lang().pick("Status", "State")}</th>
                                <th scope="col">{move || lang().pick("Teilnahmen", "Turnout")}</th>
                                <th scope="col">{move || lang().pick("Codes ausgegeben / genutzt", "Codes issued / used")}</th>
                                <th scope="col">{move || lang().pick("Aktionen", "Actions")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                polls
                                    .get()
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(|p| {
                                        let state = p.state.clone();
                                        let slug = p.slug.clone();
                                        let (s1, s2, s3, s4) = (slug.clone(), slug.clone(), slug.clone(), slug.clone());
                                        let p_edit = p.clone();
                                        let p_res = p.clone();
                                        let turnout = p.results.as_ref().map(|r| r.participations).unwrap_or(0);
                                        let votes_cast = turnout > 0;
                                        let opens = p.opens_at.clone();
                                        let closes = p.closes_at.clone();
                                        let title = p.title.clone();
                                        view! {
                                            <tr>
                                                <th scope="row">
                                                    {p.title.clone()}
                                                    <br />
                                                    <small>
                                                        {move || local_time(lang(), &opens)}
                                                        " – "
                                                        {move || local_time(lang(), &closes)}
                                                    </small>
                                                </th>
                                                <td>
                                                    {move || state_label(lang(), &state)}
                                                    {p.published.then(|| view! { <span>{move || lang().pick(" · veröffentlicht", " · published")}</span> })}
                                                </td>
                                                <td>{turnout}</td>
                                                <td>
                                                    {match (p.codes_issued, p.codes_used) {
                                                        (Some(i), Some(u)) => format!("{i} / {u}"),
                                                        _ => "–".into(),
                                                    }}
                                                </td>
                                                <td class="actions">
                                                    <div class="inline" style="flex-wrap:wrap;gap:.25rem" role="group" aria-label=title.clone()>
                                                        <button type="button" on:click=move |_| results_of.set(Some(p_res.clone()))>
                                                            {move || lang().pick("Ergebnisse", "Results")}
                                                        </button>
                                                        {(!votes_cast).then(|| view! {
                                                            <button type="button" on:click=move |_| { editing.set(Some(Some(p_edit.clone()))); focus_id("poll-form-heading"); }>
                                                                {move || lang().pick("Bearbeiten", "Edit")}
                                                            </button>
                                                        })}
                                                        <button type="button" on:click=move |_| action(s1.clone(), "open", |t| t.poll_changed)>
                                                            {move || lang().pick("Öffnen", "Open")}
                                                        </button>
                                                        <button type="button" on:click=move |_| action(s2.clone(), "close", |t| t.poll_changed)>
                                                            {move || lang().pick("Schließen", "Close")}
                                                        </button>
                                                        <button type="button" on:click=move |_| action(s3.clone(), "publish", |t| t.poll_changed)>
                                                            {move || lang().pick("Ergebnis veröffentlichen", "Publish results")}
                                                        </button>
                                                        <button type="button" class="danger" on:click=move |_| {
                                                            if confirm(lang().pick("Umfrage wirklich löschen?", "Really delete the poll?")) {
                                                                action(s4.clone(), "delete", |t| t.poll_deleted)
                                                            }
                                                        }>
                                                            {move || lang().pick("Löschen", "Delete")}
                                                        </button>
                                                    </div>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
                {move || results_of.get().map(|p| view! { <PollResults poll=p /> })}
            </Show>
        </section>
    }
}

fn confirm(text: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(text).ok())
            .unwrap_or(false)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = text;
        true
    }
}

#[component]
fn PollForm(
    poll: Option<Poll>,
    editing: RwSignal<Option<Option<Poll>>>,
    flash: RwSignal<Option<Msg>>,
    reload: Callback<()>,
) -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    let slug = poll.as_ref().map(|p| p.slug.clone());
    let is_edit = slug.is_some();
    let title = RwSignal::new(poll.as_ref().map(|p| p.title.clone()).unwrap_or_default());
    let description = RwSignal::new(
        poll.as_ref()
            .map(|p| p.description.clone())
            .unwrap_or_default(),
    );
    let mode = RwSignal::new(
        poll.as_ref()
            .map(|p| p.mode.clone())
            .unwrap_or_else(|| "open".into()),
    );
    let visibility = RwSignal::new(
        poll.as_ref()
            .map(|p| p.visibility.clone())
            .unwrap_or_else(|| "live".into()),
    );
    let opens = RwSignal::new(to_local_input(
        poll.as_ref().map(|p| p.opens_at.as_str()),
        0.0,
    ));
    let closes = RwSignal::new(to_local_input(
        poll.as_ref().map(|p| p.closes_at.as_str()),
        14.0,
    ));
    let questions = RwSignal::new(
        poll.as_ref()
            .map(|p| p.questions.iter().map(QForm::from).collect::<Vec<_>>())
            .filter(|q| !q.is_empty())
            .unwrap_or_else(|| vec![QForm::new()]),
    );
    let errors = RwSignal::new(Vec::<(String, &'static str)>::new());
    let server_message = RwSignal::new(String::new());
    let form = FormState::new();
    let err_for = move |id: String| {
        move || errors.with(|e| e.iter().find(|(f, _)| *f == id).map(|(_, m)| m.to_string()))
    };
    let invalid_for = move |id: &'static str| {
        move || errors.with(|e| e.iter().any(|(f, _)| f == id).then_some("true"))
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let qs = questions.get_untracked();
        let found = check(
            lang(),
            &title.get_untracked(),
            &opens.get_untracked(),
            &closes.get_untracked(),
            &qs,
        );
        server_message.set(String::new());
        if let Some((first, _)) = found.first() {
            let id = first.clone();
            errors.set(found);
            form.error.set(Some(|t| t.err_check_fields));
            #[cfg(target_arch = "wasm32")]
            {
                use wasm_bindgen::JsCast;
                if let Some(el) = document()
                    .get_element_by_id(&id)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.focus();
                }
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = id;
            return;
        }
        errors.set(Vec::new());
        if !form.start() {
            return;
        }
        let body = json!({
            "title": title.get_untracked(),
            "description": description.get_untracked(),
            "mode": mode.get_untracked(),
            "visibility": visibility.get_untracked(),
            "opens_at": from_local_input(&opens.get_untracked()),
            "closes_at": from_local_input(&closes.get_untracked()),
            "questions": qs.iter().map(QForm::json).collect::<Vec<_>>(),
        });
        let csrf = ctx.csrf();
        let slug = slug.clone();
        spawn_local(async move {
            let answer = match &slug {
                Some(s) => {
                    api::send(
                        "PUT",
                        &format!("/polls/{}", encode(s)),
                        Some(&body),
                        Some(&csrf),
                    )
                    .await
                }
                None => post_poll(&csrf, "/polls", &body).await,
            };
            match answer {
                Ok(_) => {
                    form.busy.set(false);
                    flash.set(Some(|t| t.poll_saved));
                    editing.set(None);
                    reload.run(());
                    focus_id("page-heading");
                }
                Err(e) => {
                    server_message.set(e.message.clone());
                    form.failed(ctx, e);
                }
            }
        });
    };

    view! {
        <form class="action poll-form" novalidate on:submit=submit>
            <h2 id="poll-form-heading" tabindex="-1">
                {move || {
                    if is_edit {
                        lang().pick("Umfrage bearbeiten", "Edit poll")
                    } else {
                        lang().pick("Neue Umfrage", "New poll")
                    }
                }}
            </h2>
            <div class="field">
                <label for="p-title">{move || lang().pick("Titel", "Title")}</label>
                <input
                    id="p-title"
                    type="text"
                    maxlength="200"
                    aria-invalid=invalid_for("p-title")
                    aria-describedby="p-title-err"
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))
                />
                <p class="field-error" id="p-title-err">{err_for("p-title".into())}</p>
            </div>
            <div class="field">
                <label for="p-description">{move || lang().pick("Beschreibung (optional)", "Description (optional)")}</label>
                <textarea
                    id="p-description"
                    rows="3"
                    maxlength="2000"
                    prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))
                ></textarea>
            </div>
            <div class="field">
                <label for="p-mode">{move || lang().pick("Teilnahme", "Participation")}</label>
                <select id="p-mode" on:change=move |ev| mode.set(event_target_value(&ev))>
                    <option value="open" prop:selected=move || mode.get() == "open">
                        {move || lang().pick("offen (eine Stimme je Browser, unverbindlich)", "open (one vote per browser, not binding)")}
                    </option>
                    <option value="codes" prop:selected=move || mode.get() == "codes">
                        {move || lang().pick("mit Einladungscodes (verbindlich)", "with invitation codes (binding)")}
                    </option>
                </select>
            </div>
            <div class="field">
                <label for="p-visibility">{move || lang().pick("Ergebnisse sichtbar", "Results visible")}</label>
                <select id="p-visibility" on:change=move |ev| visibility.set(event_target_value(&ev))>
                    {[
                        ("live", "sofort (live)", "at once (live)"),
                        ("after_voting", "nach der eigenen Stimme", "after one's own vote"),
                        ("after_closing", "nach dem Ende", "after closing"),
                        ("when_published", "wenn veröffentlicht", "when published"),
                    ]
                        .into_iter()
                        .map(|(v, de, en)| {
                            view! {
                                <option value=v prop:selected=move || visibility.get() == v>
                                    {move || lang().pick(de, en)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="inline" style="flex-wrap:wrap;gap:1rem">
                <div class="field">
                    <label for="p-opens">{move || lang().pick("Beginn", "Opens")}</label>
                    <input
                        id="p-opens"
                        type="datetime-local"
                        aria-invalid=invalid_for("p-opens")
                        aria-describedby="p-opens-err"
                        prop:value=move || opens.get()
                        on:input=move |ev| opens.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="p-opens-err">{err_for("p-opens".into())}</p>
                </div>
                <div class="field">
                    <label for="p-closes">{move || lang().pick("Ende", "Closes")}</label>
                    <input
                        id="p-closes"
                        type="datetime-local"
                        aria-invalid=invalid_for("p-closes")
                        aria-describedby="p-closes-err"
                        prop:value=move || closes.get()
                        on:input=move |ev| closes.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="p-closes-err">{err_for("p-closes".into())}</p>
                </div>
            </div>
            {move || {
                questions
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, q)| view! { <QuestionFields i q questions errors /> })
                    .collect_view()
            }}
            <button type="button" on:click=move |_| questions.update(|q| q.push(QForm::new()))>
                {move || lang().pick("Frage hinzufügen", "Add question")}
            </button>
            <FormOutcome form />
            <p class="form-error">{move || server_message.get()}</p>
            <div class="inline">
                <button type="submit" class="primary">
                    {move || lang().pick("Umfrage speichern", "Save poll")}
                </button>
                <button type="button" class="quiet" on:click=move |_| editing.set(None)>
                    {move || lang().pick("Abbrechen", "Cancel")}
                </button>
            </div>
        </form>
    }
}

#[component]
fn QuestionFields(
    i: usize,
    q: QForm,
    questions: RwSignal<Vec<QForm>>,
    errors: RwSignal<Vec<(String, &'static str)>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    let id = move |s: &str| format!("p-q{i}-{s}");
    let err = move |s: &'static str| {
        let key = format!("p-q{i}-{s}");
        move || {
            errors.with(|e| {
                e.iter()
                    .find(|(f, _)| *f == key)
                    .map(|(_, m)| m.to_string())
            })
        }
    };
    let invalid = move |s: &'static str| {
        let key = format!("p-q{i}-{s}");
        move || errors.with(|e| e.iter().any(|(f, _)| *f == key).then_some("true"))
    };
    view! {
        <fieldset class="question">
            <legend>{move || format!("{} {}", lang().pick("Frage", "Question"), i + 1)}</legend>
            <div class="field">
                <label for=id("text")>{move || lang().pick("Frage", "Question")}</label>
                <input
                    id=id("text")
                    type="text"
                    aria-invalid=invalid("text")
                    aria-describedby=id("text-err")
                    prop:value=move || q.text.get()
                    on:input=move |ev| q.text.set(event_target_value(&ev))
                />
                <p class="field-error" id=id("text-err")>{err("text")}</p>
            </div>
            <div class="field">
                <label for=id("kind")>{move || lang().pick("Art", "Kind")}</label>
                <select id=id("kind") on:change=move |ev| q.kind.set(event_target_value(&ev))>
                    <option value="single" prop:selected=move || q.kind.get() == "single">
                        {move || lang().pick("eine Antwort", "one answer")}
                    </option>
                    <option value="multiple" prop:selected=move || q.kind.get() == "multiple">
                        {move || lang().pick("mehrere Antworten", "several answers")}
                    </option>
                </select>
            </div>
            <Show when=move || q.kind.get() == "multiple">
                <div class="inline" style="gap:1rem">
                    <div class="field">
                        <label for=id("min")>{move || lang().pick("mindestens", "at least")}</label>
                        <input id=id("min") type="number" min="0" style="width:6rem" prop:value=move || q.min.get() on:input=move |ev| q.min.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for=id("max")>{move || lang().pick("höchstens", "at most")}</label>
                        <input
                            id=id("max")
                            type="number"
                            min="1"
                            style="width:6rem"
                            aria-invalid=invalid("max")
                            aria-describedby=id("max-err")
                            prop:value=move || q.max.get()
                            on:input=move |ev| q.max.set(event_target_value(&ev))
                        />
                    </div>
                </div>
                <p class="field-error" id=id("max-err")>{err("max")}</p>
            </Show>
            <div class="field">
                <label for=id("options")>{move || lang().pick("Antworten (eine pro Zeile)", "Options (one per line)")}</label>
                <textarea
                    id=id("options")
                    rows="4"
                    aria-invalid=invalid("options")
                    aria-describedby=id("options-err")
                    prop:value=move || q.options.get()
                    on:input=move |ev| q.options.set(event_target_value(&ev))
                ></textarea>
                <p class="field-error" id=id("options-err")>{err("options")}</p>
            </div>
            <Show when=move || questions.with(|q| q.len() > 1)>
                <button type="button" class="quiet" on:click=move |_| questions.update(|v| { if i < v.len() { v.remove(i); } })>
                    {move || format!("{} {}", lang().pick("Frage entfernen:", "Remove question"), i + 1)}
                </button>
            </Show>
        </fieldset>
    }
}

#[component]
fn PollResults(poll: Poll) -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    let slug = poll.slug.clone();
    let results = RwSignal::new(poll.results.clone());
    {
        let slug = slug.clone();
        spawn_local(async move {
            if let Ok(r) = api::get::<Results>(&format!("/polls/{}/results", encode(&slug))).await {
                results.set(Some(r));
            }
        });
    }
    let csv = format!("/office/api/polls/{}/results?format=csv", encode(&slug));
    let is_codes = poll.mode == "codes";
    view! {
        <section class="poll-results" aria-labelledby="results-heading">
            <h2 id="results-heading" tabindex="-1">
                {move || lang().pick("Ergebnisse: ", "Results: ")}
                {poll.title.clone()}
            </h2>
            {move || {
                results
                    .get()
                    .map(|r| {
                        view! {
                            <p class="turnout">
                                {move || lang().pick("Teilnahmen: ", "Turnout: ")}
                                {r.participations}
                            </p>
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
                                                    let label = move || {
                                                        if lang() == Lang::De {
                                                            format!("{votes} {} ({:.0} %)", if votes == 1 { "Stimme" } else { "Stimmen" }, pct).replace('.', ",")
                                                        } else {
                                                            format!("{votes} {} ({pct:.0} %)", if votes == 1 { "vote" } else { "votes" })
                                                        }
                                                    };
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
                    {move || lang().pick("Ergebnisse als CSV herunterladen", "Download the results as CSV")}
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
        let csrf = ctx.csrf();
        let (slug, fmt) = (slug.clone(), format.get_untracked());
        spawn_local(async move {
            match codes_file(&csrf, &slug, n, &fmt).await {
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
            <h3>{move || lang().pick("Einladungscodes erzeugen", "Generate invitation codes")}</h3>
            <p class="hint" id="codes-once">
                {move || {
                    lang()
                        .pick(
                            "Codes werden nur dieses eine Mal angezeigt und nur verschlüsselt gespeichert. Speichern oder drucken Sie sie sofort.",
                            "Codes are shown this once only and stored only as hashes. Save or print them right away.",
                        )
                }}
            </p>
            <div class="field">
                <label for="codes-count">{move || lang().pick("Anzahl", "Number")}</label>
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
                    {move || count_error.get().then(|| format!("{} 1 – {}", lang().pick("Bitte eine Zahl von", "Please a number from"), civickit_model::poll::MAX_CODES_PER_BATCH))}
                </p>
            </div>
            <div class="field">
                <label for="codes-format">{move || lang().pick("Format", "Format")}</label>
                <select id="codes-format" on:change=move |ev| format.set(event_target_value(&ev))>
                    <option value="html" prop:selected=move || format.get() == "html">
                        {move || lang().pick("Druckseite mit Zetteln", "Printable page of slips")}
                    </option>
                    <option value="csv" prop:selected=move || format.get() == "csv">"CSV"</option>
                </select>
            </div>
            <FormOutcome form />
            <button type="submit" class="primary">
                {move || lang().pick("Codes erzeugen", "Generate codes")}
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
                                            lang().pick("Druckseite öffnen", "Open the printable page")
                                        } else {
                                            lang().pick("CSV herunterladen", "Download the CSV")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_lines_without_blanks() {
        assert_eq!(options_of(" Ja \n\nNein\n  "), vec!["Ja", "Nein"]);
    }
}
