//! Polls: question kinds, result visibility, participation modes, and the validation of a
//! ballot against its questions, shared by the `<civic-poll>` widget and the server.

use crate::validate::{FieldError, ValidationCode};
use crate::Lang;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX_CHARS: usize = 200;
pub const TEXT_MAX_CHARS: usize = 2000;
pub const MAX_QUESTIONS: usize = 20;
pub const MAX_OPTIONS: usize = 30;
pub const MAX_CODES_PER_BATCH: usize = 5000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Single,
    Multiple,
}

/// Who may vote: anyone once per browser (a non-binding "Stimmungsbild"), or holders of a
/// single-use invitation code handed out to residents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PollMode {
    Open,
    Codes,
}

/// When the public sees the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Live,
    AfterVoting,
    AfterClosing,
    WhenPublished,
}

/// Where a poll stands in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PollState {
    NotYetOpen,
    Open,
    Closed,
}

macro_rules! string_enum {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
            pub fn parse(s: &str) -> Option<$t> {
                match s { $($s => Some(<$t>::$v),)* _ => None }
            }
        }
    };
}

string_enum!(QuestionKind { Single => "single", Multiple => "multiple" });
string_enum!(PollMode { Open => "open", Codes => "codes" });
string_enum!(Visibility { Live => "live", AfterVoting => "after_voting", AfterClosing => "after_closing", WhenPublished => "when_published" });
string_enum!(PollState { NotYetOpen => "not_yet_open", Open => "open", Closed => "closed" });

impl PollState {
    pub fn at(now: i64, opens_at: i64, closes_at: i64) -> PollState {
        if now < opens_at {
            PollState::NotYetOpen
        } else if now >= closes_at {
            PollState::Closed
        } else {
            PollState::Open
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PollState::NotYetOpen => lang.pick("noch nicht geöffnet", "not open yet"),
            PollState::Open => lang.pick("geöffnet", "open"),
            PollState::Closed => lang.pick("beendet", "closed"),
        }
    }
}

impl Visibility {
    /// Whether the public may see results now. `has_voted` is what the asking browser proved.
    pub fn results_visible(self, state: PollState, published: bool, has_voted: bool) -> bool {
        match self {
            Visibility::Live => true,
            Visibility::AfterVoting => has_voted || state == PollState::Closed,
            Visibility::AfterClosing => state == PollState::Closed,
            Visibility::WhenPublished => published,
        }
    }
}

/// A question as the ballot sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    pub text: String,
    pub kind: QuestionKind,
    /// For multiple choice: how many options at least and at most (single: 1 and 1).
    pub min_choices: usize,
    pub max_choices: usize,
    pub options: Vec<PollOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollOption {
    pub id: i64,
    pub text: String,
}

/// The field name of a question in errors: `question-<id>`.
pub fn question_field(id: i64) -> String {
    format!("question-{id}")
}

/// Checks a ballot: every question answered with existing, distinct options, within its
/// minimum and maximum. `answers` are (question id, chosen option ids).
pub fn validate_ballot(questions: &[Question], answers: &[(i64, Vec<i64>)]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (qid, _) in answers {
        if !questions.iter().any(|q| q.id == *qid) {
            errors.push(FieldError::new(
                &question_field(*qid),
                ValidationCode::InvalidValue,
            ));
        }
    }
    for q in questions {
        let field = question_field(q.id);
        let chosen: &[i64] = answers
            .iter()
            .find(|(qid, _)| *qid == q.id)
            .map(|(_, c)| c.as_slice())
            .unwrap_or(&[]);
        let mut distinct = chosen.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() != chosen.len()
            || chosen.iter().any(|c| !q.options.iter().any(|o| o.id == *c))
        {
            errors.push(FieldError::new(&field, ValidationCode::InvalidValue));
        } else if chosen.len() < q.min_choices.max(1) {
            errors.push(FieldError::new(&field, ValidationCode::TooFewChoices));
        } else if chosen.len() > q.max_choices.max(1) {
            errors.push(FieldError::new(&field, ValidationCode::TooManyChoices));
        }
    }
    errors
}

/// Checks a question as the office defines it.
pub fn validate_question(
    text: &str,
    kind: QuestionKind,
    min: usize,
    max: usize,
    options: &[String],
) -> Option<&'static str> {
    if text.trim().is_empty() || text.chars().count() > TEXT_MAX_CHARS {
        return Some("question text must be 1 to 2000 characters");
    }
    if options.len() < 2 || options.len() > MAX_OPTIONS {
        return Some("a question needs 2 to 30 options");
    }
    if options
        .iter()
        .any(|o| o.trim().is_empty() || o.chars().count() > TITLE_MAX_CHARS)
    {
        return Some("options must be 1 to 200 characters");
    }
    if kind == QuestionKind::Multiple && (min < 1 || min > max || max > options.len()) {
        return Some("multiple choice needs 1 <= min <= max <= number of options");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions() -> Vec<Question> {
        let opts = |ids: &[i64]| {
            ids.iter()
                .map(|&id| PollOption {
                    id,
                    text: format!("O{id}"),
                })
                .collect()
        };
        vec![
            Question {
                id: 1,
                text: "Ja oder nein?".into(),
                kind: QuestionKind::Single,
                min_choices: 1,
                max_choices: 1,
                options: opts(&[10, 11]),
            },
            Question {
                id: 2,
                text: "Welche zwei?".into(),
                kind: QuestionKind::Multiple,
                min_choices: 1,
                max_choices: 2,
                options: opts(&[20, 21, 22]),
            },
        ]
    }

    fn codes(answers: &[(i64, Vec<i64>)]) -> Vec<(String, ValidationCode)> {
        validate_ballot(&questions(), answers)
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_complete_ballot_passes() {
        assert!(codes(&[(1, vec![10]), (2, vec![20, 22])]).is_empty());
        assert!(codes(&[(1, vec![11]), (2, vec![21])]).is_empty());
    }

    #[test]
    fn min_max_and_bad_options_are_refused_per_question() {
        assert_eq!(
            codes(&[(1, vec![10, 11]), (2, vec![20, 21, 22])]),
            vec![
                ("question-1".into(), ValidationCode::TooManyChoices),
                ("question-2".into(), ValidationCode::TooManyChoices),
            ]
        );
        assert_eq!(
            codes(&[(2, vec![20])]),
            vec![("question-1".into(), ValidationCode::TooFewChoices)]
        );
        assert_eq!(
            codes(&[(1, vec![20]), (2, vec![20, 20])]),
            vec![
                ("question-1".into(), ValidationCode::InvalidValue),
                ("question-2".into(), ValidationCode::InvalidValue),
            ]
        );
        assert_eq!(
            codes(&[(1, vec![10]), (2, vec![20]), (9, vec![1])]),
            vec![("question-9".into(), ValidationCode::InvalidValue)]
        );
    }

    #[test]
    fn visibility_rules() {
        use PollState::*;
        assert!(Visibility::Live.results_visible(Open, false, false));
        assert!(!Visibility::AfterVoting.results_visible(Open, false, false));
        assert!(Visibility::AfterVoting.results_visible(Open, false, true));
        assert!(!Visibility::AfterClosing.results_visible(Open, false, true));
        assert!(Visibility::AfterClosing.results_visible(Closed, false, false));
        assert!(!Visibility::WhenPublished.results_visible(Closed, false, true));
        assert!(Visibility::WhenPublished.results_visible(Closed, true, false));
        assert_eq!(PollState::at(5, 10, 20), NotYetOpen);
        assert_eq!(PollState::at(10, 10, 20), Open);
        assert_eq!(PollState::at(20, 10, 20), Closed);
    }

    #[test]
    fn question_definitions() {
        let two = vec!["a".to_string(), "b".to_string()];
        assert_eq!(
            validate_question("Q?", QuestionKind::Single, 1, 1, &two),
            None
        );
        assert!(validate_question("Q?", QuestionKind::Single, 1, 1, &two[..1]).is_some());
        assert!(validate_question("Q?", QuestionKind::Multiple, 2, 3, &two).is_some());
        assert!(validate_question(" ", QuestionKind::Single, 1, 1, &two).is_some());
    }
}
