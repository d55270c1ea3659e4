//! Photos of reports: stored re-encoded in the database, public only once released.

use super::audit::{self, Actor};
use super::reports::Report;
use super::{now, Db, DbError};
use crate::photos::Processed;
use crate::secrets::new_secret;
use sqlx::Row;

/// Citizens may attach this many photos to a report.
pub const MAX_CITIZEN_PHOTOS: i64 = 3;

#[derive(Debug, Clone)]
pub struct PhotoInfo {
    pub id: i64,
    pub public_id: String,
    /// `report` (from the citizen) or `after` (an official's photo of the fixed place).
    pub kind: String,
    /// `pending`, `released` or `hidden`.
    pub status: String,
    pub width: i64,
    pub height: i64,
}

impl Db {
    pub async fn photos_auto_release(&self, tenant_id: i64) -> Result<bool, DbError> {
        Ok(
            sqlx::query("SELECT photos_auto_release FROM tenants WHERE id = $1")
                .bind(tenant_id)
                .fetch_one(&self.pool)
                .await?
                .try_get::<i64, _>("photos_auto_release")?
                != 0,
        )
    }

    pub async fn set_photos_auto_release(&self, tenant_id: i64, on: bool) -> Result<(), DbError> {
        sqlx::query("UPDATE tenants SET photos_auto_release = $1 WHERE id = $2")
            .bind(super::flag(on))
            .bind(tenant_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Stores a processed photo. Citizen photos are counted against the limit inside the
    /// transaction, so parallel uploads cannot exceed it; `None` means the limit was reached.
    pub async fn add_photo(
        &self,
        tenant_id: i64,
        report: &Report,
        kind: &str,
        status: &str,
        p: &Processed,
        actor: &Actor,
    ) -> Result<Option<PhotoInfo>, DbError> {
        let (report_id, reference) = (report.id, report.reference.as_str());
        let public_id = new_secret();
        let mut tx = self.pool.begin().await?;
        // Takes the report's row lock (PostgreSQL) or the write lock (SQLite) first, so that
        // parallel uploads to one report are counted one after the other.
        sqlx::query("UPDATE reports SET updated_at = updated_at WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(report_id)
            .execute(&mut *tx)
            .await?;
        let id: i64 = sqlx::query(
            "INSERT INTO photos (tenant_id, report_id, public_id, kind, status, width, height, jpeg, thumb, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(tenant_id)
        .bind(report_id)
        .bind(&public_id)
        .bind(kind)
        .bind(status)
        .bind(i64::from(p.width))
        .bind(i64::from(p.height))
        .bind(p.jpeg.clone())
        .bind(p.thumb.clone())
        .bind(now())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        if kind == "report" {
            let n: i64 = sqlx::query(
                "SELECT COUNT(*) AS n FROM photos WHERE tenant_id = $1 AND report_id = $2 AND kind = 'report'",
            )
            .bind(tenant_id)
            .bind(report_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
            if n > MAX_CITIZEN_PHOTOS {
                return Ok(None);
            }
        }
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "photo.add",
            reference,
            None,
            Some(&serde_json::json!({"photo": id, "kind": kind, "status": status})),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(PhotoInfo {
            id,
            public_id,
            kind: kind.into(),
            status: status.into(),
            width: i64::from(p.width),
            height: i64::from(p.height),
        }))
    }

    /// The photos of some reports of a tenant, optionally only released ones, oldest first.
    pub async fn photos(
        &self,
        tenant_id: i64,
        report_id: i64,
        released_only: bool,
    ) -> Result<Vec<PhotoInfo>, DbError> {
        let sql = format!(
            "SELECT id, public_id, kind, status, width, height FROM photos \
             WHERE tenant_id = $1 AND report_id = $2{} ORDER BY id",
            if released_only {
                " AND status = 'released'"
            } else {
                ""
            }
        );
        let rows = sqlx::query(&sql)
            .bind(tenant_id)
            .bind(report_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(PhotoInfo {
                    id: r.try_get("id")?,
                    public_id: r.try_get("public_id")?,
                    kind: r.try_get("kind")?,
                    status: r.try_get("status")?,
                    width: r.try_get("width")?,
                    height: r.try_get("height")?,
                })
            })
            .collect()
    }

    /// The bytes of a released photo (or its thumbnail) by its public id.
    pub async fn released_photo(
        &self,
        public_id: &str,
        thumb: bool,
    ) -> Result<Option<Vec<u8>>, DbError> {
        let column = if thumb { "thumb" } else { "jpeg" };
        sqlx::query(&format!(
            "SELECT {column} AS bytes FROM photos p JOIN reports r ON r.id = p.report_id \
             WHERE p.public_id = $1 AND p.status = 'released' AND r.hidden = 0 AND r.status <> 'pending_review'"
        ))
        .bind(public_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| r.try_get("bytes"))
        .transpose()
    }

    /// Any photo of the tenant, for the office's review.
    pub async fn office_photo(
        &self,
        tenant_id: i64,
        id: i64,
        thumb: bool,
    ) -> Result<Option<(i64, Vec<u8>)>, DbError> {
        let column = if thumb { "thumb" } else { "jpeg" };
        let row = sqlx::query(&format!(
            "SELECT report_id, {column} AS bytes FROM photos WHERE tenant_id = $1 AND id = $2"
        ))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((r.try_get("report_id")?, r.try_get("bytes")?)))
            .transpose()
    }

    pub async fn set_photo_status(
        &self,
        tenant_id: i64,
        id: i64,
        status: &str,
        actor: &Actor,
        reference: &str,
    ) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query("UPDATE photos SET status = $1 WHERE tenant_id = $2 AND id = $3")
            .bind(status)
            .bind(tenant_id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "photo.status",
            reference,
            None,
            Some(&serde_json::json!({"photo": id, "status": status})),
        )
        .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Replaces a photo's pixels after rotation or redaction; the unredacted bytes are gone.
    pub async fn replace_photo(
        &self,
        tenant_id: i64,
        id: i64,
        p: &Processed,
        actor: &Actor,
        reference: &str,
        what: &serde_json::Value,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE photos SET jpeg = $1, thumb = $2, width = $3, height = $4 WHERE tenant_id = $5 AND id = $6")
            .bind(p.jpeg.clone())
            .bind(p.thumb.clone())
            .bind(i64::from(p.width))
            .bind(i64::from(p.height))
            .bind(tenant_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "photo.edit",
            reference,
            None,
            Some(what),
        )
        .await?;
        tx.commit().await
    }

    /// The first released photo of each report, for Open311's `media_url`.
    pub async fn released_photo_ids(
        &self,
        tenant_id: i64,
        report_ids: &[i64],
    ) -> Result<Vec<(i64, String)>, DbError> {
        if report_ids.is_empty() {
            return Ok(vec![]);
        }
        let list: Vec<String> = report_ids.iter().map(|id| id.to_string()).collect();
        // Ids are numbers from our own rows, not user input.
        let rows = sqlx::query(&format!(
            "SELECT report_id, public_id FROM photos WHERE tenant_id = $1 AND status = 'released' \
             AND report_id IN ({}) ORDER BY id",
            list.join(", ")
        ))
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("report_id")?, r.try_get("public_id")?)))
            .collect()
    }
}
