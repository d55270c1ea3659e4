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

  function wasm(name) {
    var spec = WASM[name];
    return memo('wasm:' + name, function () {
      // Leaflet first: the wasm binds to the global L. If Leaflet cannot load, the widget
      // still works with its list view and text locations.
      var before = spec.map ? loadScript(BASE + 'leaflet.js')['catch'](function () {}) : Promise.resolve();
      return before.then(function () {
        return import(versioned('civic_' + name + '.js'));
      }).then(function (m) {
        return m['default']({ module_or_path: versioned('civic_' + name + '_bg.wasm') }).then(function () { return m; });
      });
    });
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
