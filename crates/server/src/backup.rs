//! `civickit backup` and `civickit restore`.
//!
//! SQLite: `VACUUM INTO` copies the database from one read transaction, so the copy is
//! consistent while the server keeps writing (WAL mode lets the writer go on beside it), and it
//! is compact. Photos are rows, so they come along. The copy is fsynced and then opened and
//! checked before `backup` reports success.
//!
//! PostgreSQL: `pg_dump` does this job better than we could (online, consistent, any size), so
//! `backup` prints the exact commands instead of imitating it, and fails, so that a script
//! never mistakes the advice for a backup.
//!
//! Restoring an SQLite backup into PostgreSQL is refused: it is a different dialect (types,
//! sequences that must be moved past the copied ids), and a half-right conversion is worse than
//! a clear no. Moving a town from SQLite to PostgreSQL is a separate job (not built yet).

use crate::db::health::sqlite_path;
use crate::db::Db;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection, Row};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a backup or a restored database holds, for the operator's confirmation.
struct Contents {
    reports: i64,
    messages: i64,
    photos: i64,
    tenants: i64,
    schema: i64,
}

impl std::fmt::Display for Contents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} tenants, {} reports, {} messages, {} photos, schema migration {}",
            self.tenants, self.reports, self.messages, self.photos, self.schema
        )
    }
}

/// `civickit backup --to FILE`.
pub async fn backup(database_url: &str, to: &Path) -> Result<(), String> {
    if !database_url.starts_with("sqlite:") {
        println!("{}", postgres_advice(database_url));
        return Err("civickit backup copies SQLite databases only; for PostgreSQL use pg_dump as shown above".into());
    }
    let source = existing_sqlite_file(database_url)?;
    let started = Instant::now();
    // `create_new`: never overwrite, and no race with another file of the same name. SQLite's
    // VACUUM INTO fills an empty existing file.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{} exists; civickit backup never overwrites a file: choose a new name",
                to.display()
            ),
            _ => format!("cannot create {}: {e}", to.display()),
        })?;
    let copied = async {
        let mut conn = open_sqlite(&source, false).await?;
        sqlx::query("VACUUM INTO $1")
            .bind(to.to_string_lossy().into_owned())
            .execute(&mut conn)
            .await
            .map_err(|e| format!("copying {}: {e}", source.display()))?;
        conn.close().await.ok();
        sync_file_and_folder(to)?;
        let mut copy = open_sqlite(to, true).await?;
        check_integrity(&mut copy, to).await?;
        contents(&mut copy).await
    }
    .await;
    let contents = match copied {
        Ok(c) => c,
        Err(e) => {
            // A half-written copy must not be mistaken for a backup later.
            let _ = std::fs::remove_file(to);
            return Err(e);
        }
    };
    println!(
        "backed up {} to {}: {}, {contents}, in {}",
        source.display(),
        to.display(),
        size_of(to),
        seconds(started.elapsed())
    );
    Ok(())
}

/// `civickit restore --from FILE`: into an SQLite database that holds no tenants yet.
pub async fn restore(database_url: &str, from: &Path) -> Result<(), String> {
    let started = Instant::now();
    check_backup_file(from)?;
    let mut backup = open_sqlite(from, true).await?;
    check_integrity(&mut backup, from).await?;
    check_migrations(&mut backup, from).await?;
    let found = contents(&mut backup).await?;
    if !database_url.starts_with("sqlite:") {
        return Err(format!(
            "{} is an SQLite backup and the target is PostgreSQL: restoring across database \
             kinds is not supported. Restore into an SQLite file (--database sqlite://FILE), \
             or restore a pg_dump archive with pg_restore (docs/operations.md)",
            from.display()
        ));
    }
    let target = sqlite_path(database_url)
        .ok_or("restore needs a database file (sqlite://FILE), not an in-memory database")?;
    clear_empty_target(&target).await?;
    sqlx::query("VACUUM INTO $1")
        .bind(target.to_string_lossy().into_owned())
        .execute(&mut backup)
        .await
        .map_err(|e| format!("copying into {}: {e}", target.display()))?;
    backup.close().await.ok();
    sync_file_and_folder(&target)?;
    let db = Db::connect(database_url)
        .await
        .map_err(|e| format!("opening the restored {}: {e}", target.display()))?;
    db.migrate()
        .await
        .map_err(|e| format!("migrating the restored {}: {e}", target.display()))?;
    let schema = db.schema_state().await.map_err(|e| e.to_string())?;
    db.pool.close().await;
    println!(
        "restored {} into {}: {found}, now at migration {}, in {}",
        from.display(),
        target.display(),
        schema.applied,
        seconds(started.elapsed())
    );
    Ok(())
}

/// The pg_dump and pg_restore lines for the configured database, without its password.
pub fn postgres_advice(database_url: &str) -> String {
    let url = without_password(database_url);
    let quoted = shell_quote(&url);
    format!(
        "A PostgreSQL database is backed up with PostgreSQL's own tools, online and consistent:\n\n\
         \x20 pg_dump --format=custom --file=civickit-$(date +%F).dump {quoted}\n\n\
         Restore into a new, empty database (create it first, e.g. with createdb), then start civickit on it:\n\n\
         \x20 pg_restore --exit-on-error --no-owner --dbname={quoted} civickit-YYYY-MM-DD.dump\n\n\
         The password is not shown: both read it from ~/.pgpass or PGPASSWORD."
    )
}

fn without_password(database_url: &str) -> String {
    match reqwest::Url::parse(database_url) {
        Ok(mut url) => {
            let _ = url.set_password(None);
            url.to_string()
        }
        Err(_) => database_url.to_string(),
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The file of an SQLite URL, which must exist: a backup of a mistyped path would otherwise
/// create and copy an empty database.
fn existing_sqlite_file(database_url: &str) -> Result<PathBuf, String> {
    let path = sqlite_path(database_url)
        .ok_or("backup needs a database file (sqlite://FILE), not an in-memory database")?;
    if !path.is_file() {
        return Err(format!("no database file at {}", path.display()));
    }
    Ok(path)
}

async fn open_sqlite(path: &Path, read_only: bool) -> Result<SqliteConnection, String> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(read_only)
        .busy_timeout(Duration::from_secs(10));
    SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| format!("opening {}: {e}", path.display()))
}

/// A backup file is an SQLite database (and not, say, a pg_dump archive).
fn check_backup_file(path: &Path) -> Result<(), String> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let n = file.read(&mut head).map_err(|e| e.to_string())?;
    if head.starts_with(b"PGDMP") {
        return Err(format!(
            "{} is a pg_dump archive: restore it with pg_restore (docs/operations.md)",
            path.display()
        ));
    }
    if n < 16 || &head != b"SQLite format 3\0" {
        return Err(format!(
            "{} is not a civickit backup (not an SQLite database)",
            path.display()
        ));
    }
    Ok(())
}

async fn check_integrity(conn: &mut SqliteConnection, path: &Path) -> Result<(), String> {
    let verdict: String = sqlx::query("PRAGMA quick_check")
        .fetch_one(&mut *conn)
        .await
        .and_then(|r| r.try_get(0))
        .map_err(|e| format!("checking {}: {e}", path.display()))?;
    if verdict != "ok" {
        return Err(format!("{} is damaged: {verdict}", path.display()));
    }
    Ok(())
}

/// The backup's migrations must all be ones this binary knows, with the same content: a backup
/// from a newer civickit needs that newer civickit (its schema may mean things we do not know).
async fn check_migrations(conn: &mut SqliteConnection, path: &Path) -> Result<(), String> {
    let not_ours = || {
        format!(
            "{} is not a civickit backup (no civickit tables)",
            path.display()
        )
    };
    let tables: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('_sqlx_migrations', 'tenants')",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| e.to_string())?
    .iter()
    .filter_map(|r| r.try_get(0).ok())
    .collect();
    if tables.len() != 2 {
        return Err(not_ours());
    }
    let applied =
        sqlx::query("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| e.to_string())?;
    let known = crate::db::sqlite_migrations();
    for row in applied {
        let version: i64 = row.try_get(0).map_err(|e| e.to_string())?;
        let checksum: Vec<u8> = row.try_get(1).map_err(|e| e.to_string())?;
        let success: bool = row.try_get(2).map_err(|e| e.to_string())?;
        let Some(ours) = known.iter().find(|m| m.version == version) else {
            return Err(format!(
                "{} comes from a newer civickit (migration {version} is unknown to this binary): \
                 restore it with that version or a later one",
                path.display()
            ));
        };
        if *ours.checksum != *checksum {
            return Err(format!(
                "{}: migration {version} differs from this binary's; not a backup of this civickit",
                path.display()
            ));
        }
        if !success {
            return Err(format!(
                "{}: migration {version} had failed in the backed-up database",
                path.display()
            ));
        }
    }
    Ok(())
}

/// The restore target must hold no town yet: restore never mixes or overwrites data. An
/// existing file without tenants (say, from a first `civickit migrate`) is removed with its
/// WAL, so that the backup's pages are all there is.
async fn clear_empty_target(target: &Path) -> Result<(), String> {
    if target.exists() {
        let mut conn = open_sqlite(target, false).await?;
        let has_tenants_table =
            sqlx::query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tenants'")
                .fetch_optional(&mut conn)
                .await
                .map_err(|e| e.to_string())?
                .is_some();
        if has_tenants_table {
            let slugs: Vec<String> = sqlx::query("SELECT slug FROM tenants ORDER BY slug")
                .fetch_all(&mut conn)
                .await
                .map_err(|e| e.to_string())?
                .iter()
                .filter_map(|r| r.try_get(0).ok())
                .collect();
            if !slugs.is_empty() {
                return Err(format!(
                    "{} already holds tenants ({}); restore only into a new or empty database",
                    target.display(),
                    slugs.join(", ")
                ));
            }
        }
        conn.close().await.ok();
    }
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = target.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(&name) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(format!(
                    "cannot remove {}: {e}",
                    PathBuf::from(name).display()
                ))
            }
        }
    }
    Ok(())
}

async fn contents(conn: &mut SqliteConnection) -> Result<Contents, String> {
    let count = |table: &'static str| format!("SELECT COUNT(*) FROM {table}");
    let mut figures = [0i64; 4];
    for (slot, table) in figures
        .iter_mut()
        .zip(["reports", "messages", "photos", "tenants"])
    {
        *slot = sqlx::query(&count(table))
            .fetch_one(&mut *conn)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(|e| format!("counting {table}: {e}"))?;
    }
    let schema: i64 =
        sqlx::query("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(|e| e.to_string())?;
    let [reports, messages, photos, tenants] = figures;
    Ok(Contents {
        reports,
        messages,
        photos,
        tenants,
        schema,
    })
}

/// The copy is on disk, and so is its name in the folder, before we say it is done.
fn sync_file_and_folder(path: &Path) -> Result<(), String> {
    let sync = |p: &Path| std::fs::File::open(p).and_then(|f| f.sync_all());
    sync(path).map_err(|e| format!("syncing {}: {e}", path.display()))?;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    sync(folder).map_err(|e| format!("syncing {}: {e}", folder.display()))
}

fn size_of(path: &Path) -> String {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    format!("{:.1} MB ({bytes} bytes)", bytes as f64 / 1e6)
}

fn seconds(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_for_postgres_hides_the_password() {
        let advice = postgres_advice("postgres://civickit:geheim@db.example:5432/town");
        assert!(!advice.contains("geheim"), "{advice}");
        assert!(advice.contains("pg_dump --format=custom"), "{advice}");
        assert!(
            advice.contains("'postgres://civickit@db.example:5432/town'"),
            "{advice}"
        );
        assert!(advice.contains("pg_restore --exit-on-error --no-owner"));
    }

    #[test]
    fn shell_quoting_survives_quotes() {
        assert_eq!(shell_quote("a'b"), r"'a'\''b'");
    }
}
