//! What every citizen form post repeats, done once: the tenant from the path, the JSON body
//! (a malformed one is the documented 400), the language, the honeypot, the proof-of-work
//! challenge (`crate::pow`), and the rate limits keyed by the client's address.

use super::{lang, ApiError, ApiJson, AppState, ClientAddr};
use crate::db::tenants::Tenant;
use crate::limits::{KeyedLimit, RateLimiter};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::HeaderMap;
use civickit_model::api::widget::{
    FlagRequest, NewMessageRequest, NewReportRequest, Purpose, SupportRequest, VoteRequest,
};
use civickit_model::{FieldError, Lang, ValidationCode};
use serde::de::DeserializeOwned;
use std::net::IpAddr;
use std::sync::Arc;

/// A request body a citizen's form sends.
pub trait CitizenBody: DeserializeOwned + Send {
    /// What the body's proof-of-work challenge must have been issued for.
    const PURPOSE: Purpose;
    /// The solved challenge (ALTCHA's base64 payload), as sent.
    fn altcha(&self) -> Option<&str>;
    /// The honeypot field: hidden from people, so only bots fill it in.
    fn honeypot(&self) -> Option<&str> {
        None
    }
    /// The language the body asks for; `?lang=` wins over it, `Accept-Language` loses.
    fn lang(&self) -> Option<&str> {
        None
    }
}

impl CitizenBody for NewReportRequest {
    const PURPOSE: Purpose = Purpose::Report;
    fn altcha(&self) -> Option<&str> {
        self.altcha.as_deref()
    }
    fn honeypot(&self) -> Option<&str> {
        self.website.as_deref()
    }
    fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

impl CitizenBody for NewMessageRequest {
    const PURPOSE: Purpose = Purpose::Message;
    fn altcha(&self) -> Option<&str> {
        self.altcha.as_deref()
    }
    fn honeypot(&self) -> Option<&str> {
        self.website.as_deref()
    }
    fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

impl CitizenBody for VoteRequest {
    const PURPOSE: Purpose = Purpose::Vote;
    fn altcha(&self) -> Option<&str> {
        self.altcha.as_deref()
    }
    fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

impl CitizenBody for FlagRequest {
    const PURPOSE: Purpose = Purpose::Flag;
    fn altcha(&self) -> Option<&str> {
        self.altcha.as_deref()
    }
    fn honeypot(&self) -> Option<&str> {
        self.website.as_deref()
    }
    fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

impl CitizenBody for SupportRequest {
    const PURPOSE: Purpose = Purpose::Support;
    fn altcha(&self) -> Option<&str> {
        self.altcha.as_deref()
    }
}

/// A citizen's post to `/api/v1/{tenant}/…`: the tenant exists, the body parsed, the
/// honeypot is empty. Rate limits are counted by [`CitizenForm::rate_limit`] at the point
/// the handler chooses (a message is counted only once it passed validation, so a citizen
/// correcting a typo is not locked out).
pub struct CitizenForm<T> {
    pub tenant: Tenant,
    pub client: ClientAddr,
    pub lang: Lang,
    pub headers: HeaderMap,
    pub body: T,
}

/// What a rate limit counts; each has its own per-address limit and its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flood {
    Reports,
    Messages,
    Votes,
    Supports,
    Photos,
    PollTokens,
    Flags,
}

impl Flood {
    fn per_address(self, limiter: &RateLimiter) -> &KeyedLimit<IpAddr> {
        match self {
            Flood::Reports => &limiter.reports_per_address,
            Flood::Messages => &limiter.messages_per_address,
            Flood::Votes => &limiter.votes_per_address,
            Flood::Supports => &limiter.supports_per_address,
            Flood::Photos => &limiter.photos_per_address,
            Flood::PollTokens => &limiter.poll_tokens_per_address,
            Flood::Flags => &limiter.flags_per_address,
        }
    }

    /// Whether the tenant's overall limit applies too: to what reaches the office's work
    /// (reports, messages, flags). Votes are bounded by the poll itself (one per code or
    /// browser), supports and poll tokens only count, photos belong to a counted report; a
    /// poll evening or a popular report must not block the town's reports.
    fn counts_for_tenant(self) -> bool {
        matches!(self, Flood::Reports | Flood::Messages | Flood::Flags)
    }

    fn refusal(self, lang: Lang) -> &'static str {
        match self {
            Flood::Reports => lang.pick(
                "Von Ihrem Anschluss kamen gerade sehr viele Meldungen. Bitte versuchen Sie es in einigen Minuten erneut; Ihre Eingaben bleiben erhalten.",
                "Very many reports came from your connection just now. Please try again in a few minutes; your input is kept.",
            ),
            Flood::Messages => lang.pick(
                "Von Ihrem Anschluss kamen gerade sehr viele Nachrichten. Bitte versuchen Sie es in einigen Minuten erneut; Ihr Text bleibt im Formular.",
                "Very many messages came from your connection just now. Please try again in a few minutes; your text stays in the form.",
            ),
            Flood::Votes => lang.pick(
                "Von Ihrem Anschluss kamen gerade sehr viele Stimmen. Bitte versuchen Sie es später erneut.",
                "Very many votes came from your connection just now. Please try again later.",
            ),
            Flood::Supports => lang.pick(
                "Von Ihrem Anschluss kamen gerade sehr viele „Betrifft mich auch“. Bitte versuchen Sie es später erneut.",
                "Very many \"affects me too\" came from your connection just now. Please try again later.",
            ),
            Flood::Photos => lang.pick(
                "Von Ihrem Anschluss kamen gerade sehr viele Fotos. Bitte versuchen Sie es in einigen Minuten erneut.",
                "Very many photos came from your connection just now. Please try again in a few minutes.",
            ),
            Flood::PollTokens => lang.pick(
                "Von Ihrem Anschluss wurde diese Umfrage gerade sehr oft geöffnet. Bitte versuchen Sie es in einigen Minuten erneut.",
                "This poll was opened very often from your connection just now. Please try again in a few minutes.",
            ),
            Flood::Flags => lang.pick(
                "Von Ihrem Anschluss kamen gerade sehr viele Hinweise auf Meldungen. Bitte versuchen Sie es später erneut.",
                "Very many flags came from your connection just now. Please try again later.",
            ),
        }
    }

    /// Counts one event of `client` (and of the tenant, see `counts_for_tenant`), or refuses
    /// it with 429 and the time until a retry can succeed. For routes without a
    /// [`CitizenForm`] (photo uploads, poll tokens).
    pub async fn check(
        self,
        state: &AppState,
        client: &ClientAddr,
        tenant_id: i64,
        lang: Lang,
    ) -> Result<(), ApiError> {
        let mut counted = self
            .per_address(&state.limiter)
            .check(&client.limit_key())
            .await;
        if counted.is_ok() && self.counts_for_tenant() {
            counted = state.limiter.per_tenant.check(&tenant_id).await;
        }
        counted.map_err(|retry_after| ApiError::RateLimited {
            message: self.refusal(lang).into(),
            retry_after,
        })
    }
}

impl<T> CitizenForm<T> {
    /// Counts this post for its address (and its tenant), or refuses it with 429 and the
    /// time until a retry can succeed.
    pub async fn rate_limit(&self, state: &AppState, flood: Flood) -> Result<(), ApiError> {
        flood
            .check(state, &self.client, self.tenant.id, self.lang)
            .await
    }
}

impl<T: CitizenBody> FromRequest<Arc<AppState>> for CitizenForm<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let (mut parts, body) = req.into_parts();
        let client = ClientAddr::from_request_parts(&mut parts, state).await?;
        let params = RawPathParams::from_request_parts(&mut parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        let slug = params
            .iter()
            .find(|(name, _)| *name == "tenant")
            .map(|(_, value)| value.to_string())
            .ok_or_else(|| ApiError::Internal("citizen form on a route without {tenant}".into()))?;
        let query_lang = query_lang(parts.uri.query());
        let headers = parts.headers.clone();
        let tenant = state.tenant(&slug).await?;
        let ApiJson(body) =
            ApiJson::<T>::from_request(Request::from_parts(parts, body), state).await?;
        let lang = lang(query_lang.as_deref().or(body.lang()), &headers);
        if crate::abuse::honeypot_filled(body.honeypot()) {
            return Err(ApiError::Validation(
                vec![FieldError::new("website", ValidationCode::InvalidValue)],
                lang,
            ));
        }
        // Proof of work, after the honeypot and before any handler, so that a refused write
        // stores nothing. The challenge is spent here (see `crate::pow::verify` for why).
        let altcha = body.altcha().map(str::to_string);
        crate::pow::verify(
            state,
            &tenant,
            T::PURPOSE,
            altcha.as_deref(),
            lang,
            crate::db::now(),
        )
        .await?;
        Ok(CitizenForm {
            tenant,
            client,
            lang,
            headers,
            body,
        })
    }
}

/// `?lang=` of a query string; other parameters (a poll's `voter_token`) are the handler's.
fn query_lang(query: Option<&str>) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query.unwrap_or(""))
        .ok()?
        .into_iter()
        .find(|(name, _)| name == "lang")
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::query_lang;

    #[test]
    fn the_language_is_read_among_other_query_parameters() {
        assert_eq!(
            query_lang(Some("voter_token=ab.cd&lang=en")).as_deref(),
            Some("en")
        );
        assert_eq!(query_lang(Some("voter_token=ab.cd")), None);
        assert_eq!(query_lang(None), None);
    }
}
