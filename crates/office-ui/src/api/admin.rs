//! Administration (`crates/server/src/http/office_admin.rs`): users, text templates,
//! departments and categories.

use crate::fetch::{self, ApiError};
use serde::Deserialize;
use serde_json::Value;

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
    fetch::get::<Templates>("/templates")
        .await
        .map(|t| t.templates)
}

pub async fn users() -> Result<Vec<UserRow>, ApiError> {
    fetch::get::<Users>("/users").await.map(|u| u.users)
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
