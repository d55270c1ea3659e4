//! "Meldung melden": a citizen flags a public report or one of its photos (personal data,
//! offensive, spam, other) for the town to check (`POST …/reports/{ref}/flags`, issue 15).
//!
//! An inline form under the button that opened it, not a modal: nothing traps the focus, the
//! rest of the details stays usable, "Abbrechen" closes it. Plain DOM (crate::ui) as in the
//! mailbox, built once per opening and kept in the state: the details panel is rebuilt from
//! signals (support counts, loading), and re-attaching the same element keeps what was typed.

use super::state::State;
use crate::api::{ApiError, Body};
use crate::ui::{focus_first, on, set_text, value, H};
use civickit_model::api::widget::{FlagReason, FlagReceived, FlagRequest, FLAG_TEXT_MAX_CHARS};
use civickit_model::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;

/// The open flag form: what it flags and its elements.
pub struct FlagForm {
    /// `None`: the report's text; `Some(id)`: the photo with that public id.
    pub photo: Option<String>,
    pub root: web_sys::Element,
    form: web_sys::Element,
    text: web_sys::Element,
    counter: web_sys::Element,
    website: web_sys::Element,
    refused: web_sys::Element,
    send: web_sys::Element,
    /// The reasons' fieldset and the textarea, each with its error line.
    fields: [(web_sys::Element, web_sys::Element); 2],
}

impl FlagForm {
    /// Shows `message` under field 0 (reason) or 1 (text), or clears it.
    fn error(&self, field: usize, message: &str) {
        let (control, line) = &self.fields[field];
        let invalid = if message.is_empty() { "false" } else { "true" };
        let _ = control.set_attribute("aria-invalid", invalid);
        set_text(line, message);
    }
}

struct Words {
    legend_report: &'static str,
    legend_photo: &'static str,
    text: &'static str,
    chars: &'static str,
    send: &'static str,
    sending: &'static str,
    cancel: &'static str,
    no_reason: &'static str,
    too_long: &'static str,
    thanks: &'static str,
    honeypot: &'static str,
}

fn words(lang: Lang) -> Words {
    let p = |de, en| lang.pick(de, en);
    Words {
        legend_report: p(
            "Warum soll die Gemeinde diese Meldung prüfen?",
            "Why should the town check this report?",
        ),
        legend_photo: p(
            "Warum soll die Gemeinde dieses Foto prüfen?",
            "Why should the town check this photo?",
        ),
        text: p(
            "Was ist daran falsch? (freiwillig)",
            "What is wrong with it? (optional)",
        ),
        chars: p("Zeichen", "characters"),
        send: p("Senden", "Send"),
        sending: p("Wird gesendet …", "Sending …"),
        cancel: p("Abbrechen", "Cancel"),
        no_reason: p("Bitte wählen Sie einen Grund.", "Please choose a reason."),
        too_long: p("Der Text ist zu lang.", "The text is too long."),
        thanks: p(
            "Danke. Die Gemeinde prüft die Meldung.",
            "Thank you. The town will check it.",
        ),
        honeypot: p("Bitte leer lassen", "Please leave empty"),
    }
}

/// The labels of the buttons that open the form: for the report, for a photo.
pub fn openers(lang: Lang) -> (&'static str, &'static str) {
    (
        lang.pick("Meldung melden", "Report this"),
        lang.pick("Foto melden", "Report photo"),
    )
}

/// The button that opens the form for `photo` (or for the report).
fn opener(photo: &Option<String>) -> String {
    match photo {
        Some(id) => format!("[data-action=flag-photo][data-for=\"{id}\"]"),
        None => "[data-action=flag]".to_string(),
    }
}

/// Puts the open form (if any) right after the button that opened it, which says it is
/// expanded. Called whenever the details panel is rebuilt.
pub fn attach(s: State, section: &web_sys::Element) {
    let Some(f) = s.pows().flag_form.borrow().clone() else {
        return;
    };
    if let Ok(Some(button)) = section.query_selector(&opener(&f.photo)) {
        let _ = button.set_attribute("aria-expanded", "true");
        // A photo's form goes under the whole row of photos: a thumbnail's column is too
        // narrow for it.
        let place = match f.photo {
            Some(_) => button.closest(".civic-photos").ok().flatten(),
            None => None,
        };
        let _ = place.unwrap_or(button).after_with_node_1(&f.root);
    }
}

/// The public id of a released photo, from its URL (`…/media/{id}.jpg`).
pub fn photo_id(url: &str) -> &str {
    // By bytes: `rsplit` brings a string searcher into the wasm.
    let start = url.bytes().rposition(|b| b == b'/').map_or(0, |i| i + 1);
    let name = &url[start..];
    name.strip_suffix(".jpg").unwrap_or(name)
}

impl State {
    /// Opens the flag form for the selected report (`photo: None`) or one of its photos; a
    /// second click on the same button closes it.
    pub fn open_flag(self, photo: Option<String>) {
        let pows = self.pows();
        let open = pows.flag_form.borrow().as_ref().map(|f| f.photo == photo);
        if open == Some(true) {
            return self.close_flag();
        }
        let f = Rc::new(build(self, photo));
        focus_first(&f.root, "input");
        *pows.flag_form.borrow_mut() = Some(f);
        self.flag_open.set(!self.flag_open.get_untracked());
        // Solved while the citizen chooses a reason.
        pows.flag.start();
    }

    /// Closes the form and gives the focus back to the button that opened it.
    pub fn close_flag(self) {
        let Some(f) = self.pows().flag_form.borrow_mut().take() else {
            return;
        };
        self.flag_open.set(!self.flag_open.get_untracked());
        if let Some(c) = self.details_ref.get_untracked() {
            focus_first(&c, &opener(&f.photo));
        }
    }
}

fn build(s: State, photo: Option<String>) -> FlagForm {
    let w = words(s.lang);
    let legend = if photo.is_some() {
        w.legend_photo
    } else {
        w.legend_report
    };
    // One string of markup, from constants only (labels of this file and of the model,
    // never anything typed), parsed by the browser: a third of the wasm that building the
    // same form element by element took, which the report widget's size budget needs.
    let mut html = String::with_capacity(2048);
    for part in [
        r#"<form class="civic-flow" novalidate><fieldset data-field="reason" aria-describedby="civic-flag-reason-err"><legend>"#,
        legend,
        "</legend>",
    ] {
        html.push_str(part);
    }
    for r in FlagReason::ALL {
        for part in [
            r#"<div class="civic-check"><input type="radio" name="civic-flag-reason" id="civic-flag-"#,
            r.as_str(),
            r#"" value=""#,
            r.as_str(),
            r#""><label for="civic-flag-"#,
            r.as_str(),
            r#"">"#,
            r.label(s.lang),
            "</label></div>",
        ] {
            html.push_str(part);
        }
    }
    for part in [
        r#"</fieldset><p class="civic-error" id="civic-flag-reason-err" data-error-for="reason"></p><label for="civic-flag-text">"#,
        w.text,
        r#"</label><textarea id="civic-flag-text" rows="3" data-field="text" aria-describedby="civic-flag-counter civic-flag-text-err"></textarea><p class="civic-counter" id="civic-flag-counter"></p><p class="civic-error" id="civic-flag-text-err" data-error-for="text"></p>"#,
        // The honeypot, as in the other forms: invisible, out of the tab order and of the
        // accessibility tree; only bots fill it in.
        r#"<div class="civic-hp" aria-hidden="true"><label for="civic-flag-website">"#,
        w.honeypot,
        r#"</label><input id="civic-flag-website" type="text" tabindex="-1" autocomplete="off"></div><p class="civic-error" role="alert" tabindex="-1"></p><div class="civic-row"><button class="civic-button civic-primary" type="submit">"#,
        w.send,
        r#"</button><button class="civic-button" type="button" data-action="flag-cancel">"#,
        w.cancel,
        "</button></div></form>",
    ] {
        html.push_str(part);
    }
    let root = H::new("div").class("civic-box civic-flag").el();
    root.set_inner_html(&html);
    let find = |selector: &str| {
        root.query_selector(selector)
            .ok()
            .flatten()
            .unwrap_or_else(|| root.clone())
    };
    let f = FlagForm {
        photo,
        form: find("form"),
        text: find("textarea"),
        counter: find(".civic-counter"),
        website: find("#civic-flag-website"),
        refused: find("[role=alert]"),
        send: find("[type=submit]"),
        fields: [
            (find("fieldset"), find("#civic-flag-reason-err")),
            (find("textarea"), find("#civic-flag-text-err")),
        ],
        root: root.clone(),
    };
    let (counter, area, chars) = (f.counter.clone(), f.text.clone(), w.chars);
    let count = move || {
        let n = value(&area).chars().count();
        set_text(&counter, &format!("{n} / {FLAG_TEXT_MAX_CHARS} {chars}"));
        let _ = counter
            .class_list()
            .toggle_with_force("civic-over", n > FLAG_TEXT_MAX_CHARS);
    };
    count();
    on(&f.text, "input", move |_| count());
    on(&f.form, "submit", move |ev| {
        ev.prevent_default();
        send_flag(s);
    });
    f
}

/// Checks the form and sends the flag; the thanks replace the form.
fn send_flag(s: State) {
    let Some(f) = s.pows().flag_form.borrow().clone() else {
        return;
    };
    let Some(reference) = s.selected.get_untracked() else {
        return;
    };
    let w = words(s.lang);
    if f.send.has_attribute("disabled") {
        return;
    }
    f.error(0, "");
    f.error(1, "");
    set_text(&f.refused, "");
    let reason = f
        .form
        .query_selector("input[type=radio]:checked")
        .ok()
        .flatten()
        .map(|r| value(&r))
        .unwrap_or_default();
    let text = value(&f.text).trim().to_string();
    if reason.is_empty() {
        f.error(0, w.no_reason);
        s.announce.set(w.no_reason.to_string());
        return focus_first(&f.form, "input[type=radio]");
    }
    if text.chars().count() > FLAG_TEXT_MAX_CHARS {
        f.error(1, w.too_long);
        s.announce.set(w.too_long.to_string());
        return focus_first(&f.form, "textarea");
    }
    let body = to_body(FlagRequest {
        reason,
        text,
        photo: f.photo.clone(),
        // Filled in by `pow.post` once solved.
        altcha: None,
        website: Some(value(&f.website)),
        // The language goes in `?lang=`.
        lang: None,
    });
    let _ = f.send.set_attribute("disabled", "");
    set_text(&f.send, w.sending);
    s.announce.set(w.sending.to_string());
    spawn_local(async move {
        let path = format!("/reports/{}/flags", crate::api::encode(&reference));
        let pow = s.pows().flag.clone();
        let answer: Result<FlagReceived, ApiError> = pow.post(&path, &body).await;
        let _ = f.send.remove_attribute("disabled");
        set_text(&f.send, w.send);
        let t = s.t;
        let message = match answer {
            Ok(_) => {
                let thanks = H::new("p")
                    .attr("role", "status")
                    .attr("tabindex", "-1")
                    .text(w.thanks);
                f.root.set_text_content(None);
                let _ = f.root.append_child(&thanks.0);
                s.announce.set(w.thanks.to_string());
                return focus_first(&f.root, "p");
            }
            // The form checks reason and text before sending; what the server still refuses
            // (the honeypot, a closed report) comes with its message in words.
            Err(ApiError::Http(429, _)) => t.rate_limited.to_string(),
            Err(ApiError::Http(_, e)) if !e.message.is_empty() => e.message,
            Err(ApiError::Http(..)) => t.server_error.to_string(),
            Err(ApiError::Network) => t.network_error.to_string(),
        };
        set_text(&f.refused, &message);
        s.announce.set(message);
        focus_first(&f.root, ".civic-error[role=alert]");
    });
}

/// The body as the server parses it (destructured: a new field in the model must be sent).
fn to_body(r: FlagRequest) -> Body {
    let FlagRequest {
        reason,
        text,
        photo,
        altcha,
        website,
        lang,
    } = r;
    Body::default()
        .str("reason", &reason)
        .opt_str("text", Some(text.as_str()).filter(|t| !t.is_empty()))
        .opt_str("photo", photo.as_deref())
        .opt_str("altcha", altcha.as_deref())
        .opt_str("website", website.as_deref())
        .opt_str("lang", lang.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_ids_come_from_the_urls() {
        assert_eq!(photo_id("https://h/media/abc123.jpg"), "abc123");
        assert_eq!(photo_id("abc"), "abc");
    }
}
