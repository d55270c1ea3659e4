//! The answers of the poll endpoints, read with the lean JSON reader of `crate::api`.

use crate::api::{FromJson, Json};
use civickit_model::poll::{PollMode, PollOption, PollState, Question, QuestionKind, Visibility};

/// `GET /api/v1/{tenant}/polls/{slug}`.
#[derive(Debug, Clone, PartialEq)]
pub struct PollInfo {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub mode: PollMode,
    pub binding: bool,
    pub visibility: Visibility,
    pub state: PollState,
    pub state_label: String,
    pub opens_at: String,
    pub closes_at: String,
    pub questions: Vec<Question>,
    pub voter_token: Option<String>,
    pub has_voted: bool,
    pub results: Option<Results>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub participations: i64,
    pub questions: Vec<ResultQuestion>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResultQuestion {
    pub id: i64,
    pub text: String,
    pub options: Vec<ResultOption>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResultOption {
    pub id: i64,
    pub text: String,
    pub votes: i64,
    pub percent: f64,
}

impl FromJson for Results {
    fn from_json(j: &Json) -> Option<Results> {
        j.get("participations").0.as_f64()?;
        Some(Results {
            participations: j.int("participations"),
            questions: j
                .list("questions")
                .iter()
                .map(|q| ResultQuestion {
                    id: q.int("id"),
                    text: q.str("text"),
                    options: q
                        .list("options")
                        .iter()
                        .map(|o| ResultOption {
                            id: o.int("id"),
                            text: o.str("text"),
                            votes: o.int("votes"),
                            percent: o.num("percent").unwrap_or(0.0),
                        })
                        .collect(),
                })
                .collect(),
        })
    }
}

impl FromJson for PollInfo {
    fn from_json(j: &Json) -> Option<PollInfo> {
        Some(PollInfo {
            slug: j.opt_str("slug")?,
            title: j.str("title"),
            description: j.str("description"),
            mode: PollMode::parse(&j.str("mode"))?,
            binding: j.bool("binding"),
            visibility: Visibility::parse(&j.str("visibility")).unwrap_or(Visibility::AfterClosing),
            state: PollState::parse(&j.str("state"))?,
            state_label: j.str("state_label"),
            opens_at: j.str("opens_at"),
            closes_at: j.str("closes_at"),
            questions: j
                .list("questions")
                .iter()
                .map(|q| {
                    let kind = QuestionKind::parse(&q.str("kind")).unwrap_or(QuestionKind::Single);
                    let count = |key: &str| q.num(key).map(|n| n.max(1.0) as usize).unwrap_or(1);
                    Question {
                        id: q.int("id"),
                        text: q.str("text"),
                        kind,
                        min_choices: count("min_choices"),
                        max_choices: count("max_choices"),
                        options: q
                            .list("options")
                            .iter()
                            .map(|o| PollOption {
                                id: o.int("id"),
                                text: o.str("text"),
                            })
                            .collect(),
                    }
                })
                .collect(),
            voter_token: j.opt_str("voter_token"),
            has_voted: j.bool("has_voted"),
            results: Results::from_json(&j.get("results")),
        })
    }
}

/// `201` of `POST …/votes`.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    pub results: Option<Results>,
}

impl FromJson for Counted {
    fn from_json(j: &Json) -> Option<Counted> {
        j.get("counted").0.as_bool()?;
        Some(Counted {
            results: Results::from_json(&j.get("results")),
        })
    }
}
