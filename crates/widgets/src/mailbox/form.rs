//! The message form, built once: every control with its label, hint and error line, the
//! optional contact data, the honeypot, the privacy link and the send button.

use super::texts::texts;
use super::Mailbox;
use crate::api::Api;
use crate::ui::{on, H};
use civickit_model::api::widget::Purpose;
use std::cell::RefCell;
use std::rc::Rc;

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
    pub(super) fn build(
        api: Api,
        host: web_sys::HtmlElement,
        wanted_kind: Option<String>,
        draft: crate::draft::Draft,
    ) -> Rc<Mailbox> {
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
            pow: crate::challenge::Pow::new(api.clone(), Purpose::Message),
            api,
            host,
            t,
            wanted_kind,
            draft,
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
        on(&w.form.0, "input", move |_| me.save_draft());
        let me = w.clone();
        on(&w.form.0, "change", move |_| me.save_draft());
        let me = w.clone();
        on(&w.form.0, "submit", move |ev| {
            ev.prevent_default();
            Mailbox::submit(&me);
        });
        w
    }
}
