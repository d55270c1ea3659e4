/*! civickit proof-of-work solver (Apache-2.0); SHA-256 from @noble/hashes (MIT, Paul Miller). */
// Bundled by `cargo xtask build` (esbuild, crates/xtask/src/wasm.rs) with flag.mjs into
// widgets/pow.js, which the loader civic.js fetches the first time a form needs it (its stubs
// `__civickit.challenge(url)` and `__civickit.flag(root, options)`): the widgets' first load
// stays as small as it was. The challenge client (`challenge`) is here rather than in the wasm
// for the same reason: <civic-reports> has a 150 KB first-load budget (ARCHITECTURE.md).
//
// It solves an ALTCHA challenge (https://altcha.org/docs/api/challenge-api/): find `number` in
// 0..=maxnumber with hex(sha256(salt + decimal(number))) == challenge, and answers ALTCHA's
// payload, base64(JSON {algorithm, challenge, number, salt, signature, took}), exactly what the
// ALTCHA widget sends and the server's altcha-lib-rs verifies.
//
// On the main thread, in chunks: a Worker would keep the page even smoother, but the widget runs
// on a town's page of another origin, and a Worker's script must be same-origin with that page
// (ours is not); the usual way around, a Worker from a blob: URL, is what the strict CSP in the
// README forbids (its script-src names only our host, no blob:). So the solver hashes CHUNK
// numbers, then yields to the event loop (a MessageChannel message: unlike setTimeout(0) it is
// not clamped to 4 ms after a few nestings, nor throttled as much in a background tab), so
// typing and scrolling stay fluid while the citizen fills in the form.
import { sha256 } from '@noble/hashes/sha2.js';
import { flag } from './flag.mjs';

// About 5-15 ms of hashing on a phone: short enough for a keystroke to wait unnoticed.
var CHUNK = 5000;

function hexToBytes(hex) {
  var out = new Uint8Array(hex.length >> 1);
  for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

function yieldToPage() {
  return new Promise(function (resolve) {
    if (typeof MessageChannel === 'function') {
      var ch = new MessageChannel();
      ch.port1.onmessage = function () { ch.port1.close(); resolve(); };
      ch.port2.postMessage(0);
    } else {
      setTimeout(resolve, 0);
    }
  });
}

/** Solves `c` ({algorithm, challenge, maxnumber, salt, signature, …}); a promise of the
 *  base64 payload. Rejects on an unknown algorithm or when no number in range fits. */
export function solve(c) {
  if (!c || c.algorithm !== 'SHA-256' || typeof c.salt !== 'string' || !/^[0-9a-f]{64}$/i.test(c.challenge)) {
    return Promise.reject(new Error('civickit: not a SHA-256 challenge'));
  }
  var started = Date.now();
  var want = hexToBytes(c.challenge.toLowerCase());
  var max = Math.max(0, Math.floor(Number(c.maxnumber) || 0));
  // The salt's hash state is computed once and cloned per number: the salt (with its signed
  // parameters) is longer than the number, often longer than one 64-byte block.
  var prefix = sha256.create().update(new TextEncoder().encode(c.salt));
  // One hash object and one output buffer for all tries: `clone()` and `digest()` would
  // allocate two objects per number, which the garbage collector then pays for on a phone.
  // `_cloneInto` is @noble/hashes' own copy of the state (pinned version, www/package.json).
  var work = sha256.create();
  var out = new Uint8Array(32);
  var digits = new Uint8Array(20);

  function tryNumber(n) {
    // decimal(n) as ASCII bytes, without making a string per try
    var len = 0, m = n;
    do { digits[19 - len++] = 48 + (m % 10); m = Math.floor(m / 10); } while (m > 0);
    prefix._cloneInto(work);
    work.update(digits.subarray(20 - len)).digestInto(out);
    for (var i = 0; i < 32; i++) if (out[i] !== want[i]) return false;
    return true;
  }

  function payload(n) {
    return btoa(JSON.stringify({
      algorithm: c.algorithm,
      challenge: c.challenge,
      number: n,
      salt: c.salt,
      signature: c.signature,
      took: Date.now() - started
    }));
  }

  var next = 0;
  function chunk() {
    var end = Math.min(max, next + CHUNK - 1);
    for (var n = next; n <= end; n++) if (tryNumber(n)) return Promise.resolve(payload(n));
    next = end + 1;
    if (next > max) return Promise.reject(new Error('civickit: challenge has no solution'));
    return yieldToPage().then(chunk);
  }
  return chunk();
}

// A challenge this close to its end is replaced rather than sent (a slow network may take
// this long between sending and the server's check).
var MARGIN_MS = 15000;

function sleep(ms) {
  return new Promise(function (resolve) { setTimeout(resolve, Math.max(0, ms)); });
}

/** The proof-of-work of one form (one purpose): `url` is its `GET …/challenge?purpose=…`.
 *  `start()` fetches and solves a challenge in the background unless one is on its way or
 *  solved and still good: called when the form opens, so sending seldom waits.
 *  `send(url, bodyJson, headers?)` POSTs the body with the solution in `altcha` once the
 *  minimum fill time is over, and answers the refusals a person could meet without any
 *  fault: a challenge that expired, was already used or is not accepted is renewed and the
 *  body sent once more (the input is never lost); "too fast" is waited out (twice at most).
 *  Whatever the outcome, the next challenge starts. A promise of the final Response (the
 *  challenge's own error answer if it could not be had); rejects only without a network. */
export function challenge(url) {
  var pending = null;

  function start() {
    var p = pending;
    // Still worth waiting for: being solved, or solved and good for a while yet.
    if (p && !p.failed && (!p.value || Date.now() + MARGIN_MS < p.value.expires)) return;
    p = pending = {};
    p.done = fetch(url, { mode: 'cors', cache: 'no-store' }).then(function (r) {
      // The challenge's own refusal (a limit, an unknown town) is the answer to the send.
      if (!r.ok) { p.failed = true; return r; }
      return r.json().then(function (c) {
        // The fill time counts from when the challenge arrived: never earlier than issued.
        var arrived = Date.now();
        return solve(c).then(function (payload) {
          return (p.value = {
            payload: payload,
            ready: arrived + (Number(c.min_fill_seconds) || 0) * 1000,
            expires: arrived + (c.expires_in == null ? 300 : Number(c.expires_in)) * 1000
          });
        });
      });
    });
    p.done['catch'](function () { p.failed = true; });
  }

  // The solution to send once the fill time is over; taken, as it is good for one write only.
  function take() {
    start();
    var p = pending;
    pending = null;
    return p.done.then(function (v) {
      return v.payload ? sleep(v.ready - Date.now()).then(function () { return v.payload; }) : v;
    });
  }

  function send(post, json, headers) {
    var body = JSON.parse(json), renewed = false, waits = 0;
    function attempt(payload) {
      return (payload ? Promise.resolve(payload) : take()).then(function (p) {
        if (typeof p !== 'string') return p;
        body.altcha = p;
        return fetch(post, {
          method: 'POST',
          mode: 'cors',
          headers: Object.assign({ 'Content-Type': 'application/json' }, headers),
          body: JSON.stringify(body)
        }).then(function (r) {
          if (r.status < 400) return r;
          return r.clone().json().then(function (e) { return e && e.error; }, function () {}).then(function (kind) {
            if (!renewed && /^challenge_(expired|used|invalid|required)$/.test(kind)) {
              renewed = true;
              return attempt(null);
            }
            if (kind === 'too_fast' && waits < 2) {
              waits++;
              // Retry-After is not readable across origins unless the server exposes it; a
              // second is then a fair guess (the fill time was waited out above). Nothing is
              // stored on a refusal, so the same solution is still unused.
              var s = parseFloat(r.headers.get('Retry-After'));
              return sleep((s > 1 ? s : 1) * 1000).then(function () { return attempt(p); });
            }
            return r;
          });
        });
      });
    }
    var answer = attempt(null);
    // A correction or a second message is quick again.
    answer.then(start, start);
    return answer;
  }

  return { start: start, send: send };
}

var civic = typeof window !== 'undefined' && window.__civickit;
if (civic) {
  // The solver itself (the bench calls it), with the form side beside it for civic.js's stubs.
  civic.pow = solve;
  solve.challenge = challenge;
  solve.flag = flag;
}
