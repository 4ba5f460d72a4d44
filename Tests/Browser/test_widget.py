"""Real-browser tests of the chat widget (docs/widget.md) against a running `parley serve`.

Every test opens its own headless Chromium with a fresh profile. The module's server is shared; tests that change
the widget settings restore them, and the restart test runs its own server.
"""

import gzip
import sqlite3
import time
import urllib.request

import pytest
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import http

# --- Helpers reading the widget's shadow DOM

# The widget's state, read in one go: what the tests assert on.
STATE_JS = r"""
const host = document.getElementById('parley-widget');
const root = host && host.shadowRoot;
if (!root) return null;
const vis = (el) => !!el && !el.hidden && el.getClientRects().length > 0 && getComputedStyle(el).display !== 'none';
const panel = root.querySelector('.parley-panel');
const bubble = root.querySelector('.parley-bubble');
const status = root.querySelector('.parley-status');
const msgs = Array.from(root.querySelectorAll('.parley-log > .parley-msg:not(.parley-greeting)')).map((el) => ({
  role: (el.className.match(/parley-(customer|assistant|agent|system)/) || [])[1] || null,
  text: (el.querySelector('.parley-body') || el).textContent,
  html: (el.querySelector('.parley-body') || el).innerHTML,
  id: el.dataset.id || null,
  pending: el.classList.contains('parley-pending'),
  failed: el.classList.contains('parley-failed'),
  streaming: el.classList.contains('parley-streaming'),
  cites: Array.from(el.querySelectorAll('.parley-cites li')).map((li) => {
    const a = li.querySelector('a');
    return {text: li.textContent, href: a ? a.href : null, rel: a ? a.rel : null, target: a ? a.target : null};
  }),
}));
return {
  shown: getComputedStyle(host).display !== 'none',
  launcher: vis(root.querySelector('.parley-launcher')),
  open: vis(panel),
  bubble: vis(bubble) ? root.querySelector('.parley-bubble-text').textContent : null,
  reconnecting: vis(status),
  messages: msgs,
  now: performance.now(),
};
"""


def state(driver):
    return driver.execute_script(STATE_JS)


def wait(driver, cond, timeout=20, poll=0.1, message=""):
    """Waits until cond(state) is truthy and returns that value."""

    def check(d):
        s = state(d)
        return s is not None and cond(s)

    return WebDriverWait(driver, timeout, poll_frequency=poll).until(check, message)


def shadow(driver):
    return driver.find_element(By.ID, "parley-widget").shadow_root


def load(driver, srv, path="/demo"):
    driver.get(srv.base + path)
    # Registered before or after the bundle boots (queued calls are replayed): set once the session is open.
    driver.execute_script("window.__ready = 0; Parley('on', 'ready', function () { window.__ready = 1; });")
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return window.__ready === 1"), "widget not ready")
    wait(driver, lambda s: s["shown"] and s["launcher"], message="launcher not visible")


def open_widget(driver):
    shadow(driver).find_element(By.CSS_SELECTOR, ".parley-launcher").click()
    wait(driver, lambda s: s["open"], message="panel did not open")


def send(driver, text):
    root = shadow(driver)
    box = root.find_element(By.CSS_SELECTOR, ".parley-input")
    box.send_keys(text)  # typed key by key, as a visitor would
    assert box.get_property("value") == text
    root.find_element(By.CSS_SELECTOR, ".parley-send").click()


def chat(driver, text, timeout=30):
    """Sends `text` and waits until it is stored and a finished reply (with an id) follows it."""
    before = len(state(driver)["messages"])
    send(driver, text)

    def answered(s):
        new = s["messages"][before:]
        custs = [m for m in new if m["role"] == "customer" and m["text"] == text]
        if not custs or not custs[0]["id"]:
            return False
        after = new[new.index(custs[0]) + 1:]
        done = [m for m in after if m["role"] != "customer" and m["id"] and not m["streaming"]]
        return done[0] if done else False

    return wait(driver, answered, timeout=timeout, message=f"no reply to {text!r}")


def local_keys(driver):
    return driver.execute_script("""
      const keys = (st) => Object.keys(st).filter((k) => k.startsWith('parley:'));
      return {local: keys(localStorage), session: keys(sessionStorage), cookie: document.cookie};
    """)


def conversation_id(driver):
    return driver.execute_script("return localStorage.getItem('parley:conversation')")


def wait_stored(srv, conv, cond, timeout=15):
    """Polls the staff API until cond(messages) holds; returns the messages."""
    deadline = time.monotonic() + timeout
    while True:
        msgs = srv.messages(conv)
        if cond(msgs):
            return msgs
        if time.monotonic() > deadline:
            raise AssertionError(f"stored messages never matched: {msgs}")
        time.sleep(0.2)


# --- a. streaming reply with citations


def test_streamed_reply_with_citations(server, make_driver, fake_llm):
    d = make_driver()
    load(d, server)
    open_widget(d)
    assert state(d)["messages"] == []
    aria = d.execute_script("""
      const root = document.getElementById('parley-widget').shadowRoot;
      const q = (s) => root.querySelector(s);
      return {expanded: q('.parley-launcher').getAttribute('aria-expanded'), dialog: q('.parley-panel').getAttribute('role'),
              log: q('.parley-log').getAttribute('role'), live: q('.parley-log').getAttribute('aria-live'),
              focus: root.activeElement && root.activeElement.className};
    """)
    assert aria == {"expanded": "true", "dialog": "dialog", "log": "log", "live": "polite", "focus": "parley-input"}
    # Saving the assistant settings again starts a new answer cache: the model is asked, whatever ran before.
    server.use_fake_llm(fake_llm)
    calls = len(fake_llm.requests)
    send(d, "How long does shipping take?")

    samples = []  # texts of the reply bubble seen while it was still streaming

    def finished(s):
        replies = [m for m in s["messages"] if m["role"] == "assistant"]
        if not replies:
            return False
        r = replies[-1]
        if r["streaming"]:
            if r["text"] and (not samples or samples[-1] != r["text"]):
                samples.append(r["text"])
            return False
        return r if r["id"] else False

    reply = wait(d, finished, timeout=30, poll=0.03, message="the reply never finished")
    assert len(fake_llm.requests) > calls, "the fake model was not asked"
    # It grew over at least two polls: streamed, not delivered whole.
    assert len(samples) >= 2, f"saw no streaming: {samples}"
    print(f"streamed: {len(samples)} growing texts seen before done")
    for a, b in zip(samples, samples[1:]):
        assert b.startswith(a) and len(b) > len(a), samples
    assert reply["text"].startswith(samples[-1]) and len(samples[0]) < len(reply["text"]), samples

    # The bubble ends with exactly what was stored.
    conv = conversation_id(d)
    msgs = wait_stored(server, conv, lambda ms: any(m["role"] == "assistant" for m in ms))
    stored = [m for m in msgs if m["role"] == "assistant"][-1]
    assert reply["text"] == stored["text"]
    assert reply["id"] == stored.get("message_id", stored.get("id"))
    assert reply["text"] == 'Our help pages say: "Standard shipping takes 3 to 5 business days." [1]'
    assert "[1]" in reply["text"]

    # Citations: links under the answer, to the FAQ entry, opened safely.
    assert reply["cites"], "no citations shown"
    cite = reply["cites"][0]
    assert cite["text"] == "How long does shipping take?"
    assert cite["href"] and cite["href"].endswith("/demo#faq-1"), cite
    assert cite["rel"] == "noopener noreferrer" and cite["target"] == "_blank"
    link = shadow(d).find_element(By.CSS_SELECTOR, ".parley-assistant .parley-cites a")
    assert link.is_displayed()

    customer = [m for m in state(d)["messages"] if m["role"] == "customer"]
    assert [m["text"] for m in customer] == ["How long does shipping take?"]
    assert customer[0]["id"] and not customer[0]["pending"]


# --- b. history restored on reload


def test_history_restored_after_reload(server, make_driver):
    d = make_driver()
    load(d, server)
    open_widget(d)
    question = "What is your return policy?"
    reply = chat(d, question)
    before = [(m["role"], m["text"], m["id"]) for m in state(d)["messages"]]
    assert len(before) == 2 and before[0] == ("customer", question, before[0][2])

    def reload_and_read():
        d.refresh()
        load(d, server)
        open_widget(d)
        return wait(d, lambda s: len(s["messages"]) >= 2 and [(m["role"], m["text"], m["id"]) for m in s["messages"]],
                    message="history not restored")

    after = reload_and_read()
    assert after == before, after
    assert reply["text"] in [m[1] for m in after]
    # Nothing more arrives later (a second resync or history load would duplicate).
    with pytest.raises(TimeoutException):
        wait(d, lambda s: len(s["messages"]) != 2, timeout=2)
    assert len({m[2] for m in after}) == 2


def test_history_restored_when_over_the_call_budget(make_server, make_driver):
    """A visitor whose call budget is spent gets 429s and rate_limited frames; the widget waits as told and still
    shows the whole conversation after a reload (it used to drop the refused resync and show nothing)."""
    srv = make_server(env={"PARLEY_RATE_LIMITS": "visitor=60/10"})
    d = make_driver()
    load(d, srv)
    open_widget(d)
    question = "What is your return policy?"
    chat(d, question)
    before = [(m["role"], m["text"], m["id"]) for m in state(d)["messages"]]

    # Spend the rest of the visitor's budget from outside the page, as another tab of theirs would.
    visitor = d.execute_script("return localStorage.getItem('parley:visitor')")
    status, body, _ = http("POST", srv.base + "/api/widget/session", {"widget_key": "demo", "visitor_id": visitor},
                           headers={"Origin": srv.base})
    assert status == 200 and body["visitor_id"] == visitor, body
    history = srv.base + "/api/chat/history/" + body["conversation_id"]
    for _ in range(30):
        status, err, headers = http("GET", history, token=body["visitor_token"])
        if status == 429:
            break
    assert status == 429 and err["error"]["code"] == "rate_limited" and int(headers["Retry-After"]) >= 1

    d.refresh()
    load(d, srv)
    open_widget(d)
    after = wait(d, lambda s: len(s["messages"]) >= 2 and [(m["role"], m["text"], m["id"]) for m in s["messages"]],
                 timeout=30, message="history not restored after the budget refilled")
    assert after == before, after


# --- c. proactive bubble and its cooldown


def test_proactive_bubble_and_cooldown(server, make_driver):
    d = make_driver()
    d.get(server.base + "/demo/pricing")
    # The moment the bubble is unhidden, in the page's clock (performance.now() counts from the navigation).
    WebDriverWait(d, 10).until(lambda d: d.execute_script("""
      const host = document.getElementById('parley-widget');
      const bubble = host && host.shadowRoot.querySelector('.parley-bubble');
      if (!bubble) return false;
      window.__bubbleAt = bubble.hidden ? null : performance.now();
      new MutationObserver(() => {
        if (!bubble.hidden && window.__bubbleAt == null) window.__bubbleAt = performance.now();
      }).observe(bubble, {attributes: true});
      return true;
    """), "the widget did not boot")
    seen = wait(d, lambda s: s["bubble"] and s, timeout=15, message="no proactive bubble")
    at = d.execute_script("return window.__bubbleAt")
    assert seen["bubble"] == "Comparing plans? I can help you choose."
    assert at is not None and at >= 4000, f"the bubble came after {at} ms, before 4 s"
    assert at <= 10000, f"the bubble came after {at:.0f} ms"
    print(f"proactive bubble after {at / 1000:.2f} s")
    stamp = d.execute_script("return localStorage.getItem('parley:trigger:pricing-help')")
    assert stamp and stamp.isdigit()

    # Clicking it opens the panel with the same text as an assistant message.
    shadow(d).find_element(By.CSS_SELECTOR, ".parley-bubble-text").click()
    s = wait(d, lambda s: s["open"] and s)
    assert s["bubble"] is None
    assert [m["text"] for m in s["messages"] if m["role"] == "assistant"] == ["Comparing plans? I can help you choose."]

    d.refresh()
    load(d, server, "/demo/pricing")
    with pytest.raises(TimeoutException):
        wait(d, lambda s: s["bubble"], timeout=8)
    s = state(d)
    assert s["now"] >= 8000 and s["launcher"] and not s["bubble"]
    assert d.execute_script("return localStorage.getItem('parley:trigger:pricing-help')") == stamp


# --- d. XSS


def test_markup_is_shown_as_text(server, make_driver, llm_payload):
    d = make_driver()
    load(d, server)
    open_widget(d)
    model_payload = "<img src=x onerror=window.__xss=3> **bold**"
    llm_payload(model_payload)
    reply = chat(d, "Shipping: how long until my parcel arrives?")
    assert reply["text"] == model_payload.replace("**bold**", "bold") + " [1]", reply
    assert "<strong>bold</strong>" in reply["html"]
    assert "&lt;img src=x onerror=window.__xss=3&gt;" in reply["html"]

    typed = ['<img src=x onerror="window.__xss=1">', "<script>window.__xss=2</script>"]
    for text in typed:
        send(d, text)
        wait(d, lambda s: any(m["role"] == "customer" and m["text"] == text and m["id"] for m in s["messages"]),
             message=f"{text!r} not stored")
    # Each gets an answer (the second hands the conversation to a human).
    wait(d, lambda s: s["messages"][-1]["role"] != "customer" and s["messages"][-1]["id"], timeout=15,
         message="no answer to the typed markup")

    # An agent's message is text too, and a javascript: link is no link.
    conv = conversation_id(d)
    server.api("POST", f"/api/agent/conversations/{conv}/claim")
    agent_text = "<img src=x onerror=window.__xss=4> [click](javascript:window.__xss=5)"
    server.api("POST", f"/api/agent/conversations/{conv}/messages", {"text": agent_text})
    agent = wait(d, lambda s: [m for m in s["messages"] if m["role"] == "agent"], message="agent message not shown")
    assert agent[0]["text"] == "<img src=x onerror=window.__xss=4> click"
    assert "<a" not in agent[0]["html"] and "&lt;img" in agent[0]["html"]
    # A link in a message says where it goes: relative and protocol-relative ones are text; absolute ones link.
    links_text = "[sign in](//evil.example/login) [delete](/account/delete) [help](https://help.example/)"
    server.api("POST", f"/api/agent/conversations/{conv}/messages", {"text": links_text})
    second = wait(d, lambda s: [m for m in s["messages"] if m["role"] == "agent"][1:],
                  message="second agent message not shown")[0]
    assert second["text"] == "sign in delete help", second
    hrefs = d.execute_script("""
      const root = document.getElementById('parley-widget').shadowRoot;
      const last = [...root.querySelectorAll('.parley-agent')].pop();
      return [...last.querySelectorAll('a')].map((a) => a.href);
    """)
    assert hrefs == ["https://help.example/"], hrefs

    s = state(d)
    custs = [m["text"] for m in s["messages"] if m["role"] == "customer"]
    assert custs[-2:] == typed
    for m in s["messages"]:
        if m["role"] == "customer":
            assert "<" not in m["html"], m["html"]
    assert d.execute_script("return typeof window.__xss") == "undefined"
    try:
        alert = d.switch_to.alert
        pytest.fail(f"an alert is open: {alert.text}")
    except NoAlertPresentException:
        pass
    bad = d.execute_script("""
      const root = document.getElementById('parley-widget').shadowRoot;
      const imgs = [...root.querySelectorAll('img'), ...document.querySelectorAll('img')];
      return {
        x: imgs.filter((i) => i.getAttribute('src') === 'x' || /\\/x$/.test(i.src)).length,
        scripts: root.querySelectorAll('script').length,
        js: [...root.querySelectorAll('a')].filter((a) => !/^(https?|mailto):/.test(a.protocol)).length,
        handlers: [...root.querySelectorAll('*')].filter((e) => e.hasAttribute('onerror')).length,
      };
    """)
    assert bad == {"x": 0, "scripts": 0, "js": 0, "handlers": 0}
    # Stored as typed, too.
    msgs = server.messages(conv)
    assert [m["text"] for m in msgs if m["role"] == "customer"][-2:] == typed


# --- e. restart while the widget is open


def test_reconnects_after_restart_and_delivers_once(make_server, make_driver):
    srv = make_server()
    d = make_driver()
    load(d, srv)
    open_widget(d)
    chat(d, "How do I reset my password?")
    conv = conversation_id(d)

    srv.stop()
    wait(d, lambda s: s["reconnecting"], timeout=15, message="the widget did not notice the server going away")
    question = "Which plans do you offer?"
    send(d, question)
    s = wait(d, lambda s: [m for m in s["messages"] if m["text"] == question])
    assert len(s) == 1 and s[0]["pending"] and not s[0]["id"]
    # Still pending while the server is down.
    with pytest.raises(TimeoutException):
        wait(d, lambda s: not [m for m in s["messages"] if m["text"] == question][0]["pending"], timeout=2)

    srv.start()
    t0 = time.monotonic()
    reply = chat_reply_after(d, question, timeout=40)
    print(f"delivered {time.monotonic() - t0:.1f} s after the restart")
    assert "Starter plan" in reply["text"]
    s = wait(d, lambda s: not s["reconnecting"] and s, timeout=10)
    assert [m["text"] for m in s["messages"] if m["role"] == "customer"] == ["How do I reset my password?", question]

    msgs = wait_stored(srv, conv, lambda ms: any(m["role"] == "assistant" and "Starter plan" in m["text"] for m in ms))
    assert [m["text"] for m in msgs if m["role"] == "customer"].count(question) == 1, msgs
    assert sum(1 for m in msgs if m["role"] == "assistant" and "Starter plan" in m["text"]) == 1, msgs
    # And nothing is shown twice.
    ids = [m["id"] for m in s["messages"]]
    assert len(ids) == len(set(ids)) and all(ids)


def chat_reply_after(driver, question, timeout):
    def answered(s):
        msgs = s["messages"]
        idx = [i for i, m in enumerate(msgs) if m["role"] == "customer" and m["text"] == question]
        if len(idx) != 1 or not msgs[idx[0]]["id"]:
            return False
        done = [m for m in msgs[idx[0] + 1:] if m["role"] != "customer" and m["id"] and not m["streaming"]]
        return done[0] if done else False

    return wait(driver, answered, timeout=timeout, message="the pending message was not delivered")


# --- Token renewal, and a conversation closed under pending messages

# Wraps the page's WebSocket before the widget boots: every socket's URL, open and close times and close code.
RECORD_SOCKETS_JS = r"""
(function () {
  var Native = window.WebSocket;
  window.__sockets = [];
  function Recorded(url, protocols) {
    var s = protocols === undefined ? new Native(url) : new Native(url, protocols);
    var carrier = [].concat(protocols || []).filter(function (p) { return p.indexOf('parley.token.') === 0; })[0];
    var r = {token: carrier || null, url: url, opened: performance.now(), code: null, closed: null};
    window.__sockets.push(r);
    s.addEventListener('close', function (e) { r.code = e.code; r.closed = performance.now(); });
    return s;
  }
  Recorded.prototype = Native.prototype;
  ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(function (k) { Recorded[k] = Native[k]; });
  window.WebSocket = Recorded;
})();
"""


def record_sockets(driver):
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_SOCKETS_JS})


def sockets(driver):
    return driver.execute_script("return window.__sockets || []")


def test_moves_to_a_renewed_token_between_messages(make_server, make_driver, fake_llm):
    # Tokens of 20 s: the widget renews its session every 5 s (its floor), well before each token's expiry, and a
    # socket moved to a fresh token has at least 15 s left, room for the slow reply below even on a loaded machine
    # (with 12 s tokens a reply of 7 s, slowed by CI's load, outlived its socket's token: closed with 4001).
    srv = make_server(env={"PARLEY_VISITOR_TOKEN_SECONDS": "20"})
    d = make_driver()
    record_sockets(d)
    load(d, srv)
    open_widget(d)
    chat(d, "How do I reset my password?")
    conv = conversation_id(d)

    # Idle: the widget moves to a socket on the renewed token by itself; the server never has to close one (4001).
    WebDriverWait(d, 20).until(lambda d: len({x["token"] for x in sockets(d)}) >= 2, "the socket stayed on its first token")
    first = sockets(d)[0]
    # The token travels as an offered subprotocol, never in the URL.
    assert all(x["token"] and "token" not in x["url"] for x in sockets(d)), sockets(d)
    WebDriverWait(d, 10).until(lambda d: sockets(d)[0]["closed"] is not None, "the first socket was not closed")
    assert sockets(d)[0]["code"] != 4001, sockets(d)

    # A reply that takes longer than a renewal: the socket is not moved under it, so it arrives whole.
    fake_llm.delay = 0.45
    try:
        question = "Which plans do you offer?"
        before = len(sockets(d))
        reply = chat(d, question, timeout=60)
    finally:
        fake_llm.delay = 0.04
    stored = wait_stored(srv, conv, lambda ms: any(m["role"] == "assistant" and m["text"] == reply["text"] for m in ms))
    last = [m for m in stored if m["role"] == "assistant"][-1]
    assert not (last.get("metadata") or {}).get("interrupted"), last
    assert "Starter plan" in reply["text"] and reply["text"].rstrip().endswith(("]", ".", '"')), reply
    # The renewal that came during the reply moves the socket once the reply is in.
    WebDriverWait(d, 20).until(lambda d: len(sockets(d)) > before, "the socket did not move after the reply")
    assert first["token"] != sockets(d)[-1]["token"]
    assert all(x["code"] != 4001 for x in sockets(d) if x["closed"] is not None), sockets(d)


def test_an_answer_cut_off_by_leaving_is_marked_and_can_be_asked_again(make_server, make_driver, fake_llm):
    srv = make_server()
    d = make_driver()
    load(d, srv)
    open_widget(d)
    question = "Which plans do you offer?"
    fake_llm.delay = 0.5  # a slow model: the visitor leaves while it writes
    try:
        send(d, question)
        wait(d, lambda s: any(m["role"] == "assistant" and m["streaming"] and m["text"].strip() for m in s["messages"]),
             timeout=30, message="the reply did not start")
        conv = conversation_id(d)
        d.refresh()  # the page goes away mid-answer: generation stops, the partial reply is stored
        stored = wait_stored(srv, conv, lambda ms: any(m["role"] == "assistant" for m in ms), timeout=30)
    finally:
        fake_llm.delay = 0.04
    partial = [m for m in stored if m["role"] == "assistant"][-1]
    assert (partial.get("metadata") or {}).get("interrupted") is True, partial

    load(d, srv)
    open_widget(d)
    wait(d, lambda s: [m["role"] for m in s["messages"]] == ["customer", "assistant"], message="history not restored")
    marked = d.execute_script("""
      const root = document.getElementById('parley-widget').shadowRoot;
      const a = root.querySelector('.parley-log > .parley-assistant:not(.parley-greeting)');
      const cut = a && a.querySelector('.parley-cut'), again = a && a.querySelector('.parley-again button');
      return {cut: cut && cut.textContent, again: again && again.textContent};
    """)
    assert marked == {"cut": "This answer was cut off.", "again": "Ask again"}, marked
    assert state(d)["messages"][1]["text"].startswith(partial["text"].split()[0]), state(d)["messages"]

    # Asking again sends the question as a new message and gets the whole answer.
    shadow(d).find_element(By.CSS_SELECTOR, ".parley-again button").click()

    def answered(s):
        roles = [m["role"] for m in s["messages"]]
        last = s["messages"][-1]
        return roles == ["customer", "assistant", "customer", "assistant"] and last["id"] and not last["streaming"] and last

    reply = wait(d, answered, timeout=30, message="asking again got no answer")
    assert state(d)["messages"][2]["text"] == question
    assert "Starter plan" in reply["text"], reply
    assert not shadow(d).find_elements(By.CSS_SELECTOR, ".parley-again"), "the offer stays after it was taken"
    msgs = wait_stored(srv, conv, lambda ms: len([m for m in ms if m["role"] == "assistant"]) == 2)
    assert not (msgs[-1].get("metadata") or {}).get("interrupted"), msgs[-1]


# Every WebSocket fails before it opens (as behind a proxy that blocks them); EventSource URLs are recorded.
NO_WEBSOCKET_JS = r"""
(function () {
  function Blocked() {
    var s = this;
    s.readyState = 0;
    setTimeout(function () {
      s.readyState = 3;
      if (s.onclose) s.onclose({ code: 1006, reason: '' });
    }, 20);
  }
  Blocked.prototype.send = function () {};
  Blocked.prototype.close = function () {};
  Blocked.CONNECTING = 0; Blocked.OPEN = 1; Blocked.CLOSING = 2; Blocked.CLOSED = 3;
  window.WebSocket = Blocked;
  var Native = window.EventSource;
  window.__streams = [];
  function Recorded(url, options) {
    window.__streams.push(String(url));
    return new Native(url, options);
  }
  Recorded.prototype = Native.prototype;
  Recorded.CONNECTING = 0; Recorded.OPEN = 1; Recorded.CLOSED = 2;
  window.EventSource = Recorded;
  // The visitor tokens the page was given, to look for in those URLs.
  var nativeFetch = window.fetch;
  window.__tokens = [];
  window.fetch = function (url, options) {
    return nativeFetch.apply(this, arguments).then(function (r) {
      if (String(url).indexOf('/api/widget/session') >= 0) {
        r.clone().json().then(function (j) { if (j.visitor_token) window.__tokens.push(j.visitor_token); }, function () {});
      }
      return r;
    });
  };
})();
"""


def test_without_websocket_the_stream_opens_with_a_ticket_not_the_token(server, make_driver):
    d = make_driver()
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NO_WEBSOCKET_JS})
    load(d, server)
    open_widget(d)
    WebDriverWait(d, 30).until(lambda d: d.execute_script("return window.__streams.length") > 0,
                               "the widget never fell back to its events stream")
    reply = chat(d, "What is your return policy?")
    assert reply["text"], reply
    urls = d.execute_script("return window.__streams")
    tokens = d.execute_script("return window.__tokens")
    assert tokens, "no session was seen"
    assert all("ticket=" in u and "token=" not in u for u in urls), urls
    assert not any(t in u for t in tokens for u in urls), (urls, tokens)
    # The stream is live: an agent's message reaches the page through it.
    conv = conversation_id(d)
    server.api("POST", f"/api/agent/conversations/{conv}/claim")
    server.api("POST", f"/api/agent/conversations/{conv}/messages", {"text": "Hello from a human."})
    wait(d, lambda s: any(m["role"] == "agent" and m["text"] == "Hello from a human." for m in s["messages"]),
         timeout=30, message="the agent's message did not arrive over the events stream")


# On top of NO_WEBSOCKET_JS: the page's first stream ticket is used up (as a copy from a proxy's log would be)
# before the widget's EventSource gets it; window.__spent is the status that use got.
SPEND_FIRST_TICKET_JS = r"""
(function () {
  var wrapped = window.fetch;
  window.__spent = 0;
  window.fetch = function (url, options) {
    var p = wrapped.apply(this, arguments);
    if (String(url).indexOf('/api/chat/events/ticket') < 0 || window.__spent) return p;
    window.__spent = -1;
    return p.then(function (r) {
      return r.clone().json().then(function (j) {
        var c = new AbortController();
        var u = String(url).replace('/api/chat/events/ticket', '/api/chat/events?ticket=' + encodeURIComponent(j.ticket));
        return wrapped(u, { signal: c.signal }).then(function (s) { window.__spent = s.status; c.abort(); return r; });
      });
    });
  };
})();
"""


def test_without_websocket_a_refused_ticket_is_replaced(server, make_driver):
    d = make_driver()
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NO_WEBSOCKET_JS + SPEND_FIRST_TICKET_JS})
    load(d, server)
    open_widget(d)
    # The used ticket opens nothing; the widget opens a session again and listens with a new ticket.
    WebDriverWait(d, 40).until(lambda d: d.execute_script("return window.__streams.length") >= 2,
                               "the widget did not replace a refused ticket: "
                               + str(d.execute_script("return [window.__spent, window.__streams]")))
    assert d.execute_script("return window.__spent") == 200
    urls = d.execute_script("return window.__streams")
    tickets = [u.split("ticket=")[1].split("&")[0] for u in urls]
    assert len(set(tickets)) == len(tickets), urls
    conv = conversation_id(d)
    server.api("POST", f"/api/agent/conversations/{conv}/claim")
    server.api("POST", f"/api/agent/conversations/{conv}/messages", {"text": "Still here."})
    wait(d, lambda s: any(m["role"] == "agent" and m["text"] == "Still here." for m in s["messages"]),
         timeout=30, message="the agent's message did not arrive over the new stream")


# On top of NO_WEBSOCKET_JS: the page's first message reaches the server, which stores and answers it, but the page
# is told 502 Bad Gateway (as from a proxy that gave up on the server); window.__gateway counts those answers.
GATEWAY_FAILS_ONCE_JS = r"""
(function () {
  var wrapped = window.fetch;
  window.__gateway = 0;
  window.fetch = function (url, options) {
    var p = wrapped.apply(this, arguments);
    if (String(url).indexOf('/api/chat/message') < 0 || window.__gateway) return p;
    window.__gateway = 1;
    return p.then(function (r) { return r.text(); }).then(function () {
      return new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } });
    });
  };
})();
"""


def test_a_message_answered_with_a_gateway_error_is_sent_again_and_answered_once(server, make_driver):
    d = make_driver()
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NO_WEBSOCKET_JS + GATEWAY_FAILS_ONCE_JS})
    load(d, server)
    open_widget(d)
    WebDriverWait(d, 30).until(lambda d: d.execute_script("return window.__streams.length") > 0,
                               "the widget never fell back to its events stream")
    question = "What is your return policy?"
    reply = chat(d, question, timeout=40)
    assert d.execute_script("return window.__gateway") == 1
    assert reply["text"], reply
    s = state(d)
    assert not any(m["failed"] for m in s["messages"]), s["messages"]
    assert [m["text"] for m in s["messages"] if m["role"] == "customer"] == [question]
    msgs = wait_stored(server, conversation_id(d), lambda ms: any(m["role"] == "assistant" for m in ms))
    assert [m["text"] for m in msgs if m["role"] == "customer"] == [question], msgs
    assert len([m for m in msgs if m["role"] == "assistant"]) == 1, msgs


def test_pending_messages_follow_a_closed_conversation(make_server, make_driver):
    srv = make_server()
    d = make_driver()
    load(d, srv)
    open_widget(d)
    chat(d, "How do I reset my password?")
    old = conversation_id(d)

    # The visitor types two messages while the server is away, and an agent closed the conversation meanwhile (a
    # write to the stopped server's own database).
    srv.stop()
    wait(d, lambda s: s["reconnecting"], timeout=15, message="the widget did not notice the server going away")
    questions = ["Which plans do you offer?", "Do you ship abroad?"]
    for q in questions:
        send(d, q)
    wait(d, lambda s: len([m for m in s["messages"] if m["text"] in questions and m["pending"]]) == 2)
    db = sqlite3.connect(str(srv.data_dir / "parley.sqlite"))
    with db:
        assert db.execute("UPDATE conversations SET state = 'closed' WHERE id = ?", (old,)).rowcount == 1
    db.close()
    srv.start()

    # Both are refused in the old conversation, and both are delivered in the new one: none is marked failed.
    def delivered(s):
        mine = [m for m in s["messages"] if m["text"] in questions]
        if any(m["failed"] for m in mine):
            raise AssertionError(f"a message was marked failed: {mine}")
        return len(mine) == 2 and all(m["id"] and not m["pending"] for m in mine) and s

    wait(d, delivered, timeout=60, message="the pending messages were not delivered")
    new = conversation_id(d)
    assert new != old
    msgs = wait_stored(srv, new, lambda ms: sum(1 for m in ms if m["role"] == "customer") == 2)
    assert sorted(m["text"] for m in msgs if m["role"] == "customer") == sorted(questions)
    assert not [m for m in srv.messages(old) if m["text"] in questions]


# --- f. consent gating


@pytest.fixture
def consent_required(server):
    original = server.api("GET", "/api/widget/settings")
    changed = {k: v for k, v in original.items() if k != "has_identity_secret"}
    changed["consent_required"] = True
    server.api("PUT", "/api/widget/settings", changed)
    yield
    restore = {k: v for k, v in original.items() if k != "has_identity_secret"}
    server.api("PUT", "/api/widget/settings", restore)
    assert server.api("GET", "/api/widget/settings") == original


def test_consent_gates_storage(server, make_driver, consent_required):
    d = make_driver()
    load(d, server)
    assert d.execute_script("return typeof Parley") == "function"
    assert local_keys(d) == {"local": [], "session": [], "cookie": ""}
    open_widget(d)
    chat(d, "How do I reset my password?")
    assert local_keys(d) == {"local": [], "session": [], "cookie": ""}
    assert d.get_cookies() == []  # HttpOnly ones included

    d.execute_script("Parley('consent', true)")
    keys = local_keys(d)
    assert {"parley:visitor", "parley:consent", "parley:conversation"} <= set(keys["local"]), keys
    assert keys["cookie"] == ""
    visitor = d.execute_script("return localStorage.getItem('parley:visitor')")
    assert visitor and len(visitor) > 8


# --- g. layout: full screen on a phone, floating box on a desktop


def test_layout_desktop_and_mobile(server, make_driver, artifacts):
    for mobile, name in ((False, "widget-desktop.png"), (True, "widget-mobile.png")):
        d = make_driver(mobile=mobile)
        load(d, server)
        open_widget(d)
        chat(d, "How long does shipping take?")
        geo = d.execute_script("""
          const root = document.getElementById('parley-widget').shadowRoot;
          const r = root.querySelector('.parley-panel').getBoundingClientRect();
          const l = root.querySelector('.parley-launcher').getBoundingClientRect();
          return {x: r.left, y: r.top, w: r.width, h: r.height, vw: innerWidth, vh: innerHeight,
                  launcher: l.width > 0 && l.height > 0};
        """)
        if mobile:
            assert (geo["vw"], geo["vh"]) == (375, 667), geo
            assert (geo["x"], geo["y"], geo["w"], geo["h"]) == (0, 0, 375, 667), geo
            assert not geo["launcher"], "the launcher shows over the full-screen panel"
        else:
            assert geo["vw"] >= 1200 and geo["vh"] >= 700, geo
            assert geo["w"] == 370 and geo["h"] <= 600, geo
            assert geo["x"] > geo["vw"] / 2 and geo["y"] > 0, geo
            assert 0 < geo["vw"] - (geo["x"] + geo["w"]) <= 40, geo
            assert geo["launcher"]
        d.save_screenshot(str(artifacts / name))
        print(f"{name}: viewport {geo['vw']}x{geo['vh']}, panel {geo['w']:.0f}x{geo['h']:.0f} at "
              f"({geo['x']:.0f}, {geo['y']:.0f})")


def test_greeting_spaced_like_messages(server, make_driver):
    d = make_driver()
    load(d, server)
    open_widget(d)
    chat(d, "How do I reset my password?")
    spacing = d.execute_script("""
      const root = document.getElementById('parley-widget').shadowRoot;
      const m = (el) => { const p = el.querySelector('p'), cs = getComputedStyle(p);
                          return [cs.marginTop, cs.marginBottom, el.getBoundingClientRect().top - p.getBoundingClientRect().top]; };
      return {greeting: m(root.querySelector('.parley-greeting')), reply: m(root.querySelector('.parley-assistant:not(.parley-greeting)'))};
    """)
    assert spacing["greeting"] == spacing["reply"], spacing


# --- h. size budget


def test_size_budget(server):
    status, cfg, _ = http("GET", server.base + "/api/widget/config?key=demo")
    assert status == 200
    urls = {"loader": "/widget/loader.js", "js": cfg["bundle"]["js"], "css": cfg["bundle"]["css"]}
    sizes = {}
    for name, path in urls.items():
        with urllib.request.urlopen(server.base + path, timeout=10) as r:
            assert r.status == 200
            body = r.read()
        sizes[name] = (len(body), len(gzip.compress(body, 9)))
    total = sum(g for _, g in sizes.values())
    for name, (raw, gz) in sizes.items():
        print(f"{name:6} {urls[name]}: {raw} bytes, {gz} gzip")
    print(f"total gzip {total} bytes of {25 * 1024}")
    assert sizes["loader"][1] <= 2 * 1024
    assert total <= 25 * 1024


# --- i. attachments: an image through the file picker, shown as a thumbnail, stored for the agent


PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cf"
    "c0f01f0005000201e2a1b8c80000000049454e44ae426082")


def test_attach_an_image(server, make_driver, tmp_path):
    picture = tmp_path / "receipt.png"
    picture.write_bytes(PNG_1x1)
    d = make_driver()
    load(d, server)
    open_widget(d)
    root = shadow(d)
    assert root.find_element(By.CSS_SELECTOR, ".parley-attach").is_displayed(), "the demo site accepts files"
    picker = root.find_element(By.CSS_SELECTOR, "input[type=file]")
    d.execute_script("arguments[0].hidden = false", picker)  # a visitor clicks the button; a driver types the path
    picker.send_keys(str(picture))
    thumb = WebDriverWait(d, 20).until(
        lambda drv: drv.execute_script("""
          const img = document.getElementById('parley-widget').shadowRoot.querySelector('.parley-file img');
          return img && img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:') ? img.alt : null;
        """), "no thumbnail")
    assert thumb == "receipt.png"
    conv = conversation_id(d)
    msgs = wait_stored(server, conv, lambda ms: any((m.get("metadata") or {}).get("attachment") for m in ms))
    attachment = next(m["metadata"]["attachment"] for m in msgs if (m.get("metadata") or {}).get("attachment"))
    assert attachment["content_type"] == "image/png" and attachment["size"] == len(PNG_1x1)
    status, body, headers = http("GET", server.base + "/api/attachments/" + attachment["id"], token=server.token)
    assert status == 200 and body == PNG_1x1 and headers["Content-Type"] == "image/png"


def test_a_pdf_is_downloaded_not_opened_in_the_page(server, make_driver, tmp_path):
    # Opened as an object URL, a PDF would run in the host page's origin without the server's sandboxing headers.
    document = tmp_path / "invoice.pdf"
    document.write_bytes(b"%PDF-1.4\n<html><script>window.__pdf = 1</script></html>\n%%EOF\n")
    d = make_driver()
    load(d, server)
    open_widget(d)
    d.execute_script("""
      window.__opened = [];
      window.__downloads = [];
      window.__blobs = {};
      window.open = function (u) { window.__opened.push(String(u)); return null; };
      const make = URL.createObjectURL;
      URL.createObjectURL = function (b) { const u = make.call(URL, b); window.__blobs[u] = b.type; return u; };
      const click = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function () {
        if (this.download) {
          window.__downloads.push({name: this.download, type: window.__blobs[this.href] || null});
          return;
        }
        return click.call(this);
      };
    """)
    picker = shadow(d).find_element(By.CSS_SELECTOR, "input[type=file]")
    d.execute_script("arguments[0].hidden = false", picker)
    picker.send_keys(str(document))
    link = WebDriverWait(d, 20).until(
        lambda drv: shadow(drv).find_elements(By.CSS_SELECTOR, ".parley-file-link"), "no link to the file")[0]
    assert link.text == "invoice.pdf"
    link.click()
    downloads = WebDriverWait(d, 20).until(lambda drv: drv.execute_script("return window.__downloads"),
                                           "the file was not downloaded")
    assert downloads == [{"name": "invoice.pdf", "type": "application/octet-stream"}], downloads
    assert d.execute_script("return window.__opened") == []
    assert d.execute_script("return typeof window.__pdf") == "undefined"


# --- j. the widget adds no global besides Parley


def test_no_global_but_parley(server, make_driver):
    d = make_driver()
    d.get(server.base + "/widget/loader.js")  # a page of the same origin without the widget: shown as text
    blank = set(d.execute_script("return Object.getOwnPropertyNames(window)"))
    load(d, server)
    open_widget(d)
    chat(d, "What is your return policy?")
    added = set(d.execute_script("return Object.getOwnPropertyNames(window)")) - blank
    # __ready is the test's own marker; the other two are chromedriver's helpers for element lookups.
    assert added - {"__ready", "ret_nodes", "se_exportedFunctionSymbol"} == {"Parley"}, added
