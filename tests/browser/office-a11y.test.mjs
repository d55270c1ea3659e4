// axe-core (www/node_modules/axe-core, pinned in www/package.json) on the office page: the inbox,
// a report's detail, the town page (with its map), the polls page and the embed page must have no
// violation of the WCAG 2.1 A and AA rules. Run from the repository root: node --test tests/browser/office-a11y.test.mjs
// Env: CIVICKIT_BIN, CIVICKIT_DIST, CIVICKIT_TEST_OUTPUT (see harness.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, screenshot, axeViolations } from './harness.mjs';


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


test('the office inbox, a report, the town page, the polls and the embed page pass axe-core (WCAG 2.1 A/AA)', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/office`);
  await page.getByLabel('E-Mail-Adresse').fill(server.logins.admin.email);
  await page.getByLabel('Passwort').fill(server.logins.admin.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();
  // Every state of the demo town is in the list, the yellow "in Bearbeitung" among them.
  await page.locator('ul.reports li').first().waitFor();
  await page.locator('.badge.state.yellow').first().waitFor();
  await screenshot(page, 'office-a11y-inbox.png');
  assert.deepEqual(await axeViolations(page), [], 'inbox');

  await page.locator('ul.reports li button').first().click();
  await page.locator('#detail-heading').waitFor();
  await screenshot(page, 'office-a11y-report.png');
  assert.deepEqual(await axeViolations(page), [], 'report detail');

  await page.getByRole('button', { name: 'Gemeinde', exact: true }).click();
  await page.getByLabel('Reaktionsfrist in Tagen').waitFor();
  await page.locator('.map .leaflet-tile-pane img').first().waitFor();
  await page.locator('table.categories tbody tr').first().waitFor();
  await page.locator('ol.kinds li').first().waitFor();
  await screenshot(page, 'office-a11y-town.png');
  assert.deepEqual(await axeViolations(page), [], 'town page');

  await page.getByRole('button', { name: 'Umfragen', exact: true }).click();
  await page.locator('table.polls-list tbody tr').first().waitFor();
  await screenshot(page, 'office-a11y-polls.png');
  assert.deepEqual(await axeViolations(page), [], 'polls');

  // The embed page with everything shown: the WordPress form and its plugin steps.
  await page.getByRole('button', { name: 'Einbinden', exact: true }).click();
  await page.getByLabel('Form des Codes').selectOption('shortcode');
  await page.getByRole('heading', { level: 2, name: 'WordPress-Plugin' }).waitFor();
  await screenshot(page, 'office-a11y-embed.png');
  assert.deepEqual(await axeViolations(page), [], 'embed page');
  await page.context().close();
});
