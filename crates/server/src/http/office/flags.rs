//! The moderation queue: reports and photos citizens flagged ("Meldung melden"), with the
//! officials' decisions (keep, hide, redact). Admins see every item of their tenant, editors
//! those of reports their department works (as the report list is scoped).

use super::guards::Official;
use super::reports::workable;
use crate::db::flags::{FlagOutcome, OpenFlag};
use crate::db::photos::PhotoInfo;
use crate::http::{check_text, rfc3339, ApiError, ApiJson, AppState, State};
use axum::routing::{get, post};
use axum::Router;
use civickit_model::api::office::{FlagCount, FlagDecision, FlagNote, FlagQueue, FlaggedItem};
use civickit_model::api::widget::FlagReason;
use civickit_model::validate::DESCRIPTION_MAX_CHARS;
use civickit_model::{FieldError, Lang, ValidationCode};
use std::collections::HashMap;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office/api/flags", get(queue))
        .route("/office/api/flags/decide", post(decide))
}

async fn queue(state: State, official: Official) -> Result<ApiJson<FlagQueue>, ApiError> {
    Ok(ApiJson(flag_queue(&state, &official).await?))
}

/// The open flags grouped by item (report text or one photo), oldest first flag first.
async fn flag_queue(state: &AppState, official: &Official) -> Result<FlagQueue, ApiError> {
    let tenant_id = official.tenant_id();
    let mut order: Vec<(i64, Option<i64>)> = Vec::new();
    let mut groups: HashMap<(i64, Option<i64>), Vec<OpenFlag>> = HashMap::new();
    for f in state.db.open_flags(tenant_id).await? {
        let key = (f.report_id, f.photo_id);
        if !groups.contains_key(&key) {
            order.push(key);
        }
        groups.entry(key).or_default().push(f);
    }
    let mut items = Vec::new();
    for key in order {
        let flags = &groups[&key];
        let Some(report) = state.db.report_by_internal_id(tenant_id, key.0).await? else {
            continue;
        };
        if !official.may_work(&report) {
            continue;
        }
        let first = &flags[0];
        let reasons = FlagReason::ALL
            .into_iter()
            .filter_map(|reason| {
                let count = flags.iter().filter(|f| f.reason == reason.as_str()).count() as i64;
                (count > 0).then_some(FlagCount { reason, count })
            })
            .collect();
        let notes = flags
            .iter()
            .filter(|f| !f.text.is_empty())
            .filter_map(|f| {
                Some(FlagNote {
                    at: rfc3339(f.at),
                    reason: FlagReason::parse(&f.reason)?,
                    text: f.text.clone(),
                })
            })
            .collect();
        let hidden = match &first.photo_status {
            Some(status) => status != "released",
            None => report.hidden,
        };
        items.push(FlaggedItem {
            reference: report.reference.clone(),
            photo: first.photo_public_id.clone(),
            thumb_url: first
                .photo_id
                .map(|id| format!("/office/api/photos/{id}/thumb")),
            status: report.status,
            category_name: report.category_name.clone(),
            description: report.description.clone(),
            hidden,
            flags: flags.len() as i64,
            reasons,
            notes,
            first_flagged: rfc3339(first.at),
            last_flagged: rfc3339(flags.last().map_or(first.at, |f| f.at)),
        });
    }
    Ok(FlagQueue { items })
}

fn field_error(field: &str, code: ValidationCode) -> ApiError {
    ApiError::Validation(vec![FieldError::new(field, code)], Lang::De)
}

async fn decide(
    state: State,
    official: Official,
    ApiJson(body): ApiJson<FlagDecision>,
) -> Result<ApiJson<FlagQueue>, ApiError> {
    let outcome = match body.decision.as_str() {
        "keep" => FlagOutcome::Kept,
        "hide" => FlagOutcome::Hidden,
        "redact" => FlagOutcome::Redacted,
        _ => return Err(field_error("decision", ValidationCode::InvalidValue)),
    };
    let tenant_id = official.tenant_id();
    let report = workable(&state, &official, &body.reference).await?;
    let photo: Option<PhotoInfo> = match body.photo.as_deref() {
        None => None,
        Some(public_id) => Some(
            state
                .db
                .photos(tenant_id, report.id, false)
                .await?
                .into_iter()
                .find(|p| p.public_id == public_id)
                .ok_or(ApiError::NotFound)?,
        ),
    };
    if outcome == FlagOutcome::Redacted {
        if photo.is_some() {
            // Blacking out parts of a picture needs the photo page's drawing tools.
            return Err(ApiError::Unprocessable(
                "Ein Foto wird auf der Seite der Meldung geschwärzt (Foto bearbeiten); danach hier „Behalten“ wählen.".into(),
            ));
        }
        let text = check_text(
            "description",
            body.description.as_deref().unwrap_or(""),
            DESCRIPTION_MAX_CHARS,
            true,
        )
        .map_err(|e| ApiError::Validation(vec![e], Lang::De))?;
        if !has_open_flags(&state, tenant_id, report.id, None).await? {
            return Err(already_decided());
        }
        state
            .db
            .set_public_description(tenant_id, &report, &text, &official.actor())
            .await?;
    }
    let decided = state
        .db
        .decide_flags(
            tenant_id,
            &report,
            photo.as_ref(),
            outcome,
            &official.actor(),
        )
        .await?;
    if !decided {
        return Err(already_decided());
    }
    Ok(ApiJson(flag_queue(&state, &official).await?))
}

fn already_decided() -> ApiError {
    ApiError::Conflict(
        "Zu diesem Eintrag gibt es keine offenen Hinweise mehr (bereits entschieden?).".into(),
    )
}

async fn has_open_flags(
    state: &AppState,
    tenant_id: i64,
    report_id: i64,
    photo_id: Option<i64>,
) -> Result<bool, ApiError> {
    Ok(state
        .db
        .open_flags(tenant_id)
        .await?
        .iter()
        .any(|f| f.report_id == report_id && f.photo_id == photo_id))
}
