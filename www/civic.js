/*! civickit widget loader (Apache-2.0). Paste once per page (twice does no harm):
 *    <script src="https://HOST/widgets/civic.js" defer></script>
 *    <civic-reports data-tenant="musterstadt"></civic-reports>
 *  or, where a CMS strips unknown tags:
 *    <div data-civic-widget="reports" data-tenant="musterstadt"></div>
 *  Options: data-lang="en"; theming with the CSS custom properties --civic-accent,
 *  --civic-font, --civic-radius on the element or any ancestor.
 *  Also <civic-mailbox data-tenant="…" [data-kind="idee"]> and
 *  <civic-poll data-tenant="…" data-poll="SLUG"> (or data-civic-widget="mailbox" / "poll").
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
    poll: { map: false, mount: 'mount_poll' }
  };
  var NAMES = ['reports', 'mailbox', 'poll'];
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
          names: { reports: 'Mängelmelder', mailbox: 'Bürgerbriefkasten', poll: 'Umfrage' } },
    en: { loading: 'Loading …', failed: 'This section could not be loaded. Please check your connection.',
          retry: 'Try again', soon: 'coming soon',
          names: { reports: 'Report a problem', mailbox: 'Citizen mailbox', poll: 'Poll' } }
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
  // for a map widget, the reports around the map's first view. The widget's fetches look here
  // first (`civic.take`), so its first render already has its data. Each answer is used once.
  var early = [];
  function remember(url, bbox, promise) {
    var entry = { url: url, bbox: bbox, answer: promise };
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
    var slug = host.getAttribute('data-poll') || '';
    if (!slug) return null;
    var token = null;
    try { token = localStorage.getItem('civickit-poll:' + tenant + ':' + slug); } catch (e) { /* storage blocked */ }
    return ['/polls/' + encodeURIComponent(slug), token ? 'voter_token=' + encodeURIComponent(token) : ''];
  }
  function prefetch(host, name, tenant, language) {
    var first = WASM[name] && tenant && firstRequest(host, name, tenant);
    if (!first) return;
    var url = apiUrl(tenant, first[0], first[1], language);
    var config = remember(url, null, answer(url));
    if (!WASM[name].map) return;
    // The reports placed only in words, which the list shows whatever the map shows.
    var unlocated = apiUrl(tenant, '/reports', 'located=no', language);
    remember(unlocated, null, answer(unlocated));
    config.then(function (c) {
      if (c.status !== 200) return;
      var map = JSON.parse(c.text).map;
      // A box around the first view, larger than any map the widget draws at that zoom;
      // the widget gets the part inside its own view.
      var box = around(map.center, map.zoom, Math.max(host.clientWidth, 320) + 256, 1024);
      remember(apiUrl(tenant, '/reports', 'bbox=' + box.join(','), language), box,
        answer(apiUrl(tenant, '/reports', 'bbox=' + box.join(','), language)));
    })['catch'](function () {});
  }
  // W,S,E,N of a width × height pixel view centred on `c` at `zoom` (Web Mercator, as Leaflet).
  function around(c, zoom, width, height) {
    var size = 256 * Math.pow(2, zoom);
    var y = (0.5 - Math.log(Math.tan(Math.PI / 4 + c.lat * Math.PI / 360)) / (2 * Math.PI)) * size;
    function lat(py) { return (Math.atan(Math.exp(Math.PI * (1 - 2 * py / size))) * 360 / Math.PI) - 90; }
    var dLng = width / 2 / size * 360;
    return [c.lng - dLng, lat(y + height / 2), c.lng + dLng, lat(y - height / 2)];
  }
  function bboxOf(url) {
    var m = /[?&]bbox=([^&]*)/.exec(url);
    return m ? decodeURIComponent(m[1]).split(',').map(Number) : null;
  }
  function withoutBbox(url) {
    return url.replace(/([?&])bbox=[^&]*&?/, '$1');
  }
  /** For the widgets' GETs: a promise of {status, text} if this answer was fetched early. */
  civic.take = function (url) {
    var want = bboxOf(url);
    for (var i = 0; i < early.length; i++) {
      var e = early[i];
      if (!want && e.url === url) { forget(e); return e.answer; }
      if (want && e.bbox && withoutBbox(e.url) === withoutBbox(url) &&
          e.bbox[0] <= want[0] && e.bbox[1] <= want[1] && e.bbox[2] >= want[2] && e.bbox[3] >= want[3]) {
        forget(e);
        return e.answer.then(function (a) { return within(a, want, url); });
      }
    }
    return undefined;
  };
  // The early reports cut to the view the widget asked for. A truncated answer for the larger
  // box is not the answer for the smaller one: then the widget asks the server itself.
  function within(a, b, url) {
    if (a.status !== 200) return a;
    var list = JSON.parse(a.text);
    if (list.truncated) return answer(url);
    list.reports = list.reports.filter(function (r) {
      return r.lat == null || (r.lng >= b[0] && r.lat >= b[1] && r.lng <= b[2] && r.lat <= b[3]);
    });
    return { status: 200, text: JSON.stringify(list) };
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
      prefetch(host, name, tenant, lang(host));
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
