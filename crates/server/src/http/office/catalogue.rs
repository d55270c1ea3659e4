//! The town page's lists (admins): message kinds, departments and categories: rename,
//! reorder, move, retire. Adding departments and categories stays in `admin.rs`.

use super::guards::Admin;
use super::town::refused;
use crate::db::catalogue::{ChangeError, Rename};
use crate::http::{check_text, ApiError, ApiJson, AppState, State};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use civickit_model::api::office::{
    Catalogue, CategoryChange, Created, DepartmentChange, MessageKindChange, MessageKindList,
    NewMessageKind, NewOrder,
};
use civickit_model::validate::is_valid_email;
use civickit_model::{FieldError, ValidationCode};
use std::sync::Arc;

/// Longest name of a kind, department, category or group (as in `admin.rs`).
const NAME_MAX_CHARS: usize = 100;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/office/api/message-kinds",
            get(message_kinds).post(add_message_kind),
        )
        .route("/office/api/message-kinds/order", post(order_message_kinds))
        .route("/office/api/message-kinds/{id}", post(change_message_kind))
        .route("/office/api/catalogue", get(catalogue))
        .route("/office/api/departments/{id}", post(change_department))
        .route("/office/api/categories/order", post(order_categories))
        .route("/office/api/categories/{id}", post(change_category))
}

impl From<ChangeError> for ApiError {
    fn from(e: ChangeError) -> Self {
        match e {
            ChangeError::NotFound => ApiError::NotFound,
            ChangeError::Invalid(field) => refused(&[field]),
            ChangeError::Db(e) => e.into(),
        }
    }
}

/// A name as typed: cleaned, required, at most [`NAME_MAX_CHARS`].
fn name(field: &str, value: &Option<String>) -> Result<Option<String>, ApiError> {
    value
        .as_deref()
        .map(|v| check_text(field, v, NAME_MAX_CHARS, true))
        .transpose()
        .map_err(|e| refused(&[e]))
}

async fn kind_list(state: &AppState, tenant_id: i64) -> Result<MessageKindList, ApiError> {
    Ok(MessageKindList {
        kinds: state.db.message_kind_rows(tenant_id).await?,
    })
}

async fn message_kinds(state: State, admin: Admin) -> Result<ApiJson<MessageKindList>, ApiError> {
    Ok(ApiJson(kind_list(&state, admin.tenant_id()).await?))
}

async fn add_message_kind(
    state: State,
    admin: Admin,
    ApiJson(body): ApiJson<NewMessageKind>,
) -> Result<(StatusCode, ApiJson<Created>), ApiError> {
    let name = name("name", &Some(body.name))?.unwrap_or_default();
    let id = state
        .db
        .add_message_kind_named(admin.tenant_id(), &name, &admin.actor())
        .await?;
    Ok((StatusCode::CREATED, ApiJson(Created { id })))
}

async fn change_message_kind(
    state: State,
    admin: Admin,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<MessageKindChange>,
) -> Result<ApiJson<MessageKindList>, ApiError> {
    let change = Rename {
        name: name("name", &body.name)?,
        retired: body.retired,
    };
    state
        .db
        .change_message_kind(admin.tenant_id(), id, &change, &admin.actor())
        .await?;
    Ok(ApiJson(kind_list(&state, admin.tenant_id()).await?))
}

async fn order_message_kinds(
    state: State,
    admin: Admin,
    ApiJson(body): ApiJson<NewOrder>,
) -> Result<ApiJson<MessageKindList>, ApiError> {
    state
        .db
        .reorder_message_kinds(admin.tenant_id(), &body.ids, &admin.actor())
        .await?;
    Ok(ApiJson(kind_list(&state, admin.tenant_id()).await?))
}

async fn catalogue(state: State, admin: Admin) -> Result<ApiJson<Catalogue>, ApiError> {
    Ok(ApiJson(state.db.catalogue(admin.tenant_id()).await?))
}

async fn change_department(
    state: State,
    admin: Admin,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<DepartmentChange>,
) -> Result<ApiJson<Catalogue>, ApiError> {
    let email = body.email.as_deref().map(str::trim);
    if email.is_some_and(|e| !e.is_empty() && !is_valid_email(e)) {
        return Err(refused(&[FieldError::new(
            "email",
            ValidationCode::InvalidEmail,
        )]));
    }
    let change = Rename {
        name: name("name", &body.name)?,
        retired: body.retired,
    };
    state
        .db
        .change_department(admin.tenant_id(), id, &change, email, &admin.actor())
        .await?;
    Ok(ApiJson(state.db.catalogue(admin.tenant_id()).await?))
}

async fn change_category(
    state: State,
    admin: Admin,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<CategoryChange>,
) -> Result<ApiJson<Catalogue>, ApiError> {
    let group = body
        .group
        .as_deref()
        .map(|g| check_text("group", g, NAME_MAX_CHARS, false))
        .transpose()
        .map_err(|e| refused(&[e]))?;
    let change = Rename {
        name: name("name", &body.name)?,
        retired: body.retired,
    };
    state
        .db
        .change_category(
            admin.tenant_id(),
            id,
            &change,
            group.as_deref(),
            body.department_id,
            &admin.actor(),
        )
        .await?;
    Ok(ApiJson(state.db.catalogue(admin.tenant_id()).await?))
}

async fn order_categories(
    state: State,
    admin: Admin,
    ApiJson(body): ApiJson<NewOrder>,
) -> Result<ApiJson<Catalogue>, ApiError> {
    state
        .db
        .reorder_categories(admin.tenant_id(), &body.ids, &admin.actor())
        .await?;
    Ok(ApiJson(state.db.catalogue(admin.tenant_id()).await?))
}
