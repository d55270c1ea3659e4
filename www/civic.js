/*! civickit widget loader (Apache-2.0). Paste once per page (twice does no harm):
 *    <script src="https://HOST/widgets/civic.js" defer></script>
 *    <civic-reports data-tenant="musterstadt"></civic-reports>
 *  or, where a CMS strips unknown tags:
 *    <div data-civic-widget="reports" data-tenant="musterstadt"></div>
 *  Options: data-lang="en"; theming with the CSS custom properties --civic-accent,
 *  --civic-font, --civic-radius on the element or any ancestor.
 *  Also <civic-mailbox data-tenant="…" [data-kind="idee"]>,
 *  <civic-poll data-tenant="…" data-poll="SLUG"> and <civic-stats data-tenant="…"> or
 *  <civic-stats data-county> (or data-civic-widget="mailbox" / "poll" / "stats").
 *  Events (bubbling, composed): civic:report-created {detail: {ref}},
 *  civic:message-sent {detail: {ref}}, civic:voted {detail: {poll}}.
 */
(function () {
  'use strict';
  if (window.__civickit) return; // the loader was pasted twice: the first one does the work

  var me = document.currentScript;
  var src = (me && me.src) || '';
  if (!src) {
    // A very old CMS may inject us without currentScript: look for our own tag.
    var tags = document.getElementsByTagName('script');
    for (var i = tags.length - 1; i >= 0; i--) {
      if (/\/civic\.js(\?|#|$)/.test(tags[i].src)) { src = tags[i].src; break; }
    }
  }
  var BASE = new URL('.', src || location.href).href; // …/widgets/
  var API = new URL(BASE).origin;                     // the API lives on the loader's origin

  var civic = (window.__civickit = { base: BASE, api: API, version: 1 });

  // The widgets built to wasm, one wasm each; only reports loads Leaflet (map: true).
  var WASM = {
    reports: { map: true, mount: 'mount_reports' },
    mailbox: { map: false, mount: 'mount_mailbox' },
    poll: { map: false, mount: 'mount_poll' },
    stats: { map: false, mount: 'mount_stats' }
  };
  var NAMES = ['reports', 'mailbox', 'poll', 'stats'];
  // File name -> content hash of the widgets' wasm and glue, written here by `cargo xtask
  // build`. `?v=HASH` names those exact bytes, so browsers may keep them for a year while
  // this loader (the one stable URL) is revalidated every few minutes. Empty in www/.
  var VERSIONS = {};
  function versioned(file) {
    return BASE + file + (VERSIONS[file] ? '?v=' + VERSIONS[file] : '');
  }
  var TEXTS = {
    de: { loading: 'Wird geladen …', failed: 'Dieser Bereich konnte nicht geladen werden. Bitte prüfen Sie Ihre Verbindung.',
          retry: 'Erneut versuchen', soon: 'demnächst verfügbar',
          names: { reports: 'Mängelmelder', mailbox: 'Bürgerbriefkasten', poll: 'Umfrage', stats: 'Statistik' } },
    en: { loading: 'Loading …', failed: 'This section could not be loaded. Please check your connection.',
          retry: 'Try again', soon: 'coming soon',
          names: { reports: 'Report a problem', mailbox: 'Citizen mailbox', poll: 'Poll', stats: 'Statistics' } }
  };

  var once = {};
  function memo(key, make) {
    if (!once[key]) {
      once[key] = make();
      once[key]['catch'](function () { delete once[key]; }); // a failed load may be retried
    }
    return once[key];
  }

  function loadScript(url) {
    return memo('script:' + url, function () {
      return new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = url;
        s.async = true;
        s.onload = function () { resolve(); };
        s.onerror = function () { s.remove(); reject(new Error('could not load ' + url)); };
        document.head.appendChild(s);
      });
    });
  }

  /** For the widgets: the proof-of-work of one form, `url` its GET …/challenge?purpose=…;
   *  {start(), send(url, bodyJson, headers?) -> Promise<Response>} (see www/pow.mjs). pow.js
   *  (solver, challenge client and the "Meldung melden" form) is fetched only when first
   *  needed, from our origin like Leaflet and the glue, so the strict CSP the README documents
   *  needs nothing new and no widget's first load grows. */
  function pow() {
    return loadScript(versioned('pow.js')).then(function () {
      if (!civic.pow) throw new Error('civickit: pow.js did not load');
      return civic.pow;
    });
  }
  civic.challenge = function (url) {
    var real;
    function get() { return pow().then(function (p) { return real || (real = p.challenge(url)); }); }
    return {
      start: function () { get()['catch'](function () {}); },
      send: function (post, body, headers) { return get().then(function (h) { return h.send(post, body, headers); }); }
    };
  };
  /** The flag form into `root` (see www/flag.mjs). */
  civic.flag = function (root, options) {
    return pow().then(function (p) { p.flag(root, options); });
  };

  // Our CSS as one constructable stylesheet shared by every widget on the page.
  function styles() {
    return memo('css', function () {
      return fetch(BASE + 'civic.css').then(function (r) {
        if (!r.ok) throw new Error('civic.css: ' + r.status);
        return r.text();
      }).then(function (css) {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        return sheet;
      });
    });
  }

  // Everything a widget needs starts at once (the chain loader → Leaflet → glue → wasm →
  // config → reports cost a round trip per hop on a phone): Leaflet, the glue module and the
  // wasm are fetched in parallel, the wasm compiled while it streams in. The glue's imports
  // name the global L only when called, so the wasm may be ready before Leaflet; the widget is
  // mounted when both are.
  function wasm(name) {
    var spec = WASM[name];
    return memo('wasm:' + name, function () {
      // If Leaflet cannot load, the widget still works with its list view and text locations.
      var leaflet = spec.map ? loadScript(BASE + 'leaflet.js')['catch'](function () {}) : Promise.resolve();
      var bytes = fetch(versioned('civic_' + name + '_bg.wasm'));
      var ready = import(versioned('civic_' + name + '.js')).then(function (m) {
        return m['default']({ module_or_path: bytes }).then(function () { return m; });
      });
      return Promise.all([ready, leaflet]).then(function (r) { return r[0]; });
    });
  }

  // The widget API's first answers, asked for while the wasm compiles: the town's config and,
  // for a map widget, the map of its first view. The widget's fetches look here first
  // (`civic.take`), so its first render already has its data. Each answer is used once.
  var early = [];
  function remember(url, promise) {
    var entry = { url: url, tiles: tilesOf(url), answer: promise };
    early.push(entry);
    promise['catch'](function () { forget(entry); });
    setTimeout(function () { forget(entry); }, 60000); // never serve stale data later
    return promise;
  }
  function forget(entry) {
    var i = early.indexOf(entry);
    if (i >= 0) early.splice(i, 1);
  }
  function answer(url) {
    return fetch(url, { mode: 'cors' }).then(function (r) {
      return r.text().then(function (text) { return { status: r.status, text: text }; });
    });
  }
  function apiUrl(tenant, path, query, lang) {
    return API + '/api/v1/' + encodeURIComponent(tenant) + path + '?' + (query ? query + '&' : '') + 'lang=' + lang;
  }
  // The first GET each widget makes (path and query as its Rust code builds them).
  function firstRequest(host, name, tenant) {
    if (name === 'reports') return ['/config', ''];
    if (name === 'mailbox') return ['/mailbox', ''];
    // Not early: the office's exact figures (data-source="office", same-origin with the
    // session) and the county view, which has no data-tenant (so never gets here).
    if (name === 'stats') return host.getAttribute('data-source') ? null : ['/stats', 'period=12'];
    var slug = host.getAttribute('data-poll') || '';
    if (!slug) return null;
    var token = null;
    try { token = localStorage.getItem('civickit-poll:' + tenant + ':' + slug); } catch (e) { /* storage blocked */ }
    return ['/polls/' + encodeURIComponent(slug), token ? 'voter_token=' + encodeURIComponent(token) : ''];
  }
  function prefetch(host, name, tenant, language, slot, styled) {
    var first = WASM[name] && tenant && firstRequest(host, name, tenant);
    if (!first) return;
    var url = apiUrl(tenant, first[0], first[1], language);
    var config = remember(url, answer(url));
    if (!WASM[name].map) return;
    // The map's first view: the tiles around the town's centre at its zoom, for the size the
    // map's element will have (measured with our CSS on a stand-in, as the widget lays it out).
    Promise.all([config, styled]).then(function (r) {
      if (r[0].status !== 200) return;
      var map = JSON.parse(r[0].text).map;
      var size = mapSize(slot);
      var t = size[0] && size[1] && tiles(map.center, map.zoom, size[0], size[1]);
      if (!t) return;
      var url = apiUrl(tenant, '/map', 'z=' + map.zoom + '&x=' + t[0] + '-' + t[1] + '&y=' + t[2] + '-' + t[3], language);
      remember(url, answer(url));
    })['catch'](function () {});
  }
  function mapSize(slot) {
    var probe = document.createElement('div'), wrap = document.createElement('div'), el = document.createElement('div');
    probe.className = 'civic';
    wrap.className = 'civic-mapwrap';
    el.className = 'civic-map';
    wrap.appendChild(el);
    probe.appendChild(wrap);
    slot.appendChild(probe);
    var size = [el.clientWidth, el.clientHeight];
    probe.remove();
    return size;
  }
  // World pixels of `c` at `zoom`, computed as Leaflet's EPSG3857 does (same operations, same
  // rounding), so that both sides pick the same tiles.
  function project(c, zoom) {
    var R = 6378137, d = Math.PI / 180, max = 85.0511287798, k = 0.5 / (Math.PI * R), s = 256 * Math.pow(2, zoom);
    var sin = Math.sin(Math.max(Math.min(max, c.lat), -max) * d);
    return [s * (k * (R * c.lng * d) + 0.5), s * (-k * (R * Math.log((1 + sin) / (1 - sin)) / 2) + 0.5)];
  }
  // The tiles [x0, x1, y0, y1] a width × height view centred on `c` touches at `zoom`: Leaflet's
  // pixel bounds (origin rounded), start floored and end ceiled minus one per 256 px, clamped to
  // the world and to 24 tiles. The widget's rule (crates/widgets/src/reports/tiles.rs).
  function tiles(c, zoom, width, height) {
    var p = project(c, zoom), last = Math.pow(2, zoom) - 1;
    function span(a, len) {
      var lo = Math.max(0, Math.floor(a / 256)), hi = Math.min(last, Math.ceil((a + len) / 256) - 1);
      return lo <= hi ? [lo, Math.min(hi, lo + 23)] : null;
    }
    var x = span(Math.round(p[0] - width / 2), width), y = span(Math.round(p[1] - height / 2), height);
    return x && y && x.concat(y);
  }
  function tilesOf(url) {
    var m = /([?&])z=(\d+)&x=(\d+)-(\d+)&y=(\d+)-(\d+)/.exec(url);
    return m && { rest: url.replace(m[0], m[1]), z: +m[2], x0: +m[3], x1: +m[4], y0: +m[5], y1: +m[6] };
  }
  /** For the widgets' GETs: a promise of {status, text} if this answer was fetched early. */
  civic.take = function (url) {
    var want = tilesOf(url);
    for (var i = 0; i < early.length; i++) {
      var e = early[i], t = e.tiles;
      if (e.url === url) { forget(e); return e.answer; }
      // A map of more tiles than the widget asks for (its page grew a scroll bar since the
      // loader measured): the early answer cut to those tiles.
      if (want && t && t.rest === want.rest && t.z === want.z && t.x0 <= want.x0 && t.x1 >= want.x1 &&
          t.y0 <= want.y0 && t.y1 >= want.y1) {
        forget(e);
        return e.answer.then(function (a) { return within(a, want, url); });
      }
    }
    return undefined;
  };
  // Clusters are per 64-px cell, so those of the asked tiles are the same in the larger answer;
  // but where those tiles hold at most 300 reports the server sends them one by one instead:
  // then the widget's own request is the answer.
  function within(a, t, url) {
    if (a.status !== 200) return a;
    var m = JSON.parse(a.text), n = 0;
    function inside(lat, lng) {
      var p = project({ lat: lat, lng: lng }, t.z), x = Math.floor(p[0] / 256), y = Math.floor(p[1] / 256);
      return x >= t.x0 && x <= t.x1 && y >= t.y0 && y <= t.y1;
    }
    m.points = m.points.filter(function (p) { return inside(p[3], p[4]) && ++n; });
    m.clusters = m.clusters.filter(function (c) {
      return inside(c[0], c[1]) && (n += c[2][0] + c[2][1] + c[2][2] + c[2][3]);
    });
    if (m.clusters.length && n <= 300) return answer(url);
    m.total = n;
    return { status: 200, text: JSON.stringify(m) };
  }

  function lang(host) {
    return /^en\b/i.test(host.getAttribute('data-lang') || '') ? 'en' : 'de';
  }

  function message(root, text, retry) {
    var box = document.createElement('div');
    box.className = 'civic-box';
    box.setAttribute('role', 'status');
    var p = document.createElement('p');
    p.textContent = text;
    box.appendChild(p);
    if (retry) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'civic-button';
      b.textContent = retry.label;
      b.addEventListener('click', retry.run);
      box.appendChild(b);
    }
    root.replaceChildren(box);
  }

  function setup(host, name) {
    if (host.__civic) return; // connected twice (moved in the DOM) or scanned twice
    host.__civic = true;
    var t = TEXTS[lang(host)];
    var shadow = host.shadowRoot || host.attachShadow({ mode: 'open' });
    var slot = document.createElement('div');
    slot.className = 'civic-mount';
    shadow.replaceChildren(slot);
    var mapCss = Promise.resolve();
    if (WASM[name] && WASM[name].map) {
      var link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = BASE + 'leaflet.css';
      mapCss = new Promise(function (done) { link.onload = link.onerror = function () { done(); }; });
      shadow.insertBefore(link, slot);
    }

    function start() {
      message(slot, t.loading);
      var styled = styles().then(function (sheet) {
        shadow.adoptedStyleSheets = [sheet];
      }, function () { /* unstyled beats nothing */ });
      if (!WASM[name]) {
        message(slot, t.names[name] + ': ' + t.soon);
        slot.firstChild.classList.add('civic-soon');
        return;
      }
      var tenant = host.getAttribute('data-tenant') || '';
      prefetch(host, name, tenant, lang(host), slot, styled);
      // Mount only when our CSS is in: Leaflet measures its container once, at creation.
      Promise.all([wasm(name), styled, mapCss]).then(function (r) {
        var target = document.createElement('div');
        slot.replaceChildren(target);
        r[0][WASM[name].mount](target, host, API, tenant, lang(host));
      })['catch'](function (e) {
        if (window.console) console.error('civickit:', e);
        message(slot, t.failed, { label: t.retry, run: start });
      });
    }
    start();
  }

  NAMES.forEach(function (name) {
    var tag = 'civic-' + name;
    if (customElements.get(tag)) return;
    customElements.define(tag, class extends HTMLElement {
      connectedCallback() { setup(this, name); }
    });
  });

  // <div data-civic-widget="reports">, for CMSs that strip unknown tags.
  function scan(root) {
    if (!root.querySelectorAll) return;
    var found = root.querySelectorAll('[data-civic-widget]');
    for (var i = 0; i < found.length; i++) {
      var name = found[i].getAttribute('data-civic-widget');
      if (NAMES.indexOf(name) >= 0) setup(found[i], name);
    }
  }
  function watch() {
    scan(document);
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        r.addedNodes.forEach(function (n) {
          if (n.nodeType !== 1) return;
          if (n.hasAttribute('data-civic-widget')) scan(n.parentNode || document);
          else scan(n);
        });
      });
    }).observe(document.documentElement, { childList: true, subtree: true });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch);
  else watch();
  civic.ready = true;
})();
