//! A year of Musterstadt's work for the processing statistics (`<civic-stats>` on the demo
//! page): about 150 reports and 50 messages over the last twelve months, most reacted to
//! within the 3-day promise, most fixed within weeks, some closed without a fix, the newest
//! still open. Made from a fixed seed, so every demo start shows the same shape.
//!
//! Seeded only by `civickit serve --demo` (not by the tests' demo town, whose report counts
//! the tests rely on) and only into a town without history (see [`missing`]).

use super::CENTER;
use crate::db::tenants::Tenant;
use crate::db::{Db, DbError};
use crate::intake::submit_report;
use civickit_model::{CloseReason, Lang, LatLng, NewMessage, NewReport, Status};
use sqlx::Row;

const DAY: i64 = 86_400;

/// A small linear congruential generator: reproducible and enough for made-up history.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A fraction in `0..1`.
    fn unit(&mut self) -> f64 {
        self.below(10_000) as f64 / 10_000.0
    }
}

/// (category, descriptions) of the history; the weight is how often it comes up.
const KINDS: &[(&str, u64, &[&str])] = &[
    (
        "strassenbeleuchtung",
        5,
        &[
            "Straßenlaterne defekt.",
            "Laterne flackert abends.",
            "Leuchte brennt nicht mehr.",
        ],
    ),
    (
        "strassenschaeden",
        4,
        &[
            "Schlagloch in der Fahrbahn.",
            "Gehwegplatte lose.",
            "Riss im Radweg.",
        ],
    ),
    (
        "muell",
        4,
        &[
            "Wilder Müll am Wegrand.",
            "Papierkorb voll.",
            "Sperrmüll abgestellt.",
        ],
    ),
    (
        "verkehrszeichen",
        2,
        &["Verkehrsschild verdreht.", "Schild zugewachsen."],
    ),
    (
        "spielplaetze",
        2,
        &["Schaukel beschädigt.", "Sand im Sandkasten verschmutzt."],
    ),
    (
        "sonstiges",
        1,
        &["Bank beschädigt.", "Brunnen läuft nicht."],
    ),
];

const NOTES: [&str; 3] = [
    "Wir kümmern uns darum.",
    "Erledigt. Danke für den Hinweis!",
    "Geschlossen, siehe Begründung.",
];

/// Whether the town has no history yet: no report older than its oldest sample (40 days),
/// as in a new demo database or one made before the statistics.
pub async fn missing(db: &Db, tenant: &Tenant) -> Result<bool, DbError> {
    let oldest_sample = crate::db::now() - 60 * DAY;
    let n: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM reports WHERE tenant_id = $1 AND created_at < $2")
            .bind(tenant.id)
            .bind(oldest_sample)
            .fetch_one(&db.pool)
            .await?
            .try_get("n")?;
    Ok(n == 0)
}

/// Seeds the history as of `now`.
pub async fn seed(db: &Db, tenant: &Tenant, now: i64) -> Result<(), DbError> {
    let mut dice = Dice(17);
    let weights: u64 = KINDS.iter().map(|k| k.1).sum();
    for day in (1..365).rev() {
        // About 150 reports a year, a few more in summer.
        let summer = (150..270).contains(&((365 - day) % 365));
        let chance = if summer { 50 } else { 35 };
        if dice.below(100) >= chance {
            continue;
        }
        let mut pick = dice.below(weights);
        let (category, _, texts) = KINDS
            .iter()
            .find(|k| {
                let hit = pick < k.1;
                pick = pick.saturating_sub(k.1);
                hit
            })
            .unwrap_or(&KINDS[0]);
        let created = now - day * DAY - dice.below(DAY as u64 / 2) as i64;
        let new = NewReport {
            category: (*category).into(),
            position: Some(LatLng::new(
                CENTER.lat + (dice.unit() - 0.5) * 0.016,
                CENTER.lng + (dice.unit() - 0.5) * 0.03,
            )),
            address: None,
            description: texts[dice.below(texts.len() as u64) as usize].into(),
            email: None,
        };
        let Ok(made) = submit_report(db, tenant, &new, "", Lang::De).await else {
            continue; // a position off the boundary's corners: skip it
        };
        let reference = made.report.reference;
        db.backdate_report(tenant.id, &reference, created).await?;
        // Reactions: most within a day or two; the town got quicker over the year.
        let slow = if day > 180 { 2.5 } else { 1.5 };
        let reaction =
            created + ((dice.unit() * dice.unit() * 4.0 * slow + 0.1) * DAY as f64) as i64;
        let outcome = dice.below(100);
        let (state, reason, finished) = if reaction > now {
            continue;
        } else if outcome < 10 {
            let reason = [
                CloseReason::Duplicate,
                CloseReason::NotResponsible,
                CloseReason::NotFixable,
            ][dice.below(3) as usize];
            (Status::Closed, Some(reason), Some(reaction))
        } else {
            let fix = reaction + ((dice.unit() * dice.unit() * 40.0 + 1.0) * DAY as f64) as i64;
            if fix < now {
                (Status::Resolved, None, Some(fix))
            } else {
                (Status::InProgress, None, None)
            }
        };
        let note = match state {
            Status::Resolved => NOTES[1],
            Status::Closed => NOTES[2],
            _ => NOTES[0],
        };
        db.change_status(tenant.id, &reference, state, reason, note)
            .await
            .map_err(|e| DbError::Protocol(format!("demo history: {e}")))?;
        db.backdate_processing(tenant.id, &reference, Some(reaction), finished)
            .await?;
    }
    seed_messages(db, tenant, now, &mut dice).await
}

async fn seed_messages(db: &Db, tenant: &Tenant, now: i64, dice: &mut Dice) -> Result<(), DbError> {
    let kinds = ["frage", "anregung", "hinweis", "lob", "beschwerde", "idee"];
    let no_mail = |_: &str| -> crate::db::reports::MailDraft {
        unreachable!("the demo's messages have no address")
    };
    for day in (1..365).rev() {
        if dice.below(100) >= 14 {
            continue;
        }
        let created = now - day * DAY;
        let new = NewMessage {
            kind: kinds[dice.below(kinds.len() as u64) as usize].into(),
            subject: "Anliegen".into(),
            message: "Eine Nachricht aus dem Demo-Jahr.".into(),
            name: None,
            email: None,
            phone: None,
        };
        let message = db
            .create_message(tenant.id, &new, Lang::De, &no_mail)
            .await?;
        let answered = created + ((dice.unit() * 8.0 + 0.5) * DAY as f64) as i64;
        let answered = (answered < now && dice.below(10) < 8).then_some(answered);
        if answered.is_some() {
            let actor = crate::db::audit::Actor::system();
            db.reply_to_message(
                tenant.id,
                &message,
                "Vielen Dank, wir melden uns.",
                None,
                &actor,
            )
            .await?;
        }
        db.backdate_message(tenant.id, &message.reference, created, answered)
            .await?;
    }
    Ok(())
}
