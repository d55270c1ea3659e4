//! Proof-of-work for scripted test clients: fetch a challenge and solve it natively, as the
//! widget does in the browser (see crates/server/src/pow.rs).

use base64::Engine;
use civickit_model::api::widget::Challenge;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The demo town's difficulty in the ordinary tests: solved in well under a millisecond.
pub const TEST_POW_MAX_NUMBER: i64 = 1_000;

/// What in-process test servers run with unless a test says otherwise: no minimum fill time
/// (a scripted client posts right after fetching the challenge).
pub fn test_abuse_settings() -> civickit_server::pow::AbuseSettings {
    civickit_server::pow::AbuseSettings {
        min_fill_seconds: Some(0),
        ..Default::default()
    }
}

/// `GET {base}/api/v1/{tenant}/challenge?purpose=…`, parsed (panics on anything but 200).
pub async fn challenge(
    http: &reqwest::Client,
    base: &str,
    tenant: &str,
    purpose: &str,
) -> Challenge {
    try_challenge(http, base, tenant, purpose)
        .await
        .unwrap_or_else(|(status, text)| {
            panic!("challenge for {tenant}/{purpose}: {status} {text}")
        })
}

/// Like [`challenge`]; Err carries the status and body of a refusal (an unknown town's 404).
pub async fn try_challenge(
    http: &reqwest::Client,
    base: &str,
    tenant: &str,
    purpose: &str,
) -> Result<Challenge, (u16, String)> {
    let r = http
        .get(format!(
            "{base}/api/v1/{tenant}/challenge?purpose={purpose}"
        ))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    if status != 200 {
        return Err((status, text));
    }
    Ok(serde_json::from_str(&text).unwrap_or_else(|e| panic!("not a Challenge ({e}): {text}")))
}

/// The number that solves `c`: `hex(sha256(salt + number)) == challenge`.
pub fn solve_number(c: &Challenge) -> u64 {
    (0..=c.maxnumber)
        .find(|n| hex::encode(Sha256::digest(format!("{}{n}", c.salt))) == c.challenge)
        .expect("a challenge has a solution up to maxnumber")
}

/// ALTCHA's payload for a solved challenge: base64 of the JSON the ALTCHA widget sends.
pub fn payload(c: &Challenge, number: u64) -> String {
    let json = serde_json::json!({
        "algorithm": c.algorithm,
        "challenge": c.challenge,
        "number": number,
        "salt": c.salt,
        "signature": c.signature,
        "took": 1,
    });
    base64::engine::general_purpose::STANDARD.encode(json.to_string())
}

/// A fresh, solved challenge for one write of `purpose` to `tenant`: the `altcha` field.
pub async fn solve(http: &reqwest::Client, base: &str, tenant: &str, purpose: &str) -> String {
    let c = challenge(http, base, tenant, purpose).await;
    payload(&c, solve_number(&c))
}

/// (tenant, purpose) of a citizen write path: `/api/v1/{t}/reports`, `…/messages`,
/// `…/polls/{slug}/votes`, `…/reports/{ref}/support`, `…/reports/{ref}/flags`.
pub fn citizen_write(path: &str) -> Option<(&str, &'static str)> {
    let path = path.split('?').next()?;
    let rest = path.strip_prefix("/api/v1/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    let purpose = match parts[1..] {
        ["reports"] => "report",
        ["messages"] => "message",
        ["polls", _, "votes"] => "vote",
        ["reports", _, "support"] => "support",
        ["reports", _, "flags"] => "flag",
        _ => return None,
    };
    Some((parts[0], purpose))
}

/// `body` with a solved challenge in `altcha` when `path` is a citizen write and the body does
/// not name `altcha` itself; otherwise `body` as it is.
pub async fn with_altcha(http: &reqwest::Client, base: &str, path: &str, body: &Value) -> Value {
    let mut body = body.clone();
    if let (Some((tenant, purpose)), Some(fields)) = (citizen_write(path), body.as_object_mut()) {
        // A town that does not exist gives no challenge; the write then meets the same 404.
        if !fields.contains_key("altcha") {
            if let Ok(c) = try_challenge(http, base, tenant, purpose).await {
                fields.insert(
                    "altcha".into(),
                    Value::String(payload(&c, solve_number(&c))),
                );
            }
        }
    }
    body
}
