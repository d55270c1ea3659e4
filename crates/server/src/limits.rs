//! Rate limits per client address and per town.
//!
//! A limit is written `COUNT/PERIOD` (`"30/10m"`): a key may spend COUNT at once, and gets one
//! back every PERIOD/COUNT (GCRA, a token bucket without a timer). Over a long time that is the
//! same COUNT per PERIOD as a sliding window, without keeping a timestamp per event.
//!
//! Where the counters live depends on the database. On PostgreSQL several instances may serve
//! one town behind a load balancer (issue 14), so a limit must count their requests together:
//! the GCRA state is a row per key in `rate_limits`, decided in one statement
//! (`db/limits.rs`). On SQLite there is one process per database file, so `governor`'s keyed
//! limiters in this process's memory count everything, at no cost to SQLite's single writer;
//! they reset with the process, which is good enough against floods and keeps no addresses on
//! disk. Either way [`KeyedLimit::check`] is the one place that decides. The login throttle
//! counts failures in the database on both (`db/users.rs`).

use crate::db::{Backend, Db};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};
use serde::Deserialize;
use std::fmt;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::str::FromStr;
use std::time::Duration;

/// Larger counts would make the refill interval vanish below a nanosecond; no limit needs them.
const MAX_COUNT: u32 = 1_000_000;

/// "COUNT per PERIOD", written `"30/10m"` in the settings file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Rate {
    pub count: u32,
    pub period: Duration,
}

impl Rate {
    pub const fn new(count: u32, period_seconds: u64) -> Rate {
        Rate {
            count,
            period: Duration::from_secs(period_seconds),
        }
    }

    fn quota(self) -> Quota {
        let count = NonZeroU32::new(self.count).expect("a parsed rate counts at least 1");
        Quota::with_period(self.period / self.count)
            .expect("a parsed rate refills at least once per nanosecond")
            .allow_burst(count)
    }
}

impl FromStr for Rate {
    type Err = String;

    fn from_str(text: &str) -> Result<Rate, String> {
        let bad = |why: &str| {
            format!("{text:?} is not a rate ({why}): write COUNT/PERIOD, e.g. \"30/10m\" or \"1000/1h\"")
        };
        let (count, period) = text.split_once('/').ok_or_else(|| bad("no /"))?;
        let count: u32 = count
            .trim()
            .parse()
            .ok()
            .filter(|c| (1..=MAX_COUNT).contains(c))
            .ok_or_else(|| {
                bad(&format!(
                    "the count must be a whole number from 1 to {MAX_COUNT}"
                ))
            })?;
        let period = humantime::parse_duration(period.trim()).map_err(|e| bad(&e.to_string()))?;
        if period < Duration::from_secs(1) {
            return Err(bad("the period must be at least 1s"));
        }
        Ok(Rate { count, period })
    }
}

impl TryFrom<String> for Rate {
    type Error = String;
    fn try_from(text: String) -> Result<Rate, String> {
        text.parse()
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}",
            self.count,
            humantime::format_duration(self.period)
        )
    }
}

/// Every limit with its default: the `[limits]` table of the settings file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    pub reports_per_address: Rate,
    pub messages_per_address: Rate,
    /// Households and offices share an address; so does a poll evening at the town hall.
    pub votes_per_address: Rate,
    /// "Betrifft mich auch": without it a script inflates any report's count with fresh ids.
    pub supports_per_address: Rate,
    /// Photo uploads (the tracking token authorises them; this bounds the work per address).
    pub photos_per_address: Rate,
    /// Voter tokens an open poll mints on `GET …/polls/{slug}` (one per browser).
    pub poll_tokens_per_address: Rate,
    /// "Meldung melden": a few flags an hour are a citizen's, more are a campaign.
    pub flags_per_address: Rate,
    /// Reports and messages of one town from all addresses together: a brake on a flood from
    /// many addresses, high enough that a storm night's real reports pass.
    pub per_tenant: Rate,
    /// Failed logins that lock an account…
    pub login_failures_per_account: Rate,
    /// …and a client address (it may try several accounts).
    pub login_failures_per_address: Rate,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            reports_per_address: Rate::new(30, 600),
            messages_per_address: Rate::new(5, 600),
            votes_per_address: Rate::new(100, 600),
            supports_per_address: Rate::new(30, 600),
            photos_per_address: Rate::new(20, 600),
            poll_tokens_per_address: Rate::new(60, 600),
            flags_per_address: Rate::new(10, 3600),
            per_tenant: Rate::new(1000, 3600),
            login_failures_per_account: Rate::new(5, 900),
            login_failures_per_address: Rate::new(20, 900),
        }
    }
}

/// One limit over many keys, counted in memory or in the database (see the module comment).
pub struct KeyedLimit<K: Hash + Eq + Clone> {
    rate: Rate,
    store: Store<K>,
}

enum Store<K: Hash + Eq + Clone> {
    Memory(DefaultKeyedRateLimiter<K>),
    /// Rows keyed `"{name}:{key}"`, so that the limits share one table.
    Shared {
        db: Db,
        name: &'static str,
    },
}

impl<K: Hash + Eq + Clone + fmt::Display> KeyedLimit<K> {
    /// In this process's memory.
    pub fn new(rate: Rate) -> Self {
        KeyedLimit {
            rate,
            store: Store::Memory(DefaultKeyedRateLimiter::keyed(rate.quota())),
        }
    }

    /// In the database, shared by every instance on it; `name` tells the limits apart.
    pub fn shared(rate: Rate, db: Db, name: &'static str) -> Self {
        KeyedLimit {
            rate,
            store: Store::Shared { db, name },
        }
    }

    /// Counts one event for `key`; refused (and then not counted), it says how long until the
    /// key may try again.
    pub async fn check(&self, key: &K) -> Result<(), Duration> {
        match &self.store {
            Store::Memory(limiter) => limiter
                .check_key(key)
                .map_err(|not_until| not_until.wait_time_from(limiter.clock().now())),
            Store::Shared { db, name } => {
                let emission = self.rate.period / self.rate.count;
                let emission_ms = emission.as_millis().max(1) as i64;
                let tolerance_ms = self.rate.period.as_millis() as i64 - emission_ms;
                match db
                    .shared_limit_check(&format!("{name}:{key}"), emission_ms, tolerance_ms)
                    .await
                {
                    Ok(decided) => decided,
                    // Open, not shut: a database that cannot count cannot store the report
                    // either, and that write fails with its own error; refusing here would
                    // only tell the citizen a wrong reason.
                    Err(e) => {
                        tracing::error!("rate limit {name}: {e}");
                        Ok(())
                    }
                }
            }
        }
    }

    /// Drops the keys that are back to a fresh state, so that a flood of addresses does not
    /// grow memory without bound (the shared rows are swept by [`RateLimiter::forget_idle`]).
    fn forget_idle(&self) {
        if let Store::Memory(limiter) = &self.store {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// Keys held in memory (0 for a shared limit).
    pub fn keys(&self) -> usize {
        match &self.store {
            Store::Memory(limiter) => limiter.len(),
            Store::Shared { .. } => 0,
        }
    }
}

/// The limiters of one server process, built from [`Limits`].
pub struct RateLimiter {
    limits: Limits,
    /// The database whose `rate_limits` rows the shared limiters use, for sweeping them.
    shared: Option<Db>,
    pub reports_per_address: KeyedLimit<IpAddr>,
    pub messages_per_address: KeyedLimit<IpAddr>,
    pub votes_per_address: KeyedLimit<IpAddr>,
    pub supports_per_address: KeyedLimit<IpAddr>,
    pub photos_per_address: KeyedLimit<IpAddr>,
    pub poll_tokens_per_address: KeyedLimit<IpAddr>,
    pub flags_per_address: KeyedLimit<IpAddr>,
    /// Keyed by tenant id.
    pub per_tenant: KeyedLimit<i64>,
}

impl RateLimiter {
    /// Counting in this process's memory.
    pub fn new(limits: Limits) -> RateLimiter {
        RateLimiter {
            limits,
            shared: None,
            reports_per_address: KeyedLimit::new(limits.reports_per_address),
            messages_per_address: KeyedLimit::new(limits.messages_per_address),
            votes_per_address: KeyedLimit::new(limits.votes_per_address),
            supports_per_address: KeyedLimit::new(limits.supports_per_address),
            photos_per_address: KeyedLimit::new(limits.photos_per_address),
            poll_tokens_per_address: KeyedLimit::new(limits.poll_tokens_per_address),
            flags_per_address: KeyedLimit::new(limits.flags_per_address),
            per_tenant: KeyedLimit::new(limits.per_tenant),
        }
    }

    /// What a server on `db` uses: shared in the database on PostgreSQL, in memory on SQLite.
    pub fn for_db(limits: Limits, db: &Db) -> RateLimiter {
        if db.backend == Backend::Sqlite {
            return RateLimiter::new(limits);
        }
        let shared = |rate, name| KeyedLimit::shared(rate, db.clone(), name);
        RateLimiter {
            limits,
            shared: Some(db.clone()),
            reports_per_address: shared(limits.reports_per_address, "reports"),
            messages_per_address: shared(limits.messages_per_address, "messages"),
            votes_per_address: shared(limits.votes_per_address, "votes"),
            supports_per_address: shared(limits.supports_per_address, "supports"),
            photos_per_address: shared(limits.photos_per_address, "photos"),
            poll_tokens_per_address: shared(limits.poll_tokens_per_address, "poll_tokens"),
            flags_per_address: shared(limits.flags_per_address, "flags"),
            per_tenant: KeyedLimit::shared(limits.per_tenant, db.clone(), "tenant"),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// See [`KeyedLimit::forget_idle`]; the server calls this every minute. Every instance
    /// sweeps the shared rows; the DELETE is idempotent, so that needs no coordination.
    pub async fn forget_idle(&self) {
        self.reports_per_address.forget_idle();
        self.messages_per_address.forget_idle();
        self.votes_per_address.forget_idle();
        self.supports_per_address.forget_idle();
        self.photos_per_address.forget_idle();
        self.poll_tokens_per_address.forget_idle();
        self.flags_per_address.forget_idle();
        self.per_tenant.forget_idle();
        if let Some(db) = &self.shared {
            if let Err(e) = db.sweep_shared_limits().await {
                tracing::warn!("sweeping the shared rate limits: {e}");
            }
        }
    }
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter::new(Limits::default())
    }
}

/// How often idle keys are dropped: often enough that memory follows the last few minutes'
/// distinct addresses, rarely enough that the sweep costs nothing.
pub const FORGET_IDLE_EVERY: Duration = Duration::from_secs(60);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_read_as_count_per_period() {
        assert_eq!("30/10m".parse(), Ok(Rate::new(30, 600)));
        assert_eq!(" 1000 / 1h ".parse(), Ok(Rate::new(1000, 3600)));
        assert_eq!("5/90s".parse(), Ok(Rate::new(5, 90)));
        assert_eq!(Rate::new(30, 600).to_string(), "30/10m");
        for bad in [
            "30",
            "0/10m",
            "-1/10m",
            "x/10m",
            "30/",
            "30/10 parsecs",
            "30/0s",
            "30/500ms",
        ] {
            let err = bad.parse::<Rate>().unwrap_err();
            assert!(err.contains("COUNT/PERIOD"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_limits_table_keeps_defaults_and_refuses_typos() {
        #[derive(Deserialize)]
        struct File {
            limits: Limits,
        }
        let file: File = toml::from_str("[limits]\nmessages_per_address = \"2/1m\"\n").unwrap();
        assert_eq!(file.limits.messages_per_address, Rate::new(2, 60));
        assert_eq!(file.limits.reports_per_address, Rate::new(30, 600));
        let typo = toml::from_str::<File>("[limits]\nreport_per_address = \"2/1m\"\n");
        assert!(typo.is_err());
        let malformed = toml::from_str::<File>("[limits]\nper_tenant = \"lots\"\n")
            .err()
            .unwrap()
            .to_string();
        assert!(malformed.contains("COUNT/PERIOD"), "{malformed}");
    }

    #[tokio::test]
    async fn a_key_may_spend_its_count_at_once_and_then_waits() {
        let limit = KeyedLimit::new(Rate::new(2, 600));
        let (a, b) = ("10.0.0.1", "10.0.0.2");
        assert!(limit.check(&a).await.is_ok());
        assert!(limit.check(&a).await.is_ok());
        let wait = limit.check(&a).await.unwrap_err();
        // One comes back every 600 s / 2.
        assert!(
            wait > Duration::from_secs(290) && wait <= Duration::from_secs(300),
            "{wait:?}"
        );
        assert!(limit.check(&b).await.is_ok(), "keys are independent");
        assert_eq!(limit.keys(), 2);
    }

    #[tokio::test]
    async fn idle_keys_are_forgotten() {
        let limit = KeyedLimit::new(Rate::new(1, 1));
        limit.check(&1).await.unwrap();
        assert_eq!(limit.keys(), 1);
        tokio::time::sleep(Duration::from_millis(2500)).await;
        limit.forget_idle();
        assert_eq!(limit.keys(), 0);
    }
}
