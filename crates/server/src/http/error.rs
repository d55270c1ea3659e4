use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use civickit_model::api::{ErrorBody, ErrorKind, FieldMessage};
use civickit_model::{FieldError, Lang};
use std::time::Duration;

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
    /// 429 with `Retry-After`: the message says why, `retry_after` when trying again can help.
    RateLimited {
        message: String,
        retry_after: Duration,
    },
    BadRequest(String),
    /// 415: a file of a kind we do not take.
    Unsupported(String),
    /// 422 about a file as a whole (not a form field).
    Unprocessable(String),
    Conflict(String),
    /// Proof-of-work refusals (`crate::pow`), in the citizen's language.
    ChallengeRequired(Lang),
    ChallengeInvalid(Lang),
    ChallengeExpired(Lang),
    ChallengeUsed(Lang),
    /// 429 with `Retry-After`: sent sooner after the challenge was issued than a person can.
    TooFast {
        lang: Lang,
        retry_after: Duration,
    },
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
            ApiError::RateLimited { message, .. } => plain(ErrorKind::RateLimited, &message),
            ApiError::Unsupported(m) => plain(ErrorKind::UnsupportedMediaType, &m),
            ApiError::Unprocessable(m) => plain(ErrorKind::InvalidFile, &m),
            ApiError::BadRequest(m) => plain(ErrorKind::BadRequest, &m),
            ApiError::Conflict(m) => plain(ErrorKind::Conflict, &m),
            ApiError::ChallengeRequired(lang) => plain(
                ErrorKind::ChallengeRequired,
                lang.pick(
                    "Bitte einen Moment: Das Formular prüft noch, dass hier ein Mensch schreibt. Senden Sie es gleich noch einmal; Ihre Eingaben bleiben erhalten.",
                    "One moment please: the form is still checking that a person is writing. Send it again in a moment; your input is kept.",
                ),
            ),
            ApiError::ChallengeInvalid(lang) => plain(
                ErrorKind::ChallengeInvalid,
                lang.pick(
                    "Die Sicherheitsprüfung des Formulars ist fehlgeschlagen. Bitte senden Sie es noch einmal; Ihre Eingaben bleiben erhalten. Hilft das nicht, laden Sie die Seite neu.",
                    "The form's security check failed. Please send it again; your input is kept. If that does not help, reload the page.",
                ),
            ),
            ApiError::ChallengeExpired(lang) => plain(
                ErrorKind::ChallengeExpired,
                lang.pick(
                    "Das Formular war sehr lange geöffnet, seine Sicherheitsprüfung ist abgelaufen. Bitte senden Sie es noch einmal; Ihre Eingaben bleiben erhalten.",
                    "The form was open for a very long time and its security check has expired. Please send it again; your input is kept.",
                ),
            ),
            ApiError::ChallengeUsed(lang) => plain(
                ErrorKind::ChallengeUsed,
                lang.pick(
                    "Dieses Formular wurde bereits gesendet. Möchten Sie noch etwas senden, schicken Sie es bitte noch einmal ab.",
                    "This form was already sent. To send something else, please send it once more.",
                ),
            ),
            ApiError::TooFast { lang, retry_after } => ErrorBody {
                error: ErrorKind::TooFast,
                message: match lang {
                    Lang::De => format!(
                        "Bitte einen Moment: So schnell füllt niemand ein Formular aus. Senden Sie es in {} Sekunden noch einmal; Ihre Eingaben bleiben erhalten.",
                        whole_seconds(retry_after).max(1)
                    ),
                    Lang::En => format!(
                        "One moment please: nobody fills in a form that fast. Send it again in {} seconds; your input is kept.",
                        whole_seconds(retry_after).max(1)
                    ),
                },
                fields: Vec::new(),
            },
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

/// Whole seconds (RFC 9110), rounded up so that a client waiting that long gets in.
fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            ApiError::RateLimited { retry_after, .. } | ApiError::TooFast { retry_after, .. } => {
                Some(whole_seconds(*retry_after))
            }
            _ => None,
        };
        let body = self.body();
        let status = StatusCode::from_u16(body.error.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limited_answers_say_when_to_retry_in_whole_seconds() {
        for (wait, header) in [
            (Duration::from_millis(299_200), "300"),
            (Duration::from_secs(7), "7"),
            (Duration::ZERO, "1"),
        ] {
            let response = ApiError::RateLimited {
                message: "Zu viele".into(),
                retry_after: wait,
            }
            .into_response();
            assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(response.headers()[header::RETRY_AFTER], header, "{wait:?}");
        }
        let other = ApiError::NotFound.into_response();
        assert!(!other.headers().contains_key(header::RETRY_AFTER));
    }
}
