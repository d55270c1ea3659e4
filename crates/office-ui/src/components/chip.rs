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

#[component]
pub fn MsgBadge(status: MessageStatus) -> impl IntoView {
    let ctx = use_ctx();
    let class = format!("badge state msg-{}", status.as_str());
    view! { <span class=class>{move || status.label(ctx.lang.get())}</span> }
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
