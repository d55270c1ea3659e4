//! Open311 API keys: a key belongs to one tenant; only its SHA-256 is stored, so a database
//! dump does not hand out working keys.

use super::{now, Db, DbError};
use crate::secrets::{hash_secret, new_secret};
use sqlx::Row;

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
}
