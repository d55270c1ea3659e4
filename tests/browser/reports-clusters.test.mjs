// <civic-reports> over a town with a few thousand reports: the map answers counted clusters
// (GET /map), the widget draws them as circles a keyboard reaches and opens, and the list says
// how many reports the area holds and pages through them. Against the real server, whose map
// index holds 3000 synthetic reports (`civickit bench-seed`) beside the demo's own.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, startHostPages, launchBrowser, newPage, screenshot, until, tabTo, focused, axeViolations, markerPixels,
} from './harness.mjs';

const SEEDED = 3000;
let server;
let browser;

before(async () => {
  server = await startServer({ reports: SEEDED });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const widget = (page) => page.locator('civic-reports');

/** Opens the demo page and records the widget's map requests and their answers. */
async function open(page) {
  const maps = [];
  page.on('response', async (r) => {
    if (!/\/api\/v1\/musterstadt\/map\?/.test(r.url())) return;
    const q = new URL(r.url()).searchParams;
    maps.push({ z: Number(q.get('z')), status: q.get('status'), answer: await r.json() });
  });
  await page.goto(server.url + '/');
  await widget(page).locator('.leaflet-container[aria-busy=false]').waitFor();
  return maps;
}

/** The clusters drawn: their accessible names and counts. */
async function clusters(page) {
  return widget(page).locator('.civic-cluster-icon').evaluateAll((els) => els.map((e) => ({
    name: e.getAttribute('aria-label'),
    count: Number(e.textContent.replace(/\D/g, '')),
  })));
}

const NAME = /^([\d.]+) Meldungen: (\d[\d.]* (eingegangen|in Bearbeitung|erledigt|abgeschlossen ohne Behebung)(, |$))+/;
const number = (text) => Number(text.replace(/\./g, ''));

test('zoomed out: counted clusters instead of a truncated list; the list says how many and pages', async () => {
  const page = await newPage(browser);
  const maps = await open(page);
  const w = widget(page);
  const drawn = await clusters(page);
  assert.ok(drawn.length >= 5, `clusters drawn (${drawn.length})`);
  for (const c of drawn) {
    assert.match(c.name, NAME);
    const m = c.name.match(/^([\d.]+) Meldungen: (.*)$/);
    assert.equal(number(m[1]), c.count, 'the circle shows the count its name says');
    const parts = m[2].split(', ').map((p) => number(p.split(' ')[0]));
    assert.equal(parts.reduce((a, b) => a + b, 0), c.count, `the states add up: ${c.name}`);
  }
  // The answer the widget drew: every report of its tiles is a point or in a cluster.
  const last = maps.at(-1).answer;
  assert.ok(last.total > 300, `more than 300 reports in view (${last.total})`);
  assert.equal(drawn.length, last.clusters.length);
  assert.equal(last.points.length + last.clusters.reduce((n, c) => n + c[2].reduce((a, b) => a + b, 0), 0), last.total);
  assert.equal(await w.getByText('Vergrößern Sie die Karte', { exact: false }).count(), 0, 'no truncation note');
  await screenshot(page, 'clusters-desktop.png');

  // The list: how many reports the map's area holds, the newest 20 of them, then 20 more.
  await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
  const total = last.total.toLocaleString('de-DE');
  await w.locator('.civic-count').getByText(`${total} Meldungen in diesem Bereich`, { exact: true }).waitFor();
  const items = w.locator('.civic-item');
  await until(async () => (await items.count()) === 20, '20 reports listed');
  await w.getByRole('button', { name: 'Weitere anzeigen' }).click();
  await until(async () => (await items.count()) === 40, '40 reports listed');
  assert.match(await focused(page), /^li#\.civic-item civic-page-start\|/, 'the focus is on the first new report');
  const refs = await items.evaluateAll((els) => els.map((e) => e.dataset.ref));
  assert.equal(new Set(refs).size, 40, 'no report twice');
  // A filter applies to the map's count and the list alike.
  await w.locator('.civic-filters').getByLabel('erledigt', { exact: true }).uncheck();
  await until(() => maps.at(-1).status === 'received,in_progress,closed', 'the map asked without the resolved ones');
  await until(async () => (await items.evaluateAll((els) => els.length > 0 && els.every((e) => e.dataset.status !== 'resolved'))),
    'no resolved report listed');
  const after = maps.at(-1).answer;
  await w.locator('.civic-count').getByText(`${after.total.toLocaleString('de-DE')} Meldungen in diesem Bereich`, { exact: true }).waitFor();
  assert.ok(after.total < last.total, `fewer without the resolved ones (${after.total} < ${last.total})`);
  // Back to the map: the same tiles with the same filters, so no new request.
  const asked = maps.length;
  await w.getByRole('button', { name: 'Als Karte anzeigen' }).click();
  await w.locator('.civic-cluster-icon').first().waitFor();
  await page.waitForTimeout(1000);
  assert.equal(maps.length, asked, 'the map showed again without asking');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a cluster is reached with Tab and opened with Enter: two zoom levels closer, more detail', async () => {
  const page = await newPage(browser);
  const maps = await open(page);
  const w = widget(page);
  const before = maps.at(-1);
  const f = await tabTo(page, /civic-cluster-icon/, 120);
  const count = Number(f.split('|')[1].match(/^([\d.]+) Meldungen/)[1].replace(/\./g, ''));
  await page.keyboard.press('Enter');
  await until(() => maps.length > 1 && maps.at(-1).z === before.z + 2, 'a map request two levels closer');
  await w.locator('.leaflet-container[aria-busy=false]').waitFor();
  // More detail: the reports one by one, or smaller clusters than the one opened.
  const now = await clusters(page);
  const px = await markerPixels(page);
  assert.ok(now.length === 0 ? Object.values(px).some((n) => n > 0) : Math.max(...now.map((c) => c.count)) < count,
    `after opening a cluster of ${count}: ${now.length} clusters, marker pixels ${JSON.stringify(px)}`);
  assert.match(await focused(page), /leaflet-container/, 'the focus stays on the map');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('phone: clusters at 390 px, axe-clean; a tap opens one', async () => {
  const page = await newPage(browser, { width: 390, height: 844 }, { hasTouch: true, isMobile: true });
  const maps = await open(page);
  const w = widget(page);
  await w.locator('.civic-map').scrollIntoViewIfNeeded();
  assert.ok((await clusters(page)).length > 0, 'clusters on the phone');
  await screenshot(page, 'clusters-phone.png');
  assert.deepEqual(await axeViolations(page, 'civic-reports'), []);
  // A tap on a cluster in the map's middle zooms in as a click does.
  const map = await w.locator('.civic-map').boundingBox();
  const boxes = await w.locator('.civic-cluster-icon').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
  const inside = boxes.filter((b) => b.left > map.x + 10 && b.right < map.x + map.width - 60 && b.top > map.y + 90 && b.bottom < map.y + map.height - 30);
  assert.ok(inside.length > 0, 'a cluster away from the map controls');
  const z = maps.at(-1).z;
  await page.touchscreen.tap(inside[0].x + inside[0].width / 2, inside[0].y + inside[0].height / 2);
  await until(() => maps.at(-1).z === z + 2, 'a map request two levels closer');
  await w.locator('.leaflet-container[aria-busy=false]').waitFor();
  await screenshot(page, 'clusters-phone-opened.png');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the early map cut to a view narrower than the loader measured equals the server answer for that view', async () => {
  // The page narrows the widget right after the loader measured the map's stand-in (a scroll bar
  // appearing does the same on a desktop): the widget asks for fewer tiles than were fetched.
  const host = await startHostPages({
    '/narrowing.html': {
      html: `<!doctype html><html lang="de"><meta charset="utf-8"><title>Gemeinde</title>
        <civic-reports data-tenant="musterstadt" style="display:block;width:1200px"></civic-reports>
        <script src="${server.url}/widgets/civic.js" defer></script>
        <script>
          document.addEventListener('DOMContentLoaded', function () {
            var el = document.querySelector('civic-reports');
            new MutationObserver(function (records, observer) {
              // The stand-in: a .civic right in the loader's slot (the widget's own is deeper).
              if (records.some(function (r) {
                return r.target.className === 'civic-mount' && [].some.call(r.addedNodes, function (n) { return n.className === 'civic'; });
              })) {
                el.style.width = '560px';
                observer.disconnect();
              }
            }).observe(el.shadowRoot, { childList: true, subtree: true });
            var civic = window.__civickit, take = civic.take;
            window.__asked = [];
            civic.take = function (url) { var r = take.call(civic, url); if (/\\/map\\?/.test(url)) window.__asked.push([url, !!r]); return r; };
          });
        </script>`,
    },
  });
  try {
    const page = await newPage(browser);
    const fetched = [];
    page.on('request', (r) => { if (/\/map\?/.test(r.url())) fetched.push(r.url()); });
    await page.goto(host.url + '/narrowing.html');
    const w = widget(page);
    await w.locator('.leaflet-container[aria-busy=false]').waitFor();
    const asked = await page.evaluate(() => window.__asked);
    assert.equal(asked.length, 1);
    const [url, taken] = asked[0];
    assert.ok(taken, 'the early answer was taken');
    assert.notEqual(fetched[0], url, `the loader fetched more tiles (${fetched[0]}) than the widget asked for (${url})`);
    const server_ = await (await fetch(url)).json();
    const drawn = await clusters(page);
    assert.equal(drawn.length, server_.clusters.length, 'the clusters of the asked tiles');
    assert.deepEqual(drawn.map((c) => c.count).sort((a, b) => a - b),
      server_.clusters.map((c) => c[2].reduce((a, b) => a + b, 0)).sort((a, b) => a - b));
    assert.ok(server_.clusters.length > 0 || fetched.length === 2, 'clusters, or the widget asked the server itself');
    await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
    await w.locator('.civic-count').getByText(`${server_.total.toLocaleString('de-DE')} Meldungen in diesem Bereich`, { exact: true }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  } finally {
    await host.stop();
  }
});

test('English: clusters and the count in English, with English numbers', async () => {
  const host = await startHostPages({
    '/en.html': {
      html: `<!doctype html><html lang="en"><meta charset="utf-8"><title>Town</title>
        <civic-reports data-tenant="musterstadt" data-lang="en"></civic-reports>
        <script src="${server.url}/widgets/civic.js" defer></script>`,
    },
  });
  try {
    const page = await newPage(browser);
    await page.goto(host.url + '/en.html');
    const w = widget(page);
    await w.locator('.leaflet-container[aria-busy=false]').waitFor();
    const drawn = await clusters(page);
    assert.ok(drawn.length > 0);
    for (const c of drawn) {
      assert.match(c.name, /^[\d,]+ reports: \d[\d,]* (received|in progress|resolved|closed without fix)/);
    }
    await w.getByRole('button', { name: 'Show as list' }).click();
    await w.locator('.civic-count').getByText(/^\d{1,3}(,\d{3})* reports in this area$/).waitFor();
    await w.getByRole('button', { name: 'Show more' }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  } finally {
    await host.stop();
  }
});
