"""Black-box reliability tests of Parley on PostgreSQL: a crash of the server, an outage of the database, two
replicas on one database, and an idle server. See README.md in this folder."""

import json
import os
import socket
import statistics
import threading
import time
import uuid
from http.client import HTTPConnection, HTTPException

from conftest import ORIGIN, http, open_session, send_message, upload_job

# What a request whose outcome we cannot know raises: refused, reset, cut off mid-answer, timed out.
UNKNOWN_OUTCOME = (OSError, HTTPException)

LUA_PINGER = ('function on_message(turn) if string.find(string.lower(turn.text), "ping", 1, true) then '
              'return { reply = "pong from B" } end end')


def ok(status):
    return 200 <= status < 300


def describe(outcome):
    """A short text for a recorded outcome: an exception or (status, body, headers)."""
    if isinstance(outcome, BaseException):
        return f"{type(outcome).__name__}: {outcome}"
    status, body, headers = outcome
    retry = headers.get("Retry-After") if headers is not None else None
    return f"{status} Retry-After={retry} {json.dumps(body)[:300] if not isinstance(body, bytes) else body[:300]}"


def deliver(base, session, cmid, text, deadline, odd):
    """Sends `cmid` until it is acknowledged (2xx) or `deadline` passes; returns the body. Refused connections and
    503s are waited out; any other failure is noted in `odd` and retried too."""
    last = None
    while time.monotonic() < deadline:
        try:
            outcome = send_message(base, session, cmid, text, timeout=20)
        except UNKNOWN_OUTCOME as e:
            last = e
            time.sleep(0.2)
            continue
        status, body, _ = outcome
        if ok(status):
            return body
        last = outcome
        if status != 503:
            odd.append(f"resend of {cmid}: {describe(outcome)}")
        time.sleep(0.3)
    raise AssertionError(f"message {cmid} was not acknowledged by its deadline; last outcome: "
                         f"{describe(last) if last is not None else None}")


def job_document(k):
    """About 240 KB of text: long enough that a job is still being read when the server is killed."""
    para = ("Reliability document {k}, paragraph {i}. Our shipping partner delivers parcels to {c} within {n} "
            "business days, and returns are accepted for thirty days after delivery.\n\n")
    countries = ["Norway", "Chile", "Japan", "Kenya", "Canada"]
    return "".join(para.format(k=k, i=i, c=countries[i % 5], n=i % 7 + 2) for i in range(1500)).encode()


def in_list(values):
    return "(" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


# --- 1. A crash of the server mid-stream


def test_crash_consistency(deployment):
    srv = deployment.server("a").start()
    staff = srv.staff_token()
    messages = deployment.table("messages")
    turns = deployment.table("turns")
    jobs_table = deployment.table("ingestion_jobs")

    visitors = [open_session(srv.base) for _ in range(4)]
    lock = threading.Lock()
    attempted = [dict() for _ in visitors]  # per visitor: client_message_id -> text
    acked = {}  # client_message_id -> (visitor index, response body)
    unknown = {}  # client_message_id -> (visitor index, outcome): no answer, or an answer other than 2xx
    odd = []  # answers that are neither 2xx nor a 503: reported as failures
    stop = threading.Event()
    run_tag = uuid.uuid4().hex[:8]

    def stream(i):
        n = 0
        while not stop.is_set():
            cmid = f"crash-{run_tag}-{i}-{n}"
            text = f"Visitor {i} question {n}: could you tell me about order {uuid.uuid4().hex[:10]}?"
            attempted[i][cmid] = text
            n += 1
            try:
                outcome = send_message(srv.base, visitors[i], cmid, text, timeout=20)
            except UNKNOWN_OUTCOME as e:
                with lock:
                    unknown[cmid] = (i, e)
                continue
            status, body, _ = outcome
            with lock:
                if ok(status):
                    acked[cmid] = (i, body)
                else:
                    unknown[cmid] = (i, outcome)
                    if status != 503:
                        odd.append(f"{cmid} before the crash: {describe(outcome)}")

    # Three jobs before the stream, three just before the kill (so that some are being read when it dies).
    job_ids = []
    for k in range(3):
        status, body, _ = upload_job(srv.base, staff, f"reliability-{k}.txt", job_document(k))
        assert status == 202, f"POST /api/knowledge/jobs -> {status} {body}"
        job_ids.append(body["id"])

    threads = [threading.Thread(target=stream, args=(i,), daemon=True) for i in range(len(visitors))]
    started = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(1.2)  # the stream runs for a while (not an assertion)
    for k in range(3, 6):
        status, body, _ = upload_job(srv.base, staff, f"reliability-{k}.txt", job_document(k))
        assert status == 202, f"POST /api/knowledge/jobs -> {status} {body}"
        job_ids.append(body["id"])
    time.sleep(max(0.0, started + 2.5 - time.monotonic()))
    stop.set()
    srv.kill()  # SIGKILL, mid-stream
    killed_at = time.monotonic() - started
    for t in threads:
        t.join(timeout=30)
        assert not t.is_alive(), "a visitor thread did not finish after the kill"

    acked_before = len(acked)
    unknown_before = dict(unknown)
    jobs_at_kill = deployment.query(f"SELECT status, count(*) FROM {jobs_table} GROUP BY status ORDER BY 1")
    print(f"\n[crash] killed after {killed_at:.2f} s: {acked_before} messages acknowledged, "
          f"{len(unknown_before)} with unknown outcome, jobs at the kill: {jobs_at_kill}")
    assert acked_before > 0, "no message was acknowledged before the kill: the stream did not run"

    restart_began = time.monotonic()
    srv.start()
    print(f"[crash] restarted in {time.monotonic() - restart_began:.2f} s")

    # Every unknown outcome is sent again with the same client_message_id until acknowledged.
    deadline = time.monotonic() + 60
    retried = {}
    for cmid, (i, _) in sorted(unknown_before.items()):
        retried[cmid] = deliver(srv.base, visitors[i], cmid, attempted[i][cmid], deadline, odd)
        acked[cmid] = (i, retried[cmid])
    # A second resend of those, and a resend of some acknowledged before the crash: the first result, nothing new.
    resends = list(retried)
    for i in range(len(visitors)):
        mine = [c for c, (v, _) in acked.items() if v == i and c not in retried]
        resends += mine[:1] + mine[-1:]
    for cmid in resends:
        i, first = acked[cmid]
        again = deliver(srv.base, visitors[i], cmid, attempted[i][cmid], deadline, odd)
        assert again["message_id"] == first["message_id"], (
            f"resending {cmid} answered message_id {again['message_id']}, the first answer was "
            f"{first['message_id']}: the resend was stored as a new message")

    all_attempted = {c: t for per in attempted for c, t in per.items()}
    assert set(acked) == set(all_attempted), "every attempted message has been acknowledged by now"

    # In the database (as the superuser): each message once, with the id and text it was acknowledged with.
    conversations = [v["conversation_id"] for v in visitors]
    rows = deployment.query(
        f"SELECT client_message_id, count(*), min(id), min(text), max(text) FROM {messages} "
        f"WHERE role = 'customer' AND conversation_id IN {in_list(conversations)} GROUP BY client_message_id")
    stored = {r[0]: r for r in rows}
    missing = sorted(set(acked) - set(stored))
    duplicated = sorted(c for c, r in stored.items() if r[1] != "1")
    phantom = sorted(set(stored) - set(all_attempted))
    wrong = sorted(c for c, (_, body) in acked.items() if c in stored and (
        stored[c][2] != body["message_id"] or stored[c][3] != all_attempted[c] or stored[c][4] != all_attempted[c]))
    assert not missing, f"{len(missing)} acknowledged messages are not stored: {missing[:20]}"
    assert not duplicated, f"messages stored more than once: {[stored[c][:2] for c in duplicated[:20]]}"
    assert not phantom, f"customer messages nobody sent: {phantom[:20]}"
    assert not wrong, f"stored under another id or with another text than acknowledged: {wrong[:20]}"

    # Replies acknowledged before the crash survived it, and every customer message has its turn.
    reply_ids = [body["reply"]["message_id"] for _, body in acked.values() if body.get("reply")]
    if reply_ids:
        found = {r[0] for r in deployment.query(f"SELECT id FROM {messages} WHERE id IN {in_list(reply_ids)}")}
        lost = sorted(set(reply_ids) - found)
        assert not lost, f"{len(lost)} acknowledged replies are not stored: {lost[:20]}"
    no_turn = deployment.query(
        f"SELECT m.client_message_id FROM {messages} m LEFT JOIN {turns} t ON t.message_id = m.id "
        f"WHERE m.role = 'customer' AND m.conversation_id IN {in_list(conversations)} AND t.message_id IS NULL")
    assert not no_turn, f"customer messages without a turn after the resends: {no_turn[:20]}"

    # The staff API of the restarted server shows the same.
    for i, v in enumerate(visitors):
        detail = srv.conversation(staff, v["conversation_id"])
        ids = [m.get("client_message_id") for m in detail["messages"] if m["role"] == "customer"]
        assert sorted(ids) == sorted(attempted[i]), (
            f"visitor {i}: the staff API shows {len(ids)} customer messages ({len(set(ids))} distinct), "
            f"{len(attempted[i])} were sent; missing {sorted(set(attempted[i]) - set(ids))[:10]}, "
            f"extra {sorted(set(ids) - set(attempted[i]))[:10]}")

    # Every job acknowledged with 202 ends ready: none lost, none stuck behind a dead worker's lease.
    deadline = time.monotonic() + 60
    views = {}
    while time.monotonic() < deadline:
        views = {j: http("GET", f"{srv.base}/api/knowledge/jobs/{j}", token=staff)[1] for j in job_ids}
        bad = {j: v for j, v in views.items() if v.get("status") in ("failed", "dead")}
        assert not bad, f"jobs failed after the crash: {bad}"
        if all(v.get("status") == "ready" for v in views.values()):
            break
        time.sleep(0.25)
    else:
        raise AssertionError(f"jobs not ready 60 s after the restart: "
                             f"{ {j: (v.get('status'), v.get('attempts')) for j, v in views.items()} }")
    rows = deployment.query(f"SELECT id, status, attempts FROM {jobs_table} WHERE id IN {in_list(job_ids)}")
    assert sorted(r[0] for r in rows) == sorted(job_ids) and all(r[1] == "ready" for r in rows), rows
    print(f"[crash] {len(all_attempted)} messages in all, {len(retried)} resent after the restart, "
          f"{len(resends)} duplicate resends answered with the first result; jobs ready with attempts "
          f"{sorted(int(r[2]) for r in rows)}")
    assert not odd, "answers other than 2xx or 503:\n" + "\n".join(odd[:20])


# --- 2. The database goes away and comes back


def test_database_restart(deployment, postgres):
    srv = deployment.server("a").start()
    messages = deployment.table("messages")
    visitor = open_session(srv.base)
    run_tag = uuid.uuid4().hex[:8]
    texts = {}  # client_message_id -> text
    outcomes = []  # (client_message_id, started, ended, outcome) of the background load
    stop = threading.Event()
    problems = []

    def load():
        n = 0
        while not stop.is_set():
            cmid = f"outage-{run_tag}-{n}"
            texts[cmid] = f"Background question {n}: when does my order {uuid.uuid4().hex[:8]} arrive?"
            n += 1
            began = time.monotonic()
            try:
                outcome = send_message(srv.base, visitor, cmid, texts[cmid], timeout=30)
            except UNKNOWN_OUTCOME as e:
                outcome = e
            outcomes.append((cmid, began, time.monotonic(), outcome))
            stop.wait(0.2)

    loader = threading.Thread(target=load, daemon=True)
    loader.start()
    deadline = time.monotonic() + 20
    while sum(1 for o in outcomes if not isinstance(o[3], BaseException) and ok(o[3][0])) < 3:
        assert time.monotonic() < deadline, f"the light load does not get through: {outcomes[-3:]}"
        time.sleep(0.05)

    def timed(fn):
        began = time.monotonic()
        try:
            result = fn()
        except UNKNOWN_OUTCOME as e:
            result = e
        return result, time.monotonic() - began

    def check_unavailable(what, result, took, budget):
        """A 503 with Retry-After (and the error shape, for the API) within `budget` seconds."""
        if isinstance(result, BaseException):
            problems.append(f"{what} while PostgreSQL was down: no answer within {budget} s "
                            f"({type(result).__name__}: {result}); expected 503 with Retry-After")
            return
        status, body, headers = result
        if status != 503 or not headers.get("Retry-After"):
            problems.append(f"{what} while PostgreSQL was down: {describe(result)} after {took:.2f} s; "
                            f"expected 503 with Retry-After")
        elif what.startswith("POST") and not (isinstance(body, dict) and isinstance(body.get("error"), dict)
                                              and body["error"].get("code") and body["error"].get("message")):
            problems.append(f"{what}: 503 without the error shape {{'error': {{'code', 'message'}}}}: {body}")

    probe_cmid = f"outage-{run_tag}-probe"
    texts[probe_cmid] = "Probe question sent while the database is down."
    probe = {}
    try:
        postgres.pg_stop("fast")
        down_at = time.monotonic()

        # While it is down: readiness and a visitor message must answer 503 with Retry-After, promptly.
        def ready_probe():
            probe["ready"] = timed(lambda: http("GET", srv.base + "/health/ready", timeout=5))

        def message_probe():
            probe["message"] = timed(lambda: send_message(srv.base, visitor, probe_cmid, texts[probe_cmid],
                                                          timeout=10))

        probes = [threading.Thread(target=ready_probe), threading.Thread(target=message_probe)]
        for t in probes:
            t.start()
        for t in probes:
            t.join(timeout=30)
        time.sleep(max(0.0, down_at + 3 - time.monotonic()))  # down for at least 3 s
        alive_during = srv.alive
        postgres.pg_start()
        up_at = time.monotonic()
    finally:
        if not postgres.is_up():
            postgres.pg_start()

    result, took = probe["ready"]
    print(f"\n[outage] GET /health/ready while down: {describe(result) if not isinstance(result, BaseException) else result!r} "
          f"in {took:.2f} s")
    check_unavailable("GET /health/ready", result, took, 5)
    result, took = probe["message"]
    print(f"[outage] POST /api/chat/message while down: {describe(result) if not isinstance(result, BaseException) else result!r} "
          f"in {took:.2f} s")
    check_unavailable("POST /api/chat/message", result, took, 10)
    assert alive_during, f"parley exited while PostgreSQL was down:\n{srv.log_text()[-3000:]}"

    # Back by itself, without a restart of parley.
    recovered = None
    last = None
    while time.monotonic() < up_at + 15:
        try:
            last = http("GET", srv.base + "/health/ready", timeout=5)
            if last[0] == 200:
                recovered = time.monotonic() - up_at
                break
        except UNKNOWN_OUTCOME as e:
            last = e
        time.sleep(0.1)
    print(f"[outage] down {up_at - down_at:.2f} s; ready again {recovered if recovered is None else round(recovered, 2)} s "
          f"after PostgreSQL was back")
    assert srv.alive, f"parley exited:\n{srv.log_text()[-3000:]}"
    if recovered is None:
        problems.append(f"GET /health/ready not 200 within 15 s of PostgreSQL's return; last: "
                        f"{describe(last) if last is not None and not isinstance(last, BaseException) else last!r}")
    else:
        cmid = f"outage-{run_tag}-after"
        texts[cmid] = "A question after the database came back."
        status, body, _ = send_message(srv.base, visitor, cmid, texts[cmid], timeout=15)
        if not ok(status):
            problems.append(f"POST /api/chat/message after recovery: {status} {body}")

    stop.set()
    loader.join(timeout=40)
    assert not loader.is_alive(), "the background load did not finish"

    # What the background load saw: 2xx or a proper 503, nothing else; note the slowest answer during the outage.
    kinds = {}
    for cmid, began, ended, outcome in outcomes:
        if isinstance(outcome, BaseException):
            kind = type(outcome).__name__
            problems.append(f"background {cmid} ({began - down_at:+.2f} s from the outage, "
                            f"{ended - began:.2f} s): {kind}: {outcome}")
        elif ok(outcome[0]):
            kind = "2xx"
        else:
            kind = str(outcome[0])
            if outcome[0] != 503 or not outcome[2].get("Retry-After"):
                problems.append(f"background {cmid}: {describe(outcome)}")
        kinds[kind] = kinds.get(kind, 0) + 1
    during = [ended - began for _, began, ended, _ in outcomes if began < up_at and ended > down_at]
    print(f"[outage] background load: {kinds}; slowest answer overlapping the outage: "
          f"{max(during) if during else 0:.2f} s")

    # Whatever was not acknowledged goes again with its client_message_id; then each is stored exactly once.
    acked = {c for c, _, _, o in outcomes if not isinstance(o, BaseException) and ok(o[0])}
    odd = []
    deadline = time.monotonic() + 30
    for cmid in sorted(set(texts) - acked):
        deliver(srv.base, visitor, cmid, texts[cmid], deadline, odd)
    problems += odd
    rows = deployment.query(
        f"SELECT client_message_id, count(*) FROM {messages} WHERE role = 'customer' "
        f"AND conversation_id = '{visitor['conversation_id']}' GROUP BY client_message_id")
    stored = {c: int(n) for c, n in rows}
    missing = sorted(set(texts) - set(stored))
    doubled = sorted(c for c, n in stored.items() if n != 1)
    if missing or doubled or set(stored) - set(texts):
        problems.append(f"stored customer messages: missing {missing[:10]}, more than once {doubled[:10]}, "
                        f"unknown {sorted(set(stored) - set(texts))[:10]}")

    # It still shuts down cleanly on SIGTERM.
    took = srv.stop(grace=15)
    print(f"[outage] SIGTERM after the outage: exited in {took if took is None else round(took, 2)} s")
    if took is None:
        problems.append("parley did not exit within 15 s of SIGTERM after the outage (it was killed)")

    assert not problems, "\n".join(problems)


# --- 3. Two replicas on one database


class EventStream:
    """A server-sent events stream read in a thread; each event is kept with the monotonic time it arrived."""

    def __init__(self, server, path, token=None, headers=None):
        self.events = []
        self.connected = threading.Event()
        self.cond = threading.Condition()
        self.conn = HTTPConnection("127.0.0.1", server.port, timeout=60)
        hdrs = {"Accept": "text/event-stream"}
        if token:
            hdrs["Authorization"] = "Bearer " + token
        hdrs.update(headers or {})
        self.conn.request("GET", path, headers=hdrs)
        self.sock = self.conn.sock
        self.response = self.conn.getresponse()
        assert self.response.status == 200, f"GET {path} -> {self.response.status} {self.response.read()[:300]}"
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        assert self.connected.wait(10), f"GET {path}: no ': connected' comment within 10 s"

    def _read(self):
        name, data = None, []
        try:
            while True:
                line = self.response.readline()
                if not line:
                    return
                line = line.decode().rstrip("\r\n")
                if line.startswith(":"):
                    self.connected.set()
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
                elif line == "" and data:
                    event = (time.monotonic(), name, json.loads("\n".join(data)))
                    with self.cond:
                        self.events.append(event)
                        self.cond.notify_all()
                    name, data = None, []
        except Exception:  # the stream was cut (close() or the server): nothing more to read
            return

    def wait_for(self, predicate, timeout):
        """The first (time, name, data) satisfying `predicate`, waiting up to `timeout` seconds; None if none."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for event in self.events:
                    if predicate(event[1], event[2]):
                        return event
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(timeout=10)
        self.conn.close()


def test_two_replicas(deployment):
    a = deployment.server("a").start()
    b = deployment.server("b").start()
    staff_b = b.staff_token()
    visitor = open_session(a.base)
    conv = visitor["conversation_id"]
    b.conversation(staff_b, conv)  # warm up B's connections
    budget = 0.2
    streams = []
    try:
        agent_stream = EventStream(b, f"/api/agent/conversations/{conv}/events", token=staff_b)
        streams.append(agent_stream)
        visitor_stream = EventStream(
            a, f"/api/chat/events?conversation_id={conv}&token={visitor['visitor_token']}",
            headers={"Origin": ORIGIN})
        streams.append(visitor_stream)

        # A visitor message acknowledged by A is in B's staff view at once, and on B's agent stream.
        read_lags, stream_lags = [], []
        for k in range(5):
            cmid = f"replica-{k}-{uuid.uuid4().hex[:8]}"
            status, body, _ = send_message(a.base, visitor, cmid, f"Replica check {k}: is my parcel on its way?")
            acked_at = time.monotonic()
            assert ok(status), f"POST /api/chat/message on A -> {status} {body}"
            seen_at = None
            while time.monotonic() < acked_at + 5:
                detail = b.conversation(staff_b, conv)
                if any(m.get("client_message_id") == cmid for m in detail["messages"]):
                    seen_at = time.monotonic()
                    break
            assert seen_at is not None, f"message {cmid} acknowledged by A is not in B's GET /api/conversations " \
                                        f"5 s later"
            read_lags.append(seen_at - acked_at)
            event = agent_stream.wait_for(
                lambda n, d: n == "message" and d.get("message", {}).get("client_message_id") == cmid, 5)
            assert event is not None, f"message {cmid} posted on A never reached B's agent events stream"
            stream_lags.append(event[0] - acked_at)
        print(f"\n[replicas] visitor message on A -> in B's GET /api/conversations: "
              f"{', '.join(f'{x * 1000:.1f}' for x in read_lags)} ms after A's acknowledgement")
        print(f"[replicas] visitor message on A -> B's agent events stream: "
              f"{', '.join(f'{x * 1000:.1f}' for x in stream_lags)} ms after A's acknowledgement "
              f"(negative: before it; the message is announced before the bot's turn runs)")
        assert max(read_lags) < budget, f"B saw A's messages after {[round(x, 3) for x in read_lags]} s"
        assert max(stream_lags) < budget, f"B's stream got A's messages after {[round(x, 3) for x in stream_lags]} s"

        # The agent claims the conversation on B and replies there; the visitor listening on A gets each reply.
        status, body, _ = http("POST", f"{b.base}/api/agent/conversations/{conv}/claim", token=staff_b)
        assert status == 200, f"claim on B -> {status} {body}"
        reply_lags = []
        for k in range(3):
            text = f"Hello from the agent on replica B, reply {k} ({uuid.uuid4().hex[:6]})"
            status, body, _ = http("POST", f"{b.base}/api/agent/conversations/{conv}/messages", {"text": text},
                                   token=staff_b)
            answered_at = time.monotonic()
            assert status == 201, f"agent message on B -> {status} {body}"
            event = visitor_stream.wait_for(
                lambda n, d: n == "message" and d.get("message", {}).get("text") == text
                and d["message"].get("role") == "agent", 5)
            assert event is not None, f"the agent's message sent on B never reached the visitor's stream on A"
            reply_lags.append(event[0] - answered_at)
        print(f"[replicas] agent message on B -> visitor's events stream on A: "
              f"{', '.join(f'{x * 1000:.1f}' for x in reply_lags)} ms after B's response")
        assert max(reply_lags) < budget, f"the visitor on A got B's agent messages after " \
                                         f"{[round(x, 3) for x in reply_lags]} s"
    finally:
        for s in streams:
            s.close()

    # A Lua rule saved and activated on B takes effect on A, which had the old rules cached.
    pinger = open_session(a.base)
    status, body, _ = send_message(a.base, pinger, "ping-before", "ping")
    assert ok(status), f"ping on A -> {status} {body}"
    assert (body.get("reply") or {}).get("text") != "pong from B", "the rule answered before it was saved"
    status, body, _ = http("PUT", f"{b.base}/api/rules/pinger", {"source": LUA_PINGER}, token=staff_b)
    assert status == 201, f"PUT /api/rules/pinger on B -> {status} {body}"
    status, body, _ = http("POST", f"{b.base}/api/rules/pinger/activate", token=staff_b)
    assert status == 200, f"POST /api/rules/pinger/activate on B -> {status} {body}"
    activated_at = time.monotonic()
    answers = []
    while time.monotonic() < activated_at + 2:
        status, body, _ = send_message(a.base, pinger, f"ping-after-{len(answers)}", "ping")
        assert ok(status), f"ping on A -> {status} {body}"
        answers.append((body.get("reply") or {}).get("text"))
        if answers[-1] == "pong from B":
            break
    took = time.monotonic() - activated_at
    print(f"[replicas] rule activated on B answered on A after {len(answers)} ping(s), {took * 1000:.0f} ms "
          f"(first answer: {answers[0]!r})")
    assert answers[-1] == "pong from B", f"A still answers 'ping' with the old rules 2 s after B activated the new " \
                                         f"one: {answers[-3:]}"


# --- 4. An idle server stays idle


def process_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_idle_server_stays_quiet(deployment, postgres):
    """With nothing to do, a server should neither burn CPU nor keep the database busy."""
    srv = deployment.server("idle").start()
    time.sleep(2)  # let start-up work settle (not an assertion)

    def transactions():
        return int(postgres.query(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'parley'")[0][0])

    cpu0, tx0, t0 = process_cpu_seconds(srv.proc.pid), transactions(), time.monotonic()
    time.sleep(5)
    cpu1, tx1, t1 = process_cpu_seconds(srv.proc.pid), transactions(), time.monotonic()
    cpu_share = (cpu1 - cpu0) / (t1 - t0)
    tx_rate = (tx1 - tx0) / (t1 - t0)
    print(f"\n[idle] CPU {cpu_share * 100:.1f}% of a core, {tx_rate:.1f} database transactions/s")
    assert cpu_share < 0.10 and tx_rate < 20, (
        f"an idle server uses {cpu_share * 100:.1f}% of a core and runs {tx_rate:.1f} transactions/s on "
        f"PostgreSQL (expected under 10% and under 20/s)")
