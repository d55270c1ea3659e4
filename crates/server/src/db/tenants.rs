//! Tenants (one per town: slug = Open311 jurisdiction_id), their departments and categories.

use super::audit::{self, Actor};
use super::{flag, now, Db, DbError};
use civickit_model::{Area, LatLng};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub center: LatLng,
    pub zoom: i64,
    pub area: Area,
    pub tile_url: String,
    pub tile_attribution: String,
    pub privacy_url: String,
    /// The town's imprint (Impressum); empty when not set.
    pub imprint_url: String,
    /// Nominatim or Photon, asked by the server while no places are imported; empty: off.
    pub geocoder_url: String,
    /// `*` or a space-separated list of origins allowed to embed the widgets (CORS).
    pub allowed_origins: String,
    pub premoderation: bool,
    pub response_days: i64,
    /// The base difficulty of its proof-of-work challenges (`maxnumber`), see `crate::pow`.
    pub pow_max_number: i64,
}

impl Tenant {
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_origins
            .split_whitespace()
            .any(|o| o == "*" || o.eq_ignore_ascii_case(origin))
    }
}

#[derive(Debug, Clone)]
pub struct NewTenant {
    pub slug: String,
    pub name: String,
    pub center: LatLng,
    pub zoom: i64,
    pub area: Area,
    pub tile_url: String,
    pub tile_attribution: String,
    pub privacy_url: String,
    pub imprint_url: String,
    pub allowed_origins: String,
    pub premoderation: bool,
    pub response_days: i64,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub group: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
}

/// A slug is what goes into URLs and Open311's jurisdiction_id: short, lowercase, no surprises.
/// `county` is taken by the county view of the statistics (`/api/v1/county/stats`).
pub fn is_valid_slug(slug: &str) -> bool {
    (2..=40).contains(&slug.len())
        && slug != "county"
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

const TENANT_COLUMNS: &str = "id, slug, name, center_lat, center_lng, zoom, area_json, tile_url, \
     tile_attribution, privacy_url, imprint_url, allowed_origins, premoderation, response_days, geocoder_url, pow_max_number";

fn tenant_from_row(row: &sqlx::any::AnyRow) -> Result<Tenant, DbError> {
    let area_json: String = row.try_get("area_json")?;
    let area: Area = serde_json::from_str(&area_json).map_err(|e| DbError::Decode(Box::new(e)))?;
    Ok(Tenant {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        center: LatLng::new(row.try_get("center_lat")?, row.try_get("center_lng")?),
        zoom: row.try_get("zoom")?,
        area,
        tile_url: row.try_get("tile_url")?,
        tile_attribution: row.try_get("tile_attribution")?,
        privacy_url: row.try_get("privacy_url")?,
        imprint_url: row.try_get("imprint_url")?,
        geocoder_url: row.try_get("geocoder_url")?,
        allowed_origins: row.try_get("allowed_origins")?,
        premoderation: row.try_get::<i64, _>("premoderation")? != 0,
        response_days: row.try_get("response_days")?,
        pow_max_number: row.try_get("pow_max_number")?,
    })
}

impl Db {
    pub async fn create_tenant(&self, t: &NewTenant) -> Result<Tenant, DbError> {
        let area_json = serde_json::to_string(&t.area).expect("an area serialises");
        let id: i64 = sqlx::query(
            "INSERT INTO tenants (slug, name, center_lat, center_lng, zoom, area_json, tile_url, \
             tile_attribution, privacy_url, imprint_url, allowed_origins, premoderation, response_days, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(&t.slug)
        .bind(&t.name)
        .bind(t.center.lat)
        .bind(t.center.lng)
        .bind(t.zoom)
        .bind(area_json)
        .bind(&t.tile_url)
        .bind(&t.tile_attribution)
        .bind(&t.privacy_url)
        .bind(&t.imprint_url)
        .bind(&t.allowed_origins)
        .bind(flag(t.premoderation))
        .bind(t.response_days)
        .bind(now())
        .fetch_one(&self.pool)
        .await?
        .try_get("id")?;
        Ok(self
            .tenant_by_id(id)
            .await?
            .expect("the tenant just inserted"))
    }

    pub async fn tenant_by_slug(&self, slug: &str) -> Result<Option<Tenant>, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {TENANT_COLUMNS} FROM tenants WHERE slug = $1"
        ))
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(tenant_from_row).transpose()
    }

    pub async fn tenant_by_id(&self, id: i64) -> Result<Option<Tenant>, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {TENANT_COLUMNS} FROM tenants WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(tenant_from_row).transpose()
    }

    pub async fn tenants(&self) -> Result<Vec<Tenant>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {TENANT_COLUMNS} FROM tenants ORDER BY slug"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(tenant_from_row).collect()
    }

    /// The towns the operator opted into the county view of the statistics, by name.
    pub async fn county_tenants(&self) -> Result<Vec<Tenant>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {TENANT_COLUMNS} FROM tenants WHERE county_stats = 1 ORDER BY name, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(tenant_from_row).collect()
    }

    /// A cached map tile: (content type, bytes, fetched at).
    pub async fn cached_tile(&self, key: &str) -> Result<Option<(String, Vec<u8>, i64)>, DbError> {
        sqlx::query("SELECT content_type, bytes, fetched_at FROM tile_cache WHERE tile_key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| {
                Ok((
                    r.try_get("content_type")?,
                    r.try_get("bytes")?,
                    r.try_get("fetched_at")?,
                ))
            })
            .transpose()
    }

    pub async fn store_tile(
        &self,
        key: &str,
        content_type: &str,
        bytes: &[u8],
        at: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO tile_cache (tile_key, content_type, bytes, fetched_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (tile_key) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes, \
             fetched_at = excluded.fetched_at",
        )
        .bind(key)
        .bind(content_type)
        .bind(bytes.to_vec())
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Changes the office settings of a tenant and audits the change.
    pub async fn update_tenant_settings(
        &self,
        tenant_id: i64,
        premoderation: Option<bool>,
        response_days: Option<i64>,
        actor: &super::audit::Actor,
    ) -> Result<(), DbError> {
        let before = self
            .tenant_by_id(tenant_id)
            .await?
            .ok_or(DbError::RowNotFound)?;
        let premoderation = premoderation.unwrap_or(before.premoderation);
        let response_days = response_days.unwrap_or(before.response_days);
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE tenants SET premoderation = $1, response_days = $2 WHERE id = $3")
            .bind(flag(premoderation))
            .bind(response_days)
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        super::audit::record(
            &mut tx,
            tenant_id,
            actor,
            "tenant.settings",
            &before.slug,
            Some(&serde_json::json!({"premoderation": before.premoderation, "response_days": before.response_days})),
            Some(&serde_json::json!({"premoderation": premoderation, "response_days": response_days})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_premoderation(&self, tenant_id: i64, on: bool) -> Result<(), DbError> {
        sqlx::query("UPDATE tenants SET premoderation = $1 WHERE id = $2")
            .bind(flag(on))
            .bind(tenant_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn add_department(
        &self,
        tenant_id: i64,
        name: &str,
        email: Option<&str>,
    ) -> Result<i64, DbError> {
        sqlx::query(
            "INSERT INTO departments (tenant_id, name, email) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(tenant_id)
        .bind(name)
        .bind(email)
        .fetch_one(&self.pool)
        .await?
        .try_get("id")
    }

    pub async fn department_by_name(
        &self,
        tenant_id: i64,
        name: &str,
    ) -> Result<Option<i64>, DbError> {
        sqlx::query("SELECT id FROM departments WHERE tenant_id = $1 AND name = $2")
            .bind(tenant_id)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get("id"))
            .transpose()
    }

    /// (id, name, e-mail) of every department of the tenant.
    pub async fn departments(
        &self,
        tenant_id: i64,
    ) -> Result<Vec<(i64, String, Option<String>)>, DbError> {
        let rows = sqlx::query(
            "SELECT id, name, email FROM departments WHERE tenant_id = $1 ORDER BY name",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("name")?, r.try_get("email")?)))
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn add_category(
        &self,
        tenant_id: i64,
        code: &str,
        name: &str,
        description: &str,
        group: &str,
        department_id: Option<i64>,
        position: i64,
    ) -> Result<i64, DbError> {
        sqlx::query(
            "INSERT INTO categories (tenant_id, code, name, description, grp, department_id, position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(tenant_id)
        .bind(code)
        .bind(name)
        .bind(description)
        .bind(group)
        .bind(department_id)
        .bind(position)
        .fetch_one(&self.pool)
        .await?
        .try_get("id")
    }

    /// The active categories of a tenant, in the order the town chose.
    pub async fn categories(&self, tenant_id: i64) -> Result<Vec<Category>, DbError> {
        let rows = sqlx::query(
            "SELECT c.id, c.code, c.name, c.description, c.grp, c.department_id, d.name AS department_name \
             FROM categories c LEFT JOIN departments d ON d.id = c.department_id AND d.tenant_id = c.tenant_id \
             WHERE c.tenant_id = $1 AND c.active = 1 ORDER BY c.position, c.name",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Category {
                    id: r.try_get("id")?,
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    description: r.try_get("description")?,
                    group: r.try_get("grp")?,
                    department_id: r.try_get("department_id")?,
                    department_name: r.try_get("department_name")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_valid_slug("musterstadt"));
        assert!(is_valid_slug("landkreis-muster-2"));
        for bad in [
            "",
            "a",
            "Muster",
            "muster stadt",
            "-x",
            "x-",
            "müster",
            "a/b",
            "county",
        ] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}

/// A town's whole-number settings that stand on their own, outside its profile. The column
/// comes from this list, never from input, so it may be written into the SQL.
#[derive(Debug, Clone, Copy)]
pub enum TenantNumber {
    FlagThreshold,
    PollResultStep,
    PowMaxNumber,
    /// 1: listed in the county view of the statistics (`GET /api/v1/county/stats`).
    CountyStats,
}

impl TenantNumber {
    fn column(self) -> &'static str {
        match self {
            TenantNumber::FlagThreshold => "flag_threshold",
            TenantNumber::PollResultStep => "poll_result_step",
            TenantNumber::PowMaxNumber => "pow_max_number",
            TenantNumber::CountyStats => "county_stats",
        }
    }
}

impl Db {
    pub async fn tenant_number(&self, tenant_id: i64, n: TenantNumber) -> Result<i64, DbError> {
        let column = n.column();
        sqlx::query(&format!("SELECT {column} FROM tenants WHERE id = $1"))
            .bind(tenant_id)
            .fetch_one(&self.pool)
            .await?
            .try_get(column)
    }

    /// Sets it (the caller checked its range), audited as `tenant.<column>` with before and
    /// after in the same transaction.
    pub async fn set_tenant_number(
        &self,
        tenant_id: i64,
        n: TenantNumber,
        value: i64,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let column = n.column();
        let before = self.tenant_number(tenant_id, n).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!("UPDATE tenants SET {column} = $1 WHERE id = $2"))
            .bind(value)
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            &format!("tenant.{column}"),
            column,
            Some(&serde_json::json!({ column: before })),
            Some(&serde_json::json!({ column: value })),
        )
        .await?;
        tx.commit().await
    }
}
