// The office's privacy page (/office/privacy, "Datenschutz") in headless Chromium against the
// real civickit server (demo town Musterstadt): an admin sets a retention period (a bad one is
// refused in place), finds everything held about a citizen's e-mail address, downloads it as
// JSON, erases it after confirming, and finds nothing afterwards. axe-core on the page.
// Run from the repository root: node --test --test-concurrency=1 tests/browser/office-privacy.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, screenshot, axeViolations, altcha, until, OUT } from './harness.mjs';

const CITIZEN = 'rita.rueckfrage@example.org';

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

async function post(path, body) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await res.json();
  assert.equal(res.status, 201, JSON.stringify(answer));
  return answer.ref;
}

/** A report and a mailbox message with the citizen's address, as the widgets send them. */
async function citizenWrites() {
  const report = await post('/api/v1/musterstadt/reports', {
    category: 'strassenbeleuchtung', position: { lat: 50.553, lng: 9.679 },
    description: 'Die Laterne am Brunnen ist dunkel.', email: CITIZEN,
    altcha: await altcha(server, 'report'),
  });
  const config = await (await fetch(`${server.url}/api/v1/musterstadt/mailbox`)).json();
  const message = await post('/api/v1/musterstadt/messages', {
    kind: 'frage', subject: 'Laterne', message: 'Wann wird sie repariert?', name: 'Rita Rückfrage',
    email: CITIZEN, phone: '0171 4445556', form_token: config.form_token,
    altcha: await altcha(server, 'message'),
  });
  return { report, message };
}

/** Waits until keyboard focus is on the element with this id (focus moves after rendering). */
async function focusOn(page, id) {
  await until(async () => (await page.evaluate(() => document.activeElement?.id)) === id, `focus on #${id}`, 3000);
}

/** Problems other than the 401 of GET /me before login and the 422 we provoke. */
function problems(page) {
  return page.problems.filter((p) => !/HTTP 401: .*\/office\/api\/me$/.test(p) && !/HTTP 422: .*\/privacy\/retention$/.test(p));
}

test('an admin sets a period, finds, downloads and erases a citizen\'s data', async () => {
  const { report, message } = await citizenWrites();
  const page = await newPage(browser);
  await page.goto(`${server.url}/office`);
  await page.getByLabel('E-Mail-Adresse').fill(server.logins.admin.email);
  await page.getByLabel('Passwort').fill(server.logins.admin.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();
  await page.getByRole('button', { name: 'Datenschutz', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Datenschutz' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Aufbewahrungsfristen' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/office/privacy');

  // A period out of range: the error stands at its field, focus goes there, nothing is stored.
  const outbox = page.getByLabel('Versandte E-Mails (Tage)');
  assert.equal(await outbox.inputValue(), '30');
  await outbox.fill('0');
  await page.getByRole('button', { name: 'Fristen speichern' }).click();
  await page.locator('#p-outbox-days-err').filter({ hasText: /./ }).waitFor();
  assert.equal(await outbox.getAttribute('aria-invalid'), 'true');
  await focusOn(page, 'p-outbox-days');
  await screenshot(page, 'office-privacy-retention-error.png');
  await outbox.fill('14');
  await page.getByLabel('Fotos (Tage, 0 = behalten)').fill('365');
  await page.getByRole('button', { name: 'Fristen speichern' }).click();
  await page.getByText('Die Fristen sind gespeichert.').waitFor();
  assert.equal(await outbox.getAttribute('aria-invalid'), null);
  await page.reload();
  await page.getByLabel('Versandte E-Mails (Tage)').waitFor();
  assert.equal(await page.getByLabel('Versandte E-Mails (Tage)').inputValue(), '14');
  assert.equal(await page.getByLabel('Fotos (Tage, 0 = behalten)').inputValue(), '365');

  // Everything held about the address, listed, focus on the result.
  await page.getByLabel('E-Mail-Adresse oder Telefonnummer').fill(`  ${CITIZEN.toUpperCase()} `);
  await page.getByRole('button', { name: 'Suchen', exact: true }).click();
  await page.getByRole('heading', { level: 3, name: 'Gefunden' }).waitFor();
  await focusOn(page, 'p-found');
  await page.getByRole('heading', { level: 4, name: 'Meldungen (1)' }).waitFor();
  await page.getByRole('heading', { level: 4, name: 'Nachrichten (1)' }).waitFor();
  await page.getByRole('heading', { level: 4, name: /^E-Mails im Postausgang \(\d+\)$/ }).waitFor();
  await page.locator('ul.subject-items strong').filter({ hasText: new RegExp(`^${report} · eingegangen · vom `) }).waitFor();
  await page.locator('ul.subject-items strong').filter({ hasText: new RegExp(`^${message} · frage · eingegangen · vom `) }).waitFor();
  await page.getByText('Rita Rückfrage · rita.rueckfrage@example.org · 0171 4445556').waitFor();
  await page.screenshot({ path: join(OUT, 'office-privacy-found.png'), fullPage: true });
  assert.deepEqual(await axeViolations(page), [], 'privacy page with a result');

  // The answer as a file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Als JSON herunterladen' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^auskunft-\d{4}-\d{2}-\d{2}\.json$/);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(file.reports.map((r) => r.ref), [report]);
  assert.deepEqual(file.messages.map((m) => m.ref), [message]);
  assert.equal(file.messages[0].phone, '0171 4445556');
  assert.ok(file.mails.length >= 2 && file.mails.every((m) => m.recipient === CITIZEN || m.body.includes(CITIZEN)));

  // Erasure asks first; "Abbrechen" leaves everything as it is.
  await page.getByRole('button', { name: 'Alles löschen' }).click();
  await page.getByRole('group', { name: /Wirklich alles zu dieser Adresse löschen/ }).waitFor();
  await focusOn(page, 'p-erase-yes');
  await page.screenshot({ path: join(OUT, 'office-privacy-confirm.png'), fullPage: true });
  await page.getByRole('button', { name: 'Abbrechen' }).click();
  await focusOn(page, 'p-erase');
  await page.getByRole('button', { name: 'Alles löschen' }).click();
  await page.getByRole('button', { name: 'Ja, endgültig löschen' }).click();
  const done = page.getByRole('status').filter({ hasText: /^Gelöscht: 1 Meldung anonymisiert, 1 Nachricht anonymisiert, \d+ E-Mails gelöscht\.$/ });
  await done.waitFor();
  await focusOn(page, 'p-erased');
  await page.screenshot({ path: join(OUT, 'office-privacy-erased.png'), fullPage: true });

  // Nothing is left to find.
  await page.getByRole('button', { name: 'Suchen', exact: true }).click();
  await page.getByRole('heading', { level: 3, name: 'Nichts gefunden.' }).waitFor();
  await page.getByLabel('E-Mail-Adresse oder Telefonnummer').fill('+49 171 4445556');
  await page.getByRole('button', { name: 'Suchen', exact: true }).click();
  await page.getByRole('heading', { level: 3, name: 'Nichts gefunden.' }).waitFor();
  // A bad address is refused at the field.
  await page.getByLabel('E-Mail-Adresse oder Telefonnummer').fill('12');
  await page.getByRole('button', { name: 'Suchen', exact: true }).click();
  await page.locator('#p-subject-query-err').filter({ hasText: /./ }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'privacy page');
  assert.deepEqual(problems(page).filter((p) => !/HTTP 422: .*\/privacy\/subject$/.test(p)), []);
});
