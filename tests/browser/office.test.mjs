// The office page in headless Chromium against the real civickit server (demo town Musterstadt).
// Run from the repository root: node --test --test-concurrency=1 tests/browser
// Env: CIVICKIT_BIN (server binary), CIVICKIT_DIST (target/dist), CIVICKIT_TEST_OUTPUT (screenshots).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '../../www/node_modules/playwright-core/index.mjs';

const BIN = process.env.CIVICKIT_BIN || 'target/debug/civickit';
const DIST = process.env.CIVICKIT_DIST || 'target/dist';
const OUT = process.env.CIVICKIT_TEST_OUTPUT || 'test-output';
const PUBLIC_NOTE = 'Der Bauhof richtet den Basketballkorb in dieser Woche.';
const INTERNAL_NOTE = 'Hausmeister Schulz hat den Schlüssel, Tel. 0123-456';

let server;
let dir;
let url;
const logins = {};
let browser;
let reference; // of the Basketballkorb report, once the editor found it

/** Starts `civickit serve --demo` on a free port and reads the logins and the URL it prints. */
function startServer() {
  dir = mkdtempSync(path.join(tmpdir(), 'civickit-office-'));
  server = spawn(BIN, [
    'serve', '--demo', '--demo-history', 'off', '--listen', '127.0.0.1:0',
    '--database', `sqlite://${path.join(dir, 'o.db')}`, '--dist', DIST,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${stderr}`)), 30_000);
    server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}\n${stderr}`)));
    server.stdout.on('data', (d) => {
      out += d;
      for (const m of out.matchAll(/Office login \((\w+)\): (\S+) \/ (\S+)/g)) {
        logins[m[1]] = { email: m[2], password: m[3] };
      }
      const listening = out.match(/listening on (http:\/\/\S+)/);
      if (listening && logins.admin && logins.editor) {
        clearTimeout(timer);
        resolve(listening[1].replace(/\/$/, ''));
      }
    });
  });
}

before(async () => {
  mkdirSync(OUT, { recursive: true });
  assert.ok(existsSync(path.join(DIST, 'office/index.html')),
    `${DIST}/office/index.html is missing: build the office page first`);
  url = await startServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh page (own cookies) that fails the test on uncaught page errors. */
async function newPage(viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: 'de-DE' });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  // The browser logs expected 4xx answers (GET /me before login, a wrong password) as
  // "Failed to load resource"; anything else on the console is a failure.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      page.errors.push(new Error(m.text()));
    }
  });
  return page;
}

async function focusedId(page) {
  return page.evaluate(() => document.activeElement && document.activeElement.id);
}

async function login(page, who) {
  await page.goto(`${url}/office`);
  await page.getByLabel('E-Mail-Adresse').fill(logins[who].email);
  await page.getByLabel('Passwort').fill(logins[who].password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();
}

test('a wrong password shows a clear error and keeps what was typed', async () => {
  const page = await newPage();
  await page.goto(`${url}/office`);
  await page.getByRole('heading', { name: 'Anmeldung für Mitarbeitende' }).waitFor();
  await page.getByLabel('E-Mail-Adresse').fill(logins.admin.email);
  await page.getByLabel('Passwort').fill('falsches-passwort');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Passwort ist falsch' });
  await alert.waitFor();
  assert.equal(await page.getByLabel('E-Mail-Adresse').inputValue(), logins.admin.email);
  // With one town on the server, no tenant field is asked for.
  assert.equal(await page.getByLabel('Gemeinde (Kürzel)').count(), 0);
  await page.screenshot({ path: path.join(OUT, 'office-login-error-desktop.png') });
  // English on request.
  await page.goto(`${url}/office?lang=en`);
  await page.getByRole('heading', { name: 'Staff login' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByRole('button', { name: 'Auf Deutsch umschalten' }).click();
  await page.getByRole('heading', { name: 'Anmeldung für Mitarbeitende' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the editor logs in with the keyboard and moves the red Basketballkorb report to yellow', async () => {
  const page = await newPage();
  await page.goto(`${url}/office`);
  await page.getByRole('heading', { name: 'Anmeldung für Mitarbeitende' }).waitFor();
  // Tab: the skip link comes first and leads into the main content, then to the e-mail field.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Zum Inhalt springen');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main');
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'login-email');
  await page.keyboard.type(logins.editor.email);
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'login-password');
  await page.keyboard.type(logins.editor.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'page-heading');
  // Editors have no department filter and no admin areas.
  assert.equal(await page.getByLabel('Abteilung', { exact: true }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Protokoll' }).count(), 0);

  // Search, with the keyboard as well.
  await page.getByLabel('Suche', { exact: true }).focus();
  await page.keyboard.type('Basketballkorb');
  await page.keyboard.press('Enter');
  const rows = page.locator('ul.reports button.report');
  await page.waitForFunction(() => {
    const r = [...document.querySelectorAll('ul.reports button.report')];
    return r.length > 0 && r.every((b) => b.textContent.includes('Basketballkorb'));
  });
  const row = rows.filter({ hasText: 'Basketballkorb' }).first();
  // Red, with a word and a shape, not colour alone.
  await row.getByText('eingegangen').waitFor();
  assert.match(await row.locator('.badge.state').getAttribute('class'), /\bred\b.*\btriangle\b/);
  reference = (await row.locator('.ref').textContent()).trim();
  assert.match(reference, /^M-\d{4}-\d{5}$/);
  await row.focus();
  await page.keyboard.press('Enter');
  const heading = page.locator('#detail-heading');
  await heading.filter({ hasText: reference }).waitFor();
  await page.locator('.description').filter({ hasText: 'Basketballkorb am Sportplatz hängt schief.' }).first().waitFor();

  // Closing without a reason: the error is next to the field and the typed notes stay.
  await page.getByLabel('Neuer Status').selectOption('closed');
  await page.getByLabel('Öffentliche Mitteilung').fill(PUBLIC_NOTE);
  await page.getByLabel('Interne Notiz (optional)').fill(INTERNAL_NOTE);
  await page.getByRole('button', { name: 'Status speichern' }).click();
  await page.locator('#st-reason-err').filter({ hasText: 'Bitte ausfüllen.' }).waitFor();
  assert.equal(await page.getByLabel('Grund für den Abschluss').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Öffentliche Mitteilung').inputValue(), PUBLIC_NOTE);
  assert.equal(await page.getByLabel('Interne Notiz (optional)').inputValue(), INTERNAL_NOTE);

  // Yellow: in progress, with a text template first, then the official's own words.
  await page.getByLabel('Neuer Status').selectOption('in_progress');
  await page.getByLabel('Textbaustein').selectOption({ index: 1 });
  assert.match(await page.getByLabel('Öffentliche Mitteilung').inputValue(), /zuständige Stelle/);
  await page.getByLabel('Öffentliche Mitteilung').fill(PUBLIC_NOTE);
  await page.getByRole('button', { name: 'Status speichern' }).click();
  await page.getByRole('status').filter({ hasText: 'Status gespeichert.' }).waitFor();
  await page.locator('.detail .badges').getByText('in Bearbeitung').waitFor();
  await page.locator('.history .note.public').filter({ hasText: PUBLIC_NOTE }).waitFor();
  await page.locator('.history .note.internal').filter({ hasText: INTERNAL_NOTE }).waitFor();
  await row.getByText('in Bearbeitung').waitFor(); // the list follows
  assert.equal(await page.getByLabel('Öffentliche Mitteilung').inputValue(), '', 'cleared after saving');
  await page.screenshot({ path: path.join(OUT, 'office-status-saved-desktop.png') });
  await page.locator('.detail-pane').evaluate((e) => { e.scrollTop = 0; });
  await page.screenshot({ path: path.join(OUT, 'office-inbox-desktop.png') });
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // The public widget API shows yellow with the public note, never the internal one.
  const r = await fetch(`${url}/api/v1/musterstadt/reports/${reference}`);
  assert.equal(r.status, 200);
  const pub = await r.json();
  assert.equal(pub.status, 'in_progress');
  assert.ok(pub.notes.some((n) => n.text === PUBLIC_NOTE && n.status === 'in_progress'), JSON.stringify(pub.notes));
  assert.ok(!JSON.stringify(pub).includes('Schulz'));
});

test('the demo page shows the change to citizens', async (t) => {
  assert.ok(reference, 'the previous test found the report');
  if (!existsSync(path.join(DIST, 'widgets/civic.js'))) {
    t.skip('no widget bundle in dist');
    return;
  }
  const page = await newPage();
  await page.goto(`${url}/`);
  const toggle = page.getByRole('button', { name: 'Als Liste anzeigen' });
  await toggle.click();
  const item = page.locator(`civic-reports [data-ref="${reference}"]`);
  await item.waitFor();
  assert.equal(await item.getAttribute('data-status'), 'in_progress');
  await item.getByText('in Bearbeitung').first().waitFor();
  await item.getByRole('button', { name: `Details ${reference}` }).click();
  await page.locator('civic-reports').getByText(PUBLIC_NOTE).waitFor();
  assert.ok(!(await page.locator('civic-reports').textContent()).includes('Schulz'));
  await page.context().close();
});

test('an admin sees the change in the audit log, the settings and the embed code', async () => {
  assert.ok(reference, 'the previous test changed the report');
  const page = await newPage();
  await login(page, 'admin');
  // Admins filter by department.
  await page.getByLabel('Abteilung', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Protokoll' }).click();
  await page.getByRole('heading', { level: 1, name: 'Protokoll' }).waitFor();
  const entry = page.locator('tbody tr').filter({ hasText: reference }).filter({ hasText: 'Status geändert' });
  await entry.first().waitFor();
  const text = await entry.first().textContent();
  assert.ok(text.includes(logins.editor.email), text);
  assert.ok(text.includes('received → in_progress'), text);
  await page.screenshot({ path: path.join(OUT, 'office-audit-desktop.png') });

  await page.getByRole('button', { name: 'Gemeinde', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Gemeinde' }).waitFor();
  const days = page.getByLabel('Reaktionsfrist in Tagen');
  await page.waitForFunction(() => document.getElementById('set-days')?.value === '3');
  await days.fill('0');
  await page.getByRole('button', { name: 'Einstellungen speichern' }).click();
  await page.locator('#set-days-err').filter({ hasText: 'nicht zulässig' }).waitFor();
  assert.equal(await days.inputValue(), '0', 'what was typed stays');
  await days.fill('5');
  await page.getByRole('button', { name: 'Einstellungen speichern' }).click();
  await page.getByRole('status').filter({ hasText: 'Einstellungen gespeichert.' }).waitFor();

  await page.getByRole('button', { name: 'Einbinden' }).click();
  const snippet = await page.getByLabel('Mängelmelder', { exact: true }).inputValue();
  assert.equal(snippet,
    `<script src="${url}/widgets/civic.js" defer></script>\n<civic-reports data-tenant="musterstadt"></civic-reports>`);
  assert.match(await page.getByLabel('Bürgerbriefkasten').inputValue(), /<civic-mailbox data-tenant="musterstadt">/);
  await page.locator('iframe.preview').waitFor();
  await page.screenshot({ path: path.join(OUT, 'office-embed-desktop.png') });
  const built = existsSync(path.join(DIST, 'widgets/civic.js'));
  const preview = page.frameLocator('iframe.preview');
  if (built) {
    // The live preview is the real widget, loaded from this server.
    await preview.getByRole('heading', { name: /Musterstadt/ }).waitFor();
    await page.locator('iframe.preview').scrollIntoViewIfNeeded();
    await page.locator('iframe.preview').screenshot({ path: path.join(OUT, 'office-embed-preview.png') });
  }
  // For a CMS that strips unknown tags: the <div> form; in English. The preview follows.
  await page.getByLabel('Form des Codes').selectOption('div');
  await page.getByLabel('Sprache der Widgets').selectOption('en');
  assert.equal(await page.getByLabel('Mängelmelder', { exact: true }).inputValue(),
    `<script src="${url}/widgets/civic.js" defer></script>\n<div data-civic-widget="reports" data-tenant="musterstadt" data-lang="en"></div>`);
  if (built) await preview.locator('div[data-civic-widget="reports"]').getByRole('button', { name: 'Report a problem' }).waitFor();
  // WordPress: the shortcode, which every role may write, and the plugin from this server.
  await page.getByLabel('Form des Codes').selectOption('shortcode');
  assert.equal(await page.getByLabel('Umfrage', { exact: true }).inputValue(),
    '[civickit widget="poll" tenant="musterstadt" poll="UMFRAGE-ID" lang="en"]');
  assert.equal(await page.getByLabel('Bearbeitungsstatistik', { exact: true }).inputValue(),
    '[civickit widget="stats" tenant="musterstadt" lang="en"]');
  await page.getByText(`Einstellungen → civickit: Adresse des civickit-Servers ${url}, Standard-Gemeinde musterstadt.`).waitFor();
  const plugin = page.getByRole('link', { name: 'Plugin herunterladen (civickit-wordpress.zip)' });
  if (built) {
    const zip = await page.evaluate(async (href) => {
      const r = await fetch(href);
      return { status: r.status, type: r.headers.get('content-type'), bytes: (await r.arrayBuffer()).byteLength };
    }, await plugin.getAttribute('href'));
    assert.deepEqual([zip.status, zip.type], [200, 'application/zip']);
    assert.ok(zip.bytes > 5000, `the plugin's zip (${zip.bytes} bytes)`);
  }
  await page.getByLabel('Widget in der Vorschau').selectOption('mailbox');
  if (built) await preview.locator('civic-mailbox').getByRole('heading', { name: 'Citizen mailbox Musterstadt' }).waitFor();
  await page.screenshot({ path: path.join(OUT, 'office-embed-wordpress.png'), fullPage: true });

  // Logout everywhere ends the session.
  await page.getByRole('button', { name: 'Überall abmelden' }).click();
  await page.getByText('Sie wurden auf allen Geräten abgemeldet.').waitFor();
  const me = await page.evaluate(async () => (await fetch('/office/api/me')).status);
  assert.equal(me, 401);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the editor notes, edits, hides, re-categorises and routes a report away', async () => {
  const page = await newPage();
  await login(page, 'editor');
  await page.getByLabel('Suche', { exact: true }).fill('Wilder Müll');
  await page.getByRole('button', { name: 'Suchen' }).click();
  const row = page.locator('ul.reports button.report').filter({ hasText: 'Wilder Müll' });
  await page.waitForFunction(() => {
    const r = [...document.querySelectorAll('ul.reports button.report')];
    return r.length === 1 && r[0].textContent.includes('Wilder Müll');
  });
  const ref = (await row.locator('.ref').textContent()).trim();
  await row.click();
  await page.locator('#detail-heading').filter({ hasText: ref }).waitFor();

  await page.getByLabel('Interne Notiz', { exact: true }).fill('Rückruf beim Ordnungsamt am Montag');
  await page.getByRole('button', { name: 'Notiz speichern' }).click();
  await page.getByRole('status').filter({ hasText: 'Notiz gespeichert.' }).waitFor();
  await page.locator('.history .note.internal').filter({ hasText: 'Rückruf beim Ordnungsamt' }).waitFor();

  // Personal data out of the public description; the original stays visible to staff.
  const original = await page.getByLabel('Beschreibung (öffentlich)').inputValue();
  assert.match(original, /Wilder Müll/);
  await page.getByLabel('Beschreibung (öffentlich)').fill('Wilder Müll am Parkplatz Waldweg.');
  await page.getByRole('button', { name: 'Beschreibung speichern' }).click();
  await page.getByRole('status').filter({ hasText: 'Beschreibung gespeichert.' }).waitFor();
  await page.locator('details.original').getByText(original).waitFor({ state: 'attached' });
  const pub = await (await fetch(`${url}/api/v1/musterstadt/reports/${ref}`)).json();
  assert.equal(pub.description, 'Wilder Müll am Parkplatz Waldweg.');

  await page.getByRole('button', { name: 'Meldung verbergen' }).click();
  await page.getByRole('status').filter({ hasText: 'Meldung verborgen.' }).waitFor();
  await row.getByText('verborgen').waitFor();
  const list = await (await fetch(`${url}/api/v1/musterstadt/reports`)).json();
  assert.ok(!list.reports.some((r) => r.ref === ref), 'hidden from the public');
  await page.getByRole('button', { name: 'Meldung wieder anzeigen' }).click();
  await page.getByRole('status').filter({ hasText: 'Meldung wieder sichtbar.' }).waitFor();

  // Another Bauhof category keeps it here.
  await page.locator('#cat-select').selectOption({ label: 'Spielplätze und Sportanlagen' });
  await page.getByRole('button', { name: 'Kategorie speichern' }).click();
  await page.getByRole('status').filter({ hasText: 'Kategorie gespeichert.' }).waitFor();
  await page.locator('#detail-heading').getByText('Spielplätze und Sportanlagen').waitFor();

  // Routed to another department, the report leaves the Bauhof editor's inbox.
  await page.locator('#dep-select').selectOption({ label: 'Tiefbauamt' });
  await page.getByRole('button', { name: 'Weiterleiten' }).click();
  await page.getByText('an eine andere Abteilung weitergeleitet').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('ul.reports button.report').length === 0);
  assert.equal(await page.locator('#detail-heading').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the office works on a phone (375 px and 320 px, no sideways scrolling)', async () => {
  const page = await newPage({ width: 375, height: 740 });
  await page.goto(`${url}/office`);
  await page.getByRole('heading', { name: 'Anmeldung für Mitarbeitende' }).waitFor();
  await page.screenshot({ path: path.join(OUT, 'office-login-phone.png') });
  await login(page, 'editor');
  await page.locator('ul.reports button.report').first().waitFor();
  await page.screenshot({ path: path.join(OUT, 'office-inbox-phone.png'), fullPage: false });
  await page.locator('ul.reports button.report').filter({ hasText: 'Basketballkorb' }).click();
  await page.locator('#detail-heading').waitFor();
  await page.locator('#detail-heading').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(OUT, 'office-detail-phone.png') });
  for (const width of [375, 320]) {
    await page.setViewportSize({ width, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${width}px: ${overflow}px sideways scrolling`);
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('with a second town on the server, the login asks for the town', async () => {
  execFileSync(BIN, ['tenant', 'add', '--database', `sqlite://${path.join(dir, 'o.db')}`,
    '--slug', 'nachbardorf', '--name', 'Nachbardorf', '--center', '48.0,11.0',
    '--area', '47.99,10.99;47.99,11.01;48.01,11.01;48.01,10.99'], { stdio: 'pipe' });
  const page = await newPage();
  await page.goto(`${url}/office`);
  await page.getByLabel('E-Mail-Adresse').fill(logins.editor.email);
  await page.getByLabel('Passwort').fill(logins.editor.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('alert').filter({ hasText: 'Bitte geben Sie zusätzlich Ihre Gemeinde an.' }).waitFor();
  const tenant = page.getByLabel('Gemeinde (Kürzel)');
  await page.waitForFunction(() => document.activeElement?.id === 'login-tenant');
  assert.equal(await page.getByLabel('Passwort').inputValue(), logins.editor.password, 'nothing typed is lost');
  await tenant.fill('nachbarstadt');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: 'Diese Gemeinde kennt der Server nicht.' }).waitFor();
  await tenant.fill('musterstadt');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
