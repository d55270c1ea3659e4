//! The hidden commands behind `cargo xtask bench`: a throw-away PostgreSQL database, and a
//! tenant filled with synthetic reports. Not for production data.

use crate::db::reports::Spread;
use crate::db::Db;
use crate::demo;
use clap::ValueEnum;

#[derive(Clone, Copy, ValueEnum)]
pub enum DatabaseAction {
    /// Drop the database if it exists, then create it empty.
    Create,
    /// Drop the database.
    Drop,
}

/// Creates or drops the PostgreSQL database that `url` names, through the server's
/// `postgres` database. Only names with "bench" in them, so that a slip of the finger
/// cannot drop a town's data.
pub async fn database(url: &str, action: DatabaseAction) -> Result<(), String> {
    let (base, name) = url
        .strip_prefix("postgres://")
        .and_then(|_| url.rsplit_once('/'))
        .ok_or_else(|| format!("{url} is not a postgres://…/DATABASE URL"))?;
    let name = name.split('?').next().unwrap_or_default();
    if !name.contains("bench") || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "the benchmark's database name must be letters, digits and _ with \"bench\" in it, \
             not {name:?}"
        ));
    }
    let admin_url = format!("{base}/postgres");
    let admin = Db::connect(&admin_url)
        .await
        .map_err(|e| format!("connecting to {admin_url}: {e}"))?;
    let mut statements = vec![format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")];
    if let DatabaseAction::Create = action {
        statements.push(format!("CREATE DATABASE {name}"));
    }
    for sql in statements {
        sqlx::query(&sql)
            .execute(&admin.pool)
            .await
            .map_err(|e| format!("{sql}: {e}"))?;
    }
    admin.pool.close().await;
    Ok(())
}

/// Creates the benchmark's tenant (the demo town or the county) if needed and adds `reports`
/// synthetic reports: spread over the county's villages, or evenly over the town.
pub async fn seed(db: &Db, tenant: &str, reports: u64) -> Result<(), String> {
    let spread = match tenant {
        demo::SLUG => {
            demo::seed(db).await.map_err(|e| e.to_string())?;
            Spread::Town
        }
        demo::BENCH_COUNTY => {
            demo::seed_county(db).await.map_err(|e| e.to_string())?;
            Spread::County
        }
        _ => Spread::Town,
    };
    let t = db
        .tenant_by_slug(tenant)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no tenant {tenant:?}"))?;
    let started = std::time::Instant::now();
    db.bench_seed_spread(&t, reports, spread)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "seeded {reports} reports into {tenant} ({spread:?}) in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
