//! The office JSON API (`docs/office-api.md`) as the office page sees it: the answer types and
//! one function per call, all sent through [`crate::fetch`]. One file per area of the API.

pub mod admin;
pub mod messages;
pub mod photos;
pub mod polls;
pub mod reports;

use crate::fetch::{self, ApiError};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Me {
    pub user: User,
    pub tenant: TenantInfo,
    #[serde(default)]
    pub departments: Vec<Department>,
    #[serde(default)]
    pub categories: Vec<Category>,
    pub csrf_token: String,
}

impl Me {
    pub fn is_admin(&self) -> bool {
        self.user.role == "admin"
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct User {
    pub email: String,
    #[serde(default)]
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub department_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TenantInfo {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub premoderation: bool,
    #[serde(default)]
    pub response_days: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Department {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Category {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub department_id: Option<i64>,
}

// ---------- session ----------

pub async fn me() -> Result<Me, ApiError> {
    fetch::get("/me").await
}

pub async fn login(tenant: &str, email: &str, password: &str) -> Result<Me, ApiError> {
    let mut body = json!({"email": email.trim(), "password": password});
    if !tenant.trim().is_empty() {
        body["tenant"] = json!(tenant.trim());
    }
    fetch::post("/login", body).await
}

pub async fn logout(everywhere: bool) -> Result<(), ApiError> {
    let path = if everywhere {
        "/logout-everywhere"
    } else {
        "/logout"
    };
    fetch::send("POST", path, fetch::Body::Json(json!({})))
        .await
        .map(|_| ())
}
