//! Admin pages (`crates/server/src/http/office_admin.rs`): users (add with a generated password
//! shown once, disable, reset the password), text templates (list, add, delete), departments
//! and categories (add).

use crate::api::{self, ApiError};
use crate::{use_ctx, FieldErr, FormOutcome, FormState, Msg};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Template {
    pub id: i64,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Templates {
    templates: Vec<Template>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    #[serde(default)]
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Users {
    users: Vec<UserRow>,
}

pub async fn templates() -> Result<Vec<Template>, ApiError> {
    api::get::<Templates>("/templates")
        .await
        .map(|t| t.templates)
}

async fn post(path: &str, body: &Value, csrf: &str) -> Result<Value, ApiError> {
    api::send("POST", path, Some(body), Some(csrf)).await
}

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
            match api::get::<Users>("/users").await {
                Ok(u) => users.set(u.users),
                Err(e) => error.set(Some(ctx.fail(&e))),
            }
            if let Ok(t) = templates().await {
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
    let add_user = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !user_form.start() {
            return;
        }
        let csrf = ctx.csrf();
        let mut body = json!({"email": u_email.get_untracked(), "name": u_name.get_untracked(), "role": u_role.get_untracked()});
        if let Ok(id) = u_dept.get_untracked().parse::<i64>() {
            body["department_id"] = json!(id);
        }
        spawn_local(async move {
            match post("/users", &body, &csrf).await {
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
        let csrf = ctx.csrf();
        spawn_local(async move {
            let answer = if what == "reset" {
                post(&format!("/users/{id}/reset-password"), &json!({}), &csrf).await
            } else {
                post(
                    &format!("/users/{id}/disabled"),
                    &json!({ "disabled": disabled }),
                    &csrf,
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
    let add_tpl = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !tpl_form.start() {
            return;
        }
        let csrf = ctx.csrf();
        let mut body = json!({"title": t_title.get_untracked(), "body": t_body.get_untracked()});
        if !t_status.get_untracked().is_empty() {
            body["status"] = json!(t_status.get_untracked());
        }
        spawn_local(async move {
            match post("/templates", &body, &csrf).await {
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
        let csrf = ctx.csrf();
        spawn_local(async move {
            match api::send("DELETE", &format!("/templates/{id}"), None, Some(&csrf)).await {
                Ok(_) => reload(),
                Err(e) => tpl_form.failed(ctx, e),
            }
        });
    };

    // Departments and categories.
    let (d_name, d_email) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let dept_form = FormState::new();
    let add_dept = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !dept_form.start() {
            return;
        }
        let csrf = ctx.csrf();
        let mut body = json!({"name": d_name.get_untracked()});
        if !d_email.get_untracked().trim().is_empty() {
            body["email"] = json!(d_email.get_untracked().trim());
        }
        spawn_local(async move {
            match post("/departments", &body, &csrf).await {
                Ok(_) => {
                    dept_form.busy.set(false);
                    d_name.set(String::new());
                    d_email.set(String::new());
                    dept_form.done.set(Some(|t| t.admin_saved_relogin));
                }
                Err(e) => dept_form.failed(ctx, e),
            }
        });
    };
    let (c_code, c_name, c_group, c_dept) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let cat_form = FormState::new();
    let add_cat = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !cat_form.start() {
            return;
        }
        let csrf = ctx.csrf();
        let mut body = json!({"code": c_code.get_untracked().trim(), "name": c_name.get_untracked(), "group": c_group.get_untracked()});
        if let Ok(id) = c_dept.get_untracked().parse::<i64>() {
            body["department_id"] = json!(id);
        }
        spawn_local(async move {
            match post("/categories", &body, &csrf).await {
                Ok(_) => {
                    cat_form.busy.set(false);
                    c_code.set(String::new());
                    c_name.set(String::new());
                    cat_form.done.set(Some(|t| t.admin_saved_relogin));
                }
                Err(e) => cat_form.failed(ctx, e),
            }
        });
    };

    let dept_options = move |sig: RwSignal<String>| {
        departments
            .iter()
            .map(|d| {
                let id = d.id.to_string();
                let id2 = id.clone();
                view! { <option value=id prop:selected=move || sig.get() == id2>{d.name.clone()}</option> }
            })
            .collect_view()
    };
    let opts_user = dept_options(u_dept);
    let opts_cat = dept_options(c_dept);

    view! {
        <section aria-labelledby="page-heading" class="settings admin">
            <h1 id="page-heading" tabindex="-1">{move || lang().pick("Verwaltung", "Administration")}</h1>
            <p class="form-error" role="alert">{move || error.get().map(|m| m(ctx.t()))}</p>

            <h2 id="users-heading">{move || lang().pick("Benutzerinnen und Benutzer", "Users")}</h2>
            {move || secret.get().map(|(email, pw)| view! {
                <div class="notice secret" role="status">
                    <p>
                        {move || lang().pick("Neues Passwort für ", "New password for ")}
                        {email.clone()}
                        ": "
                        <code class="password">{pw.clone()}</code>
                    </p>
                    <p class="hint">{move || lang().pick("Es wird nur jetzt angezeigt. Geben Sie es sicher weiter.", "It is shown only now. Pass it on safely.")}</p>
                </div>
            })}
            <FormOutcome form=list_form />
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="users-heading">
                <table class="users">
                    <thead><tr>
                        <th scope="col">{move || lang().pick("E-Mail", "E-mail")}</th>
                        <th scope="col">{move || lang().pick("Name", "Name")}</th>
                        <th scope="col">{move || lang().pick("Rolle", "Role")}</th>
                        <th scope="col">{move || lang().pick("Fachbereich", "Department")}</th>
                        <th scope="col">{move || lang().pick("Aktionen", "Actions")}</th>
                    </tr></thead>
                    <tbody>
                        {move || users.get().into_iter().map(|u| {
                            let (id, disabled) = (u.id, u.disabled);
                            let (e1, e2) = (u.email.clone(), u.email.clone());
                            let role = u.role.clone();
                            view! {
                                <tr>
                                    <th scope="row">{u.email.clone()}
                                        {disabled.then(|| view! { <span class="badge hidden">{move || lang().pick(" gesperrt", " disabled")}</span> })}
                                    </th>
                                    <td>{u.name.clone()}</td>
                                    <td>{move || if role == "admin" { ctx.t().role_admin } else { ctx.t().role_editor }}</td>
                                    <td>{dept_name(u.department_id)}</td>
                                    <td>
                                        <div class="inline" role="group" aria-label=u.email.clone()>
                                            <button type="button" on:click=move |_| user_action(id, e1.clone(), "disabled", !disabled)>
                                                {move || if disabled { lang().pick("Entsperren", "Enable") } else { lang().pick("Sperren", "Disable") }}
                                            </button>
                                            <button type="button" on:click=move |_| user_action(id, e2.clone(), "reset", false)>
                                                {move || lang().pick("Passwort zurücksetzen", "Reset password")}
                                            </button>
                                        </div>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <form class="action" id="add-user" novalidate on:submit=add_user>
                <h3>{move || lang().pick("Person hinzufügen", "Add a user")}</h3>
                <div class="field">
                    <label for="u-email">{move || lang().pick("E-Mail-Adresse der Person", "The user's e-mail address")}</label>
                    <input id="u-email" type="email" aria-invalid=move || user_form.invalid(&["email"]) aria-describedby="u-email-err"
                        prop:value=move || u_email.get() on:input=move |ev| u_email.set(event_target_value(&ev)) />
                    <FieldErr form=user_form names=&["email"] id="u-email-err" />
                </div>
                <div class="field">
                    <label for="u-name">{move || lang().pick("Name", "Name")}</label>
                    <input id="u-name" type="text" prop:value=move || u_name.get() on:input=move |ev| u_name.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="u-role">{move || lang().pick("Rolle", "Role")}</label>
                    <select id="u-role" on:change=move |ev| u_role.set(event_target_value(&ev))>
                        <option value="editor" prop:selected=move || u_role.get() == "editor">{move || ctx.t().role_editor}</option>
                        <option value="admin" prop:selected=move || u_role.get() == "admin">{move || ctx.t().role_admin}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="u-dept">{move || lang().pick("Fachbereich (für Sachbearbeitung nötig)", "Department (needed for editors)")}</label>
                    <select id="u-dept" aria-invalid=move || user_form.invalid(&["department_id"]) aria-describedby="u-dept-err"
                        on:change=move |ev| u_dept.set(event_target_value(&ev))>
                        <option value="">"–"</option>
                        {opts_user}
                    </select>
                    <FieldErr form=user_form names=&["department_id"] id="u-dept-err" />
                </div>
                <FormOutcome form=user_form />
                <button type="submit" class="primary">{move || lang().pick("Person anlegen", "Create user")}</button>
            </form>

            <h2 id="tpl-heading">{move || lang().pick("Textbausteine", "Text templates")}</h2>
            <ul class="templates">
                {move || tpls.get().into_iter().map(|t| {
                    let id = t.id;
                    view! {
                        <li>
                            <strong>{t.title.clone()}</strong>
                            {t.status.clone().map(|s| format!(" ({s})"))}
                            ": " {t.body.clone()} " "
                            <button type="button" class="quiet" on:click=move |_| del_tpl(id)>
                                {move || lang().pick("Löschen", "Delete")}
                                <span class="sr-only">": " {t.title.clone()}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="action" id="add-template" novalidate on:submit=add_tpl>
                <h3>{move || lang().pick("Textbaustein hinzufügen", "Add a template")}</h3>
                <div class="field">
                    <label for="t-title">{move || lang().pick("Titel", "Title")}</label>
                    <input id="t-title" type="text" aria-invalid=move || tpl_form.invalid(&["title"]) aria-describedby="t-title-err"
                        prop:value=move || t_title.get() on:input=move |ev| t_title.set(event_target_value(&ev)) />
                    <FieldErr form=tpl_form names=&["title"] id="t-title-err" />
                </div>
                <div class="field">
                    <label for="t-body">{move || lang().pick("Text", "Text")}</label>
                    <textarea id="t-body" rows="3" aria-invalid=move || tpl_form.invalid(&["body"]) aria-describedby="t-body-err"
                        prop:value=move || t_body.get() on:input=move |ev| t_body.set(event_target_value(&ev))></textarea>
                    <FieldErr form=tpl_form names=&["body"] id="t-body-err" />
                </div>
                <div class="field">
                    <label for="t-status">{move || lang().pick("Für Status (optional)", "For state (optional)")}</label>
                    <select id="t-status" on:change=move |ev| t_status.set(event_target_value(&ev))>
                        <option value="">"–"</option>
                        {civickit_model::Status::PUBLIC.iter().map(|s| { let s = *s; view! {
                            <option value=s.as_str()>{move || s.label(lang())}</option>
                        }}).collect_view()}
                    </select>
                </div>
                <FormOutcome form=tpl_form />
                <button type="submit" class="primary">{move || lang().pick("Textbaustein speichern", "Save template")}</button>
            </form>

            <h2>{move || lang().pick("Fachbereiche und Kategorien", "Departments and categories")}</h2>
            <form class="action" id="add-department" novalidate on:submit=add_dept>
                <h3>{move || lang().pick("Fachbereich hinzufügen", "Add a department")}</h3>
                <div class="field">
                    <label for="d-name">{move || lang().pick("Name des Fachbereichs", "Department name")}</label>
                    <input id="d-name" type="text" aria-invalid=move || dept_form.invalid(&["name"]) aria-describedby="d-name-err"
                        prop:value=move || d_name.get() on:input=move |ev| d_name.set(event_target_value(&ev)) />
                    <FieldErr form=dept_form names=&["name"] id="d-name-err" />
                </div>
                <div class="field">
                    <label for="d-email">{move || lang().pick("E-Mail-Adresse (optional)", "E-mail address (optional)")}</label>
                    <input id="d-email" type="email" aria-invalid=move || dept_form.invalid(&["email"]) aria-describedby="d-email-err"
                        prop:value=move || d_email.get() on:input=move |ev| d_email.set(event_target_value(&ev)) />
                    <FieldErr form=dept_form names=&["email"] id="d-email-err" />
                </div>
                <FormOutcome form=dept_form />
                <button type="submit">{move || lang().pick("Fachbereich anlegen", "Create department")}</button>
            </form>
            <form class="action" id="add-category" novalidate on:submit=add_cat>
                <h3>{move || lang().pick("Kategorie hinzufügen", "Add a category")}</h3>
                <div class="field">
                    <label for="c-code">{move || lang().pick("Kürzel (a–z, 0–9, -)", "Code (a–z, 0–9, -)")}</label>
                    <input id="c-code" type="text" aria-invalid=move || cat_form.invalid(&["code"]) aria-describedby="c-code-err"
                        prop:value=move || c_code.get() on:input=move |ev| c_code.set(event_target_value(&ev)) />
                    <FieldErr form=cat_form names=&["code"] id="c-code-err" />
                </div>
                <div class="field">
                    <label for="c-name">{move || lang().pick("Name der Kategorie", "Category name")}</label>
                    <input id="c-name" type="text" aria-invalid=move || cat_form.invalid(&["name"]) aria-describedby="c-name-err"
                        prop:value=move || c_name.get() on:input=move |ev| c_name.set(event_target_value(&ev)) />
                    <FieldErr form=cat_form names=&["name"] id="c-name-err" />
                </div>
                <div class="field">
                    <label for="c-group">{move || lang().pick("Gruppe (optional)", "Group (optional)")}</label>
                    <input id="c-group" type="text" prop:value=move || c_group.get() on:input=move |ev| c_group.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="c-dept">{move || lang().pick("Zuständiger Fachbereich", "Responsible department")}</label>
                    <select id="c-dept" on:change=move |ev| c_dept.set(event_target_value(&ev))>
                        <option value="">"–"</option>
                        {opts_cat}
                    </select>
                </div>
                <FormOutcome form=cat_form />
                <button type="submit">{move || lang().pick("Kategorie anlegen", "Create category")}</button>
            </form>
        </section>
    }
}
