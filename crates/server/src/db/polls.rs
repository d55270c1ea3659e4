//! Polls: definition, invitation codes, voting and results.
//!
//! Ballot secrecy (see ARCHITECTURE.md): a vote is never stored as a row. It adds to per-option
//! counters, and it rewrites *every* counter of the poll (adding 0 where not chosen), in the same
//! transaction that marks the code used or records the browser token. So the stored data holds
//! who took part (without time) and how many chose what, and nothing that links the two: no
//! ballot rows, no row order, and no row versions (PostgreSQL's xmin) that single out the
//! options one vote chose. What the files keep besides the live rows (order of writing, earlier
//! counts) is `poll_secrecy.rs`'s. While a poll is open, watchers see the counters only as of
//! the last multiple of the town's step ([`Poll::shown`]).

use super::audit::{self, Actor};
use super::poll_secrecy::{lay_out, Participations};
use super::tenants::TenantNumber;
use super::{flag, now, Db, DbError};
use crate::secrets::hash_secret;
use civickit_model::poll::{PollMode, PollOption, PollState, Question, QuestionKind, Visibility};
use sqlx::Row;

/// The bounds of a tenant's `poll_result_step` (default 10, migration 0016): live results move
/// in steps of this many participations; 1 shows them exactly.
pub const POLL_RESULT_STEP_RANGE: std::ops::RangeInclusive<i64> = 1..=100;

#[derive(Debug, Clone)]
pub struct Poll {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub mode: PollMode,
    pub visibility: Visibility,
    pub published: bool,
    pub opens_at: i64,
    pub closes_at: i64,
    pub participations: i64,
    pub questions: Vec<Question>,
    /// Votes per option id.
    pub votes: Vec<(i64, i64)>,
    /// The counts as of the last multiple of `result_step` participations.
    pub interim_participations: i64,
    pub interim_votes: Vec<(i64, i64)>,
    /// The town's `poll_result_step` when the poll was read.
    pub result_step: i64,
}

/// The counts a watcher may see at some moment (see [`Poll::shown`]).
#[derive(Debug, Clone, Copy)]
pub struct ShownCounts<'p> {
    pub participations: i64,
    votes: &'p [(i64, i64)],
    /// `Some(step)` when these are interim counts, updated every `step` participations.
    pub interim_step: Option<i64>,
}

impl ShownCounts<'_> {
    pub fn votes_for(&self, option_id: i64) -> i64 {
        self.votes
            .iter()
            .find(|(id, _)| *id == option_id)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }
}

impl Poll {
    pub fn state(&self, at: i64) -> PollState {
        PollState::at(at, self.opens_at, self.closes_at)
    }

    /// What anyone who watches the results sees at `at`, citizens and officials alike: while
    /// the poll is open and the town's step is above 1, the counters as they were at the last
    /// multiple of the step (all 0 before the first), so a watcher can tie a change to a block
    /// of `step` votes, never to one; otherwise (not yet open, ended, or step 1) the exact ones.
    pub fn shown(&self, at: i64) -> ShownCounts<'_> {
        if self.state(at) == PollState::Open && self.result_step > 1 {
            ShownCounts {
                participations: self.interim_participations,
                votes: &self.interim_votes,
                interim_step: Some(self.result_step),
            }
        } else {
            ShownCounts {
                participations: self.participations,
                votes: &self.votes,
                interim_step: None,
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewQuestion {
    pub text: String,
    pub kind: QuestionKind,
    pub min_choices: i64,
    pub max_choices: i64,
    pub options: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct NewPoll {
    /// The public id in the embed snippet; a random one when None.
    pub slug: Option<String>,
    pub title: String,
    pub description: String,
    pub mode: PollMode,
    pub visibility: Visibility,
    pub opens_at: i64,
    pub closes_at: i64,
    pub questions: Vec<NewQuestion>,
}

/// How a voter proves they may vote.
pub enum Participation<'a> {
    /// An invitation code (already checked for format only).
    Code(&'a str),
    /// The random part of a server-signed voter token (signature already checked).
    Browser(&'a str),
}

#[derive(Debug, thiserror::Error)]
pub enum VoteError {
    #[error("this code or browser has already voted")]
    AlreadyVoted,
    #[error("this code does not belong to this poll")]
    InvalidCode,
    #[error(transparent)]
    Db(#[from] DbError),
}

#[derive(Debug, thiserror::Error)]
pub enum PollChangeError {
    #[error("the poll has votes and can no longer be edited")]
    HasVotes,
    #[error("no such poll")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Codes use letters and digits that cannot be mistaken for each other when read from paper.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn new_code() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    let chars: String = (0..8)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

fn code_hash(poll_id: i64, code: &str) -> String {
    hash_secret(&format!("{poll_id}:{}", normalize_code(code)))
}

fn new_slug() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| b"abcdefghijkmnpqrstuvwxyz23456789"[rng.gen_range(0..32)] as char)
        .collect()
}

/// A poll's row with its town's result step (`p` is polls, `t` tenants).
const POLL_SELECT: &str =
    "SELECT p.id, p.slug, p.title, p.description, p.mode, p.visibility, p.published, \
     p.opens_at, p.closes_at, p.participations, p.interim_participations, t.poll_result_step \
     FROM polls p JOIN tenants t ON t.id = p.tenant_id";

impl Db {
    async fn load_poll(&self, row: &sqlx::any::AnyRow) -> Result<Poll, DbError> {
        let id: i64 = row.try_get("id")?;
        let mode: String = row.try_get("mode")?;
        let visibility: String = row.try_get("visibility")?;
        let qrows = sqlx::query(
            "SELECT id, text, kind, min_choices, max_choices FROM poll_questions WHERE poll_id = $1 ORDER BY position, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let orows = sqlx::query(
            "SELECT id, question_id, text, votes, interim_votes FROM poll_options WHERE poll_id = $1 ORDER BY position, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut questions = Vec::new();
        for q in &qrows {
            let qid: i64 = q.try_get("id")?;
            let kind: String = q.try_get("kind")?;
            let mut options = Vec::new();
            for o in orows
                .iter()
                .filter(|o| o.try_get::<i64, _>("question_id").ok() == Some(qid))
            {
                options.push(PollOption {
                    id: o.try_get("id")?,
                    text: o.try_get("text")?,
                });
            }
            questions.push(Question {
                id: qid,
                text: q.try_get("text")?,
                kind: QuestionKind::parse(&kind).unwrap_or(QuestionKind::Single),
                min_choices: q.try_get::<i64, _>("min_choices")? as usize,
                max_choices: q.try_get::<i64, _>("max_choices")? as usize,
                options,
            });
        }
        let counts = |column: &str| {
            orows
                .iter()
                .map(|o| Ok((o.try_get("id")?, o.try_get(column)?)))
                .collect::<Result<Vec<(i64, i64)>, DbError>>()
        };
        Ok(Poll {
            id,
            slug: row.try_get("slug")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            mode: PollMode::parse(&mode).unwrap_or(PollMode::Open),
            visibility: Visibility::parse(&visibility).unwrap_or(Visibility::AfterClosing),
            published: row.try_get::<i64, _>("published")? != 0,
            opens_at: row.try_get("opens_at")?,
            closes_at: row.try_get("closes_at")?,
            participations: row.try_get("participations")?,
            questions,
            votes: counts("votes")?,
            interim_participations: row.try_get("interim_participations")?,
            interim_votes: counts("interim_votes")?,
            result_step: row.try_get("poll_result_step")?,
        })
    }

    pub async fn poll(&self, tenant_id: i64, slug: &str) -> Result<Option<Poll>, DbError> {
        let row = sqlx::query(&format!(
            "{POLL_SELECT} WHERE p.tenant_id = $1 AND p.slug = $2"
        ))
        .bind(tenant_id)
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some(self.load_poll(&r).await?)),
            None => Ok(None),
        }
    }

    pub async fn polls(&self, tenant_id: i64) -> Result<Vec<Poll>, DbError> {
        let rows = sqlx::query(&format!(
            "{POLL_SELECT} WHERE p.tenant_id = $1 ORDER BY p.opens_at DESC, p.id DESC"
        ))
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        let mut polls = Vec::new();
        for r in &rows {
            polls.push(self.load_poll(r).await?);
        }
        Ok(polls)
    }

    async fn insert_questions(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        poll_id: i64,
        questions: &[NewQuestion],
    ) -> Result<(), DbError> {
        for (qi, q) in questions.iter().enumerate() {
            let (min, max) = match q.kind {
                QuestionKind::Single => (1, 1),
                QuestionKind::Multiple => (q.min_choices, q.max_choices),
            };
            let qid: i64 = sqlx::query(
                "INSERT INTO poll_questions (poll_id, position, text, kind, min_choices, max_choices) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(poll_id)
            .bind(qi as i64)
            .bind(&q.text)
            .bind(q.kind.as_str())
            .bind(min)
            .bind(max)
            .fetch_one(&mut **tx)
            .await?
            .try_get("id")?;
            for (oi, text) in q.options.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO poll_options (poll_id, question_id, position, text) VALUES ($1, $2, $3, $4)",
                )
                .bind(poll_id)
                .bind(qid)
                .bind(oi as i64)
                .bind(text)
                .execute(&mut **tx)
                .await?;
            }
        }
        Ok(())
    }

    pub async fn create_poll(
        &self,
        tenant_id: i64,
        p: &NewPoll,
        actor: &Actor,
    ) -> Result<Poll, DbError> {
        let slug = p.slug.clone().unwrap_or_else(new_slug);
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO polls (tenant_id, slug, title, description, mode, visibility, opens_at, closes_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(tenant_id)
        .bind(&slug)
        .bind(&p.title)
        .bind(&p.description)
        .bind(p.mode.as_str())
        .bind(p.visibility.as_str())
        .bind(p.opens_at)
        .bind(p.closes_at)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        Self::insert_questions(&mut tx, id, &p.questions).await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "poll.create",
            &slug,
            None,
            Some(&serde_json::json!({"title": p.title, "mode": p.mode.as_str()})),
        )
        .await?;
        tx.commit().await?;
        Ok(self
            .poll(tenant_id, &slug)
            .await?
            .expect("the poll just inserted"))
    }

    /// Replaces a poll's definition; refused once anyone has voted.
    pub async fn update_poll(
        &self,
        tenant_id: i64,
        slug: &str,
        p: &NewPoll,
        actor: &Actor,
    ) -> Result<Poll, PollChangeError> {
        let mut tx = self.pool.begin().await?;
        // The guard on participations makes the check and the change one atomic step.
        let changed = sqlx::query(
            "UPDATE polls SET title = $1, description = $2, mode = $3, visibility = $4, opens_at = $5, closes_at = $6 \
             WHERE tenant_id = $7 AND slug = $8 AND participations = 0",
        )
        .bind(&p.title)
        .bind(&p.description)
        .bind(p.mode.as_str())
        .bind(p.visibility.as_str())
        .bind(p.opens_at)
        .bind(p.closes_at)
        .bind(tenant_id)
        .bind(slug)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            drop(tx);
            return Err(match self.poll(tenant_id, slug).await? {
                Some(_) => PollChangeError::HasVotes,
                None => PollChangeError::NotFound,
            });
        }
        let id: i64 = sqlx::query("SELECT id FROM polls WHERE tenant_id = $1 AND slug = $2")
            .bind(tenant_id)
            .bind(slug)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
        sqlx::query("DELETE FROM poll_options WHERE poll_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM poll_questions WHERE poll_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Self::insert_questions(&mut tx, id, &p.questions).await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "poll.edit",
            slug,
            None,
            Some(&serde_json::json!({"title": p.title})),
        )
        .await?;
        tx.commit().await?;
        Ok(self
            .poll(tenant_id, slug)
            .await?
            .expect("the poll just updated"))
    }

    /// Sets opening/closing time or the published flag, audited.
    pub async fn set_poll_schedule(
        &self,
        tenant_id: i64,
        poll: &Poll,
        (opens_at, closes_at, published): (i64, i64, bool),
        actor: &Actor,
        action: &str,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        // A poll opened again after it was sealed is sealed again once it has ended anew.
        sqlx::query(
            "UPDATE polls SET opens_at = $1, closes_at = $2, published = $3, \
             sealed = CASE WHEN $2 > $6 THEN 0 ELSE sealed END WHERE tenant_id = $4 AND id = $5",
        )
        .bind(opens_at)
        .bind(closes_at)
        .bind(flag(published))
        .bind(tenant_id)
        .bind(poll.id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            action,
            &poll.slug,
            Some(&serde_json::json!({"opens_at": poll.opens_at, "closes_at": poll.closes_at, "published": poll.published})),
            Some(&serde_json::json!({"opens_at": opens_at, "closes_at": closes_at, "published": published})),
        )
        .await?;
        tx.commit().await
    }

    pub async fn delete_poll(
        &self,
        tenant_id: i64,
        poll: &Poll,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        for table in [
            "poll_codes",
            "poll_voters",
            "poll_options",
            "poll_questions",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE poll_id = $1"))
                .bind(poll.id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM polls WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(poll.id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "poll.delete",
            &poll.slug,
            Some(&serde_json::json!({"title": poll.title})),
            None,
        )
        .await?;
        tx.commit().await
    }

    /// Makes `count` new single-use codes; they are returned once and stored only as hashes.
    pub async fn generate_codes(
        &self,
        tenant_id: i64,
        poll: &Poll,
        count: usize,
        actor: &Actor,
    ) -> Result<Vec<String>, DbError> {
        let mut codes = Vec::with_capacity(count);
        let mut tx = self.pool.begin().await?;
        while codes.len() < count {
            let code = new_code();
            let inserted = sqlx::query(
                "INSERT INTO poll_codes (poll_id, code_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(poll.id)
            .bind(code_hash(poll.id, &code))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 1 {
                codes.push(code);
            }
        }
        // Not in the order they were made (the order of the printed slips).
        lay_out(&mut tx, self.backend, Participations::Codes, poll.id).await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "poll.codes",
            &poll.slug,
            None,
            Some(&serde_json::json!({"generated": count})),
        )
        .await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// (issued, used) invitation codes of a poll.
    pub async fn code_counts(&self, poll_id: i64) -> Result<(i64, i64), DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS issued, CAST(COALESCE(SUM(used), 0) AS BIGINT) AS used FROM poll_codes WHERE poll_id = $1",
        )
        .bind(poll_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("issued")?, row.try_get("used")?))
    }

    pub async fn browser_has_voted(
        &self,
        poll_id: i64,
        token_random: &str,
    ) -> Result<bool, DbError> {
        Ok(
            sqlx::query("SELECT 1 AS x FROM poll_voters WHERE poll_id = $1 AND token_hash = $2")
                .bind(poll_id)
                .bind(hash_secret(token_random))
                .fetch_optional(&self.pool)
                .await?
                .is_some(),
        )
    }

    /// Counts one validated ballot (`chosen` option ids of this poll). The participation record
    /// and the counters change in one transaction, or neither does; so does the interim
    /// snapshot when this participation is a multiple of the town's step. Then, on SQLite, the
    /// WAL is emptied ([`Db::checkpoint`]); if readers keep it from finishing, it is tried once
    /// more a second later in the background, and otherwise happens after the next vote.
    pub async fn vote(
        &self,
        poll: &Poll,
        who: Participation<'_>,
        chosen: &[i64],
    ) -> Result<(), VoteError> {
        let mut tx = self.pool.begin().await?;
        // The participation record first: it is the write that decides "exactly once".
        let counted = match who {
            Participation::Code(code) => sqlx::query(
                "UPDATE poll_codes SET used = 1 WHERE poll_id = $1 AND code_hash = $2 AND used = 0",
            )
            .bind(poll.id)
            .bind(code_hash(poll.id, code))
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            Participation::Browser(token) => sqlx::query(
                "INSERT INTO poll_voters (poll_id, token_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(poll.id)
            .bind(hash_secret(token))
            .execute(&mut *tx)
            .await?
            .rows_affected(),
        };
        if counted != 1 {
            drop(tx);
            if let Participation::Code(code) = who {
                let exists = sqlx::query(
                    "SELECT 1 AS x FROM poll_codes WHERE poll_id = $1 AND code_hash = $2",
                )
                .bind(poll.id)
                .bind(code_hash(poll.id, code))
                .fetch_optional(&self.pool)
                .await?
                .is_some();
                if !exists {
                    return Err(VoteError::InvalidCode);
                }
            }
            return Err(VoteError::AlreadyVoted);
        }
        if let Participation::Browser(_) = who {
            // The code's flag flipped in place; the browser's row was inserted where the page
            // had room, which is an order of its own.
            lay_out(&mut tx, self.backend, Participations::Browsers, poll.id).await?;
        }
        // Every counter of the poll is rewritten, chosen or not (see the module comment). The
        // counters before the poll's row, as in every other write to both (delete_poll), so
        // that two transactions on one poll never wait for each other crosswise.
        let placeholders: Vec<String> = (0..chosen.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "UPDATE poll_options SET votes = votes + CASE WHEN id IN ({}) THEN 1 ELSE 0 END WHERE poll_id = $1",
            if placeholders.is_empty() {
                "NULL".to_string()
            } else {
                placeholders.join(", ")
            }
        );
        let mut q = sqlx::query(&sql).bind(poll.id);
        for id in chosen {
            q = q.bind(*id);
        }
        q.execute(&mut *tx).await?;
        let step = poll.result_step.max(1);
        let participations: i64 = sqlx::query(
            "UPDATE polls SET participations = participations + 1, \
             interim_participations = CASE WHEN (participations + 1) % $2 = 0 \
             THEN participations + 1 ELSE interim_participations END \
             WHERE id = $1 RETURNING participations",
        )
        .bind(poll.id)
        .bind(step)
        .fetch_one(&mut *tx)
        .await?
        .try_get("participations")?;
        if participations % step == 0 {
            // The interim snapshot, every counter at once, in the same transaction.
            sqlx::query("UPDATE poll_options SET interim_votes = votes WHERE poll_id = $1")
                .bind(poll.id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.checkpoint_after_vote().await;
        Ok(())
    }

    pub async fn poll_result_step(&self, tenant_id: i64) -> Result<i64, DbError> {
        self.tenant_number(tenant_id, TenantNumber::PollResultStep)
            .await
    }

    /// Sets the step of live results (the caller checked [`POLL_RESULT_STEP_RANGE`]), audited.
    /// Open polls keep their last snapshot until their participations reach a multiple of the
    /// new step.
    pub async fn set_poll_result_step(
        &self,
        tenant_id: i64,
        step: i64,
        actor: &Actor,
    ) -> Result<(), DbError> {
        self.set_tenant_number(tenant_id, TenantNumber::PollResultStep, step, actor)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_normalise() {
        let c = new_code();
        assert_eq!(c.len(), 9);
        assert_eq!(&c[4..5], "-");
        assert!(c
            .chars()
            .filter(|c| *c != '-')
            .all(|c| CODE_ALPHABET.contains(&(c as u8))));
        assert_eq!(normalize_code(" abcd-efgh "), "ABCDEFGH");
        assert_eq!(code_hash(1, "abcd efgh"), code_hash(1, "ABCD-EFGH"));
        assert_ne!(
            code_hash(1, "ABCD-EFGH"),
            code_hash(2, "ABCD-EFGH"),
            "codes belong to one poll"
        );
    }
}
