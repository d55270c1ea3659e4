//! Administration: text templates for public notes (read by every official, managed by
//! admins), users, departments and categories. Everything is scoped to the admin's tenant and
//! audited.

use super::guards::{Admin, Official};
use super::session::role;
use crate::db::tenants::is_valid_slug;
use crate::db::users::Role;
use crate::http::{required_text, ApiError, ApiJson, AppState, State};
use crate::secrets::new_secret;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use civickit_model::api::office::{
    CategoryCreated, Created, DepartmentCreated, DisableUser, NewCategory, NewDepartment,
    NewTemplate, NewUser, PasswordReset, Template, TemplateList, UserCreated, UserDisabled,
    UserList, UserRow,
};
use civickit_model::validate::{clean_text, is_valid_email, NOTE_MAX_CHARS};
use civickit_model::{FieldError, Lang, Status, ValidationCode};
use serde_json::json;
use std::sync::Arc;

/// Longest template title, department and category name.
const NAME_MAX_CHARS: usize = 100;
/// How many characters of a random secret make a generated password.
const PASSWORD_CHARS: usize = 16;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office/api/templates", get(templates).post(add_template))
        .route("/office/api/templates/{id}", delete(delete_template))
        .route("/office/api/users", get(users).post(add_user))
        .route("/office/api/users/{id}/disabled", post(disable_user))
        .route(
            "/office/api/users/{id}/reset-password",
            post(reset_password),
        )
        .route("/office/api/departments", post(add_department))
        .route("/office/api/categories", post(add_category))
}

fn invalid(field: &str, code: ValidationCode) -> ApiError {
    ApiError::Validation(vec![FieldError::new(field, code)], Lang::De)
}

async fn templates(state: State, official: Official) -> Result<ApiJson<TemplateList>, ApiError> {
    let list = state.db.templates(official.tenant_id()).await?;
    Ok(ApiJson(TemplateList {
        templates: list
            .into_iter()
            .map(|t| Template {
                id: t.id,
                title: t.title,
                body: t.body,
                status: t.status,
            })
            .collect(),
    }))
}

async fn add_template(
    state: State,
    admin: Admin,
    ApiJson(body): ApiJson<NewTemplate>,
) -> Result<(StatusCode, ApiJson<Created>), ApiError> {
    let title = required_text("title", &body.title, NAME_MAX_CHARS)?;
    let text_body = required_text("body", &body.body, NOTE_MAX_CHARS)?;
    let status = match body.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            Some(Status::parse(s).ok_or_else(|| invalid("status", ValidationCode::InvalidValue))?)
        }
    };
    let id = state
        .db
        .add_template(
            admin.tenant_id(),
            &title,
            &text_body,
            status,
            &admin.actor(),
        )
        .await?;
    Ok((StatusCode::CREATED, ApiJson(Created { id })))
}

async fn delete_template(
    state: State,
    admin: Admin,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    if state
        .db
        .delete_template(admin.tenant_id(), id, &admin.actor())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

async fn users(state: State, admin: Admin) -> Result<ApiJson<UserList>, ApiError> {
    let list = state.db.users(admin.tenant_id()).await?;
    Ok(ApiJson(UserList {
        users: list
            .into_iter()
            .map(|u| UserRow {
                id: u.id,
                email: u.email,
                name: u.name,
                role: role(u.role),
                department_id: u.department_id,
                disabled: u.disabled,
            })
            .collect(),
    }))
}

/// Whether `id` is an active department of the town: nothing new is assigned to a retired one.
async fn department_exists(state: &AppState, tenant_id: i64, id: i64) -> Result<bool, ApiError> {
    Ok(state
        .db
        .catalogue(tenant_id)
        .await?
        .departments
        .iter()
        .any(|d| d.id == id && !d.retired))
}

/// Creates an official with a generated password, shown this once.
async fn add_user(
    state: State,
    admin: Admin,
    ApiJson(body): ApiJson<NewUser>,
) -> Result<(StatusCode, ApiJson<UserCreated>), ApiError> {
    let tenant_id = admin.tenant_id();
    let mut errors = Vec::new();
    let email = body.email.trim().to_lowercase();
    if !is_valid_email(&email) {
        errors.push(FieldError::new("email", ValidationCode::InvalidEmail));
    }
    let role = Role::parse(&body.role);
    if role.is_none() {
        errors.push(FieldError::new("role", ValidationCode::InvalidValue));
    }
    match (role, body.department_id) {
        (Some(Role::Editor), None) => {
            errors.push(FieldError::new("department_id", ValidationCode::Required))
        }
        (_, Some(d)) if !department_exists(&state, tenant_id, d).await? => errors.push(
            FieldError::new("department_id", ValidationCode::InvalidValue),
        ),
        _ => {}
    }
    if state.db.user_by_email(tenant_id, &email).await?.is_some() {
        return Err(ApiError::Conflict(
            "Diese E-Mail-Adresse hat schon ein Konto.".into(),
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors, Lang::De));
    }
    let password = new_secret()[..PASSWORD_CHARS].to_string();
    let role = role.expect("checked");
    let user = state
        .db
        .create_user(
            tenant_id,
            &email,
            clean_text(&body.name).as_str(),
            &password,
            role,
            body.department_id,
        )
        .await?;
    state
        .db
        .audit_admin(
            tenant_id,
            &admin.actor(),
            "user.add",
            &user.email,
            &json!({"role": role.as_str(), "department_id": user.department_id}),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(UserCreated {
            id: user.id,
            email: user.email,
            password,
        }),
    ))
}

async fn disable_user(
    state: State,
    admin: Admin,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<DisableUser>,
) -> Result<ApiJson<UserDisabled>, ApiError> {
    if id == admin.user().id && body.disabled {
        return Err(ApiError::Conflict(
            "Sie können Ihr eigenes Konto nicht sperren.".into(),
        ));
    }
    let tenant_id = admin.tenant_id();
    let user = state
        .db
        .user(tenant_id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    state
        .db
        .set_user_disabled(tenant_id, id, body.disabled)
        .await?;
    state
        .db
        .audit_admin(
            tenant_id,
            &admin.actor(),
            if body.disabled {
                "user.disable"
            } else {
                "user.enable"
            },
            &user.email,
            &json!({"disabled": body.disabled}),
        )
        .await?;
    Ok(ApiJson(UserDisabled {
        id,
        disabled: body.disabled,
    }))
}

async fn reset_password(
    state: State,
    admin: Admin,
    Path(id): Path<i64>,
) -> Result<ApiJson<PasswordReset>, ApiError> {
    let tenant_id = admin.tenant_id();
    let user = state
        .db
        .user(tenant_id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let password = new_secret()[..PASSWORD_CHARS].to_string();
    state.db.set_password(tenant_id, id, &password).await?;
    state
        .db
        .audit_admin(
            tenant_id,
            &admin.actor(),
            "user.reset_password",
            &user.email,
            &json!({}),
        )
        .await?;
    Ok(ApiJson(PasswordReset { id, password }))
}

async fn add_department(
    state: State,
    admin: Admin,
    ApiJson(body): ApiJson<NewDepartment>,
) -> Result<(StatusCode, ApiJson<DepartmentCreated>), ApiError> {
    let tenant_id = admin.tenant_id();
    let name = required_text("name", &body.name, NAME_MAX_CHARS)?;
    let email = body
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if email.is_some_and(|e| !is_valid_email(e)) {
        return Err(invalid("email", ValidationCode::InvalidEmail));
    }
    if state
        .db
        .department_by_name(tenant_id, &name)
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict("Diese Abteilung gibt es schon.".into()));
    }
    let id = state.db.add_department(tenant_id, &name, email).await?;
    state
        .db
        .audit_admin(
            tenant_id,
            &admin.actor(),
            "department.add",
            &name,
            &json!({"email": email}),
        )
        .await?;
    Ok((StatusCode::CREATED, ApiJson(DepartmentCreated { id, name })))
}

async fn add_category(
    state: State,
    admin: Admin,
    ApiJson(body): ApiJson<NewCategory>,
) -> Result<(StatusCode, ApiJson<CategoryCreated>), ApiError> {
    let tenant_id = admin.tenant_id();
    // Codes are Open311 service codes: the same rules as slugs keep them URL-safe.
    if !is_valid_slug(&body.code) {
        return Err(invalid("code", ValidationCode::InvalidValue));
    }
    let name = required_text("name", &body.name, NAME_MAX_CHARS)?;
    if let Some(d) = body.department_id {
        if !department_exists(&state, tenant_id, d).await? {
            return Err(invalid("department_id", ValidationCode::InvalidValue));
        }
    }
    // Retired categories keep their code (old reports and Open311 clients quote it).
    let categories = state.db.catalogue(tenant_id).await?.categories;
    if categories.iter().any(|c| c.code == body.code) {
        return Err(ApiError::Conflict("Diese Kategorie gibt es schon.".into()));
    }
    let id = state
        .db
        .add_category(
            tenant_id,
            &body.code,
            &name,
            "",
            clean_text(&body.group).as_str(),
            body.department_id,
            categories.len() as i64,
        )
        .await?;
    state
        .db
        .audit_admin(
            tenant_id,
            &admin.actor(),
            "category.add",
            &body.code,
            &json!({"name": name, "department_id": body.department_id}),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(CategoryCreated {
            id,
            code: body.code,
        }),
    ))
}
