//! Rate limits shared by every instance on one PostgreSQL (`rate_limits`), for
//! `crate::limits::KeyedLimit`. GCRA as governor does it in memory: a key's theoretical
//! arrival time (TAT) moves one emission interval T = PERIOD/COUNT ahead per event; an event is
//! allowed while the TAT it would leave is at most PERIOD ahead of now (so COUNT at once).

use super::{Db, DbError};
use sqlx::Row;
use std::time::Duration;

/// Milliseconds of the database's clock for this statement: one clock for all instances, so
/// that two servers whose clocks drift apart still count one limit.
const DB_NOW_MS: &str = "CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS BIGINT)";

impl Db {
    /// Counts one event for `key` (`$2` = T, `$3` = PERIOD − T, both in ms), or says how long
    /// until the key may try again. Decided in one statement: the row lock of the upsert
    /// orders concurrent events of a key, whichever instance they reach. A refused event leaves
    /// the TAT as it was (it is not counted).
    pub async fn shared_limit_check(
        &self,
        key: &str,
        emission_ms: i64,
        tolerance_ms: i64,
    ) -> Result<Result<(), Duration>, DbError> {
        // `EXCLUDED.tat - $2` is now; the old TAT is `rate_limits.tat`.
        let sql = format!(
            "INSERT INTO rate_limits (key, tat, allowed) VALUES ($1, {DB_NOW_MS} + $2, 1) \
             ON CONFLICT (key) DO UPDATE SET \
               allowed = CASE WHEN rate_limits.tat <= EXCLUDED.tat - $2 + $3 THEN 1 ELSE 0 END, \
               tat = CASE WHEN rate_limits.tat <= EXCLUDED.tat - $2 + $3 \
                     THEN GREATEST(rate_limits.tat, EXCLUDED.tat - $2) + $2 \
                     ELSE rate_limits.tat END \
             RETURNING tat, allowed, {DB_NOW_MS} AS now"
        );
        let row = sqlx::query(&sql)
            .bind(key)
            .bind(emission_ms)
            .bind(tolerance_ms)
            .fetch_one(&self.pool)
            .await?;
        if row.try_get::<i64, _>("allowed")? == 1 {
            return Ok(Ok(()));
        }
        // Refused: the next event fits once now + tolerance reaches the TAT.
        let tat: i64 = row.try_get("tat")?;
        let now: i64 = row.try_get("now")?;
        let wait = (tat - tolerance_ms - now).max(1);
        Ok(Err(Duration::from_millis(wait as u64)))
    }

    /// Drops the keys whose TAT has passed: they are back to a fresh state, and a flood of
    /// addresses must not grow the table without bound.
    pub async fn sweep_shared_limits(&self) -> Result<u64, DbError> {
        let sql = format!("DELETE FROM rate_limits WHERE tat < {DB_NOW_MS}");
        Ok(sqlx::query(&sql).execute(&self.pool).await?.rows_affected())
    }
}
