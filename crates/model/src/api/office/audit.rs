//! The audit log (admins): who changed what, newest first.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLog {
    /// The newest 500 entries.
    pub entries: Vec<AuditEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    /// The official's e-mail address, `citizen`, `command line` or `system`.
    pub user: String,
    /// e.g. `report.status`, `user.add`, `tenant.settings`.
    pub action: String,
    /// What was changed: a report reference, an e-mail address, a poll slug…
    pub subject: String,
    /// The changed values before and after, as each action records them (free-form).
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}
