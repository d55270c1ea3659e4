// Spam and abuse (issue 15) as a script and as a citizen meet them: a scripted client without a
// solved challenge, with a reused one or faster than a person is refused and nothing is stored,
// while a person's flow in Chromium right after succeeds; "Meldung melden" in the widget on a
// phone. The widget solves its challenges with pow.js while the citizen types.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, screenshot, until, axeViolations, altcha, officeLogin, officeApi } from './harness.mjs';

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
const REPORTS = () => `${server.url}/api/v1/musterstadt/reports`;

function noProblems(page) {
  assert.deepEqual(page.problems, [], 'no script errors, no failed requests');
}

/** A scripted POST of a report; {status, body}. */
async function post(description, extra = {}) {
  const res = await fetch(REPORTS(), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ category: 'muell', position: { lat: 50.5530, lng: 9.6790 }, description, website: '', ...extra }),
  });
  return { status: res.status, body: await res.json() };
}

/** The public descriptions of the town's newest reports (what a visitor can see). */
async function publicDescriptions() {
  const res = await fetch(`${REPORTS()}?limit=5000`);
  assert.equal(res.status, 200);
  const text = await res.text();
  return text;
}

test('a script without a solved challenge, with a reused one or too fast is refused and stores nothing; a person right after succeeds', async () => {
  const mark = `Skript-${Date.now()}`;
  const none = await post(`${mark} ohne Lösung: Sperrmüll am Weg.`);
  assert.equal(none.status, 400, JSON.stringify(none.body));
  assert.equal(none.body.error, 'challenge_required');

  const solved = await altcha(server, 'report');
  const first = await post(`Erlaubt ${mark}: Sperrmüll am Weg, einmal gelöst.`, { altcha: solved });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const reused = await post(`${mark} zweimal gesendet: Sperrmüll am Weg.`, { altcha: solved });
  assert.equal(reused.status, 409, JSON.stringify(reused.body));
  assert.equal(reused.body.error, 'challenge_used');

  const fast = await post(`${mark} zu schnell: Sperrmüll am Weg.`, { altcha: await altcha(server, 'report', { wait: false }) });
  assert.equal(fast.status, 429, JSON.stringify(fast.body));
  assert.equal(fast.body.error, 'too_fast');

  const other = await post(`${mark} falscher Zweck: Sperrmüll am Weg.`, { altcha: await altcha(server, 'message') });
  assert.equal(other.status, 400, JSON.stringify(other.body));
  assert.equal(other.body.error, 'challenge_invalid');

  const visible = await publicDescriptions();
  assert.ok(visible.includes(`Erlaubt ${mark}`), 'the one solved report is public');
  for (const refused of ['ohne Lösung', 'zweimal gesendet', 'zu schnell', 'falscher Zweck']) {
    assert.ok(!visible.includes(`${mark} ${refused}`), `nothing stored for "${refused}"`);
  }

  // Right after: a person in Chromium files a report; the widget solves while they type.
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  const w = widget(page);
  await w.getByRole('button', { name: 'Mangel melden' }).click();
  await w.getByRole('heading', { name: 'Ort wählen' }).waitFor();
  await w.getByLabel(/^Ort beschreiben/).fill('Parkplatz hinter dem Rathaus');
  await w.getByRole('button', { name: 'Weiter', exact: true }).click();
  await w.locator('#civic-category').selectOption('muell');
  await w.getByLabel('Beschreibung').fill(`Mensch ${mark}: zwei alte Sofas abgeladen.`);
  await w.getByRole('button', { name: 'Weiter zur Vorschau' }).click();
  await w.getByRole('button', { name: 'Meldung absenden' }).click();
  const ref = (await w.locator('.civic-ref').textContent({ timeout: 30_000 })).trim();
  assert.match(ref, /^M-\d{4}-\d{5}$/);
  assert.ok((await publicDescriptions()).includes(`Mensch ${mark}`), 'the person\'s report is stored');
  noProblems(page);
  await page.context().close();
});

test('a citizen flags a report on a phone: reason and text, thanks, axe-clean; the office sees it', async () => {
  // A fresh public report of its own, so that other tests' flags do not matter.
  const description = `Flaggen-Test ${Date.now()}: Müll an der Bushaltestelle.`;
  const created = await post(description, { altcha: await altcha(server, 'report') });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const ref = created.body.ref;

  const page = await newPage(browser, { width: 390, height: 844 }, { hasTouch: true, isMobile: true });
  await page.goto(server.url + '/');
  const w = widget(page);
  await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
  await w.locator(`.civic-item[data-ref="${ref}"]`).getByRole('button', { name: 'Details' }).click();
  const details = w.locator('.civic-details');
  await details.getByText(description).waitFor();

  const open = details.getByRole('button', { name: 'Meldung melden' });
  assert.equal(await open.getAttribute('aria-expanded'), 'false');
  await open.click();
  assert.equal(await open.getAttribute('aria-expanded'), 'true');
  const form = details.locator('.civic-flag');
  await form.getByRole('group', { name: 'Warum soll die Gemeinde diese Meldung prüfen?' }).waitFor();
  // Nothing chosen: a clear error, nothing sent.
  await form.getByRole('button', { name: 'Senden' }).click();
  await form.getByText('Bitte wählen Sie einen Grund.').waitFor();
  await form.getByLabel('Beleidigend oder anstößig').check();
  // Choosing a reason answers the error at once.
  await form.getByText('Bitte wählen Sie einen Grund.').waitFor({ state: 'detached' });
  await form.getByLabel('Was ist daran falsch? (freiwillig)').fill('Beschimpft die Nachbarn mit Namen.');
  await form.getByText('34 / 500 Zeichen').waitFor();
  const overflow = await w.evaluate((host) => host.shadowRoot.querySelector('.civic').scrollWidth - host.getBoundingClientRect().width);
  assert.ok(overflow <= 1, `no horizontal scrolling at 390 px (${overflow}px)`);
  assert.deepEqual(await axeViolations(page, 'civic-reports'), [], 'axe-clean with the flag form open');
  await screenshot(page, 'phone-flag-form.png');
  await form.getByRole('button', { name: 'Senden' }).click();
  await details.getByText('Danke. Die Gemeinde prüft die Meldung.').waitFor({ timeout: 30_000 });
  assert.deepEqual(await axeViolations(page, 'civic-reports'), [], 'axe-clean after the thanks');
  await screenshot(page, 'phone-flag-thanks.png');
  noProblems(page);
  await page.context().close();

  const admin = await officeLogin(server, 'admin');
  const queue = await officeApi(server, admin, 'GET', '/office/api/flags');
  assert.ok(JSON.stringify(queue).includes(ref), `the office's queue has ${ref}`);
});

test('cancelling the flag form sends nothing and gives the focus back to its button', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  const w = widget(page);
  await w.getByRole('button', { name: 'Als Liste anzeigen' }).click();
  await w.locator('.civic-item').first().getByRole('button', { name: 'Details' }).click();
  const details = w.locator('.civic-details');
  await details.getByRole('button', { name: 'Meldung melden' }).click();
  await details.locator('.civic-flag').getByLabel('Werbung oder Spam').check();
  await details.getByRole('button', { name: 'Abbrechen' }).click();
  assert.equal(await details.locator('.civic-flag').count(), 0);
  await until(async () => (await page.evaluate(() => document.querySelector('civic-reports').shadowRoot.activeElement?.textContent)) === 'Meldung melden',
    'the focus back on "Meldung melden"');
  noProblems(page);
  await page.context().close();
});
