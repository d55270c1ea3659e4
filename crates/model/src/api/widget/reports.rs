//! Reports: the map and list, the duplicate hint, one report, a new report, "affects me too".

use super::PublicPhoto;
use crate::{CloseReason, LatLng, Status};
use serde::{Deserialize, Serialize};

/// A report in its compact form, for map markers and the list. The position is written as
/// top-level `lat`/`lng` (Leaflet's order of thought); a report located by address text only
/// has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSummary {
    #[serde(rename = "ref")]
    pub reference: String,
    pub status: Status,
    /// The category code.
    pub category: String,
    pub created: String,
    /// The description's first 120 characters, with `…` when cut.
    pub summary: String,
    pub supporters: i64,
    #[serde(flatten)]
    pub position: Option<LatLng>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// `GET /api/v1/{tenant}/reports`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportList {
    pub reports: Vec<ReportSummary>,
    /// More reports matched than `limit` allowed.
    pub truncated: bool,
}

/// An open report near a new one, for the "is it one of these?" hint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyReport {
    #[serde(flatten)]
    pub report: ReportSummary,
    /// Rounded to whole metres.
    pub distance_m: f64,
}

/// `GET /api/v1/{tenant}/reports/nearby`, nearest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyList {
    pub reports: Vec<NearbyReport>,
}

/// One entry of a report's public history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicNote {
    pub at: String,
    pub status: Status,
    pub text: String,
}

/// The full public form of one report (`GET …/reports/{ref}`, `GET /api/v1/track/{token}`).
/// Never carries the reporter's e-mail address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDetail {
    #[serde(rename = "ref")]
    pub reference: String,
    pub status: Status,
    pub category: String,
    pub category_name: String,
    /// Plain text exactly as typed: escape it when showing it.
    pub description: String,
    pub created: String,
    pub updated: String,
    pub supporters: i64,
    /// Released photos only.
    pub photos: Vec<PublicPhoto>,
    /// The public status history, oldest first.
    pub notes: Vec<PublicNote>,
    /// Only for closed reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_reason: Option<CloseReason>,
    #[serde(flatten)]
    pub position: Option<LatLng>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// `POST /api/v1/{tenant}/reports`. Unknown fields are refused, so that a typo in an
/// integration shows up at once instead of silently dropping data. `category` and
/// `description` left out read as empty, so they get the same per-field answer as an empty
/// form field (422 `required`) rather than a bare 400: that names the field to fix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReportRequest {
    #[serde(default)]
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<LatLng>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Honeypot: invisible in the form, so only bots fill it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// The solved proof-of-work challenge (ALTCHA's base64 payload), see [`super::Challenge`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altcha: Option<String>,
    /// The language of messages when `?lang=` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl NewReportRequest {
    /// The report to validate and store (without honeypot and language).
    pub fn report(&self) -> crate::NewReport {
        crate::NewReport {
            category: self.category.clone(),
            position: self.position,
            address: self.address.clone(),
            description: self.description.clone(),
            email: self.email.clone(),
        }
    }
}

/// 201 to a new report. `tracking_token` authorises photo uploads; `tracking_url` is the
/// reporter's secret page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportCreated {
    #[serde(rename = "ref")]
    pub reference: String,
    pub status: Status,
    pub tracking_url: String,
    pub tracking_token: String,
    pub report: ReportDetail,
}

/// `POST …/reports/{ref}/support`: a random id the widget keeps in localStorage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportRequest {
    pub supporter: String,
    /// The solved proof-of-work challenge (ALTCHA's base64 payload), see [`super::Challenge`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altcha: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportAnswer {
    pub supporters: i64,
    /// False when this supporter had already been counted.
    pub counted: bool,
}
