// A town's generated statements and the office's privacy page: both public pages
// (/t/musterstadt/datenschutz and /barrierefreiheit) in German and English render without
// script and pass axe-core (WCAG 2.1 A/AA); an admin sees the inventory table, fills in the
// town's details, edits a statement, sees the edit on the public page, and resets it.
// Run from the repository root: node --test tests/browser/privacy-pages.test.mjs
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

const PAGES = [
  ['datenschutz', 'de', 'Datenschutzhinweise zu den Beteiligungswidgets', 'Speicherdauer'],
  ['datenschutz', 'en', 'Privacy notice for the participation widgets', 'How long data are kept'],
  ['barrierefreiheit', 'de', 'Erklärung zur Barrierefreiheit', 'Nicht barrierefreie Inhalte'],
  ['barrierefreiheit', 'en', 'Accessibility statement', 'Content that is not accessible'],
];

test('both statements render in German and English, without script, and pass axe-core', async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  for (const [path, lang, title, section] of PAGES) {
    const url = `${server.url}/t/musterstadt/${path}${lang === 'en' ? '?lang=en' : ''}`;
    const response = await page.goto(url);
    assert.equal(response.status(), 200, url);
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    assert.deepEqual(await page.getByRole('heading', { level: 1 }).allTextContents(), [title]);
    await page.getByRole('heading', { level: 2, name: section }).waitFor();
    assert.ok((await page.getByRole('heading', { level: 2 }).count()) >= 6, `${url}: sections`);
    assert.equal(await page.locator('script').count(), 0);
    assert.match(await page.title(), /Musterstadt/);
    // The town has not filled in its details yet: the text says so, visibly marked.
    assert.ok((await page.locator('mark').count()) >= 1, `${url}: placeholders`);
    await screenshot(page, `privacy-page-${path}-${lang}.png`);
    assert.deepEqual(await axeViolations(page), [], url);
    assert.deepEqual(await page.evaluate(() => window.__violations), [], `${url}: CSP`);
  }
  // The pages link each other and the other language.
  await page.goto(`${server.url}/t/musterstadt/datenschutz`);
  await page.getByRole('link', { name: 'Erklärung zur Barrierefreiheit' }).click();
  await page.getByRole('heading', { level: 1, name: 'Erklärung zur Barrierefreiheit' }).waitFor();
  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Accessibility statement' }).waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an admin sees the inventory, fills in the details, edits a statement and resets it', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/office`);
  await page.getByLabel('E-Mail-Adresse').fill(server.logins.admin.email);
  await page.getByLabel('Passwort').fill(server.logins.admin.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();
  page.problems.length = 0; // the office asks who is logged in before the login: a 401
  await page.getByRole('button', { name: 'Datenschutz', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Datenschutz' }).waitFor();

  // The inventory: a row per kind, named as in the privacy notice, with the town's rule.
  const table = page.getByRole('table', { name: /Personenbezogene Daten nach Art/ });
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), 9);
  const links = table.getByRole('row', { name: /Links zum Verfolgen einer Meldung/ });
  assert.match(await links.textContent(), /ungültig 90 Tage nach Abschluss der Meldung/);
  const accounts = table.getByRole('row', { name: /Konten der Bearbeitenden/ });
  assert.match(await accounts.locator('td').first().textContent(), /^[1-9]\d*$/, 'the demo officials');
  await page.locator('#statement-fields').waitFor();
  await screenshot(page, 'privacy-office-inventory.png');
  assert.deepEqual(await axeViolations(page), [], 'office privacy page');

  // A bad link is refused in place, and focus goes to it.
  await page.getByLabel('Verantwortliche Stelle').fill('Gemeinde Musterstadt\nMarktplatz 1\n36037 Musterstadt');
  await page.getByLabel('Link zum Schlichtungs- oder Durchsetzungsverfahren').fill('javascript:alert(1)');
  await page.getByRole('button', { name: 'Angaben speichern' }).click();
  const link = page.locator('#st-enforcement');
  await page.locator('#st-enforcement[aria-invalid="true"]').waitFor();
  // The office marks the field, then moves focus to it in the same update; under load the
  // focus can land a moment after the mark (one CI run read it in between).
  await page.waitForFunction(() => document.activeElement?.id === 'st-enforcement', null, { timeout: 5000 }).catch(() => {});
  assert.equal(await page.evaluate(() => document.activeElement.id), 'st-enforcement');
  assert.notEqual((await page.locator('#st-enforcement-err').textContent()).trim(), '');
  await screenshot(page, 'privacy-office-refused.png');
  await link.fill('https://www.schlichtungsstelle-bgg.de/');
  await page.getByLabel('E-Mail für Hinweise auf Barrieren').fill('barrierefrei@musterstadt.example');
  await page.getByRole('button', { name: 'Angaben speichern' }).click();
  await page.locator('#statement-fields [role=status]', { hasText: 'Gespeichert.' }).waitFor();
  // The untouched texts follow the details at once.
  const privacyDe = page.getByLabel('Datenschutzhinweise zu den Beteiligungswidgets: Text auf Deutsch', { exact: true });
  assert.match(await privacyDe.inputValue(), /## Verantwortliche Stelle\n\nGemeinde Musterstadt\nMarktplatz 1/);

  // Edit the German accessibility statement, with markup that must stay text.
  const editor = page.locator('form.statement-text', { has: page.locator('#st-accessibility-de') });
  const text = '## Unsere Erklärung\n\nDie Widgets prüfen wir selbst. <b>Nicht fett</b>\n\n- Karte: siehe Liste';
  await editor.getByRole('textbox').fill(text);
  await editor.getByRole('button', { name: 'Text speichern' }).click();
  await editor.locator('[role=status]', { hasText: 'Text gespeichert.' }).waitFor();
  await editor.getByText('Bearbeitet: folgt den Einstellungen nicht mehr').waitFor();
  await editor.scrollIntoViewIfNeeded();
  await screenshot(page, 'privacy-office-edited.png');
  assert.deepEqual(await axeViolations(page), [], 'office privacy page, edited');

  await editor.getByRole('link', { name: 'Öffentliche Seite ansehen (Deutsch)' }).click();
  await page.getByRole('heading', { level: 2, name: 'Unsere Erklärung' }).waitFor();
  assert.equal(await page.getByText('Die Widgets prüfen wir selbst. <b>Nicht fett</b>').count(), 1);
  assert.equal(await page.locator('main b').count(), 0, 'no markup from the text');
  assert.equal(await page.locator('main li').textContent(), 'Karte: siehe Liste');
  await screenshot(page, 'privacy-page-edited.png');
  assert.deepEqual(await axeViolations(page), [], 'edited public page');

  // Back in the office: reset to the generated text.
  await page.goBack();
  await editor.getByRole('button', { name: 'Auf automatischen Text zurücksetzen' }).click();
  await editor.locator('[role=status]', { hasText: 'Der automatisch erstellte Text gilt wieder.' }).waitFor();
  assert.match(await editor.getByRole('textbox').inputValue(), /## Stand der Vereinbarkeit mit den Anforderungen/);
  assert.equal(await editor.getByRole('button', { name: 'Auf automatischen Text zurücksetzen' }).count(), 0);
  await page.goto(`${server.url}/t/musterstadt/barrierefreiheit`);
  await page.getByRole('heading', { level: 2, name: 'Stand der Vereinbarkeit mit den Anforderungen' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'barrierefrei@musterstadt.example' }).getAttribute('href'),
    'mailto:barrierefrei@musterstadt.example');
  assert.deepEqual(page.problems.filter((p) => !/HTTP 422/.test(p)), []);
  await page.context().close();
});
