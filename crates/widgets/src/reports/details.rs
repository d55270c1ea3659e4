//! The details of one public report (state, description, photos, history, supporters) and
//! "Betrifft mich auch", which is also offered for the nearby reports of the form's step 2.

use super::state::State;
use super::{flag, photos};
use crate::api::{ApiError, ToBody};
use crate::dom::{self, El};
use crate::texts::date;
use civickit_model::api::widget::{ReportDetail, ReportSummary, SupportAnswer, SupportRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;

impl State {
    /// Shows the details of `reference` (loading them; a late answer for another report is
    /// dropped).
    pub fn open_details(self, reference: String) {
        self.selected.set(Some(reference.clone()));
        self.detail.set(None);
        self.support_message.set(None);
        *self.pows().flag_form.borrow_mut() = None;
        // "Betrifft mich auch" is solved while the citizen reads.
        self.pows().support.start();
        spawn_local(async move {
            let path = format!("/reports/{}", crate::api::encode(&reference));
            if let Ok(d) = self.api.get_value().get::<ReportDetail>(&path, "").await {
                if self.selected.get_untracked().as_deref() == Some(d.reference.as_str()) {
                    self.detail.set(Some(d));
                    self.focus_later(".civic-details h3");
                }
            }
        });
    }

    pub fn close_details(self) {
        self.selected.set(None);
        self.focus_later(".civic-new");
    }

    /// "Betrifft mich auch": counts this browser once and updates the number everywhere.
    pub fn support(self, reference: String) {
        let t = self.t;
        self.support_message.set(None);
        spawn_local(async move {
            let path = format!("/reports/{}/support", crate::api::encode(&reference));
            let body = SupportRequest {
                supporter: crate::supporter_id(),
                altcha: None,
            }
            .to_body();
            let pow = self.pows().support.clone();
            let answer: Result<SupportAnswer, ApiError> = pow.post(&path, &body).await;
            let message = match answer {
                Ok(a) => {
                    self.detail.update(|d| {
                        if let Some(d) = d.as_mut().filter(|d| d.reference == reference) {
                            d.supporters = a.supporters;
                        }
                    });
                    let supporters = a.supporters;
                    let count = |list: &mut Vec<ReportSummary>| {
                        for r in list.iter_mut().filter(|r| r.reference == reference) {
                            r.supporters = supporters;
                        }
                    };
                    self.list.update(count);
                    self.unlocated.update(count);
                    self.nearby.update(|list| {
                        for r in list.iter_mut().filter(|r| r.report.reference == reference) {
                            r.report.supporters = supporters;
                        }
                    });
                    if a.counted {
                        t.support_counted
                    } else {
                        t.support_already
                    }
                }
                Err(ApiError::Http(409, _)) => t.support_closed,
                Err(ApiError::Http(_, e)) if !e.message.is_empty() => {
                    self.support_message.set(Some(e.message.clone()));
                    self.announce.set(e.message);
                    return;
                }
                Err(_) => t.network_error,
            };
            self.support_message.set(Some(message.to_string()));
            self.announce.set(message.to_string());
        });
    }
}

/// The details panel (plain DOM, rebuilt when the selection, its data or the support
/// message change; see dom.rs).
pub fn watch(s: State) {
    let (t, lang) = (s.t, s.lang);
    Effect::new(move |_| {
        let Some(container) = s.details_ref.get() else {
            return;
        };
        let (Some(reference), message) = (s.selected.get(), s.support_message.get()) else {
            s.detail.track();
            dom::replace(&container, Vec::new());
            return;
        };
        s.flag_open.track();
        s.detail.with(|d| {
            let mut section = El::new("section")
                .class("civic-details")
                .attr("aria-labelledby", "civic-details-h")
                .child(
                    El::new("div")
                        .class("civic-details-head")
                        .child(
                            El::new("h3")
                                .attr("id", "civic-details-h")
                                .attr("tabindex", "-1")
                                .text(&reference),
                        )
                        .child(El::button(t.close, "close", &reference, false)),
                );
            if let Some(d) = d.as_ref().filter(|d| d.reference == reference) {
                let mut status = El::new("p")
                    .class("civic-status-line")
                    .child(dom::shape(d.status))
                    .child(El::new("strong").text(d.status.label(lang)));
                if let Some(r) = d.close_reason {
                    status = status.text(&format!(" ({})", r.label(lang)));
                }
                let mut meta = format!(
                    "{} · {} {}",
                    d.category_name,
                    t.reported_on,
                    date(&d.created, lang)
                );
                if let Some(a) = &d.address {
                    meta.push_str(" · ");
                    meta.push_str(a);
                }
                section = section
                    .child(status)
                    .child(El::new("p").class("civic-meta").text(&meta))
                    .child(El::new("h4").text(t.description))
                    .child(
                        El::new("p")
                            .class("civic-pre civic-description")
                            .text(&d.description),
                    )
                    .child(
                        El::button(flag::openers(lang).0, "flag", &d.reference, false)
                            .class("civic-button civic-flag-open")
                            .attr("aria-expanded", "false"),
                    )
                    .opt(photos::gallery(&d.photos, lang, true))
                    .child(El::new("h4").text(t.history));
                if d.notes.is_empty() {
                    section = section.child(El::new("p").text(t.no_history));
                } else {
                    let mut ol = El::new("ol").class("civic-notes");
                    for n in &d.notes {
                        ol = ol.child(
                            El::new("li")
                                .child(El::new("span").class("civic-meta").text(&format!(
                                    "{} · {}",
                                    date(&n.at, lang),
                                    n.status.label(lang)
                                )))
                                .text(" ")
                                .child(El::new("span").class("civic-pre").text(&n.text)),
                        );
                    }
                    section = section.child(ol);
                }
                section = section
                    .child(
                        El::new("p")
                            .class("civic-supporters")
                            .text(&format!("{}: {}", t.supporters, d.supporters)),
                    )
                    .opt(
                        d.status
                            .is_open()
                            .then(|| El::button(t.support, "support", &d.reference, true)),
                    );
            } else {
                section = section.child(El::new("p").text(t.loading));
            }
            section = section.child(
                El::new("p")
                    .attr("role", "status")
                    .text(message.as_deref().unwrap_or("")),
            );
            flag::attach(s, &section.0);
            dom::replace(&container, vec![section]);
        });
    });
}
