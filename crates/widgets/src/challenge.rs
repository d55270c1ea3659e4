//! The proof-of-work every anonymous write carries (issue 15; docs/widget-api.md "Challenges").
//!
//! A form starts its challenge when it opens (`Pow::start`): `GET …/challenge?purpose=…`, then
//! the loader's `__civickit.solve` (www/pow.mjs, chunked on the main thread) finds the number,
//! all while the citizen types. Sending (`Pow::post`) waits for the solution and for the rest of
//! the minimum fill time instead of being refused for it, fills in `altcha`, and answers the
//! refusals a person could meet without any fault: a challenge that expired, was already used
//! or is not accepted is renewed and the body sent once more (the input is never lost); "too
//! fast" is waited out. Each challenge is used once, so after every attempt the next one starts.

use crate::api::{decode, Api, ApiError, Body, FromJson, Json, Value};
use civickit_model::api::widget::Purpose;
use civickit_model::api::{ErrorBody, ErrorKind};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A solved challenge: ALTCHA's payload, when the server takes it at the earliest (the fill
/// time) and when it is no longer good (both `Date.now()` milliseconds).
#[derive(Clone)]
struct Solved {
    payload: String,
    ready_at: f64,
    expires_at: f64,
}

/// The challenge being fetched and solved: `done` settles when `slot` holds the outcome.
struct Pending {
    done: js_sys::Promise,
    slot: Rc<RefCell<Option<Result<Solved, ApiError>>>>,
}

impl Pending {
    /// Still worth waiting for: being solved, or solved and good for a while yet.
    fn usable(&self) -> bool {
        match &*self.slot.borrow() {
            None => true,
            Some(Ok(s)) => now() + MARGIN_MS < s.expires_at,
            Some(Err(_)) => false,
        }
    }
}

/// A challenge this close to its end is replaced rather than sent (a slow network may take
/// this long between sending and the server's check).
const MARGIN_MS: f64 = 15_000.0;

/// The proof-of-work of one form (one purpose). Cheap to clone: clones share the challenge.
#[derive(Clone)]
pub struct Pow(Rc<Inner>);

struct Inner {
    api: Api,
    purpose: Purpose,
    pending: RefCell<Option<Pending>>,
}

impl Pow {
    pub fn new(api: Api, purpose: Purpose) -> Pow {
        Pow(Rc::new(Inner {
            api,
            purpose,
            pending: RefCell::new(None),
        }))
    }

    /// Fetches and solves a challenge in the background unless one is already on its way or
    /// solved and still good. Called when the form opens, so sending seldom waits.
    pub fn start(&self) {
        let mut pending = self.0.pending.borrow_mut();
        if pending.as_ref().is_some_and(Pending::usable) {
            return;
        }
        let slot = Rc::new(RefCell::new(None));
        let (api, purpose, out) = (self.0.api.clone(), self.0.purpose, slot.clone());
        // A plain promise settled by hand rather than `future_to_promise`: 2 KB less wasm.
        let mut settle = None;
        let done = js_sys::Promise::new(&mut |resolve, _| settle = Some(resolve));
        wasm_bindgen_futures::spawn_local(async move {
            let solved = solve(&api, purpose).await;
            *out.borrow_mut() = Some(solved);
            if let Some(settle) = settle {
                let _ = settle.call0(&JsValue::NULL);
            }
        });
        *pending = Some(Pending { done, slot });
    }

    /// The solution to send, once the minimum fill time is over; the challenge is taken (a
    /// solution is good for one write only).
    async fn take(&self) -> Result<String, ApiError> {
        self.start();
        let Some(p) = self.0.pending.borrow_mut().take() else {
            return Err(ApiError::Network);
        };
        let _ = JsFuture::from(p.done).await;
        let solved = p
            .slot
            .borrow_mut()
            .take()
            .unwrap_or(Err(ApiError::Network))?;
        let wait = solved.ready_at - now();
        if wait > 0.0 {
            sleep(wait).await;
        }
        Ok(solved.payload)
    }

    /// POSTs `body` to `path` (below the town's API) with a solved challenge in `altcha`.
    /// A challenge refused as expired, used or invalid is replaced and the body sent once more;
    /// "too fast" is waited out (twice at most). Whatever the outcome, the next challenge
    /// starts, so a correction or a second message is quick again.
    pub async fn post<T: FromJson>(&self, path: &str, body: &Body) -> Result<T, ApiError> {
        let (status, j) = self.send(path, body).await?;
        decode(status, j)
    }

    /// [`Pow::post`] up to the answer's status and JSON: one copy of the loop in the wasm,
    /// not one per answer type.
    async fn send(&self, path: &str, body: &Body) -> Result<(u16, Option<Json>), ApiError> {
        let (mut payload, mut renewed, mut waits) = (None, false, 0);
        let answer = loop {
            let p = match payload.take() {
                Some(p) => p,
                None => match self.take().await {
                    Ok(p) => p,
                    Err(e) => break Err(e),
                },
            };
            body.set("altcha", &p);
            let answer = self.0.api.post_json(path, body).await;
            let (kind, retry_after) = match &answer {
                Ok((status, j, retry_after)) if *status >= 400 => (
                    j.as_ref().and_then(ErrorBody::from_json).map(|e| e.error),
                    *retry_after,
                ),
                _ => (None, 0.0),
            };
            match kind {
                Some(
                    ErrorKind::ChallengeExpired
                    | ErrorKind::ChallengeUsed
                    | ErrorKind::ChallengeInvalid
                    | ErrorKind::ChallengeRequired,
                ) if !renewed => renewed = true,
                Some(ErrorKind::TooFast) if waits < 2 => {
                    waits += 1;
                    // Retry-After is not readable across origins unless the server exposes
                    // it; a second is then a fair guess (the fill time was waited out above).
                    sleep(retry_after.max(1.0) * 1000.0).await;
                    // Nothing is stored on a refusal, so the same solution is still unused.
                    payload = Some(p);
                }
                _ => break answer.map(|(status, j, _)| (status, j)),
            }
        };
        self.start();
        answer
    }
}

/// `GET …/challenge?purpose=…`, then the loader's solver. The fill time counts from when the
/// challenge arrived: never earlier than the server issued it.
async fn solve(api: &Api, purpose: Purpose) -> Result<Solved, ApiError> {
    let query = format!("purpose={}", purpose.as_str());
    let challenge = api.get_fresh("/challenge", &query).await?;
    let arrived = now();
    let fill = challenge.num("min_fill_seconds").unwrap_or(0.0);
    let expires = challenge.num("expires_in").unwrap_or(300.0);
    let payload = solver(&challenge.0).await.ok_or(ApiError::Network)?;
    Ok(Solved {
        payload,
        ready_at: arrived + fill * 1000.0,
        expires_at: arrived + expires * 1000.0,
    })
}

/// `__civickit.solve(challenge)` of www/civic.js (which loads pow.js the first time).
async fn solver(challenge: &JsValue) -> Option<String> {
    let civic = js_sys::Reflect::get(&js_sys::global(), &"__civickit".into()).ok()?;
    let solve: js_sys::Function = js_sys::Reflect::get(&civic, &"solve".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: js_sys::Promise = solve.call1(&civic, challenge).ok()?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()?.as_string()
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: f64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                ms.ceil().min(i32::MAX as f64) as i32,
            );
        }
    });
    let _ = JsFuture::from(promise).await;
}
