//! A town's retention periods (`civickit_model::privacy::Retention`): read by the retention
//! job, the inventory and the generated privacy notice; changed by admins and the CLI.

use super::audit::{self, Actor};
use super::{Db, DbError};
use civickit_model::privacy::Retention;
use sqlx::Row;

impl Db {
    pub async fn retention(&self, tenant_id: i64) -> Result<Retention, DbError> {
        let row = sqlx::query(
            "SELECT retention_days, retention_erase_text, outbox_days, tracking_days, photo_days \
             FROM tenants WHERE id = $1",
        )
        .bind(tenant_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(Retention {
            contact_days: row.try_get("retention_days")?,
            erase_text: row.try_get::<i64, _>("retention_erase_text")? != 0,
            outbox_days: row.try_get("outbox_days")?,
            tracking_days: row.try_get("tracking_days")?,
            photo_days: row.try_get("photo_days")?,
        })
    }

    /// Stores periods the caller validated (`Retention::validate`), audited with before and
    /// after in the same transaction.
    pub async fn set_retention(
        &self,
        tenant_id: i64,
        retention: &Retention,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let before = self.retention(tenant_id).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE tenants SET retention_days = $1, retention_erase_text = $2, outbox_days = $3, \
             tracking_days = $4, photo_days = $5 WHERE id = $6",
        )
        .bind(retention.contact_days)
        .bind(i64::from(retention.erase_text))
        .bind(retention.outbox_days)
        .bind(retention.tracking_days)
        .bind(retention.photo_days)
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "tenant.retention",
            "retention",
            Some(&serde_json::to_value(before).unwrap_or_default()),
            Some(&serde_json::to_value(retention).unwrap_or_default()),
        )
        .await?;
        tx.commit().await
    }
}
