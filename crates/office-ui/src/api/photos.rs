//! Photos of a report (`crates/server/src/http/photos.rs`): release, hide, edit, upload.

use crate::fetch::{self, encode, ApiError};
use serde_json::Value;

pub use civickit_model::api::office::Photo;
use civickit_model::api::office::PhotoList;

/// A photo action (`/photos/{id}/release`, `…/hide`, `…/edit`): the report's photos as they are now.
pub async fn act(path: &str, body: Value) -> Result<Vec<Photo>, ApiError> {
    fetch::post::<PhotoList>(path, body).await.map(|l| l.photos)
}

/// Uploads the official's "after" photo as the raw body.
pub async fn upload(reference: &str, file: web_sys::File) -> Result<Vec<Photo>, ApiError> {
    let path = format!("/reports/{}/photos", encode(reference));
    fetch::upload::<PhotoList>(&path, file)
        .await
        .map(|l| l.photos)
}
