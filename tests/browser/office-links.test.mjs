// Deep links into the office page (crates/office-ui/src/routes.rs): every page has its own URL,
// choosing a report or message changes it, back and forward work, and a link opened while
// logged out shows the login and then the page it names.
// Run from the repository root: node --test tests/browser/office-links.test.mjs
// Env: CIVICKIT_BIN, CIVICKIT_DIST, CIVICKIT_TEST_OUTPUT (see harness.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, screenshot } from './harness.mjs';

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

async function login(page, who) {
  await page.getByLabel('E-Mail-Adresse').fill(server.logins[who].email);
  await page.getByLabel('Passwort').fill(server.logins[who].password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
}

const path = (page) => new URL(page.url()).pathname;
const detailHeading = (page) => page.locator('#detail-heading');

/** Problems other than the expected 401 of GET /me before the login. */
function problems(page) {
  return page.problems.filter((p) => !/HTTP 401: .*\/office\/api\/me$/.test(p));
}

test('choosing reports changes the URL, and back and forward reopen them', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/office`);
  await login(page, 'admin');
  await page.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();
  const rows = page.locator('ul.reports li button.report');
  await rows.nth(1).waitFor();
  const first = await rows.nth(0).locator('.ref').textContent();
  const second = await rows.nth(1).locator('.ref').textContent();

  await rows.nth(0).click();
  await detailHeading(page).filter({ hasText: first }).waitFor();
  assert.equal(path(page), `/office/reports/${first}`);
  await rows.nth(1).click();
  await detailHeading(page).filter({ hasText: second }).waitFor();
  assert.equal(path(page), `/office/reports/${second}`);
  assert.equal(await rows.nth(1).getAttribute('aria-current'), 'true');

  await page.goBack();
  await detailHeading(page).filter({ hasText: first }).waitFor();
  assert.equal(path(page), `/office/reports/${first}`);
  await page.goForward();
  await detailHeading(page).filter({ hasText: second }).waitFor();

  // Back to the list (the "←" button shows on narrow screens; the navigation does it here).
  await page.getByRole('button', { name: 'Meldungen', exact: true }).click();
  await page.locator('.pick').waitFor();
  assert.equal(path(page), '/office');

  // The other pages have their URLs too, and keep ?lang=en.
  await page.getByRole('button', { name: 'Gemeinde', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Gemeinde' }).waitFor();
  assert.equal(path(page), '/office/town');
  await page.locator('#lang-switch').click();
  await page.getByRole('button', { name: 'Audit log' }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  assert.equal(new URL(page.url()).search, '?lang=en');
  assert.equal(path(page), '/office/audit');
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'Town' }).waitFor();
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('a link to a report opened while logged out shows the login, then that report', async () => {
  const probe = await newPage(browser);
  await probe.goto(`${server.url}/office`);
  await login(probe, 'admin');
  const ref = await probe.locator('ul.reports li .ref').first().textContent();
  await probe.context().close();

  const page = await newPage(browser);
  await page.goto(`${server.url}/office/reports/${ref}`);
  await page.getByRole('heading', { name: 'Anmeldung für Mitarbeitende' }).waitFor();
  await login(page, 'admin');
  await detailHeading(page).filter({ hasText: ref }).waitFor();
  assert.equal(path(page), `/office/reports/${ref}`);
  await screenshot(page, 'office-deep-link-report.png');
  await page.waitForLoadState('networkidle');

  // Further deep links in the same session: a poll's results, the mailbox, its settings.
  await page.goto(`${server.url}/office/polls/spielplatz`);
  await page.getByRole('heading', { name: 'Ergebnisse: Abstimmung: Der neue Spielplatz Am Anger' }).waitFor();
  await page.goto(`${server.url}/office/messages`);
  await page.getByRole('heading', { level: 1, name: 'Bürgerbriefkasten' }).waitFor();
  await page.goto(`${server.url}/office/mailbox-settings`);
  await page.locator('#m-retention').waitFor();
  assert.deepEqual(problems(page), []);
  await page.context().close();
});
