//! The proof-of-work every anonymous write carries (issue 15; docs/widget-api.md "Challenges").
//!
//! All of it runs in www/pow.mjs, which the loader civic.js fetches the first time a form asks:
//! fetching the challenge, solving it in chunks on the main thread, waiting out the minimum
//! fill time, renewing a challenge refused as expired, used or invalid and waiting out "too
//! fast". Kept out of the wasm because <civic-reports>' first load has a 150 KB budget and
//! this loop cost about 3 KB of it (see ARCHITECTURE.md); the wasm only holds the form's
//! handle (`__civickit.challenge`), starts it when the form opens and reads the final answer.

use crate::api::{self, decode, Api, ApiError, Body, FromJson};
use civickit_model::api::widget::Purpose;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `__civickit.challenge(url)` of www/civic.js: the handle of one form's challenges.
    #[wasm_bindgen(js_namespace = __civickit, js_name = challenge)]
    fn handle(url: &str) -> Handle;
    #[derive(Clone)]
    pub type Handle;
    #[wasm_bindgen(method)]
    fn start(this: &Handle);
    /// POSTs the JSON body to the URL with a solved challenge; a promise of the `Response`.
    #[wasm_bindgen(method)]
    fn send(this: &Handle, url: &str, body: &str) -> js_sys::Promise;
}

/// The proof-of-work of one form (one purpose). Clones share the challenge.
#[derive(Clone)]
pub struct Pow {
    api: Api,
    pub handle: Handle,
}

impl Pow {
    pub fn new(api: Api, purpose: Purpose) -> Pow {
        let url = api.url("/challenge", &format!("purpose={}", purpose.as_str()));
        Pow {
            handle: handle(&url),
            api,
        }
    }

    /// Fetches and solves a challenge in the background unless one is already on its way or
    /// solved and still good. Called when the form opens, so sending seldom waits.
    pub fn start(&self) {
        self.handle.start();
    }

    /// POSTs `body` to `path` (below the town's API) with a solved challenge in `altcha`;
    /// pow.mjs renews and resends as needed. Whatever the outcome, the next challenge starts.
    pub async fn post<T: FromJson>(&self, path: &str, body: &Body) -> Result<T, ApiError> {
        let text = body.text().ok_or(ApiError::Network)?;
        let promise = self.handle.send(&self.api.url(path, ""), &text);
        let (status, j) = api::read(JsFuture::from(promise).await).await?;
        decode(status, j)
    }
}
