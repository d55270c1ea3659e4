//! Storage. One code path for SQLite and PostgreSQL through sqlx's `Any` driver: queries use
//! `$1`-style placeholders (understood by both), portable SQL, BIGINT unix-second times and
//! 0/1 flags. Only the migrations differ per dialect (`migrations/sqlite`, `migrations/postgres`).
//!
//! Tenant isolation: every function that touches tenant data takes the tenant id and puts it
//! into its WHERE clause; there is no query by a bare report id coming from outside.

pub mod admin;
pub mod apikeys;
pub mod audit;
pub mod catalogue;
pub mod challenges;
pub mod erasure;
pub mod flags;
pub mod health;
pub mod inventory;
pub mod jobs;
pub mod limits;
pub mod listen;
pub mod messages;
pub mod outbox;
pub mod photos;
pub mod places;
mod poll_secrecy;
pub mod polls;
pub mod privacy;
pub mod reports;
pub mod retention;
pub(crate) mod sql;
pub mod statements;
pub mod stats;
pub mod subject;
pub mod tenants;
pub mod town;
pub mod users;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

pub use sqlx::Error as DbError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// The SQLite file the pool works on, to notice when it is removed or replaced.
    sqlite_file: Option<health::SqliteFile>,
    /// Each tenant's place lookup index, rebuilt when an import changed the stored set.
    pub(crate) place_indexes: crate::places::IndexCache,
    /// Every town's public map in memory (`crate::mapindex`), kept equal to the reports table
    /// by `report_changed`.
    pub map: crate::mapindex::MapIndex,
}

/// How long an SQLite statement waits for the write lock (or a checkpoint for readers) before
/// it gives up with "database is locked".
const BUSY_TIMEOUT_MS: u64 = 10_000;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects to `sqlite://path` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::Configuration(
                format!("unsupported database URL {url:?}: use sqlite://FILE or postgres://…")
                    .into(),
            ));
        };
        let url = match backend {
            // Create the file on first use, like an embedded database should.
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // SQLite has one writer at a time anyway; a few readers are plenty.
                Backend::Sqlite => 4,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; synchronous=FULL fsyncs the
                        // WAL on every commit, so an acknowledged write survives a power cut.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute(format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}").as_str())
                            .await?;
                        // Freed cells and pages are overwritten with zeros, so a counter's
                        // earlier value (or an erased address) does not linger in the file's
                        // free space (ballot secrecy, DSGVO; see `checkpoint`).
                        conn.execute("PRAGMA secure_delete = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let sqlite_file = match backend {
            Backend::Sqlite => health::SqliteFile::open(&url),
            Backend::Postgres => None,
        };
        Ok(Db {
            pool,
            backend,
            sqlite_file,
            place_indexes: Default::default(),
            map: Default::default(),
        })
    }

    /// The migrations compiled into this binary for this database's dialect.
    pub fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => {
                SQLITE_MIGRATIONS.run(&self.pool).await?;
                // Gives the query planner fresh statistics where they are missing or stale
                // (cheap when nothing changed); PostgreSQL's autovacuum does this by itself.
                self.pool.execute("PRAGMA optimize=0x10002").await?;
                Ok(())
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await,
        }
    }

    /// SQLite: copies every page of the WAL into the database file and empties the WAL
    /// (`wal_checkpoint(TRUNCATE)`), so superseded page versions (a counter's earlier value)
    /// leave the disk's live files; with `secure_delete` the database file then holds only
    /// live rows. A checkpoint cannot finish while a reader still uses an older snapshot or a
    /// writer is busy: it then waits at most `wait` and answers `Ok(false)`, and the frames
    /// stay until the next checkpoint. PostgreSQL: nothing to do here (`Ok(true)`); its old
    /// row versions go with `VACUUM FULL` (`polls vacuum`).
    pub async fn checkpoint(&self, wait: Duration) -> Result<bool, DbError> {
        use sqlx::Row;
        if self.backend != Backend::Sqlite {
            return Ok(true);
        }
        let mut conn = self.pool.acquire().await?;
        // The busy handler decides how long TRUNCATE waits for readers; the connection's usual
        // 10 s would hold up the caller (a voter's answer) behind a long read such as a backup.
        conn.execute(format!("PRAGMA busy_timeout = {}", wait.as_millis()).as_str())
            .await?;
        let done = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&mut *conn)
            .await
            .and_then(|row| row.try_get::<i64, _>(0))
            .map(|busy| busy == 0);
        conn.execute(format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}").as_str())
            .await?;
        done
    }
}

/// The SQLite migrations compiled into this binary (for checking a backup before restoring it).
pub fn sqlite_migrations() -> &'static sqlx::migrate::Migrator {
    &SQLITE_MIGRATIONS
}

/// Hands out the next public reference (`M-2026-00042`, `B-2026-00017`) of a tenant, inside the
/// caller's transaction. Call it first in a write transaction, so that SQLite takes its write
/// lock at the start instead of upgrading a read lock later (which can fail when busy).
pub async fn next_reference(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tenant_id: i64,
    kind: civickit_model::ReferenceKind,
    at: i64,
) -> Result<String, DbError> {
    use sqlx::Row;
    let year = time::OffsetDateTime::from_unix_timestamp(at)
        .expect("a valid time")
        .year();
    let seq: i64 = sqlx::query(
        "INSERT INTO ref_counters (tenant_id, kind, year, last) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (tenant_id, kind, year) DO UPDATE SET last = ref_counters.last + 1 \
         RETURNING last",
    )
    .bind(tenant_id)
    .bind(kind.as_str())
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await?
    .try_get("last")?;
    Ok(civickit_model::Reference { kind, year, seq }.to_string())
}

/// Seconds since the Unix epoch, UTC: the one time representation in the database.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

pub fn flag(b: bool) -> i64 {
    i64::from(b)
}
