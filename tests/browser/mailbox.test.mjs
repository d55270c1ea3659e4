// <civic-mailbox> in headless Chromium against the real civickit server, with a real SMTP sink
// (aiosmtpd writing a maildir). Asserts what a citizen sees and what arrives by mail.
//
// The server allows 5 messages per address in 10 minutes, and every browser here is 127.0.0.1,
// so the tests use two servers: `town` takes five kinds and then shows the rate limit, `inbox`
// takes the sixth kind with an e-mail address (receipt, office reply) and the refusals.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, startHostPages, launchBrowser, newPage, until, focused, OUT, officeLogin, officeApi,
} from './harness.mjs';

/** The server's minimum fill time (GET /mailbox `min_fill_seconds`): a real wait, not a sleep for luck. */
const MIN_FILL_MS = 3000;

let smtp;
let town;
let inbox;
let browser;

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

/** aiosmtpd on loopback, delivering into a maildir. */
async function startSmtp() {
  const dir = mkdtempSync(join(tmpdir(), 'civickit-maildir-'));
  const maildir = join(dir, 'mail');
  const port = await freePort();
  const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`,
    '-c', 'aiosmtpd.handlers.Mailbox', maildir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-2000); });
  await until(() => new Promise((ok) => {
    const c = connect(port, '127.0.0.1', () => { c.end(); ok(true); });
    c.on('error', () => ok(false));
  }), `aiosmtpd on port ${port} (${stderr})`);
  return {
    url: `smtp://127.0.0.1:${port}`,
    /** Every mail so far: {to, subject, body} with the body quoted-printable-decoded. */
    mails() {
      let files = [];
      try { files = readdirSync(join(maildir, 'new')); } catch { return []; }
      return files.map((f) => parseMail(readFileSync(join(maildir, 'new', f), 'latin1')));
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => { if (child.exitCode !== null) r(); else child.once('exit', r); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function decodeQuotedPrintable(s) {
  const bytes = [];
  const text = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    const m = text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3));
    if (m) { bytes.push(parseInt(text.slice(i + 1, i + 3), 16)); i += 2; } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeWords(s) {
  return s.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_, enc, data) => (enc.toLowerCase() === 'b'
    ? Buffer.from(data, 'base64').toString('utf8')
    : decodeQuotedPrintable(data.replace(/_/g, ' '))));
}

function parseMail(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const header = (name) => (head.match(new RegExp(`^${name}:\\s*(.*)$`, 'mi')) || [])[1] || '';
  let body = raw.slice(split).trim();
  if (/quoted-printable/i.test(head) || /quoted-printable/i.test(body.slice(0, 500))) body = decodeQuotedPrintable(body);
  else body = Buffer.from(body, 'latin1').toString('utf8');
  return { to: header('To'), subject: decodeWords(header('Subject')), body };
}

async function waitForMail(pred, what) {
  return until(() => smtp.mails().find(pred), what, 20_000);
}

before(async () => {
  smtp = await startSmtp();
  town = await startServer({ args: ['--smtp-url', smtp.url] });
  inbox = await startServer({ args: ['--smtp-url', smtp.url] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await town?.stop();
  await inbox?.stop();
  await smtp?.stop();
});

const widget = (page) => page.locator('civic-mailbox');

/** Opens the demo town page and waits for the mailbox form; returns when it was shown. */
async function openForm(page, server) {
  await page.addInitScript(() => {
    window.__sent = [];
    document.addEventListener('civic:message-sent', (e) => window.__sent.push(e.detail && e.detail.ref));
  });
  await page.goto(server.url + '/#briefkasten');
  await widget(page).locator('form.civic-mailbox').waitFor();
  await widget(page).locator('#civic-mb-kind option[value="lob"]').waitFor({ state: 'attached' });
  return Date.now();
}

/** Waits out the server's minimum fill time, counted from when the form was shown. */
async function fillTimePassed(shownAt) {
  const rest = shownAt + MIN_FILL_MS + 300 - Date.now();
  if (rest > 0) await new Promise((r) => setTimeout(r, rest));
}

async function fill(page, m) {
  const w = widget(page);
  await w.getByLabel('Art der Nachricht').selectOption(m.kind);
  await w.getByLabel('Betreff').fill(m.subject);
  await w.getByLabel('Ihre Nachricht').fill(m.message);
  await w.getByLabel('Name', { exact: true }).fill(m.name || '');
  await w.getByLabel('E-Mail', { exact: true }).fill(m.email || '');
  await w.getByLabel('Telefon').fill(m.phone || '');
}

async function expectKept(page, m) {
  const w = widget(page);
  assert.equal(await w.getByLabel('Art der Nachricht').inputValue(), m.kind);
  assert.equal(await w.getByLabel('Betreff').inputValue(), m.subject);
  assert.equal(await w.getByLabel('Ihre Nachricht').inputValue(), m.message);
  assert.equal(await w.getByLabel('E-Mail', { exact: true }).inputValue(), m.email || '');
}

/** Sends the filled form and returns the reference from the receipt. */
async function sendAndReadReceipt(page) {
  const w = widget(page);
  await w.getByRole('button', { name: 'Nachricht senden' }).click();
  const receipt = w.locator('.civic-receipt');
  await receipt.waitFor();
  const reference = (await receipt.locator('.civic-ref').textContent()).trim();
  assert.match(reference, /^B-\d{4}-\d{5}$/);
  assert.match(await receipt.textContent(), /Vielen Dank für Ihre Nachricht!/);
  // The receipt sits in a live region, and the page heard about it.
  assert.equal(await receipt.evaluate((e) => e.closest('[aria-live]')?.getAttribute('aria-live')), 'polite');
  await until(() => page.evaluate((r) => window.__sent.includes(r), reference), 'civic:message-sent with the reference');
  return reference;
}

/** No script errors; refusals the test provoked (400/409/422/429) are expected, not problems. */
function noProblems(page) {
  const real = page.problems.filter((p) => !/(status of|^HTTP) (400|409|422|429)\b/.test(p));
  assert.deepEqual(real, [], 'no script errors, no failed requests');
}

test('the form shows what the town allows, counts characters and checks input with the model', async () => {
  const page = await newPage(browser);
  await openForm(page, inbox);
  const w = widget(page);
  assert.equal(await w.getByRole('heading', { level: 2 }).textContent(), 'Bürgerbriefkasten Musterstadt');
  const kinds = await w.locator('#civic-mb-kind option').allTextContents();
  assert.deepEqual(kinds, ['Bitte wählen …', 'Anregung', 'Frage', 'Hinweis', 'Kritik/Beschwerde', 'Idee', 'Lob']);
  await w.getByText('Eine Antwort ist aber nur möglich, wenn Sie eine E-Mail-Adresse oder Telefonnummer angeben.').waitFor();
  const privacy = w.getByRole('link', { name: 'Datenschutzerklärung' });
  assert.match(await privacy.getAttribute('href'), /datenschutz/);
  // The honeypot: in the DOM for bots, but hidden, out of the tab order and from screen readers.
  const hp = w.locator('#civic-mb-website');
  assert.equal(await hp.getAttribute('tabindex'), '-1');
  assert.equal(await hp.getAttribute('autocomplete'), 'off');
  assert.equal(await hp.evaluate((e) => e.closest('[aria-hidden]')?.getAttribute('aria-hidden')), 'true');
  const box = await hp.boundingBox();
  assert.ok(!box || box.width <= 1 || box.x + box.width <= 0, `the honeypot cannot be seen (${JSON.stringify(box)})`);

  // Live character counter with the model's limit.
  await w.getByLabel('Ihre Nachricht').fill('Hallo');
  await w.getByText('5 / 5000 Zeichen').waitFor();
  assert.match(await w.getByLabel('Ihre Nachricht').getAttribute('aria-describedby'), /civic-mb-counter/);

  // Empty subject, a too short message and a broken e-mail address: every error next to its field.
  await w.getByLabel('E-Mail', { exact: true }).fill('nicht-gültig');
  await w.getByRole('button', { name: 'Nachricht senden' }).click();
  await w.getByText('Bitte wählen Sie die Art Ihrer Nachricht aus der Liste.').waitFor();
  await w.getByText('Bitte geben Sie einen Betreff an.').waitFor();
  await w.getByText('Bitte schreiben Sie etwas ausführlicher (mindestens 10 Zeichen).').waitFor();
  await w.getByText('Diese E-Mail-Adresse sieht nicht gültig aus').waitFor();
  for (const [label, err] of [['Art der Nachricht', 'civic-mb-kind-err'], ['Betreff', 'civic-mb-subject-err'],
    ['Ihre Nachricht', 'civic-mb-message-err'], ['E-Mail', 'civic-mb-email-err']]) {
    const field = w.getByLabel(label, { exact: true });
    assert.equal(await field.getAttribute('aria-invalid'), 'true', label);
    assert.match(await field.getAttribute('aria-describedby'), new RegExp(err), label);
  }
  assert.equal(await w.getByLabel('Telefon').getAttribute('aria-invalid'), 'false');
  await until(async () => /select#civic-mb-kind/.test(await focused(page)), 'focus on the first field with an error');
  await page.setViewportSize({ width: 1280, height: 800 });
  await w.screenshot({ path: join(OUT, 'mailbox-errors-desktop.png') });
  noProblems(page);
  await page.context().close();
});

test('every kind can be sent, anonymously or with contact data; the receipt shows the reference', async () => {
  const messages = [
    { kind: 'anregung', subject: 'Mehr Fahrradständer am Bahnhof', message: 'Am Bahnhof fehlen morgens Stellplätze für Fahrräder.' },
    { kind: 'frage', subject: 'Öffnungszeiten Wertstoffhof', message: 'Hat der Wertstoffhof samstags auch nachmittags geöffnet?', name: 'Erika Muster', phone: '+49 (0)1234 / 567-89' },
    { kind: 'hinweis', subject: 'Hecke ragt auf Gehweg', message: 'In der Lindenstraße 4 ragt eine Hecke weit auf den Gehweg.' },
    { kind: 'beschwerde', subject: 'Lärm durch Laubbläser', message: 'Sonntags um 7 Uhr wird im Park mit Laubbläsern gearbeitet.', name: 'Max Beispiel' },
    { kind: 'idee', subject: 'Bücherschrank am Marktplatz', message: 'Ein offener Bücherschrank am Marktplatz wäre eine schöne Sache.', email: 'idee@example.org' },
  ];
  const page = await newPage(browser);
  let shownAt = await openForm(page, town);
  const w = widget(page);
  const refs = [];
  for (const m of messages) {
    await fill(page, m);
    await fillTimePassed(shownAt);
    const reference = await sendAndReadReceipt(page);
    const receipt = await w.locator('.civic-receipt').textContent();
    if (m.email || m.phone) assert.doesNotMatch(receipt, /können Ihnen deshalb nicht antworten/, m.kind);
    else assert.match(receipt, /keine E-Mail-Adresse und keine Telefonnummer angegeben; wir können Ihnen deshalb nicht antworten/, m.kind);
    if (m.email) assert.match(receipt, /Eingangsbestätigung ist an Ihre E-Mail-Adresse unterwegs/);
    if (m.kind === 'idee') await w.screenshot({ path: join(OUT, 'mailbox-receipt-desktop.png') });
    refs.push(reference);
    await w.getByRole('button', { name: 'Weitere Nachricht schreiben' }).click();
    await w.locator('form.civic-mailbox button[type=submit]:not([disabled])').waitFor();
    shownAt = Date.now();
    // Subject and message are cleared for the next message.
    assert.equal(await w.getByLabel('Betreff').inputValue(), '');
  }
  assert.equal(new Set(refs).size, messages.length, 'five different references');
  // The office sees each of them with its kind.
  const admin = await officeLogin(town, 'admin');
  const list = await officeApi(town, admin, 'GET', '/office/api/messages');
  const all = JSON.stringify(list);
  for (const r of refs) assert.ok(all.includes(r), `${r} in the office inbox`);

  // The sixth message within ten minutes from the same address is refused; the text stays.
  const sixth = { kind: 'lob', subject: 'Danke für den Winterdienst', message: 'Die Straßen waren heute früh vorbildlich geräumt.' };
  await fill(page, sixth);
  await fillTimePassed(shownAt);
  await w.getByRole('button', { name: 'Nachricht senden' }).click();
  await w.locator('.civic-refused').getByText('Von Ihrem Anschluss kamen gerade sehr viele Nachrichten').waitFor();
  await expectKept(page, sixth);
  noProblems(page);
  await page.context().close();
});

test('a submit faster than a person waits out the fill time; a filled honeypot is refused visibly, and the typed text stays', async () => {
  const page = await newPage(browser, { width: 375, height: 740 });
  await openForm(page, inbox);
  const w = widget(page);
  const m = { kind: 'hinweis', subject: 'Gullydeckel klappert', message: 'Der Gullydeckel vor der Schule klappert bei jedem Auto.' };
  await fill(page, m);
  // A bot fills the hidden field (here through the DevTools protocol, as a bot would).
  await w.locator('#civic-mb-website').evaluate((e) => {
    e.value = 'http://spam.example';
    e.dispatchEvent(new Event('input', { bubbles: true }));
  });
  // Right away, faster than the minimum fill time: the widget is not refused for it, it waits
  // (the proof-of-work solved and the rest of the fill time), and the server sees the honeypot.
  await w.getByRole('button', { name: 'Nachricht senden' }).click();
  const refused = w.locator('.civic-refused');
  await refused.getByText('Ein verstecktes Feld zum Schutz vor automatisierten Einsendungen war ausgefüllt').waitFor();
  assert.equal(await refused.getAttribute('role'), 'alert');
  await expectKept(page, m);
  assert.equal(await w.locator('.civic-receipt').count(), 0, 'no receipt');
  await w.screenshot({ path: join(OUT, 'mailbox-honeypot-phone.png') });
  // Nothing reached the office.
  const admin = await officeLogin(inbox, 'admin');
  assert.doesNotMatch(JSON.stringify(await officeApi(inbox, admin, 'GET', '/office/api/messages')), /Gullydeckel/);
  noProblems(page);
  await page.context().close();
});

test('with an e-mail address: a receipt mail without the text, and the office reply arrives by mail', async () => {
  const page = await newPage(browser, { width: 375, height: 740 });
  const shownAt = await openForm(page, inbox);
  const w = widget(page);
  await w.screenshot({ path: join(OUT, 'mailbox-form-phone.png') });
  const secret = 'Die Mitarbeiterin am Bürgerbüro war ausgesprochen freundlich und geduldig.';
  const m = { kind: 'lob', subject: 'Lob für das Bürgerbüro', message: secret, name: 'Paula Post', email: 'paula@example.org' };
  await fill(page, m);
  // A reload (a phone dropping the tab) keeps kind, subject and message, never the contact data.
  await page.reload();
  await w.locator('#civic-mb-kind option[value="lob"]').waitFor({ state: 'attached' });
  const reloadedAt = Date.now();
  assert.equal(await w.getByLabel('Art der Nachricht').inputValue(), 'lob');
  assert.equal(await w.getByLabel('Betreff').inputValue(), m.subject);
  assert.equal(await w.getByLabel('Ihre Nachricht').inputValue(), secret);
  await w.getByText(`${secret.length} / `, { exact: false }).waitFor();
  assert.equal(await w.getByLabel('E-Mail', { exact: true }).inputValue(), '', 'the e-mail address is not kept');
  assert.equal(await w.getByLabel('Name', { exact: true }).inputValue(), '');
  assert.doesNotMatch(await page.evaluate(() => JSON.stringify(sessionStorage)), /paula|Paula/);
  await w.getByLabel('Name', { exact: true }).fill(m.name);
  await w.getByLabel('E-Mail', { exact: true }).fill(m.email);
  await fillTimePassed(Math.max(shownAt, reloadedAt));
  const reference = await sendAndReadReceipt(page);
  // Sent: the draft is gone, a reload shows an empty form.
  assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('civickit-draft:mailbox'))), []);
  await page.reload();
  await w.locator('#civic-mb-kind option[value="lob"]').waitFor({ state: 'attached' });
  assert.equal(await w.getByLabel('Betreff').inputValue(), '');

  const receipt = await waitForMail((x) => x.to.includes('paula@example.org') && x.body.includes(reference), 'the receipt mail');
  assert.ok(!receipt.body.includes(secret), 'the receipt does not echo the message');
  assert.ok(!receipt.body.includes('freundlich'), 'not even a part of it');
  assert.ok(!receipt.subject.includes('Bürgerbüro') || receipt.subject.includes(reference));

  // The admin forwards it to the Bauhof, the Bauhof's editor answers.
  const admin = await officeLogin(inbox, 'admin');
  const bauhof = admin.me.departments.find((d) => d.name === 'Bauhof');
  assert.ok(bauhof, 'the demo town has a Bauhof');
  await officeApi(inbox, admin, 'POST', `/office/api/messages/${reference}/forward`, { department_id: bauhof.id, send_email: false });
  const editor = await officeLogin(inbox, 'editor');
  const seen = await officeApi(inbox, editor, 'GET', `/office/api/messages/${reference}`);
  assert.ok(JSON.stringify(seen).includes(secret), 'the editor reads the message');
  const answer = 'Vielen Dank für Ihr Lob, wir haben es an das Team weitergegeben. Ihr Bauhof';
  await officeApi(inbox, editor, 'POST', `/office/api/messages/${reference}/reply`, { text: answer });
  const reply = await waitForMail((x) => x.to.includes('paula@example.org') && x.body.includes('an das Team weitergegeben'), 'the reply mail');
  assert.match(reply.subject, new RegExp(reference));
  noProblems(page);
  await page.context().close();
});

test('an expired form token: the widget fetches a fresh one, the text stays, sending again works', async () => {
  const page = await newPage(browser);
  let shownAt = await openForm(page, inbox);
  const w = widget(page);
  const m = { kind: 'anregung', subject: 'Sitzbank am Friedhof', message: 'Am Friedhofseingang fehlt eine Sitzbank zum Ausruhen.' };
  await fill(page, m);
  await fillTimePassed(shownAt);
  // The token the server sees has expired (the page stood open too long): forged here in transit.
  let configs = 0;
  page.on('request', (r) => { if (/\/mailbox\?/.test(r.url())) configs++; });
  await page.route(/\/messages\?/, (route) => {
    const body = JSON.parse(route.request().postData());
    body.form_token = '1000000000.00';
    return route.continue({ postData: JSON.stringify(body) });
  });
  await w.getByRole('button', { name: 'Nachricht senden' }).click();
  await w.locator('.civic-refused').getByText('Das Formular war abgelaufen und wurde eben erneuert.').waitFor();
  await expectKept(page, m);
  await until(() => configs === 1, 'a fresh form token fetched');
  shownAt = Date.now();
  await page.unroute(/\/messages\?/);
  await fillTimePassed(shownAt);
  await sendAndReadReceipt(page);
  noProblems(page);
  await page.context().close();
});

test('a town without anonymous messages requires name and e-mail or phone', async () => {
  const admin = await officeLogin(inbox, 'admin');
  await officeApi(inbox, admin, 'POST', '/office/api/mailbox-settings', { anonymous_allowed: false });
  try {
    const page = await newPage(browser);
    await openForm(page, inbox);
    const w = widget(page);
    await w.getByText('Kontaktdaten (Pflicht: Name sowie E-Mail oder Telefon)').waitFor();
    assert.equal(await w.getByLabel('Name', { exact: true }).getAttribute('aria-required'), 'true');
    await fill(page, { kind: 'frage', subject: 'Sperrmüll', message: 'Wann ist der nächste Sperrmülltermin?' });
    await w.getByRole('button', { name: 'Nachricht senden' }).click();
    await w.getByText('Bitte geben Sie Ihren Namen an; anonyme Nachrichten nimmt diese Gemeinde nicht an.').waitFor();
    await w.getByText('Damit wir antworten können, geben Sie bitte eine E-Mail-Adresse oder Telefonnummer an.').waitFor();
    await until(async () => /input#civic-mb-name/.test(await focused(page)), 'focus on the name field');
    noProblems(page);
    await page.context().close();
  } finally {
    await officeApi(inbox, admin, 'POST', '/office/api/mailbox-settings', { anonymous_allowed: true });
  }
});

test('a page with only the mailbox downloads no map code, also under a strict CSP on another origin', async () => {
  const api = inbox.url;
  const csp = `default-src 'none'; script-src ${api} 'wasm-unsafe-eval'; style-src ${api}; img-src ${api} data:; connect-src ${api}`;
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>CMS</title>
    <script src="${api}/widgets/civic.js" defer></script></head><body>
    <div data-civic-widget="mailbox" data-tenant="musterstadt" data-kind="idee" data-lang="en"></div></body></html>`;
  const host = await startHostPages({ '/cms.html': { html, headers: { 'Content-Security-Policy': csp } } });
  try {
    const page = await newPage(browser);
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(host.url + '/cms.html');
    const w = page.locator('[data-civic-widget=mailbox]');
    await w.locator('form.civic-mailbox').waitFor();
    await w.getByRole('heading', { name: 'Citizen mailbox Musterstadt' }).waitFor();
    await until(async () => (await w.getByLabel('Kind of message').inputValue()) === 'idee', 'data-kind preselects "Idea"');
    assert.equal(await w.locator('#civic-mb-kind option[value=idee]').textContent(), 'Idea');
    // The built loader asks for `…_bg.wasm?v=HASH` (content-versioned, cached for a year).
    assert.ok(requested.some((u) => new URL(u).pathname.endsWith('/widgets/civic_mailbox_bg.wasm')), 'its own wasm');
    for (const u of requested) assert.doesNotMatch(u, /leaflet|civic_reports|civic_poll|tiles/, `no map code: ${u}`);
    assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no CSP violation');
    noProblems(page);
    await page.context().close();
  } finally {
    await host.stop();
  }
});
