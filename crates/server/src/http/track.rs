//! The reporter's secret tracking page (`/track/{token}`): plain server-rendered HTML without
//! script, so it works on any phone, in the language the report was made in (texts in
//! `texts.rs`). Every value is escaped.

use super::{rfc3339, AppState, State};
use crate::texts;
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use quick_xml::escape::escape;
use std::fmt::Write;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/track/{token}", get(page))
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#222}\
.state{display:inline-block;padding:.2rem .6rem;border-radius:.3rem;color:#fff;font-weight:bold}\
li{margin:.5rem 0}time{color:#555}";

/// The language for a page without a report behind it: the browser's.
#[derive(serde::Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

async fn page(
    state: State,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    request_headers: HeaderMap,
) -> Response {
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'",
        ),
        (header::CACHE_CONTROL, "no-store"),
    ];
    let asked = super::lang(q.lang.as_deref(), &request_headers);
    let found = match state.db.report_by_tracking_token(&token).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!("tracking page: {e}");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                headers,
                texts::INTERNAL_ERROR.get(asked),
            )
                .into_response();
        }
    };
    let Some((tenant_id, report)) = found else {
        let body = format!(
            "<!doctype html><html lang={code}><meta charset=utf-8><meta name=viewport content='width=device-width'>\
             <title>{title}</title><style>{STYLE}</style><h1>{title}</h1>\
             <p>{text}</p>",
            code = asked.code(),
            title = texts::TRACK_NOT_FOUND.get(asked),
            text = texts::TRACK_NOT_FOUND_TEXT.get(asked),
        );
        return (StatusCode::NOT_FOUND, headers, body).into_response();
    };
    let notes = state
        .db
        .notes(tenant_id, &[report.id], true)
        .await
        .unwrap_or_default();
    // The page speaks the language the report was made in, whatever browser opens the link.
    let lang = report.lang;
    let reference = escape(&report.reference);
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html><html lang={code}><meta charset=utf-8><meta name=viewport content='width=device-width'>\
         <meta name=robots content=noindex><title>{title}</title><style>{STYLE}</style>\
         <h1>{heading}</h1><p><span class=state style='background:{hex}'>{label}</span></p>\
         <p><strong>{cat}</strong></p><p>{desc}</p>",
        code = lang.code(),
        title = texts::TRACK_TITLE.with_ref(lang, &reference),
        heading = texts::TRACK_HEADING.with_ref(lang, &reference),
        hex = report.status.light().hex(),
        label = escape(report.status.label(lang)),
        cat = escape(&report.category_name),
        desc = escape(&report.description).replace('\n', "<br>"),
    );
    if let Some(a) = &report.address {
        let _ = write!(
            html,
            "<p>{}: {}</p>",
            texts::TRACK_PLACE.get(lang),
            escape(a)
        );
    }
    let _ = write!(html, "<h2>{}</h2><ol>", texts::HISTORY.get(lang));
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
