//! Settings: a command-line flag wins over the environment (`CIVICKIT_…`), which wins over the
//! TOML file (`--config FILE` or `CIVICKIT_CONFIG`), which wins over the defaults.

use crate::http::ForwardedHeader;
use crate::limits::Limits;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE: &str = "sqlite://civickit.db";
/// Seconds a stopping server gives requests in flight (`shutdown_timeout`). Long enough for a
/// photo upload over a slow line that has begun, short of systemd's 90 s before it kills.
pub const DEFAULT_SHUTDOWN_TIMEOUT: u64 = 10;
/// The shortest `metrics_token` we take: it opens `/metrics` from anywhere.
pub const MIN_METRICS_TOKEN_CHARS: usize = 16;

/// The TOML file; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub dist: Option<PathBuf>,
    pub public_url: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    /// Reverse proxies (CIDR or single address) whose forwarding header names the client.
    pub trusted_proxies: Option<Vec<String>>,
    pub forwarded_header: Option<ForwardedHeader>,
    /// The `[limits]` table; a missing key keeps its default.
    #[serde(default)]
    pub limits: Limits,
    /// The `[abuse]` table (proof-of-work and fill times); a missing key keeps its default.
    #[serde(default)]
    pub abuse: crate::pow::AbuseSettings,
    /// Opens `/metrics` to requests with `Authorization: Bearer TOKEN` (else loopback only).
    pub metrics_token: Option<String>,
    /// Seconds to let requests in flight finish on SIGTERM.
    pub shutdown_timeout: Option<u64>,
}

impl FileSettings {
    pub fn load(path: Option<&Path>) -> Result<FileSettings, String> {
        let Some(path) = path else {
            return Ok(FileSettings::default());
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("config file {}: {e}", path.display()))
    }
}

/// A metrics token must be long enough not to be guessed and fit an HTTP header as it is.
pub fn check_metrics_token(token: &str) -> Result<(), String> {
    if token.chars().count() < MIN_METRICS_TOKEN_CHARS {
        return Err(format!(
            "metrics_token: use at least {MIN_METRICS_TOKEN_CHARS} characters (e.g. `openssl rand -hex 24`)"
        ));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("metrics_token: use visible ASCII characters only, no spaces".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_toml_and_refuses_typos() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.toml");
        std::fs::write(
            &good,
            "listen = \"0.0.0.0:9000\"\ndatabase_url = \"postgres://db/civickit\"\n",
        )
        .unwrap();
        let s = FileSettings::load(Some(&good)).unwrap();
        assert_eq!(s.listen.as_deref(), Some("0.0.0.0:9000"));
        assert_eq!(s.database_url.as_deref(), Some("postgres://db/civickit"));
        assert_eq!(s.metrics_token, None);
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "databse_url = \"x\"\n").unwrap();
        let err = FileSettings::load(Some(&bad)).unwrap_err();
        assert!(err.contains("databse_url"), "{err}");
    }

    #[test]
    fn reads_proxies_and_limits_and_refuses_a_malformed_rate() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.toml");
        std::fs::write(
            &good,
            "trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\nforwarded_header = \"forwarded\"\n\
             [limits]\nreports_per_address = \"10/5m\"\n",
        )
        .unwrap();
        let s = FileSettings::load(Some(&good)).unwrap();
        assert_eq!(s.trusted_proxies.unwrap(), ["127.0.0.1", "10.0.0.0/8"]);
        assert_eq!(s.forwarded_header, Some(ForwardedHeader::Forwarded));
        assert_eq!(s.limits.reports_per_address.to_string(), "10/5m");
        assert_eq!(s.limits.messages_per_address.to_string(), "5/10m");
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "[limits]\nmessages_per_address = \"5 per hour\"\n").unwrap();
        let err = FileSettings::load(Some(&bad)).unwrap_err();
        assert!(
            err.contains("messages_per_address") && err.contains("COUNT/PERIOD"),
            "{err}"
        );
    }

    #[test]
    fn reads_the_abuse_table_and_refuses_typos() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.toml");
        std::fs::write(&good, "[abuse]\nmin_fill_seconds = 0\nspike_writes = 50\n").unwrap();
        let s = FileSettings::load(Some(&good)).unwrap();
        assert_eq!(s.abuse.min_fill_seconds, Some(0));
        assert_eq!(s.abuse.spike_writes, 50);
        assert_eq!(
            s.abuse.challenge_lifetime_seconds,
            crate::pow::DEFAULT_CHALLENGE_LIFETIME_SECONDS
        );
        let none = FileSettings::load(None).unwrap();
        assert_eq!(none.abuse, crate::pow::AbuseSettings::default());
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "[abuse]\nmin_fill = 0\n").unwrap();
        let err = FileSettings::load(Some(&bad)).unwrap_err();
        assert!(err.contains("min_fill"), "{err}");
    }

    #[test]
    fn metrics_tokens_must_be_long_and_plain() {
        assert!(check_metrics_token("0123456789abcdef").is_ok());
        assert!(check_metrics_token("short").is_err());
        assert!(check_metrics_token("0123456789 abcdef").is_err());
        assert!(check_metrics_token("0123456789abcdefä").is_err());
    }
}
