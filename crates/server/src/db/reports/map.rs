//! Loading the towns' map indexes (`crate::mapindex`) and keeping them equal to the reports
//! table: every write path that can change what the public map shows calls `report_changed`
//! after its commit.

use crate::db::{Backend, Db, DbError};
use crate::mapindex::grid::{Row, TownMap};
use crate::mapindex::Town;
use civickit_model::{LatLng, Status};
use futures_util::TryStreamExt;
use sqlx::any::AnyRow;
use sqlx::Row as _;
use std::sync::Arc;

/// The reports the public map shows: not hidden, not awaiting moderation, placed.
const MAP_ROWS: &str =
    "SELECT r.id, r.ref, r.status, c.code AS category, r.lat, r.lng, r.created_at \
     FROM reports r JOIN categories c ON c.id = r.category_id \
     WHERE r.tenant_id = $1 AND r.hidden = 0 AND r.status <> 'pending_review' \
     AND r.lat IS NOT NULL AND r.lng IS NOT NULL";

/// The PostgreSQL channel instances tell each other of changed reports on
/// (payload `<tenant_id>:<report_id>`). On SQLite the table `map_changes` carries the same news
/// from other processes on the file (the CLI).
pub const CHANGES_CHANNEL: &str = "civickit_reports";

fn map_row(row: &AnyRow) -> Result<Row, DbError> {
    let status: String = row.try_get("status")?;
    Ok(Row {
        id: row.try_get("id")?,
        reference: row.try_get("ref")?,
        status: Status::parse(&status)
            .ok_or_else(|| DbError::Decode(format!("unknown status {status:?}").into()))?,
        category: row.try_get("category")?,
        position: LatLng::new(row.try_get("lat")?, row.try_get("lng")?),
        created: row.try_get("created_at")?,
    })
}

impl Db {
    /// The town's map index, read from the database on first use.
    pub async fn town_map(&self, tenant_id: i64) -> Result<Arc<Town>, DbError> {
        let town = self.map.town(tenant_id);
        if town.is_loaded() {
            return Ok(town);
        }
        {
            let _writer = town.writer.lock().await;
            if !town.is_loaded() {
                let epoch = self.map.epoch();
                town.install(self.read_town_map(tenant_id).await?, epoch);
            }
        }
        Ok(town)
    }

    /// Reads the town's index afresh and swaps it in, unless its read began in epoch `since`
    /// or later (then it has every change). The old one keeps answering meanwhile (reading a
    /// million reports takes seconds); changes wait for the swap and follow it.
    pub async fn reload_town_map(&self, tenant_id: i64, since: u64) -> Result<Arc<Town>, DbError> {
        let town = self.map.town(tenant_id);
        {
            let _writer = town.writer.lock().await;
            if !(town.is_loaded() && town.read_in() >= since) {
                let epoch = self.map.epoch();
                town.install(self.read_town_map(tenant_id).await?, epoch);
            }
        }
        Ok(town)
    }

    /// The town's public, placed reports as the database has them now.
    pub async fn read_town_map(&self, tenant_id: i64) -> Result<TownMap, DbError> {
        let mut rows = Vec::new();
        let mut stream = sqlx::query(MAP_ROWS).bind(tenant_id).fetch(&self.pool);
        while let Some(row) = stream.try_next().await? {
            rows.push(map_row(&row)?);
        }
        Ok(TownMap::from_rows(rows))
    }

    /// Tells this instance's index, and the other processes (PostgreSQL: a notification;
    /// SQLite: a row in `map_changes`), that a report changed. Called after the change's commit; a failure here leaves the write done and
    /// makes this town's index be read again on its next use.
    pub async fn report_changed(&self, tenant_id: i64, report_id: i64) {
        if let Err(e) = self.refresh_map_report(tenant_id, report_id).await {
            tracing::warn!(tenant_id, report_id, error = %e, "map index: re-reading a report failed; the town's index is read again on next use");
            self.map.clear();
        }
        let told = match self.backend {
            Backend::Postgres => {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANGES_CHANNEL)
                    .bind(format!("{tenant_id}:{report_id}"))
                    .execute(&self.pool)
                    .await
            }
            Backend::Sqlite => {
                sqlx::query("INSERT INTO map_changes (tenant_id, report_id) VALUES ($1, $2)")
                    .bind(tenant_id)
                    .bind(report_id)
                    .execute(&self.pool)
                    .await
            }
        };
        if let Err(e) = told {
            tracing::warn!(tenant_id, report_id, error = %e, "map index: telling the other processes failed");
        }
    }

    /// The newest entry of the SQLite change log (0 when empty).
    pub async fn last_map_change(&self) -> Result<i64, DbError> {
        sqlx::query("SELECT COALESCE(MAX(id), 0) AS last FROM map_changes")
            .fetch_one(&self.pool)
            .await?
            .try_get("last")
    }

    /// The change log's entries after `after`: (entry, tenant, report), oldest first.
    pub async fn map_changes_since(&self, after: i64) -> Result<Vec<(i64, i64, i64)>, DbError> {
        let rows = sqlx::query(
            "SELECT id, tenant_id, report_id FROM map_changes WHERE id > $1 ORDER BY id LIMIT 1000",
        )
        .bind(after)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    r.try_get("tenant_id")?,
                    r.try_get("report_id")?,
                ))
            })
            .collect()
    }

    /// Drops the log's entries up to `upto`, which every reader has seen.
    pub async fn forget_map_changes(&self, upto: i64) -> Result<(), DbError> {
        sqlx::query("DELETE FROM map_changes WHERE id <= $1")
            .bind(upto)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Re-reads one report into this instance's index (a no-op for a town not loaded: its load
    /// will read the report).
    pub async fn refresh_map_report(&self, tenant_id: i64, report_id: i64) -> Result<(), DbError> {
        let Some(town) = self.map.existing(tenant_id) else {
            return Ok(());
        };
        let _writer = town.writer.lock().await;
        if !town.is_loaded() {
            return Ok(());
        }
        let sql = format!("{MAP_ROWS} AND r.id = $2");
        let row = sqlx::query(&sql)
            .bind(tenant_id)
            .bind(report_id)
            .fetch_optional(&self.pool)
            .await?;
        town.set(report_id, row.as_ref().map(map_row).transpose()?);
        Ok(())
    }

    /// Whether the town's index (loaded if it was not) holds exactly what the database has:
    /// for tests and for an operator's check.
    pub async fn map_agrees_with_database(&self, tenant_id: i64) -> Result<bool, DbError> {
        let town = self.town_map(tenant_id).await?;
        let fresh = self.read_town_map(tenant_id).await?;
        Ok(town.read(|m| m.rows()) == fresh.rows())
    }
}
