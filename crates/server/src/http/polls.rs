//! The poll widget's API: a poll with its state (and results when they are visible), and
//! voting with an invitation code or, in open polls, a server-signed voter token.

use super::{lang, ApiError, AppState, State};
use crate::db::polls::{normalize_code, Participation, Poll, VoteError};
use axum::extract::{ConnectInfo, Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use civickit_model::poll::{validate_ballot, PollMode, PollState};
use civickit_model::{FieldError, Lang, ValidationCode};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::Sha256;
use std::net::SocketAddr;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/{tenant}/polls/{poll}", get(show))
        .route("/{tenant}/polls/{poll}/votes", post(vote))
}

fn sign(key: &str, poll_id: i64, random: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(format!("voter:{poll_id}:{random}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn new_voter_token(key: &str, poll_id: i64) -> String {
    let random = hex::encode(rand::random::<[u8; 16]>());
    format!("{random}.{}", sign(key, poll_id, &random))
}

/// The random part of a voter token this server signed for this poll.
fn verified_random<'t>(key: &str, poll_id: i64, token: &'t str) -> Option<&'t str> {
    let (random, sig) = token.split_once('.')?;
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(format!("voter:{poll_id}:{random}").as_bytes());
    mac.verify_slice(&hex::decode(sig).ok()?).ok()?;
    Some(random)
}

/// Results as counts and percentages per option; multiple choice counts each option.
pub fn results_json(poll: &Poll) -> Value {
    let voters = poll.participations;
    json!({
        "participations": voters,
        "questions": poll.questions.iter().map(|q| json!({
            "id": q.id,
            "text": q.text,
            "options": q.options.iter().map(|o| {
                let n = poll.votes_for(o.id);
                let percent = if voters > 0 { (n as f64 * 1000.0 / voters as f64).round() / 10.0 } else { 0.0 };
                json!({"id": o.id, "text": o.text, "votes": n, "percent": percent})
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

pub fn definition_json(poll: &Poll, now: i64, lang: Lang) -> Value {
    let state = poll.state(now);
    json!({
        "slug": poll.slug,
        "title": poll.title,
        "description": poll.description,
        "mode": poll.mode.as_str(),
        "binding": poll.mode == PollMode::Codes,
        "visibility": poll.visibility.as_str(),
        "state": state.as_str(),
        "state_label": state.label(lang),
        "opens_at": super::rfc3339(poll.opens_at),
        "closes_at": super::rfc3339(poll.closes_at),
        "questions": poll.questions.iter().map(|q| json!({
            "id": q.id, "text": q.text, "kind": q.kind.as_str(),
            "min_choices": q.min_choices, "max_choices": q.max_choices,
            "options": q.options.iter().map(|o| json!({"id": o.id, "text": o.text})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

#[derive(Deserialize)]
struct ShowQuery {
    lang: Option<String>,
    voter_token: Option<String>,
}

async fn load(state: &AppState, slug: &str, poll: &str) -> Result<Poll, ApiError> {
    let tenant = state.tenant(slug).await?;
    state
        .db
        .poll(tenant.id, poll)
        .await?
        .ok_or(ApiError::NotFound)
}

async fn show(
    state: State,
    Path((slug, poll_slug)): Path<(String, String)>,
    Query(q): Query<ShowQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let lang = lang(q.lang.as_deref(), &headers);
    let poll = load(&state, &slug, &poll_slug).await?;
    let now = crate::db::now();
    let mut v = definition_json(&poll, now, lang);
    let mut has_voted = false;
    if poll.mode == PollMode::Open {
        let given = q
            .voter_token
            .as_deref()
            .filter(|t| verified_random(&state.form_key, poll.id, t).is_some());
        if let Some(token) = given {
            let random = verified_random(&state.form_key, poll.id, token).expect("checked");
            has_voted = state.db.browser_has_voted(poll.id, random).await?;
            v["voter_token"] = json!(token);
        } else {
            v["voter_token"] = json!(new_voter_token(&state.form_key, poll.id));
        }
    }
    v["has_voted"] = json!(has_voted);
    if poll
        .visibility
        .results_visible(poll.state(now), poll.published, has_voted)
    {
        v["results"] = results_json(&poll);
    }
    Ok(Json(v))
}

#[derive(Deserialize)]
struct Answer {
    question: i64,
    #[serde(default)]
    options: Vec<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VoteBody {
    answers: Vec<Answer>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    voter_token: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

async fn vote(
    state: State,
    Path((slug, poll_slug)): Path<(String, String)>,
    Query(q): Query<ShowQuery>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<VoteBody>, axum::extract::rejection::JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let lang = lang(q.lang.as_deref().or(body.lang.as_deref()), &headers);
    let poll = load(&state, &slug, &poll_slug).await?;
    let now = crate::db::now();
    match poll.state(now) {
        PollState::Open => {}
        PollState::NotYetOpen => {
            return Err(ApiError::Conflict(
                lang.pick(
                    "Die Abstimmung ist noch nicht geöffnet.",
                    "The poll is not open yet.",
                )
                .into(),
            ))
        }
        PollState::Closed => {
            return Err(ApiError::Conflict(
                lang.pick("Die Abstimmung ist beendet.", "The poll has closed.")
                    .into(),
            ))
        }
    }
    let answers: Vec<(i64, Vec<i64>)> = body
        .answers
        .into_iter()
        .map(|a| (a.question, a.options))
        .collect();
    let errors = validate_ballot(&poll.questions, &answers);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors, lang));
    }
    if !state.limiter.allow(
        &format!("vote:{}", client.ip()),
        state.limits.votes_per_address,
    ) {
        return Err(ApiError::RateLimited(
            lang.pick(
                "Von Ihrem Anschluss kamen gerade sehr viele Stimmen. Bitte versuchen Sie es später erneut.",
                "Very many votes came from your connection just now. Please try again later.",
            )
            .into(),
        ));
    }
    let code;
    let who = match poll.mode {
        PollMode::Codes => {
            code = normalize_code(body.code.as_deref().unwrap_or(""));
            if code.len() != 8 {
                return Err(ApiError::Validation(
                    vec![FieldError::new("code", ValidationCode::InvalidValue)],
                    lang,
                ));
            }
            Participation::Code(&code)
        }
        PollMode::Open => {
            let token = body.voter_token.as_deref().unwrap_or("");
            match verified_random(&state.form_key, poll.id, token) {
                Some(random) => Participation::Browser(random),
                None => {
                    return Err(ApiError::BadRequest(
                        lang.pick(
                            "Bitte laden Sie die Seite neu und stimmen Sie dann ab.",
                            "Please reload the page and vote again.",
                        )
                        .into(),
                    ))
                }
            }
        }
    };
    let chosen: Vec<i64> = answers
        .iter()
        .flat_map(|(_, o)| o.iter().copied())
        .collect();
    match state.db.vote(&poll, who, &chosen).await {
        Ok(()) => {}
        Err(VoteError::AlreadyVoted) => return Err(ApiError::Conflict(
            match poll.mode {
                PollMode::Codes => lang.pick(
                    "Mit diesem Code wurde bereits abgestimmt. Jeder Code gilt für eine Stimme.",
                    "This code has already been used. Each code is good for one vote.",
                ),
                PollMode::Open => lang.pick(
                    "Sie haben in diesem Browser bereits abgestimmt.",
                    "You have already voted in this browser.",
                ),
            }
            .into(),
        )),
        Err(VoteError::InvalidCode) => {
            return Err(ApiError::Validation(
                vec![FieldError::new("code", ValidationCode::InvalidValue)],
                lang,
            ))
        }
        Err(VoteError::Db(e)) => return Err(e.into()),
    }
    let poll = load(&state, &slug, &poll_slug).await?;
    let mut answer = json!({"counted": true});
    if poll
        .visibility
        .results_visible(poll.state(now), poll.published, true)
    {
        answer["results"] = results_json(&poll);
    }
    Ok((StatusCode::CREATED, Json(answer)))
}
