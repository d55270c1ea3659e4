//! The mailbox widget's API: its form configuration (with a signed form token) and sending a
//! message. See docs/widget-api.md.

use super::citizen::{CitizenForm, Flood};
use super::{lang, ApiError, ApiJson, AppState, State};
use crate::abuse::{check_form_token, form_token, FormTokenError, MIN_FILL_SECONDS};
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use civickit_model::api::widget::{MailboxConfig, MessageKind, MessageSent, NewMessageRequest};
use civickit_model::mailbox::{MESSAGE_MAX_CHARS, SUBJECT_MAX_CHARS};
use civickit_model::Lang;
use serde::Deserialize;
use std::sync::Arc;

pub const FORM_PURPOSE: &str = "mailbox";

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/{tenant}/mailbox", get(config))
        .route("/{tenant}/messages", post(send))
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

async fn config(
    state: State,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<ApiJson<MailboxConfig>, ApiError> {
    let lang = lang(q.lang.as_deref(), &headers);
    let tenant = state.tenant(&slug).await?;
    let kinds = state.db.message_kinds(tenant.id).await?;
    let (anonymous, _, _) = state.db.mailbox_settings(tenant.id).await?;
    let base = state.base_url(&headers);
    let privacy = super::statements::privacy_link(&base, &tenant, lang);
    Ok(ApiJson(MailboxConfig {
        slug: tenant.slug,
        name: tenant.name,
        kinds: kinds
            .iter()
            .map(|(code, name)| MessageKind {
                code: code.clone(),
                name: localized_kind(code, name, lang),
            })
            .collect(),
        anonymous_allowed: anonymous,
        privacy_url: privacy,
        subject_max_chars: SUBJECT_MAX_CHARS,
        message_max_chars: MESSAGE_MAX_CHARS,
        min_fill_seconds: MIN_FILL_SECONDS,
        form_token: form_token(&state.form_key, FORM_PURPOSE, crate::db::now()),
    }))
}

/// The English name of a seed kind; a town's own kinds keep their name.
pub(crate) fn localized_kind(code: &str, name: &str, lang: Lang) -> String {
    match lang {
        Lang::De => name.to_string(),
        Lang::En => civickit_model::mailbox::DEFAULT_KINDS
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|(_, _, en)| en.to_string())
            .unwrap_or_else(|| name.to_string()),
    }
}

async fn send(
    state: State,
    form: CitizenForm<NewMessageRequest>,
) -> Result<(StatusCode, ApiJson<MessageSent>), ApiError> {
    let (tenant, lang) = (&form.tenant, form.lang);
    match check_form_token(&state.form_key, FORM_PURPOSE, form.body.form_token.as_deref(), crate::db::now()) {
        Ok(()) => {}
        Err(FormTokenError::TooFast) => {
            return Err(ApiError::RateLimited {
                message: lang.pick(
                    "Das ging zu schnell. Bitte prüfen Sie Ihre Nachricht und senden Sie sie in ein paar Sekunden erneut.",
                    "That was too fast. Please check your message and send it again in a few seconds.",
                )
                .into(),
                retry_after: std::time::Duration::from_secs(MIN_FILL_SECONDS as u64),
            })
        }
        Err(_) => {
            return Err(ApiError::BadRequest(
                lang.pick(
                    "Das Formular ist abgelaufen. Bitte laden Sie die Seite neu; Ihr Text bleibt erhalten.",
                    "The form has expired. Please reload it; your text is kept.",
                )
                .into(),
            ))
        }
    }
    let new = form.body.message().normalized();
    let kinds = state.db.message_kinds(tenant.id).await?;
    let codes: Vec<&str> = kinds.iter().map(|(c, _)| c.as_str()).collect();
    let (anonymous, _, _) = state.db.mailbox_settings(tenant.id).await?;
    let errors = new.validate(&codes, anonymous);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors, lang));
    }
    // Counted only now: a citizen correcting field errors is not a flood.
    form.rate_limit(&state, Flood::Messages).await?;
    let receipt = |reference: &str| crate::mail::message_receipt(tenant, reference, lang);
    let message = state
        .db
        .create_message(tenant.id, &new, lang, &receipt)
        .await?;
    state.mail_wake.notify_one();
    Ok((
        StatusCode::CREATED,
        ApiJson(MessageSent {
            reference: message.reference,
            can_be_answered: new.can_be_answered(),
            receipt_mailed: new.email.is_some(),
        }),
    ))
}
