//! The town page (`/office/api/town`, `message-kinds`, `catalogue`, `departments`,
//! `categories`; contract in `civickit_model::api::office::town`). Every change answers the
//! whole list it changed, so the page shows what the server stored.

use crate::fetch::{self, ApiError};
pub use civickit_model::api::office::{
    Catalogue, CategoryRow, DepartmentRow, MessageKindList, MessageKindRow, Town,
};
use civickit_model::api::office::{
    CategoryChange, Created, DepartmentChange, MessageKindChange, NewCategory, NewDepartment,
    NewMessageKind, NewOrder, TownChange,
};
use serde_json::json;

pub async fn town() -> Result<Town, ApiError> {
    fetch::get("/town").await
}

pub async fn save_town(change: &TownChange) -> Result<Town, ApiError> {
    fetch::post("/town", json!(change)).await
}

pub async fn kinds() -> Result<MessageKindList, ApiError> {
    fetch::get("/message-kinds").await
}

pub async fn add_kind(name: &str) -> Result<Created, ApiError> {
    let body = NewMessageKind {
        name: name.trim().to_string(),
    };
    fetch::post("/message-kinds", json!(body)).await
}

pub async fn change_kind(id: i64, change: &MessageKindChange) -> Result<MessageKindList, ApiError> {
    fetch::post(&format!("/message-kinds/{id}"), json!(change)).await
}

pub async fn order_kinds(ids: Vec<i64>) -> Result<MessageKindList, ApiError> {
    fetch::post("/message-kinds/order", json!(NewOrder { ids })).await
}

pub async fn catalogue() -> Result<Catalogue, ApiError> {
    fetch::get("/catalogue").await
}

pub async fn add_department(name: &str, email: &str) -> Result<serde_json::Value, ApiError> {
    let email = email.trim();
    let body = NewDepartment {
        name: name.trim().to_string(),
        email: (!email.is_empty()).then(|| email.to_string()),
    };
    fetch::post("/departments", json!(body)).await
}

pub async fn change_department(id: i64, change: &DepartmentChange) -> Result<Catalogue, ApiError> {
    fetch::post(&format!("/departments/{id}"), json!(change)).await
}

pub async fn add_category(
    code: &str,
    name: &str,
    group: &str,
    department: &str,
) -> Result<serde_json::Value, ApiError> {
    let body = NewCategory {
        code: code.trim().to_string(),
        name: name.trim().to_string(),
        group: group.trim().to_string(),
        department_id: department.parse().ok(),
    };
    fetch::post("/categories", json!(body)).await
}

pub async fn change_category(id: i64, change: &CategoryChange) -> Result<Catalogue, ApiError> {
    fetch::post(&format!("/categories/{id}"), json!(change)).await
}
