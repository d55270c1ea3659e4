// Addresses in <civic-reports> on a phone (390 x 844, touch), against the real server and the demo
// town's generated address list: the pin says "bei <address>", the address search (an ARIA 1.2
// combobox) moves the map and the pin, and the report sent afterwards carries the address.
// Run from the repository root: node --test tests/browser/places-widget.test.mjs
// Env: CIVICKIT_BIN, CIVICKIT_DIST, CIVICKIT_TEST_OUTPUT (see harness.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshot, until, tabTo, focused, axeViolations } from './harness.mjs';

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

const api = async (path) => {
  const res = await fetch(`${server.url}/api/v1/musterstadt${path}`);
  assert.equal(res.status, 200, path);
  return res.json();
};

/** A phone: touch screen, and the harness's record of script errors and failed requests. */
async function phone() {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, locale: 'de-DE' });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) page.problems.push(`console: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400 && !/favicon\.ico$/.test(r.url())) page.problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('requestfailed', (r) => page.problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  return page;
}

/** Where (page pixels) the map draws `p` now: worked out from a loaded tile of the current zoom
 *  (its /tiles/z/x/y URL and its place on the screen) and Web Mercator. */
async function screenPoint(page, p, zoom) {
  return until(() => page.evaluate(({ lat, lng, zoom }) => {
    const root = document.querySelector('civic-reports').shadowRoot;
    for (const img of root.querySelectorAll('.leaflet-tile-pane img.leaflet-tile-loaded')) {
      const m = img.src.match(/\/tiles\/(\d+)\/(\d+)\/(\d+)\.svg/);
      if (!m || Number(m[1]) !== zoom || getComputedStyle(img.parentElement).opacity !== '1') continue;
      const size = 256 * 2 ** zoom;
      const s = Math.sin(lat * Math.PI / 180);
      const wx = (lng + 180) / 360 * size;
      const wy = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size;
      const r = img.getBoundingClientRect();
      return { x: r.left + (wx - Number(m[2]) * 256) * r.width / 256, y: r.top + (wy - Number(m[3]) * 256) * r.height / 256 };
    }
    return null;
  }, { ...p, zoom }), `a loaded tile at zoom ${zoom}`);
}

/** The tip of the pin (its icon is 30 x 42 px, anchored at the bottom middle). */
async function pinTip(page) {
  const box = await page.locator('civic-reports .civic-pin').boundingBox();
  return box && { x: box.x + box.width / 2, y: box.y + box.height };
}

const near = (a, b, px = 3) => Math.abs(a.x - b.x) <= px && Math.abs(a.y - b.y) <= px;


/** The combobox's state as assistive technology reads it. */
async function combobox(page) {
  return page.locator('civic-reports').evaluate((host) => {
    const root = host.shadowRoot;
    const input = root.querySelector('[role=combobox]');
    const list = root.getElementById(input.getAttribute('aria-controls'));
    const active = input.getAttribute('aria-activedescendant');
    return {
      label: root.querySelector(`label[for="${input.id}"]`)?.textContent,
      value: input.value,
      expanded: input.getAttribute('aria-expanded'),
      listRole: list?.getAttribute('role'),
      listVisible: !!list && list.getBoundingClientRect().height > 0,
      options: [...(list?.querySelectorAll('[role=option]') || [])].map((o) => o.textContent),
      selected: [...(list?.querySelectorAll('[aria-selected=true]') || [])].map((o) => o.id),
      active: active && root.getElementById(active)?.textContent,
      activeId: active,
    };
  });
}

test('on a phone: the pin says "bei <address>", the search moves map and pin, the report carries the address', async () => {
  // A demo address in the first view of the map, away from the seeded reports (a tap on a
  // report's marker opens that report instead of placing the pin).
  const config = await api('/config');
  const { reports } = await api('/reports');
  const { places: lindens } = await api('/places/search?q=lindenstr%201&limit=8');
  assert.ok(lindens.length >= 2, `the demo town has addresses in the Lindenstraße (${JSON.stringify(lindens)})`);
  assert.ok(lindens.every((p) => p.label.startsWith('Lindenstraße 1')), JSON.stringify(lindens));

  const page = await phone();
  await page.goto(server.url + '/');
  const w = page.locator('civic-reports');
  await w.locator('.civic-legend').waitFor();
  await w.getByRole('button', { name: 'Mangel melden' }).tap();
  await w.getByRole('heading', { name: 'Ort wählen' }).waitFor();
  const map = w.locator('.civic-map');
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  const inView = async (p) => {
    const s = await screenPoint(page, p, config.map.zoom);
    return s.x > box.x + 40 && s.x < box.x + box.width - 40 && s.y > box.y + 40 && s.y < box.y + box.height - 40 ? s : null;
  };
  // Around the first view's centre, the address nearest to each probe (the server's answer).
  const size = 256 * 2 ** config.map.zoom;
  const s0 = Math.sin(config.map.center.lat * Math.PI / 180);
  const cx = (config.map.center.lng + 180) / 360 * size;
  const cy = (0.5 - Math.log((1 + s0) / (1 - s0)) / (4 * Math.PI)) * size;
  let target = null;
  for (const [dx, dy] of [[0, 0], [40, 40], [-40, 40], [40, -40], [-40, -40], [80, 0], [-80, 0], [0, 80], [0, -80], [100, 100], [-100, -100]]) {
    const n = Math.PI - 2 * Math.PI * (cy + dy) / size;
    const probe = { lat: Math.atan(Math.sinh(n)) * 180 / Math.PI, lng: (cx + dx) / size * 360 - 180 };
    const p = (await api(`/places/reverse?lat=${probe.lat}&lng=${probe.lng}`)).place;
    if (!p?.housenumber) continue;
    const clear = reports.every((r) => r.lat === undefined || Math.hypot((r.lat - p.lat) * 111_000, (r.lng - p.lng) * 71_000) > 60);
    const at = clear && (await inView(p));
    if (at) { target = { place: p, at }; break; }
  }
  assert.ok(target, 'a demo address in the first view of the map, away from the reports');
  const { label } = target.place;
  // The server's own answer for that place is the address itself.
  assert.equal((await api(`/places/reverse?lat=${target.place.lat}&lng=${target.place.lng}`)).place?.label, label);

  // 1. Tapping the map there: "bei <address>" where the coordinates were, in a polite live region.
  await page.touchscreen.tap(target.at.x, target.at.y);
  const place = w.locator('#civic-place');
  await place.getByText(`bei ${label}`, { exact: true }).waitFor();
  assert.equal(await place.getAttribute('aria-live'), 'polite');
  assert.ok(near(await pinTip(page), target.at), 'the pin sits where the map was tapped');
  await screenshot(page, 'places-phone-tapped.png');
  await place.scrollIntoViewIfNeeded();
  await screenshot(page, 'places-phone-bei.png');

  // 2. The search, with the keyboard only: lower case, no umlaut, a house-number prefix.
  await tabTo(page, /^input#civic-search/);
  await page.keyboard.type('lindenstr 1');
  const list = w.locator('#civic-search-list');
  await until(async () => (await combobox(page)).expanded === 'true', 'the suggestions open');
  let cb = await combobox(page);
  assert.equal(cb.label, 'Adresse suchen');
  assert.equal(cb.listRole, 'listbox');
  assert.ok(cb.listVisible);
  assert.deepEqual(cb.options, lindens.map((p) => p.label), 'the server\'s suggestions, in its order');
  assert.equal(cb.activeId, null, 'nothing active before an arrow key');
  await list.scrollIntoViewIfNeeded();
  await screenshot(page, 'places-phone-suggestions.png');
  assert.deepEqual(await axeViolations(page, 'civic-reports'), [], 'axe-core on the widget with the suggestions open');

  await page.keyboard.press('ArrowDown');
  cb = await combobox(page);
  assert.equal(cb.active, lindens[0].label);
  assert.deepEqual(cb.selected, [cb.activeId], 'the active option is the one selected');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  assert.equal((await combobox(page)).active, lindens[0].label, 'ArrowUp goes back');
  const pinBefore = await pinTip(page);
  await page.keyboard.press('Enter');
  await place.getByText(`bei ${lindens[0].label}`, { exact: true }).waitFor();
  cb = await combobox(page);
  assert.equal(cb.expanded, 'false');
  assert.equal(cb.listVisible, false);
  assert.equal(cb.value, lindens[0].label);
  assert.match(await focused(page), /^input#civic-search/, 'the focus stays in the search field');
  // The map moved there at zoom 18, and the pin with it: both are on the address.
  await until(async () => {
    const s = await screenPoint(page, lindens[0], 18);
    const m = await map.boundingBox();
    const tip = await pinTip(page);
    return near(s, { x: m.x + m.width / 2, y: m.y + m.height / 2 }, 2) && near(tip, s) && !near(tip, pinBefore, 20);
  }, 'the map centred on the address at zoom 18, the pin on it');
  await screenshot(page, 'places-phone-chosen.png');

  // 3. Touch on a suggestion; Escape closes the list and keeps the text; nonsense finds nothing.
  const input = w.locator('#civic-search');
  await input.fill('lindenstr 1');
  await until(async () => (await combobox(page)).options.length === lindens.length, 'suggestions again');
  await w.getByRole('option', { name: lindens[1].label, exact: true }).tap();
  await place.getByText(`bei ${lindens[1].label}`, { exact: true }).waitFor();
  assert.equal((await combobox(page)).expanded, 'false');

  await input.fill('linden');
  await until(async () => (await combobox(page)).expanded === 'true', 'suggestions for a street');
  await page.keyboard.press('Escape');
  cb = await combobox(page);
  assert.equal(cb.expanded, 'false');
  assert.equal(cb.listVisible, false);
  assert.equal(cb.value, 'linden', 'Escape closes the list and keeps what was typed');
  await page.keyboard.press('ArrowDown');
  assert.equal((await combobox(page)).expanded, 'true', 'ArrowDown opens it again');
  await page.keyboard.press('Escape');

  await input.fill('xqzvwj');
  await w.getByText('Keine Adresse gefunden', { exact: true }).waitFor();
  assert.equal((await combobox(page)).expanded, 'false');
  await screenshot(page, 'places-phone-nothing-found.png');
  assert.equal(await place.textContent(), `bei ${lindens[1].label}`, 'a search that finds nothing leaves the place alone');

  // 4. The report: the preview and, once sent, the public list and details show the address.
  await w.getByRole('button', { name: 'Weiter', exact: true }).tap();
  await w.locator('#civic-category').selectOption('strassenschaeden');
  await w.getByLabel('Beschreibung').fill('Schlagloch vor dem Haus.');
  await w.getByRole('button', { name: 'Weiter zur Vorschau' }).tap();
  await w.locator('.civic-preview').getByText(`bei ${lindens[1].label}`, { exact: false }).waitFor();
  await w.getByRole('button', { name: 'Meldung absenden' }).tap();
  const ref = (await w.locator('.civic-ref').textContent()).trim();
  assert.match(ref, /^M-\d{4}-\d{5}$/);
  await w.getByRole('button', { name: 'Als Liste anzeigen' }).tap();
  const item = w.locator(`.civic-item[data-ref="${ref}"]`);
  await item.locator('.civic-meta').getByText(lindens[1].label, { exact: false }).waitFor();
  await item.getByRole('button', { name: `Details ${ref}` }).tap();
  await w.locator('.civic-details .civic-meta').getByText(lindens[1].label, { exact: false }).waitFor();
  await screenshot(page, 'places-phone-report.png');
  const overflow = await w.evaluate((host) => host.shadowRoot.querySelector('.civic').scrollWidth - host.getBoundingClientRect().width);
  assert.ok(overflow <= 1, `no sideways scrolling at 390 px (${overflow} px)`);
  assert.deepEqual(page.problems, [], 'no script errors, no failed requests');
  await page.context().close();
});

test('English: "near <address>" and "Search address"; a failing lookup keeps the coordinates', async () => {
  const { places } = await api('/places/search?q=lindenstr%201&limit=1');
  const page = await phone();
  // The server's address lookups fail for this page: the widget shows the coordinates and no error.
  await page.route('**/places/reverse?*', (route) => route.fulfill({ status: 503, contentType: 'application/json',
    body: JSON.stringify({ error: 'unavailable', message: 'down' }) }));
  // The demo page with the English widget.
  await page.route(server.url + '/', async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace('<civic-reports data-tenant="musterstadt"', '<civic-reports data-lang="en" data-tenant="musterstadt"');
    await route.fulfill({ response: res, body: html });
  });
  await page.goto(server.url + '/');
  const w = page.locator('civic-reports');
  await w.locator('.civic-legend').waitFor();
  await w.getByRole('button', { name: 'Report a problem' }).tap();
  await w.getByRole('heading', { name: 'Choose the place' }).waitFor();
  const search = w.getByRole('combobox', { name: 'Search address' });
  await search.fill('lindenstr 1');
  await w.locator('#civic-search-list [role=option]').first().waitFor();
  await search.press('ArrowDown');
  await search.press('Enter');
  // Chosen from the search, the address is known without a lookup.
  await w.locator('#civic-place').getByText(`near ${places[0].label}`, { exact: true }).waitFor();
  // A tap elsewhere asks the (failing) lookup: the coordinates stay, nothing else happens.
  await w.locator('.civic-map').scrollIntoViewIfNeeded();
  const box = await w.locator('.civic-map').boundingBox();
  await page.touchscreen.tap(box.x + box.width - 60, box.y + 80);
  await w.locator('#civic-place').getByText(/^Chosen place: 50\.\d{5}, 9\.\d{5}$/).waitFor();
  await w.getByRole('combobox', { name: 'Search address' }).fill('xqzvwj');
  await w.getByText('No address found', { exact: true }).waitFor();
  assert.equal(await w.locator('[role=alert]:visible').count(), 0, 'no error for a failed lookup');
  await page.context().close();
});
