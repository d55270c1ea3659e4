//! The reports inbox: list, detail and the actions on one report.

use super::Photo;
use crate::{CloseReason, Status};
use serde::{Deserialize, Serialize};

/// The query of `GET /office/api/reports`; every part may be left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    /// Comma-separated states, e.g. `received,in_progress`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A category code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// A department id (admins only; editors always see their own department).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<i64>,
    /// Only reports without a first reaction after the town's response time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
    /// Full text over reference, description and address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only reports inside this box, `west,south,east,north` as Leaflet's `toBBoxString()`
    /// writes it (the office map's viewport, the nearby reports of a detail's mini map).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<String>,
    /// `newest` (the default), `oldest` or `updated`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// From 1; 100 reports a page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportList {
    pub reports: Vec<ReportSummary>,
    /// Whether there is a next page.
    pub more: bool,
    pub page: i64,
}

/// One line of the inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSummary {
    #[serde(rename = "ref")]
    pub reference: String,
    pub status: Status,
    /// The category code.
    pub category: String,
    pub category_name: String,
    pub department_id: Option<i64>,
    /// The department's name.
    pub department: Option<String>,
    /// The first 140 characters of the description.
    pub summary: String,
    pub created: String,
    pub updated: String,
    pub hidden: bool,
    /// No reaction yet and older than the town's response time.
    pub overdue: bool,
    pub supporters: i64,
    /// Left out when the report has no position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lng: Option<f64>,
    /// Left out when the report has no address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// `GET /office/api/reports/markers?…`: every report the same query lists (`page` and `sort`
/// ignored) that has a position, for the office map; at most [`MarkerList::LIMIT`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkerList {
    pub markers: Vec<ReportMarker>,
    /// More reports matched than the limit allowed: the map says "zoom in or filter".
    pub truncated: bool,
}

impl MarkerList {
    pub const LIMIT: usize = 5000;
}

/// One report on the office map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportMarker {
    #[serde(rename = "ref")]
    pub reference: String,
    pub status: Status,
    pub category_name: String,
    /// The first 80 characters of the description.
    pub summary: String,
    pub lat: f64,
    pub lng: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// `POST /office/api/reports/{ref}/position`: an official corrects where a report is (dragging
/// its pin). Audited; the public map follows. 422 on `position` outside the town's area. An
/// address the server had looked up for the old position is looked up again; one the
/// citizen typed stays.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PositionChangeRequest {
    pub lat: f64,
    pub lng: f64,
}

/// One report with everything the office may see (never the reporter's e-mail address).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDetail {
    #[serde(flatten)]
    pub summary: ReportSummary,
    /// The public description.
    pub description: String,
    /// The citizen's own text, when an official edited the public one.
    pub original_description: Option<String>,
    pub close_reason: Option<CloseReason>,
    pub duplicate_of: Option<String>,
    /// `unconfirmed`, `confirmed` or `unsubscribed` when the reporter gave an address.
    pub email_state: Option<String>,
    pub photos: Vec<Photo>,
    pub notes: Vec<ReportNote>,
}

/// A status note (public) or an internal note, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportNote {
    pub at: String,
    /// The state the report had (or got) with this note.
    pub status: Status,
    pub text: String,
    pub public: bool,
}

/// What every action on a report answers.
pub type ReportChanged = super::Changed<ReportDetail>;

/// `POST /office/api/reports/{ref}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusChangeRequest {
    /// A [`Status`] name; anything else is a 422 on `status`.
    pub status: String,
    /// A [`CloseReason`] name; required for `closed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Shown to the public and mailed to the reporter.
    pub public_note: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal_note: Option<String>,
    /// The original's reference, when closing as `duplicate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
}

/// `POST /office/api/reports/{ref}/category`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryChangeRequest {
    pub category: String,
}

/// `POST /office/api/reports/{ref}/department`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentChangeRequest {
    pub department_id: i64,
}

/// `POST /office/api/reports/{ref}/description`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescriptionChangeRequest {
    pub description: String,
}

/// `POST /office/api/reports/{ref}/hidden`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HiddenChangeRequest {
    pub hidden: bool,
}

/// `POST /office/api/reports/{ref}/notes` (internal note) and the mailbox's notes and replies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextRequest {
    pub text: String,
}
