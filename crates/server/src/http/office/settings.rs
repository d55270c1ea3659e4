//! The town's settings (admins): premoderation, response time, photo release and the flag
//! threshold for reports; the step of polls' live results;
//! anonymous messages and retention for the mailbox. Every change is audited.

use super::guards::Admin;
use crate::db::flags::FLAG_THRESHOLD_RANGE;
use crate::db::polls::POLL_RESULT_STEP_RANGE;
use crate::http::{ApiError, ApiJson, AppState, State};
use axum::routing::get;
use axum::Router;
use civickit_model::api::office::{
    MailboxSettings, MailboxSettingsChange, TenantSettings, TenantSettingsChange,
};
use civickit_model::{FieldError, Lang, ValidationCode};
use serde_json::json;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office/api/settings", get(settings).post(change_settings))
        .route(
            "/office/api/mailbox-settings",
            get(mailbox_settings).post(change_mailbox_settings),
        )
}

fn invalid(field: &str) -> ApiError {
    ApiError::Validation(
        vec![FieldError::new(field, ValidationCode::InvalidValue)],
        Lang::De,
    )
}

async fn tenant_settings(state: &AppState, tenant_id: i64) -> Result<TenantSettings, ApiError> {
    let t = state
        .db
        .tenant_by_id(tenant_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(TenantSettings {
        premoderation: t.premoderation,
        response_days: t.response_days,
        photos_auto_release: state.db.photos_auto_release(t.id).await?,
        flag_threshold: state.db.flag_threshold(t.id).await?,
        poll_result_step: state.db.poll_result_step(t.id).await?,
    })
}

async fn settings(state: State, admin: Admin) -> Result<ApiJson<TenantSettings>, ApiError> {
    Ok(ApiJson(tenant_settings(&state, admin.tenant_id()).await?))
}

async fn change_settings(
    state: State,
    admin: Admin,
    ApiJson(body): ApiJson<TenantSettingsChange>,
) -> Result<ApiJson<TenantSettings>, ApiError> {
    if body.response_days.is_some_and(|d| !(1..=60).contains(&d)) {
        return Err(invalid("response_days"));
    }
    if body
        .flag_threshold
        .is_some_and(|n| !FLAG_THRESHOLD_RANGE.contains(&n))
    {
        return Err(invalid("flag_threshold"));
    }
    if body
        .poll_result_step
        .is_some_and(|n| !POLL_RESULT_STEP_RANGE.contains(&n))
    {
        return Err(invalid("poll_result_step"));
    }
    state
        .db
        .update_tenant_settings(
            admin.tenant_id(),
            body.premoderation,
            body.response_days,
            &admin.actor(),
        )
        .await?;
    if let Some(on) = body.photos_auto_release {
        state
            .db
            .set_photos_auto_release(admin.tenant_id(), on)
            .await?;
        state
            .db
            .audit_simple(
                admin.tenant_id(),
                &admin.actor(),
                "tenant.photos_auto_release",
                &json!({}),
                &json!({"photos_auto_release": on}),
            )
            .await?;
    }
    if let Some(threshold) = body.flag_threshold {
        state
            .db
            .set_flag_threshold(admin.tenant_id(), threshold, &admin.actor())
            .await?;
    }
    if let Some(step) = body.poll_result_step {
        let tenant_id = admin.tenant_id();
        if step != state.db.poll_result_step(tenant_id).await? {
            state
                .db
                .set_poll_result_step(tenant_id, step, &admin.actor())
                .await?;
        }
    }
    Ok(ApiJson(tenant_settings(&state, admin.tenant_id()).await?))
}

async fn stored_mailbox_settings(
    state: &AppState,
    tenant_id: i64,
) -> Result<MailboxSettings, ApiError> {
    let (anonymous_allowed, retention_days, erase_text) =
        state.db.mailbox_settings(tenant_id).await?;
    Ok(MailboxSettings {
        anonymous_allowed,
        retention_days,
        erase_text,
    })
}

async fn mailbox_settings(
    state: State,
    admin: Admin,
) -> Result<ApiJson<MailboxSettings>, ApiError> {
    Ok(ApiJson(
        stored_mailbox_settings(&state, admin.tenant_id()).await?,
    ))
}

async fn change_mailbox_settings(
    state: State,
    admin: Admin,
    ApiJson(body): ApiJson<MailboxSettingsChange>,
) -> Result<ApiJson<MailboxSettings>, ApiError> {
    if body
        .retention_days
        .is_some_and(|d| !(1..=3650).contains(&d))
    {
        return Err(invalid("retention_days"));
    }
    let tenant_id = admin.tenant_id();
    let before = stored_mailbox_settings(&state, tenant_id).await?;
    state
        .db
        .set_mailbox_settings(
            tenant_id,
            body.anonymous_allowed,
            body.retention_days,
            body.erase_text,
        )
        .await?;
    let after = stored_mailbox_settings(&state, tenant_id).await?;
    state
        .db
        .audit_simple(
            tenant_id,
            &admin.actor(),
            "mailbox.settings",
            &json!(before),
            &json!(after),
        )
        .await?;
    Ok(ApiJson(after))
}
