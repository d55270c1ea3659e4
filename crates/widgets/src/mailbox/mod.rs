//! `<civic-mailbox>`, the Bürgerbriefkasten: a message form (kind, subject, message, optional
//! contact data) validated with `civickit_model::NewMessage`, sent with the signed form token
//! of `GET /mailbox`, answered with a receipt and its reference (`B-2026-00017`).
//!
//! No map code here: this module is built on its own (`--features mailbox`).

mod form;
mod send;
mod texts;

use crate::api::{Api, Value};
use crate::draft::Draft;
use crate::ui::{set_text, set_value, show, value, H};
use civickit_model::api::widget::MailboxConfig;
use civickit_model::mailbox::MESSAGE_MAX_CHARS;
use civickit_model::NewMessage;
use std::cell::RefCell;
use std::rc::Rc;
use texts::Texts;
use wasm_bindgen_futures::spawn_local;

pub fn mount(target: web_sys::HtmlElement, host: web_sys::HtmlElement, api: Api) {
    let draft = Draft::new("mailbox", &api.tenant);
    let saved = draft.load();
    // The kind of a draft before the page's `data-kind`: the citizen chose it.
    let kind = saved
        .as_ref()
        .map(|d| d.str("kind"))
        .or_else(|| host.get_attribute("data-kind"))
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty());
    let widget = Mailbox::build(api, host, kind, draft);
    if let Some(d) = saved {
        set_value(&widget.subject.0, &d.str("subject"));
        set_value(&widget.message.0, &d.str("message"));
        widget.update_counter();
    }
    let _ = target.append_child(&widget.root.0);
    Mailbox::load_config(&widget);
}

/// The fields of the form, in the order they are shown (the first error gets the focus).
const FIELDS: [&str; 6] = ["kind", "subject", "message", "name", "email", "phone"];

/// The widget: its elements, built once, and what it knows.
struct Mailbox {
    api: Api,
    /// The proof-of-work of the next message (started when the form is shown).
    pow: crate::challenge::Pow,
    host: web_sys::HtmlElement,
    t: &'static Texts,
    wanted_kind: Option<String>,
    /// What was typed (kind, subject, message; never the contact data), kept over a reload.
    draft: Draft,
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

impl Mailbox {
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
        for k in &c.kinds {
            let _ = self
                .kind
                .0
                .append_child(&H::new("option").attr("value", &k.code).text(&k.name).0);
        }
        if let Some(k) = current.filter(|k| c.kinds.iter().any(|kind| kind.code == *k)) {
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
        self.pow.start();
    }

    /// Keeps kind, subject and message in the tab's storage (see `crate::draft`).
    fn save_draft(&self) {
        self.draft.save(&[
            ("kind", value(&self.kind.0).into()),
            ("subject", value(&self.subject.0).into()),
            ("message", value(&self.message.0).into()),
        ]);
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use civickit_model::mailbox::SUBJECT_MAX_CHARS;

    #[test]
    fn limits_come_from_the_model() {
        assert_eq!(SUBJECT_MAX_CHARS, 200);
        assert!(FIELDS.contains(&"email"));
    }
}
