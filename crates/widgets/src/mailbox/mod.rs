//! `<civic-mailbox>`, the Bürgerbriefkasten: a message form (kind, subject, message, optional
//! contact data) validated with `civickit_model::NewMessage`, sent with the signed form token
//! of `GET /mailbox`, answered with a receipt and its reference (`B-2026-00017`).
//!
//! No map code here: this module is built on its own (`--features mailbox`).

mod texts;

use crate::api::{Api, ApiError, Body, FromJson, Json};
use crate::ui::{clear_errors, field_error, focus_first, on, set_text, set_value, show, value, H};
use civickit_model::mailbox::{MESSAGE_MAX_CHARS, SUBJECT_MAX_CHARS};
use civickit_model::NewMessage;
use std::cell::RefCell;
use std::rc::Rc;
use texts::{texts, Texts};
use wasm_bindgen_futures::spawn_local;

pub fn mount(target: web_sys::HtmlElement, host: web_sys::HtmlElement, api: Api) {
    let kind = host
        .get_attribute("data-kind")
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty());
    let widget = Mailbox::build(api, host, kind);
    let _ = target.append_child(&widget.root.0);
    Mailbox::load_config(&widget);
}

/// `GET /api/v1/{tenant}/mailbox`.
#[derive(Debug, Clone, PartialEq)]
pub struct MailboxConfig {
    pub name: String,
    pub kinds: Vec<(String, String)>,
    pub anonymous_allowed: bool,
    pub privacy_url: String,
    pub subject_max_chars: usize,
    pub message_max_chars: usize,
    pub form_token: String,
}

impl FromJson for MailboxConfig {
    fn from_json(j: &Json) -> Option<MailboxConfig> {
        let max = |key: &str, default: usize| {
            j.num(key)
                .filter(|n| *n >= 1.0)
                .map(|n| n as usize)
                .unwrap_or(default)
        };
        Some(MailboxConfig {
            name: j.str("name"),
            kinds: j
                .list("kinds")
                .iter()
                .map(|k| (k.str("code"), k.str("name")))
                .filter(|(code, _)| !code.is_empty())
                .collect(),
            anonymous_allowed: j.get("anonymous_allowed").0.as_bool().unwrap_or(true),
            privacy_url: j.str("privacy_url"),
            subject_max_chars: max("subject_max_chars", SUBJECT_MAX_CHARS),
            message_max_chars: max("message_max_chars", MESSAGE_MAX_CHARS),
            form_token: j.opt_str("form_token")?,
        })
    }
}

/// `201` of `POST /api/v1/{tenant}/messages`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub reference: String,
    pub can_be_answered: bool,
    pub receipt_mailed: bool,
}

impl FromJson for Sent {
    fn from_json(j: &Json) -> Option<Sent> {
        Some(Sent {
            reference: j.opt_str("ref")?,
            can_be_answered: j.bool("can_be_answered"),
            receipt_mailed: j.bool("receipt_mailed"),
        })
    }
}

/// The fields of the form, in the order they are shown (the first error gets the focus).
const FIELDS: [&str; 6] = ["kind", "subject", "message", "name", "email", "phone"];

/// The widget: its elements, built once, and what it knows.
struct Mailbox {
    api: Api,
    host: web_sys::HtmlElement,
    t: &'static Texts,
    wanted_kind: Option<String>,
    config: RefCell<Option<MailboxConfig>>,
    sending: std::cell::Cell<bool>,
    root: H,
    title: H,
    announce: H,
    loading: H,
    load_failed: H,
    form: H,
    kind: H,
    subject: H,
    message: H,
    counter: H,
    name: H,
    email: H,
    phone: H,
    website: H,
    name_label: H,
    contact_legend: H,
    contact_note: H,
    privacy: H,
    refused: H,
    submit: H,
    receipt: H,
}

/// A labelled control with its optional help text and its error line, tied together by
/// `aria-describedby`. Returns the control.
fn row(parent: &H, field: &str, label: &H, control: H, hint: Option<&str>, extra: &str) -> H {
    let id = format!("civic-mb-{field}");
    let _ = label.0.set_attribute("for", &id);
    let _ = parent.0.append_child(&label.0);
    let mut described = String::new();
    if let Some(h) = hint {
        let hint_id = format!("{id}-hint");
        let _ = parent
            .0
            .append_child(&H::new("p").class("civic-help").id(&hint_id).text(h).0);
        described.push_str(&hint_id);
        described.push(' ');
    }
    if !extra.is_empty() {
        described.push_str(extra);
        described.push(' ');
    }
    described.push_str(&format!("{id}-err"));
    let control = control
        .id(&id)
        .attr("name", field)
        .attr("data-field", field)
        .attr("aria-invalid", "false")
        .attr("aria-describedby", &described);
    let _ = parent.0.append_child(&control.0);
    control
}

fn error_line(parent: &H, field: &str) {
    let _ = parent.0.append_child(
        &H::new("p")
            .class("civic-error")
            .id(&format!("civic-mb-{field}-err"))
            .attr("data-error-for", field)
            .0,
    );
}

impl Mailbox {
    fn build(api: Api, host: web_sys::HtmlElement, wanted_kind: Option<String>) -> Rc<Mailbox> {
        let lang = api.lang;
        let t = texts(lang);
        let root = H::new("div")
            .class("civic civic-mailbox-widget")
            .attr("lang", lang.code());
        let title = H::new("h2").text(t.title);
        let announce = H::new("div")
            .class("civic-sr")
            .attr("role", "status")
            .attr("aria-live", "polite")
            .attr("aria-atomic", "true");
        let loading = H::new("p").text(t.loading);
        let retry = H::new("button")
            .class("civic-button")
            .attr("type", "button")
            .text(t.retry);
        let load_failed = H::new("div")
            .class("civic-alert civic-hidden")
            .attr("role", "alert")
            .child(&H::new("p").text(t.load_failed))
            .child(&retry);
        let receipt = H::new("div").attr("aria-live", "polite");

        let form = H::new("form")
            .class("civic-flow civic-mailbox civic-hidden")
            .attr("novalidate", "");
        let _ = form
            .0
            .append_child(&H::new("p").class("civic-help").text(t.intro).0);
        let kind = row(
            &form,
            "kind",
            &H::new("label").text(t.kind),
            H::new("select").attr("aria-required", "true"),
            None,
            "",
        );
        error_line(&form, "kind");
        let subject = row(
            &form,
            "subject",
            &H::new("label").text(t.subject),
            H::new("input")
                .attr("type", "text")
                .attr("aria-required", "true"),
            None,
            "",
        );
        error_line(&form, "subject");
        let message = row(
            &form,
            "message",
            &H::new("label").text(t.message),
            H::new("textarea")
                .attr("rows", "7")
                .attr("aria-required", "true"),
            Some(t.message_hint),
            "civic-mb-counter",
        );
        let counter = H::new("p").class("civic-counter").id("civic-mb-counter");
        let _ = form.0.append_child(&counter.0);
        error_line(&form, "message");

        let contact_legend = H::new("legend").text(t.contact_optional);
        let contact_note = H::new("p")
            .class("civic-help")
            .id("civic-mb-contact-note")
            .text(t.answer_needs_contact);
        let contact = H::new("fieldset")
            .class("civic-contact")
            .attr("aria-describedby", "civic-mb-contact-note")
            .child(&contact_legend)
            .child(&contact_note);
        let name_label = H::new("label").text(t.name);
        let name = row(
            &contact,
            "name",
            &name_label,
            H::new("input")
                .attr("type", "text")
                .attr("autocomplete", "name"),
            None,
            "",
        );
        error_line(&contact, "name");
        let email = row(
            &contact,
            "email",
            &H::new("label").text(t.email),
            H::new("input")
                .attr("type", "email")
                .attr("autocomplete", "email"),
            Some(t.email_hint),
            "",
        );
        error_line(&contact, "email");
        let phone = row(
            &contact,
            "phone",
            &H::new("label").text(t.phone),
            H::new("input")
                .attr("type", "tel")
                .attr("autocomplete", "tel"),
            None,
            "",
        );
        error_line(&contact, "phone");
        let _ = form.0.append_child(&contact.0);

        // The honeypot: invisible, out of the tab order, ignored by screen readers and
        // autofill. People never fill it in; bots that fill every field do.
        let website = H::new("input")
            .id("civic-mb-website")
            .attr("name", "website")
            .attr("type", "text")
            .attr("tabindex", "-1")
            .attr("autocomplete", "off");
        let honeypot = H::new("div")
            .class("civic-hp")
            .attr("aria-hidden", "true")
            .child(
                &H::new("label")
                    .attr("for", "civic-mb-website")
                    .text(t.honeypot),
            )
            .child(&website);
        let _ = form.0.append_child(&honeypot.0);

        let privacy = H::new("a")
            .attr("target", "_blank")
            .attr("rel", "noopener")
            .text(t.privacy_link);
        let _ = form.0.append_child(
            &H::new("p")
                .class("civic-help")
                .text(t.privacy)
                .text(" ")
                .child(&privacy)
                .0,
        );
        let refused = H::new("div")
            .class("civic-alert civic-refused civic-hidden")
            .attr("role", "alert")
            .attr("tabindex", "-1");
        let _ = form.0.append_child(&refused.0);
        let submit = H::new("button")
            .class("civic-button civic-primary")
            .attr("type", "submit")
            .text(t.send);
        let _ = form
            .0
            .append_child(&H::new("div").class("civic-row").child(&submit).0);

        for part in [&title, &announce, &load_failed, &loading, &receipt, &form] {
            let _ = root.0.append_child(&part.0);
        }

        let w = Rc::new(Mailbox {
            api,
            host,
            t,
            wanted_kind,
            config: RefCell::new(None),
            sending: std::cell::Cell::new(false),
            root,
            title,
            announce,
            loading,
            load_failed,
            form,
            kind,
            subject,
            message,
            counter,
            name,
            email,
            phone,
            website,
            name_label,
            contact_legend,
            contact_note,
            privacy,
            refused,
            submit,
            receipt,
        });
        w.update_counter();

        let me = w.clone();
        on(&retry.0, "click", move |_| Mailbox::load_config(&me));
        let me = w.clone();
        on(&w.message.0, "input", move |_| me.update_counter());
        let me = w.clone();
        on(&w.form.0, "submit", move |ev| {
            ev.prevent_default();
            Mailbox::submit(&me);
        });
        w
    }

    fn say(&self, text: &str) {
        set_text(&self.announce.0, text);
    }

    fn max_chars(&self) -> usize {
        self.config
            .borrow()
            .as_ref()
            .map(|c| c.message_max_chars)
            .unwrap_or(MESSAGE_MAX_CHARS)
            .min(MESSAGE_MAX_CHARS)
    }

    fn update_counter(&self) {
        let n = value(&self.message.0).chars().count();
        let max = self.max_chars();
        set_text(
            &self.counter.0,
            &format!("{n} / {max} {}", self.t.characters),
        );
        let _ = self
            .counter
            .0
            .class_list()
            .toggle_with_force("civic-over", n > max);
    }

    /// Fetches the form's configuration and a fresh form token. Called when the form is
    /// shown, again for every new message, and after an expired token; what was typed stays.
    fn load_config(w: &Rc<Mailbox>) {
        show(&w.load_failed.0, false);
        let w = w.clone();
        spawn_local(async move {
            match w.api.get::<MailboxConfig>("/mailbox", "").await {
                Ok(c) => w.apply_config(c),
                Err(_) => {
                    show(&w.loading.0, false);
                    show(&w.load_failed.0, true);
                }
            }
        });
    }

    fn apply_config(&self, c: MailboxConfig) {
        let t = self.t;
        set_text(&self.title.0, &format!("{} {}", t.title, c.name));
        let current = Some(value(&self.kind.0))
            .filter(|k| !k.is_empty())
            .or_else(|| self.wanted_kind.clone());
        self.kind.0.set_text_content(None);
        let _ = self
            .kind
            .0
            .append_child(&H::new("option").attr("value", "").text(t.choose).0);
        for (code, label) in &c.kinds {
            let _ = self
                .kind
                .0
                .append_child(&H::new("option").attr("value", code).text(label).0);
        }
        if let Some(k) = current.filter(|k| c.kinds.iter().any(|(code, _)| code == k)) {
            set_value(&self.kind.0, &k);
        }
        let _ = self.privacy.0.set_attribute("href", &c.privacy_url);
        let anonymous = c.anonymous_allowed;
        set_text(
            &self.contact_legend.0,
            if anonymous {
                t.contact_optional
            } else {
                t.contact_required
            },
        );
        set_text(
            &self.contact_note.0,
            if anonymous {
                t.answer_needs_contact
            } else {
                t.no_anonymous
            },
        );
        let _ = self
            .name
            .0
            .set_attribute("aria-required", if anonymous { "false" } else { "true" });
        set_text(&self.name_label.0, t.name);
        *self.config.borrow_mut() = Some(c);
        self.update_counter();
        show(&self.loading.0, false);
        show(&self.form.0, true);
        let _ = self.submit.0.remove_attribute("disabled");
    }

    fn draft(&self) -> NewMessage {
        NewMessage {
            kind: value(&self.kind.0),
            subject: value(&self.subject.0),
            message: value(&self.message.0),
            name: Some(value(&self.name.0)),
            email: Some(value(&self.email.0)),
            phone: Some(value(&self.phone.0)),
        }
        .normalized()
    }

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

    fn submit(w: &Rc<Mailbox>) {
        let t = w.t;
        if w.sending.get() {
            return;
        }
        let Some(cfg) = w.config.borrow().clone() else {
            return;
        };
        show(&w.refused.0, false);
        let d = w.draft();
        let codes: Vec<&str> = cfg.kinds.iter().map(|(c, _)| c.as_str()).collect();
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
        let body = Body::default()
            .str("kind", &d.kind)
            .str("subject", &d.subject)
            .str("message", &d.message)
            .opt_str("name", d.name.as_deref())
            .opt_str("email", d.email.as_deref())
            .opt_str("phone", d.phone.as_deref())
            .str("website", &value(&w.website.0))
            .str("form_token", &cfg.form_token);
        let w = w.clone();
        spawn_local(async move {
            let answer: Result<Sent, ApiError> = w.api.post("/messages", body).await;
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

    fn sent(self: &Rc<Self>, s: Sent) {
        let t = self.t;
        crate::emit(&self.host, "civic:message-sent", &[("ref", &s.reference)]);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_come_from_the_model() {
        assert_eq!(SUBJECT_MAX_CHARS, 200);
        assert!(FIELDS.contains(&"email"));
    }
}
