//! Data protection (`/office/privacy`, admins): the town's retention periods, the inventory
//! of personal data it holds, access and erasure for one citizen (by e-mail address or phone
//! number), and the generated privacy notice and accessibility statement. One section per
//! module, each with its own heading, reached from the page's table of contents.

mod inventory;
mod requests;
mod retention;
mod statements;

use crate::app::{tr, use_ctx};
use leptos::prelude::*;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <h1 id="page-heading" tabindex="-1">{tr!(ctx, nav_privacy)}</h1>
        <retention::RetentionSection />
        <inventory::InventorySection />
        <requests::RequestsSection />
        <statements::StatementsSection />
    }
}
