// How long the widgets' proof-of-work takes in Chromium (issue 15's budget: ≤ 1 s on a phone,
// i.e. with a 4× CPU slowdown): a figure, not a test. Solves N challenges at the default
// difficulty with the bundled solver (target/dist/widgets/pow.js, www/pow.mjs), as the widget
// does (chunks of 5,000 hashes, yielding between them), once at full speed and once with
// Emulation.setCPUThrottlingRate {rate: 4}; beside it the same number of SHA-256 hashes through
// the browser's own crypto.subtle.digest, measured in the same run, as a reference.
//
// The challenges are made here as the server makes them (ALTCHA: a random salt with the signed
// parameters, a random number in 0..=maxnumber, challenge = hex(sha256(salt + number))), so that
// no server is needed; the numbers are the same for both speeds (one seed).
//   node tests/browser/bench/pow-solve.mjs      (or `cargo xtask bench --only pow`)
// N (default 30), MAXNUMBER (default 50000), CIVICKIT_DIST (default target/dist).

import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, startHostPages, launchBrowser } from '../harness.mjs';

const N = Number(process.env.N || 30);
const MAXNUMBER = Number(process.env.MAXNUMBER || 50000);
const POW = readFileSync(join(DIST, 'widgets/pow.js'), 'utf8');

// A small deterministic generator: the same challenges for every speed and every run.
let seed = 0x9e3779b9;
function random() {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 2 ** 32;
}
const challenges = Array.from({ length: N }, (_, i) => {
  const number = Math.floor(random() * (MAXNUMBER + 1));
  const salt = `${randomBytes(12).toString('hex')}?expires=${1_900_000_000 + i}&issued=${1_899_999_000 + i}&purpose=report&tenant=musterstadt&`;
  const challenge = createHash('sha256').update(salt + number).digest('hex');
  return { algorithm: 'SHA-256', challenge, maxnumber: MAXNUMBER, salt, signature: 'x'.repeat(64), number };
});

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

const pages = await startHostPages({
  // Loopback is a secure context: crypto.subtle is there.
  '/pow.html': { html: '<!doctype html><html lang="en"><meta charset="utf-8"><title>pow</title><p>solving</p>' },
});
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(`${pages.url}/pow.html`);
  await page.evaluate(() => { window.__civickit = {}; });
  await page.addScriptTag({ content: POW });
  const cdp = await page.context().newCDPSession(page);
  console.log(`\nproof-of-work in Chromium: ${N} challenges, maxnumber ${MAXNUMBER} (numbers: median ${stats(challenges.map((c) => c.number)).median})`);
  console.log('  (solver = pow.js, chunked on the main thread; reference = as many crypto.subtle.digest calls, awaited one by one)');
  for (const rate of [1, 4]) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const r = await page.evaluate(async (list) => {
      const solve = [], digest = [];
      for (const c of list) {
        const t0 = performance.now();
        const payload = await window.__civickit.pow(c);
        solve.push(performance.now() - t0);
        if (JSON.parse(atob(payload)).number !== c.number) throw new Error('wrong number for ' + c.challenge);
        const enc = new TextEncoder();
        const t1 = performance.now();
        for (let n = 0; n <= c.number; n++) await crypto.subtle.digest('SHA-256', enc.encode(c.salt + n));
        digest.push(performance.now() - t1);
      }
      return { solve, digest };
    }, challenges);
    const s = stats(r.solve), d = stats(r.digest);
    const label = rate === 1 ? 'full speed  ' : `CPU ${rate}× slower`;
    console.log(`  ${label}  solve: median ${s.median.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, max ${s.max.toFixed(0)} ms` +
      `   | crypto.subtle: median ${d.median.toFixed(0)} ms, p95 ${d.p95.toFixed(0)} ms`);
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
} finally {
  await browser.close();
  await pages.stop();
}
