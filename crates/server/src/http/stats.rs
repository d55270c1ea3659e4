//! Public processing statistics (issue 17, `docs/statistics.md`): a town's figures as JSON for
//! `<civic-stats>`, the same as open-data downloads (CSV, JSON), and the county view of the
//! towns the operator opted in. Public and free of personal data, so any origin may read
//! them (CORS `*`, set in `http/mod.rs`), and cached for the minutes the figures are kept.

use super::{lang, ApiError, ApiJson, AppState, State};
use crate::db::tenants::Tenant;
use crate::stats::{Selection, FRESH_FOR};
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use civickit_model::api::widget::{CountyAnswer, StatsAnswer, TownFigures};
use civickit_model::stats::Audience;
use civickit_model::{FieldError, Lang, ValidationCode};
use serde::Deserialize;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/{tenant}/stats", get(stats))
        .route("/api/v1/{tenant}/stats.csv", get(download_csv))
        .route("/api/v1/{tenant}/stats.json", get(download_json))
        .route("/api/v1/county/stats", get(county))
}

/// Query of every statistics URL; kept as text so a bad value is a 422 on its field.
#[derive(Deserialize, Default)]
pub struct StatsQuery {
    pub period: Option<String>,
    pub category: Option<String>,
    pub lang: Option<String>,
}

fn cache_control() -> (header::HeaderName, String) {
    (
        header::CACHE_CONTROL,
        format!("public, max-age={}", FRESH_FOR.as_secs()),
    )
}

/// The period asked for (default 12 months), or a 422 naming `period`.
pub fn period(q: &StatsQuery, lang: Lang) -> Result<u8, ApiError> {
    match q.period.as_deref().filter(|p| !p.is_empty()) {
        None => Ok(12),
        Some(p) => p
            .parse::<u8>()
            .ok()
            .filter(|p| crate::stats::valid_period(*p))
            .ok_or_else(|| {
                ApiError::Validation(
                    vec![FieldError::new("period", ValidationCode::InvalidValue)],
                    lang,
                )
            }),
    }
}

/// The selection a query names, checked against the town's categories.
pub async fn selection(
    state: &AppState,
    tenant: &Tenant,
    q: &StatsQuery,
    lang: Lang,
    audience: Audience,
) -> Result<Selection, ApiError> {
    let period = period(q, lang)?;
    let category = q.category.clone().filter(|c| !c.is_empty());
    if let Some(code) = &category {
        let facts = state.stats.facts(&state.db, tenant).await?;
        if !facts.knows_category(code) {
            return Err(ApiError::Validation(
                vec![FieldError::new("category", ValidationCode::UnknownCategory)],
                lang,
            ));
        }
    }
    Ok(Selection {
        period,
        category,
        audience,
    })
}

/// The answer in the reader's language: the seed message kinds have English names.
pub fn localized(answer: &StatsAnswer, lang: Lang) -> StatsAnswer {
    let mut answer = answer.clone();
    for kind in &mut answer.mailbox.by_kind {
        kind.name = super::mailbox::localized_kind(&kind.kind, &kind.name, lang);
    }
    answer
}

async fn public_answer(
    state: &AppState,
    slug: &str,
    q: &StatsQuery,
    headers: &HeaderMap,
) -> Result<StatsAnswer, ApiError> {
    let lang = lang(q.lang.as_deref(), headers);
    let tenant = state.tenant(slug).await?;
    let selection = selection(state, &tenant, q, lang, Audience::Public).await?;
    let answer = state.stats.answer(&state.db, &tenant, selection).await?;
    Ok(localized(&answer, lang))
}

async fn stats(
    state: State,
    Path(slug): Path<String>,
    Query(q): Query<StatsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let answer = public_answer(&state, &slug, &q, &headers).await?;
    Ok(([cache_control()], ApiJson(answer)).into_response())
}

fn attachment(name: String) -> (header::HeaderName, String) {
    (
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"{name}\""),
    )
}

async fn download_json(
    state: State,
    Path(slug): Path<String>,
    Query(q): Query<StatsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let q = StatsQuery {
        category: None,
        ..q
    };
    let answer = public_answer(&state, &slug, &q, &headers).await?;
    let name = format!("{}-statistik-{}-monate.json", answer.tenant, answer.period);
    Ok(([cache_control(), attachment(name)], ApiJson(answer)).into_response())
}

async fn download_csv(
    state: State,
    Path(slug): Path<String>,
    Query(q): Query<StatsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lang = lang(q.lang.as_deref(), &headers);
    let tenant = state.tenant(&slug).await?;
    let period = period(&q, lang)?;
    let facts = state.stats.facts(&state.db, &tenant).await?;
    let selection = Selection {
        period,
        category: None,
        audience: Audience::Public,
    };
    let name = format!("{}-statistik-{period}-monate.csv", tenant.slug);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            cache_control(),
            attachment(name),
        ],
        crate::stats::csv(&facts, &selection),
    )
        .into_response())
}

async fn county(
    state: State,
    Query(q): Query<StatsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lang = lang(q.lang.as_deref(), &headers);
    let period = period(&q, lang)?;
    let mut towns = Vec::new();
    let mut updated = crate::db::now();
    for tenant in state.db.county_tenants().await? {
        let selection = Selection {
            period,
            category: None,
            audience: Audience::Public,
        };
        let answer = state.stats.answer(&state.db, &tenant, selection).await?;
        let facts = state.stats.facts(&state.db, &tenant).await?;
        updated = updated.min(facts.at);
        let open = facts.reports.iter().filter(|(_, r)| r.status.is_open());
        towns.push(TownFigures {
            tenant: answer.tenant.clone(),
            name: answer.name.clone(),
            promise_days: answer.promise_days,
            figures: answer.total.clone(),
            open: Audience::Public.count(open.count()),
        });
    }
    let answer = CountyAnswer {
        period,
        updated: super::rfc3339(updated),
        towns,
    };
    Ok(([cache_control()], ApiJson(answer)).into_response())
}
