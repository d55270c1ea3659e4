// The reporter's tracking page (/track/{token}) on a phone (390×844) in headless Chromium
// against the real server: readable without zooming or scrolling sideways, the map of our own
// tiles around the place, no WCAG 2.1 A/AA violation (axe-core), and "Foto hinzufügen" through
// the plain form with JavaScript switched off. A full-page screenshot goes to
// CIVICKIT_TEST_OUTPUT (track-phone.png) to look at.
// Run from the repository root: node --test tests/browser/track.test.mjs
// Env: CIVICKIT_BIN, CIVICKIT_DIST, CIVICKIT_TEST_OUTPUT (see harness.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, setStatus, OUT, axeViolations, officeLogin, officeApi, png as pngImage, altcha } from './harness.mjs';

const PHONE = { width: 390, height: 844 };

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Green to yellow from left to right: a photo as a phone's file picker hands it over. */
function png(w, h) {
  return pngImage(w, h, (x) => [46 + Math.round((249 - 46) * x / w), 125 + Math.round((168 - 125) * x / w), 50]);
}

test('the tracking page on a phone: readable, axe-clean, a photo added with JavaScript off', async () => {
  const r = await fetch(`${server.url}/api/v1/musterstadt/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      category: 'strassenbeleuchtung',
      position: { lat: 50.5530, lng: 9.6790 },
      address: 'Lindenstraße 11',
      description: 'Die Laterne vor dem Haus flackert seit Tagen und geht nachts ganz aus.',
      email: 'buergerin@example.org',
      altcha: await altcha(server, 'report'),
    }),
  });
  const created = await r.json();
  assert.equal(r.status, 201, JSON.stringify(created));
  const { ref, tracking_url: trackingUrl } = created;
  await setStatus(server, ref, 'in_progress', 'Ein Elektriker ist beauftragt und kommt diese Woche.');

  // With JavaScript off, as a cautious or very old phone browser: the form alone adds a photo.
  const plain = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const offline = await plain.newPage();
  const failures = [];
  offline.on('response', (res) => { if (res.status() >= 400) failures.push(`${res.status()} ${res.url()}`); });
  await offline.goto(trackingUrl);
  await offline.getByRole('heading', { level: 1, name: `Ihre Meldung ${ref}` }).waitFor();
  await offline.getByLabel('Foto auswählen').setInputFiles({ name: 'laterne.png', mimeType: 'image/png', buffer: png(1200, 900) });
  await offline.getByRole('button', { name: 'Foto hinzufügen' }).click();
  await offline.waitForURL(/\?photo=pending$/);
  assert.match(await offline.getByRole('status').innerText(), /Danke! Ihr Foto ist angekommen/);
  await offline.getByText('Ein Foto wird noch geprüft und erscheint danach hier.').waitFor();
  // A file that is no photo: the page again, the reason on top.
  await offline.getByLabel('Foto auswählen').setInputFiles({ name: 'notiz.txt', mimeType: 'text/plain', buffer: Buffer.from('kein Bild') });
  await offline.getByRole('button', { name: 'Foto hinzufügen' }).click();
  await offline.getByRole('alert').getByText('Diese Datei ist kein Foto, das wir annehmen.').waitFor();
  assert.deepEqual(failures.filter((f) => !/\/photos$/.test(f)), [], 'only the refused upload answers an error');
  await plain.close();

  // The office releases the photo; the reporter sees it on the page.
  const session = await officeLogin(server);
  const detail = await officeApi(server, session, 'GET', `/office/api/reports/${ref}`);
  assert.equal(detail.photos.length, 1);
  assert.equal(detail.photos[0].status, 'pending');
  await officeApi(server, session, 'POST', `/office/api/photos/${detail.photos[0].id}/status`, { status: 'released' });

  const page = await newPage(browser, PHONE);
  const requests = [];
  page.on('request', (q) => { if (!q.url().endsWith('/favicon.ico')) requests.push(q.url()); });
  await page.goto(trackingUrl);
  await page.getByRole('heading', { level: 1, name: `Ihre Meldung ${ref}` }).waitFor();
  await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
  const layout = await page.evaluate(() => {
    const box = (sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
    return {
      scripts: document.scripts.length,
      scrollWidth: document.documentElement.scrollWidth,
      fontSize: parseFloat(getComputedStyle(document.body).fontSize),
      h1: box('h1'),
      town: document.querySelector('.town').textContent,
      tiles: box('.tiles'),
      pin: box('.pin'),
      tileImages: [...document.querySelectorAll('.tiles img')].map((i) => new URL(i.src).pathname),
      photos: [...document.querySelectorAll('.photos img')].map((i) => ({ alt: i.alt, src: new URL(i.src).pathname })),
      times: [...document.querySelectorAll('time')].map((t) => t.textContent),
      text: document.body.innerText,
    };
  });
  assert.equal(layout.scripts, 0, 'no script on the page');
  // Small and fast: the document (its CSS inline), six tiles and the thumbnail, all from
  // this server.
  assert.ok(requests.every((u) => u.startsWith(server.url + '/')), requests.join(' '));
  assert.equal(requests.length, 8, requests.join(' '));
  const bytes = Buffer.byteLength(await (await fetch(trackingUrl)).text());
  assert.ok(bytes < 12_000, `the document is ${bytes} bytes`);
  console.log(`tracking page: ${bytes} bytes of HTML, ${requests.length} requests`);
  assert.ok(layout.scrollWidth <= PHONE.width, `no sideways scrolling (${layout.scrollWidth} px)`);
  assert.ok(layout.fontSize >= 16, `text at least 16 px (${layout.fontSize})`);
  assert.ok(layout.h1.y < 120, 'the heading opens the page');
  assert.equal(layout.town.trim(), 'Musterstadt · Mängelmelder');
  // The map fills the width and its pin's tip sits in its middle.
  assert.ok(layout.tiles.w > 340 && layout.tiles.w <= 370, JSON.stringify(layout.tiles));
  assert.ok(Math.abs(layout.pin.x + layout.pin.w / 2 - (layout.tiles.x + layout.tiles.w / 2)) < 2, JSON.stringify(layout));
  assert.ok(Math.abs(layout.pin.y + layout.pin.h - (layout.tiles.y + layout.tiles.h / 2)) < 2, JSON.stringify(layout));
  assert.equal(layout.tileImages.length, 6);
  assert.ok(layout.tileImages.every((p) => p.startsWith('/tiles/17/')), layout.tileImages.join(' '));
  assert.equal(layout.photos.length, 1);
  assert.equal(layout.photos[0].alt, 'Foto 1');
  assert.match(layout.photos[0].src, /^\/media\/[\w-]+_thumb\.jpg$/);
  assert.ok(layout.times.every((t) => /^\d{1,2}\. \p{L}+ \d{4}, \d{2}:\d{2}$/u.test(t)), layout.times.join(' | '));
  assert.match(layout.text, /Lindenstraße 11/);
  assert.match(layout.text, /in Bearbeitung/);
  assert.match(layout.text, /Ein Elektriker ist beauftragt/);
  assert.match(layout.text, /Sie erhalten E-Mails bei Änderungen, sobald Sie Ihre Adresse/);
  assert.doesNotMatch(layout.text, /buergerin|example\.org/, 'the address is never shown');
  const button = await page.getByRole('button', { name: 'Foto hinzufügen' }).boundingBox();
  assert.ok(button.height >= 44, `a button for a thumb (${button.height} px)`);

  await page.screenshot({ path: join(OUT, 'track-phone.png'), fullPage: true });
  assert.deepEqual(await axeViolations(page), [], 'the tracking page');
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no CSP violations');
  assert.deepEqual(page.problems, [], 'no failed requests');

  // The page with a refused photo passes too (its message is an alert).
  await page.getByLabel('Foto auswählen').setInputFiles({ name: 'notiz.txt', mimeType: 'text/plain', buffer: Buffer.from('kein Bild') });
  await page.getByRole('button', { name: 'Foto hinzufügen' }).click();
  await page.getByRole('alert').getByText('Das Foto wurde nicht hinzugefügt.').waitFor();
  await page.screenshot({ path: join(OUT, 'track-phone-refused.png') });
  assert.deepEqual(await axeViolations(page), [], 'the page with a refused photo');
  await page.context().close();
});
