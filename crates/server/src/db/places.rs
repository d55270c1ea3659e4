//! A tenant's imported places. An import replaces the whole set in one transaction and bumps
//! the version, so a server notices with one small query that its index is stale, and a
//! failed import leaves the previous set untouched.

use super::{now, Db, DbError};
use civickit_model::places::{AddressPoint, PlaceSet, StreetLine};
use civickit_model::LatLng;
use sqlx::Row;

/// Rows per INSERT: 5 binds each stays far below both backends' bind limits.
const BATCH: usize = 500;

#[derive(Debug, Clone, PartialEq)]
pub struct PlaceImport {
    pub version: i64,
    pub imported_at: i64,
    pub source: String,
    pub addresses: i64,
    pub streets: i64,
}

impl Db {
    /// Replaces the tenant's places with `set` (`source` names the file, for `places show`).
    /// Returns what was there before.
    pub async fn replace_places(
        &self,
        tenant_id: i64,
        set: &PlaceSet,
        source: &str,
    ) -> Result<Option<PlaceImport>, DbError> {
        let before = self.place_import(tenant_id).await?;
        let mut tx = self.pool.begin().await?;
        for table in ["place_addresses", "place_streets", "place_imports"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE tenant_id = $1"))
                .bind(tenant_id)
                .execute(&mut *tx)
                .await?;
        }
        for chunk in set.addresses.chunks(BATCH) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let b = i * 5;
                    format!(
                        "(${}, ${}, ${}, ${}, ${})",
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        b + 5
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO place_addresses (tenant_id, street, housenumber, lat, lng) VALUES {}",
                rows.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for a in chunk {
                query = query
                    .bind(tenant_id)
                    .bind(&a.street)
                    .bind(&a.housenumber)
                    .bind(a.position.lat)
                    .bind(a.position.lng);
            }
            query.execute(&mut *tx).await?;
        }
        for street in &set.streets {
            let points: Vec<[f64; 2]> = street.points.iter().map(|p| [p.lat, p.lng]).collect();
            sqlx::query(
                "INSERT INTO place_streets (tenant_id, name, points_json) VALUES ($1, $2, $3)",
            )
            .bind(tenant_id)
            .bind(&street.name)
            .bind(serde_json::to_string(&points).expect("numbers serialise"))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO place_imports (tenant_id, version, imported_at, source, addresses, streets) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(tenant_id)
        .bind(before.as_ref().map_or(1, |b| b.version + 1))
        .bind(now())
        .bind(source)
        .bind(set.addresses.len() as i64)
        .bind(set.streets.len() as i64)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(before)
    }

    /// The tenant's current import, if any.
    pub async fn place_import(&self, tenant_id: i64) -> Result<Option<PlaceImport>, DbError> {
        let row = sqlx::query(
            "SELECT version, imported_at, source, addresses, streets FROM place_imports \
             WHERE tenant_id = $1",
        )
        .bind(tenant_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(PlaceImport {
                version: r.try_get("version")?,
                imported_at: r.try_get("imported_at")?,
                source: r.try_get("source")?,
                addresses: r.try_get("addresses")?,
                streets: r.try_get("streets")?,
            })
        })
        .transpose()
    }

    /// Everything the tenant imported, for building the lookup index.
    pub async fn places(&self, tenant_id: i64) -> Result<PlaceSet, DbError> {
        let addresses = sqlx::query(
            "SELECT street, housenumber, lat, lng FROM place_addresses WHERE tenant_id = $1",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| {
            Ok(AddressPoint {
                street: r.try_get("street")?,
                housenumber: r.try_get("housenumber")?,
                position: LatLng::new(r.try_get("lat")?, r.try_get("lng")?),
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
        let streets =
            sqlx::query("SELECT name, points_json FROM place_streets WHERE tenant_id = $1")
                .bind(tenant_id)
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(|r| {
                    let json: String = r.try_get("points_json")?;
                    let points: Vec<[f64; 2]> =
                        serde_json::from_str(&json).map_err(|e| DbError::Decode(Box::new(e)))?;
                    Ok(StreetLine {
                        name: r.try_get("name")?,
                        points: points
                            .into_iter()
                            .map(|[lat, lng]| LatLng::new(lat, lng))
                            .collect(),
                    })
                })
                .collect::<Result<Vec<_>, DbError>>()?;
        Ok(PlaceSet { addresses, streets })
    }
}
