//! Step 3 of the report form: everything once more, each part with "change", and sending.

use super::{heading, row};
use crate::api::{ApiError, ToBody};
use crate::dom::{fixed, El};
use crate::reports::state::{FieldMessages, State, Step};
use civickit_model::api::widget::{NewReportRequest, ReportCreated};
use civickit_model::LatLng;
use leptos::prelude::*;
use leptos::task::spawn_local;

pub(super) fn parts(s: State) -> Vec<El> {
    let t = s.t;
    let d = s.draft();
    let at = |p: LatLng| {
        s.near_text()
            .unwrap_or_else(|| format!("{}, {}", fixed(p.lat, 5), fixed(p.lng, 5)))
    };
    let place = match (d.position, d.address.clone()) {
        (Some(p), Some(a)) => format!("{} – {a}", at(p)),
        (Some(p), None) => at(p),
        (None, Some(a)) => a,
        (None, None) => t.not_given.to_string(),
    };
    let change = |action: &str| {
        El::new("button")
            .class("civic-link")
            .attr("type", "button")
            .attr("data-action", action)
            .text(t.change)
    };
    let mut parts: Vec<El> = Vec::new();
    parts.extend(heading(t, 3, t.step_preview));
    parts.push(El::new("p").text(t.preview_intro));
    parts.push(
        El::new("dl")
            .class("civic-preview")
            .child(El::new("dt").text(t.location))
            .child(
                El::new("dd")
                    .text(&place)
                    .text(" ")
                    .child(change("to-locate")),
            )
            .child(El::new("dt").text(t.category))
            .child(
                El::new("dd")
                    .text(&s.category_name(&d.category))
                    .text(" ")
                    .child(change("to-details")),
            )
            .child(El::new("dt").text(t.description))
            .child(El::new("dd").class("civic-pre").text(&d.description))
            .child(El::new("dt").text(t.email))
            .child(El::new("dd").text(d.email.as_deref().unwrap_or(t.not_given)))
            .child(El::new("dt").text(t.photos))
            .child(El::new("dd").text(&s.photos().count().to_string())),
    );
    parts.push(
        El::new("p")
            .class("civic-error")
            .attr("id", "civic-submit-error")
            .attr("role", "alert")
            .text(&s.submit_error.get_untracked().unwrap_or_default()),
    );
    parts.push(row(vec![
        El::button(t.back, "to-details", "", false),
        El::button(t.submit, "submit", "", true).attr("id", "civic-submit"),
    ]));
    parts
}

impl State {
    /// Checks the whole draft once more and sends it. On success: the receipt (with the photo
    /// panel), the form emptied, `civic:report-created` for the host page; on refused fields
    /// back to the step that has them; otherwise the message above the send button.
    pub fn submit(self) {
        let t = self.t;
        if self.sending.get_untracked() {
            return;
        }
        if !self.check(&["position", "address", "category", "description", "email"]) {
            self.go(Step::Details);
            return;
        }
        let d = self.draft();
        self.sending.set(true);
        self.submit_error.set(None);
        let honeypot = self.website.get_untracked();
        spawn_local(async move {
            let body = NewReportRequest {
                category: d.category,
                position: d.position,
                address: d.address,
                description: d.description,
                email: d.email,
                website: Some(honeypot),
                // Filled in by `pow.post` once solved.
                altcha: None,
                // The language goes in `?lang=`.
                lang: None,
            }
            .to_body();
            let pow = self.pows().report.clone();
            let answer: Result<ReportCreated, ApiError> = pow.post("/reports", &body).await;
            self.sending.set(false);
            match answer {
                Ok(c) => self.show_receipt(c),
                Err(ApiError::Http(422, e)) if !e.fields.is_empty() => {
                    let found: FieldMessages = e
                        .fields
                        .iter()
                        .map(|f| (f.field.clone(), f.message.clone()))
                        .collect();
                    let back = if found.iter().any(|(f, _)| f == "position" || f == "address") {
                        Step::Locate
                    } else {
                        Step::Details
                    };
                    self.errors.set(found);
                    self.announce.set(t.form_has_errors.to_string());
                    self.go(back);
                    self.submit_error.set(Some(if e.message.is_empty() {
                        t.form_has_errors.to_string()
                    } else {
                        e.message
                    }));
                }
                Err(ApiError::Http(429, _)) => {
                    self.submit_error.set(Some(t.rate_limited.to_string()));
                    self.announce.set(t.rate_limited.to_string());
                }
                Err(ApiError::Http(_, e)) => {
                    let m = if e.message.is_empty() {
                        t.server_error.to_string()
                    } else {
                        format!("{} {}", e.message, t.server_error)
                    };
                    self.submit_error.set(Some(m.clone()));
                    self.announce.set(m);
                }
                Err(ApiError::Network) => {
                    self.submit_error.set(Some(t.network_error.to_string()));
                    self.announce.set(t.network_error.to_string());
                }
            }
        });
    }

    /// The report was accepted: tell the host page, show the receipt, empty the form.
    fn show_receipt(self, c: ReportCreated) {
        self.announce
            .set(format!("{} {}", self.t.done_announce, c.reference));
        crate::emit(
            &self.pows().host,
            "civic:report-created",
            &[("ref", &c.reference)],
        );
        // The photos chosen in step 2 go up now, with their progress on the receipt.
        let panel = self.photos();
        if c.tracking_token.is_empty() {
            self.photo_panel.set_value(None);
        } else {
            panel.send_to(&self.api.get_value(), &c.reference, &c.tracking_token);
        }
        self.forget_draft();
        self.created.set(Some(c));
        self.position.set(None);
        self.address.set(String::new());
        self.description.set(String::new());
        self.email.set(String::new());
        self.category.set(String::new());
        self.errors.set(Vec::new());
        self.map_view.with_value(|m| {
            if let Some(m) = m {
                m.hide_pin();
            }
        });
        self.go(Step::Done);
        self.reload();
    }
}
