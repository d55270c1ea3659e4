//! Polls in the office (admins): create, edit until the first vote, open, close, publish,
//! delete, invitation codes (JSON, CSV, printable slips) and results (JSON, aggregated CSV).

use super::guards::Admin;
use crate::csv_out::cell as csv_field;
use crate::db::polls::{NewPoll, NewQuestion, Poll, PollChangeError};
use crate::http::{rfc3339, ApiError, ApiJson, AppState, State};
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use civickit_model::api::office::{
    Codes, FormatQuery, NewCodes, OfficePoll, PollDefinition, PollList,
};
use civickit_model::poll::{
    validate_question, PollMode, QuestionKind, Visibility, MAX_CODES_PER_BATCH, MAX_QUESTIONS,
    TEXT_MAX_CHARS, TITLE_MAX_CHARS,
};
use civickit_model::validate::clean_text;
use civickit_model::Lang;
use quick_xml::escape::escape;
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

async fn office_poll(state: &AppState, poll: &Poll) -> Result<OfficePoll, ApiError> {
    let poll_state = poll.state(crate::db::now());
    let (codes_issued, codes_used) = if poll.mode == PollMode::Codes {
        let (issued, used) = state.db.code_counts(poll.id).await?;
        (Some(issued), Some(used))
    } else {
        (None, None)
    };
    Ok(OfficePoll {
        slug: poll.slug.clone(),
        title: poll.title.clone(),
        description: poll.description.clone(),
        mode: poll.mode,
        binding: poll.mode == PollMode::Codes,
        visibility: poll.visibility,
        state: poll_state,
        state_label: poll_state.label(Lang::De).to_string(),
        opens_at: rfc3339(poll.opens_at),
        closes_at: rfc3339(poll.closes_at),
        questions: poll.questions.clone(),
        participations: poll.participations,
        results: crate::http::polls::results(poll, crate::db::now()),
        published: poll.published,
        codes_issued,
        codes_used,
    })
}

async fn load(state: &AppState, admin: &Admin, slug: &str) -> Result<Poll, ApiError> {
    state
        .db
        .poll(admin.tenant_id(), slug)
        .await?
        .ok_or(ApiError::NotFound)
}

async fn list(state: State, admin: Admin) -> Result<ApiJson<PollList>, ApiError> {
    let mut polls = Vec::new();
    for p in state.db.polls(admin.tenant_id()).await? {
        polls.push(office_poll(&state, &p).await?);
    }
    Ok(ApiJson(PollList { polls }))
}

async fn one(
    state: State,
    admin: Admin,
    Path(slug): Path<String>,
) -> Result<ApiJson<OfficePoll>, ApiError> {
    let poll = load(&state, &admin, &slug).await?;
    Ok(ApiJson(office_poll(&state, &poll).await?))
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
fn definition(body: PollDefinition) -> Result<NewPoll, ApiError> {
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
    admin: Admin,
    ApiJson(body): ApiJson<PollDefinition>,
) -> Result<(StatusCode, ApiJson<OfficePoll>), ApiError> {
    let poll = state
        .db
        .create_poll(admin.tenant_id(), &definition(body)?, &admin.actor())
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(office_poll(&state, &poll).await?),
    ))
}

async fn edit(
    state: State,
    admin: Admin,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<PollDefinition>,
) -> Result<ApiJson<OfficePoll>, ApiError> {
    let poll = state
        .db
        .update_poll(admin.tenant_id(), &slug, &definition(body)?, &admin.actor())
        .await
        .map_err(|e| match e {
            PollChangeError::HasVotes => ApiError::Conflict(
                "Es wurde bereits abgestimmt; die Umfrage kann nicht mehr geändert werden.".into(),
            ),
            PollChangeError::NotFound => ApiError::NotFound,
            PollChangeError::Db(e) => e.into(),
        })?;
    Ok(ApiJson(office_poll(&state, &poll).await?))
}

async fn delete(
    state: State,
    admin: Admin,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    let poll = load(&state, &admin, &slug).await?;
    state
        .db
        .delete_poll(admin.tenant_id(), &poll, &admin.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets opening, closing and publication as `change` computes them from the poll and now.
async fn schedule(
    state: &AppState,
    admin: &Admin,
    slug: &str,
    change: impl FnOnce(&Poll, i64) -> (i64, i64, bool),
    action: &str,
) -> Result<ApiJson<OfficePoll>, ApiError> {
    let poll = load(state, admin, slug).await?;
    let (opens, closes, published) = change(&poll, crate::db::now());
    state
        .db
        .set_poll_schedule(
            admin.tenant_id(),
            &poll,
            (opens, closes, published),
            &admin.actor(),
            action,
        )
        .await?;
    let poll = load(state, admin, slug).await?;
    Ok(ApiJson(office_poll(state, &poll).await?))
}

/// Opens now (keeping a later closing time, or a week from now if it was already over).
async fn open(
    state: State,
    admin: Admin,
    Path(slug): Path<String>,
) -> Result<ApiJson<OfficePoll>, ApiError> {
    schedule(
        &state,
        &admin,
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
    admin: Admin,
    Path(slug): Path<String>,
) -> Result<ApiJson<OfficePoll>, ApiError> {
    schedule(
        &state,
        &admin,
        &slug,
        |p, now| (p.opens_at.min(now), now, p.published),
        "poll.close",
    )
    .await
}

async fn publish(
    state: State,
    admin: Admin,
    Path(slug): Path<String>,
) -> Result<ApiJson<OfficePoll>, ApiError> {
    schedule(
        &state,
        &admin,
        &slug,
        |p, _| (p.opens_at, p.closes_at, true),
        "poll.publish",
    )
    .await
}

fn csv_response(csv: String) -> Response {
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response()
}

/// A printable page of slips, one code each, to hand out to residents.
fn code_slips(town: &str, title: &str, codes: &[String]) -> String {
    let mut html = format!(
        "<!doctype html><html lang=de><meta charset=utf-8><title>Codes: {t}</title>\
         <style>body{{font-family:sans-serif}}.slip{{display:inline-block;width:45%;border:1px dashed #999;\
         margin:.5rem;padding:1rem;page-break-inside:avoid}}.code{{font:bold 1.6rem monospace}}</style>",
        t = escape(title)
    );
    for c in codes {
        html.push_str(&format!(
            "<div class=slip><p>{town} – Abstimmung</p><p><strong>{t}</strong></p>\
             <p>Ihr persönlicher Code (gilt für eine Stimme):</p><p class=code>{c}</p></div>",
            town = escape(town),
            t = escape(title),
        ));
    }
    html
}

/// Makes invitation codes. They are shown this once (JSON, CSV, or a printable page of slips)
/// and stored only as hashes.
async fn codes(
    state: State,
    admin: Admin,
    Path(slug): Path<String>,
    Query(q): Query<FormatQuery>,
    ApiJson(body): ApiJson<NewCodes>,
) -> Result<Response, ApiError> {
    let poll = load(&state, &admin, &slug).await?;
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
        .generate_codes(admin.tenant_id(), &poll, body.count, &admin.actor())
        .await?;
    let tenant = state
        .db
        .tenant_by_id(admin.tenant_id())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(match q.format.as_deref() {
        Some("csv") => {
            let mut csv = String::from("code,poll\n");
            for c in &codes {
                csv.push_str(&format!("{},{}\n", csv_field(c), csv_field(&poll.title)));
            }
            csv_response(csv)
        }
        Some("html") => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            code_slips(&tenant.name, &poll.title, &codes),
        )
            .into_response(),
        _ => ApiJson(Codes { codes }).into_response(),
    })
}

/// Results for the office, whatever the public visibility (while the poll is open, as of the
/// town's step, like the public's); `?format=csv` for the aggregated export (question, option,
/// votes, percent — never anything per voter).
async fn results(
    state: State,
    admin: Admin,
    Path(slug): Path<String>,
    Query(q): Query<FormatQuery>,
) -> Result<Response, ApiError> {
    let poll = load(&state, &admin, &slug).await?;
    let results = crate::http::polls::results(&poll, crate::db::now());
    if q.format.as_deref() != Some("csv") {
        return Ok(ApiJson(results).into_response());
    }
    let mut csv = String::from("question,option,votes,percent\n");
    for question in &results.questions {
        for o in &question.options {
            csv.push_str(&format!(
                "{},{},{},{}\n",
                csv_field(&question.text),
                csv_field(&o.text),
                o.votes,
                // Written as in the JSON answer (`50.0`, not Rust's `50`), as the CSV always was.
                serde_json::json!(o.percent)
            ));
        }
    }
    csv.push_str(&format!("participations,,{},\n", results.participations));
    if let Some(step) = results.interim_step {
        csv.push_str(&format!("interim_step,,{step},\n"));
    }
    Ok(csv_response(csv))
}
