//! The pages behind the links in citizen mail: the report's state, confirming the address
//! (double opt-in) and unsubscribing, in the language the report was made in (texts in
//! `texts.rs`). Changes happen only on POST, so that mail scanners that follow links do not
//! confirm or unsubscribe anyone.

use super::{rfc3339, AppState, State};
use crate::db::reports::Report;
use crate::texts;
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use civickit_model::Lang;
use quick_xml::escape::escape;
use serde::Deserialize;
use std::fmt::Write;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/notify/{token}", get(status_page))
        .route("/notify/{token}/confirm", get(confirm_form).post(confirm))
        .route(
            "/notify/{token}/unsubscribe",
            get(unsubscribe_form).post(unsubscribe),
        )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#222}\
button{font:inherit;padding:.5rem 1rem}li{margin:.4rem 0}";

fn page(status: StatusCode, lang: Lang, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang={code}><meta charset=utf-8><meta name=viewport content='width=device-width'>\
         <meta name=robots content=noindex><title>{t}</title><style>{STYLE}</style><h1>{t}</h1>{body}",
        code = lang.code(),
        t = escape(title)
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

/// `?done=1` after a POST, and `?lang=` for the pages that have no report to take it from.
#[derive(Deserialize)]
struct PageQuery {
    done: Option<String>,
    lang: Option<String>,
}

impl PageQuery {
    /// The language the visitor asks for: for pages that cannot know the report's.
    fn asked(&self, headers: &HeaderMap) -> Lang {
        super::lang(self.lang.as_deref(), headers)
    }
}

fn not_found(lang: Lang) -> Response {
    page(
        StatusCode::NOT_FOUND,
        lang,
        texts::LINK_INVALID.get(lang),
        &format!("<p>{}</p>", texts::LINK_INVALID_TEXT.get(lang)),
    )
}

fn internal(lang: Lang, e: impl std::fmt::Display) -> Response {
    tracing::error!("notify page: {e}");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        lang,
        texts::ERROR.get(lang),
        &format!("<p>{}</p>", texts::TRY_LATER.get(lang)),
    )
}

/// The report behind a mail link, or the page to show instead.
async fn report(state: &AppState, token: &str, asked: Lang) -> Result<(i64, Report), Response> {
    match state.db.report_by_email_token(token).await {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(not_found(asked)),
        Err(e) => Err(internal(asked, e)),
    }
}

async fn status_page(
    state: State,
    Path(token): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let (tenant_id, r) = match report(&state, &token, q.asked(&headers)).await {
        Ok(found) => found,
        Err(resp) => return resp,
    };
    let lang = r.lang;
    let notes = state
        .db
        .notes(tenant_id, &[r.id], true)
        .await
        .unwrap_or_default();
    let mut body = format!(
        "<p><strong>{state}</strong> – {cat}</p><p>{desc}</p><h2>{history}</h2><ol>",
        state = escape(r.status.label(lang)),
        cat = escape(&r.category_name),
        desc = escape(&r.description),
        history = texts::HISTORY.get(lang),
    );
    for n in &notes {
        let _ = write!(
            body,
            "<li><time>{}</time> – {}: {}</li>",
            rfc3339(n.at),
            escape(n.status.label(lang)),
            escape(&n.text)
        );
    }
    body.push_str("</ol>");
    if r.email_state.as_deref() == Some("confirmed") {
        let _ = write!(
            body,
            "<p><a href='/notify/{t}/unsubscribe'>{link}</a></p>",
            t = escape(&token),
            link = texts::NO_MORE_MAIL_LINK.get(lang),
        );
    }
    page(
        StatusCode::OK,
        lang,
        &texts::TRACK_TITLE.with_ref(lang, &r.reference),
        &body,
    )
}

fn form(token: &str, action: &str, question: &str, button: &str) -> String {
    format!(
        "<p>{question}</p><form method=post action='/notify/{t}/{action}'><button type=submit>{button}</button></form>",
        t = escape(token)
    )
}

async fn confirm_form(
    state: State,
    Path(token): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let r = match report(&state, &token, q.asked(&headers)).await {
        Ok((_, r)) => r,
        Err(resp) => return resp,
    };
    let lang = r.lang;
    let reference = escape(&r.reference);
    if q.done.is_some() && r.email_state.as_deref() == Some("confirmed") {
        page(
            StatusCode::OK,
            lang,
            texts::CONFIRMED.get(lang),
            &format!(
                "<p>{}</p>",
                texts::CONFIRMED_TEXT.with_ref(lang, &reference)
            ),
        )
    } else {
        page(
            StatusCode::OK,
            lang,
            texts::CONFIRM.get(lang),
            &form(
                &token,
                "confirm",
                &texts::CONFIRM_QUESTION.with_ref(lang, &reference),
                texts::CONFIRM_BUTTON.get(lang),
            ),
        )
    }
}

async fn confirm(
    state: State,
    Path(token): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    match state
        .db
        .set_email_state(&token, "unconfirmed", "confirmed")
        .await
    {
        Ok(true) | Ok(false) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/notify/{token}/confirm?done=1"))],
        )
            .into_response(),
        Err(e) => internal(q.asked(&headers), e),
    }
}

async fn unsubscribe_form(
    state: State,
    Path(token): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let r = match report(&state, &token, q.asked(&headers)).await {
        Ok((_, r)) => r,
        Err(resp) => return resp,
    };
    let lang = r.lang;
    let reference = escape(&r.reference);
    if q.done.is_some() || r.email_state.as_deref() == Some("unsubscribed") {
        page(
            StatusCode::OK,
            lang,
            texts::UNSUBSCRIBED.get(lang),
            &format!(
                "<p>{}</p>",
                texts::UNSUBSCRIBED_TEXT.with_ref(lang, &reference)
            ),
        )
    } else {
        page(
            StatusCode::OK,
            lang,
            texts::UNSUBSCRIBE.get(lang),
            &form(
                &token,
                "unsubscribe",
                &texts::UNSUBSCRIBE_QUESTION.with_ref(lang, &reference),
                texts::UNSUBSCRIBE_BUTTON.get(lang),
            ),
        )
    }
}

async fn unsubscribe(
    state: State,
    Path(token): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let mut result = state
        .db
        .set_email_state(&token, "confirmed", "unsubscribed")
        .await;
    if let Ok(false) = result {
        result = state
            .db
            .set_email_state(&token, "unconfirmed", "unsubscribed")
            .await;
    }
    match result {
        Ok(_) => (
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                format!("/notify/{token}/unsubscribe?done=1"),
            )],
        )
            .into_response(),
        Err(e) => internal(q.asked(&headers), e),
    }
}
