// `cargo xtask size --network`: how long a citizen on a rural phone line waits until
// <civic-reports> is usable (legend, the reports drawn on the map, an enabled "Mangel melden"), beside a bare page
// that loads Leaflet from the same server and draws the same reports: a figure, not a test.
// Chromium with 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency, 4× CPU slowdown, 390×844, cold cache.
// Env as for the browser tests (CIVICKIT_BIN, CIVICKIT_DIST); RUNS (default 5) per page.

import { startServer, startHostPages, launchBrowser } from '../harness.mjs';

const RUNS = Number(process.env.RUNS || 5);

const server = await startServer();
const api = server.url;
const pages = {
  '/widget.html': {
    html: `<!doctype html><html lang="de"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
      <title>Mängelmelder</title><h1>Mängelmelder</h1><civic-reports data-tenant="musterstadt"></civic-reports>
      <script src="${api}/widgets/civic.js" defer></script>
      <script>
        (function poll() {
          var r = document.querySelector('civic-reports').shadowRoot;
          if (r && r.querySelector('.civic-legend li') && r.querySelector('.leaflet-container[aria-busy=false]')
              && r.querySelector('.civic-new:not([disabled])')) {
            window.__usable = performance.now();
          } else requestAnimationFrame(poll);
        })();
      </script>`,
  },
  '/bare.html': {
    html: `<!doctype html><html lang="de"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
      <title>Leaflet</title><h1>Leaflet</h1>
      <link rel="stylesheet" href="${api}/widgets/leaflet.css"><div id="map" style="height:440px"></div>
      <script src="${api}/widgets/leaflet.js"></script>
      <script>
        fetch('${api}/api/v1/musterstadt/config?lang=de').then(function (r) { return r.json(); }).then(function (c) {
          var map = L.map('map', { preferCanvas: true }).setView([c.map.center.lat, c.map.center.lng], c.map.zoom);
          L.tileLayer(c.tiles.url, { attribution: c.tiles.attribution }).addTo(map);
          return fetch('${api}/api/v1/musterstadt/reports?bbox=' + map.getBounds().toBBoxString() + '&lang=de')
            .then(function (r) { return r.json(); }).then(function (list) {
              list.reports.forEach(function (p) { if (p.lat != null) L.circleMarker([p.lat, p.lng], { radius: 8 }).addTo(map); });
              window.__usable = performance.now();
            });
        });
      </script>`,
  },
};
const host = await startHostPages(pages);
const browser = await launchBrowser();

async function once(path) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } }); // cold cache
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await page.goto(host.url + path);
  await page.waitForFunction(() => window.__usable, null, { timeout: 120_000, polling: 100 });
  const ms = await page.evaluate(() => window.__usable);
  await context.close();
  return { ms, bytes };
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { '/widget.html': [], '/bare.html': [] };
try {
  for (let i = 0; i < RUNS; i++) {
    for (const path of Object.keys(results)) results[path].push(await once(path)); // alternate the two
  }
  const row = (name, rs) => `  ${name.padEnd(30)} ${(median(rs.map((r) => r.ms)) / 1000).toFixed(2).padStart(6)} s  `
    + `(runs: ${rs.map((r) => (r.ms / 1000).toFixed(2)).join(' ')})  ${(median(rs.map((r) => r.bytes)) / 1024).toFixed(1)} KB transferred (tiles included)`;
  console.log(`time to usable, 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency, 4x CPU slowdown, 390x844, cold cache; median of ${RUNS}`);
  console.log(row('<civic-reports>', results['/widget.html']));
  console.log(row('bare Leaflet, same reports', results['/bare.html']));
  const ratio = median(results['/widget.html'].map((r) => r.ms)) / median(results['/bare.html'].map((r) => r.ms));
  console.log(`  ratio ${ratio.toFixed(2)}x`);
} finally {
  await browser.close();
  await host.stop();
  await server.stop();
}
