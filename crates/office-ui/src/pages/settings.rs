//! The town's report settings (admins): pre-moderation, the promised response time and how
//! many citizens' flags hide a report or photo. A
//! section of the town page (`pages/town`), which `/office/settings` also shows; the values are
//! edited here only (`/office/api/settings`), not in the town profile.

use crate::api::reports as api;
use crate::app::{tr, use_ctx};
use crate::components::{ActionForm, CheckField, FormOutcome, FormState, TextField};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ReportSettings() -> impl IntoView {
    let ctx = use_ctx();
    let premoderation = RwSignal::new(false);
    let days = RwSignal::new(String::new());
    let threshold = RwSignal::new(String::new());
    let loaded = RwSignal::new(false);
    let form = FormState::new();
    spawn_local(async move {
        match api::settings().await {
            Ok(s) => {
                premoderation.set(s.premoderation);
                days.set(s.response_days.to_string());
                threshold.set(s.flag_threshold.to_string());
                loaded.set(true);
            }
            Err(e) => form.error.set(Some(ctx.fail(&e))),
        }
    });
    let submit = move |_| {
        if !form.start() {
            return;
        }
        let (p, d) = (premoderation.get_untracked(), days.get_untracked());
        let n = threshold.get_untracked();
        spawn_local(async move {
            match api::save_settings(p, &d, &n).await {
                Ok(s) => {
                    premoderation.set(s.premoderation);
                    days.set(s.response_days.to_string());
                    threshold.set(s.flag_threshold.to_string());
                    ctx.me.update(|m| {
                        if let Some(m) = m {
                            m.tenant.premoderation = s.premoderation;
                            m.tenant.response_days = s.response_days;
                        }
                    });
                    form.succeeded(|t| t.settings_saved);
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    view! {
        <Show when=move || loaded.get() fallback=move || view! { <FormOutcome form /> }>
                <ActionForm form button=tr!(ctx, save_settings) primary=true on_submit=Callback::new(submit)>
                    <CheckField
                        id="set-premoderation"
                        label=tr!(ctx, premoderation)
                        hint=tr!(ctx, premoderation_hint)
                        value=premoderation
                    />
                    <TextField
                        id="set-days"
                        kind="number"
                        inputmode="numeric"
                        min="1"
                        max="60"
                        label=tr!(ctx, response_days)
                        hint=tr!(ctx, response_days_hint)
                        value=days
                        form
                        errors=&["response_days"]
                    />
                    <TextField
                        id="set-flag-threshold"
                        kind="number"
                        inputmode="numeric"
                        min="1"
                        max="50"
                        label=tr!(ctx, flag_threshold)
                        hint=tr!(ctx, flag_threshold_hint)
                        value=threshold
                        form
                        errors=&["flag_threshold"]
                    />
                </ActionForm>
        </Show>
    }
}
