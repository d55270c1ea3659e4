//! Polls in the office (admins): create, edit until the first vote, open, close, publish,
//! delete, invitation codes (JSON, CSV, printable slips) and results (JSON, aggregated CSV).

use super::office::Official;
use super::polls::{definition_json, results_json};
use super::{ApiError, AppState, State};
use crate::db::polls::{NewPoll, NewQuestion, Poll, PollChangeError};
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use civickit_model::poll::{
    validate_question, PollMode, QuestionKind, Visibility, MAX_CODES_PER_BATCH, MAX_QUESTIONS,
    TEXT_MAX_CHARS, TITLE_MAX_CHARS,
};
use civickit_model::validate::clean_text;
use civickit_model::Lang;
use quick_xml::escape::escape;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office/api/polls", get(list).post(create))
        .route(
            "/office/api/polls/{poll}",
            get(one).put(edit).delete(delete),
        )
        .route("/office/api/polls/{poll}/open", post(open))
        .route("/office/api/polls/{poll}/close", post(close))
        .route("/office/api/polls/{poll}/publish", post(publish))
        .route("/office/api/polls/{poll}/codes", post(codes))
        .route("/office/api/polls/{poll}/results", get(results))
}

async fn office_json(state: &AppState, poll: &Poll) -> Result<Value, ApiError> {
    let mut v = definition_json(poll, crate::db::now(), Lang::De);
    v["results"] = results_json(poll);
    v["published"] = json!(poll.published);
    if poll.mode == PollMode::Codes {
        let (issued, used) = state.db.code_counts(poll.id).await?;
        v["codes_issued"] = json!(issued);
        v["codes_used"] = json!(used);
    }
    Ok(v)
}

async fn load(state: &AppState, official: &Official, slug: &str) -> Result<Poll, ApiError> {
    official.require_admin()?;
    state
        .db
        .poll(official.session.user.tenant_id, slug)
        .await?
        .ok_or(ApiError::NotFound)
}

async fn list(state: State, official: Official) -> Result<Json<Value>, ApiError> {
    official.require_admin()?;
    let mut out = Vec::new();
    for p in state.db.polls(official.session.user.tenant_id).await? {
        out.push(office_json(&state, &p).await?);
    }
    Ok(Json(json!({"polls": out})))
}

async fn one(
    state: State,
    official: Official,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let poll = load(&state, &official, &slug).await?;
    Ok(Json(office_json(&state, &poll).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionBody {
    text: String,
    kind: String,
    #[serde(default = "one_choice")]
    min_choices: i64,
    #[serde(default = "one_choice")]
    max_choices: i64,
    options: Vec<String>,
}

fn one_choice() -> i64 {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PollBody {
    title: String,
    #[serde(default)]
    description: String,
    mode: String,
    visibility: String,
    /// RFC 3339
    opens_at: String,
    closes_at: String,
    questions: Vec<QuestionBody>,
}

fn parse_time(field: &str, value: &str) -> Result<i64, ApiError> {
    time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|_| {
            ApiError::BadRequest(format!(
                "{field} must be an RFC 3339 time such as 2026-12-01T08:00:00+01:00"
            ))
        })
}

/// Checks a poll definition and turns it into storage form; every problem is reported.
fn definition(body: PollBody) -> Result<NewPoll, ApiError> {
    let mut problems = Vec::new();
    let title = clean_text(&body.title);
    if title.is_empty() || title.chars().count() > TITLE_MAX_CHARS {
        problems.push("title must be 1 to 200 characters".to_string());
    }
    let description = clean_text(&body.description);
    if description.chars().count() > TEXT_MAX_CHARS {
        problems.push("description may have at most 2000 characters".into());
    }
    let mode = PollMode::parse(&body.mode);
    if mode.is_none() {
        problems.push("mode must be open or codes".into());
    }
    let visibility = Visibility::parse(&body.visibility);
    if visibility.is_none() {
        problems
            .push("visibility must be live, after_voting, after_closing or when_published".into());
    }
    let opens_at = parse_time("opens_at", &body.opens_at)?;
    let closes_at = parse_time("closes_at", &body.closes_at)?;
    if closes_at <= opens_at {
        problems.push("closes_at must be after opens_at".into());
    }
    if body.questions.is_empty() || body.questions.len() > MAX_QUESTIONS {
        problems.push("a poll needs 1 to 20 questions".into());
    }
    let mut questions = Vec::new();
    for (i, q) in body.questions.into_iter().enumerate() {
        let Some(kind) = QuestionKind::parse(&q.kind) else {
            problems.push(format!(
                "question {}: kind must be single or multiple",
                i + 1
            ));
            continue;
        };
        let text = clean_text(&q.text);
        let options: Vec<String> = q.options.iter().map(|o| clean_text(o)).collect();
        let (min, max) = (q.min_choices.max(0) as usize, q.max_choices.max(0) as usize);
        if let Some(problem) = validate_question(&text, kind, min, max, &options) {
            problems.push(format!("question {}: {problem}", i + 1));
        }
        questions.push(NewQuestion {
            text,
            kind,
            min_choices: q.min_choices,
            max_choices: q.max_choices,
            options,
        });
    }
    if !problems.is_empty() {
        return Err(ApiError::BadRequest(problems.join("; ")));
    }
    Ok(NewPoll {
        slug: None,
        title,
        description,
        mode: mode.expect("checked"),
        visibility: visibility.expect("checked"),
        opens_at,
        closes_at,
        questions,
    })
}

async fn create(
    state: State,
    official: Official,
    body: Result<Json<PollBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    official.require_admin()?;
    let Json(body) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let poll = state
        .db
        .create_poll(
            official.session.user.tenant_id,
            &definition(body)?,
            &official.actor(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(office_json(&state, &poll).await?)).into_response())
}

async fn edit(
    state: State,
    official: Official,
    Path(slug): Path<String>,
    body: Result<Json<PollBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    official.require_admin()?;
    let Json(body) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let poll = state
        .db
        .update_poll(
            official.session.user.tenant_id,
            &slug,
            &definition(body)?,
            &official.actor(),
        )
        .await
        .map_err(|e| match e {
            PollChangeError::HasVotes => ApiError::Conflict(
                "Es wurde bereits abgestimmt; die Umfrage kann nicht mehr geändert werden.".into(),
            ),
            PollChangeError::NotFound => ApiError::NotFound,
            PollChangeError::Db(e) => e.into(),
        })?;
    Ok(Json(office_json(&state, &poll).await?))
}

async fn delete(
    state: State,
    official: Official,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    let poll = load(&state, &official, &slug).await?;
    state
        .db
        .delete_poll(official.session.user.tenant_id, &poll, &official.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn schedule(
    state: &AppState,
    official: &Official,
    slug: &str,
    change: impl FnOnce(&Poll, i64) -> (i64, i64, bool),
    action: &str,
) -> Result<Json<Value>, ApiError> {
    let poll = load(state, official, slug).await?;
    let (opens, closes, published) = change(&poll, crate::db::now());
    state
        .db
        .set_poll_schedule(
            official.session.user.tenant_id,
            &poll,
            (opens, closes, published),
            &official.actor(),
            action,
        )
        .await?;
    let poll = load(state, official, slug).await?;
    Ok(Json(office_json(state, &poll).await?))
}

/// Opens now (keeping a later closing time, or a week from now if it was already over).
async fn open(
    state: State,
    official: Official,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    schedule(
        &state,
        &official,
        &slug,
        |p, now| {
            let closes = if p.closes_at > now {
                p.closes_at
            } else {
                now + 7 * 86_400
            };
            (now.min(p.opens_at), closes, p.published)
        },
        "poll.open",
    )
    .await
}

async fn close(
    state: State,
    official: Official,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    schedule(
        &state,
        &official,
        &slug,
        |p, now| (p.opens_at.min(now), now, p.published),
        "poll.close",
    )
    .await
}

async fn publish(
    state: State,
    official: Official,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    schedule(
        &state,
        &official,
        &slug,
        |p, _| (p.opens_at, p.closes_at, true),
        "poll.publish",
    )
    .await
}

#[derive(Deserialize)]
struct CodesBody {
    count: usize,
}

#[derive(Deserialize)]
struct FormatQuery {
    format: Option<String>,
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Makes invitation codes. They are shown this once (JSON, CSV, or a printable page of slips)
/// and stored only as hashes.
async fn codes(
    state: State,
    official: Official,
    Path(slug): Path<String>,
    Query(q): Query<FormatQuery>,
    Json(body): Json<CodesBody>,
) -> Result<Response, ApiError> {
    let poll = load(&state, &official, &slug).await?;
    if poll.mode != PollMode::Codes {
        return Err(ApiError::Conflict(
            "Diese Umfrage ist offen und braucht keine Codes.".into(),
        ));
    }
    if !(1..=MAX_CODES_PER_BATCH).contains(&body.count) {
        return Err(ApiError::BadRequest(format!(
            "count must be 1 to {MAX_CODES_PER_BATCH}"
        )));
    }
    let codes = state
        .db
        .generate_codes(
            official.session.user.tenant_id,
            &poll,
            body.count,
            &official.actor(),
        )
        .await?;
    let tenant = state
        .db
        .tenant_by_id(official.session.user.tenant_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(match q.format.as_deref() {
        Some("csv") => {
            let mut csv = String::from("code,poll\n");
            for c in &codes {
                csv.push_str(&format!("{c},{}\n", csv_field(&poll.title)));
            }
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response()
        }
        Some("html") => {
            let mut html = format!(
                "<!doctype html><html lang=de><meta charset=utf-8><title>Codes: {t}</title>\
                 <style>body{{font-family:sans-serif}}.slip{{display:inline-block;width:45%;border:1px dashed #999;\
                 margin:.5rem;padding:1rem;page-break-inside:avoid}}.code{{font:bold 1.6rem monospace}}</style>"
                ,
                t = escape(&poll.title)
            );
            for c in &codes {
                html.push_str(&format!(
                    "<div class=slip><p>{town} – Abstimmung</p><p><strong>{t}</strong></p>\
                     <p>Ihr persönlicher Code (gilt für eine Stimme):</p><p class=code>{c}</p></div>",
                    town = escape(&tenant.name),
                    t = escape(&poll.title),
                ));
            }
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
        }
        _ => Json(json!({"codes": codes})).into_response(),
    })
}

/// Results for the office, whatever the public visibility; `?format=csv` for the aggregated
/// export (question, option, votes, percent — never anything per voter).
async fn results(
    state: State,
    official: Official,
    Path(slug): Path<String>,
    Query(q): Query<FormatQuery>,
) -> Result<Response, ApiError> {
    let poll = load(&state, &official, &slug).await?;
    let results = results_json(&poll);
    if q.format.as_deref() != Some("csv") {
        return Ok(Json(results).into_response());
    }
    let mut csv = String::from("question,option,votes,percent\n");
    for question in results["questions"].as_array().into_iter().flatten() {
        for o in question["options"].as_array().into_iter().flatten() {
            csv.push_str(&format!(
                "{},{},{},{}\n",
                csv_field(question["text"].as_str().unwrap_or("")),
                csv_field(o["text"].as_str().unwrap_or("")),
                o["votes"],
                o["percent"]
            ));
        }
    }
    csv.push_str(&format!("participations,,{},\n", poll.participations));
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response())
}
