//! The state of one action form (field errors, overall error, outcome, busy flag) and the
//! pieces every form shows with it: the error under a field and the outcome beside the button.

use crate::app::{use_ctx, Ctx};
use crate::browser::focus_id;
use crate::fetch::ApiError;
use crate::texts::Texts;
use crate::Msg;
use civickit_model::api::FieldMessage;
use civickit_model::{FieldError, ValidationCode};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// Fields of the town page whose errors `civickit_model::town::message` explains.
const TOWN_FIELDS: &[&str] = &[
    "area",
    "center",
    "zoom",
    "allowed_origins",
    "tile_url",
    "tile_attribution",
    "privacy_url",
    "imprint_url",
    "geocoder_url",
];

/// The message for one field error: our own text by code, so it follows the page language.
pub fn field_text(t: &'static Texts, e: &FieldMessage) -> String {
    match (e.field.as_str(), e.code) {
        ("duplicate_of", ValidationCode::InvalidValue) => t.code_duplicate_unknown.into(),
        // The town's settings say what is wrong and how to get it right, in the model's words
        // (the same as the CLI's).
        (field, code) if TOWN_FIELDS.contains(&field) => {
            civickit_model::town::message(&FieldError::new(field, code), t.lang)
        }
        (_, ValidationCode::Required) => t.code_required.into(),
        (_, ValidationCode::TooLong) => t.code_too_long.into(),
        (_, ValidationCode::UnknownCategory) => t.code_unknown_category.into(),
        (_, ValidationCode::InvalidValue) => t.code_invalid_value.into(),
        _ if !e.message.is_empty() => e.message.clone(),
        _ => t.code_invalid_value.into(),
    }
}

/// The errors, busy flag and outcome of one form.
#[derive(Clone, Copy)]
pub struct FormState {
    pub fields: RwSignal<Vec<FieldMessage>>,
    pub error: RwSignal<Option<Msg>>,
    pub done: RwSignal<Option<Msg>>,
    pub busy: RwSignal<bool>,
    /// The ids of the form's fields with the error names each shows, in the form's order, so
    /// that a refused form can move focus to its first bad field.
    order: StoredValue<Vec<(&'static str, &'static [&'static str])>>,
}

impl FormState {
    pub fn new() -> Self {
        FormState {
            fields: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            done: RwSignal::new(None),
            busy: RwSignal::new(false),
            order: StoredValue::new(Vec::new()),
        }
    }

    /// Starts a submission; false while one is still under way.
    pub fn start(&self) -> bool {
        if self.busy.get_untracked() {
            return false;
        }
        self.busy.set(true);
        self.clear();
        true
    }

    pub fn clear(&self) {
        self.fields.set(Vec::new());
        self.error.set(None);
        self.done.set(None);
    }

    /// A successful submission with its outcome message.
    pub fn succeeded(&self, done: Msg) {
        self.busy.set(false);
        self.done.set(Some(done));
    }

    pub fn failed(&self, ctx: Ctx, e: ApiError) {
        self.busy.set(false);
        self.error.set(Some(ctx.fail(&e)));
        self.fields.set(e.fields);
        self.focus_first_bad_field();
    }

    /// Registers a field (done by the field components).
    pub fn register(&self, id: &'static str, names: &'static [&'static str]) {
        if !names.is_empty() {
            self.order.update_value(|o| {
                if !o.iter().any(|(known, _)| *known == id) {
                    o.push((id, names));
                }
            });
        }
    }

    fn focus_first_bad_field(&self) {
        let bad = self.fields.with_untracked(|f| {
            self.order.with_value(|o| {
                o.iter()
                    .find(|(_, names)| f.iter().any(|e| names.contains(&e.field.as_str())))
                    .map(|(id, _)| *id)
            })
        });
        if let Some(id) = bad {
            focus_id(id);
        }
    }

    /// Whether one of `names` has an error (the server reports too long notes as `note`).
    pub fn invalid(&self, names: &'static [&'static str]) -> Option<&'static str> {
        self.fields
            .with(|f| f.iter().any(|e| names.contains(&e.field.as_str())))
            .then_some("true")
    }
}

impl Default for FormState {
    fn default() -> Self {
        FormState::new()
    }
}

/// The error text under a field (always in the DOM, so `aria-describedby` can point at it).
#[component]
pub fn FieldErr(
    form: FormState,
    names: &'static [&'static str],
    #[prop(into)] id: String,
) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <p class="field-error" id=id>
            {move || {
                form.fields
                    .with(|f| {
                        f.iter()
                            .find(|e| names.contains(&e.field.as_str()))
                            .map(|e| field_text(ctx.t(), e))
                    })
            }}
        </p>
    }
}

/// The form's overall error (an alert) and success message (a status), next to its button.
#[component]
pub fn FormOutcome(form: FormState) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <p class="form-error" role="alert">
            {move || form.error.get().map(|m| m(ctx.t()))}
        </p>
        <p class="form-done" role="status">
            {move || form.done.get().map(|m| m(ctx.t()))}
        </p>
    }
}

/// An action form: its fields (children), the outcome and the submit button. `on_submit` runs
/// without the browser's own submission; a second submission waits for the first (see
/// [`FormState::start`]). With `show_pending` the button also says so while it waits (the
/// login, where a slow answer is common); the other buttons keep their name for the reader.
#[component]
pub fn ActionForm(
    form: FormState,
    #[prop(into)] button: TextProp,
    on_submit: Callback<()>,
    #[prop(optional)] primary: bool,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(default = "action")] class: &'static str,
    #[prop(optional)] show_pending: bool,
    children: Children,
) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <form
            class=class
            id=id
            novalidate
            on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                on_submit.run(());
            }
        >
            {children()}
            <FormOutcome form />
            <button
                type="submit"
                class=primary.then_some("primary")
                aria-disabled=move || (show_pending && form.busy.get()).then_some("true")
            >
                {move || {
                    if show_pending && form.busy.get() { ctx.t().busy.into() } else { button.get() }
                }}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts;

    #[test]
    fn field_errors_follow_the_page_language() {
        let e = FieldMessage {
            field: "public_note".into(),
            code: ValidationCode::Required,
            message: "Bitte ausfüllen".into(),
        };
        assert_eq!(field_text(&texts::EN, &e), "Please fill in.");
        let dup = FieldMessage {
            field: "duplicate_of".into(),
            code: ValidationCode::InvalidValue,
            message: String::new(),
        };
        assert_eq!(
            field_text(&texts::DE, &dup),
            "Eine Meldung mit diesem Aktenzeichen gibt es nicht."
        );
    }
}
