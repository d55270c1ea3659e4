//! The processing statistics' arithmetic (issue 17), pure so that it is tested with numbers
//! worked out by hand: which reports count, the median and 90th percentile, the share within
//! the promise, and the small-cell rule. The server reads the facts and names the cells
//! (`crates/server/src/stats/`); `docs/statistics.md` says the same in words.

use crate::api::widget::{Count, Days, Figures, SMALL_CELL};
use crate::{CloseReason, Status};

const DAY: i64 = 86_400;

/// What the statistics know of one report: times and outcome, nothing a citizen wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFact {
    /// The category's id (a number, so that a county's million reports hold no string each).
    pub category: i64,
    pub department: Option<i64>,
    pub status: Status,
    pub close_reason: Option<CloseReason>,
    pub created: i64,
    /// The first state change or note by an official.
    pub first_reaction: Option<i64>,
    /// When it became resolved or closed.
    pub closed: Option<i64>,
}

/// What the statistics know of one mailbox message.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageFact {
    pub kind: String,
    pub created: i64,
    /// The town's first reply.
    pub answered: Option<i64>,
}

/// Whether small cells are shown as "< 5" and figures from them left out (public), or
/// counted exactly (the office).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    Public,
    Office,
}

impl Audience {
    pub fn count(self, n: usize) -> Count {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        match self {
            Audience::Public => Count::public(n),
            Audience::Office => Count::Exact(n),
        }
    }

    /// Whether a figure may be derived from `n` reports: in public only from [`SMALL_CELL`]
    /// on; in the office from one.
    fn enough(self, n: usize) -> bool {
        match self {
            Audience::Public => n >= SMALL_CELL as usize,
            Audience::Office => n > 0,
        }
    }
}

/// The figures of the reports in one cell, as of `now`, under a promise of `promise_days`.
///
/// - within the promise: of the reports with a first reaction, or without one whose promise
///   ran out before `now`, the percent reacted to within `promise_days × 24 h` of receipt;
///   a report still inside its promise without a reaction is not yet decided and not counted;
/// - first reaction and resolution: days from receipt, of the reports that have the event
///   ("resolution" is reaching `resolved`; closing without a fix is counted by reason).
pub fn figures<'a>(
    reports: impl IntoIterator<Item = &'a ReportFact>,
    now: i64,
    promise_days: u32,
    audience: Audience,
) -> Figures {
    let promise = i64::from(promise_days) * DAY;
    let mut received = 0;
    let (mut decided, mut kept) = (0, 0);
    let mut reactions = Vec::new();
    let mut resolutions = Vec::new();
    for r in reports {
        received += 1;
        match r.first_reaction {
            Some(at) => {
                decided += 1;
                let took = at - r.created;
                if took <= promise {
                    kept += 1;
                }
                reactions.push(took);
            }
            None if now - r.created > promise => decided += 1,
            None => {}
        }
        if let (Status::Resolved, Some(at)) = (r.status, r.closed) {
            resolutions.push(at - r.created);
        }
    }
    let shown = audience.enough(received);
    Figures {
        received: audience.count(received),
        within_promise: (shown && audience.enough(decided)).then(|| percent(kept, decided)),
        first_reaction: shown.then(|| days(&mut reactions, audience)).flatten(),
        resolution: shown.then(|| days(&mut resolutions, audience)).flatten(),
    }
}

/// `part` of `whole` in percent with one decimal.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

/// The median (the mean of the middle two of an even number) and the 90th percentile by
/// nearest rank (the ⌈0.9·n⌉-th smallest) of durations in seconds, as days with one decimal;
/// none from too few values.
pub fn days(seconds: &mut [i64], audience: Audience) -> Option<Days> {
    if !audience.enough(seconds.len()) {
        return None;
    }
    seconds.sort_unstable();
    let n = seconds.len();
    let median = if n % 2 == 1 {
        seconds[n / 2] as f64
    } else {
        (seconds[n / 2 - 1] + seconds[n / 2]) as f64 / 2.0
    };
    let rank = (n * 9).div_ceil(10);
    let p90 = seconds[rank - 1] as f64;
    let in_days = |s: f64| (s / DAY as f64 * 10.0).round() / 10.0;
    Some(Days {
        median: in_days(median),
        p90: in_days(p90),
    })
}

/// Reports closed without a fix, per reason, in the fixed order of [`CloseReason`]'s
/// variants; shares are of all `received`.
pub fn closed_without_fix<'a>(
    reports: impl IntoIterator<Item = &'a ReportFact>,
    audience: Audience,
) -> Vec<crate::api::widget::ReasonCount> {
    const REASONS: [CloseReason; 4] = [
        CloseReason::Duplicate,
        CloseReason::NotResponsible,
        CloseReason::NotFixable,
        CloseReason::Other,
    ];
    let mut received = 0;
    let mut per_reason = [0usize; 4];
    for r in reports {
        received += 1;
        if r.status == Status::Closed {
            let reason = r.close_reason.unwrap_or(CloseReason::Other);
            if let Some(i) = REASONS.iter().position(|x| *x == reason) {
                per_reason[i] += 1;
            }
        }
    }
    REASONS
        .iter()
        .zip(per_reason)
        .map(|(reason, n)| crate::api::widget::ReasonCount {
            reason: *reason,
            count: audience.count(n),
            share: (audience.enough(n) && audience.enough(received)).then(|| percent(n, received)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_000 * DAY;

    /// A report received `ago` days before NOW, reacted to after `reaction` days and
    /// resolved after `resolved` days.
    fn report(ago: i64, reaction: Option<f64>, resolved: Option<f64>) -> ReportFact {
        let created = NOW - ago * DAY;
        let at = |d: f64| created + (d * DAY as f64) as i64;
        ReportFact {
            category: 1,
            department: None,
            status: if resolved.is_some() {
                Status::Resolved
            } else if reaction.is_some() {
                Status::InProgress
            } else {
                Status::Received
            },
            close_reason: None,
            created,
            first_reaction: reaction.map(at),
            closed: resolved.map(at),
        }
    }

    #[test]
    fn ten_reports_give_the_figures_worked_out_by_hand() {
        // Reactions after 0.5, 1, 1, 2, 2.5, 3, 4, 6, 10 days; one never (received 20 days ago).
        // Sorted: 0.5 1 1 2 2.5 3 4 6 10 → median 2.5, p90 = 9th of 9 (⌈8.1⌉) = 10.
        // Within 3 days: 6 of the 10 decided (the unreacted one ran out) = 60 %.
        // Resolved after 2, 4, 5, 8, 20, 30 days → median (5+8)/2 = 6.5, p90 = 6th of 6 = 30.
        let reports = [
            report(20, Some(0.5), Some(2.0)),
            report(20, Some(1.0), Some(4.0)),
            report(20, Some(1.0), Some(5.0)),
            report(40, Some(2.0), Some(8.0)),
            report(40, Some(2.5), Some(20.0)),
            report(40, Some(3.0), Some(30.0)),
            report(40, Some(4.0), None),
            report(40, Some(6.0), None),
            report(40, Some(10.0), None),
            report(20, None, None),
        ];
        let f = figures(&reports, NOW, 3, Audience::Public);
        assert_eq!(f.received, Count::Exact(10));
        assert_eq!(f.within_promise, Some(60.0));
        assert_eq!(
            f.first_reaction,
            Some(Days {
                median: 2.5,
                p90: 10.0
            })
        );
        assert_eq!(
            f.resolution,
            Some(Days {
                median: 6.5,
                p90: 30.0
            })
        );
    }

    #[test]
    fn a_report_inside_its_promise_without_reaction_is_not_yet_decided() {
        let mut reports: Vec<_> = (0..5).map(|_| report(10, Some(1.0), None)).collect();
        reports.push(report(1, None, None));
        let f = figures(&reports, NOW, 3, Audience::Public);
        assert_eq!(f.received, Count::Exact(6));
        assert_eq!(f.within_promise, Some(100.0));
    }

    #[test]
    fn small_cells_publish_neither_count_nor_figures_but_the_office_sees_them() {
        let reports: Vec<_> = (0..4).map(|_| report(10, Some(1.0), Some(2.0))).collect();
        let public = figures(&reports, NOW, 3, Audience::Public);
        assert_eq!(public.received, Count::FewerThanFive);
        assert_eq!(
            (
                public.within_promise,
                public.first_reaction,
                public.resolution
            ),
            (None, None, None)
        );
        let office = figures(&reports, NOW, 3, Audience::Office);
        assert_eq!(office.received, Count::Exact(4));
        assert_eq!(office.within_promise, Some(100.0));
        let empty = figures(&[], NOW, 3, Audience::Public);
        assert_eq!(empty.received, Count::Exact(0));
        assert_eq!(empty.within_promise, None);
    }

    #[test]
    fn a_median_of_too_few_events_is_left_out_even_in_a_big_cell() {
        // Six reports, two resolved: the resolution time of two reports would identify them.
        let mut reports: Vec<_> = (0..4).map(|_| report(10, Some(1.0), None)).collect();
        reports.push(report(10, Some(1.0), Some(3.0)));
        reports.push(report(10, Some(1.0), Some(4.0)));
        let f = figures(&reports, NOW, 3, Audience::Public);
        assert!(f.first_reaction.is_some());
        assert_eq!(f.resolution, None);
    }

    #[test]
    fn closed_without_fix_is_counted_per_reason() {
        let mut reports: Vec<_> = (0..10).map(|_| report(10, Some(1.0), None)).collect();
        for r in reports.iter_mut().take(5) {
            r.status = Status::Closed;
            r.close_reason = Some(CloseReason::Duplicate);
        }
        reports[5].status = Status::Closed;
        reports[5].close_reason = Some(CloseReason::NotResponsible);
        let reasons = closed_without_fix(&reports, Audience::Public);
        assert_eq!(reasons[0].reason, CloseReason::Duplicate);
        assert_eq!(reasons[0].count, Count::Exact(5));
        assert_eq!(reasons[0].share, Some(50.0));
        assert_eq!(reasons[1].count, Count::FewerThanFive);
        assert_eq!(reasons[1].share, None);
        assert_eq!(reasons[2].count, Count::Exact(0));
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut s: Vec<i64> = (1..=20).map(|d| d * DAY).collect();
        let d = days(&mut s, Audience::Public).unwrap();
        assert_eq!((d.median, d.p90), (10.5, 18.0));
        assert_eq!(percent(2, 3), 66.7);
    }
}
