//! Reading a whole database as an auditor would, table by table and column by column, from
//! the database's own catalogue (`sqlite_master` and `pragma_table_info` on SQLite,
//! `information_schema.columns` on PostgreSQL), so a table added later is read too.

use civickit_server::db::{Backend, Db};
use sqlx::Row;
use std::collections::BTreeMap;

/// Every table with its columns that can hold text (binary image columns left out).
pub async fn text_columns(db: &Db) -> BTreeMap<String, Vec<String>> {
    let rows = match db.backend {
        Backend::Sqlite => {
            sqlx::query(
                "SELECT m.name AS t, p.name AS c, p.type AS d FROM sqlite_master m \
                 JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid",
            )
            .fetch_all(&db.pool)
            .await
        }
        Backend::Postgres => {
            sqlx::query(
                "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c, \
                 CAST(data_type AS TEXT) AS d FROM information_schema.columns \
                 WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
            )
            .fetch_all(&db.pool)
            .await
        }
    }
    .expect("the catalogue");
    let mut tables = BTreeMap::<String, Vec<String>>::new();
    for r in rows {
        let (table, column, kind): (String, String, String) = (r.get("t"), r.get("c"), r.get("d"));
        let entry = tables.entry(table).or_default();
        let kind = kind.to_lowercase();
        if kind != "blob" && kind != "bytea" {
            entry.push(column);
        }
    }
    assert!(
        tables.len() > 20,
        "the catalogue lists the tables: {tables:?}"
    );
    tables
}

/// Every row of a table, each cell as text (`∅` for NULL). SQLite cells are read as bytes
/// and decoded leniently: its own tables (`sqlite_stat4`) hold binary samples.
async fn rows(db: &Db, table: &str, columns: &[String]) -> Vec<Vec<String>> {
    let as_type = match db.backend {
        Backend::Sqlite => "BLOB",
        Backend::Postgres => "TEXT",
    };
    let cells: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("CAST(\"{c}\" AS {as_type}) AS c{i}"))
        .collect();
    let sql = format!("SELECT {} FROM \"{table}\"", cells.join(", "));
    sqlx::query(&sql)
        .fetch_all(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{table}: {e}"))
        .iter()
        .map(|r| {
            (0..columns.len())
                .map(|i| {
                    let text = match db.backend {
                        Backend::Sqlite => r
                            .get::<Option<Vec<u8>>, _>(i)
                            .map(|b| String::from_utf8_lossy(&b).into_owned()),
                        Backend::Postgres => r.get::<Option<String>, _>(i),
                    };
                    text.unwrap_or_else(|| "∅".into())
                })
                .collect()
        })
        .collect()
}

/// `table.column: value` of every cell that contains `needle`, in any case.
pub async fn grep(db: &Db, needle: &str) -> Vec<String> {
    let needle = needle.to_lowercase();
    let mut hits = Vec::new();
    for (table, columns) in text_columns(db).await {
        if columns.is_empty() {
            continue;
        }
        for row in rows(db, &table, &columns).await {
            for (column, cell) in columns.iter().zip(row) {
                if cell.to_lowercase().contains(&needle) {
                    hits.push(format!("{table}.{column}: {cell}"));
                }
            }
        }
    }
    hits
}

/// Every row of every table as text, sorted: equal dumps mean nothing was changed. SQLite's
/// statistics for the query planner (`sqlite_stat1`, `sqlite_stat4`) are left out: a start
/// of the binary may gather them afresh (`PRAGMA optimize` after migrating).
pub async fn dump(db: &Db) -> BTreeMap<String, Vec<String>> {
    let mut tables = BTreeMap::new();
    for (table, columns) in text_columns(db).await {
        if columns.is_empty() || table.starts_with("sqlite_stat") {
            continue;
        }
        let mut all: Vec<String> = rows(db, &table, &columns)
            .await
            .into_iter()
            .map(|row| row.join("|"))
            .collect();
        all.sort();
        tables.insert(table, all);
    }
    tables
}
