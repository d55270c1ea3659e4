//! The mailbox's statistics (messages per kind and month) and settings (admins):
//! `/office/mailbox-settings`.

use crate::api::messages::{self as api, StatRow};
use crate::app::use_ctx;
use crate::components::{ActionForm, CheckField, FormOutcome, FormState, TextField};
use crate::pages::messages::mt;
use crate::texts::{kind_label, mail_texts};
use crate::Msg;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn MailboxSettingsPage() -> impl IntoView {
    let ctx = use_ctx();
    let stats = RwSignal::new(None::<Vec<StatRow>>);
    let stats_error = RwSignal::new(None::<Msg>);
    let anonymous = RwSignal::new(false);
    let days = RwSignal::new(String::new());
    let erase = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let form = FormState::new();
    spawn_local(async move {
        match api::statistics().await {
            Ok(s) => stats.set(Some(s)),
            Err(e) => stats_error.set(Some(ctx.fail(&e))),
        }
        match api::settings().await {
            Ok(s) => {
                anonymous.set(s.anonymous_allowed);
                days.set(s.retention_days.to_string());
                erase.set(s.erase_text);
                loaded.set(true);
            }
            Err(e) => form.error.set(Some(ctx.fail(&e))),
        }
    });
    let submit = move |_| {
        if !form.start() {
            return;
        }
        let (a, d, e) = (
            anonymous.get_untracked(),
            days.get_untracked(),
            erase.get_untracked(),
        );
        spawn_local(async move {
            match api::save_settings(a, &d, e).await {
                Ok(s) => {
                    anonymous.set(s.anonymous_allowed);
                    days.set(s.retention_days.to_string());
                    erase.set(s.erase_text);
                    form.succeeded(|t| t.mailbox_settings_saved);
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    view! {
        <section aria-labelledby="page-heading" class="settings mailbox-admin">
            <h1 id="page-heading" tabindex="-1">
                {mt!(ctx, nav_mailbox_admin)}
            </h1>
            <h2 id="stats-heading">{mt!(ctx, stats_heading)}</h2>
            <p class="form-error" role="alert">
                {move || stats_error.get().map(|m| m(ctx.t()))}
            </p>
            {move || stats.get().map(|rows| view! { <StatsTable rows /> })}
            <h2>{mt!(ctx, settings_heading)}</h2>
            <Show when=move || loaded.get() fallback=move || view! { <FormOutcome form /> }>
                <ActionForm form id="m-settings" button=mt!(ctx, save) primary=true on_submit=Callback::new(submit)>
                    <CheckField id="m-anonymous" label=mt!(ctx, anonymous) hint=mt!(ctx, anonymous_hint) value=anonymous />
                    <TextField
                        id="m-retention"
                        kind="number"
                        inputmode="numeric"
                        min="1"
                        max="3650"
                        label=mt!(ctx, retention)
                        hint=mt!(ctx, retention_hint)
                        value=days
                        form
                        errors=&["retention_days"]
                    />
                    <CheckField id="m-erase" label=mt!(ctx, erase_text) hint=mt!(ctx, erase_text_hint) value=erase />
                </ActionForm>
            </Show>
        </section>
    }
}

/// Months down, kinds across, with a total per month.
#[component]
fn StatsTable(rows: Vec<StatRow>) -> impl IntoView {
    let ctx = use_ctx();
    if rows.is_empty() {
        return view! { <p>{mt!(ctx, stats_empty)}</p> }.into_any();
    }
    let mut kinds: Vec<String> = Vec::new();
    let mut months: Vec<String> = Vec::new();
    for r in &rows {
        if !kinds.contains(&r.kind) {
            kinds.push(r.kind.clone());
        }
        if !months.contains(&r.month) {
            months.push(r.month.clone());
        }
    }
    months.sort();
    months.reverse();
    let count = move |kind: &str, month: &str| {
        rows.iter()
            .filter(|r| r.kind == kind && r.month == month)
            .map(|r| r.count)
            .sum::<i64>()
    };
    let body: Vec<(String, Vec<i64>)> = months
        .iter()
        .map(|m| (m.clone(), kinds.iter().map(|k| count(k, m)).collect()))
        .collect();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="stats-heading">
            <table class="stats">
                <thead>
                    <tr>
                        <th scope="col">{mt!(ctx, stats_month)}</th>
                        {kinds
                            .iter()
                            .map(|k| {
                                let k = k.clone();
                                view! { <th scope="col">{move || kind_label(ctx.lang.get(), &k)}</th> }
                            })
                            .collect_view()}
                        <th scope="col">{mt!(ctx, stats_total)}</th>
                    </tr>
                </thead>
                <tbody>
                    {body
                        .into_iter()
                        .map(|(month, counts)| {
                            let total: i64 = counts.iter().sum();
                            view! {
                                <tr>
                                    <th scope="row">{month}</th>
                                    {counts.into_iter().map(|n| view! { <td>{n}</td> }).collect_view()}
                                    <td>{total}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
