//! Proof-of-work on every anonymous write (issue 15): the server issues a signed, expiring
//! SHA-256 puzzle in the ALTCHA shape (made and checked by `altcha-lib-rs`), the widget solves
//! it while the citizen types, and the write carries the solution. Signed inside the salt are
//! `expires`, `issued`, `purpose` and `tenant`, so a solution is good for one town, one kind of
//! write, a limited time, and (through `spent_challenges`) once. `issued` also starts the
//! minimum fill time that the mailbox's form token has enforced alone before.
//!
//! The difficulty (`maxnumber`, the hashes a solver tries at most) is the town's
//! `pow_max_number`, multiplied when the town's writes spike: the count comes from the spent
//! challenges of the last ten minutes, so that every instance on the database agrees.

use crate::db::tenants::Tenant;
use crate::db::Db;
use crate::http::{ApiError, AppState};
use altcha_lib_rs::algorithm::AltchaAlgorithm;
use altcha_lib_rs::{ChallengeOptions, Payload};
use base64::Engine;
use civickit_model::api::widget::{Challenge, Purpose};
use civickit_model::Lang;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A challenge stays good this long by default: a citizen may pause over a report.
pub const DEFAULT_CHALLENGE_LIFETIME_SECONDS: i64 = 2 * 3600;
/// Spent challenges per town in [`SPIKE_WINDOW_SECONDS`] above which the difficulty rises.
pub const DEFAULT_SPIKE_WRITES: i64 = 200;
pub const SPIKE_WINDOW_SECONDS: i64 = 600;
/// How long one count of a town's recent writes is reused: the count is a query, and a flood
/// is exactly when it would be run for every challenge.
const SPIKE_CACHE: Duration = Duration::from_secs(5);
/// Longer payloads are not ALTCHA's (its JSON is about 300 bytes); refused before decoding.
const MAX_PAYLOAD_CHARS: usize = 2048;

/// The `[abuse]` table of the settings file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AbuseSettings {
    /// Overrides the minimum fill time of every purpose (tests run with 0).
    pub min_fill_seconds: Option<i64>,
    /// Writes per town in ten minutes above which challenges get 4× harder (16× above 4× that).
    pub spike_writes: i64,
    /// Seconds a challenge stays good after it was issued.
    pub challenge_lifetime_seconds: i64,
}

impl Default for AbuseSettings {
    fn default() -> Self {
        AbuseSettings {
            min_fill_seconds: None,
            spike_writes: DEFAULT_SPIKE_WRITES,
            challenge_lifetime_seconds: DEFAULT_CHALLENGE_LIFETIME_SECONDS,
        }
    }
}

impl AbuseSettings {
    /// Refuses settings that would switch the defence off by accident or lock everyone out.
    pub fn check(&self) -> Result<(), String> {
        if self
            .min_fill_seconds
            .is_some_and(|s| !(0..=600).contains(&s))
        {
            return Err("[abuse] min_fill_seconds: use 0 to 600".into());
        }
        if self.spike_writes < 1 {
            return Err("[abuse] spike_writes: use at least 1".into());
        }
        if !(60..=7 * 86_400).contains(&self.challenge_lifetime_seconds) {
            return Err("[abuse] challenge_lifetime_seconds: use 60 to 604800".into());
        }
        Ok(())
    }

    /// Seconds between issuing and a write a person can manage; shorter is a script's.
    pub fn min_fill_seconds(&self, purpose: Purpose) -> i64 {
        self.min_fill_seconds.unwrap_or(match purpose {
            Purpose::Report | Purpose::Message => 3,
            Purpose::Vote | Purpose::Flag => 2,
            Purpose::Support => 1,
        })
    }
}

/// The proof-of-work part of the server's state: settings and the spike counts.
#[derive(Default)]
pub struct Pow {
    pub settings: AbuseSettings,
    /// tenant id → (when counted, spent challenges in the window).
    recent: Mutex<HashMap<i64, (Instant, i64)>>,
}

impl Pow {
    pub fn new(settings: AbuseSettings) -> Pow {
        Pow {
            settings,
            recent: Mutex::default(),
        }
    }

    /// The town's recent writes, counted at most every few seconds.
    async fn recent_writes(&self, db: &Db, tenant_id: i64) -> i64 {
        if let Some((at, count)) = self.recent.lock().expect("not poisoned").get(&tenant_id) {
            if at.elapsed() < SPIKE_CACHE {
                return *count;
            }
        }
        let since = crate::db::now() - SPIKE_WINDOW_SECONDS;
        let count = match db.spent_challenges_since(tenant_id, since).await {
            Ok(count) => count,
            // The town's base difficulty still holds; a failing database fails the write anyway.
            Err(e) => {
                tracing::error!("counting spent challenges: {e}");
                0
            }
        };
        let mut recent = self.recent.lock().expect("not poisoned");
        // Towns that stopped asking are dropped, so the map follows the active ones.
        recent.retain(|_, (at, _)| at.elapsed() < SPIKE_CACHE);
        recent.insert(tenant_id, (Instant::now(), count));
        count
    }

    /// `maxnumber` for the town now: its base, ×4 in a spike, ×16 in a big one.
    pub async fn max_number(&self, db: &Db, tenant: &Tenant) -> u64 {
        let writes = self.recent_writes(db, tenant.id).await;
        let spike = self.settings.spike_writes;
        let factor = if writes > spike.saturating_mul(4) {
            16
        } else if writes > spike {
            4
        } else {
            1
        };
        tenant.pow_max_number.max(1) as u64 * factor
    }
}

/// The HMAC key of challenges: derived from the form-token secret, so that a form token's
/// signature can never pass for a challenge's or the other way round.
fn hmac_key(form_key: &str) -> String {
    format!("altcha-challenge:{form_key}")
}

/// A new challenge for a write of `purpose` to `tenant`, issued `now`.
pub async fn issue(
    state: &AppState,
    tenant: &Tenant,
    purpose: Purpose,
    now: i64,
) -> Result<Challenge, ApiError> {
    let pow = &state.pow;
    let lifetime = pow.settings.challenge_lifetime_seconds;
    let max_number = pow.max_number(&state.db, tenant).await;
    let params = HashMap::from([
        ("expires".to_string(), (now + lifetime).to_string()),
        ("issued".to_string(), now.to_string()),
        ("purpose".to_string(), purpose.as_str().to_string()),
        ("tenant".to_string(), tenant.id.to_string()),
    ]);
    let key = hmac_key(&state.form_key);
    let made = altcha_lib_rs::create_challenge(ChallengeOptions {
        algorithm: Some(AltchaAlgorithm::Sha256),
        max_number: Some(max_number),
        hmac_key: &key,
        params: Some(params),
        ..Default::default()
    })
    .map_err(|e| ApiError::Internal(format!("creating a challenge: {e}")))?;
    Ok(Challenge {
        algorithm: "SHA-256".into(),
        challenge: made.challenge,
        maxnumber: made.maxnumber,
        salt: made.salt,
        signature: made.signature,
        min_fill_seconds: pow.settings.min_fill_seconds(purpose),
        expires_in: lifetime,
    })
}

/// The signed parameters of a salt (`…?expires=…&issued=…&`).
fn salt_params(salt: &str) -> HashMap<&str, &str> {
    salt.split_once('?')
        .map(|(_, query)| {
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `payload` solves a challenge this server signed: `sha256(salt + number)` is the
/// challenge, and the signature is our HMAC of it (compared in constant time).
///
/// Not `altcha_lib_rs::verify_solution`: 0.3.3 rebuilds the salt from its parameters through a
/// `HashMap`, whose order differs from the one at issuing once a salt has more than one
/// parameter (ours has four), so it refuses most correct solutions. The computation is the
/// same as the crate's `create_challenge`, which still makes the challenges.
fn solution_holds(payload: &Payload, key: &str) -> bool {
    use sha2::{Digest, Sha256};
    let hash = hex::encode(Sha256::digest(format!(
        "{}{}",
        payload.salt, payload.number
    )));
    if hash != payload.challenge {
        return false;
    }
    crate::secrets::signature_holds(key, &payload.challenge, &payload.signature)
}

/// Checks the solved challenge of a write and spends it. Spent here, before the handler runs,
/// not when the write succeeds: simpler, and safe, since a write that then fails validation
/// costs the citizen nothing but a fresh challenge, which the widget fetches (and solves)
/// by itself, keeping the input. A refusal for being too fast does not spend it: the same
/// solution is good after `Retry-After`.
pub async fn verify(
    state: &AppState,
    tenant: &Tenant,
    purpose: Purpose,
    altcha: Option<&str>,
    lang: Lang,
    now: i64,
) -> Result<(), ApiError> {
    let pow = &state.pow;
    let altcha = altcha
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .ok_or(ApiError::ChallengeRequired(lang))?;
    let invalid = || ApiError::ChallengeInvalid(lang);
    if altcha.len() > MAX_PAYLOAD_CHARS {
        return Err(invalid());
    }
    // ALTCHA's widget sends btoa(JSON): standard alphabet with padding; take the URL-safe one
    // from scripted clients too.
    let json = base64::engine::general_purpose::STANDARD
        .decode(altcha)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(altcha))
        .map_err(|_| invalid())?;
    let payload: Payload = serde_json::from_slice(&json).map_err(|_| invalid())?;
    if !matches!(payload.algorithm, AltchaAlgorithm::Sha256) {
        return Err(invalid());
    }
    let params = salt_params(&payload.salt);
    let number = |name: &str| params.get(name).and_then(|v| v.parse::<i64>().ok());
    let (Some(expires), Some(issued)) = (number("expires"), number("issued")) else {
        return Err(invalid());
    };
    if !solution_holds(&payload, &hmac_key(&state.form_key)) {
        return Err(invalid());
    }
    if expires < now {
        return Err(ApiError::ChallengeExpired(lang));
    }
    if number("tenant") != Some(tenant.id) || params.get("purpose") != Some(&purpose.as_str()) {
        return Err(invalid());
    }
    let waited = now - issued;
    let min_fill = pow.settings.min_fill_seconds(purpose);
    if waited < min_fill {
        return Err(ApiError::TooFast {
            lang,
            retry_after: Duration::from_secs((min_fill - waited) as u64),
        });
    }
    if !state
        .db
        .spend_challenge(
            tenant.id,
            &payload.signature,
            purpose.as_str(),
            now,
            expires,
        )
        .await?
    {
        return Err(ApiError::ChallengeUsed(lang));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salt_parameters_are_read_from_the_query_part() {
        let p = salt_params("abc123?expires=20&issued=10&purpose=vote&tenant=7&");
        assert_eq!(p.get("issued"), Some(&"10"));
        assert_eq!(p.get("purpose"), Some(&"vote"));
        assert_eq!(p.get("tenant"), Some(&"7"));
        assert!(salt_params("abc123").is_empty());
    }

    #[test]
    fn a_solution_of_a_crate_made_challenge_with_four_parameters_holds() {
        let params = HashMap::from([
            ("expires".to_string(), "2000".to_string()),
            ("issued".to_string(), "1000".to_string()),
            ("purpose".to_string(), "report".to_string()),
            ("tenant".to_string(), "1".to_string()),
        ]);
        let made = altcha_lib_rs::create_challenge(ChallengeOptions {
            max_number: Some(500),
            hmac_key: "k",
            params: Some(params),
            ..Default::default()
        })
        .unwrap();
        let number = (0..=500u64)
            .find(|n| {
                hex::encode(<sha2::Sha256 as sha2::Digest>::digest(format!(
                    "{}{n}",
                    made.salt
                ))) == made.challenge
            })
            .unwrap();
        let payload = Payload {
            algorithm: AltchaAlgorithm::Sha256,
            challenge: made.challenge.clone(),
            number,
            salt: made.salt.clone(),
            signature: made.signature.clone(),
            took: None,
        };
        assert!(solution_holds(&payload, "k"));
        assert!(!solution_holds(&payload, "other key"));
        let wrong = Payload {
            number: number + 1,
            ..payload.clone()
        };
        assert!(!solution_holds(&wrong, "k"));
        let moved = Payload {
            salt: made.salt.replace("tenant=1", "tenant=2"),
            ..payload
        };
        assert!(!solution_holds(&moved, "k"));
    }

    #[test]
    fn fill_times_per_purpose_and_the_override() {
        let s = AbuseSettings::default();
        assert_eq!(s.min_fill_seconds(Purpose::Report), 3);
        assert_eq!(s.min_fill_seconds(Purpose::Support), 1);
        let zero = AbuseSettings {
            min_fill_seconds: Some(0),
            ..s
        };
        assert_eq!(zero.min_fill_seconds(Purpose::Message), 0);
        assert!(s.check().is_ok());
        assert!(AbuseSettings {
            spike_writes: 0,
            ..s
        }
        .check()
        .is_err());
    }
}
