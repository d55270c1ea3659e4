//! The one error body of every API: `{ "error", "message", "fields"? }`.

use crate::{FieldError, Lang, ValidationCode};
use serde::{Deserialize, Serialize};

/// What went wrong, machine-readable; the HTTP status follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// 422: one or more fields are refused; `fields` says which.
    Validation,
    /// 400: the request itself is malformed (bad JSON, wrong types, forged token).
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    /// 415: a file of a kind we do not take.
    UnsupportedMediaType,
    /// 422 about a file as a whole (not a form field).
    InvalidFile,
    RateLimited,
    /// 400: an anonymous write without a proof-of-work solution (`GET …/challenge` first).
    ChallengeRequired,
    /// 400: a solution that is wrong, forged, or for another purpose or town.
    ChallengeInvalid,
    /// 400: the challenge is past its time; fetch a new one (the input is kept).
    ChallengeExpired,
    /// 409: this challenge was already used for a write.
    ChallengeUsed,
    /// 429: sent sooner after the form was shown than a person can (`Retry-After` says when).
    TooFast,
    Internal,
}

impl ErrorKind {
    pub fn http_status(self) -> u16 {
        match self {
            ErrorKind::Validation | ErrorKind::InvalidFile => 422,
            ErrorKind::BadRequest
            | ErrorKind::ChallengeRequired
            | ErrorKind::ChallengeInvalid
            | ErrorKind::ChallengeExpired => 400,
            ErrorKind::Unauthorized => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict | ErrorKind::ChallengeUsed => 409,
            ErrorKind::UnsupportedMediaType => 415,
            ErrorKind::RateLimited | ErrorKind::TooFast => 429,
            ErrorKind::Internal => 500,
        }
    }
}

/// One refused field, with its message already in the requester's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMessage {
    pub field: String,
    pub code: ValidationCode,
    pub message: String,
}

impl FieldMessage {
    pub fn from_error(e: &FieldError, lang: Lang) -> FieldMessage {
        FieldMessage {
            field: e.field.clone(),
            code: e.code,
            message: e.message(lang),
        }
    }
}

/// The body of every 4xx/5xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorKind,
    pub message: String,
    /// Present (non-empty) only for [`ErrorKind::Validation`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldMessage>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_reads_the_documented_shape() {
        let body: ErrorBody = serde_json::from_str(
            r#"{ "error": "validation", "message": "Bitte prüfen Sie die markierten Felder.",
                 "fields": [ { "field": "description", "code": "too_long", "message": "zu lang" } ] }"#,
        )
        .unwrap();
        assert_eq!(body.error, ErrorKind::Validation);
        assert_eq!(body.fields[0].code, ValidationCode::TooLong);
        let plain: ErrorBody =
            serde_json::from_str(r#"{ "error": "not_found", "message": "x" }"#).unwrap();
        assert!(plain.fields.is_empty());
        assert_eq!(plain.error.http_status(), 404);
    }
}
