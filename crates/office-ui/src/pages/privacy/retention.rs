//! The town's retention periods: one form with the five settings, each with a hint that says
//! what it erases; a refused period shows its error in place and nothing is stored.

use crate::api::retention::{self as api, Retention};
use crate::app::use_ctx;
use crate::components::{ActionForm, CheckField, FormOutcome, FormState, TextField};
use crate::texts::retention_texts;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Text signals of the form's four periods, in the order of `api::save_retention`.
#[derive(Clone, Copy)]
struct Days([RwSignal<String>; 4]);

impl Days {
    fn show(&self, r: &Retention) {
        let values = [r.contact_days, r.outbox_days, r.tracking_days, r.photo_days];
        for (signal, value) in self.0.iter().zip(values) {
            signal.set(value.to_string());
        }
    }
}

#[component]
pub fn RetentionSection() -> impl IntoView {
    let ctx = use_ctx();
    let t = move || retention_texts(ctx.lang.get());
    let days = Days(std::array::from_fn(|_| RwSignal::new(String::new())));
    let [contact, outbox, tracking, photo] = days.0;
    let erase_text = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let form = FormState::new();
    let show = move |r: Retention| {
        days.show(&r);
        erase_text.set(r.erase_text);
    };
    spawn_local(async move {
        match api::retention().await {
            Ok(r) => {
                show(r);
                loaded.set(true);
            }
            Err(e) => form.error.set(Some(ctx.fail(&e))),
        }
    });
    let submit = move |_| {
        if !form.start() {
            return;
        }
        let typed = days.0.map(|d| d.get_untracked());
        let erase = erase_text.get_untracked();
        spawn_local(async move {
            let [a, b, c, d] = &typed;
            match api::save_retention([a, b, c, d], erase).await {
                Ok(r) => {
                    show(r);
                    form.succeeded(|t| retention_texts(t.lang).saved);
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    view! {
        <section class="settings privacy" aria-labelledby="privacy-retention">
            <h2 id="privacy-retention">{move || t().heading}</h2>
            <p class="hint">{move || t().intro}</p>
            <Show when=move || loaded.get() fallback=move || view! { <FormOutcome form /> }>
                <ActionForm form id="p-retention" button=move || t().save primary=true on_submit=Callback::new(submit)>
                    <TextField
                        id="p-contact-days"
                        kind="number"
                        inputmode="numeric"
                        min="1"
                        max="3650"
                        label=move || t().contact_days
                        hint=move || t().contact_days_hint
                        value=contact
                        form
                        errors=&["contact_days"]
                    />
                    <CheckField id="p-erase-text" label=move || t().erase_text hint=move || t().erase_text_hint value=erase_text />
                    <TextField
                        id="p-outbox-days"
                        kind="number"
                        inputmode="numeric"
                        min="1"
                        max="365"
                        label=move || t().outbox_days
                        hint=move || t().outbox_days_hint
                        value=outbox
                        form
                        errors=&["outbox_days"]
                    />
                    <TextField
                        id="p-tracking-days"
                        kind="number"
                        inputmode="numeric"
                        min="1"
                        max="3650"
                        label=move || t().tracking_days
                        hint=move || t().tracking_days_hint
                        value=tracking
                        form
                        errors=&["tracking_days"]
                    />
                    <TextField
                        id="p-photo-days"
                        kind="number"
                        inputmode="numeric"
                        min="0"
                        max="3650"
                        label=move || t().photo_days
                        hint=move || t().photo_days_hint
                        value=photo
                        form
                        errors=&["photo_days"]
                    />
                </ActionForm>
            </Show>
        </section>
    }
}
