//! Photos of a report as the office sees them (every state), and their review.

use serde::{Deserialize, Serialize};

/// A photo of a report; `url` and `thumb_url` need the office session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    pub id: i64,
    /// `report` (from the citizen) or `after` (an official's photo of the fixed place).
    pub kind: String,
    /// `pending`, `released` or `hidden`.
    pub status: String,
    pub width: i64,
    pub height: i64,
    pub url: String,
    pub thumb_url: String,
}

/// The photos of one report, answered by every photo action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoList {
    pub photos: Vec<Photo>,
}

/// `POST /office/api/photos/{id}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoStatusRequest {
    /// `released`, `hidden` or `pending`.
    pub status: String,
}

/// `POST /office/api/photos/{id}/edit`: quarter turns and rectangles to black out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoEditRequest {
    /// Quarter turns clockwise (0 to 3); may be left out.
    #[serde(default)]
    pub rotate: u8,
    /// May be left out.
    #[serde(default)]
    pub redact: Vec<RedactRect>,
}

/// A rectangle in fractions (0 to 1) of the photo's width and height.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RedactRect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}
