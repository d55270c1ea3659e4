// A real WordPress for tests/browser/wordpress.test.mjs: Debian's package (`cargo xtask setup`
// installs it) copied into a throw-away folder with a wp-config.php of its own (Debian's reads
// /etc/wordpress, which would need root), a throw-away MariaDB database, and PHP's built-in
// server with router.php for pretty links. Installed over HTTP, as a webmaster's browser does.

import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));
export const WORDPRESS = '/usr/share/wordpress';
/** The MariaDB account `cargo xtask setup` makes for this test: it may only touch databases
 *  named civickit_wp_… (crates/xtask/src/setup.rs). */
export const DB = { host: '127.0.0.1', port: 3306, user: 'civickit_wp', password: 'civickit_wp' };

function onPath(program) {
  return (process.env.PATH || '').split(':').some((d) => d && existsSync(join(d, program)));
}
const CLIENT = onPath('mariadb') ? 'mariadb' : 'mysql';

/** What this machine lacks for the test, in words; empty when all is there. */
export async function missing() {
  const lacks = [];
  if (!onPath('php')) lacks.push('php (Debian php-cli)');
  else {
    const { stdout } = await run('php', ['-m']);
    if (!/^mysqli$/m.test(stdout)) lacks.push("PHP's mysqli (Debian php-mysql)");
  }
  if (!existsSync(join(WORDPRESS, 'wp-settings.php'))) lacks.push(`WordPress in ${WORDPRESS} (Debian wordpress)`);
  if (!onPath(CLIENT)) lacks.push('a MariaDB client (Debian mariadb-client)');
  else {
    try {
      await sql('SELECT 1');
    } catch (e) {
      lacks.push(`the MariaDB account ${DB.user} at ${DB.host}:${DB.port} (${e.message.split('\n')[1] || e.message})`);
    }
  }
  return lacks;
}

/** Runs SQL as the test's account; the answer as tab-separated text without headers. */
export async function sql(statements, database) {
  const args = ['--protocol=TCP', '-h', DB.host, '-P', String(DB.port), '-u', DB.user, `-p${DB.password}`,
    '--batch', '--skip-column-names', '-e', statements];
  if (database) args.push(database);
  const { stdout } = await run(CLIENT, args, { timeout: 20_000 });
  return stdout.trim();
}

async function freePort() {
  const probe = createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  return port;
}

function config({ database, url, debugLog }) {
  const salt = () => randomBytes(32).toString('hex');
  const keys = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT',
    'LOGGED_IN_SALT', 'NONCE_SALT'].map((k) => `define('${k}', '${salt()}');`).join('\n');
  return `<?php
define('DB_NAME', '${database}');
define('DB_USER', '${DB.user}');
define('DB_PASSWORD', '${DB.password}');
define('DB_HOST', '${DB.host}:${DB.port}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
${keys}
$table_prefix = 'wp_';
define('WP_HOME', '${url}');
define('WP_SITEURL', '${url}');
define('WP_ENVIRONMENT_TYPE', 'local');
// PHP's notices go to a file the test reads, never into pages.
define('WP_DEBUG', true);
define('WP_DEBUG_LOG', '${debugLog}');
define('WP_DEBUG_DISPLAY', false);
// No calls home: this machine's network is closed, and a test must not wait on it.
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
// Plugins are uploaded into this folder as the PHP server's own user.
define('FS_METHOD', 'direct');
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
`;
}

/** Copies WordPress, makes its database, starts PHP's server and installs WordPress with
 *  `admin` as administrator. `options`: WordPress options to set after the install (e.g.
 *  `{ WPLANG: 'de_DE', permalink_structure: '/%postname%/' }`; values are the test's own,
 *  written into SQL as they are). */
export async function startWordPress(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'civickit-wp-'));
  const root = join(dir, 'site');
  // -L: Debian links jQuery, underscore and others to /usr/share/javascript by relative paths.
  await run('cp', ['-rL', WORDPRESS, root]);
  rmSync(join(root, 'wp-config.php'));
  const database = `civickit_wp_${process.pid}`;
  await sql(`DROP DATABASE IF EXISTS ${database}; CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const debugLog = join(dir, 'debug.log');
  writeFileSync(join(root, 'wp-config.php'), config({ database, url, debugLog }));

  // Several workers: a page's styles and scripts come from this server too. The workers
  // outlive a killed parent, so the server gets a process group of its own, stopped whole.
  const php = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', root, join(HERE, 'router.php')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
    detached: true,
  });
  const signal = (name) => { try { process.kill(-php.pid, name); } catch { /* gone already */ } };
  let log = '';
  php.stderr.on('data', (d) => { log = (log + d).slice(-6000); });
  const site = {
    url,
    root,
    database,
    debugLog,
    admin: { user: 'admin', password: randomBytes(12).toString('base64url') },
    log: () => log,
    async stop() {
      if (php.exitCode === null) {
        const exited = new Promise((r) => php.once('exit', r));
        signal('SIGTERM');
        const t = setTimeout(() => signal('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      signal('SIGKILL'); // workers still there
      await sql(`DROP DATABASE IF EXISTS ${database}`).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await answers(url, php, () => log);
    await install(site);
    for (const [name, value] of Object.entries(options)) {
      await sql(`INSERT INTO wp_options (option_name, option_value) VALUES ('${name}', '${value}')
        ON DUPLICATE KEY UPDATE option_value = VALUES(option_value)`, database);
    }
    // Rewrite rules are made afresh on the next request for the new permalink structure.
    await sql("DELETE FROM wp_options WHERE option_name = 'rewrite_rules'", database);
  } catch (e) {
    await site.stop();
    throw e;
  }
  return site;
}

async function answers(url, php, log) {
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    if (php.exitCode !== null) throw new Error(`php -S exited with ${php.exitCode}:\n${log()}`);
    try {
      await fetch(url + '/wp-login.php', { redirect: 'manual' });
      return;
    } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  throw new Error(`PHP's server did not answer at ${url} in 20 s:\n${log()}`);
}

/** WordPress's famous five-minute install, as its form posts it. */
async function install(site) {
  const form = new URLSearchParams({
    weblog_title: 'Gemeinde Musterstadt', user_name: site.admin.user, admin_password: site.admin.password,
    admin_password2: site.admin.password, pw_weak: '1', admin_email: 'webmaster@musterstadt.example', blog_public: '0',
  });
  const r = await fetch(site.url + '/wp-admin/install.php?step=2', { method: 'POST', body: form, signal: AbortSignal.timeout(60_000) });
  const html = await r.text();
  if (r.status !== 200 || !html.includes('WordPress has been installed')) {
    throw new Error(`WordPress did not install (HTTP ${r.status}):\n${html.slice(0, 2000)}\n${site.log()}`);
  }
}
