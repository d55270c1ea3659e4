//! Reports: the inbox list and its filters, one report, the actions on it, settings and audit.

use crate::fetch::{self, encode, with_query, ApiError};
use civickit_model::{BBox, CloseReason, LatLng, Status};
use serde_json::{json, Value};

pub use civickit_model::api::office::{
    AuditEntry, MarkerList, ReportChanged as Changed, ReportDetail as Detail, ReportList,
    ReportMarker, ReportNote as Note, ReportSummary as Summary, RoutedAway,
    TenantSettings as Settings,
};
use civickit_model::api::office::{AuditLog, Changed as Answer, TenantSettingsChange};

/// The inbox filters, as the page keeps them and the API reads them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    pub status: String,
    pub category: String,
    pub department: String,
    pub overdue: bool,
    pub q: String,
    pub sort: String,
    pub page: i64,
}

impl Filter {
    /// The query string (without `?`), leaving out what is not set.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        for (key, value) in [
            ("status", self.status.as_str()),
            ("category", self.category.as_str()),
            ("department", self.department.as_str()),
            ("q", self.q.trim()),
            ("sort", self.sort.as_str()),
        ] {
            if !value.is_empty() {
                parts.push(format!("{key}={}", encode(value)));
            }
        }
        if self.overdue {
            parts.push("overdue=true".into());
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        parts.join("&")
    }

    /// Reads the filters from a page URL's query (what [`Filter::query`] wrote; `lang` and
    /// anything unknown are ignored).
    pub fn from_query(query: &str) -> Filter {
        let mut f = Filter {
            page: 1,
            ..Default::default()
        };
        for pair in query.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = crate::routes::decode(&value.replace('+', " "));
            match key {
                "status" => f.status = value,
                "category" => f.category = value,
                "department" => f.department = value,
                "q" => f.q = value,
                "sort" => f.sort = value,
                "overdue" => f.overdue = value == "true",
                "page" => f.page = value.parse().unwrap_or(1).max(1),
                _ => {}
            }
        }
        f
    }

    /// The query of the map's markers: the same filters, without page and sort, and a box.
    pub fn marker_query(&self, bbox: Option<&str>) -> String {
        let mut query = Filter {
            sort: String::new(),
            page: 1,
            ..self.clone()
        }
        .query();
        if let Some(b) = bbox {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!("bbox={}", encode(b)));
        }
        query
    }
}

/// A box around a point in Leaflet's `west,south,east,north`, for the reports near it.
pub fn bbox_around(p: LatLng, radius_m: f64) -> String {
    let BBox {
        south,
        west,
        north,
        east,
    } = p.bbox_around(radius_m);
    format!("{west:.6},{south:.6},{east:.6},{north:.6}")
}

/// The body of a state change; empty optional fields are left out.
pub fn status_body(
    status: &str,
    reason: &str,
    duplicate_of: &str,
    public_note: &str,
    internal_note: &str,
) -> Value {
    let mut body = json!({"status": status, "public_note": public_note});
    if status == Status::Closed.as_str() && !reason.is_empty() {
        body["reason"] = json!(reason);
        if reason == CloseReason::Duplicate.as_str() {
            body["duplicate_of"] = json!(duplicate_of.trim());
        }
    }
    if !internal_note.trim().is_empty() {
        body["internal_note"] = json!(internal_note);
    }
    body
}

pub fn parse_changed(v: Value) -> Result<Changed, ApiError> {
    super::read_changed(v)
}

/// The answer "moved out of reach" for a report (see `pages::reports::actions`).
pub fn routed_away(reference: &str) -> Changed {
    Answer::RoutedAway(RoutedAway {
        reference: reference.to_string(),
        routed_away: true,
    })
}

pub async fn reports(filter: &Filter) -> Result<ReportList, ApiError> {
    fetch::get(&with_query("/reports", &filter.query())).await
}

/// The reports of the filter (in `bbox` when given) for the map.
pub async fn markers(filter: &Filter, bbox: Option<&str>) -> Result<MarkerList, ApiError> {
    fetch::get(&with_query("/reports/markers", &filter.marker_query(bbox))).await
}

/// Moves a report to where the official dropped its pin (`PositionChangeRequest`).
pub async fn move_to(reference: &str, at: LatLng) -> Result<Changed, ApiError> {
    let body = civickit_model::api::office::PositionChangeRequest {
        lat: at.lat,
        lng: at.lng,
    };
    act(reference, "position", json!(body)).await
}

pub async fn report(reference: &str) -> Result<Detail, ApiError> {
    fetch::get(&format!("/reports/{}", encode(reference))).await
}

/// POST /office/api/reports/{ref}/{action} (status, category, department, description, hidden,
/// notes).
pub async fn act(reference: &str, action: &str, body: Value) -> Result<Changed, ApiError> {
    let path = format!("/reports/{}/{action}", encode(reference));
    parse_changed(fetch::post(&path, body).await?)
}

pub async fn audit() -> Result<Vec<AuditEntry>, ApiError> {
    fetch::get::<AuditLog>("/audit").await.map(|l| l.entries)
}

pub async fn settings() -> Result<Settings, ApiError> {
    fetch::get("/settings").await
}

pub async fn save_settings(
    premoderation: bool,
    days: &str,
    flag_threshold: &str,
) -> Result<Settings, ApiError> {
    // Something that is not a number goes to the server as 0, so the server's range check
    // answers 422 on the field (one rule, one message) instead of the page guessing.
    let number = |s: &str| s.trim().parse::<i64>().unwrap_or(0);
    let body = TenantSettingsChange {
        premoderation: Some(premoderation),
        response_days: Some(number(days)),
        photos_auto_release: None,
        flag_threshold: Some(number(flag_threshold)),
        poll_result_step: None,
    };
    let body = json!(body);
    fetch::post("/settings", body).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_query_leaves_out_what_is_not_set() {
        assert_eq!(Filter::default().query(), "");
        let f = Filter {
            status: "received".into(),
            department: "3".into(),
            overdue: true,
            q: " Straße & Weg ".into(),
            sort: "oldest".into(),
            page: 2,
            ..Default::default()
        };
        assert_eq!(
            f.query(),
            "status=received&department=3&q=Stra%C3%9Fe%20%26%20Weg&sort=oldest&overdue=true&page=2"
        );
    }

    #[test]
    fn the_filters_read_back_from_the_page_url() {
        let f = Filter {
            status: "received,in_progress".into(),
            category: "muell".into(),
            overdue: true,
            q: "Straße & Weg".into(),
            page: 1,
            ..Default::default()
        };
        let url = format!("?{}&lang=en", f.query());
        assert_eq!(Filter::from_query(&url), f);
        assert_eq!(Filter::from_query("").page, 1);
        assert_eq!(Filter::from_query("?page=x&sort=oldest").sort, "oldest");
        assert_eq!(
            f.marker_query(Some("9.6,50.5,9.7,50.6")),
            "status=received%2Cin_progress&category=muell&q=Stra%C3%9Fe%20%26%20Weg&overdue=true&bbox=9.6%2C50.5%2C9.7%2C50.6"
        );
        let page3 = Filter {
            page: 3,
            sort: "oldest".into(),
            ..Default::default()
        };
        assert_eq!(page3.marker_query(None), "");
    }

    #[test]
    fn a_box_around_a_point_is_in_leaflets_order() {
        let b = bbox_around(LatLng::new(50.0, 10.0), 1000.0);
        let parsed = BBox::parse(&b).unwrap();
        assert!(parsed.west < 10.0 && parsed.east > 10.0);
        assert!(parsed.south < 50.0 && parsed.north > 50.0);
    }

    #[test]
    fn status_bodies_carry_reason_and_original_only_when_closing() {
        let b = status_body("in_progress", "duplicate", "M-1", "Wir kümmern uns.", " ");
        assert_eq!(
            b,
            json!({"status": "in_progress", "public_note": "Wir kümmern uns."})
        );
        let b = status_body("closed", "duplicate", " M-2026-00001 ", "Doppelt", "intern");
        assert_eq!(b["reason"], "duplicate");
        assert_eq!(b["duplicate_of"], "M-2026-00001");
        assert_eq!(b["internal_note"], "intern");
        let b = status_body("closed", "", "", "x", "");
        assert!(
            b.get("reason").is_none(),
            "the server then names the missing field"
        );
    }

    #[test]
    fn answers_parse_as_the_server_writes_them() {
        let detail = json!({
            "ref": "M-2026-00001", "status": "received", "category": "spielplaetze",
            "category_name": "Spielplätze und Sportanlagen", "department_id": 2,
            "department": "Bauhof", "summary": "Basketballkorb", "created": "2026-01-01T00:00:00Z",
            "updated": "2026-01-01T00:00:00Z", "hidden": false, "overdue": true, "supporters": 0,
            "lat": 50.0, "lng": 8.0, "description": "Basketballkorb am Sportplatz hängt schief.",
            "original_description": null, "close_reason": null, "duplicate_of": null,
            "email_state": null, "photos": [],
            "notes": [{"at": "2026-01-01T00:00:00Z", "status": "received", "text": "Eingegangen", "public": true}],
        });
        match parse_changed(detail).unwrap() {
            Answer::Current(d) => {
                assert_eq!(d.summary.reference, "M-2026-00001");
                assert_eq!(d.summary.status, Status::Received);
                assert!(d.summary.overdue);
                assert_eq!(d.notes.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_changed(json!({"ref": "M-1", "routed_away": true})).unwrap(),
            routed_away("M-1")
        );
    }
}
