//! What a tenant's admin manages in the office: text templates for public notes, and the
//! audited changes to users, departments and categories.

use super::audit::{self, Actor};
use super::{Db, DbError};
use civickit_model::Status;
use serde_json::json;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Template {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// The state this note fits, if any (the office offers it when moving there).
    pub status: Option<Status>,
}

impl Db {
    pub async fn templates(&self, tenant_id: i64) -> Result<Vec<Template>, DbError> {
        let rows = sqlx::query(
            "SELECT id, title, body, status FROM text_templates WHERE tenant_id = $1 ORDER BY position, id",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let status: Option<String> = r.try_get("status")?;
                Ok(Template {
                    id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    body: r.try_get("body")?,
                    status: status.as_deref().and_then(Status::parse),
                })
            })
            .collect()
    }

    pub async fn add_template(
        &self,
        tenant_id: i64,
        title: &str,
        body: &str,
        status: Option<Status>,
        actor: &Actor,
    ) -> Result<i64, DbError> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO text_templates (tenant_id, title, body, status, position) \
             VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM text_templates WHERE tenant_id = $1)) \
             RETURNING id",
        )
        .bind(tenant_id)
        .bind(title)
        .bind(body)
        .bind(status.map(Status::as_str))
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "template.add",
            title,
            None,
            Some(&json!({"title": title, "body": body})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn delete_template(
        &self,
        tenant_id: i64,
        id: i64,
        actor: &Actor,
    ) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query("DELETE FROM text_templates WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "template.delete",
            &id.to_string(),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Records an admin's change in the audit log (for changes made by the functions of other
    /// modules that do not take an actor, such as creating users and categories).
    pub async fn audit_admin(
        &self,
        tenant_id: i64,
        actor: &Actor,
        action: &str,
        subject: &str,
        after: &serde_json::Value,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            action,
            subject,
            None,
            Some(after),
        )
        .await?;
        tx.commit().await
    }
}
