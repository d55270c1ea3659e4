//! The poll widget's API: a poll with its state (and results when they are visible), and
//! voting with an invitation code or, in open polls, a server-signed voter token.

use super::citizen::{CitizenForm, Flood};
use super::{lang, ApiError, ApiJson, AppState, State};
use crate::db::polls::{normalize_code, Participation, Poll, VoteError};
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use civickit_model::api::widget::{
    OptionResult, Poll as PollAnswer, PollDefinition, PollResults, QuestionResult, VoteAnswer,
    VoteRequest,
};
use civickit_model::poll::{validate_ballot, PollMode, PollState};
use civickit_model::{FieldError, Lang, ValidationCode};
use serde::Deserialize;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/{tenant}/polls/{poll}", get(show))
        .route("/{tenant}/polls/{poll}/votes", post(vote))
}

fn sign(key: &str, poll_id: i64, random: &str) -> String {
    crate::secrets::sign(key, &format!("voter:{poll_id}:{random}"))
}

fn new_voter_token(key: &str, poll_id: i64) -> String {
    let random = hex::encode(rand::random::<[u8; 16]>());
    format!("{random}.{}", sign(key, poll_id, &random))
}

/// The random part of a voter token this server signed for this poll.
fn verified_random<'t>(key: &str, poll_id: i64, token: &'t str) -> Option<&'t str> {
    let (random, sig) = token.split_once('.')?;
    crate::secrets::signature_holds(key, &format!("voter:{poll_id}:{random}"), sig)
        .then_some(random)
}

/// Results as counts and percentages per option (multiple choice counts each option), as a
/// watcher may see them at `now`: interim counts while the poll is open (`Poll::shown`).
pub fn results(poll: &Poll, now: i64) -> PollResults {
    let shown = poll.shown(now);
    let voters = shown.participations;
    PollResults {
        participations: voters,
        interim_step: shown.interim_step,
        questions: poll
            .questions
            .iter()
            .map(|q| QuestionResult {
                id: q.id,
                text: q.text.clone(),
                options: q
                    .options
                    .iter()
                    .map(|o| {
                        let n = shown.votes_for(o.id);
                        let percent = if voters > 0 {
                            (n as f64 * 1000.0 / voters as f64).round() / 10.0
                        } else {
                            0.0
                        };
                        OptionResult {
                            id: o.id,
                            text: o.text.clone(),
                            votes: n,
                            percent,
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// What a poll asks and when, in the requester's language.
pub fn definition(poll: &Poll, now: i64, lang: Lang) -> PollDefinition {
    let state = poll.state(now);
    PollDefinition {
        slug: poll.slug.clone(),
        title: poll.title.clone(),
        description: poll.description.clone(),
        mode: poll.mode,
        binding: poll.mode == PollMode::Codes,
        visibility: poll.visibility,
        state,
        state_label: state.label(lang).into(),
        opens_at: super::rfc3339(poll.opens_at),
        closes_at: super::rfc3339(poll.closes_at),
        questions: poll.questions.clone(),
    }
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
    client: super::ClientAddr,
    headers: HeaderMap,
) -> Result<ApiJson<PollAnswer>, ApiError> {
    let lang = lang(q.lang.as_deref(), &headers);
    let poll = load(&state, &slug, &poll_slug).await?;
    let now = crate::db::now();
    let mut has_voted = false;
    let mut voter_token = None;
    if poll.mode == PollMode::Open {
        let given = q
            .voter_token
            .as_deref()
            .and_then(|t| Some((t, verified_random(&state.form_key, poll.id, t)?)));
        if let Some((token, random)) = given {
            has_voted = state.db.browser_has_voted(poll.id, random).await?;
            voter_token = Some(token.to_string());
        } else {
            // Over the address's limit the poll is still shown, without a token: reading is
            // never refused, and a vote then needs a fresh GET once the limit allows one
            // (the vote without a token is refused as the poll always refuses it).
            let tenant = state.tenant(&slug).await?;
            let minted = super::citizen::Flood::PollTokens
                .check(&state, &client, tenant.id, lang)
                .await;
            if minted.is_ok() {
                voter_token = Some(new_voter_token(&state.form_key, poll.id));
            }
        }
    }
    let visible = poll
        .visibility
        .results_visible(poll.state(now), poll.published, has_voted);
    Ok(ApiJson(PollAnswer {
        definition: definition(&poll, now, lang),
        voter_token,
        has_voted,
        results: visible.then(|| results(&poll, now)),
    }))
}

async fn vote(
    state: State,
    Path((_, poll_slug)): Path<(String, String)>,
    form: CitizenForm<VoteRequest>,
) -> Result<(StatusCode, ApiJson<VoteAnswer>), ApiError> {
    let lang = form.lang;
    let body = &form.body;
    let load = || async {
        state
            .db
            .poll(form.tenant.id, &poll_slug)
            .await?
            .ok_or(ApiError::NotFound)
    };
    let poll = load().await?;
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
    let answers = body.ballot();
    let errors = validate_ballot(&poll.questions, &answers);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors, lang));
    }
    form.rate_limit(&state, Flood::Votes).await?;
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
    // Again, with this vote counted.
    let poll = load().await?;
    let visible = poll
        .visibility
        .results_visible(poll.state(now), poll.published, true);
    Ok((
        StatusCode::CREATED,
        ApiJson(VoteAnswer {
            counted: true,
            results: visible.then(|| results(&poll, now)),
        }),
    ))
}
