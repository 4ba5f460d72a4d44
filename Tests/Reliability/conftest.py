"""Fixtures for the PostgreSQL reliability tests (see README.md in this folder).

- `postgres` (per session): a throwaway PostgreSQL 15 from scripts/postgres.sh, stopped and removed at the end; it
  can also be stopped and started again with pg_ctl (`pg_stop`, `pg_start`) the way the script runs it, and queried
  as the superuser (`query`), who is not held to row-level security.
- `deployment` (per test): a fresh schema in that database (DATABASE_URL `&schema=r_...`), a fixed secret key and
  the test settings; `deployment.server(name)` makes a `parley serve` on it (several make replicas). Servers are
  stopped at the end (SIGTERM, then SIGKILL of the process group) and the schema is dropped.
- HTTP helpers on urllib: `http`, `open_session` (a visitor), `send_message`, `login`, `upload_job`.
"""

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PARLEY_BIN = Path(os.environ.get("PARLEY_BIN") or REPO / ".build" / "debug" / "parley")
PG_SCRIPT = REPO / "scripts" / "postgres.sh"
PG_NAME = os.environ.get("PARLEY_RELIABILITY_PG", "reliability")
ADMIN_EMAIL = "admin@demo.parley.local"
# Fixed, so that staff and visitor tokens stay valid across a restart and are accepted by every replica.
SECRET_KEY = "parley-reliability-tests-fixed-secret-key-0123456789"
ORIGIN = "http://localhost"


# --- HTTP


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, token=None, headers=None, timeout=10, raw_body=None):
    """(status, parsed JSON or raw bytes, response headers). Connection failures raise (OSError and friends)."""
    data = raw_body if raw_body is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(url, data=data, method=method)
    if body is not None and raw_body is None:
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


def open_session(base, timeout=10):
    """A new visitor: {"visitor_token", "visitor_id", "conversation_id", "expires_in"}."""
    status, body, _ = http("POST", base + "/api/widget/session", {"widget_key": "demo"},
                           headers={"Origin": ORIGIN}, timeout=timeout)
    assert status == 200, f"POST /api/widget/session -> {status} {body}"
    return body


def send_message(base, session, client_message_id, text, timeout=15):
    """POST /api/chat/message as the visitor: (status, body, headers)."""
    return http("POST", base + "/api/chat/message",
                {"conversation_id": session["conversation_id"], "client_message_id": client_message_id, "text": text},
                token=session["visitor_token"], timeout=timeout)


def login(base, password, timeout=10):
    status, body, _ = http("POST", base + "/api/auth/login", {"email": ADMIN_EMAIL, "password": password},
                           timeout=timeout)
    assert status == 200, f"POST /api/auth/login -> {status} {body}"
    return body["access_token"]


def upload_job(base, token, filename, content, timeout=15):
    """POST /api/knowledge/jobs (multipart/form-data, field `file`): (status, body, headers)."""
    boundary = "parley-" + uuid.uuid4().hex
    payload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
               f"Content-Type: text/plain\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return http("POST", base + "/api/knowledge/jobs", token=token, raw_body=payload, timeout=timeout,
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})


# --- PostgreSQL


class Postgres:
    """A server of scripts/postgres.sh (/tmp/parley-pg-NAME)."""

    def __init__(self, name):
        self.name = name
        self.base = Path(f"/tmp/parley-pg-{name}")
        self.data = self.base / "data"
        self.url = None

    def _script(self, *args, timeout=120):
        return subprocess.run([str(PG_SCRIPT), *args], capture_output=True, text=True, timeout=timeout)

    def start(self):
        r = self._script("start", self.name)
        if r.returncode != 0:
            raise RuntimeError(f"scripts/postgres.sh start {self.name} failed:\n{r.stderr[-3000:]}")
        self.url = r.stdout.strip().splitlines()[-1]
        self.bin = Path((self.base / "bin").read_text().strip())
        self.port = int((self.base / "port").read_text().strip())
        return self

    def remove(self):
        self._script("stop", self.name)

    def _as_owner(self, args, timeout=60):
        """Runs a PostgreSQL program as the cluster's owner, as scripts/postgres.sh does (as_owner)."""
        if os.geteuid() == 0:
            args = ["runuser", "-u", "postgres", "--", "env", f"HOME={self.base}", *args]
        return subprocess.run(args, cwd=str(self.base), capture_output=True, text=True, timeout=timeout)

    def pg_stop(self, mode="fast"):
        """Stops the postmaster (pg_ctl stop -m MODE), keeping the data: the database is down until pg_start."""
        r = self._as_owner([str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m", mode, "-w", "-t", "30"])
        assert r.returncode == 0, f"pg_ctl stop failed: {r.stdout}{r.stderr}"

    def pg_start(self, timeout=30):
        """Starts it again on the same port and data, and waits until it accepts TCP connections."""
        r = self._as_owner([str(self.bin / "pg_ctl"), "start", "-D", str(self.data), "-l", str(self.base / "log"),
                            "-w", "-t", str(timeout)], timeout=timeout + 10)
        assert r.returncode == 0, f"pg_ctl start failed: {r.stdout}{r.stderr}"
        deadline = time.monotonic() + timeout
        while not self.is_up():
            assert time.monotonic() < deadline, "PostgreSQL did not accept connections after pg_ctl start"
            time.sleep(0.1)

    def is_up(self):
        return subprocess.run([str(self.bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port),
                               "-t", "2"]).returncode == 0

    def query(self, sql, timeout=30):
        """Rows of one statement, run by the superuser over the socket (row-level security does not apply)."""
        r = subprocess.run([str(PG_SCRIPT), "psql", self.name, "-X", "-q", "-At", "-F", "\t",
                            "-v", "ON_ERROR_STOP=1", "-c", sql],
                           cwd=str(self.base), capture_output=True, text=True, timeout=timeout)
        assert r.returncode == 0, f"psql failed for {sql!r}: {r.stderr}"
        return [tuple(line.split("\t")) for line in r.stdout.splitlines() if line != ""]


@pytest.fixture(scope="session")
def postgres():
    if not PARLEY_BIN.exists():
        pytest.skip(f"no Parley binary at {PARLEY_BIN} (set PARLEY_BIN)")
    if not Path("/usr/lib/postgresql/15/bin/postgres").exists():
        pytest.skip("PostgreSQL 15 is not installed: run scripts/postgres.sh install")
    pg = Postgres(PG_NAME).start()
    try:
        yield pg
    finally:
        pg.remove()


# --- Parley


class ParleyServer:
    """One `parley serve` on the deployment's schema; `kill()` or `stop()`, then `start()` again keeps its port and
    data dir."""

    def __init__(self, deployment, name, port=None):
        self.deployment = deployment
        self.name = name
        self.data_dir = deployment.root / f"data-{name}"
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.starts = 0
        self.log_path = None
        self._log = None

    def start(self, timeout=90):
        self.starts += 1
        self.log_path = self.deployment.root / f"parley-{self.name}-{self.starts}.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [str(PARLEY_BIN), "serve", "--port", str(self.port), "--data-dir", str(self.data_dir)],
            env=self.deployment.env, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, cwd=str(self.deployment.root))
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            text = self.log_path.read_text(errors="replace")
            m = re.search(r"Demo tenant admin:\s+\S+\s+password:\s+(\S+)", text)
            if m:
                self.deployment.admin_password = m.group(1)
            if self.proc.poll() is not None:
                raise RuntimeError(f"parley {self.name} exited with {self.proc.returncode}:\n{text[-4000:]}")
            try:
                status, body, _ = http("GET", self.base + "/health/ready", timeout=2)
                last = (status, body)
                if status == 200:
                    assert body.get("database") == "postgresql", f"not on PostgreSQL: {body}"
                    break
            except OSError as e:
                last = e
            time.sleep(0.1)
        else:
            self.kill()
            raise RuntimeError(f"parley {self.name} was not ready within {timeout} s (last: {last}):\n"
                               f"{self.log_text()[-4000:]}")
        assert self.deployment.admin_password, "the first start printed no demo admin password"
        return self

    @property
    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """SIGKILL to the whole process group: no shutdown of any kind."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)
        self.proc = None
        self._log.close()

    def stop(self, grace=15):
        """SIGTERM, then SIGKILL after `grace` seconds. Returns the seconds it took to exit on SIGTERM, or None when
        it had to be killed (or was not running)."""
        if self.proc is None:
            return None
        started = time.monotonic()
        took = None
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=grace)
            took = time.monotonic() - started
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=30)
        self.proc = None
        self._log.close()
        return took

    def log_text(self):
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def staff_token(self):
        return login(self.base, self.deployment.admin_password)

    def conversation(self, token, conversation_id, timeout=10):
        status, body, _ = http("GET", f"{self.base}/api/conversations/{conversation_id}", token=token,
                               timeout=timeout)
        assert status == 200, f"GET /api/conversations/{conversation_id} on {self.name} -> {status} {body}"
        return body


class Deployment:
    """One schema of the session's PostgreSQL and the servers that run on it."""

    def __init__(self, postgres, root):
        self.postgres = postgres
        self.root = Path(root)
        self.schema = "r_" + uuid.uuid4().hex[:16]
        self.database_url = f"{postgres.url}&schema={self.schema}&pool_timeout=3"
        self.env = dict(os.environ)
        self.env.update({
            "DATABASE_URL": self.database_url,
            "PARLEY_RATE_LIMITS": "unlimited",
            "PARLEY_JOB_LEASE_SECONDS": "3",
            "PARLEY_SECRET_KEY": SECRET_KEY,
        })
        for name in ("PARLEY_HOST", "PARLEY_PORT", "PARLEY_DATA_DIR", "PARLEY_ENV", "PARLEY_EMBED_MODEL",
                     "PARLEY_EMBED_URL", "PARLEY_PUBLIC_URL"):
            self.env.pop(name, None)
        self.admin_password = None
        self.servers = []

    def server(self, name, port=None):
        srv = ParleyServer(self, name, port)
        self.servers.append(srv)
        return srv

    def table(self, name):
        """A schema-qualified table name for `postgres.query`."""
        return f"{self.schema}.{name}"

    def query(self, sql):
        return self.postgres.query(sql)


@pytest.fixture
def deployment(postgres, tmp_path):
    dep = Deployment(postgres, tmp_path)
    try:
        yield dep
    finally:
        for srv in dep.servers:
            srv.stop()
        try:
            if not postgres.is_up():  # a test that failed while the database was down
                postgres.pg_start()
            postgres.query(f"DROP SCHEMA IF EXISTS {dep.schema} CASCADE")
        except Exception:
            pass  # the database may be the thing a failed test left down; it is removed at the end anyway
