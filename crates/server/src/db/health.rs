//! What `/readyz` and `/metrics` ask the database: is it there, is its schema the one this
//! binary expects, and how much mail waits. Deliberately across all tenants: these are the
//! operator's figures, and they carry counts and ages only, never tenant data.

use super::outbox::MAX_ATTEMPTS;
use super::{now, Backend, Db, DbError};
use sqlx::Row;

/// The schema as the database has it, against the migrations compiled into this binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaState {
    /// The newest migration applied successfully (0 for an empty database).
    pub applied: i64,
    /// The newest migration this binary knows.
    pub expected: i64,
}

impl SchemaState {
    pub fn is_current(&self) -> bool {
        self.applied == self.expected
    }
}

/// Mail in the outbox that has not gone out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxBacklog {
    /// Waiting, and still to be tried.
    pub unsent: i64,
    /// Given up after `MAX_ATTEMPTS` failures; stays in the table with its last error.
    pub given_up: i64,
    /// Age in seconds of the oldest mail still to be tried.
    pub oldest_unsent_seconds: Option<i64>,
}

impl Db {
    /// The newest migration version compiled into this binary for this database's dialect.
    pub fn expected_schema_version(&self) -> i64 {
        self.migrator().iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// Reads the applied migrations. This touches the database file or server (unlike
    /// `SELECT 1`, which SQLite answers without reading a page), so it doubles as the
    /// reachability check.
    pub async fn schema_state(&self) -> Result<SchemaState, DbError> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) AS applied \
             FROM _sqlx_migrations WHERE success",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(SchemaState {
            applied: row.try_get("applied")?,
            expected: self.expected_schema_version(),
        })
    }

    pub async fn outbox_backlog(&self) -> Result<OutboxBacklog, DbError> {
        let row = sqlx::query(
            "SELECT \
             CAST(COALESCE(SUM(CASE WHEN attempts < $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS unsent, \
             CAST(COALESCE(SUM(CASE WHEN attempts < $1 THEN 0 ELSE 1 END), 0) AS BIGINT) AS given_up, \
             MIN(CASE WHEN attempts < $1 THEN created_at END) AS oldest \
             FROM outbox WHERE sent_at IS NULL",
        )
        .bind(MAX_ATTEMPTS)
        .fetch_one(&self.pool)
        .await?;
        let oldest: Option<i64> = row.try_get("oldest")?;
        Ok(OutboxBacklog {
            unsent: row.try_get("unsent")?,
            given_up: row.try_get("given_up")?,
            oldest_unsent_seconds: oldest.map(|t| (now() - t).max(0)),
        })
    }

    /// Where an SQLite database lives has to stay where it was opened: if the file is deleted
    /// or replaced under a running server (a botched restore, a cleanup script), SQLite keeps
    /// writing into the old, unlinked file, and every acknowledged write since is lost at the
    /// next restart. `None` when all is well (and always on PostgreSQL).
    pub fn sqlite_file_problem(&self) -> Option<String> {
        if self.backend != Backend::Sqlite {
            return None;
        }
        let file = self.sqlite_file.as_ref()?;
        match file_identity(&file.path) {
            Ok(id) if id == file.identity => None,
            Ok(_) => Some(format!(
                "the database file {} was replaced while the server ran; restart civickit",
                file.path.display()
            )),
            Err(e) => Some(format!(
                "the database file {} is gone ({e}); restart civickit after putting it back",
                file.path.display()
            )),
        }
    }
}

/// The SQLite file a pool was opened on, and which file it was (device and inode).
#[derive(Debug, Clone)]
pub struct SqliteFile {
    pub path: std::path::PathBuf,
    identity: (u64, u64),
}

impl SqliteFile {
    /// The file of `sqlite://PATH?…` (`None` for an in-memory database).
    pub fn open(url: &str) -> Option<SqliteFile> {
        let path = sqlite_path(url)?;
        let identity = file_identity(&path).ok()?;
        Some(SqliteFile { path, identity })
    }
}

/// The path in `sqlite://PATH?options` or `sqlite:PATH`; `None` for `sqlite::memory:`.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| path.into())
}

#[cfg(unix)]
fn file_identity(path: &std::path::Path) -> std::io::Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path)?;
    Ok((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_identity(path: &std::path::Path) -> std::io::Result<(u64, u64)> {
    std::fs::metadata(path).map(|_| (0, 0))
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn finds_the_file_in_sqlite_urls() {
        assert_eq!(
            sqlite_path("sqlite:///var/lib/civickit/civickit.db?mode=rwc"),
            Some("/var/lib/civickit/civickit.db".into())
        );
        assert_eq!(
            sqlite_path("sqlite://civickit.db"),
            Some("civickit.db".into())
        );
        assert_eq!(sqlite_path("sqlite:town.db"), Some("town.db".into()));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://db/civickit"), None);
    }
}
