//! After sending: the receipt with the reference, the tracking link, a note when the report
//! waits for review, and the photo panel of the new report.

use super::row;
use crate::dom::El;
use crate::reports::state::State;
use civickit_model::Status;
use leptos::prelude::*;

pub(super) fn parts(s: State) -> Vec<El> {
    let t = s.t;
    let (reference, tracking, pending) = s
        .created
        .with_untracked(|c| {
            c.as_ref().map(|c| {
                (
                    c.reference.clone(),
                    c.tracking_url.clone(),
                    c.status == Status::PendingReview,
                )
            })
        })
        .unwrap_or_default();
    let mut parts: Vec<El> = Vec::new();
    parts.push(El::new("h3").attr("tabindex", "-1").text(t.done_heading));
    parts.push(
        El::new("p")
            .text(t.done_reference)
            .text(" ")
            .child(El::new("strong").class("civic-ref").text(&reference)),
    );
    parts.push(
        El::new("p").child(
            El::new("a")
                .class("civic-tracking")
                .attr("href", &tracking)
                .attr("target", "_blank")
                .attr("rel", "noopener")
                .text(t.done_tracking),
        ),
    );
    if pending {
        parts.push(El::new("p").text(t.done_pending));
    }
    // The panel keeps its own state (uploads under way): only its element moves here.
    if let Some(panel) = s.photo_panel.with_value(|p| p.clone()) {
        parts.push(El(panel.root.clone()));
    }
    parts.push(row(vec![
        El::button(t.close, "cancel", "", false),
        El::button(t.another, "start", "", true),
    ]));
    parts
}
