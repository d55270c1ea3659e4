//! The town's generated statements (admins): the fields only the town can fill in, and each
//! statement's text per language, generated or replaced by an admin (`crate::statements`).
//! Every change is validated as a whole first (422 naming each bad field, nothing stored) and
//! audited.

use super::guards::Admin;
use crate::http::statements::Sources;
use crate::http::{ApiError, ApiJson, AppState, State};
use crate::statements;
use axum::http::HeaderMap;
use axum::routing::get;
use axum::Router;
use civickit_model::api::office::{
    StatementKind, StatementText, Statements, StatementsChange, TEXT_MAX_CHARS,
};
use civickit_model::validate::clean_text;
use civickit_model::{FieldError, Lang, ValidationCode};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/office/api/privacy/statements", get(show).post(change))
}

/// The fields and the four texts as the public pages show them now.
async fn current(state: &AppState, tenant_id: i64, base: &str) -> Result<Statements, ApiError> {
    let town = state
        .db
        .tenant_by_id(tenant_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let sources = Sources::load(&state.db, tenant_id).await?;
    let ctx = sources.context(&town, base);
    let mut texts = Vec::with_capacity(4);
    for statement in StatementKind::ALL {
        for lang in [Lang::De, Lang::En] {
            let (text, edited) = statements::current(statement, lang, &ctx, &sources.edited);
            texts.push(StatementText {
                statement,
                lang,
                text,
                edited,
                url: format!(
                    "{base}{}",
                    statements::page_path(statement, &town.slug, lang)
                ),
            });
        }
    }
    Ok(Statements {
        fields: sources.fields.clone(),
        texts,
    })
}

async fn show(
    state: State,
    admin: Admin,
    headers: HeaderMap,
) -> Result<ApiJson<Statements>, ApiError> {
    let base = state.base_url(&headers);
    Ok(ApiJson(current(&state, admin.tenant_id(), &base).await?))
}

async fn change(
    state: State,
    admin: Admin,
    headers: HeaderMap,
    ApiJson(body): ApiJson<StatementsChange>,
) -> Result<ApiJson<Statements>, ApiError> {
    let tenant_id = admin.tenant_id();
    let base = state.base_url(&headers);
    let fields = body.fields.as_ref().map(|f| f.cleaned());
    let mut errors = fields.as_ref().map(|f| f.validate()).unwrap_or_default();
    let mut texts = Vec::with_capacity(body.texts.len());
    for change in &body.texts {
        let field = change.statement.text_field(change.lang);
        let text = change.text.as_deref().map(clean_text);
        match text.as_deref() {
            Some("") => errors.push(FieldError::new(field, ValidationCode::Required)),
            Some(t) if t.chars().count() > TEXT_MAX_CHARS => {
                errors.push(FieldError::new(field, ValidationCode::TooLong))
            }
            _ => texts.push((change.statement, change.lang, text)),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors, Lang::De));
    }
    if let Some(fields) = &fields {
        state
            .db
            .set_statement_fields(tenant_id, fields, &admin.actor())
            .await?;
    }
    if !texts.is_empty() {
        // Compared with the text generated from the fields as they are now stored: a text
        // sent back unchanged is no edit and keeps following the settings.
        let town = state
            .db
            .tenant_by_id(tenant_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        let sources = Sources::load(&state.db, tenant_id).await?;
        let ctx = sources.context(&town, &base);
        for (statement, lang, text) in texts {
            let text = text.filter(|t| *t != statements::generate(statement, lang, &ctx));
            state
                .db
                .set_statement_text(tenant_id, statement, lang, text.as_deref(), &admin.actor())
                .await?;
        }
    }
    Ok(ApiJson(current(&state, tenant_id, &base).await?))
}
