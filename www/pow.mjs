/*! civickit proof-of-work solver (Apache-2.0); SHA-256 from @noble/hashes (MIT, Paul Miller). */
// Bundled by `cargo xtask build` (esbuild, crates/xtask/src/wasm.rs) into widgets/pow.js, which
// the loader civic.js fetches the first time a widget asks `__civickit.solve(challenge)`: the
// widgets' first load stays as small as it was.
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

var civic = typeof window !== 'undefined' && window.__civickit;
if (civic) civic.pow = solve;
