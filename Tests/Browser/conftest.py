"""Fixtures for the widget's real-browser tests (see README.md in this folder).

- `fake_llm`: an OpenAI-compatible Chat Completions server (stdlib, in a thread) that streams its answer as SSE.
- `server` (per module) and `make_server` (per test): `parley serve` on a free port with a fresh data dir, the demo
  admin's password parsed from its first-start banner, the fake provider configured; stopped at the end by
  killing its process group.
- `make_driver`: headless Chromium with a fresh profile, desktop (1280x900) or mobile (375x667 emulation).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[2]
PARLEY_BIN = Path(os.environ.get("PARLEY_BIN") or REPO / ".build" / "debug" / "parley")
ARTIFACTS = Path(os.environ.get("PARLEY_TEST_ARTIFACTS") or REPO / ".build" / "browser-artifacts")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
ADMIN_EMAIL = "admin@demo.parley.local"


# --- The fake model provider


class FakeLLM:
    """A Chat Completions server. Its answer quotes the first sentence of passage 1 and cites [1]; `payload`, when
    set, is answered instead (with the [1] citation). Every request body is kept in `requests`."""

    def __init__(self, delay=0.04):
        self.delay = delay
        self.payload = None
        self.requests = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    return self._json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
                self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if not self.path.endswith("/chat/completions"):
                    return self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                with fake.lock:
                    fake.requests.append(body)
                answer = fake.answer(body)
                if body.get("stream"):
                    self._stream(answer, body)
                else:
                    self._json(200, {
                        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                        "model": body.get("model", "fake-model"),
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": answer},
                                     "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 50, "completion_tokens": len(answer.split()),
                                  "total_tokens": 50 + len(answer.split())},
                    })

            def _json(self, status, obj):
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, answer, body):
                # As the real API does it: SSE over chunked transfer encoding, one `data:` line per chunk.
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream; charset=utf-8")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                created, model = int(time.time()), body.get("model", "fake-model")

                def write(data):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                    self.wfile.flush()

                def chunk(delta, finish=None, usage=None):
                    obj = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": created,
                           "model": model, "choices": []}
                    if delta is not None:
                        obj["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish}]
                    if usage is not None:
                        obj["usage"] = usage
                    write(b"data: " + json.dumps(obj).encode() + b"\n\n")

                tokens = len(answer.split())
                try:
                    chunk({"role": "assistant", "content": ""})
                    for piece in re.findall(r"\S+\s*", answer):
                        time.sleep(fake.delay)
                        chunk({"content": piece})
                    chunk({}, finish="stop")
                    chunk(None, usage={"prompt_tokens": 50, "completion_tokens": tokens, "total_tokens": 50 + tokens})
                    write(b"data: [DONE]\n\n")
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, body):
        if self.payload is not None:
            return f"{self.payload} [1]"
        passages = "\n".join(m.get("content") or "" for m in body.get("messages", []) if m.get("role") == "system")
        m = re.search(r'<passage number="1"[^>]*>\n(.*?)\n</passage>', passages, re.S)
        if not m:
            return "I do not know that, but I can connect you with a member of the team."
        # An FAQ passage is "Q: question\nA: answer": quote the answer's first sentence.
        text = m.group(1).split("\nA:", 1)[-1]
        text = " ".join(text.split())
        sentences = re.findall(r"[^.?!]+[.?!]", text)
        quote = (sentences[0] if sentences else text[:160]).strip()
        quote = re.sub(r"[*_\[\]`<>]", "", quote)
        return f'Our help pages say: "{quote}" [1]'

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def fake_llm():
    fake = FakeLLM()
    yield fake
    fake.close()


@pytest.fixture
def llm_payload(fake_llm):
    """Sets what the fake model answers for one test; back to quoting passages afterwards."""

    def use(text):
        fake_llm.payload = text

    yield use
    fake_llm.payload = None


# --- The Parley server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, token=None, headers=None, timeout=10):
    """(status, parsed JSON or raw bytes, response headers)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw, hdrs = r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        status, raw, hdrs = e.code, e.read(), e.headers
    try:
        return status, json.loads(raw) if raw else None, hdrs
    except ValueError:
        return status, raw, hdrs


class ParleyServer:
    """One `parley serve` process; `stop()` and `start()` again keep the port and the data dir."""

    def __init__(self, data_dir, port=None, env=None):
        if not PARLEY_BIN.exists():
            pytest.skip(f"no Parley binary at {PARLEY_BIN} (set PARLEY_BIN)")
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.admin_password = None
        self._token = None
        self.starts = 0
        self.env = dict(os.environ, **(env or {}))

    def start(self, timeout=60):
        self.starts += 1
        self.log_path = self.data_dir.parent / f"parley-{self.port}-{self.starts}.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [str(PARLEY_BIN), "serve", "--port", str(self.port), "--data-dir", str(self.data_dir)],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            cwd=str(self.data_dir.parent), env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log_path.read_text(errors="replace")
            m = re.search(r"Demo tenant admin:\s+\S+\s+password:\s+(\S+)", text)
            if m:
                self.admin_password = m.group(1)
            if re.search(r"^Parley \S+ listening on http://", text, re.M):
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"parley exited with {self.proc.returncode}:\n{text[-4000:]}")
            time.sleep(0.05)
        else:
            self.stop()
            raise RuntimeError(f"parley did not start within {timeout} s:\n{self.log_path.read_text()[-4000:]}")
        # Listening is printed before the socket may take connections on every platform: wait for HTTP too.
        while time.monotonic() < deadline:
            try:
                if http("GET", self.base + "/api/widget/config?key=demo", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.05)
        assert self.admin_password, "the first start printed no demo admin password"
        return self

    def stop(self):
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)
        self.proc = None
        self._log.close()

    @property
    def token(self):
        if self._token is None:
            status, body, _ = http("POST", self.base + "/api/auth/login",
                                   {"email": ADMIN_EMAIL, "password": self.admin_password})
            assert status == 200, (status, body)
            self._token = body["access_token"]
        return self._token

    def api(self, method, path, body=None, expect=(200, 201, 204)):
        status, data, _ = http(method, self.base + path, body, token=self.token)
        if expect:
            assert status in expect, f"{method} {path} -> {status} {data}"
        return data

    def use_fake_llm(self, fake):
        self.api("PUT", "/api/assistant", {"providers": [
            {"name": "fake", "kind": "openai_compatible", "base_url": fake.base_url, "model": "fake-model"}]})

    def messages(self, conversation_id):
        """The stored messages of a conversation, from the staff API."""
        conv = self.api("GET", f"/api/conversations/{conversation_id}")
        msgs = conv.get("messages") if isinstance(conv, dict) else None
        if msgs is None and isinstance(conv, dict) and isinstance(conv.get("conversation"), dict):
            msgs = conv["conversation"].get("messages")
        assert msgs is not None, f"no messages in {conv}"
        return msgs


@pytest.fixture
def make_server(tmp_path, fake_llm):
    """make_server(env=None): a fresh server for one test (with the fake provider and any extra environment);
    all are stopped at the end."""
    servers = []

    def make(env=None):
        data = tmp_path / f"data-{len(servers)}"
        srv = ParleyServer(data, env=env)
        servers.append(srv)
        srv.start()
        srv.use_fake_llm(fake_llm)
        return srv

    yield make
    for s in servers:
        s.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, fake_llm):
    srv = ParleyServer(tmp_path_factory.mktemp("parley") / "data")
    try:
        srv.start()
        srv.use_fake_llm(fake_llm)
        yield srv
    finally:
        srv.stop()


# --- Browsers


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def make_driver(tmp_path):
    """make_driver(mobile=False): a headless Chromium with its own fresh profile; quit at the end."""
    drivers = []

    def make(mobile=False):
        opts = webdriver.ChromeOptions()
        binary = os.environ.get("CHROME_BIN") or shutil.which("chromium") or shutil.which("chromium-browser")
        if binary:
            opts.binary_location = binary
        profile = tempfile.mkdtemp(prefix="profile-", dir=tmp_path)
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    f"--user-data-dir={profile}", "--no-first-run", "--disable-extensions",
                    "--force-prefers-reduced-motion"):
            opts.add_argument(arg)
        if mobile:
            opts.add_experimental_option("mobileEmulation", {
                "deviceMetrics": {"width": 375, "height": 667, "pixelRatio": 2.0, "touch": True},
                "userAgent": ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
                              "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"),
            })
        else:
            opts.add_argument("--window-size=1280,900")
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        drivers.append(driver)
        if not mobile:
            driver.set_window_size(1280, 900)
        driver.set_page_load_timeout(30)
        driver.set_script_timeout(30)
        return driver

    yield make
    errors = []
    for d in drivers:
        try:
            # Failed requests (the restart test, favicon.ico) are expected; script errors are not.
            errors += [e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE"
                       and not re.search(r"Failed to load resource|WebSocket connection to .* failed", e["message"])]
        except Exception:
            pass
        try:
            d.quit()
        except Exception:
            pass
    assert not errors, "errors in the browser console:\n" + "\n".join(errors)
