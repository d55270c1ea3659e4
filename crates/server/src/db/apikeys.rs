//! Open311 API keys: a key belongs to one tenant; only its SHA-256 is stored, so a database
//! dump does not hand out working keys.

use super::audit::{self, Actor};
use super::{now, Db, DbError};
use crate::secrets::{hash_secret, new_secret};
use serde_json::json;
use sqlx::Row;

/// What is kept of a key besides its hash: enough to tell keys apart and revoke one.
#[derive(Debug, Clone)]
pub struct ApiKey {
    pub id: i64,
    pub label: String,
    pub created_at: i64,
}

impl Db {
    /// Creates a key and returns it in clear text: the only time it is ever seen.
    pub async fn create_api_key(&self, tenant_id: i64, label: &str) -> Result<String, DbError> {
        let key = new_secret();
        sqlx::query(
            "INSERT INTO api_keys (tenant_id, label, key_hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(tenant_id)
        .bind(label)
        .bind(hash_secret(&key))
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(key)
    }

    /// Whether `key` is a valid key of exactly this tenant.
    pub async fn api_key_valid(&self, tenant_id: i64, key: &str) -> Result<bool, DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM api_keys WHERE tenant_id = $1 AND key_hash = $2",
        )
        .bind(tenant_id)
        .bind(hash_secret(key))
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// A tenant's keys, oldest first.
    pub async fn api_keys(&self, tenant_id: i64) -> Result<Vec<ApiKey>, DbError> {
        let rows = sqlx::query(
            "SELECT id, label, created_at FROM api_keys WHERE tenant_id = $1 ORDER BY id",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiKey {
                    id: r.try_get("id")?,
                    label: r.try_get("label")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// Deletes a key of this tenant, audited; `None` if it has no such key.
    pub async fn revoke_api_key(
        &self,
        tenant_id: i64,
        id: i64,
        actor: &Actor,
    ) -> Result<Option<ApiKey>, DbError> {
        let Some(key) = self
            .api_keys(tenant_id)
            .await?
            .into_iter()
            .find(|k| k.id == id)
        else {
            return Ok(None);
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM api_keys WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let before = json!({"id": key.id, "label": key.label, "created_at": key.created_at});
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "apikey.revoke",
            &key.label,
            Some(&before),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(key))
    }
}
