//! `<civic-poll data-poll="SLUG">`: one poll of the town. Questions as fieldsets (radios for
//! single choice, checkboxes with a "choose 1 to N" hint for multiple choice), the invitation
//! code for code polls, the ballot checked with `civickit_model::poll::validate_ballot`, and
//! the results as text plus bars that are never the only carrier of the numbers.
//!
//! No map code here: this module is built on its own (`--features poll`).

mod ballot;
mod texts;
mod view;

use crate::api::{Api, ApiError};
use crate::ui::{on, set_text, show, H};
use civickit_model::api::widget::Poll as PollInfo;
use civickit_model::poll::{PollState, Visibility};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use texts::{texts, Texts};
use view::{results_view, when};
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

/// Where this browser keeps its voter token for an open poll.
fn storage_key(tenant: &str, slug: &str) -> String {
    format!("civickit-poll:{tenant}:{slug}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The widget: a fixed frame (live region, load error) and a body rebuilt from each answer.
struct Poll {
    api: Api,
    /// The proof-of-work of the vote (started when the ballot is shown).
    pow: crate::challenge::Pow,
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
            pow: crate::challenge::Pow::new(
                api.clone(),
                civickit_model::api::widget::Purpose::Vote,
            ),
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
        let d = &p.definition;
        let state_line = match d.state {
            PollState::NotYetOpen => t.opens.replace("{when}", &when(&d.opens_at, lang)),
            PollState::Open => t.open_until.replace("{when}", &when(&d.closes_at, lang)),
            PollState::Closed => t.closed_since.replace("{when}", &when(&d.closes_at, lang)),
        };
        let status = if d.state == PollState::Open && p.has_voted {
            t.state_voted.to_string()
        } else if d.state_label.is_empty() {
            d.state.label(lang).to_string()
        } else {
            d.state_label.clone()
        };
        let body = &w.body.0;
        body.set_text_content(None);
        let mut parts = vec![H::new("h2").text(&d.title)];
        if !d.binding {
            parts.push(H::new("p").class("civic-badge").text(t.not_binding));
        }
        parts.push(H::new("p").class("civic-pre").text(&d.description));
        parts.push(
            H::new("p")
                .class("civic-poll-state")
                .attr("data-state", d.state.as_str())
                .child(&H::new("strong").text(&format!("{}: {status}", t.status)))
                .text(&format!(" · {state_line}")),
        );
        parts.push(H::new("p").class("civic-help").text(if d.binding {
            t.binding_note
        } else {
            t.open_note
        }));
        if d.state == PollState::Open && p.has_voted {
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
        if d.state == PollState::Open && !p.has_voted {
            parts.push(Poll::form(w, &p));
        }
        match &p.results {
            Some(r) => parts.push(results_view(r, d, t, lang)),
            None if d.state != PollState::NotYetOpen => {
                let note = match d.visibility {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voter_tokens_are_kept_per_town_and_poll() {
        assert_eq!(
            storage_key("musterstadt", "sitzbaenke"),
            "civickit-poll:musterstadt:sitzbaenke"
        );
    }
}
