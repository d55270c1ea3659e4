// Printed work orders (issue 13) in headless Chromium against the real civickit server: an
// official opens the print URL (logged out: the office login first), Chromium prints it to an
// A4 PDF, and poppler's pdftotext/pdfinfo/pdftoppm (Debian's poppler-utils, installed by
// `cargo xtask setup`) read back what the crew gets on paper: the reference, the address, one
// page per report. Page 1 is rendered to a PNG in CIVICKIT_TEST_OUTPUT to look at.
// Run from the repository root: node --test tests/browser/work-order.test.mjs
// Env: CIVICKIT_BIN, CIVICKIT_DIST, CIVICKIT_TEST_OUTPUT (see harness.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer, launchBrowser, newPage, OUT, altcha } from './harness.mjs';

const run = promisify(execFile);

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

/** A report as the widget sends it; resolves to {ref, tracking_token}. */
async function createReport(category, description, address, position = { lat: 50.5530, lng: 9.6790 }) {
  const r = await fetch(`${server.url}/api/v1/musterstadt/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ category, position, description, address, altcha: await altcha(server, 'report') }),
  });
  const created = await r.json();
  assert.equal(r.status, 201, JSON.stringify(created));
  return created;
}

/** A small JPEG (a colour gradient), drawn by Chromium's canvas. */
async function smallJpeg(page) {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 400; c.height = 300;
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 400, 300);
    grad.addColorStop(0, '#2e7d32'); grad.addColorStop(1, '#f9a825');
    g.fillStyle = grad; g.fillRect(0, 0, 400, 300);
    return c.toDataURL('image/jpeg', 0.9);
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

/** Problems other than the expected 401 of GET /me before the login. */
function problems(page) {
  return page.problems.filter((p) => !/HTTP 401: .*\/office\/api\/me$/.test(p));
}

/** Waits until every image of the page (tiles, thumbnails) has loaded, then prints A4. */
async function printPdf(page, name) {
  await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
  const path = join(OUT, name);
  await page.pdf({ path, format: 'A4' });
  // In reading order with whitespace made single spaces: a value wrapped onto two lines of
  // its table cell still reads as one.
  const { stdout: raw } = await run('pdftotext', [path, '-']);
  const text = raw.replace(/\s+/g, ' ');
  const { stdout: info } = await run('pdfinfo', [path]);
  const pages = Number(info.match(/^Pages:\s+(\d+)$/m)[1]);
  const size = info.match(/^Page size:\s+([\d.]+) x ([\d.]+) pts/m);
  return { path, text, pages, width: Number(size[1]), height: Number(size[2]) };
}

test('an official prints a work order: A4, the reference, the address, a map and the photo', async () => {
  const address = 'Am Lindenplatz 7, vor der Apotheke';
  const created = await createReport('muell', 'Überquellender Papierkorb, Müll liegt auf dem Gehweg.', address);
  const page = await newPage(browser);
  const printUrl = `${server.url}/office/print/reports/${created.ref}`;

  // Logged out, the print URL leads to the office login, on the report's own page.
  await page.goto(printUrl);
  assert.equal(new URL(page.url()).pathname, `/office/reports/${created.ref}`);
  assert.equal(new URL(page.url()).searchParams.get('next'), `/office/print/reports/${created.ref}`);
  await page.getByLabel('E-Mail-Adresse').fill(server.logins.admin.email);
  await page.getByLabel('Passwort').fill(server.logins.admin.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  // After the login the official is back at the printout, not in the office.
  await page.waitForFunction(() => location.pathname.startsWith('/office/print/'));
  assert.equal(await page.locator('h1').textContent(), `Arbeitsauftrag ${created.ref}`);

  // In the office, the report's detail links to its work order, the inbox to its selection.
  await page.goto(`${server.url}/office/reports/${created.ref}`);
  const orderLink = page.getByRole('link', { name: /Arbeitsauftrag drucken/ });
  await orderLink.waitFor();
  assert.equal(await orderLink.getAttribute('href'), `/office/print/reports/${created.ref}`);
  const selection = page.getByRole('link', { name: /Auswahl als Arbeitsaufträge drucken/ });
  assert.match(await selection.getAttribute('href'), /^\/office\/print\/reports\?/);

  // A released photo goes on the sheet.
  const jpeg = await smallJpeg(page);
  const up = await fetch(`${server.url}/api/v1/musterstadt/reports/${created.ref}/photos?token=${created.tracking_token}`, {
    method: 'POST', headers: { 'Content-Type': 'image/jpeg' }, body: jpeg,
  });
  assert.equal(up.status, 201, await up.text());
  const released = await page.evaluate(async (ref) => {
    const me = await (await fetch('/office/api/me')).json();
    const detail = await (await fetch(`/office/api/reports/${ref}`)).json();
    // Each answer is read to its end, so leaving the page aborts no request.
    const post = async (path, body) => {
      const r = await fetch(path, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }, body: JSON.stringify(body),
      });
      await r.text();
      return r.status;
    };
    const changed = await post(`/office/api/reports/${ref}/status`, { status: 'in_progress',
      public_note: 'Der Bauhof leert ihn heute.', internal_note: 'Schlüssel für den Papierkorb am Rathaus abholen.' });
    return [changed, await post(`/office/api/photos/${detail.photos[0].id}/status`, { status: 'released' })];
  }, created.ref);
  assert.deepEqual(released, [200, 200]);

  await page.goto(printUrl);
  assert.equal(await page.locator('h1').textContent(), `Arbeitsauftrag ${created.ref}`);
  assert.equal(await page.locator('.map .tiles img').count(), 6);
  assert.equal(await page.locator('.photos img').count(), 1);
  const pdf = await printPdf(page, 'work-order.pdf');
  assert.equal(pdf.pages, 1, pdf.text);
  // A4 is 595 × 842 points.
  assert.ok(Math.abs(pdf.width - 595) < 2 && Math.abs(pdf.height - 842) < 2, `${pdf.width} x ${pdf.height}`);
  for (const text of [created.ref, address, 'Arbeitsauftrag', 'Musterstadt', 'Verunreinigungen & Müll', 'Bauhof',
    'in Bearbeitung', 'Überquellender Papierkorb', 'Der Bauhof leert ihn heute.', 'Schlüssel für den Papierkorb',
    'Erledigt am', 'Bemerkung']) {
    assert.ok(pdf.text.includes(text), `${text} missing in the PDF:\n${pdf.text}`);
  }
  await run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf.path, join(OUT, 'work-order')]);
  assert.ok(existsSync(join(OUT, 'work-order.png')));

  // For a contractor: the same sheet without the internal note.
  await page.goto(`${printUrl}?notes=0`);
  const outside = await printPdf(page, 'work-order-contractor.pdf');
  assert.ok(outside.text.includes(address) && !outside.text.includes('Schlüssel für den Papierkorb'), outside.text);
  assert.deepEqual(problems(page), []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await page.context().close();
});

test('a filtered selection prints one page per report', async () => {
  // Two places typed by the citizen, one left to the server to look up in the demo's streets.
  const refs = [];
  for (const [i, street] of ['Gartenweg 1', 'Gartenweg 3', undefined].entries()) {
    const c = await createReport('spielplaetze', `Sammeldruck ${i + 1}: Schaukelkette gerissen.`, street,
      { lat: 50.5530 + i * 0.001, lng: 9.6790 });
    refs.push(c.ref);
  }
  const page = await newPage(browser);
  await page.goto(`${server.url}/office`);
  await page.getByLabel('E-Mail-Adresse').fill(server.logins.editor.email);
  await page.getByLabel('Passwort').fill(server.logins.editor.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();

  // (The printout's CSP allows no fetch; ask the office API from the office page.)
  const looked = await page.evaluate(async (ref) => (await (await fetch(`/office/api/reports/${ref}`)).json()).address, refs[2]);
  assert.ok(looked, 'the server found an address in the demo streets');
  await page.goto(`${server.url}/office/print/reports?q=Sammeldruck&lang=en`);
  const pdf = await printPdf(page, 'work-orders-selection.pdf');
  assert.equal(pdf.pages, 3, pdf.text);
  for (const [i, ref] of refs.entries()) {
    assert.ok(pdf.text.includes(ref), `${ref} missing`);
    assert.ok(pdf.text.includes(i < 2 ? `Gartenweg ${2 * i + 1}` : looked), `the address of ${ref}:\n${pdf.text}`);
  }
  assert.ok(pdf.text.includes('Work order') && pdf.text.includes('Done on'), pdf.text);
  // Newest first: page 1 holds the last report made.
  const { stdout: first } = await run('pdftotext', ['-f', '1', '-l', '1', pdf.path, '-']);
  assert.ok(first.includes(refs[2]) && !first.includes(refs[0]), first);
  assert.deepEqual(problems(page), []);
  await page.context().close();
});
