//! Creating and editing a poll: title, description, participation, visibility, opening
//! times and the questions with their options, checked here before the server checks again.

use crate::api::polls::{self as api, Poll, PollQuestion};
use crate::app::use_ctx;
use crate::browser::focus_id;
use crate::components::{FormOutcome, FormState};
use crate::texts::{poll_texts, PollTexts};
use crate::Msg;
use civickit_model::Lang;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

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
        f.kind.set(q.kind.as_str().to_string());
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
        out.push(("p-title".into(), poll_texts(lang).please_enter_a_title));
    }
    if opens.is_empty() {
        out.push(("p-opens".into(), poll_texts(lang).please_choose_a_time));
    }
    if closes.is_empty() || (!opens.is_empty() && closes <= opens) {
        out.push(("p-closes".into(), poll_texts(lang).the_closing_time_must_be));
    }
    for (i, q) in questions.iter().enumerate() {
        if q.text.get_untracked().trim().is_empty() {
            out.push((
                format!("p-q{i}-text"),
                poll_texts(lang).please_enter_the_question,
            ));
        }
        let n = options_of(&q.options.get_untracked()).len();
        if n < 2 {
            out.push((
                format!("p-q{i}-options"),
                poll_texts(lang).at_least_two_options_one,
            ));
        }
        if q.kind.get_untracked() == "multiple" {
            let min = q.min.get_untracked().trim().parse::<usize>().ok();
            let max = q.max.get_untracked().trim().parse::<usize>().ok();
            match (min, max) {
                (Some(min), Some(max)) if min <= max && max >= 1 && max <= n.max(1) => {}
                _ => out.push((
                    format!("p-q{i}-max"),
                    poll_texts(lang).minimum_maximum_number_of_options,
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

/// When the results are shown, with the label of each choice.
type PollText = fn(&'static PollTexts) -> &'static str;
const VISIBILITIES: [(&str, PollText); 4] = [
    ("live", |t| t.visibility_live),
    ("after_voting", |t| t.visibility_after_voting),
    ("after_closing", |t| t.visibility_after_closing),
    ("when_published", |t| t.visibility_when_published),
];

#[component]
pub fn PollForm(
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
            .map(|p| p.mode.as_str().to_string())
            .unwrap_or_else(|| "open".into()),
    );
    let visibility = RwSignal::new(
        poll.as_ref()
            .map(|p| p.visibility.as_str().to_string())
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
        let slug = slug.clone();
        spawn_local(async move {
            match api::save(slug.as_deref(), body).await {
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
                        poll_texts(lang()).edit_poll
                    } else {
                        poll_texts(lang()).new_poll
                    }
                }}
            </h2>
            <div class="field">
                <label for="p-title">{move || poll_texts(lang()).title}</label>
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
                <label for="p-description">{move || poll_texts(lang()).description_optional}</label>
                <textarea
                    id="p-description"
                    rows="3"
                    maxlength="2000"
                    prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))
                ></textarea>
            </div>
            <div class="field">
                <label for="p-mode">{move || poll_texts(lang()).participation}</label>
                <select id="p-mode" on:change=move |ev| mode.set(event_target_value(&ev))>
                    <option value="open" prop:selected=move || mode.get() == "open">
                        {move || poll_texts(lang()).open_one_vote_per_browser}
                    </option>
                    <option value="codes" prop:selected=move || mode.get() == "codes">
                        {move || poll_texts(lang()).with_invitation_codes_binding}
                    </option>
                </select>
            </div>
            <div class="field">
                <label for="p-visibility">{move || poll_texts(lang()).results_visible}</label>
                <select id="p-visibility" on:change=move |ev| visibility.set(event_target_value(&ev))>
                    {VISIBILITIES
                        .into_iter()
                        .map(|(v, label)| {
                            view! {
                                <option value=v prop:selected=move || visibility.get() == v>
                                    {move || label(poll_texts(lang()))}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="inline" style="flex-wrap:wrap;gap:1rem">
                <div class="field">
                    <label for="p-opens">{move || poll_texts(lang()).opens}</label>
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
                    <label for="p-closes">{move || poll_texts(lang()).closes}</label>
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
                {move || poll_texts(lang()).add_question}
            </button>
            <FormOutcome form />
            <p class="form-error">{move || server_message.get()}</p>
            <div class="inline">
                <button type="submit" class="primary">
                    {move || poll_texts(lang()).save_poll}
                </button>
                <button type="button" class="quiet" on:click=move |_| editing.set(None)>
                    {move || poll_texts(lang()).cancel}
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
            <legend>{move || format!("{} {}", poll_texts(lang()).question, i + 1)}</legend>
            <div class="field">
                <label for=id("text")>{move || poll_texts(lang()).question}</label>
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
                <label for=id("kind")>{move || poll_texts(lang()).kind}</label>
                <select id=id("kind") on:change=move |ev| q.kind.set(event_target_value(&ev))>
                    <option value="single" prop:selected=move || q.kind.get() == "single">
                        {move || poll_texts(lang()).one_answer}
                    </option>
                    <option value="multiple" prop:selected=move || q.kind.get() == "multiple">
                        {move || poll_texts(lang()).several_answers}
                    </option>
                </select>
            </div>
            <Show when=move || q.kind.get() == "multiple">
                <div class="inline" style="gap:1rem">
                    <div class="field">
                        <label for=id("min")>{move || poll_texts(lang()).at_least}</label>
                        <input id=id("min") type="number" min="0" style="width:6rem" prop:value=move || q.min.get() on:input=move |ev| q.min.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for=id("max")>{move || poll_texts(lang()).at_most}</label>
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
                <label for=id("options")>{move || poll_texts(lang()).options_one_per_line}</label>
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
                    {move || format!("{} {}", poll_texts(lang()).remove_question, i + 1)}
                </button>
            </Show>
        </fieldset>
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
