//! Extractors shared by every API area.

use super::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A JSON body, like `axum::Json`, but a body that is not JSON, has the wrong shape or is too
/// large is answered with the documented error JSON (`{error: "bad_request", message}`)
/// instead of axum's plain-text rejection, so clients only ever parse one error format.
/// Also the answer type: `ApiJson(value)` serialises like `Json(value)`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        // serde's message names the field and what was expected, e.g.
        // "missing field `status` at line 1 column 2": useful to an API client. It may quote
        // the offending value (`invalid type: string "x"`); that only goes back to the sender,
        // as JSON, never into a page or a log.
        JsonRejection::JsonDataError(e) => ApiError::BadRequest(format!(
            "Ungültiger Inhalt / invalid body: {}",
            e.body_text()
        )),
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::BadRequest("Kein gültiges JSON / the body is not valid JSON".into())
        }
        JsonRejection::MissingJsonContentType(_) => ApiError::Unsupported(
            "Bitte als application/json senden / expected Content-Type: application/json".into(),
        ),
        other => ApiError::BadRequest(other.body_text()),
    }
}
