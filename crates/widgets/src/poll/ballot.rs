//! Casting the vote: the ballot form, its check with `civickit_model::poll::validate_ballot`
//! (the same rules as the server's), sending it, and every answer the vote endpoint can give.

use super::view::question_view;
use super::{storage, Poll};
use crate::api::{ApiError, ToBody};
use crate::ui::{clear_errors, field_error, focus_first, on, prop, set_text, show, value, H};
use civickit_model::api::widget::{BallotAnswer, Poll as PollInfo, VoteAnswer, VoteRequest};
use civickit_model::poll::{validate_ballot, PollMode};
use civickit_model::{FieldError, ValidationCode};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

impl Poll {
    pub(super) fn form(w: &Rc<Poll>, p: &PollInfo) -> H {
        let t = w.t;
        // Solved while the citizen chooses.
        w.pow.start();
        let form = H::new("form")
            .class("civic-flow civic-pollform")
            .attr("novalidate", "");
        for q in &p.definition.questions {
            let _ = form.0.append_child(&question_view(q, t).0);
        }
        if p.definition.mode == PollMode::Codes {
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
            .definition
            .questions
            .iter()
            .map(|q| (q.id, Poll::chosen(form, q.id)))
            .collect();
        let mut found: Vec<(String, String)> = validate_ballot(&p.definition.questions, &answers)
            .into_iter()
            .map(|e| (e.field.clone(), e.message(lang)))
            .collect();
        let code = form
            .query_selector("#civic-poll-code")
            .ok()
            .flatten()
            .map(|el| value(&el).trim().to_string())
            .unwrap_or_default();
        if p.definition.mode == PollMode::Codes && code.is_empty() {
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
        let (code, voter_token) = match p.definition.mode {
            PollMode::Codes => (Some(code), None),
            PollMode::Open => (None, p.voter_token.clone()),
        };
        let body = VoteRequest {
            answers: answers
                .iter()
                .map(|(question, options)| BallotAnswer {
                    question: *question,
                    options: options.clone(),
                })
                .collect(),
            code,
            voter_token,
            altcha: None,
            // The vote endpoint takes the language from the body (not from `?lang=`).
            lang: Some(lang.code().to_string()),
        }
        .to_body();
        let w = w.clone();
        let form = form.clone();
        spawn_local(async move {
            let path = format!("/polls/{}/votes", crate::api::encode(&w.slug));
            let answer: Result<VoteAnswer, ApiError> = w.pow.post(&path, &body).await;
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
                    if p.definition.mode == PollMode::Codes {
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
