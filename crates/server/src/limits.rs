//! Rate limits per client address and per town, on `governor`'s keyed limiters.
//!
//! A limit is written `COUNT/PERIOD` (`"30/10m"`): a key may spend COUNT at once, and gets one
//! back every PERIOD/COUNT (GCRA, a token bucket without a timer). Over a long time that is the
//! same COUNT per PERIOD as a sliding window, without keeping a timestamp per event.
//!
//! The limiters live in this process's memory: a limit that resets when the process restarts is
//! good enough against floods and keeps no addresses on disk. With several instances on one
//! database (issue 14) each instance counts on its own, so a client may get up to N times the
//! limit; a shared limit would be a table keyed like these (`key`, theoretical arrival time)
//! behind [`KeyedLimit::check`], the one place that decides. The login throttle is different:
//! it counts failures in the database (`db/users.rs`), so it already holds across instances.

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
            per_tenant: Rate::new(1000, 3600),
            login_failures_per_account: Rate::new(5, 900),
            login_failures_per_address: Rate::new(20, 900),
        }
    }
}

/// One limit over many keys: the single seam where a limit shared between instances would
/// plug in (see the module comment).
pub struct KeyedLimit<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
}

impl<K: Hash + Eq + Clone> KeyedLimit<K> {
    pub fn new(rate: Rate) -> Self {
        KeyedLimit {
            limiter: DefaultKeyedRateLimiter::keyed(rate.quota()),
        }
    }

    /// Counts one event for `key`; refused (and then not counted), it says how long until the
    /// key may try again.
    pub fn check(&self, key: &K) -> Result<(), Duration> {
        self.limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }

    /// Drops the keys that are back to a fresh state, so that a flood of addresses does not
    /// grow memory without bound.
    fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    pub fn keys(&self) -> usize {
        self.limiter.len()
    }
}

/// The limiters of one server process, built from [`Limits`].
pub struct RateLimiter {
    limits: Limits,
    pub reports_per_address: KeyedLimit<IpAddr>,
    pub messages_per_address: KeyedLimit<IpAddr>,
    pub votes_per_address: KeyedLimit<IpAddr>,
    /// Keyed by tenant id.
    pub per_tenant: KeyedLimit<i64>,
}

impl RateLimiter {
    pub fn new(limits: Limits) -> RateLimiter {
        RateLimiter {
            limits,
            reports_per_address: KeyedLimit::new(limits.reports_per_address),
            messages_per_address: KeyedLimit::new(limits.messages_per_address),
            votes_per_address: KeyedLimit::new(limits.votes_per_address),
            per_tenant: KeyedLimit::new(limits.per_tenant),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// See [`KeyedLimit::forget_idle`]; the server calls this every minute.
    pub fn forget_idle(&self) {
        self.reports_per_address.forget_idle();
        self.messages_per_address.forget_idle();
        self.votes_per_address.forget_idle();
        self.per_tenant.forget_idle();
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

    #[test]
    fn a_key_may_spend_its_count_at_once_and_then_waits() {
        let limit = KeyedLimit::new(Rate::new(2, 600));
        let (a, b) = ("10.0.0.1", "10.0.0.2");
        assert!(limit.check(&a).is_ok());
        assert!(limit.check(&a).is_ok());
        let wait = limit.check(&a).unwrap_err();
        // One comes back every 600 s / 2.
        assert!(
            wait > Duration::from_secs(290) && wait <= Duration::from_secs(300),
            "{wait:?}"
        );
        assert!(limit.check(&b).is_ok(), "keys are independent");
        assert_eq!(limit.keys(), 2);
    }

    #[test]
    fn idle_keys_are_forgotten() {
        let limit = KeyedLimit::new(Rate::new(1, 1));
        limit.check(&1).unwrap();
        assert_eq!(limit.keys(), 1);
        std::thread::sleep(Duration::from_millis(2500));
        limit.forget_idle();
        assert_eq!(limit.keys(), 0);
    }
}
