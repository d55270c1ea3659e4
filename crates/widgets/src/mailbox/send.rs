//! Sending a message: the check with `civickit_model::NewMessage` (the server's rules),
//! every answer of `POST /messages`, and the receipt with its reference.

use super::{Mailbox, FIELDS};
use crate::api::{ApiError, ToBody};
use crate::ui::{clear_errors, field_error, focus_first, on, set_text, set_value, show, value, H};
use civickit_model::api::widget::{MessageSent, NewMessageRequest};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;

impl Mailbox {
    /// Shows `errors` (field, message) next to their fields and focuses the first one.
    fn show_errors(&self, errors: &[(String, String)]) {
        clear_errors(&self.form.0);
        for field in FIELDS {
            let text: Vec<&str> = errors
                .iter()
                .filter(|(f, _)| f == field)
                .map(|(_, m)| m.as_str())
                .collect();
            if !text.is_empty() {
                field_error(&self.form.0, field, Some(&text.join(" ")));
            }
        }
        if !errors.is_empty() {
            self.say(self.t.form_has_errors);
            focus_first(&self.form.0, "[aria-invalid=true]");
        }
    }

    fn refuse(&self, text: &str) {
        set_text(&self.refused.0, text);
        show(&self.refused.0, true);
        self.say(text);
        focus_first(&self.form.0, ".civic-refused");
    }

    fn set_sending(&self, on: bool) {
        self.sending.set(on);
        if on {
            let _ = self.submit.0.set_attribute("disabled", "");
            set_text(&self.submit.0, self.t.sending);
        } else {
            let _ = self.submit.0.remove_attribute("disabled");
            set_text(&self.submit.0, self.t.send);
        }
    }

    pub(super) fn submit(w: &Rc<Mailbox>) {
        let t = w.t;
        if w.sending.get() {
            return;
        }
        let Some(cfg) = w.config.borrow().clone() else {
            return;
        };
        show(&w.refused.0, false);
        let d = w.draft();
        let codes: Vec<&str> = cfg.kinds.iter().map(|k| k.code.as_str()).collect();
        let found: Vec<(String, String)> = d
            .validate(&codes, cfg.anonymous_allowed)
            .into_iter()
            .map(|e| (e.field.clone(), e.message(w.api.lang)))
            .collect();
        w.show_errors(&found);
        if !found.is_empty() {
            return;
        }
        w.set_sending(true);
        w.say(t.sending);
        let body = NewMessageRequest {
            kind: d.kind,
            subject: d.subject,
            message: d.message,
            name: d.name,
            email: d.email,
            phone: d.phone,
            website: Some(value(&w.website.0)),
            form_token: Some(cfg.form_token),
            // Filled in by `pow.post` once solved.
            altcha: None,
            // The language goes in `?lang=`.
            lang: None,
        }
        .to_body();
        let w = w.clone();
        spawn_local(async move {
            let answer: Result<MessageSent, ApiError> = w.pow.post("/messages", &body).await;
            w.set_sending(false);
            match answer {
                Ok(s) => w.sent(s),
                Err(ApiError::Http(422, e)) => {
                    let on_form: Vec<(String, String)> = e
                        .fields
                        .iter()
                        .filter(|f| FIELDS.contains(&f.field.as_str()))
                        .map(|f| (f.field.clone(), f.message.clone()))
                        .collect();
                    let elsewhere = e.fields.iter().any(|f| !FIELDS.contains(&f.field.as_str()));
                    let text = if elsewhere {
                        // The hidden honeypot field was filled in: only bots do that.
                        t.honeypot_refused.to_string()
                    } else if e.message.is_empty() {
                        t.form_has_errors.to_string()
                    } else {
                        e.message.clone()
                    };
                    set_text(&w.refused.0, &text);
                    show(&w.refused.0, true);
                    if on_form.is_empty() {
                        w.refuse(&text);
                    } else {
                        w.show_errors(&on_form);
                    }
                }
                Err(ApiError::Http(400, _)) => {
                    // The form token expired (or was refused): fetch a fresh one; the text stays.
                    w.refuse(t.expired);
                    Mailbox::load_config(&w);
                }
                Err(ApiError::Http(status, e)) => {
                    let text = if !e.message.is_empty() {
                        e.message
                    } else if status == 429 {
                        t.too_fast.to_string()
                    } else {
                        t.server_error.to_string()
                    };
                    w.refuse(&text);
                }
                Err(ApiError::Network) => w.refuse(t.network_error),
            }
        });
    }

    fn sent(self: &Rc<Self>, s: MessageSent) {
        let t = self.t;
        crate::emit(&self.host, "civic:message-sent", &[("ref", &s.reference)]);
        self.draft.clear();
        self.say(&format!("{} {}", t.sent_announce, s.reference));
        set_value(&self.subject.0, "");
        set_value(&self.message.0, "");
        self.update_counter();
        clear_errors(&self.form.0);
        show(&self.form.0, false);
        let another = H::new("button")
            .class("civic-button")
            .attr("type", "button")
            .text(t.another);
        let section = H::new("section")
            .class("civic-flow civic-receipt")
            .child(&H::new("h3").attr("tabindex", "-1").text(t.thanks))
            .child(
                &H::new("p")
                    .text(t.reference)
                    .text(" ")
                    .child(&H::new("strong").class("civic-ref").text(&s.reference)),
            )
            .child(&H::new("p").text(t.keep_reference));
        let section = if s.receipt_mailed {
            section.child(&H::new("p").text(t.receipt_mailed))
        } else {
            section
        };
        let section = if s.can_be_answered {
            section
        } else {
            section.child(&H::new("p").text(t.no_answer_possible))
        };
        let section = section.child(&H::new("div").class("civic-row").child(&another));
        self.receipt.0.set_text_content(None);
        let _ = self.receipt.0.append_child(&section.0);
        focus_first(&self.receipt.0, "h3");
        let me = self.clone();
        on(&another.0, "click", move |_| {
            me.receipt.0.set_text_content(None);
            show(&me.refused.0, false);
            show(&me.form.0, true);
            // A new message needs a new form token (its minimum fill time starts now).
            let _ = me.submit.0.set_attribute("disabled", "");
            Mailbox::load_config(&me);
            focus_first(&me.form.0, "select");
        });
    }
}
