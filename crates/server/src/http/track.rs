//! The reporter's secret tracking page (`/track/{token}`): plain server-rendered HTML without
//! script, so it works on any phone. Every value is escaped.

use super::{rfc3339, AppState, State};
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use civickit_model::Lang;
use quick_xml::escape::escape;
use std::fmt::Write;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/track/{token}", get(page))
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#222}\
.state{display:inline-block;padding:.2rem .6rem;border-radius:.3rem;color:#fff;font-weight:bold}\
li{margin:.5rem 0}time{color:#555}";

async fn page(state: State, Path(token): Path<String>) -> Response {
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'",
        ),
        (header::CACHE_CONTROL, "no-store"),
    ];
    let found = match state.db.report_by_tracking_token(&token).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!("tracking page: {e}");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                headers,
                "Interner Fehler",
            )
                .into_response();
        }
    };
    let Some((tenant_id, report)) = found else {
        let body = format!(
            "<!doctype html><html lang=de><meta charset=utf-8><meta name=viewport content='width=device-width'>\
             <title>Meldung nicht gefunden</title><style>{STYLE}</style><h1>Meldung nicht gefunden</h1>\
             <p>Dieser Link ist ungültig. Bitte prüfen Sie, ob Sie ihn vollständig kopiert haben.</p>"
        );
        return (StatusCode::NOT_FOUND, headers, body).into_response();
    };
    let notes = state
        .db
        .notes(tenant_id, &[report.id], true)
        .await
        .unwrap_or_default();
    let lang = Lang::De;
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html><html lang=de><meta charset=utf-8><meta name=viewport content='width=device-width'>\
         <meta name=robots content=noindex><title>Meldung {r}</title><style>{STYLE}</style>\
         <h1>Ihre Meldung {r}</h1><p><span class=state style='background:{hex}'>{label}</span></p>\
         <p><strong>{cat}</strong></p><p>{desc}</p>",
        r = escape(&report.reference),
        hex = report.status.light().hex(),
        label = escape(report.status.label(lang)),
        cat = escape(&report.category_name),
        desc = escape(&report.description).replace('\n', "<br>"),
    );
    if let Some(a) = &report.address {
        let _ = write!(html, "<p>Ort: {}</p>", escape(a));
    }
    html.push_str("<h2>Verlauf</h2><ol>");
    for n in &notes {
        let _ = write!(
            html,
            "<li><time datetime='{at}'>{at}</time> – <strong>{label}</strong>: {text}</li>",
            at = rfc3339(n.at),
            label = escape(n.status.label(lang)),
            text = escape(&n.text),
        );
    }
    html.push_str("</ol>");
    (StatusCode::OK, headers, html).into_response()
}
