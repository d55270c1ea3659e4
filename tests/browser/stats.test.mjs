// <civic-stats> (issue 17) in headless Chromium against the real civickit server: the demo
// town's figures from its seeded history on a page of another origin, each chart beside its
// table, "< 5" for a small town, the filters with the keyboard alone, axe-core, no map code;
// the county view with two towns; the office's exact figures per department for an admin.
//
// The widget is compared with the server's own answer (`GET /stats`, whose arithmetic the
// server's tests check against figures worked out by hand): what is asserted here is that the
// reader sees exactly those numbers, in German notation, in chart, sentence and table alike.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BIN, OUT, startServer, startHostPages, launchBrowser, newPage, until, focused, tabTo, axeViolations,
  altcha, officeLogin,
} from './harness.mjs';

const SMALL = 'kleinhausen';
let server;
let host;
let browser;

const cli = (...args) => promisify(execFile)(BIN, [...args.slice(0, 2), '--database', server.database, ...args.slice(2)]);

before(async () => {
  server = await startServer({ history: true });
  browser = await launchBrowser();
  // A second, small town with two reports in one category (a cell of "< 5"), and both towns
  // in the county view. All of it before the first statistics are asked for: they are kept
  // for 5 minutes.
  await cli('tenant', 'add', '--slug', SMALL, '--name', 'Kleinhausen', '--center', '51.0,10.0',
    '--area', '50.99,9.99;50.99,10.01;51.01,10.01;51.01,9.99');
  for (const slug of ['musterstadt', SMALL]) await cli('tenant', 'set', '--slug', slug, '--county-stats', 'on');
  await Promise.all([1, 2].map(async (i) => {
    const res = await fetch(`${server.url}/api/v1/${SMALL}/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ category: 'muell', position: { lat: 51.0 + i / 1000, lng: 10.0 }, website: '',
        description: `Sperrmüll am Dorfteich, Haufen ${i}.`, altcha: await altcha(server, 'report', { tenant: SMALL }) }),
    });
    assert.equal(res.status, 201, await res.text());
  }));
  const page = (attrs) => `<!doctype html><html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Statistik</title></head>
    <body><main><h1>Wie schnell arbeitet die Verwaltung?</h1>
    <script src="${server.url}/widgets/civic.js" defer></script><civic-stats ${attrs}></civic-stats></main></body></html>`;
  host = await startHostPages({
    '/': { html: page('data-tenant="musterstadt"') },
    '/klein': { html: page(`data-tenant="${SMALL}" data-lang="en"`) },
    '/kreis': { html: page('data-county') },
  });
});

after(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
});

const de = new Intl.NumberFormat('de-DE');
/** A count as the widget writes it in German. */
const count = (c) => (c === '<5' ? '< 5' : de.format(c));
const figure = (x) => (x === undefined || x === null ? '–' : de.format(x));
const percent = (x) => (x === undefined || x === null ? '–' : `${de.format(x)} %`);
/** A cell's figures as the widget's tables write them (every figure, p90 too). */
const cells = (f) => [count(f.received), percent(f.within_promise), figure(f.first_reaction?.median),
  figure(f.first_reaction?.p90), figure(f.resolution?.median), figure(f.resolution?.p90)];

async function stats(path) {
  const res = await fetch(server.url + path);
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  assert.equal(res.headers.get('access-control-allow-origin'), '*', 'public: CORS for every origin');
  return res.json();
}

/** The rows of the table captioned `caption` ([header, ...cells]) inside the widget. */
function rows(w, caption) {
  return w.locator('table', { has: w.page().locator('caption', { hasText: caption }) })
    .locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
}

/** The bars of the chart in the section headed `heading`: [label, number]. */
function bars(w, heading) {
  return w.locator('section', { has: w.page().getByRole('heading', { level: 3, name: heading, exact: true }) })
    .locator('.civic-chart-item').evaluateAll((items) => items.map((i) => [
      i.querySelector('.civic-chart-label').textContent, i.querySelector('.civic-chart-value').textContent]));
}

/** Every request the page makes, to check that no map code is among them. */
function record(page) {
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

test('the demo town on another origin: headline numbers, each chart with its table and sentence, no map code', async () => {
  const page = await newPage(browser);
  const requested = record(page);
  await page.goto(host.url + '/');
  const w = page.locator('civic-stats');
  await w.getByRole('heading', { level: 2, name: 'Bearbeitungsstatistik Musterstadt' }).waitFor();
  await w.locator('.civic-kpis').waitFor();
  const a = await stats('/api/v1/musterstadt/stats?period=12');
  assert.ok(a.by_category.length >= 4 && a.by_month.length === 12, 'the demo history has categories and 12 months');

  // Headline numbers.
  const kpis = Object.fromEntries(await w.locator('.civic-kpis div').evaluateAll((ds) => ds.map((d) =>
    [d.querySelector('dt').textContent, d.querySelector('dd').textContent])));
  assert.equal(kpis['Eingegangene Meldungen'], count(a.total.received));
  assert.equal(kpis[`Erste Reaktion innerhalb von ${a.promise_days} Tagen`], percent(a.total.within_promise));
  const days = (x) => (x === undefined ? '–' : `${de.format(x)} ${x === 1 ? 'Tag' : 'Tage'}`);
  assert.equal(kpis['Median bis zur ersten Reaktion'], days(a.total.first_reaction?.median));
  assert.equal(kpis['Median bis zur Erledigung'], days(a.total.resolution?.median));
  assert.match(kpis['Derzeit offen'], /eingegangen/);
  assert.match(await w.locator('.civic-meta').first().textContent(), /Alle Kategorien · Stand: \d+\. \w+ \d{4} um \d\d:\d\d/);

  // Per category: the chart, its sentence and its table say the same.
  const catRows = await rows(w, 'Meldungen nach Kategorie: alle Zahlen');
  assert.deepEqual(catRows, [...a.by_category.map((c) => [c.name, ...cells(c.figures)]), ['Alle Kategorien', ...cells(a.total)]]);
  assert.deepEqual(await bars(w, 'Meldungen nach Kategorie'), a.by_category.map((c) => [c.name, count(c.figures.received)]));
  const top = a.by_category.filter((c) => typeof c.figures.received === 'number')
    .reduce((b, c) => (c.figures.received > b.figures.received ? c : b));
  await w.getByText(`Die meisten Meldungen betrafen ${top.name} (${count(top.figures.received)}).`).waitFor();
  // Per month: twelve columns, twelve rows and the total.
  const monthRows = await rows(w, 'Meldungen nach Monat: alle Zahlen');
  assert.equal(monthRows.length, 13);
  assert.deepEqual(monthRows.map((r) => r.slice(1)), [...a.by_month.map((m) => cells(m.figures)), cells(a.total)]);
  const monthBars = await bars(w, 'Meldungen nach Monat');
  assert.deepEqual(monthBars.map((b) => b[1]), a.by_month.map((m) => count(m.figures.received)));
  assert.match(monthRows[11][0], /^(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}$/);
  // The charts are drawn (a bar per figure), hidden from screen readers: the tables are their equivalent.
  assert.equal(await w.locator('.civic-chart svg rect').count(), a.by_category.length + 12);
  for (const chart of await w.locator('.civic-chart').all()) assert.equal(await chart.getAttribute('aria-hidden'), 'true');
  const longest = await w.locator('.civic-chart').first().locator('rect').evaluateAll((rs) => Math.max(...rs.map((r) => +r.getAttribute('width'))));
  assert.equal(longest, 100, 'the largest category fills its bar');

  // Closed without a fix and the mailbox, as tables.
  const closed = await rows(w, 'Ohne Behebung abgeschlossen');
  assert.equal(closed.length, 4);
  assert.deepEqual(closed.map((r) => r[1]), a.closed_without_fix.map((r) => count(r.count)));
  const mailbox = await rows(w, 'Bürgerbriefkasten');
  assert.deepEqual(mailbox.at(-1), ['Gesamt', count(a.mailbox.received)]);
  // German notation: a decimal comma wherever a figure has decimals.
  const text = await w.locator('.civic-stats-results').textContent();
  assert.doesNotMatch(text, /\d\.\d (Tage|%)/, 'no decimal point in German');
  await w.getByText('Median: Die Hälfte der Meldungen war schneller.', { exact: false }).waitFor();

  for (const u of requested) assert.doesNotMatch(u, /leaflet|civic_reports|civic_mailbox|civic_poll|tiles|pow\.js/, `no map code: ${u}`);
  assert.ok(requested.some((u) => /\/widgets\/civic_stats_bg\.wasm/.test(u)), 'its own wasm');
  // The loader asked for the first figures while the wasm compiled, and the widget took them.
  assert.deepEqual(requested.filter((u) => u.includes('/stats?')), [`${server.url}/api/v1/musterstadt/stats?period=12&lang=de`]);
  assert.deepEqual(await axeViolations(page, 'civic-stats'), []);
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the filters with the keyboard alone: category and period re-render and are announced, the focus stays', async () => {
  const page = await newPage(browser);
  await page.goto(host.url + '/');
  const w = page.locator('civic-stats');
  await w.locator('.civic-kpis').waitFor();
  const live = w.locator('[aria-live=polite]');

  await tabTo(page, /^select#civic-st-cat/);
  await page.keyboard.press('ArrowDown');
  const first = await w.locator('#civic-st-cat option').nth(1);
  const [code, name] = [await first.getAttribute('value'), await first.textContent()];
  await until(async () => (await live.textContent()) === `Statistik aktualisiert: ${name}, 12 Monate.`, 'the category announced');
  assert.match(await focused(page), /^select#civic-st-cat/, 'the focus stays on the filter');
  const a = await stats(`/api/v1/musterstadt/stats?period=12&category=${code}`);
  await until(async () => (await w.locator('.civic-meta').first().textContent()).includes(` · ${name} · `), 'the category shown');
  const kpi = await w.locator('.civic-kpis dd').first().textContent();
  assert.equal(kpi, count(a.total.received));
  // The category chart still lists every category, without the "all" row; the months are the category's.
  assert.equal((await rows(w, 'Meldungen nach Kategorie: alle Zahlen')).length, a.by_category.length);
  assert.deepEqual((await rows(w, 'Meldungen nach Monat: alle Zahlen')).at(-1), ['Gesamt', ...cells(a.total)]);

  // The period: Tab to the radio group (its checked radio), an arrow key picks 6 months.
  await tabTo(page, /^input#civic-st-p12/);
  await page.keyboard.press('ArrowLeft');
  await until(async () => (await live.textContent()) === `Statistik aktualisiert: ${name}, 6 Monate.`, 'the period announced');
  assert.match(await focused(page), /^input#civic-st-p6/);
  await until(async () => (await rows(w, 'Meldungen nach Monat: alle Zahlen')).length === 7, 'six months and the total');
  const six = await stats(`/api/v1/musterstadt/stats?period=6&category=${code}`);
  assert.deepEqual((await rows(w, 'Meldungen nach Monat: alle Zahlen')).map((r) => r.slice(1)),
    [...six.by_month.map((m) => cells(m.figures)), cells(six.total)]);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a phone at 390 px: one column, nothing wider than the screen but the tables, which scroll', async () => {
  const page = await newPage(browser, { width: 390, height: 844 }, { hasTouch: true, isMobile: true });
  await page.goto(host.url + '/');
  const w = page.locator('civic-stats');
  await w.locator('.civic-kpis').waitFor();
  await w.screenshot({ path: join(OUT, 'stats-phone.png') });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `the page does not scroll sideways (${wide} px)`);
  const table = w.locator('.civic-table').first();
  assert.equal(await table.getAttribute('tabindex'), '0', 'a table region that scrolls can be scrolled with the keyboard');
  assert.deepEqual(await axeViolations(page, 'civic-stats'), []);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a small town in English: "fewer than 5" and no figures derived from it, with the notes once', async () => {
  const page = await newPage(browser);
  await page.goto(host.url + '/klein');
  const w = page.locator('civic-stats');
  await w.getByRole('heading', { level: 2, name: 'Processing statistics of Kleinhausen' }).waitFor();
  await w.locator('.civic-kpis').waitFor();
  const row = (await rows(w, 'Reports by category: all figures')).find((r) => r[0] === 'Verunreinigungen & Müll');
  assert.deepEqual(row, ['Verunreinigungen & Müll', 'fewer than 5', '–', '–', '–', '–', '–']);
  assert.equal(await w.locator('.civic-kpis dd').first().textContent(), 'fewer than 5');
  const muell = (await bars(w, 'Reports by category')).find((b) => b[0] === 'Verunreinigungen & Müll');
  assert.deepEqual(muell, ['Verunreinigungen & Müll', '< 5']);
  await w.getByText('Fewer than 5 reports everywhere.').first().waitFor();
  assert.equal(await w.getByText('“fewer than 5”: fewer than 5 reports are not given exactly, so that no single case can be identified.').count(), 1);
  assert.equal(await w.getByText('“–”: no figure is computed from fewer than 5 reports', { exact: false }).count(), 1);
  assert.deepEqual(await axeViolations(page, 'civic-stats'), []);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the county view shows both towns side by side, with the period filter only', async () => {
  const page = await newPage(browser);
  const requested = record(page);
  await page.goto(host.url + '/kreis');
  const w = page.locator('civic-stats');
  await w.getByRole('heading', { level: 2, name: 'Bearbeitungsstatistik: Gemeinden im Vergleich' }).waitFor();
  const table = 'Gemeinden im Vergleich: alle Zahlen';
  await w.locator('caption', { hasText: table }).waitFor();
  const c = await stats('/api/v1/county/stats?period=12');
  assert.deepEqual(c.towns.map((t) => t.name), ['Kleinhausen', 'Musterstadt']);
  assert.deepEqual(await rows(w, table), c.towns.map((t) => [t.name, de.format(t.promise_days), ...cells(t.figures), count(t.open)]));
  assert.deepEqual((await bars(w, 'Erste Reaktion innerhalb der Frist der Gemeinde')).map((b) => b[0]), ['Kleinhausen', 'Musterstadt']);
  assert.equal(await w.locator('#civic-st-cat').count(), 0, 'no category filter');
  await tabTo(page, /^input#civic-st-p12/);
  await page.keyboard.press('ArrowLeft');
  await until(async () => (await w.locator('[aria-live=polite]').textContent()) === 'Statistik aktualisiert: 6 Monate.', 'announced');
  await until(async () => (await w.locator('.civic-meta').textContent()).startsWith('6 Monate'), 'six months shown');
  assert.ok(requested.some((u) => u.includes('/api/v1/county/stats?period=6')));
  assert.deepEqual(await axeViolations(page, 'civic-stats'), []);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

/** Logs in to the office page as the demo town's `role` (naming the town: this server has two). */
async function officePage(role) {
  const page = await newPage(browser);
  await page.goto(`${server.url}/office`);
  await page.getByLabel('E-Mail-Adresse').fill(server.logins[role].email);
  await page.getByLabel('Passwort').fill(server.logins[role].password);
  const tenant = page.locator('#login-tenant');
  if (await tenant.count()) await tenant.fill('musterstadt');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  const asked = page.locator('#login-tenant');
  const inbox = page.getByRole('heading', { level: 1, name: 'Meldungen' });
  await Promise.race([asked.waitFor(), inbox.waitFor()]);
  if (!(await inbox.isVisible())) {
    await asked.fill('musterstadt');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await inbox.waitFor();
  }
  return page;
}

/** The refusals the login provokes on a server with two towns. */
const officeProblems = (page) => page.problems.filter((p) => !/HTTP 401: .*\/office\/api\/me$/.test(p)
  && !/HTTP 400: .*\/office\/api\/login$/.test(p));

test('the office page "Statistik" shows an admin the exact figures per department; an editor does not get it', async () => {
  const page = await officePage('admin');
  await page.getByRole('button', { name: 'Statistik', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Statistik' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/office/stats');
  const w = page.locator('civic-stats');
  await w.locator('caption', { hasText: 'Meldungen nach Fachbereich' }).waitFor();
  const session = await officeLogin(server, 'admin');
  const res = await fetch(`${server.url}/office/api/stats?period=12`, { headers: { Cookie: session.cookie } });
  assert.equal(res.status, 200);
  const a = await res.json();
  assert.ok(a.by_department.length > 0);
  assert.deepEqual(await rows(w, 'Meldungen nach Fachbereich'), a.by_department.map((d) => [d.name, ...cells(d.figures)]));
  assert.doesNotMatch(await w.locator('.civic-stats-results').textContent(), /< 5/, 'exact counts in the office');
  assert.equal(await page.locator('script[src="/widgets/civic.js"]').count(), 1, 'the loader added once');
  // Away and back: the page goes with its widget; back, still one loader, a new widget; the
  // focus on the page's heading as on every page.
  await page.getByRole('button', { name: 'Meldungen', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();
  assert.equal(await page.locator('civic-stats').count(), 0);
  await page.getByRole('button', { name: 'Statistik', exact: true }).click();
  await w.locator('caption', { hasText: 'Meldungen nach Fachbereich' }).waitFor();
  assert.equal(await page.locator('script[src="/widgets/civic.js"]').count(), 1);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'page-heading');
  assert.deepEqual(await axeViolations(page), []);
  await page.locator('main').screenshot({ path: join(OUT, 'stats-office.png') });
  // Another language: the page and a new widget in it.
  await page.locator('#lang-switch').click();
  await page.getByRole('heading', { level: 1, name: 'Statistics' }).waitFor();
  await w.getByRole('heading', { level: 2, name: 'Processing statistics of Musterstadt' }).waitFor();
  await w.locator('caption', { hasText: 'Reports by department' }).waitFor();
  assert.equal(await page.locator('civic-stats').count(), 1);
  // A link straight to the page (a bookmark, a reload).
  await page.goto(`${server.url}/office/stats`);
  await page.getByRole('heading', { level: 1, name: 'Statistik' }).waitFor();
  await w.locator('caption', { hasText: 'Meldungen nach Fachbereich' }).waitFor();
  assert.deepEqual(officeProblems(page), []);
  await page.context().close();

  // An editor: no navigation entry, the URL shows the inbox, the API refuses.
  const editor = await officePage('editor');
  assert.equal(await editor.getByRole('button', { name: 'Statistik', exact: true }).count(), 0);
  await editor.goto(`${server.url}/office/stats`);
  await editor.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();
  assert.equal(await editor.locator('civic-stats').count(), 0);
  const es = await officeLogin(server, 'editor');
  const refused = await fetch(`${server.url}/office/api/stats?period=12`, { headers: { Cookie: es.cookie } });
  assert.equal(refused.status, 403);
  await editor.context().close();
});
