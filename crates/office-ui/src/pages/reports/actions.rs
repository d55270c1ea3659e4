//! The open report: its facts and photos, then one action form each for the state (with the
//! public answer), an internal note, the category, the department, the description and the
//! visibility.

use super::facts::DetailFacts;
use super::photos::Photos;
use super::place::PlaceSection;
use super::{back_to_list, reference_of};
use crate::api::admin::{self as admin_api, Template};
use crate::api::reports::{self as api, Changed, Detail};
use crate::app::{tr, use_ctx};
use crate::components::{
    ActionForm, Choice, FormOutcome, FormState, SelectField, TextArea, TextField,
};
use crate::texts;
use crate::Msg;
use civickit_model::validate::{DESCRIPTION_MAX_CHARS, NOTE_MAX_CHARS};
use civickit_model::{CloseReason, Status};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

#[component]
pub fn DetailPane(
    detail: RwSignal<Option<Detail>>,
    flash: RwSignal<Option<Msg>>,
    reload: Callback<()>,
) -> impl IntoView {
    let ctx = use_ctx();
    let me = ctx.me.get_untracked().expect("logged in");
    let reference = reference_of(detail);
    // The town's text templates (office admin page), offered besides the built-in phrases.
    let town_templates = RwSignal::new(Vec::<Template>::new());
    spawn_local(async move {
        if let Ok(t) = admin_api::templates().await {
            town_templates.set(t);
        }
    });
    // The photos follow every answer about the report; photo actions answer the photos alone.
    let report_photos = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        if let Some(p) = detail.with(|d| d.as_ref().map(|d| d.photos.clone())) {
            report_photos.set(p);
        }
    });
    let current = move || detail.with(|d| d.as_ref().map(|d| d.summary.status));

    // The forms' fields live as long as the pane, so nothing typed is lost on an error.
    let new_state = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let duplicate_of = RwSignal::new(String::new());
    let template = RwSignal::new(String::new());
    let public_note = RwSignal::new(String::new());
    let internal_note = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let status_form = FormState::new();
    let category_form = FormState::new();
    let department_form = FormState::new();
    let description_form = FormState::new();
    let hidden_form = FormState::new();
    let note_form = FormState::new();

    let take_fields_of = move |d: &Detail| {
        category.set(d.summary.category.clone());
        department.set(
            d.summary
                .department_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
        );
        description.set(d.description.clone());
    };
    // A different report: start its forms afresh. The fields start from the report shown when
    // the pane is created; the effect only acts on a change of report (its first run may come
    // after the official has begun typing).
    let shown = StoredValue::new(reference.get_untracked());
    if let Some(d) = detail.get_untracked() {
        take_fields_of(&d);
    }
    Effect::new(move |_| {
        let now = reference.get();
        if now == shown.get_value() {
            return;
        }
        shown.set_value(now);
        for text in [
            new_state,
            reason,
            duplicate_of,
            template,
            public_note,
            internal_note,
            note,
        ] {
            text.set(String::new());
        }
        if let Some(d) = detail.get_untracked() {
            take_fields_of(&d);
        }
        for f in [
            status_form,
            category_form,
            department_form,
            description_form,
            hidden_form,
            note_form,
        ] {
            f.clear();
        }
    });

    let me_is_admin = me.is_admin();
    let my_department = me.user.department_id;
    let categories_for_routing = StoredValue::new(me.categories.clone());
    // One action on the report; `clear` are the texts to empty after it succeeded.
    let act = move |action: &'static str,
                    body: Value,
                    form: FormState,
                    ok: Msg,
                    clear: &'static [fn(&ClearableTexts) -> RwSignal<String>]| {
        let Some(reference) = reference.get_untracked() else {
            return;
        };
        if !form.start() {
            return;
        }
        let texts = ClearableTexts {
            public_note,
            internal_note,
            note,
        };
        // A new category also routes the report to the category's department; for an editor
        // of another department the server then answers 404 although the change was made.
        let leaves_department = action == "category"
            && !me_is_admin
            && categories_for_routing.with_value(|cats| {
                cats.iter()
                    .find(|c| body["category"] == c.code.as_str())
                    .is_some_and(|c| c.department_id != my_department)
            });
        spawn_local(async move {
            let answer = match api::act(&reference, action, body).await {
                Err(e) if e.status == 404 && leaves_department => Ok(api::routed_away(&reference)),
                other => other,
            };
            if form.busy.try_get_untracked().is_none() {
                return; // the official has left the page meanwhile
            }
            match answer {
                Ok(Changed::Current(d)) => {
                    description.set(d.description.clone());
                    detail.set(Some(d));
                    form.succeeded(ok);
                    for field in clear {
                        field(&texts).set(String::new());
                    }
                    reload.run(());
                }
                Ok(Changed::RoutedAway(_)) => {
                    form.busy.set(false);
                    flash.set(Some(|t| t.routed_away));
                    reload.run(());
                    back_to_list(ctx);
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };

    let submit_status = move |_| {
        let body = api::status_body(
            &new_state.get_untracked(),
            &reason.get_untracked(),
            &duplicate_of.get_untracked(),
            &public_note.get_untracked(),
            &internal_note.get_untracked(),
        );
        // The select goes back to "please choose" only on success (see the effect below).
        act(
            "status",
            body,
            status_form,
            |t| t.status_saved,
            &[|t| t.public_note, |t| t.internal_note],
        );
    };
    // After a successful state change the chosen state is the current one: reset the choice.
    Effect::new(move |_| {
        if current().map(|s| s.as_str().to_string()) == Some(new_state.get_untracked()) {
            new_state.set(String::new());
            reason.set(String::new());
            duplicate_of.set(String::new());
        }
    });
    let chosen = move || Status::parse(&new_state.get());
    let next_states = Signal::derive(move || {
        let (now, lang) = (current(), ctx.lang.get());
        Status::PUBLIC
            .into_iter()
            .filter(|s| Some(*s) != now)
            .map(|s| Choice::new(s.as_str(), s.label(lang)))
            .collect::<Vec<_>>()
    });
    let reasons = Signal::derive(move || {
        let lang = ctx.lang.get();
        CloseReason::ALL
            .into_iter()
            .map(|r| Choice::new(r.as_str(), r.label(lang)))
            .collect::<Vec<_>>()
    });
    // The built-in phrases, then the town's own templates for this state (or any).
    let phrases = Signal::derive(move || {
        let Some(s) = chosen() else {
            return Vec::new();
        };
        let builtin = texts::templates(ctx.lang.get(), s)
            .iter()
            .map(|text| Choice::new(*text, *text));
        let own = town_templates
            .get()
            .into_iter()
            .filter(|t| t.status.is_none_or(|st| st == s))
            .map(|t| Choice::new(t.body, t.title));
        builtin.chain(own).collect::<Vec<_>>()
    });
    let categories: Vec<Choice> = me
        .categories
        .iter()
        .map(|c| Choice::new(c.code.clone(), c.name.clone()))
        .collect();
    let departments: Vec<Choice> = me
        .departments
        .iter()
        .map(|d| Choice::new(d.id.to_string(), d.name.clone()))
        .collect();
    let is_hidden = move || detail.with(|d| d.as_ref().is_some_and(|d| d.summary.hidden));

    view! {
        <div class="detail">
            <button type="button" class="quiet back" on:click=move |_| back_to_list(ctx)>
                "← "
                {tr!(ctx, back_to_list)}
            </button>
            {move || detail.get().map(|d| view! { <DetailFacts d /> })}
            <PlaceSection detail reload />
            <Photos reference photos=report_photos />

            <h3 class="actions-heading">{tr!(ctx, status_heading)}</h3>
            <ActionForm form=status_form button=tr!(ctx, save_status) primary=true on_submit=Callback::new(submit_status)>
                <SelectField
                    id="st-state"
                    label=tr!(ctx, new_state)
                    value=new_state
                    empty=tr!(ctx, choose)
                    options=next_states
                    form=status_form
                    errors=&["status"]
                />
                <Show when=move || chosen() == Some(Status::Closed)>
                    <SelectField
                        id="st-reason"
                        label=tr!(ctx, reason)
                        value=reason
                        empty=tr!(ctx, choose)
                        options=reasons
                        form=status_form
                        errors=&["reason"]
                    />
                    <Show when=move || reason.with(|r| r == CloseReason::Duplicate.as_str())>
                        <TextField
                            id="st-duplicate"
                            label=tr!(ctx, duplicate_of)
                            hint=tr!(ctx, duplicate_hint)
                            value=duplicate_of
                            autocomplete="off"
                            form=status_form
                            errors=&["duplicate_of"]
                        />
                    </Show>
                </Show>
                <Show when=move || chosen().is_some()>
                    <SelectField
                        id="st-template"
                        label=tr!(ctx, template_label)
                        hint=tr!(ctx, template_hint)
                        value=template
                        empty=tr!(ctx, choose)
                        options=phrases
                        on_change=Callback::new(move |text: String| {
                            if !text.is_empty() {
                                public_note.set(text);
                            }
                        })
                    />
                </Show>
                <TextArea
                    id="st-public"
                    label=tr!(ctx, public_note)
                    hint=tr!(ctx, public_note_hint)
                    value=public_note
                    rows=3
                    maxlength=NOTE_MAX_CHARS
                    form=status_form
                    errors=&["public_note", "note"]
                />
                <TextArea
                    id="st-internal"
                    label=tr!(ctx, internal_note_optional)
                    hint=tr!(ctx, internal_note_hint)
                    value=internal_note
                    rows=2
                    maxlength=NOTE_MAX_CHARS
                    form=status_form
                    errors=&["internal_note"]
                />
            </ActionForm>

            <h3 class="actions-heading">{tr!(ctx, internal_note_heading)}</h3>
            <ActionForm
                form=note_form
                button=tr!(ctx, add_note)
                on_submit=Callback::new(move |_| {
                    act("notes", json!({ "text": note.get_untracked() }), note_form, |t| t.note_saved, &[|t| t.note]);
                })
            >
                <TextArea
                    id="note-text"
                    label=tr!(ctx, internal_note)
                    value=note
                    rows=2
                    maxlength=NOTE_MAX_CHARS
                    form=note_form
                    errors=&["text", "note"]
                />
            </ActionForm>

            <h3 class="actions-heading">{tr!(ctx, category_heading)}</h3>
            <ActionForm
                form=category_form
                button=tr!(ctx, save_category)
                on_submit=Callback::new(move |_| {
                    act("category", json!({ "category": category.get_untracked() }), category_form, |t| t.category_saved, &[]);
                })
            >
                <SelectField
                    id="cat-select"
                    label=tr!(ctx, category)
                    hint=tr!(ctx, category_hint)
                    value=category
                    options=Signal::stored(categories)
                    form=category_form
                    errors=&["category"]
                />
            </ActionForm>

            <h3 class="actions-heading">{tr!(ctx, department_heading)}</h3>
            <ActionForm
                form=department_form
                button=tr!(ctx, save_department)
                on_submit=Callback::new(move |_| {
                    let id = department.get_untracked().parse::<i64>().unwrap_or(-1);
                    act("department", json!({ "department_id": id }), department_form, |t| t.department_saved, &[]);
                })
            >
                <SelectField
                    id="dep-select"
                    label=tr!(ctx, department)
                    value=department
                    empty=tr!(ctx, choose)
                    options=Signal::stored(departments)
                    form=department_form
                    errors=&["department_id"]
                />
            </ActionForm>

            <h3 class="actions-heading">{tr!(ctx, description_edit_heading)}</h3>
            <ActionForm
                form=description_form
                button=tr!(ctx, save_description)
                on_submit=Callback::new(move |_| {
                    act("description", json!({ "description": description.get_untracked() }), description_form, |t| t.description_saved, &[]);
                })
            >
                <TextArea
                    id="desc-text"
                    label=tr!(ctx, description_heading)
                    hint=tr!(ctx, description_edit_hint)
                    value=description
                    rows=4
                    maxlength=DESCRIPTION_MAX_CHARS
                    form=description_form
                    errors=&["description"]
                />
            </ActionForm>

            <h3 class="actions-heading">{tr!(ctx, visibility_heading)}</h3>
            <div class="action">
                <p>{move || if is_hidden() { ctx.t().hidden_now } else { ctx.t().visible_now }}</p>
                <FormOutcome form=hidden_form />
                <button
                    type="button"
                    on:click=move |_| {
                        let hide = !detail.with_untracked(|d| d.as_ref().is_some_and(|d| d.summary.hidden));
                        let ok: Msg = if hide { |t| t.hidden_saved } else { |t| t.unhidden_saved };
                        act("hidden", json!({ "hidden": hide }), hidden_form, ok, &[]);
                    }
                >
                    {move || if is_hidden() { ctx.t().unhide } else { ctx.t().hide }}
                </button>
            </div>
        </div>
    }
}

/// The texts of the pane a successful action may empty.
struct ClearableTexts {
    public_note: RwSignal<String>,
    internal_note: RwSignal<String>,
    note: RwSignal<String>,
}
