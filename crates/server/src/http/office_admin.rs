//! Admin pages of the office: text templates for public notes (read by every official, managed
//! by admins), users, departments and categories. Everything is scoped to the admin's tenant
//! and audited.

use super::office::Official;
use super::{ApiError, AppState, State};
use crate::db::tenants::is_valid_slug;
use crate::db::users::Role;
use crate::secrets::new_secret;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use civickit_model::validate::{clean_text, is_valid_email, NOTE_MAX_CHARS};
use civickit_model::{FieldError, Lang, Status, ValidationCode};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

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

async fn templates(state: State, official: Official) -> Result<Json<Value>, ApiError> {
    let list = state.db.templates(official.user().tenant_id).await?;
    Ok(Json(json!({
        "templates": list.iter().map(|t| json!({
            "id": t.id, "title": t.title, "body": t.body, "status": t.status.map(Status::as_str),
        })).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateBody {
    title: String,
    body: String,
    #[serde(default)]
    status: Option<String>,
}

async fn add_template(
    state: State,
    official: Official,
    Json(body): Json<TemplateBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    official.require_admin()?;
    let title = super::required_text("title", &body.title, 100)?;
    let text_body = super::required_text("body", &body.body, NOTE_MAX_CHARS)?;
    let status = match body.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            Some(Status::parse(s).ok_or_else(|| invalid("status", ValidationCode::InvalidValue))?)
        }
    };
    let id = state
        .db
        .add_template(
            official.user().tenant_id,
            &title,
            &text_body,
            status,
            &official.actor(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

async fn delete_template(
    state: State,
    official: Official,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    official.require_admin()?;
    if state
        .db
        .delete_template(official.user().tenant_id, id, &official.actor())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

async fn users(state: State, official: Official) -> Result<Json<Value>, ApiError> {
    official.require_admin()?;
    let list = state.db.users(official.user().tenant_id).await?;
    Ok(Json(json!({
        "users": list.iter().map(|u| json!({
            "id": u.id, "email": u.email, "name": u.name, "role": u.role.as_str(),
            "department_id": u.department_id, "disabled": u.disabled,
        })).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserBody {
    email: String,
    #[serde(default)]
    name: String,
    role: String,
    #[serde(default)]
    department_id: Option<i64>,
}

async fn department_exists(state: &AppState, tenant_id: i64, id: i64) -> Result<bool, ApiError> {
    Ok(state
        .db
        .departments(tenant_id)
        .await?
        .iter()
        .any(|(d, _, _)| *d == id))
}

/// Creates an official with a generated password, shown this once.
async fn add_user(
    state: State,
    official: Official,
    Json(body): Json<UserBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    official.require_admin()?;
    let tenant_id = official.user().tenant_id;
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
    let password = new_secret()[..16].to_string();
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
            &official.actor(),
            "user.add",
            &user.email,
            &json!({"role": role.as_str(), "department_id": user.department_id}),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": user.id, "email": user.email, "password": password})),
    ))
}

#[derive(Deserialize)]
struct DisabledBody {
    disabled: bool,
}

async fn disable_user(
    state: State,
    official: Official,
    Path(id): Path<i64>,
    Json(body): Json<DisabledBody>,
) -> Result<Json<Value>, ApiError> {
    official.require_admin()?;
    if id == official.user().id && body.disabled {
        return Err(ApiError::Conflict(
            "Sie können Ihr eigenes Konto nicht sperren.".into(),
        ));
    }
    let tenant_id = official.user().tenant_id;
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
            &official.actor(),
            if body.disabled {
                "user.disable"
            } else {
                "user.enable"
            },
            &user.email,
            &json!({"disabled": body.disabled}),
        )
        .await?;
    Ok(Json(json!({"id": id, "disabled": body.disabled})))
}

async fn reset_password(
    state: State,
    official: Official,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    official.require_admin()?;
    let tenant_id = official.user().tenant_id;
    let user = state
        .db
        .user(tenant_id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let password = new_secret()[..16].to_string();
    state.db.set_password(tenant_id, id, &password).await?;
    state
        .db
        .audit_admin(
            tenant_id,
            &official.actor(),
            "user.reset_password",
            &user.email,
            &json!({}),
        )
        .await?;
    Ok(Json(json!({"id": id, "password": password})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentBody {
    name: String,
    #[serde(default)]
    email: Option<String>,
}

async fn add_department(
    state: State,
    official: Official,
    Json(body): Json<DepartmentBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    official.require_admin()?;
    let tenant_id = official.user().tenant_id;
    let name = super::required_text("name", &body.name, 100)?;
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
            &official.actor(),
            "department.add",
            &name,
            &json!({"email": email}),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id, "name": name}))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryBody {
    code: String,
    name: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    department_id: Option<i64>,
}

async fn add_category(
    state: State,
    official: Official,
    Json(body): Json<CategoryBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    official.require_admin()?;
    let tenant_id = official.user().tenant_id;
    // Codes are Open311 service codes: the same rules as slugs keep them URL-safe.
    if !is_valid_slug(&body.code) {
        return Err(invalid("code", ValidationCode::InvalidValue));
    }
    let name = super::required_text("name", &body.name, 100)?;
    if let Some(d) = body.department_id {
        if !department_exists(&state, tenant_id, d).await? {
            return Err(invalid("department_id", ValidationCode::InvalidValue));
        }
    }
    let categories = state.db.categories(tenant_id).await?;
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
            &official.actor(),
            "category.add",
            &body.code,
            &json!({"name": name, "department_id": body.department_id}),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "code": body.code})),
    ))
}
