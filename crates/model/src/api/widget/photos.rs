//! Photos of a report: the citizen's upload answer and the released photos in a report.

use serde::{Deserialize, Serialize};

/// Who took a photo: the citizen with the report, or an official after the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoKind {
    Report,
    After,
}

/// Whether the public sees a photo. Citizens' photos wait in `pending` unless the town
/// releases them automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoStatus {
    Pending,
    Released,
    Hidden,
}

impl PhotoKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoKind::Report => "report",
            PhotoKind::After => "after",
        }
    }

    pub fn parse(s: &str) -> Option<PhotoKind> {
        [PhotoKind::Report, PhotoKind::After]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

impl PhotoStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoStatus::Pending => "pending",
            PhotoStatus::Released => "released",
            PhotoStatus::Hidden => "hidden",
        }
    }

    pub fn parse(s: &str) -> Option<PhotoStatus> {
        [
            PhotoStatus::Pending,
            PhotoStatus::Released,
            PhotoStatus::Hidden,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A released photo in a report's detail; URLs are absolute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicPhoto {
    pub kind: PhotoKind,
    pub url: String,
    pub thumb_url: String,
    pub width: i64,
    pub height: i64,
}

/// 201 to `POST /api/v1/{tenant}/reports/{ref}/photos`. The URLs are there only when the
/// photo is released at once (a town that releases automatically).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoUploaded {
    pub status: PhotoStatus,
    pub width: i64,
    pub height: i64,
    /// The size of the stored JPEG after re-encoding.
    pub bytes: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumb_url: Option<String>,
}
