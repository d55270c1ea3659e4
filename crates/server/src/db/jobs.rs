//! Jobs that must run once a day across all instances on one database (`job_runs`).
//!
//! Why a row per (job, day) and not `pg_try_advisory_lock`: an advisory lock only says "nobody
//! runs it right now"; an instance that starts after the run, or checks a minute later, would
//! run the job a second time that day. The row says "it ran today" and outlives restarts;
//! `INSERT … ON CONFLICT DO NOTHING` is atomic on both backends, so SQLite needs no other path.
//! An instance killed mid-run leaves the day claimed: the job then runs the next day, which
//! suits retention (it erases everything whose time is up, however late).

use super::{now, Db, DbError};

impl Db {
    /// Claims `name`'s run for the UTC date `day` (`2026-12-06`): true for exactly one caller.
    pub async fn claim_daily_job(&self, name: &str, day: &str) -> Result<bool, DbError> {
        let inserted = sqlx::query(
            "INSERT INTO job_runs (name, day, started_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name, day) DO NOTHING",
        )
        .bind(name)
        .bind(day)
        .bind(now())
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }

    pub async fn daily_job_finished(&self, name: &str, day: &str) -> Result<(), DbError> {
        sqlx::query("UPDATE job_runs SET finished_at = $1 WHERE name = $2 AND day = $3")
            .bind(now())
            .bind(name)
            .bind(day)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Gives a claimed day back after a failed run, so that it is tried again (here or by
    /// another instance) instead of waiting for tomorrow.
    pub async fn release_daily_job(&self, name: &str, day: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM job_runs WHERE name = $1 AND day = $2 AND finished_at IS NULL")
            .bind(name)
            .bind(day)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
