// <civic-poll> in headless Chromium against the real civickit server (demo town Musterstadt):
// the open poll "sitzbaenke" (one vote per browser, results after voting) and the code poll
// "spielplatz" (printed invitation codes, live results). Asserts what a citizen sees.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startServer, startHostPages, launchBrowser, newPage, until, focused, OUT, officeLogin, officeApi, altcha,
} from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Results vote by vote for the tests of voting; the last test shows the town's interim steps.
  await setStep(1);
});

async function setStep(n) {
  const admin = await officeLogin(server, 'admin');
  await officeApi(server, admin, 'POST', '/office/api/settings', { poll_result_step: n });
}

after(async () => {
  await browser?.close();
  await server?.stop();
});

const openPoll = (page) => page.locator('civic-poll[data-poll=sitzbaenke]');
const codePoll = (page) => page.locator('civic-poll[data-poll=spielplatz]');

async function openDemo(page, anchor = '#umfrage') {
  await page.addInitScript(() => {
    window.__voted = [];
    document.addEventListener('civic:voted', (e) => window.__voted.push(e.detail && e.detail.poll));
  });
  await page.goto(server.url + '/' + anchor);
}

/** No script errors; refusals the test provoked (409/422) are expected, not problems. */
function noProblems(page) {
  const real = page.problems.filter((p) => !/(status of|^HTTP) (400|409|422|429)\b/.test(p));
  assert.deepEqual(real, [], 'no script errors, no failed requests');
}

/** The results as a citizen reads them: "Ja: 1 Stimme (100 %)" per option. */
async function resultLines(w) {
  return (await w.locator('.civic-results .civic-bar-text').allTextContents()).map((s) => s.trim());
}

test('the open poll: marked non-binding, voted with the keyboard, results after voting', async () => {
  const page = await newPage(browser);
  await openDemo(page);
  const w = openPoll(page);
  await w.getByRole('heading', { name: 'Stimmungsbild: Neue Sitzbänke am Dorfplatz?' }).waitFor();
  await w.getByText('Stimmungsbild (nicht bindend)').waitFor();
  assert.match(await w.locator('.civic-poll-state').textContent(), /Status: geöffnet · Abstimmen bis \d+\. \S+ \d{4} um \d\d:\d\d/);
  await w.getByText('Das Ergebnis sehen Sie nach Ihrer Stimmabgabe.').waitFor();
  assert.equal(await w.locator('.civic-results').count(), 0, 'no results before voting (after_voting)');
  const group = w.getByRole('group', { name: 'Sollen am Dorfplatz neue Sitzbänke aufgestellt werden?' });
  await group.waitFor();
  assert.equal(await group.getByRole('radio').count(), 3);
  await group.getByText('Bitte wählen Sie eine Antwort.').waitFor();
  await w.scrollIntoViewIfNeeded();
  await w.screenshot({ path: join(OUT, 'poll-open-desktop.png') });

  // Keyboard only: from the question's text, Tab into the radio group, arrows choose, Enter sends.
  await group.locator('legend').click();
  await page.keyboard.press('Tab');
  assert.match(await focused(page), /^input#civic-o\d+/, 'Tab reaches the first answer');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  assert.equal(await group.getByRole('radio', { name: 'Ja' }).isChecked(), true);
  await page.keyboard.press('Tab');
  assert.match(await focused(page), /^button.*Stimme abgeben/);
  await page.keyboard.press('Enter');

  await w.locator('.civic-voted').getByText('Vielen Dank! Ihre Stimme wurde gezählt.').waitFor();
  await until(async () => /civic-voted/.test(await focused(page)), 'focus on the confirmation');
  await w.getByRole('heading', { name: 'Ergebnis' }).waitFor();
  await w.getByText('1 Teilnahme', { exact: true }).waitFor();
  assert.deepEqual(await resultLines(w), ['Ja: 1 Stimme (100 %)', 'Nein: 0 Stimmen (0 %)', 'Ist mir egal: 0 Stimmen (0 %)']);
  // The bars repeat the numbers for the eye, hidden from screen readers, never the only cue.
  const widths = await w.locator('.civic-bar-fill').evaluateAll((els) => els.map((e) => e.style.width));
  assert.deepEqual(widths, ['100%', '0%', '0%']);
  assert.equal(await w.locator('.civic-bar').first().getAttribute('aria-hidden'), 'true');
  assert.equal(await w.locator('form').count(), 0, 'no second ballot');
  assert.deepEqual(await page.evaluate(() => window.__voted), ['sitzbaenke']);
  await w.screenshot({ path: join(OUT, 'poll-open-voted-desktop.png') });

  // Reload: this browser has voted (its token is in localStorage), the results stay.
  await page.reload();
  await w.getByText('Sie haben bei dieser Umfrage bereits abgestimmt. Vielen Dank!').waitFor();
  assert.match(await w.locator('.civic-poll-state').textContent(), /Status: Sie haben abgestimmt/);
  assert.equal(await w.locator('form').count(), 0);
  assert.deepEqual(await resultLines(w), ['Ja: 1 Stimme (100 %)', 'Nein: 0 Stimmen (0 %)', 'Ist mir egal: 0 Stimmen (0 %)']);
  assert.ok(await page.evaluate(() => localStorage.getItem('civickit-poll:musterstadt:sitzbaenke')), 'voter token kept');
  noProblems(page);
  await page.context().close();

  // Another browser (a fresh profile) may vote once too.
  const other = await newPage(browser, { width: 375, height: 740 });
  await openDemo(other);
  const w2 = openPoll(other);
  await w2.getByRole('radio', { name: 'Nein' }).check();
  await w2.scrollIntoViewIfNeeded();
  await w2.screenshot({ path: join(OUT, 'poll-open-phone.png') });
  await w2.getByRole('button', { name: 'Stimme abgeben' }).click();
  await w2.locator('.civic-voted').getByText('Vielen Dank! Ihre Stimme wurde gezählt.').waitFor();
  await w2.getByText('2 Teilnahmen', { exact: true }).waitFor();
  assert.deepEqual(await resultLines(w2), ['Ja: 1 Stimme (50 %)', 'Nein: 1 Stimme (50 %)', 'Ist mir egal: 0 Stimmen (0 %)']);
  await w2.screenshot({ path: join(OUT, 'poll-open-voted-phone.png') });
  noProblems(other);
  await other.context().close();
});

test('the code poll: min/max next to the question, a printed code votes once, live results', async () => {
  assert.equal(server.codes.length, 5, 'the server printed five invitation codes');
  const [code] = server.codes;
  const page = await newPage(browser);
  await openDemo(page, '#abstimmung');
  const w = codePoll(page);
  await w.getByRole('heading', { name: 'Abstimmung: Der neue Spielplatz Am Anger' }).waitFor();
  assert.equal(await w.getByText('Stimmungsbild (nicht bindend)').count(), 0, 'a code poll is not marked non-binding');
  await w.getByText('Abstimmung mit Einladungscode: Jeder Code gilt für genau eine Stimme.').waitFor();
  // Live results are visible before voting.
  await w.getByRole('heading', { name: 'Zwischenstand' }).waitFor();
  await w.getByText('0 Teilnahmen', { exact: true }).waitFor();

  const devices = w.getByRole('group', { name: 'Welche Spielgeräte wünschen Sie sich? (ein oder zwei)' });
  await devices.getByText('Wählen Sie 1 bis 2 Antworten.').waitFor();
  assert.equal(await devices.getByRole('checkbox').count(), 4);
  const light = w.getByRole('group', { name: 'Soll der Spielplatz abends beleuchtet werden?' });

  // Three in the "one or two" question: refused by the model's check, next to the question.
  await devices.getByRole('checkbox', { name: 'Kletterturm' }).check();
  await devices.getByRole('checkbox', { name: 'Wasserspielplatz' }).check();
  await devices.getByRole('checkbox', { name: 'Seilbahn' }).check();
  await light.getByRole('radio', { name: 'Ja' }).check();
  await w.getByLabel('Ihr Einladungscode').fill(code);
  await w.getByRole('button', { name: 'Stimme abgeben' }).click();
  const error = devices.locator('.civic-error');
  await error.getByText('Bei dieser Frage haben Sie zu viele Antworten gewählt.').waitFor();
  assert.match(await devices.getAttribute('aria-describedby'), new RegExp(await error.getAttribute('id')));
  assert.equal(await devices.getByRole('checkbox', { name: 'Kletterturm' }).getAttribute('aria-invalid'), 'true');
  assert.equal(await light.locator('.civic-error').textContent(), '', 'the other question is fine');
  await until(async () => /input#civic-o\d+/.test(await focused(page)), 'focus on the question with the error');
  assert.equal(await w.getByText('0 Teilnahmen', { exact: true }).count(), 1, 'nothing was counted');
  await w.scrollIntoViewIfNeeded();
  await w.screenshot({ path: join(OUT, 'poll-code-error-desktop.png') });

  // Fixed: two devices. The code as printed on the letter.
  await devices.getByRole('checkbox', { name: 'Seilbahn' }).uncheck();
  await w.getByRole('button', { name: 'Stimme abgeben' }).click();
  await w.locator('.civic-voted').getByText('Vielen Dank! Ihre Stimme wurde gezählt.').waitFor();
  await w.getByText('1 Teilnahme', { exact: true }).waitFor();
  const lines = await resultLines(w);
  assert.deepEqual(lines, [
    'Kletterturm: 1 Stimme (100 %)', 'Wasserspielplatz: 1 Stimme (100 %)', 'Sandkasten mit Bagger: 0 Stimmen (0 %)',
    'Seilbahn: 0 Stimmen (0 %)', 'Ja: 1 Stimme (100 %)', 'Nein: 0 Stimmen (0 %)',
  ]);
  assert.deepEqual(await page.evaluate(() => window.__voted), ['spielplatz']);
  await w.screenshot({ path: join(OUT, 'poll-code-voted-desktop.png') });
  noProblems(page);
  await page.context().close();

  // The same code again (another browser): refused with a clear message, choices kept.
  const again = await newPage(browser, { width: 375, height: 740 });
  await openDemo(again, '#abstimmung');
  const w2 = codePoll(again);
  await w2.getByRole('checkbox', { name: 'Sandkasten mit Bagger' }).check();
  await w2.getByRole('radio', { name: 'Nein' }).check();
  await w2.getByLabel('Ihr Einladungscode').fill(code.toLowerCase());
  await w2.getByRole('button', { name: 'Stimme abgeben' }).click();
  await w2.locator('#civic-poll-code-err').getByText('Mit diesem Code wurde bereits abgestimmt. Jeder Code gilt für eine Stimme.').waitFor();
  await w2.locator('.civic-refused[role=alert]').getByText('Mit diesem Code wurde bereits abgestimmt.').waitFor();
  assert.equal(await w2.getByLabel('Ihr Einladungscode').getAttribute('aria-invalid'), 'true');
  assert.equal(await w2.getByRole('checkbox', { name: 'Sandkasten mit Bagger' }).isChecked(), true, 'choices kept');
  assert.equal(await w2.getByText('1 Teilnahme', { exact: true }).count(), 1, 'still one vote');

  // A code that does not exist: the model's message next to the code field.
  await w2.getByLabel('Ihr Einladungscode').fill('AAAA-BBBB');
  await w2.getByRole('button', { name: 'Stimme abgeben' }).click();
  await w2.locator('#civic-poll-code-err').getByText('Dieser Code ist ungültig.').waitFor();
  await w2.scrollIntoViewIfNeeded();
  await w2.screenshot({ path: join(OUT, 'poll-code-used-phone.png') });

  // A second printed code counts.
  await w2.getByLabel('Ihr Einladungscode').fill(server.codes[1]);
  await w2.getByRole('button', { name: 'Stimme abgeben' }).click();
  await w2.getByText('2 Teilnahmen', { exact: true }).waitFor();
  noProblems(again);
  await again.context().close();
});

test('not yet open and closed polls say so, in German and English', async () => {
  const admin = await officeLogin(server, 'admin');
  const hour = 3600 * 1000;
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const question = [{ text: 'Soll der Markt samstags länger öffnen?', kind: 'single', options: ['Ja', 'Nein'] }];
  const future = await officeApi(server, admin, 'POST', '/office/api/polls', {
    title: 'Marktzeiten', description: 'Ab nächster Woche.', mode: 'open', visibility: 'after_closing',
    opens_at: iso(Date.now() + 48 * hour), closes_at: iso(Date.now() + 96 * hour), questions: question,
  });
  const past = await officeApi(server, admin, 'POST', '/office/api/polls', {
    title: 'Weihnachtsbaum', description: 'Wo soll er stehen?', mode: 'open', visibility: 'after_closing',
    opens_at: iso(Date.now() - 2 * hour), closes_at: iso(Date.now() + 96 * hour), questions: question,
  });
  await officeApi(server, admin, 'POST', `/office/api/polls/${past.slug}/close`, {});

  const api = server.url;
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>CMS</title>
    <script src="${api}/widgets/civic.js" defer></script></head><body>
    <civic-poll id="future" data-tenant="musterstadt" data-poll="${future.slug}"></civic-poll>
    <civic-poll id="past" data-tenant="musterstadt" data-poll="${past.slug}"></civic-poll>
    <div data-civic-widget="poll" id="en" data-tenant="musterstadt" data-poll="${future.slug}" data-lang="en"></div>
    </body></html>`;
  const host = await startHostPages({ '/polls.html': { html, headers: {} } });
  try {
    const page = await newPage(browser);
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(host.url + '/polls.html');
    const soon = page.locator('#future');
    await soon.getByRole('heading', { name: 'Marktzeiten' }).waitFor();
    assert.match(await soon.locator('.civic-poll-state').textContent(), /Status: noch nicht geöffnet · Beginn: \d+\. \S+ \d{4} um \d\d:\d\d/);
    assert.equal(await soon.locator('form').count(), 0, 'no ballot before the opening');
    const closed = page.locator('#past');
    await closed.getByRole('heading', { name: 'Weihnachtsbaum' }).waitFor();
    assert.match(await closed.locator('.civic-poll-state').textContent(), /Status: beendet · Beendet am/);
    assert.equal(await closed.locator('form').count(), 0, 'no ballot after closing');
    await closed.getByRole('heading', { name: 'Ergebnis' }).waitFor();
    await closed.getByText('0 Teilnahmen', { exact: true }).waitFor();
    const en = page.locator('#en');
    await en.getByText('Opinion poll (not binding)').waitFor();
    assert.match(await en.locator('.civic-poll-state').textContent(), /Status: not open yet · Opens: \d+ \S+ \d{4} at \d\d:\d\d/);
    await page.screenshot({ path: join(OUT, 'poll-states-desktop.png'), fullPage: true });
    for (const u of requested) assert.doesNotMatch(u, /leaflet|civic_reports|civic_mailbox|tiles/, `no map code: ${u}`);
    noProblems(page);
    await page.context().close();
  } finally {
    await host.stop();
  }
});

test('interim results: they move only every N votes, and the widget says so', async () => {
  await setStep(5);
  const admin = await officeLogin(server, 'admin');
  const poll = await officeApi(server, admin, 'POST', '/office/api/polls', {
    title: 'Brunnenfest', description: 'Wann soll es stattfinden?', mode: 'open', visibility: 'live',
    opens_at: '2020-01-01T00:00:00Z', closes_at: '2099-01-01T00:00:00Z',
    questions: [{ text: 'Welcher Monat?', kind: 'single', options: ['Juni', 'Juli', 'August'] }],
  });
  // Six votes from six "browsers": June, July, June, August, June, then July.
  const api = `${server.url}/api/v1/musterstadt/polls/${poll.slug}`;
  for (const month of ['Juni', 'Juli', 'Juni', 'August', 'Juni', 'Juli']) {
    const shown = await (await fetch(api)).json();
    const q = shown.questions[0];
    const r = await fetch(`${api}/votes`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ voter_token: shown.voter_token, answers: [{ question: q.id, options: [q.options.find((o) => o.text === month).id] }],
        altcha: await altcha(server, 'vote') }),
    });
    assert.equal(r.status, 201, await r.text());
  }
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>CMS</title>
    <script src="${server.url}/widgets/civic.js" defer></script></head><body>
    <civic-poll id="de" data-tenant="musterstadt" data-poll="${poll.slug}"></civic-poll>
    <civic-poll id="en" data-tenant="musterstadt" data-poll="${poll.slug}" data-lang="en"></civic-poll>
    </body></html>`;
  const host = await startHostPages({ '/fest.html': { html, headers: {} } });
  try {
    const page = await newPage(browser, { width: 390, height: 844 }, { hasTouch: true, isMobile: true });
    await page.goto(host.url + '/fest.html');
    const w = page.locator('#de');
    // The standing after five votes, though six were cast.
    await w.getByRole('heading', { name: 'Zwischenstand' }).waitFor();
    await w.getByText('Zwischenstand nach jeweils 5 Stimmen', { exact: true }).waitFor();
    await w.getByText('5 Teilnahmen', { exact: true }).waitFor();
    assert.deepEqual(await resultLines(w), ['Juni: 3 Stimmen (60 %)', 'Juli: 1 Stimme (20 %)', 'August: 1 Stimme (20 %)']);
    await page.locator('#en').getByText('Interim result, updated every 5 votes', { exact: true }).waitFor();
    // A seventh vote, in the widget: counted, and the standing has not moved.
    await w.getByRole('radio', { name: 'August' }).check();
    await w.getByRole('button', { name: 'Stimme abgeben' }).click();
    await w.locator('.civic-voted').getByText('Vielen Dank! Ihre Stimme wurde gezählt.').waitFor();
    await w.getByText('Zwischenstand nach jeweils 5 Stimmen', { exact: true }).waitFor();
    assert.deepEqual(await resultLines(w), ['Juni: 3 Stimmen (60 %)', 'Juli: 1 Stimme (20 %)', 'August: 1 Stimme (20 %)']);
    await w.scrollIntoViewIfNeeded();
    await w.screenshot({ path: join(OUT, 'poll-interim-phone.png') });
    noProblems(page);
    await page.context().close();

    // Once the poll has closed: the exact result, without the note.
    await officeApi(server, admin, 'POST', `/office/api/polls/${poll.slug}/close`, {});
    const after = await newPage(browser, { width: 390, height: 844 });
    await after.goto(host.url + '/fest.html');
    const closed = after.locator('#de');
    await closed.getByRole('heading', { name: 'Ergebnis' }).waitFor();
    await closed.getByText('7 Teilnahmen', { exact: true }).waitFor();
    assert.equal(await closed.locator('.civic-interim').count(), 0, 'no interim note on the final result');
    assert.deepEqual(await resultLines(closed), ['Juni: 3 Stimmen (42,9 %)', 'Juli: 2 Stimmen (28,6 %)', 'August: 2 Stimmen (28,6 %)']);
    noProblems(after);
    await after.context().close();
  } finally {
    await host.stop();
    await setStep(1);
  }
});

// ---- the office API (to make polls in other states) --------------------------------------

