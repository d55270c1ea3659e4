//! Administration (admins; the template list is read by every official): text templates,
//! users, departments and categories.

use super::Role;
use crate::Status;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateList {
    pub templates: Vec<Template>,
}

/// A ready-made public note, offered in the status form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// The state it fits, if any.
    pub status: Option<Status>,
}

/// `POST /office/api/templates`; answers 201 [`super::Created`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTemplate {
    pub title: String,
    pub body: String,
    /// A [`Status`] name, or left out / empty for any state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserList {
    pub users: Vec<UserRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub disabled: bool,
}

/// `POST /office/api/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    /// May be left out (empty).
    #[serde(default)]
    pub name: String,
    /// `admin` or `editor`.
    pub role: String,
    /// Required for editors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department_id: Option<i64>,
}

/// 201 to [`NewUser`]: the generated password, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCreated {
    pub id: i64,
    pub email: String,
    pub password: String,
}

/// `POST /office/api/users/{id}/disabled`, and its answer (with `id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisableUser {
    pub disabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDisabled {
    pub id: i64,
    pub disabled: bool,
}

/// The answer of `POST /office/api/users/{id}/reset-password`: shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordReset {
    pub id: i64,
    pub password: String,
}

/// `POST /office/api/departments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDepartment {
    pub name: String,
    /// Where forwarded messages are mailed; may be left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentCreated {
    pub id: i64,
    pub name: String,
}

/// `POST /office/api/categories`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCategory {
    /// The Open311 service code: lowercase letters, digits and `-`.
    pub code: String,
    pub name: String,
    /// May be left out (empty).
    #[serde(default)]
    pub group: String,
    /// Where new reports of this category go; may be left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCreated {
    pub id: i64,
    pub code: String,
}
