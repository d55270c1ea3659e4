//! "Meldung melden": citizens' flags on public reports and photos, the threshold that hides a
//! flagged item until an official decides, and the officials' decisions. Every step is audited
//! without the flagger: the audit names the item and the reason, never who flagged.

use super::audit::{self, Actor};
use super::photos::PhotoInfo;
use super::reports::Report;
use super::tenants::TenantNumber;
use super::{now, Db, DbError};
use sqlx::Row;

/// The default of a tenant's `flag_threshold`, and its bounds.
pub const DEFAULT_FLAG_THRESHOLD: i64 = 3;
pub const FLAG_THRESHOLD_RANGE: std::ops::RangeInclusive<i64> = 1..=50;

/// A photo taken out of the public photos by flags: not `released`, so every public path
/// (`released_photo`, the report's photos, Open311's media_url) drops it; "keep" releases it
/// again, "hide" makes it `hidden` as an official's hiding does.
pub const PHOTO_FLAGGED: &str = "flagged";

/// One open (undecided) flag, as the queue reads it.
#[derive(Debug, Clone)]
pub struct OpenFlag {
    pub report_id: i64,
    pub photo_id: Option<i64>,
    pub photo_public_id: Option<String>,
    pub photo_status: Option<String>,
    pub reason: String,
    pub text: String,
    pub at: i64,
}

/// What an official decided on an item's open flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagOutcome {
    Kept,
    Hidden,
    Redacted,
}

impl FlagOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            FlagOutcome::Kept => "kept",
            FlagOutcome::Hidden => "hidden",
            FlagOutcome::Redacted => "redacted",
        }
    }
}

impl Actor {
    /// The flags themselves, when their count reaches the tenant's threshold.
    pub fn flags() -> Actor {
        Actor {
            user_id: None,
            email: "flags".into(),
        }
    }
}

impl Db {
    pub async fn flag_threshold(&self, tenant_id: i64) -> Result<i64, DbError> {
        self.tenant_number(tenant_id, TenantNumber::FlagThreshold)
            .await
    }

    /// Sets the threshold (the caller checked [`FLAG_THRESHOLD_RANGE`]), audited.
    pub async fn set_flag_threshold(
        &self,
        tenant_id: i64,
        threshold: i64,
        actor: &Actor,
    ) -> Result<(), DbError> {
        self.set_tenant_number(tenant_id, TenantNumber::FlagThreshold, threshold, actor)
            .await
    }

    /// Counts a flag on a public report (or one of its released photos) once per flagger and
    /// open item; when the item's distinct open flaggers reach the tenant's threshold, hides
    /// it. The caller checked that the report is public and the photo released. Returns
    /// whether this call hid the item (for logs and tests, never for the flagger).
    pub async fn add_flag(
        &self,
        tenant_id: i64,
        report: &Report,
        photo: Option<&PhotoInfo>,
        reason: &str,
        text: &str,
        flagger: &str,
    ) -> Result<bool, DbError> {
        let photo_id = photo.map(|p| p.id);
        let mut tx = self.pool.begin().await?;
        // Takes the report's row lock (PostgreSQL) or the write lock (SQLite) first, so two
        // flags at once are counted one after the other and the threshold is crossed once.
        sqlx::query("UPDATE reports SET hidden = hidden WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(report.id)
            .execute(&mut *tx)
            .await?;
        let inserted = sqlx::query(
            "INSERT INTO flags (tenant_id, report_id, photo_id, reason, text, flagger, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(tenant_id)
        .bind(report.id)
        .bind(photo_id)
        .bind(reason)
        .bind(text)
        .bind(flagger)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !inserted {
            tx.commit().await?;
            return Ok(false);
        }
        let item = serde_json::json!({"photo": photo.map(|p| &p.public_id), "reason": reason});
        audit::record(
            &mut tx,
            tenant_id,
            &Actor::flags(),
            "flag.add",
            &report.reference,
            None,
            Some(&item),
        )
        .await?;
        let count: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM flags WHERE tenant_id = $1 AND report_id = $2 \
             AND COALESCE(photo_id, 0) = $3 AND decided_at IS NULL",
        )
        .bind(tenant_id)
        .bind(report.id)
        .bind(photo_id.unwrap_or(0))
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        let threshold: i64 = sqlx::query("SELECT flag_threshold FROM tenants WHERE id = $1")
            .bind(tenant_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("flag_threshold")?;
        let mut hid = false;
        if count >= threshold {
            hid = match photo {
                None => hide_report(&mut tx, tenant_id, report, count).await?,
                Some(p) => hide_photo(&mut tx, tenant_id, report, p, count).await?,
            };
        }
        tx.commit().await?;
        if hid && photo.is_none() {
            self.report_changed(tenant_id, report.id).await;
        }
        Ok(hid)
    }

    /// The open flags of a tenant, oldest first.
    pub async fn open_flags(&self, tenant_id: i64) -> Result<Vec<OpenFlag>, DbError> {
        let rows = sqlx::query(
            "SELECT f.report_id, f.photo_id, p.public_id, p.status AS photo_status, f.reason, \
             f.text, f.created_at FROM flags f LEFT JOIN photos p ON p.id = f.photo_id \
             AND p.tenant_id = f.tenant_id \
             WHERE f.tenant_id = $1 AND f.decided_at IS NULL ORDER BY f.created_at, f.id",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OpenFlag {
                    report_id: r.try_get("report_id")?,
                    photo_id: r.try_get("photo_id")?,
                    photo_public_id: r.try_get("public_id")?,
                    photo_status: r.try_get("photo_status")?,
                    reason: r.try_get("reason")?,
                    text: r.try_get("text")?,
                    at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// An official's decision on an item's open flags: closes them and shows or hides the
    /// item; a redaction's new description was applied by the caller before. Returns false
    /// when the item had no open flags (decided meanwhile by someone else).
    pub async fn decide_flags(
        &self,
        tenant_id: i64,
        report: &Report,
        photo: Option<&PhotoInfo>,
        outcome: FlagOutcome,
        actor: &Actor,
    ) -> Result<bool, DbError> {
        let photo_id = photo.map(|p| p.id);
        let mut tx = self.pool.begin().await?;
        let closed = sqlx::query(
            "UPDATE flags SET decided_at = $1, decision = $2 WHERE tenant_id = $3 \
             AND report_id = $4 AND COALESCE(photo_id, 0) = $5 AND decided_at IS NULL",
        )
        .bind(now())
        .bind(outcome.as_str())
        .bind(tenant_id)
        .bind(report.id)
        .bind(photo_id.unwrap_or(0))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if closed == 0 {
            return Ok(false);
        }
        let show = outcome != FlagOutcome::Hidden;
        match photo {
            None => {
                sqlx::query("UPDATE reports SET hidden = $1 WHERE tenant_id = $2 AND id = $3")
                    .bind(super::flag(!show))
                    .bind(tenant_id)
                    .bind(report.id)
                    .execute(&mut *tx)
                    .await?;
            }
            Some(p) => {
                // Only a photo the flags took out returns; one an official hid otherwise stays.
                let status = if show { "released" } else { "hidden" };
                sqlx::query(
                    "UPDATE photos SET status = $1 WHERE tenant_id = $2 AND id = $3 \
                     AND status IN ('released', $4)",
                )
                .bind(status)
                .bind(tenant_id)
                .bind(p.id)
                .bind(PHOTO_FLAGGED)
                .execute(&mut *tx)
                .await?;
            }
        }
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "flag.decide",
            &report.reference,
            Some(&serde_json::json!({"photo": photo.map(|p| &p.public_id),
                "hidden": photo.map_or(report.hidden, |p| p.status != "released"), "flags": closed})),
            Some(&serde_json::json!({"photo": photo.map(|p| &p.public_id),
                "decision": outcome.as_str(), "hidden": !show})),
        )
        .await?;
        tx.commit().await?;
        self.report_changed(tenant_id, report.id).await;
        Ok(true)
    }
}

async fn hide_report(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tenant_id: i64,
    report: &Report,
    flags: i64,
) -> Result<bool, DbError> {
    let changed = sqlx::query(
        "UPDATE reports SET hidden = 1 WHERE tenant_id = $1 AND id = $2 AND hidden = 0",
    )
    .bind(tenant_id)
    .bind(report.id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 1 {
        audit::record(
            tx,
            tenant_id,
            &Actor::flags(),
            "report.hide",
            &report.reference,
            Some(&serde_json::json!({"hidden": false})),
            Some(&serde_json::json!({"hidden": true, "flags": flags})),
        )
        .await?;
    }
    Ok(changed == 1)
}

async fn hide_photo(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tenant_id: i64,
    report: &Report,
    photo: &PhotoInfo,
    flags: i64,
) -> Result<bool, DbError> {
    let changed = sqlx::query(
        "UPDATE photos SET status = $1 WHERE tenant_id = $2 AND id = $3 AND status = 'released'",
    )
    .bind(PHOTO_FLAGGED)
    .bind(tenant_id)
    .bind(photo.id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 1 {
        audit::record(
            tx,
            tenant_id,
            &Actor::flags(),
            "photo.status",
            &report.reference,
            Some(&serde_json::json!({"photo": photo.id, "status": "released"})),
            Some(&serde_json::json!({"photo": photo.id, "status": PHOTO_FLAGGED, "flags": flags})),
        )
        .await?;
    }
    Ok(changed == 1)
}
