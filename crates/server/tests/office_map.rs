//! The office map's markers (`GET /office/api/reports/markers`) and the `bbox` filter of the
//! inbox: the map shows exactly what the list shows (filters, an editor's department, the
//! town), only reports with a position, at most `MarkerList::LIMIT`; on SQLite and PostgreSQL.

mod common;

use civickit_model::api::office::{MarkerList, ReportList};
use civickit_model::{Lang, LatLng, NewReport};
use civickit_server::db::tenants::Tenant;
use civickit_server::intake::submit_report;
use common::{Office, TestServer};
use std::collections::BTreeSet;

backend_tests!(
    markers_follow_every_filter_of_the_list,
    a_box_cuts_list_and_markers_alike,
    a_malformed_box_is_refused_with_the_field_named,
    an_editor_sees_only_his_departments_markers,
    another_towns_reports_never_appear_on_the_map,
    the_map_stops_at_its_limit_and_says_so,
);

async fn markers(office: &Office, query: &str) -> MarkerList {
    let (status, body) = office
        .get(&format!("/office/api/reports/markers{query}"))
        .await;
    assert_eq!(status, 200, "markers{query}: {body}");
    serde_json::from_value(body).expect("a MarkerList")
}

async fn list(office: &Office, query: &str) -> ReportList {
    let (status, body) = office.get(&format!("/office/api/reports{query}")).await;
    assert_eq!(status, 200, "reports{query}: {body}");
    serde_json::from_value(body).expect("a ReportList")
}

fn marker_refs(m: &MarkerList) -> BTreeSet<String> {
    m.markers.iter().map(|m| m.reference.clone()).collect()
}

/// The references of the list's reports that have a position (the list has one page here).
fn placed_refs(l: &ReportList) -> BTreeSet<String> {
    assert!(!l.more);
    l.reports
        .iter()
        .filter(|r| r.lat.is_some())
        .map(|r| r.reference.clone())
        .collect()
}

async fn report(s: &TestServer, tenant: &Tenant, category: &str, at: Option<LatLng>) -> String {
    let new = NewReport {
        category: category.into(),
        position: at,
        address: at.is_none().then(|| "Am Rathaus, Eingang Nord".to_string()),
        description: "Eine Meldung für die Karte.".into(),
        email: None,
    };
    match submit_report(&s.db, tenant, &new, "", Lang::De).await {
        Ok(c) => c.report.reference,
        Err(_) => panic!("the test report is valid"),
    }
}

async fn markers_follow_every_filter_of_the_list(s: TestServer) {
    let admin = s.login_admin().await;
    // A report described in words only: in the list, never on the map.
    let unplaced = report(&s, &s.tenant, "sonstiges", None).await;

    let all = markers(&admin, "").await;
    assert!(!all.truncated);
    assert_eq!(all.markers.len(), 12, "the demo's twelve placed reports");
    assert!(!marker_refs(&all).contains(&unplaced));
    let whole = list(&admin, "").await;
    assert!(whole.reports.iter().any(|r| r.reference == unplaced));
    assert_eq!(marker_refs(&all), placed_refs(&whole));
    for m in &all.markers {
        assert!(m.summary.chars().count() <= 80, "{}", m.summary);
        assert!(!m.category_name.is_empty());
        let line = whole
            .reports
            .iter()
            .find(|r| r.reference == m.reference)
            .unwrap();
        assert_eq!((Some(m.lat), Some(m.lng)), (line.lat, line.lng));
        assert_eq!(m.status, line.status);
        assert!(line.summary.starts_with(&m.summary));
    }

    // Every filter narrows the map exactly as it narrows the list; page and sort do not matter.
    for query in [
        "?status=received",
        "?status=in_progress,resolved",
        "?category=strassenbeleuchtung",
        "?q=Laterne",
        "?overdue=true",
        "?status=received&category=strassenschaeden&sort=oldest&page=3",
    ] {
        let on_map = marker_refs(&markers(&admin, query).await);
        let listed = placed_refs(&list(&admin, &query.replace("&page=3", "")).await);
        assert_eq!(on_map, listed, "{query}");
        assert!(on_map.len() < 12, "{query} narrows");
        assert!(!on_map.is_empty(), "{query} finds some");
    }
    let received = markers(&admin, "?status=received").await;
    assert!(received
        .markers
        .iter()
        .all(|m| m.status == civickit_model::Status::Received));

    // An unknown state is refused as in the list.
    let (status, body) = admin.get("/office/api/reports/markers?status=lost").await;
    assert_eq!(status, 400, "{body}");
    // Without a session: nothing.
    let (status, _) = s.get_json("/office/api/reports/markers").await;
    assert_eq!(status, 401);
}

async fn a_box_cuts_list_and_markers_alike(s: TestServer) {
    let admin = s.login_admin().await;
    let unplaced = report(&s, &s.tenant, "sonstiges", None).await;
    // The demo's "Gullydeckel" lies 0.0001° from the centre; the next report is 0.0011° away.
    let c = civickit_server::demo::CENTER;
    let bbox = format!(
        "?bbox={},{},{},{}",
        c.lng - 0.0005,
        c.lat - 0.0005,
        c.lng + 0.0005,
        c.lat + 0.0005
    );
    let on_map = markers(&admin, &bbox).await;
    assert_eq!(on_map.markers.len(), 1, "{:?}", on_map.markers);
    assert!(on_map.markers[0].summary.starts_with("Gullydeckel"));
    let listed = list(&admin, &bbox).await;
    assert_eq!(
        listed.reports.len(),
        1,
        "a report without a position is in no box"
    );
    assert_eq!(listed.reports[0].reference, on_map.markers[0].reference);
    assert_ne!(listed.reports[0].reference, unplaced);

    // The box goes with the other filters.
    let none = markers(&admin, &format!("{bbox}&status=resolved")).await;
    assert!(none.markers.is_empty());
    // A box around the whole town finds them all; one beside it none.
    let town = markers(&admin, "?bbox=9.60,50.50,9.75,50.60").await;
    assert_eq!(town.markers.len(), 12);
    let beside = markers(&admin, "?bbox=9.80,50.50,9.90,50.60").await;
    assert!(beside.markers.is_empty());
    assert!(list(&admin, "?bbox=9.80,50.50,9.90,50.60")
        .await
        .reports
        .is_empty());
}

async fn a_malformed_box_is_refused_with_the_field_named(s: TestServer) {
    let admin = s.login_admin().await;
    for bad in [
        "1,2,3",
        "a,b,c,d",
        "9.7,50.5,9.6,50.6",
        "9.6,50.6,9.7,50.5",
        "9.6,95,9.7,96",
        "9.6,50.5,9.7,50.6,1",
    ] {
        for path in ["/office/api/reports/markers", "/office/api/reports"] {
            let (status, body) = admin.get(&format!("{path}?bbox={bad}")).await;
            assert_eq!(status, 422, "{path}?bbox={bad}: {body}");
            assert_eq!(body["error"], "validation", "{body}");
            assert_eq!(body["fields"][0]["field"], "bbox", "{body}");
            assert!(!body["message"].as_str().unwrap().is_empty());
        }
    }
}

async fn an_editor_sees_only_his_departments_markers(s: TestServer) {
    let admin = s.login_admin().await;
    let editor = s.login_editor().await;
    let bauhof = editor.me["user"]["department_id"]
        .as_i64()
        .expect("the demo editor has a department");
    let all = list(&admin, "").await;
    let of_bauhof: BTreeSet<String> = all
        .reports
        .iter()
        .filter(|r| r.department_id == Some(bauhof) && r.lat.is_some())
        .map(|r| r.reference.clone())
        .collect();
    assert!(!of_bauhof.is_empty() && of_bauhof.len() < 12);

    let mine = markers(&editor, "").await;
    assert_eq!(marker_refs(&mine), of_bauhof);
    // Asking for another department or the whole town changes nothing for an editor.
    let other = all
        .reports
        .iter()
        .find_map(|r| r.department_id.filter(|d| *d != bauhof))
        .expect("reports of another department");
    let asked = markers(
        &editor,
        &format!("?department={other}&bbox=9.60,50.50,9.75,50.60"),
    )
    .await;
    assert_eq!(marker_refs(&asked), of_bauhof);
    // The admin may ask for one department.
    let admins = markers(&admin, &format!("?department={bauhof}")).await;
    assert_eq!(marker_refs(&admins), of_bauhof);
}

async fn another_towns_reports_never_appear_on_the_map(s: TestServer) {
    // Logged in while there is one town (with two, the login asks which).
    let admin = s.login_admin().await;
    let (other, neighbour) = s.neighbour_admin().await;
    let theirs = report(
        &s,
        &other,
        "strassenbeleuchtung",
        Some(LatLng::new(48.0, 11.0)),
    )
    .await;
    // References are numbered per town, so theirs may well equal one of ours: tell them apart
    // by place (Nachbardorf lies around 48.0, 11.0; Musterstadt around 50.55, 9.68).
    let ours = markers(&admin, "?bbox=-180,-90,180,90").await;
    assert_eq!(ours.markers.len(), 12);
    assert!(ours.markers.iter().all(|m| m.lat > 50.0));

    let seen = markers(&neighbour, "").await;
    assert_eq!(marker_refs(&seen), BTreeSet::from([theirs.clone()]));
    assert_eq!((seen.markers[0].lat, seen.markers[0].lng), (48.0, 11.0));
    // Not even a box around our town shows them ours.
    let boxed = markers(&neighbour, "?bbox=9.60,50.50,9.75,50.60").await;
    assert!(boxed.markers.is_empty());
    assert!(list(&neighbour, "?bbox=9.60,50.50,9.75,50.60")
        .await
        .reports
        .is_empty());
}

async fn the_map_stops_at_its_limit_and_says_so(s: TestServer) {
    s.db.bench_seed(&s.tenant, 5000).await.unwrap();
    let admin = s.login_admin().await;
    let all = markers(&admin, "").await;
    assert_eq!(all.markers.len(), MarkerList::LIMIT);
    assert!(all.truncated, "5012 reports match");
    // Newest first: the demo's reports (days old) lose to the synthetic ones (hours old)...
    // ...but a filter that leaves fewer than the limit shows them all, and says so.
    let received = markers(&admin, "?status=received").await;
    assert!(!received.truncated);
    assert_eq!(received.markers.len(), 1250 + 4);
}
