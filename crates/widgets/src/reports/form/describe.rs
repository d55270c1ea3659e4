//! Step 2 of the report form: what and who (category, description, optional e-mail, the
//! honeypot), with the open reports of the same category nearby: "Ist es einer davon?", so
//! that a citizen can support an existing report instead of sending a duplicate.

use super::{heading, input, label, row, Errors};
use crate::dom::{self, El};
use crate::reports::photos;
use crate::reports::state::{State, Step};
use civickit_model::api::widget::NearbyList;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use wasm_bindgen::JsCast;

pub(super) fn parts(s: State, errors: &Errors) -> Vec<El> {
    let t = s.t;
    let (categories, privacy) = s.config.with_untracked(|c| {
        c.as_ref()
            .map(|c| (c.categories.clone(), c.privacy_url.clone()))
            .unwrap_or_default()
    });
    let chosen = s.category.get_untracked();
    let address_text = s.address.get_untracked();
    let mut parts: Vec<El> = Vec::new();
    parts.extend(heading(t, 2, t.step_details));
    let described = address_text.trim();
    let mut place = El::new("p").class("civic-place");
    if s.position.get_untracked().is_some() {
        // `#civic-place` follows the address found for the pin, which after a reload into
        // this step arrives only once the step is shown.
        place = place.child(
            El::new("span")
                .attr("id", "civic-place")
                .text(&s.place_text()),
        );
        if !described.is_empty() {
            place = place.text(&format!(" – {described}"));
        }
    } else {
        place = place.text(&format!("{}: {described}", t.location));
    }
    parts.push(place);
    parts.push(label("civic-category", t.category));
    let mut select = El::new("select")
        .attr("id", "civic-category")
        .attr("aria-invalid", errors.invalid("category"))
        .attr("aria-describedby", "civic-err-category")
        .child(El::new("option").attr("value", "").text(t.choose_category));
    for c in &categories {
        let mut o = El::new("option").attr("value", &c.code).text(&c.name);
        if c.code == chosen {
            o = o.attr("selected", "");
        }
        select = select.child(o);
    }
    parts.push(select);
    parts.push(errors.line("category"));
    parts.push(El::new("div").attr("id", "civic-nearby"));
    parts.push(label("civic-description", t.description));
    parts.push(
        El::new("p")
            .class("civic-help")
            .attr("id", "civic-description-hint")
            .text(t.description_hint),
    );
    let area = El::new("textarea")
        .attr("id", "civic-description")
        .attr("rows", "5")
        .attr("aria-invalid", errors.invalid("description"))
        .attr(
            "aria-describedby",
            "civic-description-hint civic-counter civic-err-description",
        );
    if let Some(a) = area.0.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        a.set_value(&s.description.get_untracked());
    }
    parts.push(area);
    parts.push(
        El::new("p")
            .class("civic-counter")
            .attr("id", "civic-counter")
            .text(&s.counter_text()),
    );
    parts.push(errors.line("description"));
    parts.push(label("civic-email", t.email));
    parts.push(
        input(
            "civic-email",
            "email",
            s.email.get_untracked(),
            "civic-email-hint civic-err-email",
        )
        .attr("autocomplete", "email")
        .attr("aria-invalid", errors.invalid("email")),
    );
    parts.push(
        El::new("p")
            .class("civic-help")
            .attr("id", "civic-email-hint")
            .text(t.email_hint),
    );
    parts.push(errors.line("email"));
    // Chosen now, uploaded right after the report is created (see photos.rs).
    parts.push(El(s.photos().root.clone()));
    // The honeypot: invisible, out of the tab order, ignored by screen readers and autofill.
    // People never fill it in; bots that fill every field do.
    parts.push(
        El::new("div")
            .class("civic-hp")
            .attr("aria-hidden", "true")
            .child(label("civic-website", t.honeypot))
            .child(
                input("civic-website", "text", s.website.get_untracked(), "")
                    .attr("tabindex", "-1")
                    .attr("autocomplete", "off"),
            ),
    );
    parts.push(
        El::new("p")
            .class("civic-help")
            .text(t.privacy)
            .text(" ")
            .child(
                El::new("a")
                    .attr("href", &privacy)
                    .attr("target", "_blank")
                    .attr("rel", "noopener")
                    .text(t.privacy_link),
            ),
    );
    parts.push(row(vec![
        El::button(t.back, "to-locate", "", false),
        El::button(t.to_preview, "details-next", "", true),
    ]));
    parts
}

/// Looks up the open reports of the chosen category around the chosen place while step 2 is
/// shown (a late answer for an older place or category is dropped).
pub(super) fn watch_nearby(s: State) {
    Effect::new(move |_| {
        let (step, p, c) = (s.step.get(), s.position.get(), s.category.get());
        let (Step::Details, Some(p), false) = (step, p, c.is_empty()) else {
            s.nearby.set(Vec::new());
            return;
        };
        let radius = s
            .config
            .with_untracked(|c| c.as_ref().map(|c| c.duplicate_radius_m).unwrap_or(250.0));
        let query = format!(
            "lat={}&lng={}&category={}&radius={}",
            dom::number(p.lat),
            dom::number(p.lng),
            crate::api::encode(&c),
            dom::number(radius)
        );
        spawn_local(async move {
            if let Ok(list) = s
                .api
                .get_value()
                .get::<NearbyList>("/reports/nearby", &query)
                .await
            {
                if s.category.get_untracked() == c && s.position.get_untracked() == Some(p) {
                    s.nearby.set(list.reports);
                }
            }
        });
    });
}

impl State {
    /// The photo panel of the report being written (made when first needed).
    pub(super) fn photos(self) -> Rc<photos::Panel> {
        if let Some(p) = self.photo_panel.with_value(|p| p.clone()) {
            return p;
        }
        let p = photos::Panel::new(self.lang);
        self.photo_panel.set_value(Some(p.clone()));
        p
    }

    /// Fills `#civic-nearby` of step 2 (if shown) with the nearby reports, each with its own
    /// "Betrifft mich auch" button, and the answer to the last support.
    pub(super) fn fill_nearby(self) {
        let t = self.t;
        let lang = self.lang;
        let Some(container) = self.find("#civic-nearby") else {
            return;
        };
        let items = self.nearby.get_untracked();
        if items.is_empty() {
            dom::replace(&container, Vec::new());
            return;
        }
        let mut ul = El::new("ul");
        for near in &items {
            let r = &near.report;
            let distance = format!("{} {} · ", near.distance_m.round() as i64, t.metres_away);
            ul = ul.child(
                El::new("li")
                    .child(dom::shape(r.status))
                    .child(
                        El::new("span")
                            .child(El::new("strong").text(r.status.label(lang)))
                            .text(&format!(
                                " · {distance}{} · {}: {}",
                                r.summary, t.supporters, r.supporters
                            )),
                    )
                    .child(El::button(t.support, "support", &r.reference, false)),
            );
        }
        let message = self.support_message.get_untracked().unwrap_or_default();
        dom::replace(
            &container,
            vec![El::new("div")
                .class("civic-nearby")
                .attr("role", "region")
                .attr("aria-labelledby", "civic-nearby-h")
                .child(
                    El::new("h4")
                        .attr("id", "civic-nearby-h")
                        .text(t.duplicates_heading),
                )
                .child(El::new("p").text(t.duplicates_intro))
                .child(ul)
                .child(El::new("p").attr("role", "status").text(&message))],
        );
    }
}
