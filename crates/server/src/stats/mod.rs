//! Processing statistics (issue 17): a town's figures per category, month and department,
//! assembled from the facts `db/stats.rs` reads with the arithmetic of
//! `civickit_model::stats`, and kept a few minutes.
//!
//! Why a cache of the facts and of each answer: a county-sized town has tens of thousands of
//! reports a year and every page view of `<civic-stats>` would otherwise read them all. The
//! facts of a town are read at most once per [`FRESH_FOR`] (see [`Cache`]) and every selection
//! (period, category, audience) is assembled from them once; `updated` tells readers how old
//! the figures are. Nothing here is personal: the facts are times, states and codes.

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
    pub months: Vec<Month>,
    /// Each report with its month of receipt.
    pub reports: Vec<(Month, ReportFact)>,
    pub messages: Vec<(Month, MessageFact)>,
    pub categories: Vec<Named>,
    pub kinds: Vec<Named>,
    pub departments: Vec<Named>,
}

/// One selection: a period of [`PERIODS`], a category code or all, and who reads it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selection {
    pub period: u8,
    pub category: Option<String>,
    pub audience: Audience,
}

/// The figures kept per town: its facts as last read and the answers assembled from them.
///
/// Readers never wait for the database once a town's facts have been read: facts older than
/// [`FRESH_FOR`] are still served while one background task reads them again (at county scale
/// a reading takes seconds). Only facts older than [`STALE_AT_MOST`] (a town nobody looked at
/// for an hour) are read while the reader waits; then one reads and the others wait for it.
#[derive(Default, Clone)]
pub struct Cache(Arc<Inner>);

#[derive(Default)]
struct Inner {
    towns: Mutex<HashMap<i64, Town>>,
    /// One reading of a town's facts at a time.
    reading: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

#[derive(Default)]
struct Town {
    facts: Option<(Instant, Arc<Facts>)>,
    refreshing: bool,
    /// Assembled from `facts`; emptied when they are replaced.
    answers: HashMap<Selection, Arc<StatsAnswer>>,
}

/// Facts older than this are read again before answering.
pub const STALE_AT_MOST: Duration = Duration::from_secs(3600);

impl Cache {
    fn towns(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Town>> {
        self.0.towns.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores newly read facts (and forgets the answers of the old ones).
    fn store(&self, tenant_id: i64, facts: &Arc<Facts>) {
        let mut towns = self.towns();
        let town = towns.entry(tenant_id).or_default();
        town.facts = Some((Instant::now(), facts.clone()));
        town.refreshing = false;
        town.answers.clear();
    }

    /// A town's facts: as kept if younger than [`STALE_AT_MOST`] (read again in the
    /// background once older than [`FRESH_FOR`]), else read now.
    pub async fn facts(&self, db: &Db, tenant: &Tenant) -> Result<Arc<Facts>, DbError> {
        {
            let mut towns = self.towns();
            let town = towns.entry(tenant.id).or_default();
            if let Some((at, facts)) = &town.facts {
                let age = at.elapsed();
                if age < STALE_AT_MOST {
                    let facts = facts.clone();
                    if age >= FRESH_FOR && !town.refreshing {
                        town.refreshing = true;
                        self.refresh_in_background(db.clone(), tenant.clone());
                    }
                    return Ok(facts);
                }
            }
        }
        let turn = {
            let mut reading = self.0.reading.lock().unwrap_or_else(|e| e.into_inner());
            reading.entry(tenant.id).or_default().clone()
        };
        let _turn = turn.lock().await;
        if let Some((at, facts)) = &self.towns().get(&tenant.id).and_then(|t| t.facts.clone()) {
            if at.elapsed() < FRESH_FOR {
                return Ok(facts.clone());
            }
        }
        let facts = Arc::new(read_facts(db, tenant, crate::db::now()).await?);
        self.store(tenant.id, &facts);
        Ok(facts)
    }

    fn refresh_in_background(&self, db: Db, tenant: Tenant) {
        let cache = self.clone();
        tokio::spawn(async move {
            match read_facts(&db, &tenant, crate::db::now()).await {
                Ok(facts) => cache.store(tenant.id, &Arc::new(facts)),
                Err(e) => {
                    tracing::warn!(tenant = %tenant.slug, error = %e, "statistics not refreshed");
                    if let Some(town) = cache.towns().get_mut(&tenant.id) {
                        town.refreshing = false;
                    }
                }
            }
        });
    }

    /// The answer for one selection (the caller checked the period and category).
    pub async fn answer(
        &self,
        db: &Db,
        tenant: &Tenant,
        selection: Selection,
    ) -> Result<Arc<StatsAnswer>, DbError> {
        let facts = self.facts(db, tenant).await?;
        let current = |town: &Town| {
            town.facts
                .as_ref()
                .is_some_and(|(_, f)| Arc::ptr_eq(f, &facts))
        };
        if let Some(town) = self.towns().get(&tenant.id).filter(|t| current(t)) {
            if let Some(answer) = town.answers.get(&selection) {
                return Ok(answer.clone());
            }
        }
        let answer = Arc::new(assemble(&facts, &selection));
        if let Some(town) = self.towns().get_mut(&tenant.id).filter(|t| current(t)) {
            town.answers.insert(selection, answer.clone());
        }
        Ok(answer)
    }
}

/// A month as a number (year × 12 + month − 1), so that a year of reports is bucketed and
/// filtered without a string per report.
pub type Month = u32;

/// The month a moment is in, in the town's time.
pub fn month_of(unix: i64) -> Month {
    let t = in_town(unix);
    u32::try_from(t.year()).unwrap_or(0) * 12 + u32::from(u8::from(t.month())) - 1
}

/// `YYYY-MM`.
pub fn month_name(m: Month) -> String {
    format!("{:04}-{:02}", m / 12, m % 12 + 1)
}

/// The [`MONTHS`] months ending with the one `now` is in, oldest first.
fn months_ending(now: i64) -> Vec<Month> {
    let last = month_of(now);
    (0..MONTHS as u32).rev().map(|back| last - back).collect()
}

/// [`months_ending`] by name.
pub fn months_until(now: i64) -> Vec<String> {
    months_ending(now).into_iter().map(month_name).collect()
}

/// Reads what the statistics need as of `now`.
pub async fn read_facts(db: &Db, tenant: &Tenant, now: i64) -> Result<Facts, DbError> {
    // 12 months reach back at most 366 days before the current month began; a day more covers
    // the time-zone offset. Older reports still open are read too (they count as open).
    let since = now - 398 * 86_400;
    let months = months_ending(now);
    let dated = month_of;
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
    pub fn period(&self, months: u8) -> &[Month] {
        let n = usize::from(months).min(self.months.len());
        &self.months[self.months.len() - n..]
    }

    /// The reports received in `months` (in the category, if one is given).
    pub fn received<'a>(
        &'a self,
        months: &'a [Month],
        category: Option<i64>,
    ) -> impl Iterator<Item = &'a ReportFact> + Clone + 'a {
        let first = months.first().copied().unwrap_or(Month::MAX);
        let last = months.last().copied().unwrap_or(0);
        self.reports
            .iter()
            .filter(move |(m, r)| {
                (first..=last).contains(m) && category.is_none_or(|c| c == r.category)
            })
            .map(|(_, r)| r)
    }

    fn promise(&self) -> u32 {
        u32::try_from(self.tenant.response_days).unwrap_or(3)
    }

    /// Whether a category is known (listed now or with reports in the longest period).
    pub fn knows_category(&self, code: &str) -> bool {
        self.category_id(code).is_some()
    }

    /// The id of the town's category `code`.
    pub fn category_id(&self, code: &str) -> Option<i64> {
        self.categories
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.id)
    }
}

/// The answer to one selection.
pub fn assemble(f: &Facts, s: &Selection) -> StatsAnswer {
    let audience = s.audience;
    let months = f.period(s.period);
    let category = s.category.as_deref().and_then(|code| f.category_id(code));
    let cell = |reports: &mut dyn Iterator<Item = &ReportFact>| {
        stats::figures(reports, f.at, f.promise(), audience)
    };
    let selected = f.received(months, category);
    let by_category = f
        .categories
        .iter()
        .filter(|c| c.listed || f.received(months, Some(c.id)).next().is_some())
        .map(|c| CategoryFigures {
            code: c.code.clone(),
            name: c.name.clone(),
            figures: cell(&mut f.received(months, Some(c.id))),
        })
        .collect();
    let by_month = months
        .iter()
        .map(|m| MonthFigures {
            month: month_name(*m),
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
    let by_department = match audience {
        Audience::Public => Vec::new(),
        Audience::Office => departments(f, months, category, audience),
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
    months: &[Month],
    category: Option<i64>,
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
            let id = d.id;
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

fn mailbox(f: &Facts, months: &[Month], audience: Audience) -> MailboxFigures {
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
        assert_eq!(month_name(month_of(new_year)), "2027-01");
    }
}
