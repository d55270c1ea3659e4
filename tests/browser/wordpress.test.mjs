// The WordPress plugin in a real WordPress (Debian's 6.1, its default theme, MariaDB, PHP's
// built-in server; tests/browser/wordpress/site.mjs): installed from the zip the civickit
// server serves, set up by an administrator, used by an author, whose posts WordPress strips
// of <script> and unknown elements, and by a contributor; seen by a citizen in Chromium.
// The WordPress site is German (WPLANG de_DE), as a town's is; WordPress's own screens stay
// English (Debian's translations are not installed), the plugin's are German.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startServer, launchBrowser, newPage, screenshot } from './harness.mjs';
import { missing, sql, startWordPress } from './wordpress/site.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PLUGIN = join(ROOT, 'www/integrations/wordpress/civickit');
const run = promisify(execFile);

let server;
let browser;
let wp;
let scratch;
const author = { user: 'autorin', password: 'Autorin-Passwort-2026', role: 'author' };
const contributor = { user: 'mitarbeiter', password: 'Mitarbeiter-Passwort-2026', role: 'contributor' };
const posts = {};

before(async () => {
  const lacks = await missing();
  assert.deepEqual(lacks, [], 'this machine lacks what the WordPress test needs; `cargo xtask setup` installs it');
  scratch = mkdtempSync(join(tmpdir(), 'civickit-wp-zip-'));
  [server, browser, wp] = await Promise.all([
    startServer(),
    launchBrowser(),
    // Avatars off, as a German town's site has them (Gravatar would learn every visitor).
    startWordPress({ WPLANG: 'de_DE', permalink_structure: '/%postname%/', show_avatars: '0' }),
  ]);
}, { timeout: 90_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
  await wp?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A browser of its own for `who` ({user, password}), logged in to WordPress.
 *  Once in a CI run (75 of 76 browser tests green) WordPress answered a correct login with its
 *  login page again, which these tests do not test: a refused login is tried once more, said
 *  in the test's output with WordPress's message, and fails the test the second time. */
async function login(who) {
  const page = await newPage(browser);
  for (let attempt = 1; ; attempt++) {
    await page.goto(wp.url + '/wp-login.php');
    await page.locator('#user_login').fill(who.user);
    await page.locator('#user_pass').fill(who.password);
    await page.locator('#wp-submit').click();
    try {
      await page.waitForURL(/\/wp-admin\/?/, { timeout: 20_000 });
      return page;
    } catch (e) {
      const said = await page.locator('#login_error').textContent({ timeout: 1000 }).catch(() => 'no message');
      if (attempt === 2) throw new Error(`WordPress refused ${who.user} twice (${said.trim()}): ${e.message}`);
      console.log(`# WordPress refused the login of ${who.user} once (${said.trim()}); trying again`);
    }
  }
}

/** WordPress's REST API from a logged-in page, as the block editor calls it (cookie + nonce). */
async function rest(page, method, path, body) {
  const answer = await page.evaluate(async ({ method, path, body }) => {
    const nonce = await (await fetch('/wp-admin/admin-ajax.php?action=rest-nonce')).text();
    const r = await fetch('/wp-json' + path, {
      method,
      headers: { 'X-WP-Nonce': nonce, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, json: await r.json() };
  }, { method, path, body });
  assert.ok(answer.status < 300, `${method} ${path}: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json;
}

/** A visitor's browser on `url`, counting every request to the civickit server. */
async function visit(url) {
  const page = await newPage(browser);
  page.civickit = [];
  page.on('request', (r) => { if (r.url().startsWith(server.url)) page.civickit.push(new URL(r.url()).pathname); });
  await page.goto(url);
  return page;
}

function noProblems(page) {
  assert.deepEqual(page.problems, [], 'no console errors, failed requests or HTTP errors');
}

test("the plugin's PHP passes php -l", async () => {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.php')) files.push(join(dir, e.name));
    }
  };
  walk(PLUGIN);
  files.push(join(ROOT, 'tests/browser/wordpress/router.php'));
  assert.ok(files.length >= 7, `found ${files.length} PHP files`);
  for (const file of files) {
    const { stdout } = await run('php', ['-l', file]);
    assert.match(stdout, /No syntax errors detected/, file);
  }
});

test('an administrator uploads the zip from the civickit server, activates it and sets server and town', { timeout: 60_000 }, async () => {
  const zip = await fetch(server.url + '/integrations/civickit-wordpress.zip');
  assert.equal(zip.status, 200, 'the civickit server serves the plugin');
  const file = join(scratch, 'civickit-wordpress.zip');
  writeFileSync(file, Buffer.from(await zip.arrayBuffer()));

  const page = await login(wp.admin);
  await page.goto(wp.url + '/wp-admin/plugin-install.php?tab=upload');
  await page.locator('#pluginzip').setInputFiles(file);
  await page.locator('#install-plugin-submit').click();
  await page.getByText('Plugin installed successfully.').waitFor({ timeout: 30_000 });
  await page.getByRole('link', { name: 'Activate Plugin' }).click();
  await page.getByText('Plugin activated.').waitFor();
  assert.ok(existsSync(join(wp.root, 'wp-content/plugins/civickit/languages/civickit-de_DE.mo')), 'unpacked with its German texts');

  await page.getByRole('link', { name: 'Einstellungen', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'civickit' }).waitFor();
  const address = page.getByLabel('Adresse des civickit-Servers');
  const town = page.getByLabel('Standard-Gemeinde (Kürzel)');
  // A path is refused with a reason, and nothing is stored.
  await address.fill(server.url + '/widgets');
  await town.fill('Muster Stadt');
  await page.getByRole('button', { name: 'Save Changes' }).click();
  await page.getByText('Die Server-Adresse muss wie https://buerger.example.de aussehen').waitFor();
  await page.getByText('Das Kürzel einer Gemeinde besteht nur aus Kleinbuchstaben').waitFor();
  assert.equal(await address.inputValue(), '');
  assert.equal(await town.inputValue(), '');
  await screenshot(page, 'wordpress-settings-refused.png');

  await address.fill(server.url + '/');
  await town.fill('musterstadt');
  await page.getByRole('button', { name: 'Save Changes' }).click();
  await page.getByText('Settings saved.').waitFor();
  assert.equal(await address.inputValue(), server.url, 'stored as the origin');
  assert.equal(await town.inputValue(), 'musterstadt');
  assert.equal(await sql("SELECT COUNT(*) FROM wp_options WHERE option_name IN ('civickit_server', 'civickit_tenant')", wp.database), '2');

  // The people who write: an author and a contributor, made through the REST API.
  for (const who of [author, contributor]) {
    await rest(page, 'POST', '/wp/v2/users', {
      username: who.user, password: who.password, email: `${who.user}@musterstadt.example`, roles: [who.role],
    });
  }
  await page.context().close();
});

test("an author's post with shortcodes shows working widgets, loads civic.js once, and a citizen files a report", { timeout: 90_000 }, async () => {
  const page = await login(author);
  // What the README's snippet does in an author's post: WordPress removes it.
  const pasted = `<!-- wp:html -->\n<script src="${server.url}/widgets/civic.js" defer></script>\n<civic-reports data-tenant="musterstadt"></civic-reports>\n<!-- /wp:html -->`;
  const post = await rest(page, 'POST', '/wp/v2/posts', {
    title: 'Mängel melden',
    status: 'publish',
    content: [
      '<!-- wp:paragraph -->\n<p>Schlagloch, kaputte Laterne, wilder Müll? Melden Sie es hier.</p>\n<!-- /wp:paragraph -->',
      pasted,
      '<!-- wp:shortcode -->\n[civickit widget="reports"]\n<!-- /wp:shortcode -->',
      '<!-- wp:shortcode -->\n[civickit widget="mailbox" lang="en"]\n<!-- /wp:shortcode -->',
      '<!-- wp:shortcode -->\n[civickit widget="stats"]\n<!-- /wp:shortcode -->',
    ].join('\n\n'),
  });
  assert.doesNotMatch(post.content.raw, /<script|<civic-reports/, "kses stripped the pasted snippet from the author's post");
  posts.shortcodes = post.link;
  await page.context().close();

  const visitor = await visit(posts.shortcodes);
  const reports = visitor.locator('civic-reports');
  const mailbox = visitor.locator('civic-mailbox');
  await reports.locator('.civic-legend').waitFor({ timeout: 30_000 });
  await reports.getByRole('button', { name: 'Mangel melden' }).waitFor();
  await mailbox.getByRole('heading', { level: 2, name: 'Citizen mailbox Musterstadt' }).waitFor({ timeout: 30_000 });
  // The processing statistics through the shortcode: the town's headline count.
  const stats = visitor.locator('civic-stats');
  await stats.getByRole('heading', { name: 'Bearbeitungsstatistik Musterstadt' }).waitFor({ timeout: 30_000 });
  await stats.getByRole('table').first().waitFor();
  const html = await visitor.content();
  assert.equal(html.match(/<script[^>]+\/widgets\/civic\.js/g)?.length, 1, 'one loader tag for three widgets');
  assert.deepEqual(visitor.civickit.filter((p) => p === '/widgets/civic.js'), ['/widgets/civic.js'], 'civic.js fetched once');
  assert.ok(html.indexOf('/widgets/civic.js') > html.indexOf('<civic-mailbox'), 'the loader comes after the widgets, in the footer');
  // The theme's typeface reaches the widget's text; no other theme CSS does.
  const fonts = await visitor.evaluate(() => ({
    theme: getComputedStyle(document.querySelector('.wp-block-post-content p, .entry-content p')).fontFamily,
    widget: getComputedStyle(document.querySelector('civic-reports').shadowRoot.querySelector('.civic-legend')).fontFamily,
  }));
  assert.equal(fonts.widget, fonts.theme, 'the widget writes in the theme font');
  await screenshot(visitor, 'wordpress-shortcodes.png');

  // A citizen reports through the shortcode's widget.
  await reports.getByRole('button', { name: 'Mangel melden' }).click();
  await reports.getByRole('heading', { name: 'Ort wählen' }).waitFor();
  await reports.getByLabel(/^Ort beschreiben/).fill('Vor der Bäckerei am Markt');
  await reports.getByRole('button', { name: 'Weiter', exact: true }).click();
  await reports.locator('#civic-category').selectOption('muell');
  await reports.getByLabel('Beschreibung').fill('Gemeldet über die WordPress-Seite der Gemeinde.');
  await reports.getByRole('button', { name: 'Weiter zur Vorschau' }).click();
  await reports.getByRole('button', { name: 'Meldung absenden' }).click();
  const ref = (await reports.locator('.civic-ref').textContent({ timeout: 30_000 })).trim();
  assert.match(ref, /^M-\d{4}-\d{5}$/);
  assert.deepEqual(await visitor.evaluate(() => window.__created), [ref], 'civic:report-created reached the page');
  await screenshot(visitor, 'wordpress-report-sent.png');
  noProblems(visitor);
  await visitor.context().close();
});

test("an author's post with blocks shows an English map and a poll", { timeout: 60_000 }, async () => {
  const page = await login(author);
  const post = await rest(page, 'POST', '/wp/v2/posts', {
    title: 'Mitmachen',
    status: 'publish',
    content: [
      '<!-- wp:civickit/widget {"lang":"en","align":"wide"} /-->',
      '<!-- wp:civickit/widget {"widget":"poll","poll":"sitzbaenke"} /-->',
    ].join('\n\n'),
  });
  posts.blocks = post.link;
  await page.context().close();

  const visitor = await visit(posts.blocks);
  const reports = visitor.locator('civic-reports');
  await reports.getByText('Red: received, not yet processed').waitFor({ timeout: 30_000 });
  await reports.getByRole('button', { name: 'Report a problem' }).waitFor();
  assert.deepEqual((await reports.getAttribute('class')).split(' ').sort(), ['alignwide', 'wp-block-civickit-widget'],
    "the block's class and alignment are on the element");
  const poll = visitor.locator('civic-poll');
  await poll.getByRole('heading', { name: 'Stimmungsbild: Neue Sitzbänke am Dorfplatz?' }).waitFor({ timeout: 30_000 });
  assert.deepEqual(visitor.civickit.filter((p) => p === '/widgets/civic.js'), ['/widgets/civic.js'], 'civic.js fetched once');
  await screenshot(visitor, 'wordpress-blocks.png');
  noProblems(visitor);
  await visitor.context().close();
});

test('a town with quotes and markup stays inert: a note for the author, nothing for visitors', { timeout: 60_000 }, async () => {
  const evil = '"><b id="pwned">fett</b>';
  const page = await login(author);
  const post = await rest(page, 'POST', '/wp/v2/posts', {
    title: 'Kaputt',
    status: 'publish',
    content: [
      `<!-- wp:shortcode -->\n[civickit widget="reports" tenant='${evil}']\n<!-- /wp:shortcode -->`,
      `<!-- wp:civickit/widget ${JSON.stringify({ widget: 'mailbox', tenant: evil })} /-->`,
    ].join('\n\n'),
  });
  assert.ok(post.content.raw.includes('<b id="pwned">'), 'the markup reached the stored post (kses allows <b>)');

  await page.goto(post.link);
  const notes = page.locator('.civickit-problem');
  await notes.first().waitFor();
  assert.deepEqual(await notes.allTextContents(), Array(2).fill(`civickit: „${evil}“ ist kein Kürzel einer Gemeinde (Kleinbuchstaben, Ziffern und Bindestriche).`));
  assert.equal(await page.locator('#pwned, civic-reports, civic-mailbox').count(), 0, 'no element made from the attribute, no widget');
  await screenshot(page, 'wordpress-inert-author.png');
  await page.context().close();

  const visitor = await visit(post.link);
  await visitor.getByRole('heading', { name: 'Kaputt' }).waitFor();
  assert.equal(await visitor.locator('#pwned, .civickit-problem, civic-reports, civic-mailbox').count(), 0);
  assert.deepEqual(visitor.civickit, [], 'no civickit file on a page without a working widget');
  noProblems(visitor);
  await visitor.context().close();
});

test('a page without a widget loads no civickit file', async () => {
  const visitor = await visit(wp.url + '/hello-world/');
  await visitor.getByRole('heading', { name: 'Hello world!' }).first().waitFor();
  assert.deepEqual(visitor.civickit, []);
  assert.doesNotMatch(await visitor.content(), /civic\.js|civic-/);
  noProblems(visitor);
  await visitor.context().close();
});

test("the block is in the editor in the plugin's German; a contributor's preview shows the widget", { timeout: 60_000 }, async () => {
  const page = await login(contributor);
  await page.goto(wp.url + '/wp-admin/post-new.php');
  await page.waitForFunction(() => window.wp?.blocks?.getBlockType?.('civickit/widget'), null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => window.wp.blocks.getBlockType('civickit/widget').title), 'civickit-Widget');
  await page.evaluate(() => window.wp.data.dispatch('core/block-editor')
    .insertBlocks(window.wp.blocks.createBlock('civickit/widget', { widget: 'mailbox' })));
  const block = page.locator('.wp-block-civickit-widget');
  await block.getByLabel('Widget').waitFor();
  assert.equal(await block.getByLabel('Widget').inputValue(), 'mailbox');
  await block.getByLabel('Gemeinde (Kürzel)').waitFor();
  await block.getByText('Leer: musterstadt, die Standard-Gemeinde aus Einstellungen → civickit.').waitFor();
  await block.getByLabel('Widget').selectOption('poll');
  await block.getByLabel('Umfrage (Kürzel)').waitFor();
  await block.getByLabel('Widget').selectOption('mailbox');
  await screenshot(page, 'wordpress-editor-block.png');

  // Contributors may not publish: their post waits for review, and its preview shows the widget.
  const post = await rest(page, 'POST', '/wp/v2/posts', {
    title: 'Briefkasten (Entwurf)',
    status: 'pending',
    content: '<!-- wp:civickit/widget {"widget":"mailbox"} /-->',
  });
  await page.goto(`${wp.url}/?p=${post.id}&preview=true`);
  await page.locator('civic-mailbox').getByRole('heading', { level: 2, name: 'Bürgerbriefkasten Musterstadt' }).waitFor({ timeout: 30_000 });
  await page.context().close();
});

test('deleting the plugin removes its settings; it left no PHP notice', { timeout: 60_000 }, async () => {
  const page = await login(wp.admin);
  page.on('dialog', (d) => d.accept()); // "Are you sure you want to delete civickit?"
  await page.goto(wp.url + '/wp-admin/plugins.php');
  const row = page.locator('tr[data-slug="civickit"]');
  await row.getByRole('link', { name: /^Deactivate/ }).click();
  await page.getByText('Plugin deactivated.').waitFor();
  await row.getByRole('link', { name: /^Delete/ }).click();
  await page.getByText('civickit was successfully deleted.').waitFor({ timeout: 30_000 });
  await page.context().close();
  assert.equal(await sql("SELECT COUNT(*) FROM wp_options WHERE option_name LIKE 'civickit%'", wp.database), '0');
  assert.ok(!existsSync(join(wp.root, 'wp-content/plugins/civickit')), 'its files are gone');

  const log = existsSync(wp.debugLog) ? readFileSync(wp.debugLog, 'utf8') : '';
  const ours = log.split('\n').filter((l) => /plugins\/civickit\//.test(l));
  assert.deepEqual(ours, [], 'no PHP warning or notice from the plugin');
});
