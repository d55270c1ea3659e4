// The office map against the real server with the demo town, in headless Chromium: the inbox
// as a map with the same filters as the list (kept in the URL), markers and clusters, a marker
// opens the report; the report's mini map with its pin, the OpenStreetMap link, moving the pin
// (asked first, stored, audited, refused outside the town); the address search; axe-core.
// Run from the repository root: node --test tests/browser/office-map.test.mjs
// Env: CIVICKIT_BIN, CIVICKIT_DIST, CIVICKIT_TEST_OUTPUT (see harness.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, screenshot, until, axeViolations } from './harness.mjs';


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


/** What went wrong on the page, but the one 401 of `/me` before logging in. */
function problems(page) {
  return page.problems.filter((p) => !/^HTTP 401: .*\/office\/api\/me$/.test(p));
}

async function login(page) {
  await page.goto(`${server.url}/office`);
  await page.getByLabel('E-Mail-Adresse').fill(server.logins.admin.email);
  await page.getByLabel('Passwort').fill(server.logins.admin.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();
}

/** The reports the inbox map shows: single markers plus the counts of the clusters. */
async function reportsOnMap(page) {
  return page.evaluate(() => {
    const map = document.querySelector('.inbox-map');
    const single = map.querySelectorAll('.leaflet-marker-pane .report-marker').length;
    const clustered = [...map.querySelectorAll('.leaflet-marker-pane .report-cluster')]
      .reduce((n, c) => n + Number(c.querySelector('[aria-hidden]').textContent), 0);
    return single + clustered;
  });
}

/** Waits until the map has stopped moving (zoom and cluster animations over). */
async function settled(page, selector = '.inbox-map') {
  await page.waitForTimeout(300);
  await until(() => page.evaluate((sel) => {
    const map = document.querySelector(sel);
    return map && !map.classList.contains('leaflet-zoom-anim') && !map.querySelector('.leaflet-cluster-anim');
  }, selector), 'the map to settle');
}

/** The "(lat, lng)" the report's place shows. */
async function shownPosition(page) {
  const text = await page.locator('.place .lat-lng').textContent();
  const [lat, lng] = text.replace(/[()\s]/g, '').split(',').map(Number);
  return { lat, lng };
}

let moved; // { ref, lat, lng } after the pin was moved

test('the inbox as a map: the same filters as the list, in the URL; a marker opens the report', async () => {
  const page = await newPage(browser);
  await login(page);
  await page.getByRole('button', { name: 'Karte', exact: true }).click();
  await until(() => new URL(page.url()).pathname === '/office/reports/map', 'the map URL');
  await page.locator('.inbox-map .leaflet-tile-pane img').first().waitFor();
  await page.locator('.count').filter({ hasText: '12 Meldungen auf der Karte' }).waitFor();
  await until(async () => (await reportsOnMap(page)) === 12, 'all twelve demo reports as markers or in clusters');
  // Each state has its own shape: the received ones are triangles in the traffic-light red.
  assert.ok(await page.locator('.report-marker path[d="M12 2 23 21H1Z"]').count() > 0 || await page.locator('.report-cluster').count() > 0);
  assert.equal(await page.getByRole('button', { name: 'Karte', exact: true }).getAttribute('aria-pressed'), 'true');
  // The legend explains shapes and colours in words.
  await page.locator('.legend').getByText('Rot: eingegangen, noch nicht bearbeitet').waitFor();
  await page.locator('.inbox-map').scrollIntoViewIfNeeded();
  await screenshot(page, 'office-map-all.png');
  assert.deepEqual(await axeViolations(page), [], 'the map view');

  // A cluster opens up (zooms in) on Enter, as on a click.
  const cluster = page.locator('.report-cluster').first();
  if (await cluster.count()) {
    const before = await page.locator('.report-marker').count();
    // The deepest zoom among the tiles shown: opening a cluster zooms the map in on it (markers
    // elsewhere may then leave the view, so the marker count alone does not tell).
    const tileZoom = () => page.locator('.inbox-map .leaflet-tile-pane img').evaluateAll((imgs) =>
      Math.max(0, ...imgs.map((i) => Number((/\/(\d+)\/\d+\/\d+/.exec(i.getAttribute('src') || '') || [])[1] || 0))));
    const zoomBefore = await tileZoom();
    // markercluster redraws its clusters while the map settles after the first answer, and a
    // redrawn cluster is a new element: press Enter on the one that is there now until it opens.
    await until(async () => {
      if ((await page.locator('.report-marker').count()) > before || (await tileZoom()) > zoomBefore) return true;
      const now = page.locator('.report-cluster').first();
      if (await now.count()) {
        await now.focus();
        await page.keyboard.press('Enter');
      }
      return false;
    }, 'the cluster to open');
  }

  // A status filter: fewer markers, and the filter is in the URL.
  await page.getByLabel('Status').selectOption('received');
  await page.locator('.count').filter({ hasText: '4 Meldungen auf der Karte' }).waitFor();
  await until(() => new URL(page.url()).searchParams.get('status') === 'received', 'the filter in the URL');
  await until(async () => (await reportsOnMap(page)) === 4, 'four received reports on the map');
  assert.equal(await page.locator('.report-marker path[d="M12 1 23 12 12 23 1 12Z"]').count(), 0, 'no diamond (in progress) left');
  await page.locator('.inbox-map').scrollIntoViewIfNeeded();
  await screenshot(page, 'office-map-received.png');

  // The URL keeps the filter: a reload, and the switch to the list, show the same reports.
  await page.reload();
  await page.locator('.count').filter({ hasText: '4 Meldungen auf der Karte' }).waitFor();
  assert.equal(await page.getByLabel('Status').inputValue(), 'received');
  await page.getByRole('button', { name: 'Liste', exact: true }).click();
  await page.locator('ul.reports li').first().waitFor();
  await until(async () => (await page.locator('ul.reports li').count()) === 4, 'four reports in the list');
  assert.equal(new URL(page.url()).searchParams.get('status'), 'received');
  await page.getByRole('button', { name: 'Karte', exact: true }).click();
  await page.locator('.count').filter({ hasText: '4 Meldungen auf der Karte' }).waitFor();

  // A click on a marker opens the report beside the map.
  await settled(page);
  const marker = page.locator('.report-marker[title*="Gullydeckel"]');
  await marker.waitFor();
  const title = await marker.getAttribute('title');
  const ref = title.split(':')[0];
  assert.match(ref, /^M-\d{4}-\d{5}$/);
  assert.ok(title.includes('eingegangen'), title);
  await marker.click();
  await page.locator('#detail-heading').filter({ hasText: ref }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/office/reports/map/${ref}`);
  assert.equal(new URL(page.url()).searchParams.get('status'), 'received', 'the filter stays');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('a report shows its place: mini map, address line, OpenStreetMap link; the pin moves it', async () => {
  const page = await newPage(browser);
  await login(page);
  // Only the received reports: the Gullydeckel in the middle of town is then a marker of its own.
  await page.goto(`${server.url}/office/reports/map?status=received`);
  await page.locator('.count').filter({ hasText: '4 Meldungen auf der Karte' }).waitFor();
  await settled(page);
  await page.locator('.report-marker[title*="Gullydeckel"]').click();
  await page.locator('#detail-heading').waitFor();
  const ref = (await page.locator('#detail-heading').textContent()).match(/M-\d{4}-\d{5}/)[0];

  const place = page.locator('section.place');
  await place.getByRole('heading', { name: 'Ort' }).waitFor();
  await place.locator('.mini-map .leaflet-tile-pane img').first().waitFor();
  const pin = place.locator('.report-pin');
  await pin.waitFor();
  const before = await shownPosition(page);
  // The address the server looked up for the citizen's position (the demo's generated ones).
  const addressBefore = (await place.locator('.address-line').textContent()).trim();
  assert.match(addressBefore, /^\S+straße \d+/, addressBefore);
  const link = place.getByRole('link', { name: /In OpenStreetMap öffnen/ });
  const href = await link.getAttribute('href');
  assert.match(href, /^https:\/\/www\.openstreetmap\.org\/\?mlat=50\.\d+&mlon=9\.\d+#map=18\/50\.\d+\/9\.\d+$/);
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.ok(Math.abs(Number(new URL(href).searchParams.get('mlat')) - before.lat) < 1e-4, href);
  // Nearby reports are on the mini map too (the demo has one 200 m away).
  await place.locator('.mini-map .report-marker').first().waitFor();
  await screenshot(page, 'office-map-detail.png');
  assert.deepEqual(await axeViolations(page), [], 'a report with its place');

  // Drag the pin 80 px east: the page asks first.
  const drag = async () => {
    await pin.scrollIntoViewIfNeeded();
    const box = await pin.boundingBox();
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(x + i * 10, y, { steps: 2 });
    await page.mouse.up();
    return box;
  };
  const box = await drag();
  const question = place.getByRole('group', { name: /Position ändern\?/ });
  await question.waitFor();
  await screenshot(page, 'office-map-confirm.png');
  // "Abbrechen" puts the pin back; nothing is stored.
  await question.getByRole('button', { name: 'Abbrechen' }).click();
  await until(async () => (await place.getByRole('group').count()) === 0, 'the question to close');
  assert.deepEqual(await shownPosition(page), before);
  const back = await pin.boundingBox();
  assert.ok(Math.abs(back.x - box.x) < 2, `the pin is back (${back.x} vs ${box.x})`);

  // Again, and this time yes.
  await drag();
  await question.waitFor();
  await question.getByRole('button', { name: 'Position ändern' }).click();
  await place.getByRole('status').filter({ hasText: 'Die Position wurde geändert.' }).waitFor();
  const after = await shownPosition(page);
  assert.equal(after.lat.toFixed(4), before.lat.toFixed(4), 'moved east only');
  assert.ok(after.lng > before.lng + 0.0001, `east: ${before.lng} → ${after.lng}`);
  // The server looked the address up again for the new place.
  assert.match((await place.locator('.address-line').textContent()).trim(), /^\S+straße \d+/);
  await screenshot(page, 'office-map-moved.png');

  // It is stored: after a reload the report is where the pin was left.
  await page.reload();
  await page.locator('#detail-heading').filter({ hasText: ref }).waitFor();
  assert.deepEqual(await shownPosition(page), after);
  moved = { ref, ...after };
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('the move is in the audit log; outside the town the pin goes back', async () => {
  assert.ok(moved, 'the previous test moved a report');
  const page = await newPage(browser);
  await login(page);
  await page.getByRole('button', { name: 'Protokoll' }).click();
  await page.getByRole('heading', { level: 1, name: 'Protokoll' }).waitFor();
  const entry = page.locator('tbody tr').filter({ hasText: moved.ref }).filter({ hasText: 'Position geändert' });
  await entry.first().waitFor();
  assert.ok((await entry.first().textContent()).includes(server.logins.admin.email));
  await screenshot(page, 'office-map-audit.png');

  // With the keyboard: Tab to the pin, arrows move it far west, out of the town; Enter asks.
  await page.goto(`${server.url}/office/reports/map/${moved.ref}`);
  const place = page.locator('section.place');
  const pin = place.locator('.report-pin');
  await pin.waitFor();
  await pin.focus();
  for (let i = 0; i < 450; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  const question = place.getByRole('group', { name: /Position ändern\?/ });
  await question.waitFor();
  // The question takes the focus; Enter on "Position ändern" sends it.
  await until(async () => page.evaluate(() => document.activeElement?.id === 'pos-yes'), 'focus on the question');
  await page.keyboard.press('Enter');
  await place.getByRole('alert').filter({ hasText: 'außerhalb des Gemeindegebiets' }).waitFor();
  assert.deepEqual(await shownPosition(page), { lat: moved.lat, lng: moved.lng });
  await screenshot(page, 'office-map-outside.png');
  await page.context().close();
});

test('the address search moves the map to the address (ARIA combobox, keyboard)', async () => {
  const page = await newPage(browser);
  await login(page);
  await page.getByRole('button', { name: 'Karte', exact: true }).click();
  await page.locator('.inbox-map .leaflet-tile-pane img').first().waitFor();
  const box = page.getByRole('combobox', { name: 'Adresse suchen' });
  // "linden 1": Lindenstraße 1, then 10–19 (the demo town's generated addresses).
  await box.fill('linden 1');
  const options = page.getByRole('listbox').getByRole('option');
  await options.first().waitFor();
  assert.ok((await options.count()) > 2);
  assert.equal((await options.first().textContent()).trim(), 'Lindenstraße 1');
  await page.getByRole('status').filter({ hasText: /\d+ Adressen gefunden\./ }).waitFor();
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  await box.press('ArrowDown');
  await box.press('ArrowDown');
  const active = await box.getAttribute('aria-activedescendant');
  assert.equal(active, 'addr-opt-1');
  assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
  const label = (await page.locator(`#${active}`).textContent()).trim();
  assert.match(label, /^Lindenstraße 1\d$/);
  await screenshot(page, 'office-map-search.png');
  await box.press('Enter');
  assert.equal(await box.inputValue(), label);
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  // The map is at zoom 18 and marks the address.
  await page.locator('.inbox-map .leaflet-tile-pane img[src*="/18/"]').first().waitFor();
  await page.locator('.inbox-map .map-point').waitFor();
  // Escape closes the suggestions, a second Escape clears the field.
  await box.fill('Linden');
  await options.first().waitFor();
  await box.press('Escape');
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  await box.press('Escape');
  assert.equal(await box.inputValue(), '');
  await screenshot(page, 'office-map-search-done.png');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});
