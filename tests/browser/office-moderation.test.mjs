// "Meldung melden" in the office (issue 15): three citizens from three addresses flag a public
// report through the widget API; it leaves the public list; an official opens Moderation, sees
// it with its count, reasons and note, keeps it, and the public sees it again. axe-core clean.
// Citizens connect from their own loopback addresses (127.0.0.2, …; all of 127/8 is local on
// Linux), so the server, which trusts no proxy here, sees three clients.
// Run from the repository root: node --test --test-concurrency=1 tests/browser

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer, launchBrowser, newPage, screenshot, axeViolations, altcha } from './harness.mjs';

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

/** A citizen's flag from `address`. Every citizen POST of this file goes through here, so a
 *  solved challenge (issue 15's proof-of-work) is added in one place. */
async function flag(reference, address, body) {
  const url = new URL(`${server.url}/api/v1/musterstadt/reports/${reference}/flags`);
  const data = JSON.stringify({ altcha: await altcha(server, 'flag'), ...body });
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      localAddress: address,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
    }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function publicRefs() {
  const list = await (await fetch(`${server.url}/api/v1/musterstadt/reports?limit=5000`)).json();
  return list.reports.map((r) => r.ref);
}

test('three flags hide a report until an official keeps it in Moderation', async () => {
  const [reference] = await publicRefs();
  assert.ok(reference, 'the demo town has public reports');
  const reasons = ['personal_data', 'personal_data', 'offensive'];
  for (const [i, reason] of reasons.entries()) {
    const text = i === 0 ? 'Hier steht ein Name.' : '';
    const answer = await flag(reference, `127.0.0.${i + 2}`, { reason, text });
    assert.deepEqual(answer, { status: 201, body: { received: true } });
  }
  assert.ok(!(await publicRefs()).includes(reference), 'hidden from the public list');

  const page = await newPage(browser);
  await page.goto(`${server.url}/office`);
  await page.getByLabel('E-Mail-Adresse').fill(server.logins.admin.email);
  await page.getByLabel('Passwort').fill(server.logins.admin.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();
  await page.getByRole('button', { name: 'Moderation', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Moderation' }).waitFor();
  const item = page.locator('li.flagged').filter({ hasText: reference });
  await item.waitFor();
  await item.getByText('für die Öffentlichkeit verborgen').waitFor();
  await item.getByText('Hinweise: 3').waitFor();
  await item.getByText('Persönliche Daten: 2').waitFor();
  await item.getByText('Beleidigend oder anstößig: 1').waitFor();
  await item.getByText('Hier steht ein Name.').waitFor();
  assert.equal(await item.getByRole('link', { name: reference }).getAttribute('href'), `/office/reports/${reference}`);
  await screenshot(page, 'office-moderation.png');
  assert.deepEqual(await axeViolations(page), [], 'moderation page');

  // "Schwärzen" opens the description, prefilled; cancelled, nothing changes.
  await item.getByRole('button', { name: `Schwärzen (${reference})` }).click();
  const field = page.getByLabel('Neue öffentliche Beschreibung');
  assert.ok((await field.inputValue()).length > 0, 'prefilled with the description');
  assert.deepEqual(await axeViolations(page), [], 'with the redaction form');
  await page.getByRole('button', { name: 'Abbrechen' }).click();

  await item.getByRole('button', { name: `Behalten (${reference})` }).click();
  await page.getByRole('status').filter({ hasText: 'Entschieden.' }).waitFor();
  await page.getByText('Keine offenen Hinweise.').waitFor();
  assert.ok((await publicRefs()).includes(reference), 'shown again');
  assert.deepEqual(page.problems.filter((p) => !/HTTP 401: .*\/office\/api\/me$/.test(p)), []);
  await page.context().close();
});
