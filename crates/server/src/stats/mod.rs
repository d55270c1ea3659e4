//! Processing statistics (issue 17): a town's figures per category, month and department,
//! assembled from the facts `db/stats.rs` reads with the arithmetic of
//! `civickit_model::stats`, and kept a few minutes.
//!
//! Why a cache of the facts and of each answer: a county-sized town has tens of thousands of
//! reports a year and every page view of `<civic-stats>` would otherwise read them all. The
//! facts of a town are read at most once per [`FRESH_FOR`] and every selection (period,
//! category, audience) is assembled from them once in that time; `updated` tells readers how
//! old the figures are. Nothing here is personal: the facts are times, states and codes.

mod csv;

use crate::db::stats::Named;
use crate::db::tenants::Tenant;
use crate::db::{Db, DbError};
use crate::http::local_time::in_town;
use crate::http::rfc3339;
use civickit_model::api::widget::{
    CategoryFigures, DepartmentFigures, KindCount, MailboxFigures, MonthFigures, StateCount,
    StatsAnswer, PERIODS,
};
use civickit_model::stats::{self, Audience, MessageFact, ReportFact};
use civickit_model::Status;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use csv::csv;

/// How long figures are served before they are computed again.
pub const FRESH_FOR: Duration = Duration::from_secs(300);

/// The longest period, in months.
const MONTHS: usize = 12;

/// A town's facts as read at one moment.
pub struct Facts {
    pub tenant: Tenant,
    pub at: i64,
    /// The last [`MONTHS`] months (`YYYY-MM`, town time), oldest first; the last is the current.
    pub months: Vec<String>,
    /// Each report with its month of receipt.
    pub reports: Vec<(String, ReportFact)>,
    pub messages: Vec<(String, MessageFact)>,
    pub categories: Vec<Named>,
    pub kinds: Vec<Named>,
    pub departments: Vec<Named>,
}

/// One selection: a period of [`PERIODS`], a category code or all, and who reads it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selection {
    pub period: u8,
    pub category: Option<String>,
    pub audience: AudienceKey,
}

/// [`Audience`] as a cache key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AudienceKey {
    Public,
    Office,
}

impl AudienceKey {
    fn audience(self) -> Audience {
        match self {
            AudienceKey::Public => Audience::Public,
            AudienceKey::Office => Audience::Office,
        }
    }
}

type Stamped<T> = (Instant, Arc<T>);

/// The figures kept per town (facts) and per selection (answers), each for [`FRESH_FOR`].
#[derive(Default)]
pub struct Cache {
    facts: Mutex<HashMap<i64, Stamped<Facts>>>,
    answers: Mutex<HashMap<(i64, Selection), Stamped<StatsAnswer>>>,
}

fn fresh<K: std::hash::Hash + Eq, T>(
    map: &Mutex<HashMap<K, Stamped<T>>>,
    key: &K,
) -> Option<Arc<T>> {
    let map = map.lock().unwrap_or_else(|e| e.into_inner());
    map.get(key)
        .filter(|(at, _)| at.elapsed() < FRESH_FOR)
        .map(|(_, v)| v.clone())
}

fn keep<K: std::hash::Hash + Eq, T>(map: &Mutex<HashMap<K, Stamped<T>>>, key: K, value: &Arc<T>) {
    let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
    // Stale entries go when anything is stored, so a county's selections cannot pile up.
    map.retain(|_, (at, _)| at.elapsed() < FRESH_FOR);
    map.insert(key, (Instant::now(), value.clone()));
}

impl Cache {
    /// A town's facts, read now unless read less than [`FRESH_FOR`] ago.
    pub async fn facts(&self, db: &Db, tenant: &Tenant) -> Result<Arc<Facts>, DbError> {
        if let Some(f) = fresh(&self.facts, &tenant.id) {
            return Ok(f);
        }
        let facts = Arc::new(read_facts(db, tenant, crate::db::now()).await?);
        keep(&self.facts, tenant.id, &facts);
        Ok(facts)
    }

    /// The answer for one selection (the caller checked the period and category).
    pub async fn answer(
        &self,
        db: &Db,
        tenant: &Tenant,
        selection: Selection,
    ) -> Result<Arc<StatsAnswer>, DbError> {
        let key = (tenant.id, selection);
        if let Some(a) = fresh(&self.answers, &key) {
            return Ok(a);
        }
        let facts = self.facts(db, tenant).await?;
        let answer = Arc::new(assemble(&facts, &key.1));
        keep(&self.answers, key, &answer);
        Ok(answer)
    }
}

/// `YYYY-MM` of a moment in the town's time.
pub fn month_of(unix: i64) -> String {
    let t = in_town(unix);
    format!("{:04}-{:02}", t.year(), u8::from(t.month()))
}

/// The [`MONTHS`] months ending with the one `now` is in, oldest first.
pub fn months_until(now: i64) -> Vec<String> {
    let t = in_town(now);
    let (mut year, mut month) = (t.year(), i32::from(u8::from(t.month())));
    let mut months = Vec::with_capacity(MONTHS);
    for _ in 0..MONTHS {
        months.push(format!("{year:04}-{month:02}"));
        month -= 1;
        if month == 0 {
            month = 12;
            year -= 1;
        }
    }
    months.reverse();
    months
}

/// Reads what the statistics need as of `now`.
pub async fn read_facts(db: &Db, tenant: &Tenant, now: i64) -> Result<Facts, DbError> {
    // 12 months reach back at most 366 days before the current month began; a day more covers
    // the time-zone offset. Older reports still open are read too (they count as open).
    let since = now - 398 * 86_400;
    let months = months_until(now);
    let dated = |at: i64| month_of(at);
    let reports = db
        .report_facts(tenant.id, since)
        .await?
        .into_iter()
        .map(|r| (dated(r.created), r))
        .collect();
    let messages = db
        .message_facts(tenant.id, since)
        .await?
        .into_iter()
        .map(|m| (dated(m.created), m))
        .collect();
    Ok(Facts {
        tenant: tenant.clone(),
        at: now,
        months,
        reports,
        messages,
        categories: db.stats_categories(tenant.id).await?,
        kinds: db.stats_kinds(tenant.id).await?,
        departments: db.stats_departments(tenant.id).await?,
    })
}

impl Facts {
    /// The months of a period, oldest first.
    pub fn period(&self, months: u8) -> &[String] {
        let n = usize::from(months).min(self.months.len());
        &self.months[self.months.len() - n..]
    }

    /// The reports received in `months` (in the category, if one is given).
    pub fn received<'a>(
        &'a self,
        months: &'a [String],
        category: Option<&'a str>,
    ) -> impl Iterator<Item = &'a ReportFact> + Clone + 'a {
        self.reports
            .iter()
            .filter(move |(m, r)| months.contains(m) && category.is_none_or(|c| c == r.category))
            .map(|(_, r)| r)
    }

    fn promise(&self) -> u32 {
        u32::try_from(self.tenant.response_days).unwrap_or(3)
    }

    /// Whether a category is known (listed now or with reports in the longest period).
    pub fn knows_category(&self, code: &str) -> bool {
        self.categories.iter().any(|c| c.code == code)
    }
}

/// The answer to one selection.
pub fn assemble(f: &Facts, s: &Selection) -> StatsAnswer {
    let audience = s.audience.audience();
    let months = f.period(s.period);
    let category = s.category.as_deref();
    let cell = |reports: &mut dyn Iterator<Item = &ReportFact>| {
        stats::figures(reports, f.at, f.promise(), audience)
    };
    let selected = f.received(months, category);
    let by_category = f
        .categories
        .iter()
        .filter(|c| c.listed || f.received(months, Some(&c.code)).next().is_some())
        .map(|c| CategoryFigures {
            code: c.code.clone(),
            name: c.name.clone(),
            figures: cell(&mut f.received(months, Some(&c.code))),
        })
        .collect();
    let by_month = months
        .iter()
        .map(|m| MonthFigures {
            month: m.clone(),
            figures: cell(&mut f.received(std::slice::from_ref(m), category)),
        })
        .collect();
    let open_in = |wanted: &[Status]| {
        f.reports
            .iter()
            .filter(|(_, r)| category.is_none_or(|c| c == r.category) && wanted.contains(&r.status))
            .count()
    };
    let open = vec![
        StateCount {
            state: Status::Received,
            count: audience.count(open_in(&[Status::Received, Status::PendingReview])),
        },
        StateCount {
            state: Status::InProgress,
            count: audience.count(open_in(&[Status::InProgress])),
        },
    ];
    let by_department = match s.audience {
        AudienceKey::Public => Vec::new(),
        AudienceKey::Office => departments(f, months, category, audience),
    };
    StatsAnswer {
        tenant: f.tenant.slug.clone(),
        name: f.tenant.name.clone(),
        promise_days: f.promise(),
        period: s.period,
        category: s.category.clone(),
        updated: rfc3339(f.at),
        total: cell(&mut selected.clone()),
        by_category,
        by_month,
        open,
        closed_without_fix: stats::closed_without_fix(selected, audience),
        mailbox: mailbox(f, months, audience),
        by_department,
    }
}

fn departments(
    f: &Facts,
    months: &[String],
    category: Option<&str>,
    audience: Audience,
) -> Vec<DepartmentFigures> {
    let figures = |id: Option<i64>| {
        stats::figures(
            f.received(months, category).filter(|r| r.department == id),
            f.at,
            f.promise(),
            audience,
        )
    };
    let mut rows: Vec<DepartmentFigures> = f
        .departments
        .iter()
        .filter_map(|d| {
            let id = d.code.parse::<i64>().ok()?;
            let has = f
                .received(months, category)
                .any(|r| r.department == Some(id));
            (d.listed || has).then(|| DepartmentFigures {
                id: Some(id),
                name: d.name.clone(),
                figures: figures(Some(id)),
            })
        })
        .collect();
    if f.received(months, category).any(|r| r.department.is_none()) {
        rows.push(DepartmentFigures {
            id: None,
            // The reader names it in its own language ("ohne Fachbereich").
            name: String::new(),
            figures: figures(None),
        });
    }
    rows
}

fn mailbox(f: &Facts, months: &[String], audience: Audience) -> MailboxFigures {
    let in_period: Vec<&MessageFact> = f
        .messages
        .iter()
        .filter(|(m, _)| months.contains(m))
        .map(|(_, m)| m)
        .collect();
    let by_kind = f
        .kinds
        .iter()
        .filter_map(|k| {
            let n = in_period.iter().filter(|m| m.kind == k.code).count();
            (k.listed || n > 0).then(|| KindCount {
                kind: k.code.clone(),
                name: k.name.clone(),
                count: audience.count(n),
            })
        })
        .collect();
    let mut answer_times: Vec<i64> = in_period
        .iter()
        .filter_map(|m| m.answered.map(|at| at - m.created))
        .collect();
    MailboxFigures {
        received: audience.count(in_period.len()),
        by_kind,
        answer: stats::days(&mut answer_times, audience),
    }
}

/// Whether `period` is one a reader may pick.
pub fn valid_period(period: u8) -> bool {
    PERIODS.contains(&period)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_end_with_the_current_one_in_town_time() {
        // 2026-12-31 23:30 UTC is already January in Berlin.
        let new_year = 1_798_759_800;
        let months = months_until(new_year);
        assert_eq!(months.len(), 12);
        assert_eq!(months[11], "2027-01");
        assert_eq!(months[0], "2026-02");
        assert_eq!(month_of(new_year), "2027-01");
    }
}
