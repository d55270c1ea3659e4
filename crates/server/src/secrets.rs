//! The server's secrets in one place: how random tokens are made, how they are stored, and how
//! a presented one is compared. Tracking links, e-mail links, session cookies, API keys,
//! generated passwords and the installation's own keys all go through here, so a reviewer
//! checks one file, not six.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Random bytes in a token: 192 bits, far beyond guessing even at millions of tries a second
/// for years, and short enough for a link in a mail.
const TOKEN_BYTES: usize = 24;

/// A new random token: [`TOKEN_BYTES`] from `rand`'s thread RNG (a CSPRNG seeded from the
/// operating system), written as URL-safe base64 without padding, so it can stand in a path
/// (`/track/{token}`), a query string or a cookie without escaping.
pub fn new_secret() -> String {
    use base64::Engine;
    let bytes: [u8; TOKEN_BYTES] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token: its SHA-256 in hex, so a leaked backup opens no
/// tracking page, session or API access. A plain fast hash is enough (and a salt would only
/// get in the way) because the tokens themselves are random and long: there is no dictionary
/// to try, unlike for passwords, which get argon2 in `db/users.rs`. It must stay
/// deterministic, because a presented token is looked up by its hash.
///
/// It also turns short values into stable keys that reveal nothing (a supporter id per
/// report, a poll code per poll): callers prefix them with the row's id so equal inputs in
/// two places never give the same stored value.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares a presented secret with the expected one without stopping at the first
/// difference, so the response time does not tell an attacker how many leading bytes were
/// right (the CSRF check compares raw tokens; lookups by hash need no such care, as the
/// database compares hashes the attacker cannot steer). Only the length may show, and the
/// length of our tokens is no secret.
/// HMAC-SHA256 of `message` under `key`, in hex: what the server signs so that it can trust
/// a value when it comes back (form tokens, voter tokens, proof-of-work challenges), and how
/// it turns a value into a stable id that reveals nothing without the key (flaggers).
pub fn sign(key: &str, message: &str) -> String {
    hex::encode(mac(key, message).finalize().into_bytes())
}

/// Whether `signature_hex` is [`sign`]`(key, message)`, compared in constant time.
pub fn signature_holds(key: &str, message: &str, signature_hex: &str) -> bool {
    hex::decode(signature_hex).is_ok_and(|sig| mac(key, message).verify_slice(&sig).is_ok())
}

fn mac(key: &str, message: &str) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    mac
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_url_safe_and_different() {
        let a = new_secret();
        let b = new_secret();
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }

    #[test]
    fn the_stored_hash_is_stable_and_not_the_token() {
        let token = new_secret();
        assert_eq!(hash_secret(&token), hash_secret(&token));
        assert_ne!(hash_secret(&token), token);
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn comparison_needs_equal_length_and_bytes() {
        assert!(constant_time_eq(b"token", b"token"));
        assert!(!constant_time_eq(b"token", b"tokeN"));
        assert!(!constant_time_eq(b"token", b"toke"));
        assert!(constant_time_eq(b"", b""));
    }
}
