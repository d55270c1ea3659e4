//! Spent proof-of-work challenges (`spent_challenges`, issue 15): single use across all
//! instances, the tenant's recent write rate, and each town's difficulty.

use super::audit::Actor;
use super::tenants::TenantNumber;
use super::{Db, DbError};
use sqlx::Row;

/// The bounds of a town's `pow_max_number`: below, a script solves it for free; above, an old
/// phone needs longer than a citizen waits.
pub const POW_MAX_NUMBER_RANGE: std::ops::RangeInclusive<i64> = 1_000..=10_000_000;

impl Db {
    /// Marks the challenge with `signature` as used: true for exactly one caller, also when
    /// several instances race (the primary key decides, `ON CONFLICT DO NOTHING`).
    pub async fn spend_challenge(
        &self,
        tenant_id: i64,
        signature: &str,
        purpose: &str,
        at: i64,
        expires_at: i64,
    ) -> Result<bool, DbError> {
        let inserted = sqlx::query(
            "INSERT INTO spent_challenges (signature, tenant_id, purpose, spent_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (signature) DO NOTHING",
        )
        .bind(signature)
        .bind(tenant_id)
        .bind(purpose)
        .bind(at)
        .bind(expires_at)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }

    /// Challenges the tenant's citizens spent since `since`: its write rate, the same for all
    /// instances because it is read from the table.
    pub async fn spent_challenges_since(&self, tenant_id: i64, since: i64) -> Result<i64, DbError> {
        sqlx::query(
            "SELECT COUNT(*) AS n FROM spent_challenges WHERE tenant_id = $1 AND spent_at >= $2",
        )
        .bind(tenant_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")
    }

    /// Forgets spent challenges that have expired: from then on the expiry refuses them.
    /// Called by the daily retention run.
    pub async fn sweep_spent_challenges(&self, at: i64) -> Result<u64, DbError> {
        Ok(
            sqlx::query("DELETE FROM spent_challenges WHERE expires_at < $1")
                .bind(at)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }

    /// Sets the town's base difficulty (`civickit tenant set --pow-max-number`).
    pub async fn set_pow_max_number(
        &self,
        tenant_id: i64,
        max_number: i64,
        actor: &Actor,
    ) -> Result<(), DbError> {
        if !POW_MAX_NUMBER_RANGE.contains(&max_number) {
            return Err(DbError::Protocol(format!(
                "pow_max_number must be from {} to {}",
                POW_MAX_NUMBER_RANGE.start(),
                POW_MAX_NUMBER_RANGE.end()
            )));
        }
        self.set_tenant_number(tenant_id, TenantNumber::PowMaxNumber, max_number, actor)
            .await
    }
}
