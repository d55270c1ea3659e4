//! The pages behind the links in citizen mail: the report's state, confirming the address
//! (double opt-in) and unsubscribing. Changes happen only on POST, so that mail scanners that
//! follow links do not confirm or unsubscribe anyone.

use super::{rfc3339, AppState, State};
use crate::db::reports::Report;
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
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

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=de><meta charset=utf-8><meta name=viewport content='width=device-width'>\
         <meta name=robots content=noindex><title>{t}</title><style>{STYLE}</style><h1>{t}</h1>{body}",
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

fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Link ungültig",
        "<p>Dieser Link ist ungültig oder abgelaufen.</p>",
    )
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!("notify page: {e}");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Fehler",
        "<p>Bitte versuchen Sie es später erneut.</p>",
    )
}

async fn report(state: &AppState, token: &str) -> Result<Option<(i64, Report)>, Response> {
    state
        .db
        .report_by_email_token(token)
        .await
        .map_err(internal)
}

async fn status_page(state: State, Path(token): Path<String>) -> Response {
    let (tenant_id, r) = match report(&state, &token).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(resp) => return resp,
    };
    let notes = state
        .db
        .notes(tenant_id, &[r.id], true)
        .await
        .unwrap_or_default();
    let mut body = format!(
        "<p><strong>{state}</strong> – {cat}</p><p>{desc}</p><h2>Verlauf</h2><ol>",
        state = escape(r.status.label(Lang::De)),
        cat = escape(&r.category_name),
        desc = escape(&r.description),
    );
    for n in &notes {
        let _ = write!(
            body,
            "<li><time>{}</time> – {}: {}</li>",
            rfc3339(n.at),
            escape(n.status.label(Lang::De)),
            escape(&n.text)
        );
    }
    body.push_str("</ol>");
    if r.email_state.as_deref() == Some("confirmed") {
        let _ = write!(
            body,
            "<p><a href='/notify/{t}/unsubscribe'>Keine E-Mails mehr zu dieser Meldung</a></p>",
            t = escape(&token)
        );
    }
    page(StatusCode::OK, &format!("Meldung {}", r.reference), &body)
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

fn form(token: &str, action: &str, question: &str, button: &str) -> String {
    format!(
        "<p>{question}</p><form method=post action='/notify/{t}/{action}'><button type=submit>{button}</button></form>",
        t = escape(token)
    )
}

async fn confirm_form(state: State, Path(token): Path<String>, Query(q): Query<Done>) -> Response {
    match report(&state, &token).await {
        Ok(Some((_, r))) if q.done.is_some() && r.email_state.as_deref() == Some("confirmed") => page(
            StatusCode::OK,
            "E-Mail-Adresse bestätigt",
            &format!(
                "<p>Sie erhalten ab jetzt eine E-Mail, wenn sich der Stand Ihrer Meldung {} ändert.</p>",
                escape(&r.reference)
            ),
        ),
        Ok(Some((_, r))) => page(
            StatusCode::OK,
            "E-Mail-Adresse bestätigen",
            &form(
                &token,
                "confirm",
                &format!(
                    "Möchten Sie per E-Mail erfahren, wenn sich der Stand Ihrer Meldung {} ändert?",
                    escape(&r.reference)
                ),
                "Ja, benachrichtigen",
            ),
        ),
        Ok(None) => not_found(),
        Err(resp) => resp,
    }
}

async fn confirm(state: State, Path(token): Path<String>) -> Response {
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
        Err(e) => internal(e),
    }
}

async fn unsubscribe_form(
    state: State,
    Path(token): Path<String>,
    Query(q): Query<Done>,
) -> Response {
    match report(&state, &token).await {
        Ok(Some((_, r)))
            if q.done.is_some() || r.email_state.as_deref() == Some("unsubscribed") =>
        {
            page(
                StatusCode::OK,
                "Abgemeldet",
                &format!(
                    "<p>Sie erhalten keine E-Mails mehr zur Meldung {}.</p>",
                    escape(&r.reference)
                ),
            )
        }
        Ok(Some((_, r))) => page(
            StatusCode::OK,
            "Benachrichtigungen abbestellen",
            &form(
                &token,
                "unsubscribe",
                &format!("Keine E-Mails mehr zur Meldung {}?", escape(&r.reference)),
                "Abbestellen",
            ),
        ),
        Ok(None) => not_found(),
        Err(resp) => resp,
    }
}

async fn unsubscribe(state: State, Path(token): Path<String>) -> Response {
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
        Err(e) => internal(e),
    }
}
