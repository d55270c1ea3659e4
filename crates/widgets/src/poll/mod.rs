//! `<civic-poll data-poll="SLUG">`: one poll of the town. Questions as fieldsets (radios for
//! single choice, checkboxes with a "choose 1 to N" hint for multiple choice), the invitation
//! code for code polls, the ballot checked with `civickit_model::poll::validate_ballot`, and
//! the results as text plus bars that are never the only carrier of the numbers.
//!
//! No map code here: this module is built on its own (`--features poll`).

mod texts;

use crate::api::{Api, ApiError, Body, FromJson, Json};
use crate::ui::{clear_errors, field_error, focus_first, on, prop, set_text, show, value, H};
use civickit_model::poll::{
    question_field, validate_ballot, PollMode, PollOption, PollState, Question, QuestionKind,
    Visibility,
};
use civickit_model::{FieldError, Lang, ValidationCode};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use texts::{texts, Texts};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;

pub fn mount(target: web_sys::HtmlElement, host: web_sys::HtmlElement, api: Api) {
    let slug = host
        .get_attribute("data-poll")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let widget = Poll::build(api, host, slug);
    let _ = target.append_child(&widget.root.0);
    Poll::load(&widget);
}

/// `GET /api/v1/{tenant}/polls/{slug}`.
#[derive(Debug, Clone, PartialEq)]
pub struct PollInfo {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub mode: PollMode,
    pub binding: bool,
    pub visibility: Visibility,
    pub state: PollState,
    pub state_label: String,
    pub opens_at: String,
    pub closes_at: String,
    pub questions: Vec<Question>,
    pub voter_token: Option<String>,
    pub has_voted: bool,
    pub results: Option<Results>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub participations: i64,
    pub questions: Vec<ResultQuestion>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResultQuestion {
    pub id: i64,
    pub text: String,
    pub options: Vec<ResultOption>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResultOption {
    pub id: i64,
    pub text: String,
    pub votes: i64,
    pub percent: f64,
}

impl FromJson for Results {
    fn from_json(j: &Json) -> Option<Results> {
        j.get("participations").0.as_f64()?;
        Some(Results {
            participations: j.int("participations"),
            questions: j
                .list("questions")
                .iter()
                .map(|q| ResultQuestion {
                    id: q.int("id"),
                    text: q.str("text"),
                    options: q
                        .list("options")
                        .iter()
                        .map(|o| ResultOption {
                            id: o.int("id"),
                            text: o.str("text"),
                            votes: o.int("votes"),
                            percent: o.num("percent").unwrap_or(0.0),
                        })
                        .collect(),
                })
                .collect(),
        })
    }
}

impl FromJson for PollInfo {
    fn from_json(j: &Json) -> Option<PollInfo> {
        Some(PollInfo {
            slug: j.opt_str("slug")?,
            title: j.str("title"),
            description: j.str("description"),
            mode: PollMode::parse(&j.str("mode"))?,
            binding: j.bool("binding"),
            visibility: Visibility::parse(&j.str("visibility")).unwrap_or(Visibility::AfterClosing),
            state: PollState::parse(&j.str("state"))?,
            state_label: j.str("state_label"),
            opens_at: j.str("opens_at"),
            closes_at: j.str("closes_at"),
            questions: j
                .list("questions")
                .iter()
                .map(|q| {
                    let kind = QuestionKind::parse(&q.str("kind")).unwrap_or(QuestionKind::Single);
                    let count = |key: &str| q.num(key).map(|n| n.max(1.0) as usize).unwrap_or(1);
                    Question {
                        id: q.int("id"),
                        text: q.str("text"),
                        kind,
                        min_choices: count("min_choices"),
                        max_choices: count("max_choices"),
                        options: q
                            .list("options")
                            .iter()
                            .map(|o| PollOption {
                                id: o.int("id"),
                                text: o.str("text"),
                            })
                            .collect(),
                    }
                })
                .collect(),
            voter_token: j.opt_str("voter_token"),
            has_voted: j.bool("has_voted"),
            results: Results::from_json(&j.get("results")),
        })
    }
}

/// `201` of `POST …/votes`.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    pub results: Option<Results>,
}

impl FromJson for Counted {
    fn from_json(j: &Json) -> Option<Counted> {
        j.get("counted").0.as_bool()?;
        Some(Counted {
            results: Results::from_json(&j.get("results")),
        })
    }
}

/// Where this browser keeps its voter token for an open poll.
fn storage_key(tenant: &str, slug: &str) -> String {
    format!("civickit-poll:{tenant}:{slug}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// An RFC 3339 time as the reader expects it, in the browser's time zone:
/// `24. Dezember 2026 um 18:00` / `24 December 2026 at 18:00`.
pub fn when(rfc3339: &str, lang: Lang) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_string();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let locale = lang.pick("de-DE", "en-GB");
    date.to_locale_string(locale, &options).into()
}

/// `58.3` as `58,3 %` (de) or `58.3 %` (en).
pub fn percent(p: f64, lang: Lang) -> String {
    let s = format!("{p:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
    match lang {
        Lang::De => format!("{} %", s.replace('.', ",")),
        Lang::En => format!("{s} %"),
    }
}

/// The "how many may I choose" hint of a question.
pub fn choice_hint(q: &Question, t: &Texts) -> String {
    let (min, max) = (q.min_choices.max(1), q.max_choices.max(1));
    match q.kind {
        QuestionKind::Single => t.choose_one.to_string(),
        QuestionKind::Multiple if min == max => t.choose_exactly.replace("{n}", &min.to_string()),
        QuestionKind::Multiple => t
            .choose_range
            .replace("{min}", &min.to_string())
            .replace("{max}", &max.to_string()),
    }
}

/// The results: per question a list of options with their counts and percentages in text,
/// and a bar whose length repeats the percentage for sighted readers (hidden from screen
/// readers, who get the text). Never colour alone: the numbers are always written out.
fn results_view(r: &Results, p: &PollInfo, t: &Texts, lang: Lang) -> H {
    let heading = if p.state == PollState::Closed || p.visibility != Visibility::Live {
        t.results
    } else {
        t.results_live
    };
    let section = H::new("section")
        .class("civic-results")
        .attr("aria-labelledby", "civic-poll-results-h")
        .child(&H::new("h3").id("civic-poll-results-h").text(heading))
        .child(
            &H::new("p")
                .class("civic-meta")
                .text(&if r.participations == 1 {
                    t.participation_one.to_string()
                } else {
                    t.participations
                        .replace("{n}", &r.participations.to_string())
                }),
        );
    for q in &r.questions {
        let list = H::new("ul")
            .class("civic-bars")
            .attr("data-question", &q.id.to_string());
        for o in &q.options {
            let votes = if o.votes == 1 {
                t.vote_one.to_string()
            } else {
                t.votes_many.replace("{n}", &o.votes.to_string())
            };
            let fill = H::new("span").class("civic-bar-fill");
            // CSSOM, not a style attribute: allowed under a strict style-src CSP.
            if let Some(el) = fill.0.dyn_ref::<web_sys::HtmlElement>() {
                let _ = el
                    .style()
                    .set_property("width", &format!("{}%", o.percent.clamp(0.0, 100.0)));
            }
            let _ = list.0.append_child(
                &H::new("li")
                    .attr("data-option", &o.id.to_string())
                    .child(
                        &H::new("span")
                            .class("civic-bar-text")
                            .text(&o.text)
                            .text(": ")
                            .child(
                                &H::new("strong")
                                    .text(&format!("{votes} ({})", percent(o.percent, lang))),
                            ),
                    )
                    .child(
                        &H::new("span")
                            .class("civic-bar")
                            .attr("aria-hidden", "true")
                            .child(&fill),
                    )
                    .0,
            );
        }
        let _ = section.0.append_child(&H::new("h4").text(&q.text).0);
        let _ = section.0.append_child(&list.0);
    }
    section
}

/// One question as a fieldset: legend, "choose …" hint, radios or checkboxes, error line.
fn question_view(q: &Question, t: &Texts) -> H {
    let field = question_field(q.id);
    let hint_id = format!("civic-q{}-hint", q.id);
    let err_id = format!("civic-q{}-err", q.id);
    let input_type = if q.kind == QuestionKind::Single {
        "radio"
    } else {
        "checkbox"
    };
    let set = H::new("fieldset")
        .class("civic-question")
        .id(&field)
        .attr("data-question", &q.id.to_string())
        .attr("aria-describedby", &format!("{hint_id} {err_id}"))
        .child(&H::new("legend").text(&q.text))
        .child(
            &H::new("p")
                .class("civic-help")
                .id(&hint_id)
                .text(&choice_hint(q, t)),
        );
    for o in &q.options {
        let id = format!("civic-o{}", o.id);
        let _ = set.0.append_child(
            &H::new("div")
                .class("civic-check civic-option")
                .child(
                    &H::new("input")
                        .attr("type", input_type)
                        .id(&id)
                        .attr("name", &field)
                        .attr("value", &o.id.to_string())
                        .attr("data-field", &field)
                        .attr("aria-invalid", "false"),
                )
                .child(&H::new("label").attr("for", &id).text(&o.text))
                .0,
        );
    }
    set.child(
        &H::new("p")
            .class("civic-error")
            .id(&err_id)
            .attr("data-error-for", &field),
    )
}

/// The widget: a fixed frame (live region, load error) and a body rebuilt from each answer.
struct Poll {
    api: Api,
    host: web_sys::HtmlElement,
    t: &'static Texts,
    slug: String,
    key: String,
    poll: RefCell<Option<PollInfo>>,
    sending: Cell<bool>,
    voted_now: Cell<bool>,
    root: H,
    announce: H,
    load_failed: H,
    load_failed_text: H,
    notice: H,
    body: H,
}

impl Poll {
    fn build(api: Api, host: web_sys::HtmlElement, slug: String) -> Rc<Poll> {
        let lang = api.lang;
        let t = texts(lang);
        let root = H::new("div")
            .class("civic civic-poll")
            .attr("lang", lang.code());
        let announce = H::new("div")
            .class("civic-sr")
            .attr("role", "status")
            .attr("aria-live", "polite")
            .attr("aria-atomic", "true");
        let retry = H::new("button")
            .class("civic-button")
            .attr("type", "button")
            .text(t.retry);
        let load_failed_text = H::new("p");
        let load_failed = H::new("div")
            .class("civic-alert civic-hidden")
            .attr("role", "alert")
            .child(&load_failed_text)
            .child(&retry);
        let notice = H::new("div")
            .class("civic-alert civic-notice civic-hidden")
            .attr("role", "status");
        let body = H::new("div").child(&H::new("p").text(t.loading));
        for part in [&announce, &load_failed, &notice, &body] {
            let _ = root.0.append_child(&part.0);
        }
        let key = storage_key(&api.tenant, &slug);
        let w = Rc::new(Poll {
            api,
            host,
            t,
            slug,
            key,
            poll: RefCell::new(None),
            sending: Cell::new(false),
            voted_now: Cell::new(false),
            root,
            announce,
            load_failed,
            load_failed_text,
            notice,
            body,
        });
        let me = w.clone();
        on(&retry.0, "click", move |_| Poll::load(&me));
        w
    }

    fn say(&self, text: &str) {
        set_text(&self.announce.0, text);
    }

    fn fail(&self, text: &str) {
        set_text(&self.load_failed_text.0, text);
        show(&self.load_failed.0, true);
    }

    /// Fetches the poll with this browser's voter token (open polls) and renders it.
    fn load(w: &Rc<Poll>) {
        show(&w.load_failed.0, false);
        if w.slug.is_empty() {
            w.fail(w.t.no_poll);
            return;
        }
        let token = storage().and_then(|s| s.get_item(&w.key).ok().flatten());
        let query = token
            .map(|tok| format!("voter_token={}", crate::api::encode(&tok)))
            .unwrap_or_default();
        let w = w.clone();
        spawn_local(async move {
            let path = format!("/polls/{}", crate::api::encode(&w.slug));
            match w.api.get::<PollInfo>(&path, &query).await {
                Ok(p) => {
                    if let (Some(tok), Some(s)) = (&p.voter_token, storage()) {
                        let _ = s.set_item(&w.key, tok);
                    }
                    *w.poll.borrow_mut() = Some(p);
                    Poll::render(&w);
                }
                Err(ApiError::Http(404, _)) => w.fail(w.t.not_found),
                Err(_) => w.fail(w.t.load_failed),
            }
        });
    }

    /// Builds the body from the poll: title, kind, state, the form (when one may vote) and
    /// the results (when the API includes them).
    fn render(w: &Rc<Poll>) {
        let t = w.t;
        let lang = w.api.lang;
        let Some(p) = w.poll.borrow().clone() else {
            return;
        };
        let state_line = match p.state {
            PollState::NotYetOpen => t.opens.replace("{when}", &when(&p.opens_at, lang)),
            PollState::Open => t.open_until.replace("{when}", &when(&p.closes_at, lang)),
            PollState::Closed => t.closed_since.replace("{when}", &when(&p.closes_at, lang)),
        };
        let status = if p.state == PollState::Open && p.has_voted {
            t.state_voted.to_string()
        } else if p.state_label.is_empty() {
            p.state.label(lang).to_string()
        } else {
            p.state_label.clone()
        };
        let body = &w.body.0;
        body.set_text_content(None);
        let mut parts = vec![H::new("h2").text(&p.title)];
        if !p.binding {
            parts.push(H::new("p").class("civic-badge").text(t.not_binding));
        }
        parts.push(H::new("p").class("civic-pre").text(&p.description));
        parts.push(
            H::new("p")
                .class("civic-poll-state")
                .attr("data-state", p.state.as_str())
                .child(&H::new("strong").text(&format!("{}: {status}", t.status)))
                .text(&format!(" · {state_line}")),
        );
        parts.push(H::new("p").class("civic-help").text(if p.binding {
            t.binding_note
        } else {
            t.open_note
        }));
        if p.state == PollState::Open && p.has_voted {
            let text = if w.voted_now.get() {
                t.thanks
            } else {
                t.already_voted
            };
            parts.push(
                H::new("div")
                    .class("civic-box civic-voted")
                    .attr("tabindex", "-1")
                    .child(&H::new("p").child(&H::new("strong").text(text))),
            );
        }
        if p.state == PollState::Open && !p.has_voted {
            parts.push(Poll::form(w, &p));
        }
        match &p.results {
            Some(r) => parts.push(results_view(r, &p, t, lang)),
            None if p.state != PollState::NotYetOpen => {
                let note = match p.visibility {
                    Visibility::Live => "",
                    Visibility::AfterVoting => t.results_after_voting,
                    Visibility::AfterClosing => t.results_after_closing,
                    Visibility::WhenPublished => t.results_when_published,
                };
                if !note.is_empty() {
                    parts.push(
                        H::new("p")
                            .class("civic-help civic-results-note")
                            .text(note),
                    );
                }
            }
            None => {}
        }
        for part in parts {
            let _ = body.append_child(&part.0);
        }
    }

    fn form(w: &Rc<Poll>, p: &PollInfo) -> H {
        let t = w.t;
        let form = H::new("form")
            .class("civic-flow civic-pollform")
            .attr("novalidate", "");
        for q in &p.questions {
            let _ = form.0.append_child(&question_view(q, t).0);
        }
        if p.mode == PollMode::Codes {
            let _ = form.0.append_child(
                &H::new("label")
                    .attr("for", "civic-poll-code")
                    .text(t.code)
                    .0,
            );
            let _ = form.0.append_child(
                &H::new("p")
                    .class("civic-help")
                    .id("civic-poll-code-hint")
                    .text(t.code_hint)
                    .0,
            );
            let _ = form.0.append_child(
                &H::new("input")
                    .id("civic-poll-code")
                    .attr("name", "code")
                    .attr("type", "text")
                    .attr("autocomplete", "off")
                    .attr("spellcheck", "false")
                    .attr("autocapitalize", "characters")
                    .attr("aria-required", "true")
                    .attr("data-field", "code")
                    .attr("aria-invalid", "false")
                    .attr(
                        "aria-describedby",
                        "civic-poll-code-hint civic-poll-code-err",
                    )
                    .0,
            );
            let _ = form.0.append_child(
                &H::new("p")
                    .class("civic-error")
                    .id("civic-poll-code-err")
                    .attr("data-error-for", "code")
                    .0,
            );
        }
        let _ = form.0.append_child(
            &H::new("div")
                .class("civic-alert civic-refused civic-hidden")
                .attr("role", "alert")
                .attr("tabindex", "-1")
                .0,
        );
        let _ = form.0.append_child(
            &H::new("div")
                .class("civic-row")
                .child(
                    &H::new("button")
                        .class("civic-button civic-primary")
                        .attr("type", "submit")
                        .text(t.vote),
                )
                .0,
        );
        let me = w.clone();
        let el = form.el();
        on(&form.0, "submit", move |ev| {
            ev.prevent_default();
            Poll::submit(&me, &el);
        });
        // Choosing clears that question's error.
        let el = form.el();
        on(&form.0, "change", move |ev| {
            let name = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.get_attribute("name"));
            if let Some(name) = name.filter(|n| n.starts_with("question-")) {
                field_error(&el, &name, None);
            }
        });
        form
    }

    /// The chosen option ids of question `qid` in `form`.
    fn chosen(form: &web_sys::Element, qid: i64) -> Vec<i64> {
        let mut out = Vec::new();
        if let Ok(list) = form.query_selector_all(&format!("input[name=\"question-{qid}\"]")) {
            for i in 0..list.length() {
                if let Some(el) = list
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                {
                    if prop(&el, "checked") {
                        if let Ok(id) = value(&el).parse() {
                            out.push(id);
                        }
                    }
                }
            }
        }
        out
    }

    fn show_errors(&self, form: &web_sys::Element, errors: &[(String, String)]) {
        clear_errors(form);
        let mut fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        fields.dedup();
        for field in fields {
            let text: Vec<&str> = errors
                .iter()
                .filter(|(f, _)| f == field)
                .map(|(_, m)| m.as_str())
                .collect();
            field_error(form, field, Some(&text.join(" ")));
        }
        if !errors.is_empty() {
            self.say(self.t.form_has_errors);
            focus_first(form, "[aria-invalid=true]");
        }
    }

    fn refuse(&self, form: &web_sys::Element, text: &str) {
        if let Ok(Some(box_)) = form.query_selector(".civic-refused") {
            set_text(&box_, text);
            show(&box_, true);
        }
        self.say(text);
    }

    fn set_sending(&self, form: &web_sys::Element, on: bool) {
        self.sending.set(on);
        if let Ok(Some(b)) = form.query_selector("button[type=submit]") {
            if on {
                let _ = b.set_attribute("disabled", "");
                set_text(&b, self.t.sending);
            } else {
                let _ = b.remove_attribute("disabled");
                set_text(&b, self.t.vote);
            }
        }
    }

    fn submit(w: &Rc<Poll>, form: &web_sys::Element) {
        let t = w.t;
        let lang = w.api.lang;
        if w.sending.get() {
            return;
        }
        let Some(p) = w.poll.borrow().clone() else {
            return;
        };
        show(&w.notice.0, false);
        if let Ok(Some(b)) = form.query_selector(".civic-refused") {
            show(&b, false);
        }
        let answers: Vec<(i64, Vec<i64>)> = p
            .questions
            .iter()
            .map(|q| (q.id, Poll::chosen(form, q.id)))
            .collect();
        let mut found: Vec<(String, String)> = validate_ballot(&p.questions, &answers)
            .into_iter()
            .map(|e| (e.field.clone(), e.message(lang)))
            .collect();
        let code = form
            .query_selector("#civic-poll-code")
            .ok()
            .flatten()
            .map(|el| value(&el).trim().to_string())
            .unwrap_or_default();
        if p.mode == PollMode::Codes && code.is_empty() {
            found.push((
                "code".into(),
                FieldError::new("code", ValidationCode::Required).message(lang),
            ));
        }
        w.show_errors(form, &found);
        if !found.is_empty() {
            return;
        }
        w.set_sending(form, true);
        w.say(t.sending);
        let list = js_sys::Array::new();
        for (qid, options) in &answers {
            let a = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&a, &"question".into(), &JsValue::from_f64(*qid as f64));
            let ids: js_sys::Array = options
                .iter()
                .map(|o| JsValue::from_f64(*o as f64))
                .collect();
            let _ = js_sys::Reflect::set(&a, &"options".into(), &ids);
            list.push(&a);
        }
        // The vote endpoint takes the language from the body (not from `?lang=`).
        let body = Body::default()
            .value("answers", &list)
            .str("lang", lang.code());
        let body = match p.mode {
            PollMode::Codes => body.str("code", &code),
            PollMode::Open => body.opt_str("voter_token", p.voter_token.as_deref()),
        };
        let w = w.clone();
        let form = form.clone();
        spawn_local(async move {
            let path = format!("/polls/{}/votes", crate::api::encode(&w.slug));
            let answer: Result<Counted, ApiError> = w.api.post(&path, body).await;
            w.set_sending(&form, false);
            match answer {
                Ok(c) => {
                    w.voted_now.set(true);
                    if let Some(p) = w.poll.borrow_mut().as_mut() {
                        p.has_voted = true;
                        if c.results.is_some() {
                            p.results = c.results;
                        }
                    }
                    Poll::render(&w);
                    w.say(t.thanks);
                    crate::emit(&w.host, "civic:voted", &[("poll", &w.slug)]);
                    focus_first(&w.body.0, ".civic-voted");
                }
                Err(ApiError::Http(422, e)) if !e.fields.is_empty() => {
                    let found: Vec<(String, String)> = e
                        .fields
                        .iter()
                        .map(|f| (f.field.clone(), f.message.clone()))
                        .collect();
                    w.show_errors(&form, &found);
                }
                Err(ApiError::Http(409, e)) => {
                    // Already voted (this code / this browser) or the poll is no longer open.
                    let text = if e.message.is_empty() {
                        t.conflict.to_string()
                    } else {
                        e.message
                    };
                    if p.mode == PollMode::Codes {
                        w.refuse(&form, &text);
                        w.show_errors(&form, &[("code".into(), text)]);
                    } else {
                        set_text(&w.notice.0, &text);
                        show(&w.notice.0, true);
                        w.say(&text);
                        Poll::load(&w); // shows "already voted" or "closed"
                    }
                }
                Err(ApiError::Http(status, e)) => {
                    let text = if !e.message.is_empty() {
                        e.message
                    } else if status == 429 {
                        t.too_many.to_string()
                    } else {
                        t.server_error.to_string()
                    };
                    w.refuse(&form, &text);
                    focus_first(&form, ".civic-refused");
                    if status == 400 {
                        // A fresh voter token; keep what was chosen.
                        let again = format!("/polls/{}", crate::api::encode(&w.slug));
                        if let Ok(fresh) = w.api.get::<PollInfo>(&again, "").await {
                            if let (Some(tok), Some(s)) = (&fresh.voter_token, storage()) {
                                let _ = s.set_item(&w.key, tok);
                            }
                            if let Some(p) = w.poll.borrow_mut().as_mut() {
                                p.voter_token = fresh.voter_token;
                            }
                        }
                    }
                }
                Err(ApiError::Network) => {
                    w.refuse(&form, t.network_error);
                    focus_first(&form, ".civic-refused");
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_and_hints() {
        assert_eq!(percent(58.3, Lang::De), "58,3 %");
        assert_eq!(percent(100.0, Lang::En), "100 %");
        let q = Question {
            id: 1,
            text: "?".into(),
            kind: QuestionKind::Multiple,
            min_choices: 1,
            max_choices: 2,
            options: vec![],
        };
        assert_eq!(
            choice_hint(&q, texts(Lang::De)),
            "Wählen Sie 1 bis 2 Antworten."
        );
        assert_eq!(
            storage_key("musterstadt", "sitzbaenke"),
            "civickit-poll:musterstadt:sitzbaenke"
        );
    }
}
