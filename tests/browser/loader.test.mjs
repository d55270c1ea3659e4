// The loader starts a widget's downloads at once: on a slow line every hop of a chain costs a
// round trip. Read from Chromium's own request timings (Resource Timing) under 150 ms latency.
// And the widgets it mounts write in the host page's typeface unless --civic-font says another.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startHostPages, launchBrowser, newPage, screenshot, markerPixels } from './harness.mjs';

let server;
let host;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  host = await startHostPages({
    '/page.html': {
      html: `<!doctype html><html lang="de"><meta charset="utf-8"><title>Gemeinde</title>
        <h1>Mängelmelder</h1><civic-reports data-tenant="musterstadt"></civic-reports>
        <script src="${server.url}/widgets/civic.js" defer></script>`,
    },
    '/fonts.html': {
      html: `<!doctype html><html lang="de"><meta charset="utf-8"><title>Schriften</title>
        <style>body { font: 18px/1.6 Georgia, serif; } .themed { --civic-font: "Courier New", monospace; }</style>
        <h1>Bürgerbriefkasten</h1>
        <civic-mailbox id="inherits" data-tenant="musterstadt"></civic-mailbox>
        <div class="themed"><civic-mailbox id="themed" data-tenant="musterstadt"></civic-mailbox></div>
        <script src="${server.url}/widgets/civic.js" defer></script>`,
    },
  });
});

after(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
});

/** What each of our requests is, by URL; null for what the first load does not wait for. */
function kind(url) {
  const path = new URL(url).pathname;
  if (/\/api\/v1\/[^/]+\/config$/.test(path)) return 'config';
  if (/\/api\/v1\/[^/]+\/map$/.test(path)) return 'map';
  if (/\/api\/v1\/[^/]+\/reports$/.test(path)) return /located=no/.test(url) ? 'unlocated' : 'reports';
  const file = path.match(/^\/widgets\/([^/]+)$/);
  if (file && file[1] !== 'civic.js') return file[1];
  return null; // the loader itself, tiles, page
}

test('a widget page fetches the bundle, config and first map in parallel, each once; the list only when shown', async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8,
  });
  await page.goto(host.url + '/page.html');
  const w = page.locator('civic-reports');
  await w.locator('.leaflet-container[aria-busy=false]').waitFor({ timeout: 60_000 });
  await w.locator('.civic-new:not([disabled])').waitFor();
  await screenshot(page, 'loader-phone.png');

  const entries = (await page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => ({ url: e.name, start: e.startTime, end: e.responseEnd }))))
    .filter((e) => e.url.startsWith(server.url))
    .map((e) => ({ ...e, kind: kind(e.url) }))
    .filter((e) => e.kind);
  const kinds = entries.map((e) => e.kind).sort();
  assert.deepEqual(kinds, ['civic.css', 'civic_reports.js', 'civic_reports_bg.wasm', 'config', 'leaflet.css',
    'leaflet.js', 'map'], `one request each, the widget used the loader's early answers:\n${JSON.stringify(entries, null, 1)}`);

  const config = entries.find((e) => e.kind === 'config');
  for (const b of entries) {
    if (b.kind === 'map') {
      assert.ok(b.start >= config.end - 1, 'the map is asked for once the config says where it is');
      continue;
    }
    for (const a of entries) {
      if (a !== b) {
        assert.ok(b.start < a.end, `${b.kind} started at ${b.start.toFixed(0)} ms, after ${a.kind} had finished at ${a.end.toFixed(0)} ms`);
      }
    }
  }
  // The early map is the view's: its reports are drawn.
  const px = await markerPixels(page);
  assert.ok(px && Object.values(px).some((n) => n > 0), `reports drawn: ${JSON.stringify(px)}`);
  // The list is a tap away on a phone: asked for when shown, with the reports placed in words.
  await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
  await w.locator('.civic-items li').first().waitFor();
  await w.locator('.civic-count').getByText(/^\d+ Meldung(en)? in diesem Bereich$/).waitFor();
  const later = (await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)))
    .filter((u) => u.startsWith(server.url)).map(kind).filter((k) => k === 'reports' || k === 'unlocated').sort();
  assert.deepEqual(later, ['reports', 'unlocated']);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a widget writes in the host page's typeface; --civic-font overrides it", async () => {
  const page = await newPage(browser);
  await page.goto(host.url + '/fonts.html');
  const heading = (id) => page.locator(`#${id}`).getByRole('heading', { level: 2, name: 'Bürgerbriefkasten Musterstadt' });
  await heading('inherits').waitFor();
  await heading('themed').waitFor();
  const font = (id, selector) => page.locator(`#${id}`).locator(selector).first().evaluate((e) => getComputedStyle(e).fontFamily);
  const page_font = await page.locator('h1').evaluate((e) => getComputedStyle(e).fontFamily);
  assert.equal(page_font, 'Georgia, serif');
  for (const part of ['h2', 'label', 'button']) {
    assert.equal(await font('inherits', part), page_font, `${part} in the page's typeface`);
    assert.equal(await font('themed', part), '"Courier New", monospace', `${part} in --civic-font`);
  }
  // The typeface only: size and line height stay the widget's, so a page's large or tight
  // text cannot break its layout.
  assert.equal(await page.locator('#inherits').locator('h2').evaluate((e) => getComputedStyle(e.closest('.civic-mount')).fontSize), '16px');
  await screenshot(page, 'loader-fonts.png');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
