// Photos in <civic-reports>: after a report is created, photos are shrunk in the browser (long
// edge ≤ 1600 px, JPEG), uploaded with progress, a failed upload is retried without choosing the
// file again, and released photos (and the office's "after" photo) appear in the details.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, until, OUT, officeLogin, officeApi, png as pngImage } from './harness.mjs';

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

/** A camera-sized picture with coloured stripes. */
function png(w, h) {
  return pngImage(w, h, (x) => {
    const band = Math.floor(x / 100) % 3;
    return [band === 0 ? 200 : 40, band === 1 ? 160 : 60, band === 2 ? 220 : 80];
  });
}

function noProblems(page) {
  const real = page.problems.filter((p) => !/(status of|^HTTP) (400|409|422|429)\b/.test(p) && !/photos\?token=.*ERR_CONNECTION_RESET/.test(p));
  assert.deepEqual(real, [], 'no script errors, no failed requests');
}

test('photos: shrunk in the browser, uploaded with progress, retried after a failure, shown once released', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  const w = page.locator('civic-reports');
  await w.getByRole('button', { name: 'Mangel melden' }).click();
  await w.getByRole('heading', { name: 'Ort wählen' }).waitFor();
  // A place on the map (so that the report is in the list of the map's area), and in words.
  await w.locator('.civic-map').scrollIntoViewIfNeeded();
  const box = await w.locator('.civic-map').boundingBox();
  await page.mouse.click(box.x + box.width / 2 - 40, box.y + box.height / 2 + 30);
  await w.locator('.civic-place').getByText(/^(Gewählter Ort: |bei )/).waitFor();
  await w.getByLabel(/^Ort beschreiben/).fill('Spielplatz Am Anger, hinter der Rutsche');
  await w.getByRole('button', { name: 'Weiter', exact: true }).click();
  await w.locator('#civic-category').selectOption('strassenschaeden');
  await w.getByLabel('Beschreibung').fill('Großes Schlagloch im Weg zum Spielplatz.');
  await w.getByRole('button', { name: 'Weiter zur Vorschau' }).click();
  await w.getByRole('button', { name: 'Meldung absenden' }).click();
  const ref = (await w.locator('.civic-ref').textContent()).trim();
  assert.match(ref, /^M-\d{4}-\d{5}$/);

  const panel = w.locator('.civic-photo-panel');
  await panel.getByRole('heading', { name: 'Fotos hinzufügen (optional)' }).waitFor();
  // The first upload fails (the connection drops); the second goes through.
  let failNext = true;
  await page.route(/\/photos\?token=/, (route) => {
    if (failNext) { failNext = false; return route.abort('connectionreset'); }
    return route.continue();
  });
  await panel.getByLabel('Fotos auswählen').setInputFiles([
    { name: 'schlagloch.png', mimeType: 'image/png', buffer: png(3000, 2000) },
    { name: 'notiz.txt', mimeType: 'text/plain', buffer: Buffer.from('kein Bild') },
  ]);
  const big = panel.locator('.civic-upload', { hasText: 'schlagloch.png' });
  await big.getByText('nicht hochgeladen').waitFor();
  const retry = big.getByRole('button', { name: 'Erneut hochladen' });
  await retry.waitFor();
  await panel.locator('.civic-upload', { hasText: 'notiz.txt' }).getByText('kein Bild, das der Browser lesen kann').waitFor();
  await w.screenshot({ path: join(OUT, 'photos-retry-desktop.png') });
  await retry.click();
  await big.getByText('hochgeladen; wird nach einer Prüfung veröffentlicht').waitFor();
  assert.equal(await big.locator('progress').getAttribute('value'), '100');
  assert.equal(await retry.isVisible(), false);
  // A second, small photo.
  await panel.getByLabel('Fotos auswählen').setInputFiles([{ name: 'naehe.png', mimeType: 'image/png', buffer: png(800, 600) }]);
  await panel.locator('.civic-upload', { hasText: 'naehe.png' }).getByText('hochgeladen; wird nach einer Prüfung veröffentlicht').waitFor();
  await w.screenshot({ path: join(OUT, 'photos-uploaded-desktop.png') });

  // The server got JPEGs with a long edge of at most 1600 px, shrunk by the browser.
  const admin = await officeLogin(server);
  const report = await officeApi(server, admin, 'GET', `/office/api/reports/${ref}`);
  assert.equal(report.photos.length, 2);
  const sizes = report.photos.map((p) => [p.width, p.height]).sort((a, b) => b[0] - a[0]);
  assert.deepEqual(sizes, [[1600, 1067], [800, 600]]);
  // Not public before the office releases them.
  const before = await (await fetch(`${server.url}/api/v1/musterstadt/reports/${ref}`)).json();
  assert.deepEqual(before.photos, []);
  for (const p of report.photos) await officeApi(server, admin, 'POST', `/office/api/photos/${p.id}/status`, { status: 'released' });
  // An "after" photo from the office (a JPEG: the released photo itself).
  const released = await (await fetch(`${server.url}/api/v1/musterstadt/reports/${ref}`)).json();
  const jpeg = Buffer.from(await (await fetch(released.photos[0].url)).arrayBuffer());
  await officeApi(server, admin, 'POST', `/office/api/reports/${ref}/photos`, jpeg, 'image/jpeg');
  const withAfter = await officeApi(server, admin, 'GET', `/office/api/reports/${ref}`);
  for (const p of withAfter.photos.filter((p) => p.status !== 'released')) {
    await officeApi(server, admin, 'POST', `/office/api/photos/${p.id}/status`, { status: 'released' });
  }

  // The details show the released photos, the "after" photo labelled as such.
  await w.getByRole('button', { name: 'Schließen' }).first().click();
  await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
  const item = w.locator(`.civic-item[data-ref="${ref}"]`);
  await item.getByRole('button', { name: `Details ${ref}` }).click();
  const details = w.locator('.civic-details');
  await details.getByRole('heading', { name: 'Fotos' }).waitFor();
  await until(async () => (await details.locator('.civic-photos-list img').count()) === 3, 'three photos in the details');
  await details.getByText('Nachher-Foto (nach der Behebung)').waitFor();
  assert.equal(await details.getByRole('img', { name: 'Foto zur Meldung' }).count(), 2);
  await until(() => details.locator('.civic-photos-list img').evaluateAll((imgs) => imgs.every((i) => i.complete && i.naturalWidth > 0)), 'thumbnails loaded');
  await details.scrollIntoViewIfNeeded();
  await w.screenshot({ path: join(OUT, 'photos-details-desktop.png') });
  noProblems(page);
  await page.context().close();
});

test('a photo chosen in step 2 waits for the report, can be removed, and arrives with it', async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  await page.goto(server.url + '/');
  const w = page.locator('civic-reports');
  await w.getByRole('button', { name: 'Mangel melden' }).click();
  await w.getByRole('heading', { name: 'Ort wählen' }).waitFor();
  await w.getByLabel(/^Ort beschreiben/).fill('Bushaltestelle Marktplatz');
  await w.getByRole('button', { name: 'Weiter', exact: true }).click();
  await w.locator('#civic-category').selectOption('muell');
  await w.getByLabel('Beschreibung').fill('Mülleimer an der Haltestelle quillt über.');
  const panel = w.locator('.civic-flow .civic-photo-panel');
  await panel.getByRole('heading', { name: 'Fotos hinzufügen (optional)' }).waitFor();
  let uploads = 0;
  page.on('request', (r) => { if (/\/photos\?token=/.test(r.url())) uploads++; });
  await panel.getByLabel('Fotos auswählen').setInputFiles([
    { name: 'eimer.png', mimeType: 'image/png', buffer: png(2400, 1800) },
    { name: 'falsch.png', mimeType: 'image/png', buffer: png(640, 480) },
  ]);
  const wanted = panel.locator('.civic-upload', { hasText: 'eimer.png' });
  const wrong = panel.locator('.civic-upload', { hasText: 'falsch.png' });
  await wanted.getByText('wird mit der Meldung gesendet').waitFor();
  await wrong.getByRole('button', { name: 'Entfernen' }).click();
  assert.equal(await wrong.count(), 0, 'a photo not wanted is removed before sending');
  await w.getByRole('button', { name: 'Weiter zur Vorschau' }).click();
  await w.locator('.civic-preview').getByText('Fotos').waitFor();
  assert.equal(await w.locator('.civic-preview dd').last().textContent(), '1');
  assert.equal(uploads, 0, 'nothing is uploaded before the report exists');
  await w.getByRole('button', { name: 'Meldung absenden' }).click();
  const ref = (await w.locator('.civic-ref').textContent()).trim();
  assert.match(ref, /^M-\d{4}-\d{5}$/);
  // Uploaded right after the report was created, with its progress on the receipt.
  const done = w.locator('.civic-done .civic-upload', { hasText: 'eimer.png' });
  await done.getByText('hochgeladen; wird nach einer Prüfung veröffentlicht').waitFor();
  assert.equal(await done.locator('progress').getAttribute('value'), '100');
  await w.screenshot({ path: join(OUT, 'photos-step2-phone.png') });
  const admin = await officeLogin(server);
  const report = await officeApi(server, admin, 'GET', `/office/api/reports/${ref}`);
  assert.deepEqual(report.photos.map((p) => [p.width, p.height]), [[1600, 1200]]);
  noProblems(page);
  await page.context().close();
});
