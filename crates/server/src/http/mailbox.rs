//! The mailbox widget's API: its form configuration (with a signed form token) and sending a
//! message. See docs/widget-api.md.

use super::{lang, ApiError, AppState, State};
use crate::abuse::{check_form_token, form_token, FormTokenError, MIN_FILL_SECONDS};
use axum::extract::{ConnectInfo, Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use civickit_model::mailbox::{MESSAGE_MAX_CHARS, SUBJECT_MAX_CHARS};
use civickit_model::{FieldError, Lang, NewMessage, ValidationCode};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;
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
) -> Result<Json<Value>, ApiError> {
    let lang = lang(q.lang.as_deref(), &headers);
    let tenant = state.tenant(&slug).await?;
    let kinds = state.db.message_kinds(tenant.id).await?;
    let (anonymous, _, _) = state.db.mailbox_settings(tenant.id).await?;
    let base = state.base_url(&headers);
    let privacy = if tenant.privacy_url.starts_with('/') {
        format!("{base}{}", tenant.privacy_url)
    } else {
        tenant.privacy_url.clone()
    };
    Ok(Json(json!({
        "slug": tenant.slug,
        "name": tenant.name,
        "kinds": kinds.iter().map(|(code, name)| json!({"code": code, "name": localized_kind(code, name, lang)})).collect::<Vec<_>>(),
        "anonymous_allowed": anonymous,
        "privacy_url": privacy,
        "subject_max_chars": SUBJECT_MAX_CHARS,
        "message_max_chars": MESSAGE_MAX_CHARS,
        "min_fill_seconds": MIN_FILL_SECONDS,
        "form_token": form_token(&state.form_key, FORM_PURPOSE, crate::db::now()),
    })))
}

/// The English name of a seed kind; a town's own kinds keep their name.
fn localized_kind(code: &str, name: &str, lang: Lang) -> String {
    match lang {
        Lang::De => name.to_string(),
        Lang::En => civickit_model::mailbox::DEFAULT_KINDS
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|(_, _, en)| en.to_string())
            .unwrap_or_else(|| name.to_string()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SendBody {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    /// Honeypot: hidden in the form, only bots fill it in.
    #[serde(default)]
    website: Option<String>,
    #[serde(default)]
    form_token: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

async fn send(
    state: State,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<SendBody>, axum::extract::rejection::JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let tenant = state.tenant(&slug).await?;
    let Json(body) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let lang = lang(q.lang.as_deref().or(body.lang.as_deref()), &headers);
    if crate::abuse::honeypot_filled(body.website.as_deref()) {
        return Err(ApiError::Validation(
            vec![FieldError::new("website", ValidationCode::InvalidValue)],
            lang,
        ));
    }
    match check_form_token(&state.form_key, FORM_PURPOSE, body.form_token.as_deref(), crate::db::now()) {
        Ok(()) => {}
        Err(FormTokenError::TooFast) => {
            return Err(ApiError::RateLimited(
                lang.pick(
                    "Das ging zu schnell. Bitte prüfen Sie Ihre Nachricht und senden Sie sie in ein paar Sekunden erneut.",
                    "That was too fast. Please check your message and send it again in a few seconds.",
                )
                .into(),
            ))
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
    let new = NewMessage {
        kind: body.kind,
        subject: body.subject,
        message: body.message,
        name: body.name,
        email: body.email,
        phone: body.phone,
    }
    .normalized();
    let kinds = state.db.message_kinds(tenant.id).await?;
    let codes: Vec<&str> = kinds.iter().map(|(c, _)| c.as_str()).collect();
    let (anonymous, _, _) = state.db.mailbox_settings(tenant.id).await?;
    let errors = new.validate(&codes, anonymous);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors, lang));
    }
    let limits = state.limits;
    if !state.limiter.allow(
        &format!("message:{}", client.ip()),
        limits.messages_per_address,
    ) || !state
        .limiter
        .allow(&format!("tenant:{}", tenant.id), limits.per_tenant)
    {
        return Err(ApiError::RateLimited(
            lang.pick(
                "Von Ihrem Anschluss kamen gerade sehr viele Nachrichten. Bitte versuchen Sie es in einigen Minuten erneut; Ihr Text bleibt im Formular.",
                "Very many messages came from your connection just now. Please try again in a few minutes; your text stays in the form.",
            )
            .into(),
        ));
    }
    let receipt = |reference: &str| crate::mail::message_receipt(&tenant, reference, lang);
    let message = state
        .db
        .create_message(tenant.id, &new, lang, &receipt)
        .await?;
    state.mail_wake.notify_one();
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "ref": message.reference,
            "can_be_answered": new.can_be_answered(),
            "receipt_mailed": new.email.is_some(),
        })),
    ))
}
