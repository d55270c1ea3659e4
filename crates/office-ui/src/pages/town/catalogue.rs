//! Departments and categories: both lists with their state (retired ones stay listed, marked,
//! because old reports keep them), retire and bring back in the list; one form each to change
//! an entry (chosen from a select, so every field has its label) and to add one. The office's
//! other pages (inbox filters, the user form) take the active ones from the session, which is
//! updated here, so they need no new login.

use super::{retire_label, tx};
use crate::api::town::{self as api, Catalogue as Lists, CategoryRow, DepartmentRow};
use crate::api::{Category, Department};
use crate::app::{use_ctx, Ctx};
use crate::browser::focus_id;
use crate::components::{ActionForm, Choice, FormOutcome, FormState, SelectField, TextField};
use crate::fetch::ApiError;
use civickit_model::api::office::{CategoryChange, DepartmentChange};
use civickit_model::ValidationCode;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Shows a stored catalogue and hands its active entries to the rest of the office.
fn took_effect(ctx: Ctx, lists: RwSignal<Lists>, stored: Lists) {
    ctx.me.update(|m| {
        if let Some(m) = m {
            m.departments = stored
                .departments
                .iter()
                .filter(|d| !d.retired)
                .map(|d| Department {
                    id: d.id,
                    name: d.name.clone(),
                })
                .collect();
            m.categories = stored
                .categories
                .iter()
                .filter(|c| !c.retired)
                .map(|c| Category {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    department_id: c.department_id,
                })
                .collect();
        }
    });
    lists.set(stored);
}

#[component]
pub fn Catalogue() -> impl IntoView {
    let ctx = use_ctx();
    let lists = RwSignal::new(Lists {
        departments: Vec::new(),
        categories: Vec::new(),
    });
    let list_form = FormState::new();
    let reload = move |then: Option<FormState>| {
        spawn_local(async move {
            match api::catalogue().await {
                Ok(c) => {
                    took_effect(ctx, lists, c);
                    if let Some(f) = then {
                        f.succeeded(|t| t.admin_saved);
                    }
                }
                Err(e) => list_form.failed(ctx, e),
            }
        });
    };
    reload(None);
    view! {
        <Departments lists list_form reload=Callback::new(reload) />
        <Categories lists list_form reload=Callback::new(reload) />
    }
}

/// The answer of a change in a list: the stored catalogue, or the refusal said at the list.
fn after_change(
    ctx: Ctx,
    lists: RwSignal<Lists>,
    form: FormState,
    answer: Result<Lists, ApiError>,
    focus: String,
) {
    match answer {
        Ok(c) => {
            took_effect(ctx, lists, c);
            form.succeeded(|t| t.admin_saved);
            focus_id(focus);
        }
        Err(e) => {
            let still_used = e.fields.iter().any(|f| f.field == "retired");
            form.failed(ctx, e);
            if still_used {
                form.error.set(Some(|t| t.department_still_used));
            }
        }
    }
}

#[component]
fn Departments(
    lists: RwSignal<Lists>,
    list_form: FormState,
    reload: Callback<Option<FormState>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let set_retired = move |id: i64, retired: bool| {
        list_form.clear();
        let change = DepartmentChange {
            retired: Some(retired),
            ..Default::default()
        };
        spawn_local(async move {
            let answer = api::change_department(id, &change).await;
            after_change(ctx, lists, list_form, answer, format!("dep-retire-{id}"));
        });
    };

    let (pick, name, email) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let edit_form = FormState::new();
    let choose = move |id: String| {
        let row = lists.with_untracked(|l| {
            l.departments
                .iter()
                .find(|d| d.id.to_string() == id)
                .cloned()
        });
        name.set(row.as_ref().map(|d| d.name.clone()).unwrap_or_default());
        email.set(row.and_then(|d| d.email).unwrap_or_default());
    };
    let save = move |_| {
        if !edit_form.start() {
            return;
        }
        let Ok(id) = pick.get_untracked().parse::<i64>() else {
            edit_form.failed(ctx, ApiError::field("department", ValidationCode::Required));
            return;
        };
        let change = DepartmentChange {
            name: Some(name.get_untracked().trim().to_string()),
            email: Some(email.get_untracked().trim().to_string()),
            ..Default::default()
        };
        spawn_local(async move {
            match api::change_department(id, &change).await {
                Ok(c) => {
                    took_effect(ctx, lists, c);
                    edit_form.succeeded(|t| t.admin_saved);
                }
                Err(e) => edit_form.failed(ctx, e),
            }
        });
    };

    let (d_name, d_email) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let add_form = FormState::new();
    let add = move |_| {
        if !add_form.start() {
            return;
        }
        let (n, e) = (d_name.get_untracked(), d_email.get_untracked());
        spawn_local(async move {
            match api::add_department(&n, &e).await {
                Ok(_) => {
                    d_name.set(String::new());
                    d_email.set(String::new());
                    add_form.busy.set(false);
                    reload.run(Some(add_form));
                }
                Err(e) => add_form.failed(ctx, e),
            }
        });
    };
    let choices = Signal::derive(move || {
        lists.with(|l| {
            l.departments
                .iter()
                .map(|d| Choice::new(d.id.to_string(), d.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let row = move |d: DepartmentRow| {
        let (id, retired) = (d.id, d.retired);
        let n = d.name.clone();
        view! {
            <tr class:retired=retired>
                <th scope="row">
                    {d.name.clone()}
                    {retired.then(|| view! { <span class="badge hidden">{tx(|t| t.retired)}</span> })}
                </th>
                <td>{d.email.clone().unwrap_or_else(|| "–".into())}</td>
                <td>
                    <button type="button" class="quiet" id=format!("dep-retire-{id}") on:click=move |_| set_retired(id, !retired)>
                        {tx(retire_label(retired))}
                        <span class="sr-only">": " {n.clone()}</span>
                    </button>
                </td>
            </tr>
        }
    };
    view! {
        <section aria-labelledby="departments-heading">
            <h2 id="departments-heading">{tx(|t| t.departments)}</h2>
            <FormOutcome form=list_form />
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="departments-heading">
                <table class="town-table departments">
                    <thead><tr>
                        <th scope="col">{tx(|t| t.name_col)}</th>
                        <th scope="col">{tx(|t| t.email_col)}</th>
                        <th scope="col">{tx(|t| t.actions_col)}</th>
                    </tr></thead>
                    <tbody>{move || lists.get().departments.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
            <ActionForm form=edit_form id="edit-department" button=tx(|t| t.save_department) on_submit=Callback::new(save)>
                <h3>{tx(|t| t.change_department)}</h3>
                <SelectField id="de-pick" label=tx(|t| t.department) value=pick empty="–" options=choices form=edit_form errors=&["department"] on_change=Callback::new(choose) />
                <TextField id="de-name" label=tx(|t| t.department_name_new) value=name form=edit_form errors=&["name"] />
                <TextField id="de-email" kind="email" label=tx(|t| t.department_email) value=email hint=tx(|t| t.department_email_hint) form=edit_form errors=&["email"] verbatim=true />
            </ActionForm>
            <ActionForm form=add_form id="add-department" button=tx(|t| t.create_department) on_submit=Callback::new(add)>
                <h3>{tx(|t| t.add_a_department)}</h3>
                <TextField id="d-name" label=tx(|t| t.department_name) value=d_name form=add_form errors=&["name"] />
                <TextField id="d-email" kind="email" label=tx(|t| t.email_optional) value=d_email form=add_form errors=&["email"] verbatim=true />
            </ActionForm>
        </section>
    }
}

#[component]
fn Categories(
    lists: RwSignal<Lists>,
    list_form: FormState,
    reload: Callback<Option<FormState>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let set_retired = move |id: i64, retired: bool| {
        list_form.clear();
        let change = CategoryChange {
            retired: Some(retired),
            ..Default::default()
        };
        spawn_local(async move {
            let answer = api::change_category(id, &change).await;
            after_change(ctx, lists, list_form, answer, format!("cat-retire-{id}"));
        });
    };
    let department_name = move |id: Option<i64>| {
        lists.with(|l| {
            id.and_then(|id| l.departments.iter().find(|d| d.id == id))
                .map(|d| d.name.clone())
                .unwrap_or_else(|| "–".into())
        })
    };
    // New reports are routed to active departments only.
    let departments = Signal::derive(move || {
        lists.with(|l| {
            l.departments
                .iter()
                .filter(|d| !d.retired)
                .map(|d| Choice::new(d.id.to_string(), d.name.clone()))
                .collect::<Vec<_>>()
        })
    });

    let (pick, name, group, dept) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let edit_form = FormState::new();
    let choose = move |id: String| {
        let row = lists.with_untracked(|l| {
            l.categories
                .iter()
                .find(|c| c.id.to_string() == id)
                .cloned()
        });
        name.set(row.as_ref().map(|c| c.name.clone()).unwrap_or_default());
        group.set(row.as_ref().map(|c| c.group.clone()).unwrap_or_default());
        dept.set(
            row.and_then(|c| c.department_id)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        );
    };
    let save = move |_| {
        if !edit_form.start() {
            return;
        }
        let Ok(id) = pick.get_untracked().parse::<i64>() else {
            edit_form.failed(ctx, ApiError::field("category", ValidationCode::Required));
            return;
        };
        let change = CategoryChange {
            name: Some(name.get_untracked().trim().to_string()),
            group: Some(group.get_untracked().trim().to_string()),
            department_id: dept.get_untracked().parse().ok(),
            ..Default::default()
        };
        spawn_local(async move {
            match api::change_category(id, &change).await {
                Ok(c) => {
                    took_effect(ctx, lists, c);
                    edit_form.succeeded(|t| t.admin_saved);
                }
                Err(e) => edit_form.failed(ctx, e),
            }
        });
    };

    let (c_code, c_name, c_group, c_dept) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let add_form = FormState::new();
    let add = move |_| {
        if !add_form.start() {
            return;
        }
        let (code, n, g, d) = (
            c_code.get_untracked(),
            c_name.get_untracked(),
            c_group.get_untracked(),
            c_dept.get_untracked(),
        );
        spawn_local(async move {
            match api::add_category(&code, &n, &g, &d).await {
                Ok(_) => {
                    c_code.set(String::new());
                    c_name.set(String::new());
                    add_form.busy.set(false);
                    reload.run(Some(add_form));
                }
                Err(e) => add_form.failed(ctx, e),
            }
        });
    };
    let choices = Signal::derive(move || {
        lists.with(|l| {
            l.categories
                .iter()
                .map(|c| Choice::new(c.id.to_string(), c.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let row = move |c: CategoryRow| {
        let (id, retired) = (c.id, c.retired);
        let n = c.name.clone();
        view! {
            <tr class:retired=retired>
                <th scope="row">
                    {c.name.clone()}
                    {retired.then(|| view! { <span class="badge hidden">{tx(|t| t.retired)}</span> })}
                </th>
                <td><code>{c.code.clone()}</code></td>
                <td>{c.group.clone()}</td>
                <td>{department_name(c.department_id)}</td>
                <td>
                    <button type="button" class="quiet" id=format!("cat-retire-{id}") on:click=move |_| set_retired(id, !retired)>
                        {tx(retire_label(retired))}
                        <span class="sr-only">": " {n.clone()}</span>
                    </button>
                </td>
            </tr>
        }
    };
    view! {
        <section aria-labelledby="categories-heading">
            <h2 id="categories-heading">{tx(|t| t.categories)}</h2>
            <p class="hint">{tx(|t| t.categories_hint)}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="categories-heading">
                <table class="town-table categories">
                    <thead><tr>
                        <th scope="col">{tx(|t| t.name_col)}</th>
                        <th scope="col">{tx(|t| t.code_col)}</th>
                        <th scope="col">{tx(|t| t.group_col)}</th>
                        <th scope="col">{tx(|t| t.department)}</th>
                        <th scope="col">{tx(|t| t.actions_col)}</th>
                    </tr></thead>
                    <tbody>{move || lists.get().categories.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
            <ActionForm form=edit_form id="edit-category" button=tx(|t| t.save_category) on_submit=Callback::new(save)>
                <h3>{tx(|t| t.change_category)}</h3>
                <SelectField id="ce-pick" label=tx(|t| t.category) value=pick empty="–" options=choices form=edit_form errors=&["category"] on_change=Callback::new(choose) />
                <TextField id="ce-name" label=tx(|t| t.category_name_new) value=name form=edit_form errors=&["name"] />
                <TextField id="ce-group" label=tx(|t| t.category_group) value=group form=edit_form errors=&["group"] />
                <SelectField id="ce-dept" label=tx(|t| t.category_department_new) value=dept empty="–" options=departments form=edit_form errors=&["department_id"] />
            </ActionForm>
            <ActionForm form=add_form id="add-category" button=tx(|t| t.create_category) on_submit=Callback::new(add)>
                <h3>{tx(|t| t.add_a_category)}</h3>
                <TextField id="c-code" label=tx(|t| t.code_label) value=c_code form=add_form errors=&["code"] verbatim=true />
                <TextField id="c-name" label=tx(|t| t.category_name) value=c_name form=add_form errors=&["name"] />
                <TextField id="c-group" label=tx(|t| t.group_optional) value=c_group form=add_form errors=&["group"] />
                <SelectField id="c-dept" label=tx(|t| t.responsible_department) value=c_dept empty="–" options=departments form=add_form errors=&["department_id"] />
            </ActionForm>
        </section>
    }
}
