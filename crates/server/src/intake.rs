//! Taking in a citizen's report, whichever door it comes through (widget API or Open311):
//! the same normalisation, the same validation as the widget, the same storage.

use crate::db::reports::CreatedReport;
use crate::db::tenants::Tenant;
use crate::db::{Db, DbError};
use civickit_model::{FieldError, Lang, NewReport, Status};

pub enum IntakeError {
    Invalid(Vec<FieldError>),
    Db(DbError),
}

impl From<DbError> for IntakeError {
    fn from(e: DbError) -> Self {
        IntakeError::Db(e)
    }
}

/// The first public note of every report, so the history never starts empty.
pub fn first_note(status: Status, lang: Lang) -> &'static str {
    match status {
        Status::PendingReview => lang.pick(
            "Vielen Dank! Ihre Meldung wird vor der Veröffentlichung geprüft.",
            "Thank you! Your report is reviewed before publication.",
        ),
        _ => lang.pick(
            "Vielen Dank! Ihre Meldung ist eingegangen.",
            "Thank you! Your report has been received.",
        ),
    }
}

/// Validates and stores a report. `base_url` is where links in the confirmation mail point;
/// `lang` is the language the citizen used, which the report keeps for its mails and pages
/// (Open311 clients get German unless they ask otherwise).
pub async fn submit_report(
    db: &Db,
    tenant: &Tenant,
    new: &NewReport,
    base_url: &str,
    lang: Lang,
) -> Result<CreatedReport, IntakeError> {
    let mut new = new.normalized();
    let categories = db.categories(tenant.id).await?;
    let codes: Vec<&str> = categories.iter().map(|c| c.code.as_str()).collect();
    let errors = new.validate(Some(&tenant.area), &codes);
    if !errors.is_empty() {
        return Err(IntakeError::Invalid(errors));
    }
    let category = categories
        .iter()
        .find(|c| c.code == new.category)
        .expect("validated category exists");
    // No address typed: the nearest one from the town's places (never a third party's).
    let address_auto = new.address.is_none();
    if let (true, Some(position)) = (address_auto, new.position) {
        new.address = crate::places::address_for(db, tenant.id, position).await;
    }
    let status = if tenant.premoderation {
        Status::PendingReview
    } else {
        Status::Received
    };
    let place = new.address.as_deref();
    let confirmation = |reference: &str, token: &str| {
        crate::mail::confirmation(tenant, base_url, reference, token, place, lang)
    };
    Ok(db
        .create_report(
            tenant,
            category,
            &new,
            address_auto && new.address.is_some(),
            lang,
            // Public: every visitor of the map reads it, so it is in the town's language,
            // like the officials' notes; the citizen's own mails and pages follow `lang`.
            first_note(status, Lang::De),
            &confirmation,
        )
        .await?)
}
