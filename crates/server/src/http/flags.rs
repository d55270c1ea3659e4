//! "Meldung melden": `POST /api/v1/{tenant}/reports/{ref}/flags`. A citizen flags a public
//! report, or one of its released photos, as personal data, offensive, spam or other. The
//! answer is always the same 201 `{"received": true}`: the flagger learns nothing about other
//! flags or whether the item is now hidden (db/flags.rs counts and hides).

use super::citizen::{CitizenForm, Flood};
use super::{ApiError, ApiJson, AppState, ClientAddr, State};
use crate::db::reports::Report;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use civickit_model::api::widget::{FlagReason, FlagReceived, FlagRequest, FLAG_TEXT_MAX_CHARS};
use civickit_model::validate::clean_text;
use civickit_model::{FieldError, ValidationCode};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/{tenant}/reports/{reference}/flags", post(flag))
}

async fn flag(
    state: State,
    Path((_, reference)): Path<(String, String)>,
    form: CitizenForm<FlagRequest>,
) -> Result<(StatusCode, ApiJson<FlagReceived>), ApiError> {
    let tenant = &form.tenant;
    let body = &form.body;
    let mut errors = Vec::new();
    let reason = FlagReason::parse(body.reason.trim());
    if reason.is_none() {
        errors.push(FieldError::new("reason", ValidationCode::InvalidValue));
    }
    let text = clean_text(&body.text);
    if text.chars().count() > FLAG_TEXT_MAX_CHARS {
        errors.push(FieldError::new("text", ValidationCode::TooLong));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors, form.lang));
    }
    let reason = reason.expect("checked above");
    // Hidden, pending and other tenants' reports do not exist for the public.
    let report = state
        .db
        .report_by_ref(tenant.id, &reference)
        .await?
        .filter(Report::is_public)
        .ok_or(ApiError::NotFound)?;
    let photo = match body
        .photo
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(public_id) => Some(
            state
                .db
                .photos(tenant.id, report.id, true)
                .await?
                .into_iter()
                .find(|p| p.public_id == public_id)
                .ok_or(ApiError::NotFound)?,
        ),
    };
    // Counted only once the flag is well-formed, as messages are: a citizen correcting the
    // reason is not a flood.
    form.rate_limit(&state, Flood::Flags).await?;
    let key = state.db.server_secret("flagger-key").await?;
    let flagger = flagger_id(&key, form.client);
    let hid = state
        .db
        .add_flag(
            tenant.id,
            &report,
            photo.as_ref(),
            reason.as_str(),
            &text,
            &flagger,
        )
        .await?;
    if hid {
        tracing::info!(tenant = %tenant.slug, report = %report.reference,
            photo = photo.is_some(), "flags reached the threshold: hidden until an official decides");
    }
    Ok((
        StatusCode::CREATED,
        ApiJson(FlagReceived { received: true }),
    ))
}

/// Who flagged, as far as counting needs it: an HMAC (server secret) of the address's limit
/// key (an IPv6 /64 counts as one address). The address itself is never stored (DSGVO:
/// data minimisation); without the secret the id cannot be turned back into an address.
fn flagger_id(key: &str, client: ClientAddr) -> String {
    crate::secrets::sign(key, &format!("flagger:{}", client.limit_key()))
}

#[cfg(test)]
mod tests {
    use super::flagger_id;
    use crate::http::ClientAddr;

    fn id(key: &str, addr: &str) -> String {
        flagger_id(key, ClientAddr(addr.parse().unwrap()))
    }

    #[test]
    fn a_flagger_is_their_address_block_under_the_secret_never_the_address() {
        let a = id("secret", "2001:db8:1:2::1");
        assert_eq!(
            a,
            id("secret", "2001:db8:1:2:ffff::9"),
            "one /64, one flagger"
        );
        assert_ne!(a, id("secret", "2001:db8:1:3::1"));
        assert_ne!(a, id("other secret", "2001:db8:1:2::1"));
        assert_ne!(id("secret", "192.0.2.7"), id("secret", "192.0.2.8"));
        assert!(!id("secret", "192.0.2.7").contains("192"));
        assert_eq!(a.len(), 64);
    }
}
