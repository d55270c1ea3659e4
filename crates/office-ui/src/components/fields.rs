//! Form fields with their label, hint and error wired for assistive technology: the hint and
//! the error text are named by `aria-describedby` (`{id}-hint`, `{id}-err`; `describe_as` gives
//! them another stem), and a refused field says `aria-invalid`. A field shows the server's
//! errors for the field names in `errors`.

use super::form::{FieldErr, FormState};
use leptos::prelude::*;

/// One option of a select: the value sent and the label shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// The ids a field's control points at, `None` when it has neither hint nor error.
fn described_by(id: &'static str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if error {
        ids.push(format!("{id}-err"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// The parts around a control: what it is called, how to fill it, what was wrong.
struct Frame {
    /// The stem of the hint's and the error's ids.
    stem: &'static str,
    form: Option<FormState>,
    errors: &'static [&'static str],
}

impl Frame {
    fn new(
        id: &'static str,
        describe_as: Option<&'static str>,
        form: Option<FormState>,
        errors: &'static [&'static str],
    ) -> Frame {
        if let Some(f) = form {
            f.register(id, errors);
        }
        Frame {
            stem: describe_as.unwrap_or(id),
            form,
            errors,
        }
    }
    fn described_by(&self, hint: bool) -> Option<String> {
        described_by(self.stem, hint, self.has_error())
    }
    fn has_error(&self) -> bool {
        self.form.is_some() && !self.errors.is_empty()
    }
    fn invalid(&self) -> impl Fn() -> Option<&'static str> + Send + Sync + 'static {
        let (form, errors) = (self.form, self.errors);
        move || form.and_then(|f| f.invalid(errors))
    }
    fn error(&self) -> impl IntoView {
        let stem = self.stem;
        let errors = self.errors;
        self.form
            .filter(|_| !errors.is_empty())
            .map(|form| view! { <FieldErr form names=errors id=format!("{stem}-err") /> })
    }
}

fn hint_view(id: &'static str, hint: Option<TextProp>) -> impl IntoView {
    hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{move || h.get()}</p> })
}

/// A one-line input (`kind`: text, email, password, number, search, …).
#[component]
pub fn TextField(
    id: &'static str,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(optional)] form: Option<FormState>,
    #[prop(optional)] errors: &'static [&'static str],
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] min: Option<&'static str>,
    #[prop(optional)] max: Option<&'static str>,
    #[prop(optional)] maxlength: Option<usize>,
    /// For codes and addresses: no capitals, no spelling marks.
    #[prop(optional)]
    verbatim: bool,
    #[prop(optional)] describe_as: Option<&'static str>,
) -> impl IntoView {
    let frame = Frame::new(id, describe_as, form, errors);
    let describedby = frame.described_by(hint.is_some());
    let stem = frame.stem;
    view! {
        <div class="field">
            <label for=id>{move || label.get()}</label>
            {hint_view(stem, hint)}
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                min=min
                max=max
                maxlength=maxlength
                autocapitalize=verbatim.then_some("none")
                spellcheck=verbatim.then_some("false")
                aria-invalid=frame.invalid()
                aria-describedby=describedby
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {frame.error()}
        </div>
    }
}

/// A text of several lines.
#[component]
pub fn TextArea(
    id: &'static str,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(optional)] form: Option<FormState>,
    #[prop(optional)] errors: &'static [&'static str],
    #[prop(default = 3)] rows: u32,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional)] describe_as: Option<&'static str>,
) -> impl IntoView {
    let frame = Frame::new(id, describe_as, form, errors);
    let describedby = frame.described_by(hint.is_some());
    let stem = frame.stem;
    view! {
        <div class="field">
            <label for=id>{move || label.get()}</label>
            {hint_view(stem, hint)}
            <textarea
                id=id
                rows=rows
                maxlength=maxlength
                aria-invalid=frame.invalid()
                aria-describedby=describedby
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            {frame.error()}
        </div>
    }
}

/// A choice from a list; `empty` is the label of a first option with the value "" ("all",
/// "please choose"). `on_change` runs after the value is set (e.g. to go back to page 1).
#[component]
pub fn SelectField(
    id: &'static str,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<Choice>>,
    #[prop(optional, into)] empty: Option<TextProp>,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(optional)] form: Option<FormState>,
    #[prop(optional)] errors: &'static [&'static str],
    #[prop(optional)] on_change: Option<Callback<String>>,
) -> impl IntoView {
    let frame = Frame::new(id, None, form, errors);
    let describedby = frame.described_by(hint.is_some());
    let stem = frame.stem;
    view! {
        <div class="field">
            <label for=id>{move || label.get()}</label>
            {hint_view(stem, hint)}
            <select
                id=id
                aria-invalid=frame.invalid()
                aria-describedby=describedby
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    value.set(v.clone());
                    if let Some(f) = on_change {
                        f.run(v);
                    }
                }
            >
                {empty
                    .map(|e| {
                        view! {
                            <option value="" prop:selected=move || value.with(String::is_empty)>
                                {move || e.get()}
                            </option>
                        }
                    })}
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|c| {
                            let v = c.value.clone();
                            view! {
                                <option value=c.value prop:selected=move || value.with(|x| *x == v)>
                                    {c.label}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            {frame.error()}
        </div>
    }
}

/// A yes/no choice: the box first, then its label and hint.
#[component]
pub fn CheckField(
    id: &'static str,
    #[prop(into)] label: TextProp,
    value: RwSignal<bool>,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(optional)] form: Option<FormState>,
    #[prop(optional)] errors: &'static [&'static str],
    /// Said instead of the server's message when the box is refused.
    #[prop(optional, into)]
    error_text: Option<TextProp>,
    #[prop(optional)] on_change: Option<Callback<bool>>,
) -> impl IntoView {
    let frame = Frame::new(id, None, form, errors);
    let describedby = frame.described_by(hint.is_some());
    let stem = frame.stem;
    let error = match (form, error_text) {
        (Some(form), Some(text)) if !errors.is_empty() => view! {
            <p class="field-error" id=format!("{stem}-err")>
                {move || form.invalid(errors).map(|_| text.get())}
            </p>
        }
        .into_any(),
        _ => frame.error().into_any(),
    };
    view! {
        <div class="field check">
            <input
                id=id
                type="checkbox"
                aria-invalid=frame.invalid()
                aria-describedby=describedby
                prop:checked=move || value.get()
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    value.set(on);
                    if let Some(f) = on_change {
                        f.run(on);
                    }
                }
            />
            <label for=id>{move || label.get()}</label>
            {hint_view(stem, hint)}
            {error}
        </div>
    }
}

/// A file chosen from the official's computer (read in the browser by `on_file`).
#[component]
pub fn FileField(
    id: &'static str,
    #[prop(into)] label: TextProp,
    on_file: Callback<web_sys::File>,
    /// The `accept` attribute: file types offered in the picker.
    accept: &'static str,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(optional)] form: Option<FormState>,
    #[prop(optional)] errors: &'static [&'static str],
) -> impl IntoView {
    let frame = Frame::new(id, None, form, errors);
    let describedby = frame.described_by(hint.is_some());
    let stem = frame.stem;
    view! {
        <div class="field">
            <label for=id>{move || label.get()}</label>
            {hint_view(stem, hint)}
            <input
                id=id
                type="file"
                accept=accept
                aria-invalid=frame.invalid()
                aria-describedby=describedby
                on:change=move |ev| {
                    use wasm_bindgen::JsCast;
                    let file = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        .and_then(|input| input.files())
                        .and_then(|files| files.get(0));
                    if let Some(file) = file {
                        on_file.run(file);
                    }
                }
            />
            {frame.error()}
        </div>
    }
}

/// The search box of a list, with its button beside it and the hint under both.
#[component]
pub fn SearchField(
    id: &'static str,
    #[prop(into)] label: TextProp,
    #[prop(into)] hint: TextProp,
    #[prop(into)] button: TextProp,
    value: RwSignal<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field search">
            <label for=id>{move || label.get()}</label>
            <div class="inline">
                <input
                    id=id
                    type="search"
                    aria-describedby=hint_id.clone()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                <button type="submit">{move || button.get()}</button>
            </div>
            <p class="hint" id=hint_id>
                {move || hint.get()}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_name_their_hint_and_error() {
        assert_eq!(
            described_by("st-public", true, true).as_deref(),
            Some("st-public-hint st-public-err")
        );
        assert_eq!(
            described_by("st-state", false, true).as_deref(),
            Some("st-state-err")
        );
        assert_eq!(described_by("login-email", false, false), None);
    }
}
