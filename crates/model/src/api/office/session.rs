//! Login, logout and `me`: who is logged in, their town, and the lists every page needs.

use crate::{CloseReason, Status, TrafficLight};
use serde::{Deserialize, Serialize};

/// `POST /office/api/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    /// The town's slug; may be left out (or empty) when the server hosts only one town.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    pub email: String,
    pub password: String,
}

/// An official's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Settings, users, polls, the audit log and every report of the town.
    Admin,
    /// Works the reports and messages of their own department.
    Editor,
}

/// The answer of `login` and `GET /office/api/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub user: MeUser,
    pub tenant: MeTenant,
    pub departments: Vec<Department>,
    pub categories: Vec<Category>,
    /// The report states the office may set, with label and colour.
    pub states: Vec<StateInfo>,
    pub close_reasons: Vec<CloseReasonInfo>,
    /// Send it back in `X-CSRF-Token` with every POST, PUT and DELETE.
    pub csrf_token: String,
}

impl Me {
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeTenant {
    pub slug: String,
    pub name: String,
    pub premoderation: bool,
    pub response_days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub code: String,
    pub name: String,
    pub department_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateInfo {
    pub state: Status,
    /// German label.
    pub label: String,
    pub color: TrafficLight,
    /// The colour as `#rrggbb`.
    pub hex: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseReasonInfo {
    pub reason: CloseReason,
    /// German label.
    pub label: String,
}
