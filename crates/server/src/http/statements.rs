//! A town's generated statements as public pages (`docs/widget-api.md`):
//! `/t/{slug}/datenschutz` (privacy notice for the widgets) and `/t/{slug}/barrierefreiheit`
//! (accessibility statement), German unless `?lang=en`, so that a link says which language it
//! opens. Plain HTML for any browser: no script, one small inline stylesheet, the town's name,
//! one `h1`, the text's sections (`crate::statements::render`, everything escaped), and links
//! to the other statement, the other language and the town's own privacy and imprint pages.
//!
//! Where a town has set no privacy link of its own, the widgets link here ([`privacy_link`]).

use super::{AppState, State};
use crate::db::statements::EditedTexts;
use crate::db::tenants::Tenant;
use crate::db::{Db, DbError};
use crate::statements::{self, render, Context};
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use civickit_model::api::office::{StatementFields, StatementKind};
use civickit_model::privacy::Retention;
use civickit_model::Lang;
use quick_xml::escape::escape;
use std::fmt::Write;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/t/{slug}/datenschutz", get(privacy_page))
        .route("/t/{slug}/barrierefreiheit", get(accessibility_page))
}

/// The widgets' privacy link: the town's own page, else its generated notice, in `lang`.
pub fn privacy_link(base: &str, town: &Tenant, lang: Lang) -> String {
    match town.privacy_url.as_str() {
        "" => format!(
            "{base}{}",
            statements::page_path(StatementKind::Privacy, &town.slug, lang)
        ),
        own if own.starts_with('/') => format!("{base}{own}"),
        own => own.to_string(),
    }
}

/// What a town's statements are written from, besides the town itself.
pub struct Sources {
    pub fields: StatementFields,
    pub retention: Retention,
    pub edited: EditedTexts,
}

impl Sources {
    pub async fn load(db: &Db, tenant_id: i64) -> Result<Sources, DbError> {
        let (fields, retention, edited) = tokio::try_join!(
            db.statement_fields(tenant_id),
            db.retention(tenant_id),
            db.edited_statements(tenant_id),
        )?;
        Ok(Sources {
            fields,
            retention,
            edited,
        })
    }

    pub fn context<'a>(&'a self, town: &'a Tenant, base: &'a str) -> Context<'a> {
        Context {
            town,
            fields: &self.fields,
            retention: &self.retention,
            base,
        }
    }
}

#[derive(serde::Deserialize)]
struct PageQuery {
    lang: Option<String>,
}

async fn privacy_page(
    state: State,
    slug: Path<String>,
    q: Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    page(&state, &slug, &q, &headers, StatementKind::Privacy).await
}

async fn accessibility_page(
    state: State,
    slug: Path<String>,
    q: Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    page(&state, &slug, &q, &headers, StatementKind::Accessibility).await
}

async fn page(
    state: &AppState,
    slug: &str,
    q: &PageQuery,
    headers: &HeaderMap,
    kind: StatementKind,
) -> Response {
    let lang = Lang::from_tag(q.lang.as_deref().unwrap_or("de"));
    let town = match state.db.tenant_by_slug(slug).await {
        Ok(Some(town)) => town,
        Ok(None) => return not_found(lang),
        Err(e) => return internal(lang, e),
    };
    let sources = match Sources::load(&state.db, town.id).await {
        Ok(s) => s,
        Err(e) => return internal(lang, e),
    };
    let base = state.base_url(headers);
    let (text, _) =
        statements::current(kind, lang, &sources.context(&town, &base), &sources.edited);
    html(StatusCode::OK, render_page(&town, kind, lang, &text))
}

const STYLE: &str = "*{box-sizing:border-box}\
body{font:1rem/1.6 system-ui,sans-serif;color:#222;background:#fff;margin:0}\
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}\
header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;padding-top:.75rem}\
header p{margin:0}.town{font-weight:bold}\
h1{font-size:1.6rem;line-height:1.25;margin:1rem 0}h2{font-size:1.2rem;margin:1.75rem 0 .5rem}\
a{color:#0b57a4}a:focus{outline:3px solid #0b57a4;outline-offset:2px}\
p,li{overflow-wrap:anywhere}ul{padding-left:1.25rem}li{margin:.25rem 0}\
mark{background:#fff3b0;color:#222;padding:0 .15rem}\
footer{margin-top:2.5rem;border-top:1px solid #bbb;padding-top:.5rem;padding-bottom:1rem;font-size:.95rem}\
footer ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}";

/// The whole page of one statement.
pub fn render_page(town: &Tenant, kind: StatementKind, lang: Lang, text: &str) -> String {
    let other_lang = match lang {
        Lang::De => Lang::En,
        Lang::En => Lang::De,
    };
    let other_kind = match kind {
        StatementKind::Privacy => StatementKind::Accessibility,
        StatementKind::Accessibility => StatementKind::Privacy,
    };
    let title = kind.title(lang);
    let name = escape(town.name.as_str());
    let mut html = String::with_capacity(text.len() * 2 + 2048);
    let _ = write!(
        html,
        "<!doctype html><html lang={code}><meta charset=utf-8>\
         <meta name=viewport content='width=device-width,initial-scale=1'>\
         <title>{title} – {name}</title><style>{STYLE}</style>\
         <header><p class=town>{name}</p>\
         <p><a href=\"{other}\" lang={other_code} hreflang={other_code}>{other_name}</a></p></header>\
         <main><h1>{title}</h1>{body}</main>",
        code = lang.code(),
        other = escape(statements::page_path(kind, &town.slug, other_lang).as_str()),
        other_code = other_lang.code(),
        other_name = other_lang.pick("Deutsch", "English"),
        body = render::to_html(text),
    );
    let _ = write!(
        html,
        "<footer><nav aria-label=\"{label}\"><ul><li><a href=\"{href}\">{text}</a></li>",
        label = lang.pick("Weitere Informationen", "More information"),
        href = escape(statements::page_path(other_kind, &town.slug, lang).as_str()),
        text = other_kind.title(lang),
    );
    for (url, text) in [
        (
            &town.privacy_url,
            lang.pick(
                "Datenschutzerklärung der Gemeinde",
                "The town's privacy policy",
            ),
        ),
        (&town.imprint_url, lang.pick("Impressum", "Imprint")),
    ] {
        if !url.is_empty() {
            let _ = write!(
                html,
                "<li><a href=\"{}\">{text}</a></li>",
                escape(url.as_str())
            );
        }
    }
    html.push_str("</ul></nav></footer>");
    html
}

/// A page that may be linked from anywhere: nothing runs, nothing is fetched, and a change by
/// the town shows at the next visit.
fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'",
            ),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

fn message(lang: Lang, title: &str, text: &str) -> String {
    format!(
        "<!doctype html><html lang={}><meta charset=utf-8>\
         <meta name=viewport content='width=device-width,initial-scale=1'><title>{title}</title>\
         <style>{STYLE}</style><main><h1>{title}</h1><p>{text}</p></main>",
        lang.code()
    )
}

fn not_found(lang: Lang) -> Response {
    html(
        StatusCode::NOT_FOUND,
        message(
            lang,
            lang.pick("Seite nicht gefunden", "Page not found"),
            lang.pick(
                "Zu dieser Adresse gibt es keine Gemeinde.",
                "There is no town at this address.",
            ),
        ),
    )
}

fn internal(lang: Lang, e: impl std::fmt::Display) -> Response {
    tracing::error!("statement page: {e}");
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        message(
            lang,
            crate::texts::INTERNAL_ERROR.get(lang),
            crate::texts::TRY_LATER.get(lang),
        ),
    )
}
