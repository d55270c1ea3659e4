//! The state chips: a report's traffic-light state (colour, shape and word, so that colour is
//! never the only sign) and a mailbox message's state.

use crate::app::use_ctx;
use civickit_model::{MessageStatus, Status};
use leptos::prelude::*;

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let ctx = use_ctx();
    let light = status.light();
    view! {
        <span
            class=format!("badge state {} {}", light.as_str(), status.marker().as_str())
            style=format!("--c:{}", light.hex())
        >
            <span class="shape" aria-hidden="true"></span>
            {move || status.label(ctx.lang.get())}
        </span>
    }
}

/// A message state's label; an unknown code is shown as it is.
pub fn message_status_label(lang: civickit_model::Lang, status: &str) -> String {
    MessageStatus::parse(status)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| status.to_string())
}

#[component]
pub fn MsgBadge(status: String) -> impl IntoView {
    let ctx = use_ctx();
    let class = format!("badge state msg-{status}");
    view! { <span class=class>{move || message_status_label(ctx.lang.get(), &status)}</span> }
}

/// One fact of a detail (`<dt>` and `<dd>`).
#[component]
pub fn Fact(#[prop(into)] label: TextProp, children: Children) -> impl IntoView {
    view! {
        <div>
            <dt>{move || label.get()}</dt>
            <dd>{children()}</dd>
        </div>
    }
}
