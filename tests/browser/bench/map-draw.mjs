// How long <civic-reports> takes from asking for its map to having it drawn, with 10,000 and
// more reports in view (the server sends clusters) and with at most 300 (points), beside a bare
// Leaflet page that draws the same 10,000 reports as canvas circle markers: a figure, not a test.
//
// Against a running server: CIVICKIT_URL (e.g. http://127.0.0.1:8080), CIVICKIT_TENANT (default
// musterstadt) with at least 10,000 reports in one view (`civickit bench-seed`), RUNS (default 5)
// per case, CPU_SLOWDOWN (default 1; 4 for a phone), NO_TILES=1 to leave the map tiles out of
// both pages (the drawing alone; the tiles arriving at the new zoom compete for the same thread).
// Chromium at 1280×800, a cold cache per run.
//   CIVICKIT_URL=http://127.0.0.1:8080 node tests/browser/bench/map-draw.mjs
//
// "Drawn" is the frame after the widget marks its map `aria-busy=false` (it does so right after
// drawing an answer), and for the bare page the frame after its last marker was added; "from
// the request" is the request's start in Chromium's Resource Timing. The widget is brought to
// the view's zoom with the keyboard, as a citizen would, and timed on the last step; the bare
// page starts at that view with the same tiles and asks /reports for the view's first 10,000.

import { startHostPages, launchBrowser } from '../harness.mjs';

const API = (process.env.CIVICKIT_URL || '').replace(/\/$/, '');
if (!API) {
  console.error('map-draw: set CIVICKIT_URL to a running civickit server');
  process.exit(2);
}
const TENANT = process.env.CIVICKIT_TENANT || 'musterstadt';
const RUNS = Number(process.env.RUNS || 5);
const SLOWDOWN = Number(process.env.CPU_SLOWDOWN || 1);
const VIEWPORT = { width: 1280, height: 800 };
const MANY = 10_000;
const POINTS_MAX = 300;

// The map's tiles for a view, as the widget and the loader pick them (www/civic.js `tiles`).
function project(c, zoom) {
  const R = 6378137, d = Math.PI / 180, max = 85.0511287798, k = 0.5 / (Math.PI * R), s = 256 * 2 ** zoom;
  const sin = Math.sin(Math.max(Math.min(max, c.lat), -max) * d);
  return [s * (k * (R * c.lng * d) + 0.5), s * (-k * (R * Math.log((1 + sin) / (1 - sin)) / 2) + 0.5)];
}
function tiles(c, zoom, width, height) {
  const p = project(c, zoom), last = 2 ** zoom - 1;
  const span = (a, len) => [Math.max(0, Math.floor(a / 256)), Math.min(last, Math.ceil((a + len) / 256) - 1, Math.floor(a / 256) + 23)];
  const [x0, x1] = span(Math.round(p[0] - width / 2), width);
  const [y0, y1] = span(Math.round(p[1] - height / 2), height);
  return `z=${zoom}&x=${x0}-${x1}&y=${y0}-${y1}`;
}

const pages = {
  '/widget.html': {
    html: `<!doctype html><html lang="de"><meta charset="utf-8"><title>Mängelmelder</title>
      <civic-reports data-tenant="${TENANT}"></civic-reports>
      <script src="${API}/widgets/civic.js" defer></script>
      <script>
        // Every time the widget marks its map drawn: the time of the frame after it.
        window.__drawn = [];
        (function watch() {
          var r = document.querySelector('civic-reports').shadowRoot;
          var map = r && r.querySelector('.leaflet-container');
          if (!map) return requestAnimationFrame(watch);
          new MutationObserver(function () {
            if (map.getAttribute('aria-busy') !== 'false') return;
            requestAnimationFrame(function () { setTimeout(function () { window.__drawn.push(performance.now()); }); });
          }).observe(map, { attributes: true, attributeFilter: ['aria-busy'] });
          if (map.getAttribute('aria-busy') === 'false') window.__drawn.push(performance.now());
        })();
      </script>`,
  },
  '/bare.html': {
    html: `<!doctype html><html lang="de"><meta charset="utf-8"><title>Leaflet</title>
      <link rel="stylesheet" href="${API}/widgets/leaflet.css"><div id="map"></div>
      <script src="${API}/widgets/leaflet.js"></script>
      <script>
        window.bare = function (c, zoom, width, height, many, tiles) {
          var el = document.getElementById('map');
          el.style.width = width + 'px';
          el.style.height = height + 'px';
          var map = L.map(el, { preferCanvas: true }).setView([c.lat, c.lng], zoom);
          L.tileLayer(tiles.url, { attribution: tiles.attribution }).addTo(map);
          var box = map.getBounds().toBBoxString();
          var url = function (offset) {
            return '${API}/api/v1/${TENANT}/reports?bbox=' + box + '&limit=5000&offset=' + offset + '&lang=de';
          };
          var started = performance.now(), pages = [], net;
          for (var o = 0; o < many; o += 5000) pages.push(fetch(url(o)).then(function (r) { return r.json(); }));
          return Promise.all(pages).then(function (lists) {
            net = performance.now() - started;
            var n = 0;
            lists.forEach(function (l) {
              l.reports.forEach(function (p) { if (p.lat != null && n < many) { n++; L.circleMarker([p.lat, p.lng], { radius: 8 }).addTo(map); } });
            });
            return new Promise(function (done) {
              requestAnimationFrame(function () { setTimeout(function () { done({ ms: performance.now() - started, net: net, n: n }); }); });
            });
          });
        };
      </script>`,
  },
};

const host = await startHostPages(pages);
const browser = await launchBrowser();

async function context() {
  const ctx = await browser.newContext({ viewport: VIEWPORT }); // cold cache
  const page = await ctx.newPage();
  if (process.env.NO_TILES) await page.route(/\/tiles\//, (r) => r.abort());
  if (SLOWDOWN > 1) {
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOWDOWN });
  }
  return { ctx, page };
}

/** The widget at `zoom`: zoomed there with the keyboard from the town's start, timing the last
 *  step's map request to its drawing. */
async function widgetRun(config, zoom) {
  const { ctx, page } = await context();
  try {
    await page.goto(host.url + '/widget.html');
    const drawn = () => page.evaluate(() => window.__drawn.length);
    await page.waitForFunction(() => window.__drawn.length > 0, null, { timeout: 60_000 });
    const size = await page.evaluate(() => {
      const m = document.querySelector('civic-reports').shadowRoot.querySelector('.leaflet-container');
      m.focus();
      return [m.clientWidth, m.clientHeight];
    });
    for (let z = config.map.zoom; z !== zoom;) {
      z += zoom > z ? 1 : -1;
      const n = await drawn();
      await page.keyboard.press(zoom > config.map.zoom ? 'Equal' : 'Minus');
      await page.waitForFunction((n) => window.__drawn.length > n, n, { timeout: 60_000 });
    }
    const { ms, net, url } = await page.evaluate(() => {
      const maps = performance.getEntriesByType('resource').filter((e) => /\/map\?/.test(e.name));
      const last = maps.at(-1);
      return { ms: window.__drawn.at(-1) - last.startTime, net: last.responseEnd - last.startTime, url: last.name };
    });
    const answer = await (await fetch(url)).json();
    return { ms, net, size, answer, url };
  } finally {
    await ctx.close();
  }
}

async function bareRun(config, zoom, size) {
  const { ctx, page } = await context();
  try {
    await page.goto(host.url + '/bare.html');
    return await page.evaluate(([c, z, w, h, many, tiles]) => window.bare(c, z, w, h, many, tiles),
      [config.map.center, zoom, size[0], size[1], MANY, config.tiles]);
  } finally {
    await ctx.close();
  }
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => n.toLocaleString('en-GB');
try {
  const config = await (await fetch(`${API}/api/v1/${TENANT}/config?lang=de`)).json();
  // The map element's size, then the zooms: the closest view with 10,000 or more reports, and
  // the widest view with at most 300 (all points).
  const first = await widgetRun(config, config.map.zoom);
  const size = first.size;
  const totals = {};
  for (let z = config.map.max_zoom; z >= config.map.min_zoom; z--) {
    totals[z] = (await (await fetch(`${API}/api/v1/${TENANT}/map?${tiles(config.map.center, z, size[0], size[1])}&lang=de`)).json()).total;
  }
  const zooms = Object.keys(totals).map(Number);
  const manyZoom = zooms.filter((z) => totals[z] >= MANY).sort((a, b) => b - a)[0];
  const fewZoom = zooms.filter((z) => totals[z] > 0 && totals[z] <= POINTS_MAX).sort((a, b) => a - b)[0];
  console.log(`map drawn from its request, ${TENANT}, Chromium ${VIEWPORT.width}x${VIEWPORT.height} (map ${size[0]}x${size[1]}), `
    + `CPU slowdown ${SLOWDOWN}x, cold cache; median of ${RUNS}`);
  // rs: [{ms, net}]; `net` is the part until the answer was in (JSON parsed, for the bare page).
  const row = (name, rs, what) => console.log(`  ${name.padEnd(44)} ${median(rs.map((r) => r.ms)).toFixed(0).padStart(6)} ms  `
    + `(answer in after ${median(rs.map((r) => r.net)).toFixed(0)} ms; runs: ${rs.map((r) => r.ms.toFixed(0)).join(' ')})  ${what}`);
  if (manyZoom === undefined) {
    console.log(`  no view with ${fmt(MANY)} reports at any zoom (largest: ${fmt(Math.max(...Object.values(totals)))}): seed more`);
  } else {
    const runs = [];
    let a;
    for (let i = 0; i < RUNS; i++) { const r = await widgetRun(config, manyZoom); runs.push(r); a = r.answer; }
    row(`<civic-reports>, z${manyZoom}, ${fmt(totals[manyZoom])} in view`, runs,
      `${a.clusters.length} clusters + ${a.points.length} points, ${fmt(JSON.stringify(a).length)} bytes of JSON`);
    const bare = [];
    let n = 0;
    for (let i = 0; i < RUNS; i++) { const r = await bareRun(config, manyZoom, size); bare.push(r); n = r.n; }
    row(`bare Leaflet, z${manyZoom}, canvas circle markers`, bare, `${fmt(n)} markers from 2 × /reports?limit=5000`);
  }
  if (fewZoom === undefined) {
    console.log(`  no view with 1–${POINTS_MAX} reports at any zoom from ${config.map.min_zoom} to ${config.map.max_zoom}`);
  } else {
    const runs = [];
    let a;
    for (let i = 0; i < RUNS; i++) { const r = await widgetRun(config, fewZoom); runs.push(r); a = r.answer; }
    row(`<civic-reports>, z${fewZoom}, ${fmt(totals[fewZoom])} in view`, runs, `${a.points.length} points`);
  }
} finally {
  await browser.close();
  await host.stop();
}
