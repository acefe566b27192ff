"""Serving a province (issue 11): conversations that travel with the client as signed tokens, so any
worker continues them; `askbudget serve --workers N` as a user runs it; the store swapped in whole.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Iterator

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*")

from starlette.testclient import TestClient  # noqa: E402

from askbudget.web import Tokens, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _ask(c: TestClient, q: str, conv: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"question": q}
    if conv:
        body["conversation"] = conv
    r = c.post("/api/ask", json=body)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def two_workers(both_store: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps sharing nothing but the secret, as two workers (or machines) behind one proxy."""
    monkeypatch.setenv("ASKBUDGET_SECRET", "one help desk")
    with TestClient(create_app(both_store)) as a, TestClient(create_app(both_store)) as b:
        yield a, b


def test_a_conversation_continues_on_whichever_worker_takes_the_turn(two_workers) -> None:
    a, b = two_workers
    first = _ask(a, "分局电费多少")
    second = _ask(b, "水费呢", first["conversation"])
    third = _ask(a, "两者合计呢", second["conversation"])
    assert (first["value"], second["value"], third["value"]) == (95.0, 24.0, 119.0)
    assert _ask(b, "水费呢")["value"] is None  # without the token the follow-up stands alone


def test_a_turn_that_leaves_the_conversation_as_it_was_sends_its_state_back_unchanged(two_workers) -> None:
    """Only the signature is made again: the payload is the one that came in, and still continues anywhere."""
    a, b = two_workers
    first = _ask(a, "分局电费多少")["conversation"]
    missed = _ask(a, "月球基地建设费多少", first)["conversation"]  # a turn not answered: the state says so
    assert missed.split(".")[2] != first.split(".")[2]
    same = _ask(a, "月球基地建设费多少", missed)  # and says so again: nothing changed
    assert same["status"] == "not_found" and same["conversation"].split(".")[2] == missed.split(".")[2]
    assert _ask(b, "水费呢", same["conversation"])["value"] == 24.0
    moved = _ask(a, "水费呢", first)["conversation"]
    assert moved.split(".")[2] != first.split(".")[2] and _ask(b, "两者合计呢", moved)["value"] == 119.0


def test_a_state_handed_back_is_the_conversation_as_it_is(gongan_store: Path) -> None:
    """The state a pooled Assistant gives after a turn — the one it was given where nothing changed — is
    always the conversation it holds, over the conversations of the bank."""
    from askbudget import Assistant
    from askbudget.evaluate import load_bank
    from askbudget.snapshot import dump

    a = Assistant(gongan_store)
    state: Any = None
    conv: Any = object()
    kept = 0
    for q in load_bank(ROOT / "tests" / "data" / "gaoxin-gongan-2023.questions.jsonl"):
        if q.conv is None or q.conv != conv:
            state = None
        conv = q.conv
        # the second marks the conversation missed, the third leaves it as it was
        for question in (q.q, "月球基地建设费多少", "月球基地建设费多少"):
            a.restore(state)
            a.ask(question)
            after = a.context
            assert after["ctx"] == dump(a._ctx), question
            kept += after is state
            state = after
    assert kept > 20


def test_a_snapshot_is_the_same_from_the_memo_as_walked_afresh(gongan_store: Path) -> None:
    """dump keeps the dumps of the frozen values it saw lately: what it gives is what a fresh walk gives,
    over the conversations of the bank; a value holding a list (mutable) is walked again every time."""
    from askbudget import Assistant, snapshot
    from askbudget.evaluate import load_bank
    from askbudget.parse import Intent

    a = Assistant(gongan_store)
    memoised = 0
    for q in load_bank(ROOT / "tests" / "data" / "gaoxin-gongan-2023.questions.jsonl"):
        a.ask(q.q)
        from_memo = snapshot.dump(a._ctx)  # after the turns before: partly from the memo
        memoised += a._ctx.intent is not None and snapshot.dump(a._ctx.intent) is snapshot.dump(a._ctx.intent)
        snapshot._MEMO.clear()
        assert from_memo == snapshot.dump(a._ctx), q.q
    assert memoised > 20  # the memo is used
    odd = Intent("q", "q", "figure", tables=["表一"])  # type: ignore[arg-type]
    first = snapshot.dump(odd)
    odd.tables.append("表二")  # type: ignore[attr-defined]
    assert snapshot.dump(odd) != first and snapshot.load(snapshot.dump(odd)).tables == ["表一", "表二"]


def test_a_narrative_answer_is_the_same_from_the_kept_sentences_and_scores(gongan_store: Path) -> None:
    """A worker keeps each narrative's sentences and their scores against a question's words: every answer
    of the bank (its 为什么 questions among them), its SQL too, is the one an empty memo gives."""
    from askbudget import Assistant, narrative
    from askbudget.evaluate import load_bank

    a = Assistant(gongan_store)
    why = ["电费为什么增加", "人员经费为什么比上年增加", "公务用车运行维护费减少的原因是什么", "软件运维服务为什么没有预留中小微企业份额"]
    answered = 0
    for q in [x.q for x in load_bank(ROOT / "tests" / "data" / "gaoxin-gongan-2023.questions.jsonl")] + why:
        a.restore(None)
        a.ask(q)  # the memos now hold what this question reads
        a.restore(None)
        warm = a.ask(q).to_dict()
        narrative._split_sentences.cache_clear()
        narrative._scored.cache_clear()
        a.restore(None)
        assert a.ask(q).to_dict() == warm, q
        answered += q in why and warm["status"] == "answered" and warm["text"].startswith("据")
    assert answered >= 2  # read from the narrative (the others: the narrative has no reason for them)


def test_a_token_signed_with_another_secret_or_altered_starts_afresh(both_store: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASKBUDGET_SECRET", "desk A")
    with TestClient(create_app(both_store)) as a:
        token = _ask(a, "分局电费多少")["conversation"]
    monkeypatch.setenv("ASKBUDGET_SECRET", "desk B")
    with TestClient(create_app(both_store)) as b:
        assert _ask(b, "水费呢", token)["value"] is None
    monkeypatch.setenv("ASKBUDGET_SECRET", "desk A")
    with TestClient(create_app(both_store)) as a:
        assert _ask(a, "水费呢", token)["value"] == 24.0
        head, t, payload, sig = token.split(".")
        for bad in (f"{head}.{t}.{payload[:-2]}AA.{sig}", f"{head}.{t}.{payload}.{sig[::-1]}", token + "x", "c1...",
                    f"{head}.{int(t) + 10**6}.{payload}.{sig}", "c1.é.é.é"):
            data = _ask(a, "水费呢", bad)
            assert data["value"] is None and data["conversation"] != bad


def test_a_token_expires_after_the_idle_time() -> None:
    now = [1000.0]
    tokens = Tokens(b"k", ttl=60, clock=lambda: now[0])
    t = tokens.mint({"ctx": {"x": 1}})
    now[0] += 59
    assert tokens.read(t) == {"ctx": {"x": 1}}
    now[0] += 2
    assert tokens.read(t) is None


def test_a_state_packed_again_gives_its_own_payload() -> None:
    """A worker compresses a state it packed before once: the payload is the one packing it afresh gives,
    another state never gets it, and another worker reads each."""
    tokens, other = Tokens(b"k", ttl=60), Tokens(b"k", ttl=60)
    states = [{"ctx": [0, 1, f"水费{i % 7}"], "v": 2} for i in range(40)]
    payloads = [tokens.pack(dict(s)) for s in states]
    assert len(set(payloads)) == 7 and payloads == [Tokens(b"k", ttl=60).pack(s) for s in states]
    assert [other.unpack(p) for p in payloads] == states


def test_a_long_list_answer_still_gives_a_token_that_fits_a_request() -> None:
    tokens = Tokens(b"k", ttl=60)
    huge = {"ctx": {"members": [f"项目{i}·{os.urandom(8).hex()}" for i in range(5000)], "what": "list"}}
    t = tokens.mint(huge)
    assert len(t) <= 8192
    assert tokens.read(t) == {"ctx": {"members": [], "what": "list"}}


# ------------------------------------------------------------------------- the real command


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], int]:
    port = _port()
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.Popen([sys.executable, "-m", "askbudget", "serve", "--db", str(db), "--port", str(port),
                             *extra], env=full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status in (200, 503):
                return proc, port
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError((proc.stderr.read() if proc.stderr else b"").decode()[-2000:])
        time.sleep(0.1)


def _post(port: int, q: str, conv: str | None = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = {"question": q, **({"conversation": conv} if conv else {})}
    c.request("POST", "/api/ask", json.dumps(body, ensure_ascii=False).encode(),
              {"Content-Type": "application/json", **(headers or {})})
    r = c.getresponse()
    return r.status, json.loads(r.read())


def _stop(proc: subprocess.Popen[bytes]) -> str:
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err.decode("utf-8", "replace")


@pytest.mark.slow
def test_serve_with_two_workers_answers_follow_ups_from_both(both_store: Path) -> None:
    proc, port = _serve(both_store, "--workers", "2")
    try:
        pids = set()
        for _ in range(3):  # each turn on a new connection: the kernel spreads them over the workers
            status, first = _post(port, "分局电费多少")
            status2, second = _post(port, "水费呢", first["conversation"])
            assert (status, status2, first["value"], second["value"]) == (200, 200, 95.0, 24.0)
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/healthz")
            pids.add(json.loads(c.getresponse().read()).get("pid"))
    finally:
        err = _stop(proc)
    assert "Traceback" not in err, err[-2000:]


def test_workers_must_be_a_positive_number(both_store: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "askbudget", "serve", "--db", str(both_store), "--workers", "0"],
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert r.returncode == 2 and "number of workers" in r.stderr and "Traceback" not in r.stderr


# ------------------------------------------------------------------ the store swapped in while serving

QUESTIONS = ["分局电费多少", "财政局的水费", "三公经费多少", "电费为什么增加", "体检覆盖多少人", "122001的办公费"]


def _answers(port: int) -> list[tuple[str, Any, Any]]:
    out = []
    for q in QUESTIONS:
        status, data = _post(port, q)
        assert status == 200, data
        out.append((data["status"], data["value"], data["text"]))
    return out


def _health(port: int) -> tuple[int, Any]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/healthz")
    r = c.getresponse()
    return r.status, json.loads(r.read())


@pytest.mark.slow
def test_an_ingest_killed_while_serving_changes_no_answer_and_a_finished_one_is_picked_up(
        tmp_path: Path, gongan_doc: Path, czj_doc: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import gen_units

    from askbudget import build_store

    db = tmp_path / "served.db"
    build_store([gongan_doc, czj_doc], db, quiet=True)
    more = gen_units.generate(60, tmp_path / "more")
    proc, port = _serve(db)
    try:
        before = _answers(port)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        kills = 0
        for attempt in range(4):
            ingest = subprocess.Popen([sys.executable, "-m", "askbudget", "ingest", *map(str, more), "--db", str(db)],
                                      env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            tmp = Path(f"{db}.ingest.tmp")
            t0 = time.monotonic()
            while ingest.poll() is None and not tmp.exists() and time.monotonic() - t0 < 60:
                time.sleep(0.002)
            time.sleep(0.05 * attempt)
            if ingest.poll() is None:
                ingest.kill()  # SIGKILL, mid-write
                kills += 1
            ingest.wait()
            assert _answers(port) == before, f"attempt {attempt}: an answer changed after a killed ingest"
            assert _health(port)[0] == 200
        assert kills >= 2, "the ingest always finished before it could be killed"
        assert not Path(f"{db}-journal").exists()
        # a finished ingest: the new units are answered within a few seconds, the old answers stay
        r = subprocess.run([sys.executable, "-m", "askbudget", "ingest", *map(str, more[:3]), "--db", str(db)],
                           env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-800:]
        deadline = time.monotonic() + 30
        while _post(port, "第2分局的电费多少")[1]["status"] != "answered":
            assert time.monotonic() < deadline, "the swapped-in store was never picked up"
            time.sleep(0.2)
        assert _health(port) [1]["documents"] == 5
        # a file that is no store swapped in: healthz fails, the questions are still answered
        junk = tmp_path / "junk"
        junk.write_bytes(b"not a store at all" * 100)
        os.replace(junk, db)
        deadline = time.monotonic() + 30
        while _health(port)[0] != 503:
            assert time.monotonic() < deadline, "healthz never noticed the broken store"
            time.sleep(0.2)
        status, body = _health(port)
        assert body["ok"] is False and "cannot be served" in body["error"]
        assert _post(port, "分局电费多少")[1]["value"] == 95.0
    finally:
        err = _stop(proc)
    assert "Traceback" not in err, err[-2000:]


# ------------------------------------------------------------------------------------ hardening


def test_every_response_says_nosniff_and_where_it_may_be_framed(both_store: Path) -> None:
    with TestClient(create_app(both_store)) as c:
        for method, path, kw in [("GET", "/healthz", {}), ("POST", "/api/ask", {"json": {"question": "电费"}}),
                                 ("GET", "/nowhere", {}), ("POST", "/api/ask", {"content": b"{"}),
                                 ("GET", "/", {}), ("GET", "/widget.js", {}), ("GET", "/api/units", {})]:
            r = c.request(method, path, **kw)
            assert r.headers.get("x-content-type-options") == "nosniff", (path, r.status_code)
            assert r.headers.get("x-frame-options") == "SAMEORIGIN", (path, r.status_code)


def test_only_the_allowed_hosts_are_served(both_store: Path) -> None:
    app = create_app(both_store, allowed_hosts=["helpdesk.example.gov.cn", "*.ask.example.gov.cn"])
    with TestClient(app, base_url="http://helpdesk.example.gov.cn") as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/healthz", headers={"host": "x.ask.example.gov.cn:8443"}).status_code == 200
        for host in ("evil.example", "helpdesk.example.gov.cn.evil.example", ""):
            r = c.get("/", headers={"host": host})
            assert r.status_code == 400 and r.json()["ok"] is False and "not served" in r.json()["error"], host
            assert b"evil" not in r.content.replace(b"'evil", b"") or "text/html" not in r.headers["content-type"]


def test_a_bad_allowed_hosts_pattern_is_a_usage_error(both_store: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "askbudget", "serve", "--db", str(both_store), "--allowed-hosts", "a*b"],
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert r.returncode == 2 and "wildcard" in r.stderr and "Traceback" not in r.stderr


@pytest.fixture(scope="module")
def tight_server(tmp_path_factory: pytest.TempPathFactory, gongan_doc: Path) -> Iterator[tuple[int, list[str]]]:
    """A real `serve` with one-second header and body timeouts; yields (port, its stderr lines so far)."""
    import threading

    from askbudget import build_store

    db = tmp_path_factory.mktemp("tight") / "s.db"
    build_store([gongan_doc], db, quiet=True)
    proc, port = _serve(db, env={"ASKBUDGET_HTTP_HEADER_TIMEOUT_S": "1", "ASKBUDGET_HTTP_BODY_TIMEOUT_S": "1"})
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(x.decode("utf-8", "replace") for x in proc.stderr),  # type: ignore
                     daemon=True).start()
    try:
        yield port, lines
    finally:
        _stop(proc)


def _raw(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return s


def _read_all(s: socket.socket) -> bytes:
    out = b""
    while True:
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not chunk:
            break
        out += chunk
    return out


def test_a_client_trickling_its_headers_is_cut_off(tight_server) -> None:
    port, _ = tight_server
    s = _raw(port)
    t0 = time.monotonic()
    closed = False
    for ch in b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 40:
        try:
            s.sendall(bytes([ch]))
        except OSError:
            closed = True
            break
        time.sleep(0.1)
        if time.monotonic() - t0 > 3:
            break
    if not closed:
        s.settimeout(3)
        closed = _read_all(s) == b""
    assert closed and time.monotonic() - t0 < 4.5
    s.close()


def test_an_idle_connection_is_closed_and_a_new_one_served(tight_server) -> None:
    port, _ = tight_server
    s = _raw(port)
    t0 = time.monotonic()
    s.settimeout(5)
    assert _read_all(s) == b"" and time.monotonic() - t0 < 4
    s.close()
    assert _health(port)[0] == 200


def test_a_kept_alive_connection_asked_on_stays_open_and_is_closed_a_timeout_after_its_last_answer(
        tight_server) -> None:
    """The header timer runs from the end of the last response: four questions 0.6 s apart (2.4 s in all,
    over twice the 1 s timeout) share one connection; idle after the last one, it is closed within ~1 s."""
    port, _ = tight_server
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.connect()
    sock = c.sock
    for _ in range(4):
        c.request("POST", "/api/ask", json.dumps({"question": "电费多少"}).encode(), {"Content-Type": "application/json"})
        r = c.getresponse()
        assert r.status == 200 and json.loads(r.read())["value"] == 95.0
        assert c.sock is sock  # the same connection: a closed one would have failed or been opened anew
        time.sleep(0.6)
    t0 = time.monotonic()
    sock.settimeout(5)
    assert _read_all(sock) == b"" and 0.2 < time.monotonic() - t0 < 2.5
    c.close()


def test_a_body_that_does_not_arrive_gets_408_in_the_error_shape(tight_server) -> None:
    port, _ = tight_server
    s = _raw(port)
    s.sendall(b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              b"Content-Length: 100\r\n\r\n{\"question\": ")
    s.settimeout(5)
    reply = _read_all(s)
    s.close()
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), reply[:200]
    assert json.loads(body)["status"] == 408


def test_an_aborted_post_is_one_log_line(tight_server) -> None:
    port, lines = tight_server
    before = len(lines)
    for _ in range(5):
        s = _raw(port)
        s.sendall(b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 1000\r\n\r\n{\"question\": \"x")
        time.sleep(0.05)
        s.close()
    time.sleep(1.0)
    new = lines[before:]
    assert len(new) == 5 and all("aborted by the client" in x for x in new), new
    assert _health(port)[0] == 200


def test_a_request_uvicorn_cannot_parse_gets_the_error_shape(tight_server) -> None:
    port, _ = tight_server
    s = _raw(port)
    s.sendall(b"GARBAGE \x00\x01 nonsense\r\n\r\n")
    s.settimeout(5)
    reply = _read_all(s)
    s.close()
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), reply[:200]
    data = json.loads(body)
    assert data["ok"] is False and data["status"] == 400


def test_a_turn_seen_before_is_remembered_and_the_same_as_a_fresh_one(both_store: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASKBUDGET_SECRET", "k")
    monkeypatch.setenv("ASKBUDGET_ANSWER_CACHE_SIZE", "3")
    with TestClient(create_app(both_store)) as warm, TestClient(create_app(both_store)) as fresh:
        engine = warm.app.state.api.engine
        turns = [("分局电费多少", None), ("水费呢", 0), ("三公经费多少", None), ("财政局的水费", None)]
        for _ in range(2):
            convs: list[str] = []
            for q, after in turns:
                conv = convs[after] if after is not None else None
                a, b = _ask(warm, q, conv), _ask(fresh, q, conv)
                convs.append(a["conversation"])
                a.pop("conversation"), b.pop("conversation")
                assert a == b, q
        assert len(engine._answers) == 3  # bounded by ANSWER_CACHE_SIZE


def test_the_bench_mix_through_every_cache_answers_as_plain_assistants(both_store: Path) -> None:
    """The load benchmark's mix — questions of the banks, half of them follow-ups sent with the
    client's last token, 16 clients interleaved — through the app, where every cache is on (a turn seen
    before, the reading of a question, the rows of a query, the token's state): each turn is answered
    exactly as one plain Assistant per conversation answers it, with no cache of any kind."""
    import random
    from types import SimpleNamespace

    from askbudget.assistant import Assistant
    from askbudget.parse import parse

    banks = [ROOT / "tests" / "data" / n for n in ("gaoxin-gongan-2023.questions.jsonl",
                                                    "tangshan-gaoxin-czj-2023.questions.jsonl",
                                                    "paraphrase-gaoxin-gongan-2023.questions.jsonl")]
    qs = [json.loads(line)["q"] for b in banks if b.is_file()
          for line in b.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(qs) >= 50

    def plain() -> Assistant:
        a = Assistant(both_store)
        a._answerer.results = None  # no query cache
        a._readings = SimpleNamespace(read=parse)  # each question read afresh
        return a

    clients = 16
    refs = [plain() for _ in range(clients)]
    rnd = [random.Random(100 + i) for i in range(clients)]
    tokens: list[str | None] = [None] * clients
    diffs = []
    with TestClient(create_app(both_store)) as c:
        for i in range(clients * 30):
            k = i % clients
            q = rnd[k].choice(qs)
            follow = tokens[k] is not None and rnd[k].random() < 0.5
            if not follow:
                refs[k].reset()
            got = _ask(c, q, tokens[k] if follow else None)
            tokens[k] = got.pop("conversation")
            got.pop("ok")
            want = refs[k].ask(q).to_dict()
            if got != want:
                diffs.append(f"{q}: {[(x, want[x], got[x]) for x in want if want[x] != got.get(x)]!r:.300}")
    for a in refs:
        a.close()
    assert not diffs, f"{len(diffs)} of {clients * 30} turns differ:\n" + "\n".join(diffs[:5])


def test_a_long_list_answers_state_as_the_assistant_writes_it_keeps_its_conversation() -> None:
    """The snapshot form (``Assistant.context``: the context dumped positionally) loses only the list's members
    when it would not fit a request — never the whole conversation."""
    from askbudget.plan import Context, Fig
    from askbudget.snapshot import dump, load

    tokens = Tokens(b"k", ttl=60)
    members = [Fig(f"项目{i}·{os.urandom(8).hex()}", float(i), "万元", (), "", None, "合计", 1) for i in range(3000)]
    state = {"v": 2, "store": "s", "ctx": dump(Context(what="list", doc=1, members=members)), "scope": None}
    t = tokens.mint(state)
    assert len(t) <= 8192
    back = load(tokens.read(t)["ctx"])
    assert back.what == "list" and back.doc == 1 and back.members == []
