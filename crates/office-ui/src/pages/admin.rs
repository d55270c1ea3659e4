//! Admin pages (`crates/server/src/http/office_admin.rs`): users (add with a generated password
//! shown once, disable, reset the password), text templates (list, add, delete). Departments
//! and categories are kept on the town page (`pages/town`).

use crate::api::admin::{self as api, Role, Template, UserRow};
use crate::app::use_ctx;
use crate::components::{
    ActionForm, Choice, FormOutcome, FormState, SelectField, TextArea, TextField,
};
use crate::routes::{Page, Route};
use crate::texts::admin_texts;
use crate::Msg;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

#[component]
pub fn AdminPage() -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    let users = RwSignal::new(Vec::<UserRow>::new());
    let tpls = RwSignal::new(Vec::<Template>::new());
    let error = RwSignal::new(None::<Msg>);
    let secret = RwSignal::new(None::<(String, String)>);
    let reload = move || {
        spawn_local(async move {
            match api::users().await {
                Ok(u) => users.set(u),
                Err(e) => error.set(Some(ctx.fail(&e))),
            }
            if let Ok(t) = api::templates().await {
                tpls.set(t);
            }
        });
    };
    reload();
    let departments = ctx
        .me
        .with_untracked(|m| m.as_ref().map(|m| m.departments.clone()))
        .unwrap_or_default();
    let dept_name = {
        let d = departments.clone();
        move |id: Option<i64>| {
            id.and_then(|id| d.iter().find(|x| x.id == id).map(|x| x.name.clone()))
                .unwrap_or_else(|| "–".into())
        }
    };

    // Add a user.
    let (u_email, u_name, u_role, u_dept) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new("editor".to_string()),
        RwSignal::new(String::new()),
    );
    let user_form = FormState::new();
    let add_user = move |_| {
        if !user_form.start() {
            return;
        }
        let mut body = json!({"email": u_email.get_untracked(), "name": u_name.get_untracked(), "role": u_role.get_untracked()});
        if let Ok(id) = u_dept.get_untracked().parse::<i64>() {
            body["department_id"] = json!(id);
        }
        spawn_local(async move {
            match api::post("/users", body).await {
                Ok(v) => {
                    user_form.busy.set(false);
                    secret.set(Some((
                        v["email"].as_str().unwrap_or("").to_string(),
                        v["password"].as_str().unwrap_or("").to_string(),
                    )));
                    u_email.set(String::new());
                    u_name.set(String::new());
                    user_form.done.set(Some(|t| t.admin_saved));
                    reload();
                }
                Err(e) => user_form.failed(ctx, e),
            }
        });
    };
    let list_form = FormState::new();
    let user_action = move |id: i64, email: String, what: &'static str, disabled: bool| {
        spawn_local(async move {
            let answer = if what == "reset" {
                api::post(&format!("/users/{id}/reset-password"), json!({})).await
            } else {
                api::post(
                    &format!("/users/{id}/disabled"),
                    json!({ "disabled": disabled }),
                )
                .await
            };
            match answer {
                Ok(v) => {
                    if let Some(p) = v["password"].as_str() {
                        secret.set(Some((email, p.to_string())));
                    }
                    list_form.done.set(Some(|t| t.admin_saved));
                    reload();
                }
                Err(e) => list_form.failed(ctx, e),
            }
        });
    };

    // Templates.
    let (t_title, t_body, t_status) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let tpl_form = FormState::new();
    let add_tpl = move |_| {
        if !tpl_form.start() {
            return;
        }
        let mut body = json!({"title": t_title.get_untracked(), "body": t_body.get_untracked()});
        if !t_status.get_untracked().is_empty() {
            body["status"] = json!(t_status.get_untracked());
        }
        spawn_local(async move {
            match api::post("/templates", body).await {
                Ok(_) => {
                    tpl_form.busy.set(false);
                    t_title.set(String::new());
                    t_body.set(String::new());
                    tpl_form.done.set(Some(|t| t.admin_saved));
                    reload();
                }
                Err(e) => tpl_form.failed(ctx, e),
            }
        });
    };
    let del_tpl = move |id: i64| {
        spawn_local(async move {
            match api::delete(&format!("/templates/{id}")).await {
                Ok(_) => reload(),
                Err(e) => tpl_form.failed(ctx, e),
            }
        });
    };

    let department_choices: Vec<Choice> = departments
        .iter()
        .map(|d| Choice::new(d.id.to_string(), d.name.clone()))
        .collect();
    let roles = Signal::derive(move || {
        vec![
            Choice::new("editor", ctx.t().role_editor),
            Choice::new("admin", ctx.t().role_admin),
        ]
    });
    let states = Signal::derive(move || {
        civickit_model::Status::PUBLIC
            .iter()
            .map(|s| Choice::new(s.as_str(), s.label(lang())))
            .collect::<Vec<_>>()
    });
    let a = move || admin_texts(lang());

    view! {
        <section aria-labelledby="page-heading" class="settings admin">
            <h1 id="page-heading" tabindex="-1">{move || admin_texts(lang()).administration}</h1>
            <p class="form-error" role="alert">{move || error.get().map(|m| m(ctx.t()))}</p>

            <h2 id="users-heading">{move || admin_texts(lang()).users}</h2>
            {move || secret.get().map(|(email, pw)| view! {
                <div class="notice secret" role="status">
                    <p>
                        {move || admin_texts(lang()).new_password_for}
                        {email.clone()}
                        ": "
                        <code class="password">{pw.clone()}</code>
                    </p>
                    <p class="hint">{move || admin_texts(lang()).it_is_shown_only_now}</p>
                </div>
            })}
            <FormOutcome form=list_form />
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="users-heading">
                <table class="users">
                    <thead><tr>
                        <th scope="col">{move || admin_texts(lang()).e_mail}</th>
                        <th scope="col">{move || admin_texts(lang()).name}</th>
                        <th scope="col">{move || admin_texts(lang()).role}</th>
                        <th scope="col">{move || admin_texts(lang()).department}</th>
                        <th scope="col">{move || admin_texts(lang()).actions}</th>
                    </tr></thead>
                    <tbody>
                        {move || users.get().into_iter().map(|u| {
                            let (id, disabled) = (u.id, u.disabled);
                            let (e1, e2) = (u.email.clone(), u.email.clone());
                            let role = u.role;
                            view! {
                                <tr>
                                    <th scope="row">{u.email.clone()}
                                        {disabled.then(|| view! { <span class="badge hidden">{move || admin_texts(lang()).disabled}</span> })}
                                    </th>
                                    <td>{u.name.clone()}</td>
                                    <td>{move || if role == Role::Admin { ctx.t().role_admin } else { ctx.t().role_editor }}</td>
                                    <td>{dept_name(u.department_id)}</td>
                                    <td>
                                        <div class="inline" role="group" aria-label=u.email.clone()>
                                            <button type="button" on:click=move |_| user_action(id, e1.clone(), "disabled", !disabled)>
                                                {move || if disabled { admin_texts(lang()).enable } else { admin_texts(lang()).disable }}
                                            </button>
                                            <button type="button" on:click=move |_| user_action(id, e2.clone(), "reset", false)>
                                                {move || admin_texts(lang()).reset_password}
                                            </button>
                                        </div>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <ActionForm form=user_form id="add-user" button=move || a().create_user primary=true on_submit=Callback::new(add_user)>
                <h3>{move || a().add_a_user}</h3>
                <TextField id="u-email" kind="email" label=move || a().the_user_s_e_mail value=u_email form=user_form errors=&["email"] />
                <TextField id="u-name" label=move || a().name value=u_name />
                <SelectField id="u-role" label=move || a().role value=u_role options=roles />
                <SelectField
                    id="u-dept"
                    label=move || a().department_needed_for_editors
                    value=u_dept
                    empty="–"
                    options=Signal::stored(department_choices)
                    form=user_form
                    errors=&["department_id"]
                />
            </ActionForm>

            <h2 id="tpl-heading">{move || admin_texts(lang()).text_templates}</h2>
            <ul class="templates">
                {move || tpls.get().into_iter().map(|t| {
                    let id = t.id;
                    view! {
                        <li>
                            <strong>{t.title.clone()}</strong>
                            {t.status.map(|s| format!(" ({})", s.as_str()))}
                            ": " {t.body.clone()} " "
                            <button type="button" class="quiet" on:click=move |_| del_tpl(id)>
                                {move || admin_texts(lang()).delete}
                                <span class="sr-only">": " {t.title.clone()}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ActionForm form=tpl_form id="add-template" button=move || a().save_template primary=true on_submit=Callback::new(add_tpl)>
                <h3>{move || a().add_a_template}</h3>
                <TextField id="t-title" label=move || a().title value=t_title form=tpl_form errors=&["title"] />
                <TextArea id="t-body" label=move || a().text value=t_body rows=3 form=tpl_form errors=&["body"] />
                <SelectField id="t-status" label=move || a().for_state_optional value=t_status empty="–" options=states />
            </ActionForm>

            <h2>{move || admin_texts(lang()).departments_and_categories}</h2>
            <p>
                {move || admin_texts(lang()).kept_on_the_town_page} " "
                <button type="button" class="quiet" on:click=move |_| ctx.go(Route::page(Page::Town))>
                    {move || ctx.t().nav_town}
                </button>
            </p>
        </section>
    }
}
