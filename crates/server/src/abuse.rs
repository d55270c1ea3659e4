//! Spam and abuse defences without third parties: signed form tokens that enforce a minimum
//! fill time, and the honeypot. Rate limits are in `limits.rs`.

/// A form shorter in the making than this is a bot's.
pub const MIN_FILL_SECONDS: i64 = 3;
/// A form token is good for a day, long enough for a citizen who pauses.
pub const MAX_FORM_AGE_SECONDS: i64 = 24 * 3600;

fn signature(key: &str, issued_at: i64, purpose: &str) -> String {
    crate::secrets::sign(key, &format!("{purpose}:{issued_at}"))
}

/// `ISSUED_AT.SIGNATURE`, handed to the form when it is shown.
pub fn form_token(key: &str, purpose: &str, now: i64) -> String {
    format!("{now}.{}", signature(key, now, purpose))
}

#[derive(Debug, PartialEq, Eq)]
pub enum FormTokenError {
    Missing,
    Forged,
    TooFast,
    Expired,
}

pub fn check_form_token(
    key: &str,
    purpose: &str,
    token: Option<&str>,
    now: i64,
) -> Result<(), FormTokenError> {
    let token = token
        .filter(|t| !t.is_empty())
        .ok_or(FormTokenError::Missing)?;
    let (issued, sig) = token.split_once('.').ok_or(FormTokenError::Forged)?;
    let issued: i64 = issued.parse().map_err(|_| FormTokenError::Forged)?;
    if !crate::secrets::signature_holds(key, &format!("{purpose}:{issued}"), sig) {
        return Err(FormTokenError::Forged);
    }
    if now - issued < MIN_FILL_SECONDS {
        return Err(FormTokenError::TooFast);
    }
    if now - issued > MAX_FORM_AGE_SECONDS {
        return Err(FormTokenError::Expired);
    }
    Ok(())
}

/// The honeypot: a form field hidden from people, so only bots fill it in.
pub fn honeypot_filled(website: Option<&str>) -> bool {
    website.is_some_and(|w| !w.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_tokens() {
        let t = form_token("k", "mailbox", 1000);
        assert_eq!(
            check_form_token("k", "mailbox", Some(&t), 1001),
            Err(FormTokenError::TooFast)
        );
        assert_eq!(check_form_token("k", "mailbox", Some(&t), 1003), Ok(()));
        assert_eq!(
            check_form_token("k", "report", Some(&t), 1003),
            Err(FormTokenError::Forged)
        );
        assert_eq!(
            check_form_token("other", "mailbox", Some(&t), 1003),
            Err(FormTokenError::Forged)
        );
        assert_eq!(
            check_form_token("k", "mailbox", Some("999.abc"), 1003),
            Err(FormTokenError::Forged)
        );
        assert_eq!(
            check_form_token("k", "mailbox", None, 1003),
            Err(FormTokenError::Missing)
        );
        assert_eq!(
            check_form_token("k", "mailbox", Some(&t), 1000 + MAX_FORM_AGE_SECONDS + 1),
            Err(FormTokenError::Expired)
        );
    }
}
