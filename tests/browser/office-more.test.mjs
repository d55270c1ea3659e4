// The office page's mailbox inbox (Bürgerbriefkasten) in headless Chromium against the real
// civickit server (demo town Musterstadt): a message sent through the widget API is forwarded
// by the admin and answered, noted and closed by the Bauhof's editor, each state visible.
// Run from the repository root: node --test --test-concurrency=1 tests/browser

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, OUT, altcha, until } from './harness.mjs';

/** The server's minimum fill time (GET /mailbox `min_fill_seconds`). */
const MIN_FILL_MS = 3000;

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

/** Sends a message as <civic-mailbox> would: form token, the minimum fill time, POST. */
async function sendMessage(message) {
  const config = await (await fetch(`${server.url}/api/v1/musterstadt/mailbox`)).json();
  assert.ok(config.form_token, 'a form token');
  await new Promise((r) => setTimeout(r, MIN_FILL_MS + 200));
  const res = await fetch(`${server.url}/api/v1/musterstadt/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...message, form_token: config.form_token, altcha: await altcha(server, 'message') }),
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return body.ref;
}

async function login(page, who) {
  await page.goto(`${server.url}/office`);
  await page.getByLabel('E-Mail-Adresse').fill(server.logins[who].email);
  await page.getByLabel('Passwort').fill(server.logins[who].password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meldungen' }).waitFor();
}

/** Problems other than the expected 4xx of GET /me before login and the 422 we provoke. */
function problems(page) {
  return page.problems.filter((p) => !/HTTP 401: .*\/office\/api\/me$/.test(p) && !/HTTP 422: .*\/reply$/.test(p));
}

test('a mailbox message is forwarded by the admin, answered, noted and closed by the editor', async () => {
  const subject = 'Sitzbank am Rathausplatz';
  const reference = await sendMessage({
    kind: 'anregung', subject, message: 'Eine zweite Sitzbank im Schatten am Rathausplatz wäre schön.',
    name: 'Erika Muster', email: 'erika@example.org',
  });

  // The admin finds it by search and kind, reads it, forwards it to the Bauhof by mail too.
  const admin = await newPage(browser);
  await login(admin, 'admin');
  await admin.getByRole('button', { name: 'Bürgerbriefkasten', exact: true }).click();
  await admin.getByRole('heading', { level: 1, name: 'Bürgerbriefkasten' }).waitFor();
  await admin.getByLabel('Art').selectOption('anregung');
  await admin.getByRole('searchbox', { name: 'Suche' }).fill('Rathausplatz');
  await admin.getByRole('searchbox', { name: 'Suche' }).press('Enter');
  const row = admin.locator('ul.messages button').filter({ hasText: reference });
  await row.waitFor();
  assert.equal(await admin.locator('ul.messages button').count(), 1, 'search and kind filter to the one message');
  await admin.getByText('1 Nachricht', { exact: true }).waitFor();
  await row.getByText('eingegangen').waitFor();
  await row.click();
  await admin.getByRole('heading', { level: 2, name: `${reference}: ${subject}` }).waitFor();
  assert.equal(await admin.evaluate(() => document.activeElement.id), 'msg-heading', 'focus moves to the message');
  await admin.getByText('erika@example.org').waitFor();
  await admin.getByLabel('An Fachbereich').selectOption({ label: 'Bauhof' });
  await admin.getByLabel('Auch per E-Mail an den Fachbereich senden').check();
  await admin.getByRole('button', { name: 'Weiterleiten', exact: true }).click();
  await admin.getByText('Die Nachricht wurde weitergeleitet.').waitFor();
  await admin.locator('.detail .facts').getByText('weitergeleitet').waitFor();
  await admin.locator('ol.events').getByText('Weitergeleitet').waitFor();
  await row.getByText('weitergeleitet').waitFor();
  await admin.screenshot({ path: join(OUT, 'office-mailbox-forwarded-desktop.png') });

  // The editor of the Bauhof now sees it, answers and notes, and closes it.
  const editor = await newPage(browser);
  await login(editor, 'editor');
  await editor.getByRole('button', { name: 'Bürgerbriefkasten', exact: true }).click();
  const erow = editor.locator('ul.messages button').filter({ hasText: reference });
  await erow.click();
  await editor.getByRole('heading', { level: 2, name: `${reference}: ${subject}` }).waitFor();
  // An empty reply: the error stands next to the field.
  await editor.getByRole('button', { name: 'Antwort senden' }).click();
  await editor.locator('#m-reply-err').getByText('Bitte ausfüllen').waitFor();
  assert.equal(await editor.getAttribute('#m-reply-text', 'aria-invalid'), 'true');
  const answer = 'Vielen Dank, wir prüfen den Standort im Frühjahr. Ihr Bauhof';
  await editor.getByLabel('Antwort an die Bürgerin / den Bürger').fill(answer);
  await editor.getByRole('button', { name: 'Antwort senden' }).click();
  await editor.getByText('Die Antwort wurde gespeichert und wird verschickt.').waitFor();
  await editor.locator('.detail .facts').getByText('beantwortet').waitFor();
  await editor.locator('ol.events').getByText(answer).waitFor();
  assert.equal(await editor.getByLabel('Antwort an die Bürgerin / den Bürger').inputValue(), '', 'the sent reply is cleared');
  await editor.getByLabel('Notiz (nur für die Verwaltung)').fill('Standort mit Grünflächenamt abstimmen');
  await editor.getByRole('button', { name: 'Notiz speichern' }).click();
  await editor.locator('ol.events').getByText('Standort mit Grünflächenamt abstimmen').waitFor();
  await editor.getByRole('button', { name: 'Nachricht abschließen' }).click();
  await editor.locator('.detail .facts').getByText('abgeschlossen').waitFor();
  await editor.getByRole('button', { name: 'Wieder öffnen' }).waitFor();
  await erow.getByText('abgeschlossen').waitFor();
  await editor.screenshot({ path: join(OUT, 'office-mailbox-closed-desktop.png'), fullPage: true });

  // The admin's statistics count it; the settings keep what was typed on an error.
  await admin.getByRole('button', { name: 'Briefkasten: Statistik' }).click();
  await admin.getByRole('heading', { level: 2, name: /Statistik/ }).waitFor();
  await admin.locator('table.stats').getByRole('columnheader', { name: 'Anregung' }).waitFor();
  await admin.getByLabel(/Aufbewahrung/).fill('99999');
  await admin.getByRole('button', { name: 'Einstellungen speichern' }).click();
  await admin.locator('#m-retention-err').filter({ hasText: /./ }).waitFor();
  assert.equal(await admin.getByLabel(/Aufbewahrung/).inputValue(), '99999');
  await admin.getByLabel(/Aufbewahrung/).fill('120');
  await admin.getByRole('button', { name: 'Einstellungen speichern' }).click();
  await admin.getByText('Die Einstellungen wurden gespeichert.').waitFor();
  await admin.screenshot({ path: join(OUT, 'office-mailbox-statistics-desktop.png'), fullPage: true });

  const adminProblems = problems(admin).filter((p) => !/HTTP 422: .*mailbox-settings$/.test(p));
  assert.deepEqual(adminProblems, []);
  assert.deepEqual(problems(editor), []);
  await admin.context().close();
  await editor.context().close();
});

/** A small JPEG (a colour gradient), drawn by Chromium's canvas. */
async function smallJpeg(page) {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 400; c.height = 300;
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 400, 300);
    grad.addColorStop(0, '#f0d020'); grad.addColorStop(1, '#2060e0');
    g.fillStyle = grad; g.fillRect(0, 0, 400, 300);
    return c.toDataURL('image/jpeg', 0.9);
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

/** The colour at fractions (fx, fy) of an image, read through a canvas. */
async function pixelAt(page, src, fx, fy) {
  return page.evaluate(async ([src, fx, fy]) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    return Array.from(g.getImageData(Math.floor(fx * c.width), Math.floor(fy * c.height), 1, 1).data.slice(0, 3));
  }, [src, fx, fy]);
}

test('an admin blacks out rectangles on a citizen photo, releases it, and adds an after photo', async () => {
  const created = await (await fetch(`${server.url}/api/v1/musterstadt/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ category: 'strassenbeleuchtung', position: { lat: 50.5530, lng: 9.6790 },
      description: 'Die Laterne vor dem Kindergarten flackert seit Tagen.', altcha: await altcha(server, 'report') }),
  })).json();
  assert.ok(created.ref && created.tracking_token, JSON.stringify(created));
  const admin = await newPage(browser);
  await admin.goto(`${server.url}/office`);
  const jpeg = await smallJpeg(admin);
  const up = await fetch(`${server.url}/api/v1/musterstadt/reports/${created.ref}/photos?token=${created.tracking_token}`, {
    method: 'POST', headers: { 'Content-Type': 'image/jpeg' }, body: jpeg,
  });
  assert.equal(up.status, 201, await up.text());
  let pub = await (await fetch(`${server.url}/api/v1/musterstadt/reports/${created.ref}`)).json();
  assert.equal((pub.photos || []).length, 0, 'not public before release');

  await login(admin, 'admin');
  await admin.locator('#f-q').fill(created.ref);
  await admin.locator('#f-q').press('Enter');
  await admin.locator('ul.reports button').filter({ hasText: created.ref }).click();
  const photo = admin.locator('li.photo').first();
  await photo.getByText('wartet auf Prüfung').waitFor();
  await photo.getByRole('button', { name: /Bearbeiten/ }).click();
  await admin.getByRole('heading', { level: 4, name: /Foto bearbeiten/ }).waitFor();

  // With the mouse: a rectangle over the upper left quarter.
  const area = admin.locator('.photo-editor .draw');
  await admin.locator('.photo-editor .draw img').evaluate((img) => img.decode());
  await area.scrollIntoViewIfNeeded();
  const box = await area.boundingBox();
  await admin.mouse.move(box.x + box.width * 0.05, box.y + box.height * 0.05);
  await admin.mouse.down();
  await admin.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2, { steps: 4 });
  await admin.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3, { steps: 4 });
  await admin.mouse.up();
  await admin.locator('ul.rects li').first().waitFor();
  // With the keyboard: a wrong one first (error next to the fields, input kept), then right.
  await admin.getByLabel('Links (%)').fill('70');
  await admin.getByLabel('Oben (%)').fill('60');
  await admin.getByLabel('Breite (%)').fill('50');
  await admin.getByLabel('Höhe (%)').fill('20');
  await admin.getByRole('button', { name: 'Rechteck hinzufügen' }).click();
  await admin.locator('#ph-rect-err').getByText(/im Foto liegen/).waitFor();
  assert.equal(await admin.getByLabel('Links (%)').inputValue(), '70');
  await admin.getByLabel('Breite (%)').fill('25');
  await admin.getByLabel('Breite (%)').press('Tab');
  await admin.keyboard.press('Tab');
  await admin.keyboard.press('Enter');
  await admin.locator('ul.rects li').nth(1).getByText('x 70 %, y 60 %, 25 × 20 %').waitFor();
  await admin.screenshot({ path: join(OUT, 'office-photo-redact-desktop.png'), fullPage: true });
  await admin.getByRole('button', { name: 'Schwärzen und Drehen anwenden' }).click();
  await admin.locator('.photo-editor').getByText('Das Foto wurde gespeichert.').waitFor();
  await photo.getByRole('button', { name: /Freigeben/ }).click();
  await admin.locator('li.photo').first().getByText('freigegeben').waitFor();

  pub = await (await fetch(`${server.url}/api/v1/musterstadt/reports/${created.ref}`)).json();
  assert.equal(pub.photos.length, 1, 'the released photo is public');
  // Black where blacked out (drawn and typed), the gradient elsewhere.
  const dark = (p) => p.every((c) => c < 40);
  assert.ok(dark(await pixelAt(admin, pub.photos[0].url, 0.15, 0.15)), 'the drawn rectangle is black');
  assert.ok(dark(await pixelAt(admin, pub.photos[0].url, 0.8, 0.7)), 'the typed rectangle is black');
  assert.ok(!dark(await pixelAt(admin, pub.photos[0].url, 0.5, 0.5)), 'the rest is kept');

  // The after photo through the file input.
  await admin.getByRole('button', { name: 'Foto hochladen', exact: true }).click();
  await admin.locator('#ph-after-err').getByText('Bitte wählen Sie ein Foto.').waitFor();
  await admin.setInputFiles('#ph-after', { name: 'nachher.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await admin.getByRole('button', { name: 'Foto hochladen', exact: true }).click();
  await admin.getByText('Das Foto wurde hochgeladen.').waitFor();
  await admin.locator('li.photo').nth(1).getByText('freigegeben').waitFor();
  pub = await (await fetch(`${server.url}/api/v1/musterstadt/reports/${created.ref}`)).json();
  assert.deepEqual(pub.photos.map((p) => p.kind).sort(), ['after', 'report'].sort());
  await admin.screenshot({ path: join(OUT, 'office-photos-released-desktop.png'), fullPage: true });
  assert.deepEqual(problems(admin).filter((p) => !/HTTP 422: .*\/photos$/.test(p)), []);
  await admin.context().close();
});

test('an admin creates an open poll, checks its fields, opens it and sees the result of a vote', async () => {
  const admin = await newPage(browser);
  await login(admin, 'admin');
  await admin.getByRole('button', { name: 'Umfragen', exact: true }).click();
  await admin.getByRole('heading', { level: 1, name: 'Umfragen' }).waitFor();
  await admin.getByRole('button', { name: 'Neue Umfrage' }).click();
  await admin.getByRole('heading', { level: 2, name: 'Neue Umfrage' }).waitFor();
  // Empty: the errors stand next to the fields, the typed description stays.
  await admin.getByLabel('Beschreibung (optional)').fill('Wie soll der neue Spielplatz aussehen?');
  await admin.getByRole('button', { name: 'Umfrage speichern' }).click();
  await admin.locator('#p-title-err').getByText('Bitte einen Titel eingeben.').waitFor();
  await admin.locator('#p-q0-options-err').getByText(/Mindestens zwei Antworten/).waitFor();
  assert.equal(await admin.evaluate(() => document.activeElement.id), 'p-title', 'focus on the first wrong field');
  assert.equal(await admin.getByLabel('Beschreibung (optional)').inputValue(), 'Wie soll der neue Spielplatz aussehen?');
  await admin.getByLabel('Titel').fill('Spielgeräte am Weiher');
  await admin.locator('#p-q0-text').fill('Welche Spielgeräte wünschen Sie sich?');
  await admin.locator('#p-q0-kind').selectOption('multiple');
  await admin.locator('#p-q0-min').fill('1');
  await admin.locator('#p-q0-max').fill('2');
  await admin.locator('#p-q0-options').fill('Schaukel\nRutsche\nKletterturm');
  // Opening time in the future first: the poll is not yet open.
  const later = await admin.evaluate(() => { const d = new Date(Date.now() + 86400000 - new Date().getTimezoneOffset() * 60000); return d.toISOString().slice(0, 16); });
  await admin.getByLabel('Beginn').fill(later);
  await admin.getByRole('button', { name: 'Umfrage speichern' }).click();
  await admin.getByText('Die Umfrage wurde gespeichert.').waitFor();
  const row = admin.locator('table.polls-list tr').filter({ hasText: 'Spielgeräte am Weiher' });
  await row.getByText('noch nicht geöffnet').waitFor();
  await row.getByRole('button', { name: 'Öffnen' }).click();
  await row.getByText('geöffnet', { exact: true }).waitFor();
  await admin.screenshot({ path: join(OUT, 'office-polls-list-desktop.png'), fullPage: true });

  // A citizen votes through the widget API.
  const list = await (await admin.evaluate(async () => (await fetch('/office/api/polls')).json()));
  const poll = list.polls.find((p) => p.title === 'Spielgeräte am Weiher');
  const shown = await (await fetch(`${server.url}/api/v1/musterstadt/polls/${poll.slug}`)).json();
  const q = shown.questions[0];
  const pick = (t) => q.options.find((o) => o.text === t).id;
  const vote = await fetch(`${server.url}/api/v1/musterstadt/polls/${poll.slug}/votes`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ voter_token: shown.voter_token, answers: [{ question: q.id, options: [pick('Schaukel'), pick('Kletterturm')] }],
      altcha: await altcha(server, 'vote') }),
  });
  assert.ok(vote.ok, await vote.text());

  await admin.getByRole('button', { name: 'Umfragen', exact: true }).click();
  await admin.getByRole('button', { name: 'Neue Umfrage' }).waitFor();
  const row2 = admin.locator('table.polls-list tr').filter({ hasText: 'Spielgeräte am Weiher' });
  await row2.locator('td').nth(1).getByText('1', { exact: true }).waitFor();
  assert.equal(await row2.getByRole('button', { name: 'Bearbeiten' }).count(), 0, 'no editing after the first vote');
  await row2.getByRole('button', { name: 'Ergebnisse' }).click();
  await admin.getByRole('heading', { level: 2, name: 'Ergebnisse: Spielgeräte am Weiher' }).waitFor();
  const bars = admin.locator('.poll-results ul.bars li');
  // While the poll is open an official sees the town's interim standing too (every 10 votes).
  await admin.locator('.poll-results .interim')
    .getByText('Zwischenstand nach jeweils 10 Stimmen (Teilnahmen bisher: 1)', { exact: false }).waitFor();
  await bars.filter({ hasText: 'Schaukel' }).getByText('0 Stimmen (0 %)').waitFor();
  await admin.screenshot({ path: join(OUT, 'office-poll-interim-desktop.png'), fullPage: true });
  // The step is a town setting on this page: refused out of range, 1 shows every vote at once.
  const step = admin.getByLabel('Ergebnisse ändern sich nach jeweils … Stimmen');
  await step.fill('0');
  await admin.getByRole('button', { name: 'Schrittweite speichern' }).click();
  await until(async () => (await step.getAttribute('aria-invalid')) === 'true', 'the step field is marked');
  await step.fill('1');
  await admin.getByRole('button', { name: 'Schrittweite speichern' }).click();
  await admin.locator('.poll-step').getByText('Einstellungen gespeichert.').waitFor();
  await admin.getByRole('button', { name: 'Umfragen', exact: true }).click();
  await row2.getByRole('button', { name: 'Ergebnisse' }).click();
  await bars.filter({ hasText: 'Schaukel' }).getByText('1 Stimme (100 %)').waitFor();
  await bars.filter({ hasText: 'Rutsche' }).getByText('0 Stimmen (0 %)').waitFor();
  assert.equal(await admin.locator('.poll-results .interim').count(), 0, 'exact: no interim note');
  const csvHref = await admin.getByRole('link', { name: 'Ergebnisse als CSV herunterladen' }).getAttribute('href');
  const csv = await admin.evaluate(async (h) => (await fetch(h)).text(), csvHref);
  assert.match(csv, /Schaukel,1,/);
  await admin.getByRole('heading', { level: 2, name: /Ergebnisse/ }).scrollIntoViewIfNeeded();
  await admin.screenshot({ path: join(OUT, 'office-poll-results-desktop.png') });

  // The demo's code poll: 3 codes as CSV, shown once, counted as issued.
  const codeRow = admin.locator('table.polls-list tr').filter({ hasText: 'Der neue Spielplatz Am Anger' });
  const issuedBefore = Number((await codeRow.locator('td').nth(2).innerText()).split('/')[0].trim());
  await codeRow.getByRole('button', { name: 'Ergebnisse' }).click();
  await admin.getByText(/nur dieses eine Mal angezeigt/).first().waitFor();
  await admin.getByLabel('Anzahl').fill('0');
  await admin.getByRole('button', { name: 'Codes erzeugen' }).click();
  await admin.locator('#codes-count-err').getByText(/Bitte eine Zahl/).waitFor();
  await admin.getByLabel('Anzahl').fill('3');
  await admin.getByLabel('Format').selectOption('csv');
  await admin.getByRole('button', { name: 'Codes erzeugen' }).click();
  const download = admin.getByRole('link', { name: 'CSV herunterladen', exact: true });
  await download.waitFor();
  const codesCsv = await admin.evaluate(async (h) => (await fetch(h)).text(), await download.getAttribute('href'));
  assert.equal(codesCsv.trim().split('\n').length, 4, `a header and 3 codes: ${codesCsv}`);
  await admin.screenshot({ path: join(OUT, 'office-poll-codes-desktop.png') });
  await admin.getByRole('button', { name: 'Umfragen', exact: true }).click();
  await admin.getByRole('button', { name: 'Neue Umfrage' }).waitFor();
  await admin.locator('table.polls-list tr').filter({ hasText: 'Der neue Spielplatz Am Anger' }).locator('td').nth(2).getByText(new RegExp(`^${issuedBefore + 3} /`)).waitFor();
  assert.deepEqual(problems(admin).filter((p) => !/HTTP 422: .*\/office\/api\/settings$/.test(p)), [], 'only the refused step');
  await admin.context().close();
});

test('an admin adds a user (password shown once), disables them, adds a template and a department', async () => {
  const admin = await newPage(browser);
  await login(admin, 'admin');
  await admin.getByRole('button', { name: 'Verwaltung', exact: true }).click();
  await admin.getByRole('heading', { level: 1, name: 'Verwaltung' }).waitFor();
  // An editor without a department: the error stands next to the field, the input stays.
  await admin.getByLabel('E-Mail-Adresse der Person').fill('neu@musterstadt.example');
  await admin.getByLabel('Name', { exact: true }).fill('Nora Neu');
  await admin.getByRole('button', { name: 'Person anlegen' }).click();
  await admin.locator('#u-dept-err').filter({ hasText: /./ }).waitFor();
  assert.equal(await admin.getByLabel('E-Mail-Adresse der Person').inputValue(), 'neu@musterstadt.example');
  await admin.locator('#u-dept').selectOption({ label: 'Bauhof' });
  await admin.getByRole('button', { name: 'Person anlegen' }).click();
  const secret = admin.locator('.secret code.password');
  await secret.waitFor();
  const password = await secret.innerText();
  assert.ok(password.length >= 12, password);
  const row = admin.locator('table.users tr').filter({ hasText: 'neu@musterstadt.example' });
  await row.getByRole('button', { name: 'Sperren' }).click();
  await row.getByRole('button', { name: 'Entsperren' }).waitFor();
  // Disabled: the login fails.
  const login2 = await fetch(`${server.url}/office/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: server.url },
    body: JSON.stringify({ email: 'neu@musterstadt.example', password }) });
  assert.notEqual(login2.status, 200);

  await admin.getByLabel('Titel').fill('Laterne getauscht');
  await admin.getByLabel('Text', { exact: true }).fill('Die Laterne wurde getauscht und leuchtet wieder.');
  await admin.getByRole('button', { name: 'Textbaustein speichern' }).click();
  await admin.locator('ul.templates li').filter({ hasText: 'Laterne getauscht' }).waitFor();
  // The status form of a report offers it besides the built-in phrases.
  await admin.getByRole('button', { name: 'Meldungen', exact: true }).click();
  await admin.locator('ul.reports button').first().click();
  const next = await admin.locator('#st-state option:not([value=""])').first().getAttribute('value');
  await admin.locator('#st-state').selectOption(next);
  await admin.locator('#st-template option', { hasText: 'Laterne getauscht' }).waitFor({ state: 'attached' });
  await admin.locator('#st-template').selectOption({ label: 'Laterne getauscht' });
  assert.equal(await admin.locator('#st-public').inputValue(), 'Die Laterne wurde getauscht und leuchtet wieder.');
  await admin.getByRole('button', { name: 'Verwaltung', exact: true }).click();
  await admin.locator('ul.templates li').filter({ hasText: 'Laterne getauscht' }).getByRole('button', { name: /Löschen/ }).click();
  await admin.locator('ul.templates li').filter({ hasText: 'Laterne getauscht' }).waitFor({ state: 'detached' });

  // Departments are kept on the town page now; the administration page points there.
  await admin.getByRole('button', { name: 'Verwaltung', exact: true }).click();
  await admin.locator('main').getByRole('button', { name: 'Gemeinde', exact: true }).click();
  await admin.getByRole('heading', { level: 1, name: 'Gemeinde' }).waitFor();
  await admin.getByLabel('Name des Fachbereichs', { exact: true }).fill('Grünflächenamt');
  await admin.getByLabel('E-Mail-Adresse (optional)').fill('gruen@musterstadt.example');
  await admin.getByRole('button', { name: 'Fachbereich anlegen' }).click();
  await admin.locator('#add-department').getByText(/Gespeichert/).waitFor();
  await admin.locator('table.departments tr').filter({ hasText: 'gruen@musterstadt.example' }).waitFor();
  await admin.screenshot({ path: join(OUT, 'office-admin-desktop.png'), fullPage: true });
  assert.deepEqual(problems(admin).filter((p) => !/HTTP 422: .*\/users$/.test(p)), []);
  await admin.context().close();
});
