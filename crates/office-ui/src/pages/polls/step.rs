//! The step of interim results (`poll_result_step`, ballot secrecy): while a poll is open, its
//! results move only every N votes, in the widget and in the office alike. A town setting,
//! saved through `/office/api/settings` like the report settings on the town page.

use crate::api::polls as api;
use crate::app::use_ctx;
use crate::components::{ActionForm, FormOutcome, FormState, TextField};
use crate::texts::poll_texts;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ResultStep() -> impl IntoView {
    let ctx = use_ctx();
    let t = move || poll_texts(ctx.lang.get());
    let step = RwSignal::new(String::new());
    let loaded = RwSignal::new(false);
    let form = FormState::new();
    spawn_local(async move {
        match api::result_step().await {
            Ok(n) => {
                step.set(n.to_string());
                loaded.set(true);
            }
            Err(e) => form.error.set(Some(ctx.fail(&e))),
        }
    });
    let submit = move |_| {
        if !form.start() {
            return;
        }
        let n = step.get_untracked();
        spawn_local(async move {
            match api::save_result_step(&n).await {
                Ok(n) => {
                    step.set(n.to_string());
                    form.succeeded(|t| t.settings_saved);
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    view! {
        <section class="poll-step" aria-labelledby="poll-step-heading">
            <h2 id="poll-step-heading">{move || t().interim_heading}</h2>
            <Show when=move || loaded.get() fallback=move || view! { <FormOutcome form /> }>
                <ActionForm form button=move || t().save_result_step on_submit=Callback::new(submit)>
                    <TextField
                        id="poll-result-step"
                        kind="number"
                        inputmode="numeric"
                        min="1"
                        max="100"
                        label=move || t().result_step
                        hint=move || t().result_step_hint
                        value=step
                        form
                        errors=&["poll_result_step"]
                    />
                </ActionForm>
            </Show>
        </section>
    }
}
