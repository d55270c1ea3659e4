//! The generated statements (`/office/api/privacy/statements`): the town's details (one form
//! for both statements and languages), then per statement its German and English text in a
//! textarea each, as the public page shows it now: "Text speichern" replaces the generated
//! text, "Auf automatischen Text zurücksetzen" brings it back, and a link opens the page.
//! A text nobody touched follows a saved change of the details at once.

use crate::api::statements::{
    self as api, Conformance, StatementFields, StatementKind, StatementText, Statements,
};
use crate::app::use_ctx;
use crate::components::{
    ActionForm, Choice, FormOutcome, FormState, SelectField, TextArea, TextField,
};
use crate::texts::{statement_texts, StatementMsg};
use civickit_model::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A text of the section that follows the page language (one closure type for all of them).
fn tx(m: StatementMsg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_ctx().lang;
    move || m(statement_texts(lang.get()))
}

#[component]
pub fn StatementsSection() -> impl IntoView {
    let ctx = use_ctx();
    let data = RwSignal::new(None::<Statements>);
    let load = FormState::new();
    spawn_local(async move {
        match api::statements().await {
            Ok(s) => data.set(Some(s)),
            Err(e) => load.failed(ctx, e),
        }
    });
    // Built once, when loaded: a save updates `data` without building the forms anew.
    let loaded = Memo::new(move |_| data.with(Option::is_some));
    view! {
        <section aria-labelledby="statements-heading" class="privacy-section">
            <h2 id="statements-heading">{tx(|t| t.heading)}</h2>
            <p class="hint">{tx(|t| t.intro)}</p>
            <FormOutcome form=load />
            {move || loaded.get().then(|| view! {
                <Details data />
                <Statement data kind=StatementKind::Privacy />
                <Statement data kind=StatementKind::Accessibility />
            })}
        </section>
    }
}

fn conformance_value(c: Conformance) -> &'static str {
    match c {
        Conformance::Full => "full",
        Conformance::Partial => "partial",
        Conformance::NotCompliant => "not_compliant",
    }
}

/// What only the town can say.
#[component]
fn Details(data: RwSignal<Option<Statements>>) -> impl IntoView {
    let ctx = use_ctx();
    let now = data.with_untracked(|d| d.as_ref().expect("shown once loaded").fields.clone());
    let controller = RwSignal::new(now.controller);
    let dpo = RwSignal::new(now.dpo);
    let legal = RwSignal::new(now.legal_basis);
    let authority = RwSignal::new(now.supervisory_authority);
    let conformance = RwSignal::new(conformance_value(now.conformance).to_string());
    let reviewed = RwSignal::new(now.reviewed_on);
    let email = RwSignal::new(now.feedback_email);
    let phone = RwSignal::new(now.feedback_phone);
    let enforcement = RwSignal::new(now.enforcement_url);
    let form = FormState::new();
    let choices = Signal::derive(move || {
        let lang = ctx.lang.get();
        Conformance::ALL
            .into_iter()
            .map(|c| Choice::new(conformance_value(c), c.label(lang)))
            .collect::<Vec<_>>()
    });
    let submit = move |_| {
        if !form.start() {
            return;
        }
        let fields = StatementFields {
            controller: controller.get_untracked(),
            dpo: dpo.get_untracked(),
            legal_basis: legal.get_untracked(),
            supervisory_authority: authority.get_untracked(),
            conformance: Conformance::ALL
                .into_iter()
                .find(|c| conformance.with_untracked(|v| v == conformance_value(*c)))
                .unwrap_or_default(),
            reviewed_on: reviewed.get_untracked(),
            feedback_email: email.get_untracked(),
            feedback_phone: phone.get_untracked(),
            enforcement_url: enforcement.get_untracked(),
        };
        spawn_local(async move {
            match api::save_fields(fields).await {
                Ok(stored) => {
                    data.set(Some(stored));
                    form.succeeded(|t| t.admin_saved);
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    view! {
        <section aria-labelledby="statement-fields-heading">
            <h3 id="statement-fields-heading">{tx(|t| t.fields_heading)}</h3>
            <p class="hint">{tx(|t| t.fields_hint)}</p>
            <ActionForm form id="statement-fields" button=tx(|t| t.save_fields) primary=true on_submit=Callback::new(submit)>
                <TextArea id="st-controller" label=tx(|t| t.controller) hint=tx(|t| t.controller_hint) value=controller form errors=&["controller"] rows=3 />
                <TextArea id="st-dpo" label=tx(|t| t.dpo) hint=tx(|t| t.dpo_hint) value=dpo form errors=&["dpo"] rows=2 />
                <TextArea id="st-legal" label=tx(|t| t.legal_basis) hint=tx(|t| t.legal_basis_hint) value=legal form errors=&["legal_basis"] rows=2 />
                <TextField id="st-authority" label=tx(|t| t.authority) hint=tx(|t| t.authority_hint) value=authority form errors=&["supervisory_authority"] />
                <SelectField id="st-conformance" label=tx(|t| t.conformance) hint=tx(|t| t.conformance_hint) value=conformance options=choices form errors=&["conformance"] />
                <TextField id="st-reviewed" kind="date" label=tx(|t| t.reviewed_on) hint=tx(|t| t.reviewed_on_hint) value=reviewed form errors=&["reviewed_on"] />
                <TextField id="st-email" kind="email" label=tx(|t| t.feedback_email) hint=tx(|t| t.feedback_hint) value=email form errors=&["feedback_email"] verbatim=true />
                <TextField id="st-phone" kind="tel" label=tx(|t| t.feedback_phone) value=phone form errors=&["feedback_phone"] />
                <TextField id="st-enforcement" kind="url" label=tx(|t| t.enforcement_url) hint=tx(|t| t.enforcement_url_hint) value=enforcement form errors=&["enforcement_url"] verbatim=true />
            </ActionForm>
        </section>
    }
}

/// One statement: its title and an editor per language.
#[component]
fn Statement(data: RwSignal<Option<Statements>>, kind: StatementKind) -> impl IntoView {
    let lang = use_ctx().lang;
    let heading = match kind {
        StatementKind::Privacy => "statement-privacy-heading",
        StatementKind::Accessibility => "statement-accessibility-heading",
    };
    view! {
        <section aria-labelledby=heading>
            <h3 id=heading>{move || kind.title(lang.get())}</h3>
            <p class="hint">{tx(|t| t.format_hint)}</p>
            <Editor data kind text_lang=Lang::De />
            <Editor data kind text_lang=Lang::En />
        </section>
    }
}

/// The control's id and the name the server gives its errors.
fn names(kind: StatementKind, lang: Lang) -> (&'static str, &'static [&'static str]) {
    match (kind, lang) {
        (StatementKind::Privacy, Lang::De) => ("st-privacy-de", &["texts.privacy.de"]),
        (StatementKind::Privacy, Lang::En) => ("st-privacy-en", &["texts.privacy.en"]),
        (StatementKind::Accessibility, Lang::De) => {
            ("st-accessibility-de", &["texts.accessibility.de"])
        }
        (StatementKind::Accessibility, Lang::En) => {
            ("st-accessibility-en", &["texts.accessibility.en"])
        }
    }
}

/// One statement's text in one language.
#[component]
fn Editor(
    data: RwSignal<Option<Statements>>,
    kind: StatementKind,
    text_lang: Lang,
) -> impl IntoView {
    let ctx = use_ctx();
    let stored = move || {
        data.with(|d| {
            d.as_ref().and_then(|d| {
                d.texts
                    .iter()
                    .find(|t| t.statement == kind && t.lang == text_lang)
                    .cloned()
            })
        })
    };
    let first = stored().map(|t| t.text).unwrap_or_default();
    let value = RwSignal::new(first.clone());
    // The text as last stored: while the textarea still shows it, a newer stored text (the
    // details changed) replaces it; what an admin is typing is never overwritten.
    let last = StoredValue::new(first);
    Effect::new(move |_| {
        if let Some(now) = stored() {
            if value.with_untracked(|v| *v == last.get_value()) {
                value.set(now.text.clone());
            }
            last.set_value(now.text);
        }
    });
    let edited = Memo::new(move |_| stored().is_some_and(|t| t.edited));
    let url = move || stored().map(|t| t.url).unwrap_or_default();
    let (id, errors) = names(kind, text_lang);
    let form = FormState::new();
    let send = move |text: Option<String>| {
        if !form.start() {
            return;
        }
        let reset = text.is_none();
        spawn_local(async move {
            match api::save_text(kind, text_lang, text).await {
                Ok(all) => {
                    if let Some(StatementText { text, .. }) = all
                        .texts
                        .iter()
                        .find(|t| t.statement == kind && t.lang == text_lang)
                    {
                        value.set(text.clone());
                        last.set_value(text.clone());
                    }
                    data.set(Some(all));
                    if reset {
                        form.succeeded(|t| statement_texts(t.lang).text_reset);
                    } else {
                        form.succeeded(|t| statement_texts(t.lang).text_saved);
                    }
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    let t = move || statement_texts(ctx.lang.get());
    let language = move || match text_lang {
        Lang::De => t().german,
        Lang::En => t().english,
    };
    let label = move || {
        let text = match text_lang {
            Lang::De => t().text_de,
            Lang::En => t().text_en,
        };
        format!("{}: {text}", kind.title(ctx.lang.get()))
    };
    view! {
        <form
            class="action statement-text"
            novalidate
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send(Some(value.get_untracked()));
            }
        >
            <TextArea
                id
                label=label
                hint=move || if edited.get() { t().edited } else { t().generated }
                value
                form
                errors
                rows=14
            />
            <FormOutcome form />
            <div class="inline">
                <button type="submit" class="primary">{tx(|t| t.save_text)}</button>
                {move || edited.get().then(|| view! {
                    <button type="button" on:click=move |_| send(None)>{tx(|t| t.reset)}</button>
                })}
                <a href=url class="view-page">{tx(|t| t.view_page)} " (" {language} ")"</a>
            </div>
        </form>
    }
}
