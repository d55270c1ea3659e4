//! Administration (`crates/server/src/http/office_admin.rs`): users, text templates,
//! departments and categories.

use crate::fetch::{self, ApiError};
use serde_json::Value;

pub use civickit_model::api::office::{Role, Template, UserRow};
use civickit_model::api::office::{TemplateList, UserList};

pub async fn templates() -> Result<Vec<Template>, ApiError> {
    fetch::get::<TemplateList>("/templates")
        .await
        .map(|t| t.templates)
}

pub async fn users() -> Result<Vec<UserRow>, ApiError> {
    fetch::get::<UserList>("/users").await.map(|u| u.users)
}

/// A POST whose answer the page reads as it needs (a new user's password, or nothing).
pub async fn post(path: &str, body: Value) -> Result<Value, ApiError> {
    fetch::post(path, body).await
}

pub async fn delete(path: &str) -> Result<(), ApiError> {
    fetch::send("DELETE", path, fetch::Body::None)
        .await
        .map(|_| ())
}
