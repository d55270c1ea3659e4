//! What personal data the town holds (`GET /office/api/privacy/inventory`): a table with a
//! row per kind (its name, the records, the oldest, the next erasure in local time, marked
//! "fällig" when the next retention run takes it, and the rule in words with the town's
//! periods).

use crate::api::inventory::{self as api, InventoryEntry, PrivacyInventory};
use crate::app::use_ctx;
use crate::browser::{local_time, seconds_since};
use crate::components::{FormOutcome, FormState};
use crate::texts::{inventory_texts, InventoryMsg};
use civickit_model::privacy::Retention;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A text of the section that follows the page language (one closure type for all of them,
/// as the town page does, to keep the office wasm small).
fn tx(m: InventoryMsg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_ctx().lang;
    move || m(inventory_texts(lang.get()))
}

#[component]
pub fn InventorySection() -> impl IntoView {
    let ctx = use_ctx();
    let inventory = RwSignal::new(None::<PrivacyInventory>);
    let load = FormState::new();
    spawn_local(async move {
        match api::inventory().await {
            Ok(i) => inventory.set(Some(i)),
            Err(e) => load.failed(ctx, e),
        }
    });
    view! {
        <section aria-labelledby="inventory-heading" class="privacy-section">
            <h2 id="inventory-heading">{tx(|t| t.heading)}</h2>
            <p class="hint">{tx(|t| t.intro)}</p>
            <FormOutcome form=load />
            {move || inventory.get().map(|i| view! {
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="inventory-caption">
                    <table class="inventory">
                        <caption id="inventory-caption">{tx(|t| t.caption)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{tx(|t| t.kind)}</th>
                                <th scope="col" class="num">{tx(|t| t.records)}</th>
                                <th scope="col">{tx(|t| t.oldest)}</th>
                                <th scope="col">{tx(|t| t.next_erasure)}</th>
                                <th scope="col">{tx(|t| t.rule)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {i.entries.into_iter().map(|e| row(e, i.retention)).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

fn row(e: InventoryEntry, retention: Retention) -> impl IntoView {
    let lang = use_ctx().lang;
    let kind = e.kind;
    let due = e
        .next_erasure
        .as_deref()
        .is_some_and(|n| seconds_since(n) >= 0.0);
    view! {
        <tr>
            <th scope="row">{move || kind.label(lang.get())}</th>
            <td class="num">{e.records}</td>
            <td>{time(e.oldest)}</td>
            <td>
                {time(e.next_erasure)}
                {due.then(|| view! { " " <span class="badge overdue">{tx(|t| t.due)}</span> })}
            </td>
            <td>{move || kind.rule(lang.get(), &retention)}</td>
        </tr>
    }
}

/// A time in the official's local time, with the instant for machines; "–" without one.
fn time(at: Option<String>) -> impl IntoView {
    let lang = use_ctx().lang;
    match at {
        Some(at) => {
            let shown = at.clone();
            view! { <time datetime=at>{move || local_time(lang.get(), &shown)}</time> }.into_any()
        }
        None => view! { <span>{tx(|t| t.none)}</span> }.into_any(),
    }
}
