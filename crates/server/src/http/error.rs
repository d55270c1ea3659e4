use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use civickit_model::api::{ErrorBody, ErrorKind, FieldMessage};
use civickit_model::{FieldError, Lang};

/// Errors of every JSON API, answered as [`ErrorBody`] `{error, message, fields?}`
/// (see docs/widget-api.md).
#[derive(Debug)]
pub enum ApiError {
    Validation(Vec<FieldError>, Lang),
    /// Field errors whose messages were written for their area (the town page's settings).
    FieldMessages(Vec<FieldMessage>),
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

impl ApiError {
    /// The documented body of this error.
    pub fn body(self) -> ErrorBody {
        let plain = |error, message: &str| ErrorBody {
            error,
            message: message.to_string(),
            fields: Vec::new(),
        };
        match self {
            ApiError::Validation(fields, lang) => ErrorBody {
                error: ErrorKind::Validation,
                message: lang
                    .pick(
                        "Bitte prüfen Sie die markierten Felder.",
                        "Please check the marked fields.",
                    )
                    .to_string(),
                fields: fields
                    .iter()
                    .map(|f| FieldMessage::from_error(f, lang))
                    .collect(),
            },
            ApiError::FieldMessages(fields) => ErrorBody {
                error: ErrorKind::Validation,
                message: "Bitte prüfen Sie die markierten Felder.".into(),
                fields,
            },
            ApiError::NotFound => plain(ErrorKind::NotFound, "Nicht gefunden / not found"),
            ApiError::Unauthorized => plain(
                ErrorKind::Unauthorized,
                "Bitte melden Sie sich an (E-Mail-Adresse oder Passwort falsch?).",
            ),
            ApiError::Forbidden(m) => plain(ErrorKind::Forbidden, &m),
            ApiError::RateLimited(m) => plain(ErrorKind::RateLimited, &m),
            ApiError::Unsupported(m) => plain(ErrorKind::UnsupportedMediaType, &m),
            ApiError::Unprocessable(m) => plain(ErrorKind::InvalidFile, &m),
            ApiError::BadRequest(m) => plain(ErrorKind::BadRequest, &m),
            ApiError::Conflict(m) => plain(ErrorKind::Conflict, &m),
            ApiError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                plain(
                    ErrorKind::Internal,
                    "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body();
        let status = StatusCode::from_u16(body.error.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(body)).into_response()
    }
}
