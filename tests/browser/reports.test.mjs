// <civic-reports> in headless Chromium against the real civickit server (demo town Musterstadt).
// Every test asserts what a citizen sees: colours on the map canvas, texts in the widget, focus.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, startHostPages, launchBrowser, newPage, screenshot, markerPixels, canvasColourAt,
  until, tabTo, findMarker, officeLogin, officeApi, COLOURS, altcha,
} from './harness.mjs';

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

const widget = (page) => page.locator('civic-reports');

async function openDemo(page, allStates = true) {
  await page.goto(server.url + '/');
  await widget(page).locator('.civic-legend').waitFor();
  await until(async () => {
    const px = await markerPixels(page);
    return px && (allStates ? Object.values(px).every((n) => n > 0) : Object.values(px).some((n) => n > 0));
  }, 'markers on the map');
}

function noProblems(page) {
  assert.deepEqual(page.problems, [], 'no script errors, no failed requests');
}

test('the map shows the seeded reports in all four colours, with legend and list', async () => {
  const page = await newPage(browser);
  await openDemo(page);
  const w = widget(page);
  await w.getByText('Rot: eingegangen, noch nicht bearbeitet').waitFor();
  await w.getByText('Gelb: in Bearbeitung').waitFor();
  await w.getByText('Grün: erledigt').waitFor();
  await w.getByText('Grau: abgeschlossen ohne Behebung').waitFor();
  await w.locator('.leaflet-control-attribution').getByText('Demo-Karte').waitFor();
  const px = await markerPixels(page);
  for (const [state, n] of Object.entries(px)) assert.ok(n > 20, `${state} markers drawn (${n} px)`);
  await screenshot(page, 'desktop-map.png');

  // A green marker's popup (built from text nodes) and its details with the status history.
  await w.locator('.civic-map').scrollIntoViewIfNeeded();
  const green = await findMarker(page, COLOURS.resolved);
  assert.ok(green, 'a green marker in view');
  await page.mouse.click(green.x, green.y);
  const popup = w.locator('.civic-popup');
  await popup.getByText(/^erledigt · M-\d{4}-\d{5}$/).waitFor();
  await until(async () => {
    const [b, m] = [await w.locator('.leaflet-popup').boundingBox(), await w.locator('.civic-map').boundingBox()];
    const opacity = await w.locator('.leaflet-popup').evaluate((e) => getComputedStyle(e).opacity);
    return b && b.y >= m.y && opacity === '1';
  }, 'the popup panned fully into view');
  await screenshot(page, 'desktop-popup.png');
  await popup.getByRole('button', { name: 'Details' }).click();
  const details = w.locator('.civic-details');
  await details.getByRole('heading', { name: 'Bearbeitungsverlauf' }).waitFor();
  await details.locator('.civic-notes li').first().waitFor();
  assert.equal(await details.getByRole('button', { name: 'Betrifft mich auch' }).count(), 0, 'a resolved report cannot be supported');
  await details.getByRole('button', { name: 'Schließen' }).click();
  assert.equal(await w.locator('.civic-details').count(), 0);

  // The list: the same reports, with state in words and the same colour and shape.
  await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
  const items = w.locator('.civic-item');
  await items.first().waitFor();
  const states = await items.evaluateAll((els) => els.map((e) => [e.dataset.status, e.querySelector('.civic-status').textContent,
    e.querySelector('svg [fill]').getAttribute('fill')]));
  const labels = { received: 'eingegangen', in_progress: 'in Bearbeitung', resolved: 'erledigt', closed: 'abgeschlossen ohne Behebung' };
  assert.ok(states.length >= 8, `list has the seeded reports (${states.length})`);
  for (const [state, label, fill] of states) {
    assert.equal(label, labels[state]);
    assert.equal(fill, COLOURS[state]);
  }
  // Filters: only the resolved ones stay.
  for (const label of ['eingegangen', 'in Bearbeitung', 'abgeschlossen ohne Behebung']) {
    await w.locator('.civic-filters').getByLabel(label, { exact: true }).uncheck();
  }
  await until(async () => (await items.evaluateAll((els) => els.every((e) => e.dataset.status === 'resolved'))) && (await items.count()) > 0,
    'only resolved reports in the list');
  await screenshot(page, 'desktop-list-filtered.png');
  noProblems(page);
  await page.context().close();
});

test('a report is created with the keyboard only', async () => {
  const page = await newPage(browser);
  await openDemo(page);
  const w = widget(page);
  await tabTo(page, /^button.*civic-new/);
  await page.keyboard.press('Enter');
  await w.getByRole('heading', { name: 'Ort wählen' }).waitFor();
  // The map: arrow keys move the map under the centre crosshair, Enter takes the centre.
  await tabTo(page, /leaflet-container/);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await w.locator('.civic-place').getByText(/^(Gewählter Ort: 50\.\d+, 9\.\d+|bei .+)$/).waitFor();
  await tabTo(page, /^button.*\|Weiter$/, 80);
  await page.keyboard.press('Enter');
  await w.getByRole('heading', { name: 'Angaben' }).waitFor();
  await tabTo(page, /^select#civic-category/);
  await page.keyboard.press('ArrowDown'); // first category: Straßenbeleuchtung
  await tabTo(page, /^textarea#civic-description/);
  await page.keyboard.type('Laterne vor der Schule flackert abends.');
  await w.getByText('39 / 4000 Zeichen').waitFor();
  await tabTo(page, /\|Weiter zur Vorschau$/);
  await page.keyboard.press('Enter');
  await w.getByRole('heading', { name: 'Prüfen und absenden' }).waitFor();
  await w.locator('.civic-preview').getByText('Straßenbeleuchtung').waitFor();
  await tabTo(page, /\|Meldung absenden$/);
  await page.keyboard.press('Enter');
  const ref = (await w.locator('.civic-ref').textContent()).trim();
  assert.match(ref, /^M-\d{4}-\d{5}$/);
  await w.getByRole('heading', { name: 'Vielen Dank für Ihre Meldung!' }).waitFor();
  await w.locator('.civic-sr[aria-live]').getByText(`Vorgangsnummer ${ref}`).waitFor();
  const tracking = await w.getByRole('link', { name: 'Bearbeitungsstand verfolgen' }).getAttribute('href');
  assert.match(tracking, /\/track\//);
  assert.deepEqual(await page.evaluate(() => window.__created), [ref], 'civic:report-created reached the page');
  noProblems(page);
  await page.context().close();
});

test('a report made with the mouse shows red, and yellow once the town works on it', async () => {
  const page = await newPage(browser);
  await openDemo(page);
  const w = widget(page);
  // A point on the map, as an offset from its centre (the map moves down the page while the
  // form is open above it).
  const at = async () => {
    await w.locator('.civic-map').scrollIntoViewIfNeeded();
    const box = await w.locator('.civic-map').boundingBox();
    return { x: box.x + box.width / 2 + 60, y: box.y + box.height / 2 + 50 };
  };

  await w.getByRole('button', { name: 'Mangel melden' }).click();
  await w.getByRole('heading', { name: 'Ort wählen' }).waitFor();
  const click = await at();
  await page.mouse.click(click.x, click.y);
  await w.locator('.civic-place').getByText(/^(Gewählter Ort: |bei )/).waitFor();
  await w.getByRole('button', { name: 'Weiter', exact: true }).click();
  // Client-side validation: nothing chosen yet; the errors stand next to the fields.
  await w.getByRole('button', { name: 'Weiter zur Vorschau' }).click();
  await w.locator('#civic-err-category').getByText('Bitte wählen Sie eine Kategorie').waitFor();
  await w.locator('#civic-err-description').getByText('Bitte beschreiben Sie den Mangel.').waitFor();
  await w.locator('#civic-category').selectOption('strassenschaeden');
  await w.getByLabel('Beschreibung').fill('Tiefes Schlagloch, Fahrradfahrer müssen ausweichen.');
  await w.getByLabel(/^E-Mail/).fill('buerger@example.org');
  await w.getByRole('button', { name: 'Weiter zur Vorschau' }).click();
  await w.getByRole('button', { name: 'Meldung absenden' }).click();
  const ref = (await w.locator('.civic-ref').textContent()).trim();
  assert.match(ref, /^M-\d{4}-\d{5}$/);

  // Red on the map, where it was placed, and "eingegangen" in the list.
  await until(async () => { const p = await at(); return (await canvasColourAt(page, p.x, p.y)) === COLOURS.received; },
    'a red marker where the report was placed');
  await screenshot(page, 'desktop-report-created.png');
  await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
  const item = w.locator(`.civic-item[data-ref="${ref}"]`);
  await item.locator('.civic-status').getByText('eingegangen', { exact: true }).waitFor();
  await w.getByRole('button', { name: 'Als Karte anzeigen' }).click();

  // The town starts working on it, through the office (the running server's map follows its
  // own writes): yellow after a reload, with the public note in the details. The map's answers
  // may be kept for 30 s, so this is a visitor without a copy of the last one.
  const admin = await officeLogin(server);
  await officeApi(server, admin, 'POST', `/office/api/reports/${ref}/status`,
    { status: 'in_progress', public_note: 'Der Bauhof ist informiert.' });
  await (await page.context().newCDPSession(page)).send('Network.clearBrowserCache');
  await page.reload();
  await w.locator('.civic-legend').waitFor();
  await until(async () => { const p = await at(); return (await canvasColourAt(page, p.x, p.y)) === COLOURS.in_progress; },
    'the marker turned yellow');
  await screenshot(page, 'desktop-report-in-progress.png');
  await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
  await item.locator('.civic-status').getByText('in Bearbeitung', { exact: true }).waitFor();
  await item.getByRole('button', { name: `Details ${ref}` }).click();
  const details = w.locator('.civic-details');
  await details.getByText('Der Bauhof ist informiert.').waitFor();
  await details.getByText('Tiefes Schlagloch, Fahrradfahrer müssen ausweichen.').waitFor();
  await details.getByRole('button', { name: 'Betrifft mich auch' }).click();
  await details.getByText('Danke! Ihre Unterstützung wurde gezählt.').waitFor();
  await details.getByText('Betrifft auch: 1').waitFor();
  assert.equal(await details.getByText('buerger@example.org').count(), 0, 'the e-mail address is never shown');
  noProblems(page);
  await page.context().close();
});

test('HTML and script in a description are shown as text and never run', async () => {
  const evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> Müll';
  const res = await fetch(`${server.url}/api/v1/musterstadt/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ category: 'muell', position: { lat: 50.5530, lng: 9.6790 }, description: evil, website: '',
      altcha: await altcha(server, 'report') }),
  });
  assert.equal(res.status, 201);
  const { ref } = await res.json();
  const page = await newPage(browser);
  await openDemo(page);
  const w = widget(page);
  await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
  const item = w.locator(`.civic-item[data-ref="${ref}"]`);
  await item.locator('.civic-summary').getByText(evil.slice(0, 40)).waitFor();
  await item.getByRole('button', { name: `Details ${ref}` }).click();
  await w.locator('.civic-description').getByText(evil, { exact: true }).waitFor();
  assert.equal(await w.locator('.civic-items img, .civic-details img').count(), 0, 'no <img> was created');
  assert.equal(await w.locator('.civic script').count(), 0, 'no <script> was created');
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'nothing ran');
  noProblems(page);
  await page.context().close();
});

const HOSTILE_CSS = `
  * { all: unset !important; }
  html { font-size: 48px !important; }
  body { font: 48px/3 "Comic Sans MS", cursive !important; color: #f0f !important; letter-spacing: .3em !important; }
  div, p, button, input, section { display: inline !important; }
`;

test('a hostile host page on another origin with a strict CSP still gets one working widget', async () => {
  const api = server.url;
  const csp = `default-src 'none'; script-src ${api} 'wasm-unsafe-eval'; style-src ${api}; img-src ${api} data:; connect-src ${api}`;
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Hostile</title>
    <script src="${api}/widgets/civic.js" defer></script>
    </head><body><h1>Gemeinde mit kaputtem CSS</h1>
    <civic-reports data-tenant="musterstadt"></civic-reports>
    <script src="${api}/widgets/civic.js" defer></script>
    </body></html>`;
  // The hostile CSS comes as a <style> the CSP would block, so it is injected through the DOM
  // by the test itself (as a CMS theme would ship it), after the CSP applies.
  const english = `<!doctype html><html><head><meta charset="utf-8"><title>CMS</title></head><body>
    <div data-civic-widget="reports" data-tenant="musterstadt" data-lang="en"></div>
    <script src="${api}/widgets/civic.js" defer></script></body></html>`;
  const host = await startHostPages({
    '/hostile.html': { html, headers: { 'Content-Security-Policy': csp } },
    '/cms.html': { html: english, headers: {} },
  });
  try {
    const page = await newPage(browser);
    await page.goto(host.url + '/hostile.html');
    await page.evaluate((css) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      document.adoptedStyleSheets = [sheet];
    }, HOSTILE_CSS);
    const w = widget(page);
    await w.locator('.civic-legend').waitFor();
    await until(async () => { const px = await markerPixels(page); return px && px.received > 0 && px.resolved > 0; }, 'markers on the hostile page');
    assert.equal(await page.locator('civic-reports').count(), 1);
    assert.equal(await w.locator('.civic').count(), 1, 'one widget although the loader is there twice');
    assert.equal(await w.locator('.leaflet-container').count(), 1, 'one map');
    const fontSize = await w.locator('.civic-legend li').first().evaluate((e) => getComputedStyle(e).fontSize);
    assert.ok(parseFloat(fontSize) < 20, `the widget keeps its own font size (${fontSize})`);
    // It works: list view, and the report form opens.
    await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
    await w.locator('.civic-item').first().waitFor();
    await w.getByRole('button', { name: 'Als Karte anzeigen' }).click();
    await w.getByRole('button', { name: 'Mangel melden' }).click();
    await w.getByRole('heading', { name: 'Ort wählen' }).waitFor();
    await screenshot(page, 'hostile-page-csp.png');
    // A report is sent under that CSP: the proof-of-work solver (pow.js, our origin) loads
    // and solves on the main thread, without a Worker or blob: URL.
    await w.getByLabel(/^Ort beschreiben/).fill('Am Brunnen vor dem Rathaus');
    await w.getByRole('button', { name: 'Weiter', exact: true }).click();
    await w.locator('#civic-category').selectOption('muell');
    await w.getByLabel('Beschreibung').fill('Strenge CSP: Glasscherben am Brunnen.');
    await w.getByRole('button', { name: 'Weiter zur Vorschau' }).click();
    await w.getByRole('button', { name: 'Meldung absenden' }).click();
    assert.match((await w.locator('.civic-ref').textContent({ timeout: 30_000 })).trim(), /^M-\d{4}-\d{5}$/);
    assert.equal(await page.evaluate(() => typeof window.__civickit.pow), 'function', 'pow.js was loaded');
    assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no CSP violation by the widget');
    noProblems(page);
    await page.context().close();

    // A CMS that strips unknown tags: the div form, in English.
    const cms = await newPage(browser);
    await cms.goto(host.url + '/cms.html');
    const div = cms.locator('[data-civic-widget]');
    await div.getByText('Red: received, not yet processed').waitFor();
    await div.getByRole('button', { name: 'Report a problem' }).waitFor();
    noProblems(cms);
    await cms.context().close();
  } finally {
    await host.stop();
  }
});

test('phone: usable at 375 px, the form fits', async () => {
  const page = await newPage(browser, { width: 375, height: 740 });
  await openDemo(page, false);
  const w = widget(page);
  await w.scrollIntoViewIfNeeded();
  const overflow = await w.evaluate((host) => host.shadowRoot.querySelector('.civic').scrollWidth - host.getBoundingClientRect().width);
  assert.ok(overflow <= 1, `no horizontal scrolling inside the widget (${overflow}px)`);
  await screenshot(page, 'phone-map.png');
  await w.getByRole('button', { name: 'Mangel melden' }).click();
  await w.getByRole('heading', { name: 'Ort wählen' }).waitFor();
  await w.getByLabel(/^Ort beschreiben/).fill('Ecke Hauptstraße / Kirchweg');
  await w.getByRole('button', { name: 'Weiter', exact: true }).click();
  await w.getByLabel('Beschreibung').fill('Gullydeckel klappert.');
  await w.getByRole('heading', { name: 'Angaben' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'phone-form.png');
  noProblems(page);
  await page.context().close();
});

test('without the map (Leaflet blocked) the list is the default and a place can be described in words; a failed send keeps the input', async () => {
  const page = await newPage(browser, { width: 1280, height: 800 });
  await page.route('**/widgets/leaflet.js', (route) => route.abort());
  await page.goto(server.url + '/');
  const w = widget(page);
  await w.getByText('Die Karte kann nicht geladen werden.', { exact: false }).waitFor();
  await w.locator('.civic-item').first().waitFor();
  assert.equal(await w.locator('.leaflet-container').count(), 0);
  assert.equal(await w.getByRole('button', { name: 'Als Karte anzeigen' }).isVisible(), false, 'no map to switch to');

  await w.getByRole('button', { name: 'Mangel melden' }).click();
  await w.getByText('Beschreiben Sie den Ort in Worten oder nutzen Sie Ihren Standort.').waitFor();
  await w.getByRole('button', { name: 'Weiter', exact: true }).click();
  await w.locator('#civic-err-position').getByText('Bitte markieren Sie den Ort auf der Karte oder beschreiben Sie ihn in Worten.').waitFor();
  await w.getByLabel(/^Ort beschreiben/).fill('Parkplatz hinter dem Rathaus');
  await w.getByRole('button', { name: 'Weiter', exact: true }).click();
  await w.locator('#civic-category').selectOption('muell');
  await w.getByLabel('Beschreibung').fill('Sperrmüll abgeladen, zwei Sofas.');
  await w.getByRole('button', { name: 'Weiter zur Vorschau' }).click();

  // The connection drops while sending: a clear message, and everything is still there.
  await page.route('**/api/v1/musterstadt/reports?*', (route) => (route.request().method() === 'POST' ? route.abort() : route.continue()));
  await w.getByRole('button', { name: 'Meldung absenden' }).click();
  await w.getByText('Keine Verbindung zum Server. Ihre Eingaben bleiben erhalten', { exact: false }).first().waitFor();
  await w.locator('.civic-preview').getByText('Sperrmüll abgeladen, zwei Sofas.').waitFor();
  await w.locator('.civic-preview').getByText('Parkplatz hinter dem Rathaus').waitFor();
  await screenshot(page, 'desktop-no-map-send-failed.png');
  await page.unroute('**/api/v1/musterstadt/reports?*');
  await w.getByRole('button', { name: 'Meldung absenden' }).click();
  const ref = (await w.locator('.civic-ref').textContent()).trim();
  assert.match(ref, /^M-\d{4}-\d{5}$/);
  const item = w.locator(`.civic-item[data-ref="${ref}"]`);
  await item.getByText('Parkplatz hinter dem Rathaus', { exact: false }).waitFor();
  await item.getByText('ohne Kartenposition', { exact: false }).waitFor();
  page.problems = page.problems.filter((p) => !/leaflet\.js|\/api\/v1\/musterstadt\/reports\?/.test(p));
  noProblems(page);
  await page.context().close();
});

test('the list chosen before the map has loaded (slow line) still lists the reports', async () => {
  const page = await newPage(browser);
  // The town's map settings arrive late, as on a weak connection; the citizen taps "Als Liste
  // anzeigen" first, so the map is created hidden and Leaflet knows no size for it.
  let release;
  const configHeld = new Promise((resolve) => { release = resolve; });
  await page.route('**/api/v1/musterstadt/config*', async (route) => { await configHeld; await route.continue(); });
  await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
  const w = widget(page);
  await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
  release();
  await w.locator('.leaflet-container').waitFor({ state: 'attached' });
  await until(async () => (await w.locator('.civic-item').count()) >= 10, 'the demo reports in the list');
  // Back to the map, which now has a size: its markers are drawn and the list follows its view.
  await w.getByRole('button', { name: 'Als Karte anzeigen' }).click();
  await until(async () => {
    const px = await markerPixels(page);
    return px && Object.values(px).some((n) => n > 0);
  }, 'markers on the map');
  noProblems(page);
  await page.context().close();
});

/** Posts a report as the widget would; returns its reference. */
async function postReport(body) {
  const res = await fetch(`${server.url}/api/v1/musterstadt/reports`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ website: '', altcha: await altcha(server, 'report'), ...body }),
  });
  assert.equal(res.status, 201);
  return (await res.json()).ref;
}

const draftKeys = (page) => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('civickit-draft:reports')));

test('phone: the map fills the screen under step 1, a tap on a report places the pin, a reload keeps the draft, sending clears it', async () => {
  // A report of our own in the middle of the town's map, where the map opens.
  const config = await (await fetch(`${server.url}/api/v1/musterstadt/config`)).json();
  const summary = 'Altkleidercontainer umgekippt, Kleidung auf dem Gehweg.';
  const existing = await postReport({ category: 'muell', position: config.map.center, description: summary });
  const page = await newPage(browser, { width: 390, height: 844 }, { hasTouch: true, isMobile: true });
  await openDemo(page, false);
  const w = widget(page);
  await w.getByRole('button', { name: 'Mangel melden' }).tap();
  await w.getByRole('heading', { name: 'Ort wählen' }).waitFor();
  // The map is right under the step's panel and fills most of the screen, without the citizen
  // scrolling; filters are gone, the legend is folded to its summary.
  const map = await until(async () => {
    const [panel, box] = [await w.locator('.civic-flow').first().boundingBox(), await w.locator('.civic-map').boundingBox()];
    return panel && box && box.y >= 0 && box.y + box.height <= 844 + 1 && panel.y >= -1 ? { panel, box } : null;
  }, 'the step panel and the map in the viewport');
  assert.ok(map.box.height >= 0.45 * 844, `the map fills most of the screen (${map.box.height}px)`);
  assert.ok(map.box.y - (map.panel.y + map.panel.height) < 110, 'the map follows the panel (only the address search between)');
  assert.equal(await w.locator('.civic-filters').isVisible(), false, 'the filters fold away');
  assert.equal(await w.locator('.civic-legend li').first().isVisible(), false, 'the legend is folded');
  await w.locator('.civic-legend summary').getByText('Legende').waitFor();
  await screenshot(page, 'phone-locate.png');

  // A tap right on the report's marker (the map's centre) places the pin; no popup opens.
  const centre = { x: map.box.x + map.box.width / 2, y: map.box.y + map.box.height / 2 };
  await until(async () => (await canvasColourAt(page, centre.x, centre.y)) === COLOURS.received, 'the red marker in the centre');
  await page.touchscreen.tap(centre.x, centre.y);
  const placeLine = w.locator('.civic-place').getByText(/^bei /); // the demo's addresses cover its centre
  await placeLine.waitFor();
  const placeText = (await placeLine.textContent()).trim();
  await w.locator('.civic-pin').waitFor();
  assert.equal(await w.locator('.civic-popup').count(), 0, 'no popup while placing');
  await w.getByRole('button', { name: 'Weiter', exact: true }).tap();
  await w.getByRole('heading', { name: 'Angaben' }).waitFor();
  await w.locator('#civic-category').selectOption('muell');
  // The duplicate hint offers the report that was tapped.
  const nearby = w.locator('.civic-nearby li', { hasText: summary });
  await nearby.getByRole('button', { name: 'Betrifft mich auch' }).waitFor();
  const text = 'Noch ein Container daneben, Deckel offen.';
  await w.getByLabel('Beschreibung').fill(text);
  await w.getByLabel(/^E-Mail/).fill('geheim@example.org');
  assert.deepEqual(await draftKeys(page), ['civickit-draft:reports:musterstadt']);
  assert.doesNotMatch(await page.evaluate(() => JSON.stringify(sessionStorage)), /geheim@example\.org/, 'the e-mail address is not stored');

  // A reload (or the phone dropping the tab) comes back to step 2 with what was typed.
  await page.reload();
  await w.getByRole('heading', { name: 'Angaben' }).waitFor();
  await until(async () => (await w.locator('#civic-category').inputValue()) === 'muell', 'the category restored');
  assert.equal(await w.getByLabel('Beschreibung').inputValue(), text);
  assert.equal(await w.getByLabel(/^E-Mail/).inputValue(), '', 'the e-mail address is typed again');
  await w.locator('.civic-place').getByText(placeText).waitFor(); // the address, looked up again
  await w.locator('.civic-nearby li', { hasText: summary }).waitFor();
  await screenshot(page, 'phone-draft-restored.png');
  await w.getByRole('button', { name: 'Weiter zur Vorschau' }).tap();
  await w.locator('.civic-preview').getByText(text).waitFor();
  await w.getByRole('button', { name: 'Meldung absenden' }).tap();
  const ref = (await w.locator('.civic-ref').textContent()).trim();
  assert.match(ref, /^M-\d{4}-\d{5}$/);
  assert.notEqual(ref, existing);
  assert.deepEqual(await draftKeys(page), [], 'sending clears the draft');
  await page.reload();
  await w.locator('.civic-legend li').first().waitFor();
  assert.equal(await w.locator('.civic-flow h3').count(), 0, 'no form after a reload once sent');

  // Cancelling drops the draft too.
  await w.getByRole('button', { name: 'Mangel melden' }).tap();
  await w.getByRole('heading', { name: 'Ort wählen' }).waitFor();
  assert.equal((await draftKeys(page)).length, 1);
  await w.getByRole('button', { name: 'Abbrechen' }).tap();
  assert.deepEqual(await draftKeys(page), [], 'cancelling clears the draft');
  noProblems(page);
  await page.context().close();
});

test('a report placed only in words is in the list while the map is loaded', async () => {
  const place = 'Unterführung am Bahnhof, Treppe Nord';
  const ref = await postReport({ category: 'muell', address: place, description: 'Glasscherben auf der Treppe.' });
  const page = await newPage(browser);
  await openDemo(page);
  const w = widget(page);
  await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
  const item = w.locator(`.civic-item[data-ref="${ref}"]`);
  await item.getByText('ohne Kartenposition', { exact: false }).waitFor();
  await item.getByText(place, { exact: false }).waitFor();
  // The list comes from the map's box (the reports with a position are there as well).
  await w.locator('.civic-item[data-status="resolved"]').first().waitFor();
  noProblems(page);
  await page.context().close();
});
