//! Defect reports: creation with a public reference and a secret tracking token, and the
//! lookups by reference and by the tokens in links. The queries behind the map, the lists and
//! Open311 are in `listing.rs`; everything that changes a report afterwards (supporters, the
//! state machine, the office's edits) is in `changes.rs`.

mod bench_seed;
mod changes;
mod listing;
mod map;
mod markers;

pub use bench_seed::Spread;
pub(crate) use map::CHANGES_CHANNEL;
pub use markers::Marker;

use super::outbox;
use super::tenants::{Category, Tenant};
use super::{now, Db, DbError};
use crate::secrets::{hash_secret, new_secret};
use civickit_model::{BBox, CloseReason, Lang, LatLng, NewReport, ReferenceKind, Status};
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Report {
    pub id: i64,
    pub reference: String,
    pub category_code: String,
    pub category_name: String,
    pub department_name: Option<String>,
    pub status: Status,
    pub close_reason: Option<CloseReason>,
    pub position: Option<LatLng>,
    pub address: Option<String>,
    pub description: String,
    /// Never leaves the server in a public answer.
    pub email: Option<String>,
    pub supporters: i64,
    pub hidden: bool,
    /// The newest public status note, the Open311 `status_notes`.
    pub public_note: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub category_id: i64,
    pub department_id: Option<i64>,
    /// The citizen's text before an official removed personal data from the public one.
    pub original_description: Option<String>,
    /// When an official first reacted (state change or note); none yet means it may be overdue.
    pub first_reaction_at: Option<i64>,
    /// `unconfirmed`, `confirmed` or `unsubscribed` when an e-mail address was given.
    pub email_state: Option<String>,
    pub email_token: Option<String>,
    pub duplicate_of: Option<String>,
    /// The language the citizen made the report in: their mails and pages follow it.
    pub lang: Lang,
}

impl Report {
    /// Whether the public may see it at all.
    pub fn is_public(&self) -> bool {
        self.status.is_public() && !self.hidden
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub report_id: i64,
    pub at: i64,
    pub status: Status,
    pub text: String,
    pub public: bool,
}

/// A mail to queue along with a change.
#[derive(Debug, Clone)]
pub struct MailDraft {
    pub subject: String,
    pub body: String,
}

/// Writes the double-opt-in mail for a new report: (reference, e-mail token) → mail.
pub type ConfirmationMail<'a> = dyn Fn(&str, &str) -> MailDraft + Send + Sync + 'a;
/// Writes the status mail for a report after a public change (None: send nothing).
pub type StatusMail<'a> = dyn Fn(&Report) -> Option<MailDraft> + Send + Sync + 'a;

/// What an official changes about a report's state.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub next: Status,
    pub reason: Option<CloseReason>,
    pub public_note: String,
    pub internal_note: Option<String>,
    /// For a duplicate: the reference of the original report.
    pub duplicate_of: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CreatedReport {
    pub report: Report,
    /// The secret for the reporter's tracking link. Only its hash is stored.
    pub tracking_token: String,
}

/// What to list. Public listings always exclude hidden and pre-moderated reports.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub bbox: Option<BBox>,
    /// `Some(false)`: only reports without a position (a place described in words), which no
    /// map box ever holds; `Some(true)`: only reports with one.
    pub located: Option<bool>,
    pub statuses: Vec<Status>,
    pub category_codes: Vec<String>,
    pub references: Vec<String>,
    pub created_from: Option<i64>,
    pub created_to: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OfficeSort {
    #[default]
    Newest,
    Oldest,
    Updated,
}

#[derive(Debug, Clone, Default)]
pub struct OfficeFilter {
    pub statuses: Vec<Status>,
    pub category_codes: Vec<String>,
    pub department_id: Option<i64>,
    /// Only reports without a first reaction created before this time.
    pub overdue_before: Option<i64>,
    /// A reference, or words from the description or place.
    pub search: Option<String>,
    /// Only reports with a position inside this box (the office map's viewport).
    pub bbox: Option<BBox>,
    pub sort: OfficeSort,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum StatusChangeError {
    #[error("the original report of the duplicate does not exist")]
    NoSuchOriginal,
    #[error("no such report")]
    NotFound,
    #[error("the report is already in this state or cannot go there")]
    NotAllowed,
    #[error("closing a report needs a reason")]
    ReasonRequired,
    #[error(transparent)]
    Db(#[from] DbError),
}

const REPORT_SELECT: &str =
    "SELECT r.id, r.ref, r.status, r.close_reason, r.lat, r.lng, r.address, \
     r.description, r.email, r.supporters, r.hidden, r.public_note, r.created_at, r.updated_at, \
     r.category_id, r.department_id, r.original_description, r.first_reaction_at, r.email_state, \
     r.email_token, r.lang, o.ref AS duplicate_of_ref, \
     c.code AS category_code, c.name AS category_name, d.name AS department_name \
     FROM reports r JOIN categories c ON c.id = r.category_id \
     LEFT JOIN departments d ON d.id = r.department_id \
     LEFT JOIN reports o ON o.id = r.duplicate_of AND o.tenant_id = r.tenant_id";

fn report_from_row(row: &AnyRow) -> Result<Report, DbError> {
    let status: String = row.try_get("status")?;
    let close_reason: Option<String> = row.try_get("close_reason")?;
    let lat: Option<f64> = row.try_get("lat")?;
    let lng: Option<f64> = row.try_get("lng")?;
    Ok(Report {
        id: row.try_get("id")?,
        reference: row.try_get("ref")?,
        category_code: row.try_get("category_code")?,
        category_name: row.try_get("category_name")?,
        department_name: row.try_get("department_name")?,
        status: Status::parse(&status)
            .ok_or_else(|| DbError::Decode(format!("unknown status {status:?}").into()))?,
        close_reason: close_reason.as_deref().and_then(CloseReason::parse),
        position: lat.zip(lng).map(|(lat, lng)| LatLng::new(lat, lng)),
        address: row.try_get("address")?,
        description: row.try_get("description")?,
        email: row.try_get("email")?,
        supporters: row.try_get("supporters")?,
        hidden: row.try_get::<i64, _>("hidden")? != 0,
        public_note: row.try_get("public_note")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        category_id: row.try_get("category_id")?,
        department_id: row.try_get("department_id")?,
        original_description: row.try_get("original_description")?,
        first_reaction_at: row.try_get("first_reaction_at")?,
        email_state: row.try_get("email_state")?,
        email_token: row.try_get("email_token")?,
        duplicate_of: row.try_get("duplicate_of_ref")?,
        lang: Lang::from_tag(&row.try_get::<String, _>("lang")?),
    })
}

impl Db {
    /// Stores a validated, normalised report in one transaction: reference number, report and
    /// its first public note either all exist afterwards or none does. `lang` is the language
    /// the citizen used, for every later mail and page about the report.
    // Each argument is a different input of the one caller (intake); a struct for them would
    // only be built there to be taken apart here.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_report(
        &self,
        tenant: &Tenant,
        category: &Category,
        new: &NewReport,
        // The address was looked up by the server, not typed by the citizen.
        address_auto: bool,
        lang: Lang,
        first_note: &str,
        confirmation: &ConfirmationMail<'_>,
    ) -> Result<CreatedReport, DbError> {
        let at = now();
        let status = if tenant.premoderation {
            Status::PendingReview
        } else {
            Status::Received
        };
        let token = new_secret();
        let email_token = new.email.as_ref().map(|_| new_secret());
        let mut tx = self.pool.begin().await?;
        let reference =
            super::next_reference(&mut tx, tenant.id, ReferenceKind::Report, at).await?;
        let id: i64 = sqlx::query(
            "INSERT INTO reports (tenant_id, ref, category_id, department_id, status, lat, lng, address, \
             description, email, tracking_hash, public_note, created_at, updated_at, email_state, email_token, lang, address_auto) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17) RETURNING id",
        )
        .bind(tenant.id)
        .bind(&reference)
        .bind(category.id)
        .bind(category.department_id)
        .bind(status.as_str())
        .bind(new.position.map(|p| p.lat))
        .bind(new.position.map(|p| p.lng))
        .bind(new.address.as_deref())
        .bind(&new.description)
        .bind(new.email.as_deref())
        .bind(hash_secret(&token))
        .bind(first_note)
        .bind(at)
        .bind(email_token.as_ref().map(|_| "unconfirmed"))
        .bind(email_token.as_deref())
        .bind(lang.code())
        .bind(i64::from(address_auto))
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        changes::insert_note(&mut tx, tenant.id, id, status, first_note, true, at).await?;
        if let (Some(email), Some(email_token)) = (&new.email, &email_token) {
            let draft = confirmation(&reference, email_token);
            outbox::enqueue(&mut tx, tenant.id, email, &draft.subject, &draft.body).await?;
        }
        tx.commit().await?;
        self.report_changed(tenant.id, id).await;
        let report = self
            .report_by_id(tenant.id, id)
            .await?
            .expect("the report just inserted");
        Ok(CreatedReport {
            report,
            tracking_token: token,
        })
    }

    /// A report of the tenant by its row id (ids come from our own rows, e.g. a photo's).
    pub async fn report_by_internal_id(
        &self,
        tenant_id: i64,
        id: i64,
    ) -> Result<Option<Report>, DbError> {
        self.report_by_id(tenant_id, id).await
    }

    async fn report_by_id(&self, tenant_id: i64, id: i64) -> Result<Option<Report>, DbError> {
        let row = sqlx::query(&format!(
            "{REPORT_SELECT} WHERE r.tenant_id = $1 AND r.id = $2"
        ))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(report_from_row).transpose()
    }

    /// Any report of the tenant by its public reference, public or not: callers decide.
    pub async fn report_by_ref(
        &self,
        tenant_id: i64,
        reference: &str,
    ) -> Result<Option<Report>, DbError> {
        let row = sqlx::query(&format!(
            "{REPORT_SELECT} WHERE r.tenant_id = $1 AND r.ref = $2"
        ))
        .bind(tenant_id)
        .bind(reference)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(report_from_row).transpose()
    }

    /// The report behind a reporter's secret tracking link, with its tenant id.
    pub async fn report_by_tracking_token(
        &self,
        token: &str,
    ) -> Result<Option<(i64, Report)>, DbError> {
        let row = sqlx::query(&format!("{REPORT_SELECT} WHERE r.tracking_hash = $1"))
            .bind(hash_secret(token))
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let report = report_from_row(&row)?;
        let tenant_id: i64 = sqlx::query("SELECT tenant_id FROM reports WHERE id = $1")
            .bind(report.id)
            .fetch_one(&self.pool)
            .await?
            .try_get("tenant_id")?;
        Ok(Some((tenant_id, report)))
    }

    /// The report behind the token of the links in citizen mail, with its tenant id.
    pub async fn report_by_email_token(
        &self,
        token: &str,
    ) -> Result<Option<(i64, Report)>, DbError> {
        let row = sqlx::query(&format!(
            "{REPORT_SELECT} WHERE r.email_token = $1 AND r.email_token IS NOT NULL"
        ))
        .bind(token)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let report = report_from_row(&row)?;
        let tenant_id: i64 = sqlx::query("SELECT tenant_id FROM reports WHERE id = $1")
            .bind(report.id)
            .fetch_one(&self.pool)
            .await?
            .try_get("tenant_id")?;
        Ok(Some((tenant_id, report)))
    }

    /// Moves the e-mail state from `from` to `to`; false if it was not in `from`.
    pub async fn set_email_state(
        &self,
        token: &str,
        from: &str,
        to: &str,
    ) -> Result<bool, DbError> {
        Ok(sqlx::query(
            "UPDATE reports SET email_state = $1 WHERE email_token = $2 AND email_state = $3",
        )
        .bind(to)
        .bind(token)
        .bind(from)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }
}
