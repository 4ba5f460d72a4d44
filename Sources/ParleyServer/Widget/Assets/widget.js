/*
 * Parley chat widget (the bundle). Contract: docs/widget.md.
 *
 * loader.js loads this file, calls Parley._boot(config, base, key) and replays the queued Parley(...) calls on
 * the dispatcher it returns. No global besides `Parley`.
 *
 * - UI: an open Shadow DOM on <div id="parley-widget">: launcher (with unread badge), proactive bubble, and a panel
 *   with header (logo, title, menu, minimise), message log (role=log) and composer.
 * - Safety: visitor, model and agent text only reaches the DOM as text nodes. The Markdown subset (bold, italics,
 *   lists, http/https/mailto links) is built node by node; no innerHTML anywhere.
 * - Storage: keys parley:visitor, parley:conversation, parley:consent, parley:trigger:{id} in localStorage, and
 *   only memory while config.consent_required and no consent (or after consent was withdrawn).
 * - Transport: a WebSocket with resync-on-connect, an outbox and backoff; when it never opens, POST
 *   /api/chat/message as SSE plus an EventSource on /api/chat/events.
 */
(function () {
  'use strict';
  var P = window.Parley;
  if (typeof P !== 'function') return;
  P._boot = boot;

  // English defaults; the config's strings (per language) override any of these keys.
  var EN = {
    title: 'Chat', launcher: 'Chat with us', placeholder: 'Type a message', send: 'Send', menu: 'Menu',
    minimise: 'Minimise', new_conversation: 'Start a new conversation', download: 'Download my data',
    delete: 'Delete my data', confirm_delete: 'Delete your conversations and data?',
    deleted: 'Your data was deleted.', queued: 'Waiting for an agent…', queue_position: 'You are number {n} in line.',
    joined: '{agent} joined the conversation.', an_agent: 'An agent', handed_back: 'You are back with the assistant.',
    closed: 'This conversation was closed.', csat: 'How was this conversation?', csat_thanks: 'Thanks for your feedback!',
    rate: '{n} of 5', sources: 'Sources', not_sent: 'Not sent.', retry: 'Retry', typing: 'Typing…',
    unread: '{n} unread', dismiss: 'Dismiss', offline: 'Reconnecting…', open_link: 'Open',
    cut_off: 'This answer was cut off.', ask_again: 'Ask again', attach: 'Attach an image or PDF', too_big: 'That file is too large.', upload_failed: 'The file was not sent.',
    you: 'You', assistant: 'Assistant', agent: 'Agent', system: 'Note'
  };
  var TYPES = ['delta', 'citation', 'done', 'error', 'history', 'message', 'typing', 'read', 'state'];
  var noop = function () {};

  // An element with a class and text (always text, never markup).
  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function btn(cls, text, label) {
    var b = h('button', cls, text);
    b.type = 'button';
    if (label) b.setAttribute('aria-label', label);
    return b;
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var x = Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return (b + 256).toString(16).slice(1);
    }).join('');
    return [x.slice(0, 8), x.slice(8, 12), '4' + x.slice(13, 16), '8' + x.slice(17, 20), x.slice(20)].join('-');
  }
  // A URL safe to link to (http, https, mailto; images: http, https), or null. `absolute` (links in messages, which
  // a model or an agent wrote) also refuses relative and protocol-relative ones: a link must say where it goes.
  function safeURL(u, img, absolute) {
    if (absolute && !/^(https?:\/\/|mailto:)/i.test(String(u).trim())) return null;
    try {
      var x = new URL(u, location.href);
      return /^https?:$/.test(x.protocol) || (!img && x.protocol === 'mailto:') ? x.href : null;
    } catch (e) {
      return null;
    }
  }
  function link(href, text) {
    var a = h('a', null, text);
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }

  // --- Safe Markdown subset, built node by node
  function inline(parent, s) {
    var re = /\*\*(.+?)\*\*|\*(?![\s*])(.+?)\*|\[([^\]\n]+)\]\(([^)\s]+)\)/g, i = 0, m;
    while ((m = re.exec(s))) {
      if (m.index > i) parent.append(s.slice(i, m.index));
      i = re.lastIndex;
      if (m[1] != null) inline(parent.appendChild(h('strong')), m[1]);
      else if (m[2] != null) inline(parent.appendChild(h('em')), m[2]);
      else {
        var u = safeURL(m[4], false, true);
        parent.append(u ? link(u, m[3]) : m[3]);
      }
    }
    if (i < s.length) parent.append(s.slice(i));
  }
  function md(el, s) {
    el.textContent = '';
    var list = null, kind = '', para = null;
    String(s || '').split(/\r?\n/).forEach(function (line) {
      var m = /^\s*(?:([-*])|(\d+)[.)])\s+(.*)$/.exec(line);
      if (m) {
        var k = m[1] ? 'ul' : 'ol';
        if (!list || kind !== k) {
          list = el.appendChild(h((kind = k)));
          if (m[2] && m[2] !== '1') list.start = +m[2];
        }
        inline(list.appendChild(h('li')), m[3]);
        para = null;
      } else if (!line.trim()) {
        list = para = null;
      } else {
        list = null;
        if (para) para.appendChild(h('br'));
        else para = el.appendChild(h('p'));
        inline(para, line);
      }
    });
  }

  function boot(cfg, base, key) {
    var S = cfg.strings || {}, def = cfg.default_locale || 'en', br = cfg.branding || {};
    var pageLang = (document.documentElement.lang || '').toLowerCase();
    var has = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
    var lang = has(S, pageLang) ? pageLang : has(S, pageLang.split('-')[0]) ? pageLang.split('-')[0] : def;
    function t(k, v) {
      var s = (S[lang] || {})[k];
      if (s == null) s = (S[def] || {})[k];
      if (s == null) s = k === 'title' && cfg.tenant_name ? cfg.tenant_name : EN[k] || '';
      return String(s).replace(/\{(\w+)\}/g, function (_, n) {
        return v && v[n] != null ? v[n] : '';
      });
    }

    // --- Storage: write-through to localStorage only while allowed
    var mem = {}, consent = null, ls = null;
    try {
      ls = window.localStorage;
      if (ls.getItem('parley:consent') === '1') consent = true;
    } catch (e) {}
    function allowed() {
      return ls && (consent === true || (!cfg.consent_required && consent !== false));
    }
    function get(k) {
      k = 'parley:' + k;
      if (k in mem) return mem[k];
      try {
        return allowed() ? ls.getItem(k) : null;
      } catch (e) {
        return null;
      }
    }
    function set(k, v) {
      k = 'parley:' + k;
      mem[k] = v;
      if (!allowed()) return;
      try {
        v == null ? ls.removeItem(k) : ls.setItem(k, v);
      } catch (e) {}
    }
    function wipe() {
      [ls, window.sessionStorage].forEach(function (st) {
        try {
          Object.keys(st).forEach(function (k) {
            if (k.indexOf('parley:') === 0) st.removeItem(k);
          });
        } catch (e) {}
      });
    }

    // --- State
    var token = null, visitorId = null, conv = null, convState = null, stateKey = '', ident = null;
    var isOpen = false, isReady = false, unread = 0, firstLoad = true, lastRead = null;
    var shown = {}; // message_id -> element
    var turns = {}; // client_message_id -> {c: customer bubble, a: assistant bubble, text, raw, cites}
    var outbox = []; // [{cid, text, url, ws, conv}] until done (or failed); ws and conv: where it was last sent
    var handlers = {};
    var readyResolve, readyP = new Promise(function (r) { readyResolve = r; });

    function emit(ev, detail) {
      (handlers[ev] || []).forEach(function (fn) {
        try {
          fn(detail);
        } catch (e) {
          console.error(e);
        }
      });
    }

    // --- DOM
    var old = document.getElementById('parley-widget');
    if (old) old.remove();
    var host = h('div');
    host.id = 'parley-widget';
    host.style.setProperty('display', 'none'); // until the styles have loaded
    if (br.color) host.style.setProperty('--parley-color', br.color);
    if (br.text_color) host.style.setProperty('--parley-text', br.text_color);
    var root = host.attachShadow({ mode: 'open' });
    var css = h('link');
    css.rel = 'stylesheet';
    css.href = new URL(cfg.bundle.css, base).href;
    css.onload = css.onerror = function () {
      host.style.removeProperty('display');
    };
    var wrap = h('div', 'parley-root parley-' + (br.position === 'left' ? 'left' : 'right'));
    root.append(css, wrap);

    var bubbleEl = h('div', 'parley-bubble');
    bubbleEl.hidden = true;
    bubbleEl.setAttribute('role', 'status');
    var bubbleText = btn('parley-bubble-text');
    var bubbleX = btn('parley-bubble-x', '×');
    bubbleEl.append(bubbleText, bubbleX);

    var launcher = btn('parley-launcher');
    launcher.setAttribute('aria-controls', 'parley-panel');
    launcher.setAttribute('aria-expanded', 'false');
    var launcherText = h('span', 'parley-launcher-text');
    var badge = h('span', 'parley-badge');
    badge.hidden = true;
    launcher.append(h('span', 'parley-icon'), launcherText, badge);

    var panel = h('div', 'parley-panel');
    panel.id = 'parley-panel';
    panel.hidden = true;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-labelledby', 'parley-title');

    var header = h('div', 'parley-header');
    var logoURL = br.logo_url && safeURL(new URL(br.logo_url, base).href, true);
    if (logoURL) {
      var logo = h('img', 'parley-logo');
      logo.alt = '';
      logo.onerror = logo.remove;
      logo.src = logoURL;
      header.append(logo);
    }
    var title = h('h2', 'parley-title');
    title.id = 'parley-title';
    var menuBtn = btn('parley-menu-btn', '⋯');
    menuBtn.setAttribute('aria-haspopup', 'menu');
    menuBtn.setAttribute('aria-expanded', 'false');
    menuBtn.setAttribute('aria-controls', 'parley-menu');
    var minBtn = btn('parley-min', '–');
    header.append(title, menuBtn, minBtn);

    var menu = h('div', 'parley-menu');
    menu.id = 'parley-menu';
    menu.hidden = true;
    menu.setAttribute('role', 'menu');
    var menuItems = [
      ['new_conversation', function () { newConversation(true); }],
      ['download', download],
      ['delete', deleteData]
    ].map(function (it) {
      var b = btn('parley-menu-item');
      b.setAttribute('role', 'menuitem');
      b.tabIndex = -1;
      b.onclick = function () {
        setMenu(false);
        menuBtn.focus();
        it[1]();
      };
      b.k = it[0];
      menu.append(b);
      return b;
    });

    var away = h('div', 'parley-away');
    var status = h('div', 'parley-status');
    status.hidden = true;
    // While an agent is awaited: the wait, and the place in the queue as it moves.
    var wait = h('div', 'parley-status parley-wait');
    wait.setAttribute('role', 'status');
    wait.hidden = true;
    var waitPlace = null;
    var log = h('div', 'parley-log');
    log.setAttribute('role', 'log');
    log.setAttribute('aria-live', 'polite');
    log.tabIndex = 0;
    var greeting = h('div', 'parley-msg parley-assistant parley-greeting');
    var greetingBody = greeting.appendChild(h('div', 'parley-body')); // spaced like every other message
    var typingEl = h('div', 'parley-typing');
    typingEl.hidden = true;
    typingEl.append(h('span'), h('span'), h('span'), h('span', 'parley-sr'));

    var form = h('form', 'parley-composer');
    var input = h('textarea', 'parley-input');
    input.rows = 1;
    input.maxLength = 2000;
    var sendBtn = btn('parley-send');
    sendBtn.type = 'submit';
    // Files: images and PDFs, when the site accepts them; the server checks the type from the bytes.
    var up = cfg.uploads || {};
    var fileIn = h('input');
    fileIn.type = 'file';
    fileIn.accept = 'image/png,image/jpeg,image/gif,image/webp,application/pdf';
    fileIn.hidden = true;
    var attachBtn = btn('parley-attach', '+');
    attachBtn.hidden = !up.enabled;
    attachBtn.onclick = function () { fileIn.click(); };
    fileIn.onchange = function () {
      var f = fileIn.files && fileIn.files[0];
      fileIn.value = '';
      if (f) upload(f);
    };
    form.append(attachBtn, fileIn, input, sendBtn);
    panel.append(header, menu, away, status, wait, log, typingEl, form);
    wrap.append(panel, bubbleEl, launcher);
    (document.body || document.documentElement).appendChild(host);

    // All UI strings, again whenever the language changes.
    function texts() {
      wrap.lang = lang;
      title.textContent = t('title');
      launcherText.textContent = t('launcher');
      menuBtn.setAttribute('aria-label', t('menu'));
      minBtn.setAttribute('aria-label', t('minimise'));
      bubbleX.setAttribute('aria-label', t('dismiss'));
      menuItems.forEach(function (b) { b.textContent = t(b.k); });
      away.textContent = t('away');
      away.hidden = !cfg.away || !t('away');
      status.textContent = t('offline');
      showWait();
      md(greetingBody, t('greeting'));
      greeting.hidden = !t('greeting');
      typingEl.lastChild.textContent = t('typing');
      input.placeholder = t('placeholder');
      input.setAttribute('aria-label', t('placeholder'));
      sendBtn.textContent = t('send');
      attachBtn.setAttribute('aria-label', t('attach'));
      attachBtn.title = t('attach');
      showBadge();
    }

    // --- Panel, menu, badge, bubble
    function setOpen(v) {
      v = !!v;
      if (v === isOpen) return;
      isOpen = v;
      panel.hidden = !v;
      wrap.classList.toggle('parley-open', v);
      launcher.setAttribute('aria-expanded', String(v));
      if (v) {
        unread = 0;
        showBadge();
        bubbleEl.hidden = true;
        stick(true);
        input.focus();
        markRead();
      } else {
        setMenu(false);
        if (document.activeElement === host) launcher.focus();
      }
      emit(v ? 'open' : 'close');
    }
    function setMenu(v) {
      menu.hidden = !v;
      menuBtn.setAttribute('aria-expanded', String(v));
      if (v) menuItems[0].focus();
    }
    function showBadge() {
      badge.hidden = !unread;
      badge.textContent = unread > 9 ? '9+' : unread;
      launcher.setAttribute('aria-label', t('launcher') + (unread ? ', ' + t('unread', { n: unread }) : ''));
    }
    function showBubble(text) {
      if (isOpen || !text) return;
      bubbleText.textContent = text.replace(/\*\*?|\[([^\]]*)\]\([^)]*\)/g, '$1');
      bubbleEl.hidden = false;
    }

    launcher.onclick = function () { setOpen(!isOpen); };
    minBtn.onclick = function () { setOpen(false); };
    bubbleText.onclick = function () { setOpen(true); };
    bubbleX.onclick = function () { bubbleEl.hidden = true; };
    menuBtn.onclick = function () { setMenu(menu.hidden); };
    panel.addEventListener('click', function (e) {
      if (!menu.hidden && !menu.contains(e.target) && e.target !== menuBtn) setMenu(false);
    });
    menu.addEventListener('keydown', function (e) {
      var i = menuItems.indexOf(e.target), n = menuItems.length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        menuItems[(i + (e.key === 'ArrowDown' ? 1 : n - 1)) % n].focus();
      } else if (e.key === 'Tab') setMenu(false);
    });
    wrap.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape') return;
      if (!menu.hidden) {
        setMenu(false);
        menuBtn.focus();
      } else if (isOpen) setOpen(false);
      else bubbleEl.hidden = true;
    });
    form.onsubmit = function (e) {
      e.preventDefault();
      send(input.value);
    };
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        send(input.value);
      }
    });
    var lastTyping = 0;
    input.addEventListener('input', function () {
      input.style.height = 'auto';
      input.style.height = Math.min(input.scrollHeight, 120) + 'px';
      var now = Date.now();
      if (now - lastTyping > 2000 && wsLive && input.value) {
        lastTyping = now;
        wsSend({ type: 'typing', conversation_id: conv });
      }
    });
    document.addEventListener('visibilitychange', markRead);

    // --- The log
    function stick(force) {
      if (force || log.scrollHeight - log.scrollTop - log.clientHeight < 80) log.scrollTop = log.scrollHeight;
    }
    function append(el) {
      var near = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
      log.appendChild(el);
      if (near) stick(true);
      return el;
    }
    function note(text, cls) {
      return append(h('div', 'parley-note' + (cls ? ' ' + cls : ''), text));
    }
    function mark(el, id) {
      el.dataset.id = id;
      shown[id] = el;
    }
    // The id of the last message shown: what resync asks to continue after.
    function lastId() {
      for (var el = log.lastElementChild; el; el = el.previousElementSibling) if (el.dataset.id) return el.dataset.id;
      return null;
    }
    function clearQuick() {
      log.querySelectorAll('.parley-quick').forEach(function (q) { q.remove(); });
    }

    // Builds (or rebuilds) a message bubble: text, citations, card, quick replies.
    function render(m, el) {
      var role = /^(customer|assistant|agent|system)$/.test(m.role) ? m.role : 'assistant';
      el = el || h('div');
      el.className = 'parley-msg parley-' + role;
      el.textContent = '';
      el.append(h('span', 'parley-sr', t(role === 'customer' ? 'you' : role) + ': '));
      var body = el.appendChild(h('div', 'parley-body'));
      if (role === 'customer' || role === 'system') body.textContent = m.text || '';
      else md(body, m.text);
      var cites = (m.citations || []).filter(function (c) { return c && (c.title || c.source || c.url); });
      if (cites.length) {
        var box = el.appendChild(h('div', 'parley-cites'));
        box.append(h('span', 'parley-cites-label', t('sources')));
        var ul = box.appendChild(h('ul'));
        cites.forEach(function (c) {
          var u = safeURL(c.url), name = c.title || c.source || c.url;
          ul.appendChild(h('li')).append(u ? link(u, name) : name);
        });
      }
      var card = m.card;
      if (card && typeof card === 'object') {
        var cd = el.appendChild(h('div', 'parley-card')), img = card.image_url && safeURL(card.image_url, true);
        var cu = card.url && safeURL(card.url);
        if (img) {
          var im = cd.appendChild(h('img'));
          im.alt = '';
          im.src = img;
        }
        if (card.title) cd.append(cu ? link(cu, card.title) : h('strong', null, card.title));
        if (card.text) cd.append(h('p', null, card.text));
        if (cu && !card.title) cd.append(link(cu, t('open_link')));
      }
      if (Array.isArray(m.quick_replies) && m.quick_replies.length) {
        var qr = el.appendChild(h('div', 'parley-quick'));
        m.quick_replies.forEach(function (q) {
          if (typeof q !== 'string') return;
          var b = qr.appendChild(btn('parley-quick-btn', q));
          b.onclick = function () { send(q); };
        });
      }
      if (m.interrupted === true && role === 'assistant') {
        el.append(h('div', 'parley-cut', t('cut_off')));
        // Asking again sends the question as a new message: resending the old one would return this same reply.
        var asked = m.in_reply_to && shown[m.in_reply_to], q = asked && asked.querySelector('.parley-body');
        var question = q && q.textContent;
        if (question && convState !== 'human' && convState !== 'queued') {
          var again = el.appendChild(h('div', 'parley-quick parley-again'))
            .appendChild(btn('parley-quick-btn', t('ask_again')));
          again.onclick = function () { send(question); };
        }
      }
      var at = m.attachment;
      if (at && typeof at === 'object' && at.id) {
        var file = el.appendChild(h('div', 'parley-file'));
        var path = '/api/chat/attachments/' + encodeURIComponent(at.id);
        if (/^image\//.test(at.content_type)) {
          var thumb = file.appendChild(h('img'));
          thumb.alt = at.name || '';
          blob(path).then(function (u) { thumb.src = u; }, noop);
        } else {
          var a = file.appendChild(btn('parley-file-link', at.name || 'PDF'));
          // Downloaded, not opened: an object URL opened in a tab would run in the host page's origin, without the
          // server's sandboxing headers.
          a.onclick = function () {
            blob(path, 'application/octet-stream').then(function (u) {
              var d = document.createElement('a');
              d.href = u;
              d.download = at.name || 'attachment.pdf';
              document.body.appendChild(d);
              d.click();
              d.remove();
              setTimeout(function () { URL.revokeObjectURL(u); }, 10000);
            }, noop);
          };
        }
      }
      if (m.message_id) mark(el, m.message_id);
      return el;
    }
    // A file the visitor attached, fetched with the token (an <img> cannot send it) as an object URL; `type`, when
    // given, replaces the type it was served with.
    function blob(path, type) {
      return req(path).then(function (r) { return r.blob(); }).then(function (b) {
        return URL.createObjectURL(type ? new Blob([b], { type: type }) : b);
      });
    }
    function upload(f) {
      if (up.max_bytes && f.size > up.max_bytes) return note(t('too_big'), 'parley-system');
      var go = function () {
        return call('/api/chat/attachments?conversation_id=' + encodeURIComponent(conv) +
          '&name=' + encodeURIComponent(f.name), f, 'POST');
      };
      (sessP || Promise.resolve()).then(go).then(function (j) { add(j && j.message, false); }, function () {
        note(t('upload_failed'), 'parley-system');
      });
    }

    // Adds a stored message unless it is already shown; `live` means it is new (badge, bubble, event).
    function add(m, live) {
      if (!m || (m.message_id && shown[m.message_id])) return;
      if (m.role === 'customer') {
        // Our own message (sent on an earlier socket, or echoed by the SSE stream): adopt the pending bubble.
        for (var cid in turns) {
          var tr = turns[cid];
          if (!tr.c.dataset.id && m.client_message_id === cid) {
            tr.c.classList.remove('parley-pending');
            return mark(tr.c, m.message_id);
          }
        }
      }
      clearQuick(); // quick replies belong to the latest message only
      append(render(m));
      if (live) arrived(m);
    }
    function arrived(m) {
      if (m.role !== 'customer') {
        typing(false);
        if (!isOpen || document.hidden) unread++;
        if (!isOpen) showBubble(m.text);
        showBadge();
      }
      markRead();
      emit('message', m);
    }

    // --- Sending
    function send(text) {
      text = String(text || '').trim();
      if (!text) return;
      input.value = '';
      input.style.height = '';
      clearQuick();
      var cid = uuid(), c = render({ role: 'customer', text: text });
      c.classList.add('parley-pending');
      append(c);
      stick(true);
      turns[cid] = { c: c, text: text };
      outbox.push({ cid: cid, text: text, url: pageURL() });
      if (convState === 'closed') newConversation(false);
      else flush();
    }
    function flush() {
      if (!conv || Date.now() < holdUntil) return;
      if (mode === 'sse') return postNext();
      if (!wsLive) return;
      outbox.forEach(function (o) {
        if (o.ws === ws) return;
        o.ws = ws;
        o.conv = conv;
        typing(true);
        wsSend({ type: 'message', conversation_id: conv, client_message_id: o.cid, text: o.text, page_url: o.url });
      });
    }
    function fail(cid, why) {
      var tr = turns[cid];
      outbox = outbox.filter(function (o) { return o.cid !== cid; });
      typing(false);
      renewSocket();
      if (!tr) return;
      if (tr.a) tr.a.remove();
      tr.a = null;
      tr.raw = '';
      var c = tr.c;
      c.classList.remove('parley-pending');
      c.classList.add('parley-failed');
      var r = c.appendChild(h('div', 'parley-fail', t('not_sent') + ' '));
      if (why) r.title = why;
      r.appendChild(btn('parley-retry', t('retry'))).onclick = function () {
        r.remove();
        c.classList.replace('parley-failed', 'parley-pending');
        outbox.push({ cid: cid, text: tr.text, url: pageURL() });
        flush();
      };
    }

    // --- Frames from the server (WebSocket, or SSE in the fallback)
    function frame(f) {
      var cid = f.client_message_id, tr = cid && turns[cid];
      switch (f.type) {
        case 'delta':
          if (!tr) return;
          typing(false);
          if (!tr.a) {
            tr.a = render({ role: 'assistant', text: '' });
            tr.a.classList.add('parley-streaming');
            log.setAttribute('aria-busy', 'true');
            append(tr.a);
          }
          tr.raw = (tr.raw || '') + (f.text || '');
          md(tr.a.querySelector('.parley-body'), tr.raw);
          stick();
          return;
        case 'citation':
          if (tr && f.citation) (tr.cites = tr.cites || []).push(f.citation);
          return;
        case 'done':
          return finish(cid, f.result || {});
        case 'error':
          if (f.code === 'unauthorized' || f.code === 'token_expired') return reconnect(true);
          // Over a budget, the server could not read just then, or another server is still answering this
          // message: the same frame again, later.
          if (f.code === 'rate_limited' || f.code === 'unavailable' || f.code === 'turn_in_progress') return later(f, cid);
          // The server (or a proxy before it) failed, perhaps after the message was stored: the same message again,
          // a few times, further apart each time (the server answers it once), before it is shown as not sent.
          // (A model provider's lasting failure, provider_failed, is not retried: it answers the same again.)
          if (f.code === 'internal_error' || f.code === 'database_unavailable' || (f.status >= 500 && f.code !== 'provider_failed')) {
            var ob = outbox.filter(function (x) { return x.cid === cid; })[0];
            if (ob && (ob.tries = (ob.tries || 0) + 1) <= 5) {
              return later({ retry_after: +f.retry_after || Math.pow(2, ob.tries) }, cid);
            }
          }
          if (f.code === 'conversation_closed' || f.code === 'not_found') {
            var o = outbox.filter(function (x) { return x.cid === cid; })[0];
            // Sent to a conversation the widget has left since, or is leaving: it goes again to the next one.
            if (o && (o.conv !== conv || opening)) {
              o.ws = null;
              return opening ? undefined : flush();
            }
            // The conversation was closed or deleted: continue in a new one (the message stays in the outbox).
            if (Date.now() - autoNew > 10000) {
              autoNew = Date.now();
              return newConversation(false);
            }
          }
          if (tr) fail(cid, f.message);
          return;
        case 'history':
          if (f.conversation_id && f.conversation_id !== conv) return;
          resyncing = false;
          (f.messages || []).forEach(function (m) { add(m, !firstLoad); });
          firstLoad = false;
          attempt = 0;
          markRead();
          return;
        case 'message':
          if (!f.conversation_id || f.conversation_id === conv) add(f.message, true);
          return;
        case 'typing':
          if (f.role && f.role !== 'customer') typing(true, 3000);
          return;
        case 'state':
          return setState(f);
      }
    }
    // Over the visitor's budget: ask again when the server says. A message stays pending, a resync is repeated.
    var holdUntil = 0, holdT;
    function later(f, cid) {
      var ms = Math.max(1, +f.retry_after || 2) * 1000;
      if (cid) {
        var tr = turns[cid];
        if (!tr) return;
        // A reply that had begun streaming is written again from its start when the message is sent again.
        if (tr.a) tr.a.remove();
        tr.a = null;
        tr.raw = '';
        outbox.forEach(function (o) { if (o.cid === cid) o.ws = null; });
        typing(false);
        holdUntil = Date.now() + ms - 20;
        clearTimeout(holdT);
        holdT = setTimeout(flush, ms);
      } else if (resyncing) setTimeout(resync, ms);
    }
    function finish(cid, r) {
      var tr = turns[cid];
      outbox = outbox.filter(function (o) { return o.cid !== cid; });
      typing(false);
      renewSocket();
      log.removeAttribute('aria-busy');
      if (!tr) return add(r.reply, true);
      delete turns[cid];
      var c = tr.c, m = r.reply;
      c.classList.remove('parley-pending');
      if (r.message_id) {
        if (shown[r.message_id] && shown[r.message_id] !== c) c.remove();
        else if (!c.dataset.id) {
          mark(c, r.message_id);
          emit('message', { message_id: r.message_id, role: 'customer', text: tr.text });
        }
      }
      if (m && !shown[m.message_id]) {
        // The stored reply is authoritative: it replaces whatever was streamed.
        if (!m.citations && tr.cites) m.citations = tr.cites;
        clearQuick();
        if (tr.a) render(m, tr.a);
        else append(render(m));
        stick();
        arrived(m);
      } else if (tr.a) tr.a.remove(); // no reply (an agent has the conversation), or it came as a message frame
    }
    function setState(f) {
      if (f.conversation_id && f.conversation_id !== conv) return;
      var k = f.state + '/' + (f.queue_position || '') + '/' + (f.agent || '');
      if (k === stateKey) return;
      stateKey = k;
      convState = f.state;
      // The assistant no longer answers: asking it again would reach the queue or the agent instead.
      if (f.state === 'human' || f.state === 'queued') {
        log.querySelectorAll('.parley-again').forEach(function (a) { a.remove(); });
      }
      waitPlace = f.state === 'queued' ? f.queue_position || null : null;
      showWait();
      // Queued, joined and handed back are told by the server's own messages (kept in the history); only the
      // close has no message, so the widget says it and asks for a rating.
      if (f.state === 'closed') {
        note(t('closed'));
        csat(conv);
      }
    }
    function showWait() {
      wait.hidden = convState !== 'queued';
      wait.textContent = wait.hidden ? '' : t('queued') + (waitPlace ? ' ' + t('queue_position', { n: waitPlace }) : '');
    }
    function csat(id) {
      var box = h('div', 'parley-csat');
      box.append(h('p', null, t('csat')));
      var row = box.appendChild(h('div', 'parley-stars'));
      row.setAttribute('role', 'group');
      row.setAttribute('aria-label', t('csat'));
      [1, 2, 3, 4, 5].forEach(function (n) {
        row.appendChild(btn('parley-star', '★', t('rate', { n: n }))).onclick = function () {
          call('/api/chat/feedback', { conversation_id: id, rating: n }).catch(noop);
          box.textContent = '';
          box.append(h('p', null, t('csat_thanks')));
        };
      });
      append(box);
    }
    var typingT, autoNew = 0;
    function typing(on, ms) {
      clearTimeout(typingT);
      typingEl.hidden = !on;
      if (on && ms) typingT = setTimeout(function () { typingEl.hidden = true; }, ms);
      if (on) stick();
    }
    function markRead() {
      var id = lastId();
      if (!isOpen || document.hidden || !id || id === lastRead || !wsLive) return;
      lastRead = id;
      wsSend({ type: 'read', conversation_id: conv, message_id: id });
    }

    // --- HTTP
    // A visitor call; on 401 the session is renewed once and the call repeated.
    function req(path, body, method, headers, again) {
      var o = { method: method || (body ? 'POST' : 'GET'), headers: Object.assign({}, headers) };
      if (token) o.headers.Authorization = 'Bearer ' + token;
      if (body instanceof Blob) {
        o.headers['Content-Type'] = body.type || 'application/octet-stream'; // a file, sent as it is
        o.body = body;
      } else if (body) {
        o.headers['Content-Type'] = 'application/json';
        o.body = JSON.stringify(body);
      }
      return fetch(base + path, o).then(function (r) {
        if (r.status === 401 && !again) return session().then(function () { return req(path, body, method, headers, 1); });
        return r.ok ? r : answer(r);
      });
    }
    // The response's JSON, or an Error carrying the API's error code and the status.
    function answer(r) {
      if (r.status === 204) return null;
      return r.json().catch(noop).then(function (j) {
        if (r.ok) return j;
        var e = (j && j.error) || {};
        throw Object.assign(new Error(e.message || 'HTTP ' + r.status), {
          code: e.code, status: r.status, retry_after: +r.headers.get('Retry-After') || 0
        });
      });
    }
    function call(path, body, method) {
      return req(path, body, method).then(answer);
    }
    function pageURL() {
      return location.href.slice(0, 2048);
    }

    // --- Session
    var sessP = null, refreshT;
    function session(fresh) {
      if (sessP && !fresh) return sessP;
      var body = { widget_key: key };
      if (get('visitor')) body.visitor_id = get('visitor');
      if (fresh) body.new_conversation = true;
      var p = (sessP = fetch(base + '/api/widget/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body)
      })
        .then(answer)
        .then(function (s) {
          token = s.visitor_token;
          if (s.visitor_id !== visitorId) {
            // A new visitor (after "Delete my data") is told who they are again.
            if (visitorId && ident) sendIdentify();
            visitorId = s.visitor_id;
            set('visitor', visitorId);
          }
          var ttl = (s.expires_in || 3600) * 1000;
          clearTimeout(refreshT);
          refreshT = setTimeout(session, Math.max(5000, Math.min(ttl * 0.8, ttl - 60000)));
          if (s.conversation_id !== conv) switchConversation(s.conversation_id);
          else renewSocket();
          readyResolve();
          return s;
        })
        .catch(function (e) {
          if (e && e.code === 'invalid_visitor_id' && body.visitor_id) {
            set('visitor', null);
            sessP = null;
            return session(fresh);
          }
          throw e;
        })
        .finally(function () {
          if (sessP === p) sessP = null;
        }));
      return p;
    }
    function switchConversation(id) {
      var had = conv;
      conv = id;
      set('conversation', id);
      convState = stateKey = null;
      showWait();
      firstLoad = true;
      lastRead = null;
      if (!had) return;
      // Keep the greeting and messages still waiting to be sent; everything else belonged to the old conversation.
      shown = {};
      Array.from(log.children).forEach(function (el) {
        if (el !== greeting && !el.classList.contains('parley-pending')) el.remove();
      });
      for (var cid in turns) if (turns[cid].a) turns[cid].a = null;
      outbox.forEach(function (o) { o.ws = null; });
      reconnect(false);
    }
    // A new conversation; `clear` also drops the messages not sent yet.
    var opening = false;
    function newConversation(clear) {
      if (clear) {
        outbox.length = 0;
        turns = {};
        log.querySelectorAll('.parley-pending, .parley-failed').forEach(function (el) { el.remove(); });
      }
      opening = true;
      var done = function () { opening = false; };
      return session(true).then(done, done).then(flush, noop);
    }

    // --- WebSocket, with backoff and the SSE fallback
    var ws = null, wsTok = null, wsLive = false, everOpen = false, fails = 0, attempt = 0, retryT, mode = 'ws', es = null;
    var lostOnce = false, resyncing = false;
    function wsSend(f) {
      if (wsLive) ws.send(JSON.stringify(f));
    }
    // Asks for the messages after the last one shown (all of them after a reload); answered by a history frame.
    function resync() {
      if (!wsLive) return;
      resyncing = true;
      wsSend({ type: 'resync', conversation_id: conv, after: lastId() });
    }
    function showStatus() {
      status.hidden = !lostOnce || (mode === 'ws' ? wsLive : es && es.readyState === 1);
    }
    function retry(fn) {
      clearTimeout(retryT);
      var d = Math.min(10000, 500 * Math.pow(2, attempt++));
      retryT = setTimeout(fn, d / 2 + (Math.random() * d) / 2);
    }
    function connect() {
      clearTimeout(retryT);
      if (mode !== 'ws') return openEvents();
      if (ws || !token || !conv) return;
      // The token goes as an offered subprotocol, not in the URL, which proxies write to their logs.
      var tok = (wsTok = token), s = (ws = new WebSocket(base.replace(/^http/, 'ws') + '/api/chat/ws', ['parley', 'parley.token.' + tok]));
      s.onopen = function () {
        everOpen = true;
        fails = 0;
        wsLive = true;
        showStatus();
        resync();
        flush();
      };
      s.onmessage = function (e) {
        try {
          frame(JSON.parse(e.data));
        } catch (x) {
          console.error(x);
        }
      };
      s.onclose = function (e) {
        if (ws !== s) return;
        var was = wsLive;
        ws = null;
        wsLive = false;
        lostOnce = true;
        showStatus();
        typing(false);
        var again = function () { retry(connect); };
        // The token expired (4001): reconnect with the newer one, or open a new session first.
        if (e.code === 4001 || e.code === 4401 || e.code === 1008) {
          return (tok !== token ? Promise.resolve() : session()).then(again, again);
        }
        if (was) return again();
        // It never opened: a bad token, the server down, or WebSockets blocked. An authorised probe tells them apart.
        fetch(base + '/api/chat/conversations', { headers: { Authorization: 'Bearer ' + token } }).then(function (r) {
          if (r.status === 401) return session().then(again, again);
          if (!everOpen && ++fails >= 3) {
            mode = 'sse';
            return connect();
          }
          again();
        }, again);
      };
    }
    // A renewed token: the open socket runs on the old one until the server closes it at that one's expiry. The
    // widget moves to a socket on the new token as soon as no message is in flight (moving would cut a reply off).
    function renewSocket() {
      if (mode === 'ws' && ws && wsTok !== token && !outbox.length) reconnect(false);
    }
    // Opens a fresh connection at once (new token or new conversation).
    function reconnect(renew) {
      var p = renew ? session() : Promise.resolve();
      p.then(function () {
        attempt = 0;
        if (mode === 'sse') return openEvents();
        var s = ws;
        ws = null;
        wsLive = false;
        if (s) s.close();
        connect();
      }, function () { retry(connect); });
    }
    setInterval(function () { wsSend({ type: 'ping' }); }, 25000);
    addEventListener('online', function () {
      attempt = 0;
      if (mode === 'ws' ? !ws : !es) connect();
    });

    var listener = uuid(), evGen = 0;
    // The fallback: live frames from an EventSource, messages posted one at a time with the reply as SSE. An
    // EventSource sends no Authorization header, so it opens with a one-minute ticket for this conversation's stream
    // (a URL is logged along the way; the visitor token stays out of it).
    function openEvents() {
      var g = ++evGen;
      if (es) es.close();
      es = null;
      call('/api/chat/events/ticket', { conversation_id: conv }).then(function (j) {
        if (g === evGen) listen(j.ticket);
      }, function (e) {
        if (g !== evGen) return;
        // Over budget: ask again later. Otherwise the conversation may be gone (erased in another tab): a new
        // session says which one to listen to.
        if (e.status === 429) return retry(openEvents);
        // A session that moved to another conversation opened its events itself.
        var was = conv;
        retry(function () {
          session().then(function () { if (conv === was) openEvents(); }, function () { retry(openEvents); });
        });
      });
    }
    function listen(ticket) {
      var s = (es = new EventSource(
        base + '/api/chat/events?ticket=' + encodeURIComponent(ticket) + '&listener=' + listener
      ));
      s.onopen = function () {
        showStatus();
        loadHistory();
        postNext();
      };
      TYPES.forEach(function (ty) {
        s.addEventListener(ty, function (e) {
          if (!e.data) return; // the EventSource's own 'error' event
          var f = JSON.parse(e.data);
          f.type = f.type || ty;
          frame(f);
        });
      });
      // The token ran out: the server ends the stream; open a new session and listen again.
      s.addEventListener('expired', function () {
        s.close();
        if (es !== s) return;
        es = null;
        retry(function () { session().then(openEvents, function () { retry(openEvents); }); });
      });
      s.onerror = function () {
        lostOnce = true;
        showStatus();
        if (s.readyState !== 2 || es !== s) return; // the browser reconnects by itself
        es = null;
        retry(function () { session().then(openEvents, function () { retry(openEvents); }); });
      };
    }
    function loadHistory() {
      var after = lastId();
      call('/api/chat/history/' + encodeURIComponent(conv) + (after ? '?after=' + encodeURIComponent(after) : ''))
        .then(function (j) {
          frame({ type: 'history', conversation_id: conv, messages: j.messages });
          var c = j.conversation || {};
          if (c.state && c.state !== 'closed') frame({ type: 'state', conversation_id: conv, state: c.state, queue_position: c.queue_position });
        }, function (e) {
          if (e.status === 429) setTimeout(loadHistory, 2000);
        });
    }
    var posting = false;
    function postNext() {
      // A new session may change the conversation; a rate-limited message waits for its time.
      if (posting || sessP || !outbox.length || !conv || Date.now() < holdUntil) return;
      var o = outbox[0];
      o.conv = conv;
      posting = true;
      typing(true);
      var msg = { conversation_id: conv, client_message_id: o.cid, text: o.text, page_url: o.url };
      // Names this page's event stream, so that it does not repeat what this response carries.
      req('/api/chat/message', msg, 'POST', { Accept: 'text/event-stream', 'X-Parley-Listener': listener })
        .then(
          function (r) { return readSSE(r, o.cid); },
          function (e) {
            if (e.status) {
              return frame({
                type: 'error', client_message_id: o.cid, code: e.code, message: e.message, retry_after: e.retry_after,
                status: e.status
              });
            }
            throw e;
          }
        )
        .then(
          function () {
            posting = false;
            postNext();
          },
          function () {
            posting = false; // a dropped stream: send the same message again (the server answers it once)
            retry(postNext);
          }
        );
    }
    function readSSE(r, cid) {
      var rd = r.body.getReader(), dec = new TextDecoder(), buf = '', ended = false;
      function one(chunk) {
        var ev = 'message', data = '';
        chunk.split(/\r?\n/).forEach(function (l) {
          var m = /^(event|data): ?(.*)$/.exec(l);
          if (m && m[1] === 'event') ev = m[2];
          else if (m) data += (data ? '\n' : '') + m[2];
        });
        if (!data) return;
        var d = JSON.parse(data);
        if (ev === 'done' || ev === 'error') ended = true;
        frame(
          ev === 'delta' ? { type: ev, client_message_id: cid, text: d.text }
          : ev === 'citation' ? { type: ev, client_message_id: cid, citation: d }
          : ev === 'done' ? { type: ev, client_message_id: cid, result: d }
          : ev === 'error' ? { type: ev, client_message_id: cid, code: d.code, message: d.message }
          : d
        );
      }
      return (function pump() {
        return rd.read().then(function (x) {
          if (x.done) {
            if (buf.trim()) one(buf);
            if (!ended) throw new Error('stream ended early');
            return;
          }
          var parts = (buf += dec.decode(x.value, { stream: true })).split(/\r?\n\r?\n/);
          buf = parts.pop();
          parts.forEach(one);
          return pump();
        });
      })();
    }

    // --- Menu actions
    function download() {
      req('/api/chat/data').then(function (r) { return r.blob(); }).then(function (b) {
        var a = h('a');
        a.href = URL.createObjectURL(b);
        a.download = 'parley-data.json';
        root.appendChild(a).click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
      }, function (e) { note(e.message, 'parley-error'); });
    }
    function deleteData() {
      if (!confirm(t('confirm_delete'))) return;
      req('/api/chat/data', null, 'DELETE').then(function () {
        wipe();
        for (var k in mem) if (k !== 'parley:consent') delete mem[k];
        visitorId = null;
        newConversation(true).then(function () { note(t('deleted')); });
      }, function (e) { note(e.message, 'parley-error'); });
    }

    // --- Proactive engagement
    function event(ev) {
      ev.page_url = pageURL();
      readyP.then(function () {
        ev.conversation_id = conv;
        return call('/api/widget/event', ev);
      }).then(function (r) {
        if (r && r.message) setTimeout(function () { add(r.message, true); }, r.delay_ms || 0);
      }, noop);
    }
    // The API takes flat objects: strings, numbers and booleans only.
    function flat(o) {
      var r = {};
      for (var k in o) if (/^(string|number|boolean)$/.test(typeof o[k])) r[k] = o[k];
      return r;
    }
    var page = {}, trigT = [];
    function pageView() {
      var u = location.href.split('#')[0];
      if (u === page.url) return;
      page = { url: u, t0: Date.now(), depth: 0 };
      event({ type: 'page_view' });
      trigT.forEach(clearTimeout);
      trigT = (cfg.triggers || []).map(function (tg) {
        if (!tg || !tg.message || location.pathname.indexOf(tg.url_pattern || '') < 0) return;
        return setTimeout(function () {
          var k = 'trigger:' + tg.id, now = Date.now();
          if (isOpen || now - (+get(k) || 0) < (tg.cooldown_seconds || 0) * 1000) return;
          set(k, String(now));
          append(render({ role: 'assistant', text: tg.message }));
          arrived({ role: 'assistant', text: tg.message, trigger: tg.id });
        }, (tg.seconds || 0) * 1000);
      });
    }
    ['pushState', 'replaceState'].forEach(function (fn) {
      var orig = history[fn];
      history[fn] = function () {
        var r = orig.apply(this, arguments);
        pageView();
        return r;
      };
    });
    addEventListener('popstate', pageView);
    setInterval(function () {
      if (!document.hidden && page.t0) {
        event({ type: 'time_on_page', seconds: Math.min(86400, Math.round((Date.now() - page.t0) / 1000)) });
      }
    }, 15000);
    addEventListener('scroll', function () {
      var d = document.documentElement, pct = ((scrollY + innerHeight) / d.scrollHeight) * 100;
      var th = [100, 75, 50, 25].find(function (x) { return pct >= x - 1; });
      if (th > page.depth) {
        page.depth = th;
        event({ type: 'scroll_depth', data: { percent: th } });
      }
    }, { passive: true });
    var exited = false;
    document.addEventListener('mouseout', function (e) {
      if (!exited && !e.relatedTarget && e.clientY <= 0) {
        exited = true;
        event({ type: 'exit_intent' });
      }
    });
    function sendIdentify() {
      readyP.then(function () {
        return call('/api/widget/identify', { id: ident.id, email: ident.email, name: ident.name, hash: ident.hash });
      }).catch(function (e) { console.warn('Parley identify:', e.message); });
    }

    // --- Start: after the loader has replayed the queued calls (consent, identify, locale)
    setTimeout(function start() {
      var returning = !!get('visitor');
      session().then(function () {
        connect();
        pageView();
        if (returning) event({ type: 'returning_visit' });
        if (!isReady) {
          isReady = true;
          emit('ready');
        }
      }, function (e) {
        console.warn('Parley session:', e.message);
        // A refused key or origin stays refused; the network and an overloaded server get another try.
        if (!e.status || e.status === 429 || e.status >= 500) retry(start);
      });
    }, 0);
    texts();
    log.append(greeting);

    // --- The public API
    return function Parley(cmd, a, b) {
      switch (cmd) {
        case 'open': return setOpen(true);
        case 'close': return setOpen(false);
        case 'toggle': return setOpen(!isOpen);
        case 'identify':
          ident = a || {};
          return sendIdentify();
        case 'track':
          var ev = { type: 'custom', name: String(a), data: flat(b || {}) };
          if (a === 'cart_updated') ev.cart = flat((b && b.cart) || b || {});
          return event(ev);
        case 'consent':
          if (a) {
            consent = true;
            set('consent', '1');
            for (var k in mem) if (mem[k] != null) try { ls.setItem(k, mem[k]); } catch (e) {}
          } else {
            consent = false;
            wipe();
          }
          return;
        case 'on':
          if (typeof b !== 'function') return;
          (handlers[a] = handlers[a] || []).push(b);
          if (a === 'ready' && isReady) b();
          return;
        case 'locale':
          lang = has(S, a) ? a : def;
          return texts();
      }
    };
  }
})();
