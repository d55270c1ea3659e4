//! The audit log: who changed what when, with the state before and after. Written in the same
//! transaction as the change it records, so there is no change without its entry.

use super::{now, Db, DbError};
use serde_json::Value;
use sqlx::Row;

/// Who makes a change: an official, or the operator on the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub email: String,
}

impl Actor {
    pub fn cli() -> Actor {
        Actor {
            user_id: None,
            email: "command line".into(),
        }
    }
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            email: "system".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub at: i64,
    pub user_email: String,
    pub action: String,
    pub subject: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub async fn record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tenant_id: i64,
    actor: &Actor,
    action: &str,
    subject: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO audit_log (tenant_id, user_id, user_email, at, action, subject, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tenant_id)
    .bind(actor.user_id)
    .bind(&actor.email)
    .bind(now())
    .bind(action)
    .bind(subject)
    .bind(before.map(Value::to_string))
    .bind(after.map(Value::to_string))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Db {
    /// Records a change that was made outside a transaction of its own.
    pub async fn audit_simple(
        &self,
        tenant_id: i64,
        actor: &Actor,
        action: &str,
        before: &Value,
        after: &Value,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        record(
            &mut tx,
            tenant_id,
            actor,
            action,
            "",
            Some(before),
            Some(after),
        )
        .await?;
        tx.commit().await
    }

    /// Newest first.
    pub async fn audit_log(&self, tenant_id: i64, limit: i64) -> Result<Vec<AuditEntry>, DbError> {
        let rows = sqlx::query(
            "SELECT at, user_email, action, subject, before_json, after_json FROM audit_log \
             WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(tenant_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
                Ok(AuditEntry {
                    at: r.try_get("at")?,
                    user_email: r.try_get("user_email")?,
                    action: r.try_get("action")?,
                    subject: r.try_get("subject")?,
                    before: parse(r.try_get("before_json")?),
                    after: parse(r.try_get("after_json")?),
                })
            })
            .collect()
    }
}
