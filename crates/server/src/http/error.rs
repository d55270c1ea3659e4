use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use civickit_model::{FieldError, Lang};
use serde_json::json;

/// Errors of the widget API, answered as `{error, message, fields?}` (see docs/widget-api.md).
#[derive(Debug)]
pub enum ApiError {
    Validation(Vec<FieldError>, Lang),
    NotFound,
    Unauthorized,
    Forbidden(String),
    RateLimited(String),
    BadRequest(String),
    /// 415: a file of a kind we do not take.
    Unsupported(String),
    /// 422 about a file as a whole (not a form field).
    Unprocessable(String),
    Conflict(String),
    Internal(String),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::Validation(fields, lang) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({
                    "error": "validation",
                    "message": lang.pick(
                        "Bitte prüfen Sie die markierten Felder.",
                        "Please check the marked fields.",
                    ),
                    "fields": fields.iter().map(|f| json!({
                        "field": f.field,
                        "code": f.code.as_str(),
                        "message": f.message(lang),
                    })).collect::<Vec<_>>(),
                }),
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                json!({"error": "not_found", "message": "Nicht gefunden / not found"}),
            ),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                json!({"error": "unauthorized", "message": "Bitte melden Sie sich an (E-Mail-Adresse oder Passwort falsch?)."}),
            ),
            ApiError::Forbidden(message) => (
                StatusCode::FORBIDDEN,
                json!({"error": "forbidden", "message": message}),
            ),
            ApiError::RateLimited(message) => (
                StatusCode::TOO_MANY_REQUESTS,
                json!({"error": "rate_limited", "message": message}),
            ),
            ApiError::Unsupported(message) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                json!({"error": "unsupported_media_type", "message": message}),
            ),
            ApiError::Unprocessable(message) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": "invalid_file", "message": message}),
            ),
            ApiError::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                json!({"error": "bad_request", "message": message}),
            ),
            ApiError::Conflict(message) => (
                StatusCode::CONFLICT,
                json!({"error": "conflict", "message": message}),
            ),
            ApiError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({
                        "error": "internal",
                        "message": "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.",
                    }),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}
