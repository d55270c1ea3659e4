// "Meldung melden": the form with which a citizen flags a public report or one of its photos
// (personal data, offensive, spam, other) for the town to check (`POST …/reports/{ref}/flags`,
// issue 15). Bundled into pow.js (see pow.mjs), so it costs <civic-reports>' first load
// nothing: the wasm keeps only the buttons and calls `__civickit.flag(root, options)`.
//
// An inline form under the button that opened it, not a modal: nothing traps the focus, the
// rest of the details stays usable. The wasm owns `root` (an empty `.civic-box.civic-flag` it
// keeps across the re-renders of the details panel, so what was typed stays) and handles
// "Abbrechen" (`data-action="flag-cancel"`, its delegated click listener): it removes the form
// and gives the focus back to the button. Every text goes in through textContent.

// FLAG_TEXT_MAX_CHARS of crates/model (the server checks it too).
var MAX = 500;

var REASONS = ['personal_data', 'offensive', 'spam', 'other'];

// FlagReason::label of crates/model, and the texts of the form.
var WORDS = {
  de: {
    reasons: ['Persönliche Daten', 'Beleidigend oder anstößig', 'Werbung oder Spam', 'Anderer Grund'],
    legendReport: 'Warum soll die Gemeinde diese Meldung prüfen?',
    legendPhoto: 'Warum soll die Gemeinde dieses Foto prüfen?',
    text: 'Was ist daran falsch? (freiwillig)',
    chars: 'Zeichen',
    send: 'Senden',
    sending: 'Wird gesendet …',
    cancel: 'Abbrechen',
    noReason: 'Bitte wählen Sie einen Grund.',
    tooLong: 'Der Text ist zu lang.',
    thanks: 'Danke. Die Gemeinde prüft die Meldung.',
    honeypot: 'Bitte leer lassen',
    // The report widget's texts (crates/widgets/src/texts.rs).
    rateLimited: 'Zu viele Meldungen in kurzer Zeit. Bitte warten Sie einen Moment; Ihre Eingaben bleiben erhalten.',
    serverError: 'Der Server hat die Meldung nicht angenommen. Ihre Eingaben bleiben erhalten; bitte versuchen Sie es später erneut.',
    networkError: 'Keine Verbindung zum Server. Ihre Eingaben bleiben erhalten; bitte versuchen Sie es erneut.'
  },
  en: {
    reasons: ['Personal data', 'Offensive', 'Advertising or spam', 'Other reason'],
    legendReport: 'Why should the town check this report?',
    legendPhoto: 'Why should the town check this photo?',
    text: 'What is wrong with it? (optional)',
    chars: 'characters',
    send: 'Send',
    sending: 'Sending …',
    cancel: 'Cancel',
    noReason: 'Please choose a reason.',
    tooLong: 'The text is too long.',
    thanks: 'Thank you. The town will check it.',
    honeypot: 'Please leave empty',
    rateLimited: 'Too many reports in a short time. Please wait a moment; your input is kept.',
    serverError: 'The server did not accept the report. Your input is kept; please try again later.',
    networkError: 'No connection to the server. Your input is kept; please try again.'
  }
};

/** An element `tag` with attributes `attrs`, children `kids` (elements or texts). */
function h(tag, attrs, kids) {
  var el = document.createElement(tag);
  for (var k in attrs) el.setAttribute(k, attrs[k]);
  (kids || []).forEach(function (kid) {
    el.append(kid); // a string becomes a text node, never markup
  });
  return el;
}

/** Says `text` through the widget's polite live region (`.civic-sr`, rendered by the wasm), as
 *  the rest of the widget does. Only the data of its text node changes: the node stays the one
 *  Leptos keeps and updates for the widget's own announcements. */
function say(root, text) {
  var node = root.getRootNode().querySelector('.civic-sr[aria-live]');
  node = node && node.firstChild;
  if (node && node.nodeType === 3) node.data = text;
}

function focusLater(el) {
  requestAnimationFrame(function () { el.focus(); });
}

/** Builds the form into `root`. `o`: {url (the flags POST, with ?lang=), lang ('de'|'en'),
 *  photo (public id or null: the report's text), pow (the `flag` challenge of civic.js)}. */
export function flag(root, o) {
  var w = WORDS[o.lang === 'en' ? 'en' : 'de'];
  var reasonErr = h('p', { class: 'civic-error', id: 'civic-flag-reason-err', 'data-error-for': 'reason' });
  var textErr = h('p', { class: 'civic-error', id: 'civic-flag-text-err', 'data-error-for': 'text' });
  var fieldset = h('fieldset', { 'data-field': 'reason', 'aria-describedby': 'civic-flag-reason-err' },
    [h('legend', {}, [o.photo ? w.legendPhoto : w.legendReport])].concat(REASONS.map(function (code, i) {
      return h('div', { class: 'civic-check' }, [
        h('input', { type: 'radio', name: 'civic-flag-reason', id: 'civic-flag-' + code, value: code }),
        h('label', { for: 'civic-flag-' + code }, [w.reasons[i]])
      ]);
    })));
  var area = h('textarea', { id: 'civic-flag-text', rows: '3', 'data-field': 'text',
    'aria-describedby': 'civic-flag-counter civic-flag-text-err' });
  var counter = h('p', { class: 'civic-counter', id: 'civic-flag-counter' });
  // The honeypot, as in the other forms: invisible, out of the tab order and of the
  // accessibility tree; only bots fill it in.
  var website = h('input', { id: 'civic-flag-website', type: 'text', tabindex: '-1', autocomplete: 'off' });
  var refused = h('p', { class: 'civic-error', role: 'alert', tabindex: '-1' });
  var send = h('button', { class: 'civic-button civic-primary', type: 'submit' }, [w.send]);
  var form = h('form', { class: 'civic-flow', novalidate: '' }, [
    fieldset, reasonErr,
    h('label', { for: 'civic-flag-text' }, [w.text]), area, counter, textErr,
    h('div', { class: 'civic-hp', 'aria-hidden': 'true' }, [h('label', { for: 'civic-flag-website' }, [w.honeypot]), website]),
    refused,
    h('div', { class: 'civic-row' }, [send, h('button', { class: 'civic-button', type: 'button', 'data-action': 'flag-cancel' }, [w.cancel])])
  ]);

  // Characters as the server counts them (code points, not UTF-16 units).
  function length(text) { return Array.from(text).length; }
  function count() {
    var n = length(area.value);
    counter.textContent = n + ' / ' + MAX + ' ' + w.chars;
    counter.classList.toggle('civic-over', n > MAX);
  }
  function error(control, line, message) {
    control.setAttribute('aria-invalid', message ? 'true' : 'false');
    line.textContent = message;
  }
  count();
  area.addEventListener('input', count);
  // A reason chosen answers "Bitte wählen Sie einen Grund." at once, not only at the next send.
  fieldset.addEventListener('change', function () { error(fieldset, reasonErr, ''); });

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (send.disabled) return;
    error(fieldset, reasonErr, '');
    error(area, textErr, '');
    refused.textContent = '';
    var checked = form.querySelector('input[type=radio]:checked');
    var text = area.value.trim();
    if (!checked) {
      error(fieldset, reasonErr, w.noReason);
      say(root, w.noReason);
      return focusLater(form.querySelector('input[type=radio]'));
    }
    if (length(text) > MAX) {
      error(area, textErr, w.tooLong);
      say(root, w.tooLong);
      return focusLater(area);
    }
    var body = { reason: checked.value, website: website.value };
    if (text) body.text = text;
    if (o.photo) body.photo = o.photo;
    send.disabled = true;
    send.textContent = w.sending;
    say(root, w.sending);
    function done(message) {
      send.disabled = false;
      send.textContent = w.send;
      if (message == null) {
        var thanks = h('p', { role: 'status', tabindex: '-1' }, [w.thanks]);
        root.replaceChildren(thanks);
        say(root, w.thanks);
        return focusLater(thanks);
      }
      refused.textContent = message;
      say(root, message);
      focusLater(refused);
    }
    o.pow.send(o.url, JSON.stringify(body)).then(function (r) {
      if (r.ok) return done(null);
      // The form checks reason and text before sending; what the server still refuses
      // (the honeypot, a closed report) comes with its message in words.
      if (r.status === 429) return done(w.rateLimited);
      return r.json().then(function (e) {
        done((e && typeof e.message === 'string' && e.message) || w.serverError);
      }, function () { done(w.serverError); });
    }, function () { done(w.networkError); });
  });

  root.replaceChildren(form);
  focusLater(fieldset.querySelector('input'));
}
