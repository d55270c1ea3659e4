//! Photos of a report (`crates/server/src/http/photos.rs`): release, hide, edit, upload.

use crate::fetch::{self, encode, ApiError};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Photo {
    pub id: i64,
    pub kind: String,
    pub status: String,
    #[serde(default)]
    pub width: i64,
    #[serde(default)]
    pub height: i64,
    pub url: String,
    pub thumb_url: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct PhotoList {
    photos: Vec<Photo>,
}

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
