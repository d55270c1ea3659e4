// Test harness for the browser tests: starts the real civickit server (demo seed, fresh SQLite
// database), a second origin with a hostile host page, and headless Chromium via playwright-core.
// Env (set by `cargo xtask test`): CIVICKIT_BIN, CIVICKIT_DIST, CIVICKIT_TEST_OUTPUT.

import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { chromium } from '../../www/node_modules/playwright-core/index.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.CIVICKIT_BIN || join(ROOT, 'target/debug/civickit');
export const DIST = process.env.CIVICKIT_DIST || join(ROOT, 'target/dist');
export const OUT = process.env.CIVICKIT_TEST_OUTPUT || join(ROOT, 'test-output');
mkdirSync(OUT, { recursive: true });

const AXE = readFileSync(join(ROOT, 'www/node_modules/axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.1 A/AA violations axe-core finds on the page as it is now (or inside the element
 *  `selector` names, open shadow roots included), one line per element. axe is injected through
 *  the DevTools protocol, which a page's Content-Security-Policy does not govern. */
export async function axeViolations(page, selector) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  return page.evaluate(async (selector) => {
    const context = selector ? { include: [[selector]] } : document;
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
    const result = await window.axe.run(context, { runOnly: { type: 'tag', values: tags } });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary}`));
  }, selector);
}

/** The colours of the traffic light (civickit_model::TrafficLight::hex). */
export const COLOURS = { received: '#c62828', in_progress: '#b26a00', resolved: '#2e7d32', closed: '#616161' };

/** Starts `civickit serve --demo` on a free port; resolves when it prints its address.
 *  `options.args`: more arguments for `serve` (e.g. `['--smtp-url', 'smtp://127.0.0.1:2525']`).
 *  `options.reports`: synthetic reports `civickit bench-seed` puts into Musterstadt first (the
 *  server reads its map index at start).
 *  The result also has the printed office `logins` ({admin, editor}: {email, password}) and the
 *  invitation `codes` of the demo's code poll. */
export async function startServer(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'civickit-browser-'));
  const database = `sqlite://${join(dir, 't.db')}`;
  if (options.reports) {
    await promisify(execFile)(BIN, ['--database', database, 'bench-seed', '--tenant', 'musterstadt',
      '--reports', String(options.reports)]);
  }
  // The demo's year of history (for <civic-stats>) only where a test asks for it
  // (`history: true`): the other tests count the dozen sample reports.
  const history = ['--demo-history', options.history ? 'on' : 'off'];
  const child = spawn(BIN, ['serve', '--demo', ...history, '--listen', '127.0.0.1:0', '--database', database, '--dist', DIST, ...(options.args || [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CIVICKIT_LOG: 'warn' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const lines = createInterface({ input: child.stdout });
  let apiKey = null;
  const logins = {};
  let codes = [];
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${stderr}`)), 60_000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${stderr}`)); });
    lines.on('line', (line) => {
      const key = line.match(/^Open311 API key for musterstadt: (\S+)$/);
      if (key) apiKey = key[1];
      const login = line.match(/^Office login \((\w+)\): (\S+) \/ (\S+)$/);
      if (login) logins[login[1]] = { email: login[2], password: login[3] };
      const c = line.match(/^Invitation codes for the poll 'spielplatz': (.+)$/);
      if (c) codes = c[1].trim().split(/\s+/);
      const m = line.match(/^civickit listening on (http:\/\/\S+)$/);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    });
  });
  return {
    url,
    apiKey,
    logins,
    codes,
    database,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => { const t = setTimeout(() => { child.kill('SIGKILL'); r(); }, 5000); child.once('exit', () => { clearTimeout(t); r(); }); });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Changes a report's state as an official would (the office is not part of these tests). */
export async function setStatus(server, ref, status, note) {
  await promisify(execFile)(BIN, ['report', 'set-status', '--database', server.database, '--tenant', 'musterstadt',
    '--ref', ref, '--status', status, '--note', note]);
}

/** Serves `pages` (path -> {html, headers}) on 127.0.0.1 at another port: another origin. */
export async function startHostPages(pages) {
  const server = createServer((req, res) => {
    const page = pages[new URL(req.url, 'http://x').pathname];
    if (!page) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...page.headers });
    res.end(page.html);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CIVICKIT_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A page that records console errors, page errors and CSP violations for later assertions. */
export async function newPage(browser, viewport = { width: 1280, height: 800 }, options = {}) {
  // `options`: more context options, e.g. `{ hasTouch: true, isMobile: true }` for a phone.
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // failed requests are reported below with their URL
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => { if (r.status() >= 400 && !/favicon\.ico$/.test(r.url())) page.problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('requestfailed', (r) => {
    // A GET still loading when the test goes to the next page (a map's markers, a tile) is
    // cut off by the navigation, not failed; a POST cut off would be lost work, so it counts.
    if (r.method() === 'GET' && r.failure()?.errorText === 'net::ERR_ABORTED') return;
    page.problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`), true);
    window.__created = [];
    document.addEventListener('civic:report-created', (e) => window.__created.push(e.detail && e.detail.ref));
  });
  return page;
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(OUT, name), fullPage: false });
}

/** Counts the pixels of each state's colour on the widget's marker canvas. */
export async function markerPixels(page, host = 'civic-reports') {
  return page.evaluate(({ host, colours }) => {
    const root = document.querySelector(host)?.shadowRoot;
    const canvas = root?.querySelector('.leaflet-overlay-pane canvas');
    if (!canvas || !canvas.width) return null;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const wanted = Object.entries(colours).map(([k, hex]) => [k, parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)]);
    const counts = Object.fromEntries(Object.keys(colours).map((k) => [k, 0]));
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] !== 255) continue;
      for (const [k, r, g, b] of wanted) if (data[i] === r && data[i + 1] === g && data[i + 2] === b) counts[k]++;
    }
    return counts;
  }, { host, colours: COLOURS });
}

/** The colour (#rrggbb) the marker canvas has at page coordinates (x, y). */
export async function canvasColourAt(page, x, y, host = 'civic-reports') {
  return page.evaluate(({ host, x, y }) => {
    const canvas = document.querySelector(host)?.shadowRoot?.querySelector('.leaflet-overlay-pane canvas');
    if (!canvas) return null;
    const r = canvas.getBoundingClientRect();
    const px = Math.round((x - r.left) * canvas.width / r.width);
    const py = Math.round((y - r.top) * canvas.height / r.height);
    const d = canvas.getContext('2d').getImageData(px, py, 1, 1).data;
    return '#' + [d[0], d[1], d[2]].map((v) => v.toString(16).padStart(2, '0')).join('');
  }, { host, x, y });
}

/** Waits until `fn()` returns a truthy value (polling), for conditions Playwright cannot wait on. */
export async function until(fn, what, timeout = 15_000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last value: ${JSON.stringify(last)})`);
}

/** Describes the focused element, looking into shadow roots. */
export async function focused(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    if (!a) return '';
    return `${a.tagName.toLowerCase()}#${a.id}.${a.className}|${(a.getAttribute('aria-label') || a.textContent || '').trim().slice(0, 60)}`;
  });
}

/** Presses Tab until the focused element matches `re` (keyboard only, as a user would). */
export async function tabTo(page, re, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (re.test(f)) return f;
  }
  throw new Error(`Tab never reached ${re} (last: ${await focused(page)})`);
}

/** Page coordinates of a marker drawn in `hex` (the middle of its first run of pixels), or null. */
export async function findMarker(page, hex, host = 'civic-reports') {
  return page.evaluate(({ host, hex }) => {
    const canvas = document.querySelector(host)?.shadowRoot?.querySelector('.leaflet-overlay-pane canvas');
    if (!canvas) return null;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const { width, height } = canvas;
    const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    const is = (x, y) => { const i = (y * width + x) * 4; return data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255; };
    const rect = canvas.getBoundingClientRect();
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // inside a shape: the same colour 3 px further down and right
        if (is(x, y) && is(x, y + 3) && is(x + 1, y + 3)) {
          const px = rect.left + (x + 0.5) * rect.width / width;
          const py = rect.top + (y + 3.5) * rect.height / height;
          const hit = document.elementFromPoint(px, py);
          if (hit === document.querySelector(host)) return { x: px, y: py };
        }
      }
    }
    return null;
  }, { host, hex });
}

// ---- the office API, as an official's browser uses it -------------------------------------

/** Logs in to the office API as the demo's `role` ('admin' or 'editor'): {cookie, csrf, me}. */
export async function officeLogin(server, role = 'admin') {
  const { email, password } = server.logins[role];
  const r = await fetch(server.url + '/office/api/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: 'musterstadt', email, password }),
  });
  assert.equal(r.status, 200, `login as ${role}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const me = await r.json();
  return { cookie, csrf: me.csrf_token, me };
}

/** One office API call with the session's cookie and CSRF header; fails the test on an error
 *  status, else the parsed answer. The body is JSON unless `type` names another. */
export async function officeApi(server, session, method, path, body, type = 'application/json') {
  const r = await fetch(server.url + path, {
    method,
    headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Content-Type': type, Origin: server.url },
    body: body === undefined ? undefined : (type === 'application/json' ? JSON.stringify(body) : body),
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// ---- pictures for the photo tests, without any image library -------------------------------

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function pngChunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  let c = 0xffffffff;
  for (const b of td) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  const crc = Buffer.alloc(4); crc.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return Buffer.concat([len, td, crc]);
}
/** A w×h RGB PNG whose column x has the colour `colourAt(x)` ([r, g, b]). */
export function png(w, h, colourAt) {
  const row = Buffer.alloc(1 + w * 3);
  for (let x = 0; x < w; x++) row.set(colourAt(x), 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

// ---- proof-of-work, as a script would do it ---------------------------------------------------

/** ALTCHA's payload for a fresh challenge of `purpose` ('report', 'message', 'vote', 'support',
 *  'flag'), solved here in Node as the widget's pow.js does in the browser. Waits out the
 *  challenge's minimum fill time unless `wait` is false. */
export async function altcha(server, purpose, { tenant = 'musterstadt', wait = true } = {}) {
  const r = await fetch(`${server.url}/api/v1/${tenant}/challenge?purpose=${purpose}`);
  const c = await r.json();
  assert.equal(r.status, 200, `challenge: ${JSON.stringify(c)}`);
  const started = Date.now();
  let number = -1;
  for (let n = 0; n <= c.maxnumber; n++) {
    if (createHash('sha256').update(c.salt + n).digest('hex') === c.challenge) { number = n; break; }
  }
  assert.ok(number >= 0, 'the challenge has a solution');
  const payload = Buffer.from(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number,
    salt: c.salt, signature: c.signature, took: Date.now() - started })).toString('base64');
  const rest = c.min_fill_seconds * 1000 - (Date.now() - started) + 150;
  if (wait && rest > 0) await new Promise((done) => setTimeout(done, rest));
  return payload;
}
