//! Access and erasure for one citizen (admins, own town only): `POST
//! /office/api/privacy/subject` answers everything held about an e-mail address or a phone
//! number, `POST /office/api/privacy/subject/erase` erases it (`db/subject.rs`). POST, so the
//! address never stands in a URL or an access log; a bad address is a 422 on its field.

use super::guards::Admin;
use crate::http::{ApiError, ApiJson, AppState, State};
use axum::routing::post;
use axum::Router;
use civickit_model::api::office::{SubjectData, SubjectErased, SubjectKey, SubjectQuery};
use civickit_model::Lang;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office/api/privacy/subject", post(lookup))
        .route("/office/api/privacy/subject/erase", post(erase))
}

fn key(query: &SubjectQuery) -> Result<SubjectKey, ApiError> {
    query.key().map_err(|e| ApiError::Validation(e, Lang::De))
}

async fn lookup(
    state: State,
    admin: Admin,
    ApiJson(query): ApiJson<SubjectQuery>,
) -> Result<ApiJson<SubjectData>, ApiError> {
    let key = key(&query)?;
    Ok(ApiJson(
        state
            .db
            .subject_data(admin.tenant_id(), &key, &admin.actor())
            .await?,
    ))
}

async fn erase(
    state: State,
    admin: Admin,
    ApiJson(query): ApiJson<SubjectQuery>,
) -> Result<ApiJson<SubjectErased>, ApiError> {
    let key = key(&query)?;
    Ok(ApiJson(
        state
            .db
            .erase_subject(admin.tenant_id(), &key, &admin.actor())
            .await?,
    ))
}
