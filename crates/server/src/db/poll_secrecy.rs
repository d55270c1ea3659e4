//! Ballot secrecy against whoever holds the database files (ARCHITECTURE.md, "Ballot
//! secrecy"); `polls.rs` counts the votes. On SQLite: participation rows laid out in key order
//! after each write ([`lay_out`]) and the WAL emptied after each vote ([`Db::checkpoint`], with
//! `secure_delete` from `db/mod.rs`). Once a poll has ended, on both: sealing (interim counts made
//! final; on PostgreSQL one `xmin` for all participation rows) and rewriting the poll tables.

use super::{Backend, Db, DbError};
use sqlx::Row;
use std::time::Duration;

/// How long the checkpoint after a vote waits for readers before it leaves the WAL for later.
const CHECKPOINT_WAIT: Duration = Duration::from_millis(250);

impl Db {
    /// The WAL after a committed vote: emptied now, or once more a second later in the
    /// background if readers held it; never an error for the voter, whose vote is committed.
    pub(super) async fn checkpoint_after_vote(&self) {
        if self.backend != Backend::Sqlite {
            return;
        }
        match self.checkpoint(CHECKPOINT_WAIT).await {
            Ok(true) => {}
            Ok(false) => {
                let db = self.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    match db.checkpoint(CHECKPOINT_WAIT).await {
                        Ok(true) => {}
                        Ok(false) => tracing::warn!(
                            "ballot secrecy: readers kept the WAL from being emptied after a vote; \
                             earlier counts stay in it until the next vote's checkpoint"
                        ),
                        Err(e) => tracing::warn!("ballot secrecy: checkpoint after a vote: {e}"),
                    }
                });
            }
            Err(e) => tracing::warn!("ballot secrecy: checkpoint after a vote: {e}"),
        }
    }

    /// Seals every poll of every town that ended by `at` and is not sealed yet: its interim
    /// counts become the final ones (the last snapshot and the final counts would otherwise
    /// keep the sum of the last few votes apart), and on PostgreSQL its participation rows are
    /// rewritten in one transaction, so that they all carry the same `xmin` instead of the
    /// order of the votes (their old versions go with [`Db::vacuum_polls`]). Returns them as
    /// `town/poll`. An operator's job across all towns, like retention.
    pub async fn seal_ended_polls(&self, at: i64) -> Result<Vec<String>, DbError> {
        let ended = sqlx::query(
            "SELECT p.id, t.slug AS town, p.slug FROM polls p JOIN tenants t ON t.id = p.tenant_id \
             WHERE p.closes_at <= $1 AND p.sealed = 0 ORDER BY t.slug, p.slug",
        )
        .bind(at)
        .fetch_all(&self.pool)
        .await?;
        let mut sealed = Vec::new();
        for row in ended {
            let id: i64 = row.try_get("id")?;
            let mut tx = self.pool.begin().await?;
            // In the order a vote takes them: participation rows, counters, the poll's row.
            if self.backend == Backend::Postgres {
                for sql in [
                    "UPDATE poll_codes SET used = used WHERE poll_id = $1",
                    "UPDATE poll_voters SET token_hash = token_hash WHERE poll_id = $1",
                ] {
                    sqlx::query(sql).bind(id).execute(&mut *tx).await?;
                }
            }
            sqlx::query("UPDATE poll_options SET interim_votes = votes WHERE poll_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            // The guard again, in the write: a poll opened again meanwhile stays unsealed.
            let changed = sqlx::query(
                "UPDATE polls SET interim_participations = participations, sealed = 1 \
                 WHERE id = $1 AND closes_at <= $2 AND sealed = 0",
            )
            .bind(id)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                continue;
            }
            tx.commit().await?;
            let (town, slug): (String, String) = (row.try_get("town")?, row.try_get("slug")?);
            sealed.push(format!("{town}/{slug}"));
        }
        Ok(sealed)
    }

    /// Rewrites the poll tables so that their files keep only live rows, in key order.
    /// PostgreSQL: `CLUSTER` of the participation tables on their key (heap order = key order,
    /// dead versions gone) and `VACUUM FULL` of polls and counters (a plain VACUUM would leave
    /// old counts in the pages' free space); each holds its table's lock for the rewrite, which
    /// for poll tables takes milliseconds. SQLite: `VACUUM` (the whole file, rebuilt in key
    /// order) and a checkpoint that empties the WAL.
    pub async fn vacuum_polls(&self) -> Result<(), DbError> {
        use sqlx::Executor;
        match self.backend {
            Backend::Postgres => {
                for sql in [
                    "CLUSTER poll_codes USING poll_codes_pkey",
                    "CLUSTER poll_voters USING poll_voters_pkey",
                    "VACUUM (FULL, ANALYZE) polls, poll_questions, poll_options",
                ] {
                    self.pool.execute(sql).await?;
                }
            }
            Backend::Sqlite => {
                self.pool.execute("VACUUM").await?;
                if !self.checkpoint(Duration::from_secs(5)).await? {
                    tracing::warn!(
                        "polls vacuum: readers kept the WAL from being emptied; it is emptied at the next vote"
                    );
                }
            }
        }
        Ok(())
    }

    /// The daily job's part (`retention_loop`): seals the polls that ended since the last run
    /// and, if there were any, vacuums the poll tables.
    pub async fn seal_and_vacuum_ended_polls(&self, at: i64) -> Result<Vec<String>, DbError> {
        let sealed = self.seal_ended_polls(at).await?;
        if !sealed.is_empty() {
            self.vacuum_polls().await?;
        }
        Ok(sealed)
    }
}

/// The two participation tables.
#[derive(Debug, Clone, Copy)]
pub(super) enum Participations {
    Codes,
    Browsers,
}

/// SQLite: writes a poll's participation rows anew in key order, in the caller's transaction.
/// A cell goes where its page has room (the top of the free gap, or a freed slot), so the
/// place of a just inserted row inside its page tells that it is the newest (without this, the
/// rows of a page stand in exactly the reverse order of their writing); deleted and written
/// again in key order, each row's place follows from its rank among the poll's keys
/// (secure_delete zeroes the freed cells). The rows travel as one JSON array inside SQLite, so
/// the cost is SQLite's own: a read and a rewrite of the poll's rows (about 80 bytes each) per
/// browser vote; code votes flip `used` in place and need none.
/// PostgreSQL: nothing (rewriting would only add dead versions; see [`Db::seal_ended_polls`]).
pub(super) async fn lay_out(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    table: Participations,
    poll_id: i64,
) -> Result<(), DbError> {
    if backend != Backend::Sqlite {
        return Ok(());
    }
    // (table, its columns after poll_id, each column as read back from one JSON array element)
    let (name, columns, from_json) = match table {
        Participations::Codes => (
            "poll_codes",
            "code_hash, used",
            "json_extract(value, '$[0]'), json_extract(value, '$[1]')",
        ),
        Participations::Browsers => ("poll_voters", "token_hash", "value"),
    };
    let key = columns.split(',').next().unwrap_or(columns);
    let element = if columns.contains(',') {
        format!("json_array({columns})")
    } else {
        key.to_string()
    };
    let rows: String = sqlx::query(&format!(
        "SELECT json_group_array({element}) AS rows FROM \
         (SELECT {columns} FROM {name} WHERE poll_id = $1 ORDER BY {key})"
    ))
    .bind(poll_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get("rows")?;
    sqlx::query(&format!("DELETE FROM {name} WHERE poll_id = $1"))
        .bind(poll_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(&format!(
        "INSERT INTO {name} (poll_id, {columns}) SELECT $1, {from_json} FROM json_each($2) ORDER BY key"
    ))
    .bind(poll_id)
    .bind(rows)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
