"""The web service through an ASGI client: answers pass through unchanged, follow-ups keep their
conversation, every error has the one JSON shape and the right status, CORS is off unless configured,
completions come from the store, conversations are bounded, and the static widget is self-contained.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import warnings
from pathlib import Path
from typing import Any, Iterator

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*")

from starlette.testclient import TestClient  # noqa: E402

from askbudget import settings  # noqa: E402
from askbudget.web import STATIC, Conversations, Engine, clean_text, create_app  # noqa: E402

ALLOWED = "https://helpdesk.example.gov.cn"
FOREIGN = "https://evil.example"


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def store(both_store: Path) -> Path:
    return both_store


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[TestClient]:
    before = _sha(store)
    with TestClient(create_app(store)) as c:
        yield c
    assert _sha(store) == before, "the web service wrote to the store"


@pytest.fixture(scope="module")
def cors_client(store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store, cors_origins=[ALLOWED])) as c:
        yield c


def _store_rows(store: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def _direct(store: Path, *questions: str) -> list[dict[str, Any]]:
    """What the Assistant itself says to these turns of one conversation."""
    from askbudget.assistant import Assistant

    a = Assistant(str(store))
    return [a.ask(q).to_dict() for q in questions]


def _strip(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k not in ("ok", "conversation")}


# ------------------------------------------------------------------------ answers pass through

QUESTIONS = ["电费多少", "公用经费都包括哪些", "三公经费多少", "月球基地建设费多少", "<img src=x onerror=alert(1)>"]


@pytest.mark.parametrize("q", QUESTIONS)
def test_post_answer_is_the_assistants_answer(client: TestClient, store: Path, q: str) -> None:
    r = client.post("/api/ask", json={"question": q})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    data = r.json()
    assert data["ok"] is True and isinstance(data["conversation"], str) and data["conversation"]
    assert _strip(data) == _direct(store, q)[0]


@pytest.mark.parametrize("q", QUESTIONS[:2])
def test_get_answer_equals_post_answer(client: TestClient, q: str) -> None:
    got = client.get("/api/ask", params={"q": q}).json()
    posted = client.post("/api/ask", json={"question": q}).json()
    assert _strip(got) == _strip(posted)


@pytest.fixture(scope="module")
def one_unit(gongan_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(gongan_store)) as c:
        yield c


TURNS = ["电费多少", "水费呢", "两者合计呢", "公用经费都包括哪些", "其中最大的一项是什么"]


def test_follow_ups_continue_the_conversation(one_unit: TestClient, gongan_store: Path) -> None:
    expected = _direct(gongan_store, *TURNS)
    assert any(a["status"] == "answered" for a in expected)
    conv = None
    for q, want in zip(TURNS, expected):
        body: dict[str, Any] = {"question": q}
        if conv:
            body["conversation"] = conv
        data = one_unit.post("/api/ask", json=body).json()
        assert _strip(data) == want, q
        conv = data["conversation"]  # the conversation as it stands: sent back with the next turn


def test_interleaved_conversations_do_not_mix(one_unit: TestClient, gongan_store: Path) -> None:
    """Two visitors' turns interleaved on a shared engine give each the answers of a lone conversation."""
    other = ["三公经费多少", "公务接待费呢", "去年呢"]
    want_a, want_b = _direct(gongan_store, *TURNS[:3]), _direct(gongan_store, *other)
    conv_a = conv_b = None
    for qa, qb, wa, wb in zip(TURNS[:3], other, want_a, want_b):
        ra = one_unit.post("/api/ask", json={"question": qa, **({"conversation": conv_a} if conv_a else {})}).json()
        rb = one_unit.post("/api/ask", json={"question": qb, **({"conversation": conv_b} if conv_b else {})}).json()
        assert _strip(ra) == wa and _strip(rb) == wb
        conv_a, conv_b = ra["conversation"], rb["conversation"]


def test_the_engine_shares_assistants_across_conversations(gongan_store: Path) -> None:
    from askbudget.assistant import Assistant

    built: list[Any] = []

    def factory() -> Any:
        built.append(Assistant(str(gongan_store)))
        return built[-1]

    engine = Engine(factory)
    convs = Conversations(max_size=1000, ttl=100)
    for i in range(50):
        engine.turn(convs.get(None), "电费多少")
    if engine.pooled:
        assert len(built) == 1  # sequential turns reuse one Assistant, whatever the number of conversations
    else:
        assert len(built) == 51


def test_follow_up_by_get_keeps_the_conversation(client: TestClient) -> None:
    first = client.get("/api/ask", params={"q": "分局电费多少"}).json()
    second = client.get("/api/ask", params={"q": "水费呢", "conversation": first["conversation"]}).json()
    alone = client.get("/api/ask", params={"q": "水费呢"}).json()
    assert (second["status"], second["value"]) == ("answered", 24.0) and alone["value"] is None


def test_unknown_conversation_starts_a_new_one(client: TestClient) -> None:
    data = client.post("/api/ask", json={"question": "电费多少", "conversation": "made-up"}).json()
    assert data["ok"] is True and data["conversation"] != "made-up"


# ------------------------------------------------------------------------------------ errors

BIG = int(settings.MAX_BODY_BYTES) + 1
LONG = "电" * (int(settings.MAX_QUESTION_CHARS) + 1)

ERRORS: dict[str, tuple[str, str, dict[str, Any], int]] = {
    # id: (method, path, request kwargs, status)
    "malformed JSON": ("POST", "/api/ask", {"content": b"{bad", "headers": {"content-type": "application/json"}}, 400),
    "JSON array": ("POST", "/api/ask", {"json": ["电费多少"]}, 400),
    "missing question": ("POST", "/api/ask", {"json": {"q": "电费多少"}}, 400),
    "question not a string": ("POST", "/api/ask", {"json": {"question": 30206}}, 400),
    "empty question": ("POST", "/api/ask", {"json": {"question": "  \u3000 "}}, 400),
    "question too long (400, documented)": ("POST", "/api/ask", {"json": {"question": LONG}}, 400),
    "conversation not a string": ("POST", "/api/ask", {"json": {"question": "电费", "conversation": 3}}, 400),
    "deeply nested JSON": ("POST", "/api/ask", {"content": b"[" * 5000 + b"]" * 5000,
                                                "headers": {"content-type": "application/json"}}, 400),
    "body too large": ("POST", "/api/ask", {"content": b"{" + b" " * BIG + b"}",
                                            "headers": {"content-type": "application/json"}}, 413),
    "form body": ("POST", "/api/ask", {"data": {"question": "电费多少"}}, 415),
    "no content type": ("POST", "/api/ask", {"content": b'{"question": "x"}'}, 415),
    "GET without q": ("GET", "/api/ask", {}, 400),
    "GET q too long": ("GET", "/api/ask", {"params": {"q": LONG}}, 400),
    "unknown path": ("GET", "/api/nothing", {}, 404),
    "unknown file": ("GET", "/etc/passwd", {}, 404),
    "PUT on ask": ("PUT", "/api/ask", {}, 405),
    "POST on healthz": ("POST", "/healthz", {}, 405),
    "DELETE on page": ("DELETE", "/", {}, 405),
}


@pytest.mark.parametrize("case", list(ERRORS), ids=list(ERRORS))
def test_errors_have_one_shape_and_the_right_status(client: TestClient, case: str) -> None:
    method, path, kwargs, status = ERRORS[case]
    r = client.request(method, path, **kwargs)
    assert r.status_code == status, r.text[:200]
    assert r.headers["content-type"].startswith("application/json")
    data = r.json()
    assert data["ok"] is False and data["status"] == status
    assert isinstance(data["error"], str) and data["error"] and "Traceback" not in data["error"]


def test_streamed_body_over_the_limit_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(BIG // 1000 + 2):
            yield b"a" * 1000
        yield b'"}'

    r = client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["status"] == 413


def test_lone_surrogates_and_controls_are_answered_not_500(client: TestClient) -> None:
    raw = json.dumps({"question": "\ud800电费\x00多少"}).encode("ascii")
    r = client.post("/api/ask", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 200 and r.json()["ok"] is True


@pytest.mark.parametrize(("raw", "clean"), [("电费", "电费"), ("\ud800电", "\ufffd电"), ("a\x00b\x1fc", "a b c"),
                                            ("😀", "😀"), ("tab\tand\nnewline", "tab\tand\nnewline")])
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.logged_errors
def test_engine_crash_is_an_answer_not_a_500(store: Path, logged_errors: list) -> None:
    class Broken:
        def ask(self, text: str) -> Any:
            raise RuntimeError("boom")

        def reset(self) -> None:
            pass

    with TestClient(create_app(store, assistant_factory=lambda db: Broken())) as c:
        r = c.post("/api/ask", json={"question": "电费多少"})
    assert r.status_code == 200 and r.json()["status"] == "out_of_scope" and r.json()["value"] is None
    assert logged_errors and logged_errors[0].exc_info  # the service's log has the traceback


def test_missing_store_is_a_store_error(tmp_path: Path) -> None:
    from askbudget.errors import StoreError

    with pytest.raises(StoreError):
        create_app(tmp_path / "none.db")


# -------------------------------------------------------------------------------------- CORS

def test_cors_is_off_by_default(client: TestClient) -> None:
    r = client.get("/api/ask", params={"q": "电费多少"}, headers={"Origin": ALLOWED})
    assert "access-control-allow-origin" not in r.headers
    r = client.options("/api/ask", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST"})
    assert r.status_code == 403 and r.json()["status"] == 403


def test_allowed_origin_gets_cors_headers_and_preflight(cors_client: TestClient) -> None:
    pre = cors_client.options("/api/ask", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 204
    assert pre.headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in pre.headers["access-control-allow-methods"]
    r = cors_client.post("/api/ask", json={"question": "电费多少"}, headers={"Origin": ALLOWED})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == ALLOWED


@pytest.mark.parametrize("origin", [FOREIGN, "null", "http://testserver.evil.example", ALLOWED + ".evil.example"])
def test_cross_site_post_is_refused(cors_client: TestClient, origin: str) -> None:
    r = cors_client.post("/api/ask", json={"question": "电费多少"}, headers={"Origin": origin})
    assert r.status_code == 403 and r.json() == {"ok": False, "status": 403, "error": r.json()["error"]}


def test_get_without_q_names_the_parameter_it_takes(client: TestClient) -> None:
    r = client.get("/api/ask")
    assert r.status_code == 400 and r.json()["error"].startswith('missing "q"')
    assert client.get("/api/ask", params={"q": " "}).json()["error"] == '"q" is empty'
    assert client.post("/api/ask", json={"q": "电费多少"}).json()["error"] == 'missing "question"'
    assert client.get("/api/ask", params={"question": "电费多少"}).json()["ok"] is True  # the older name still works


def test_a_refused_origin_is_logged_once_with_the_option_that_allows_it(
        store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = "https://other.example"
    with TestClient(create_app(store, cors_origins=[ALLOWED])) as c:
        capsys.readouterr()
        for _ in range(3):
            c.get("/api/ask", params={"q": "电费多少"}, headers={"Origin": FOREIGN})
            c.post("/api/ask", json={"question": "电费多少"}, headers={"Origin": FOREIGN})
            c.options("/api/ask", headers={"Origin": other, "Access-Control-Request-Method": "POST"})
            c.post("/api/ask", json={"question": "电费多少"}, headers={"Origin": ALLOWED})
            c.get("/api/units")  # no Origin (curl, a server): nothing to log
        c.get("/api/units", headers={"Origin": "https://x\x1b[2J.example"})
    lines = [l for l in capsys.readouterr().err.splitlines() if "refused" in l]
    assert len(lines) == 3, lines
    assert f"--cors {ALLOWED},{FOREIGN}" in lines[0] and FOREIGN in lines[0]
    assert f"--cors {ALLOWED},{other}" in lines[1]
    assert "\x1b" not in lines[2]


def test_refused_origins_logged_are_bounded(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with TestClient(create_app(store)) as c:
        capsys.readouterr()
        for i in range(150):
            c.get("/api/units", headers={"Origin": f"https://o{i}.example"})
    assert sum("refused" in l for l in capsys.readouterr().err.splitlines()) == 100


@pytest.mark.parametrize("origins,want", [
    ([], "--cors https://helpdesk.example.gov.cn"),
    ([ALLOWED], f"pages of these origins may use it: {ALLOWED}"),
    (["*"], "--cors '*'"),
])
def test_banner_shows_the_embed_line_and_the_cors_it_needs(origins: list[str], want: str) -> None:
    from askbudget.web import banner

    text = banner("/x/budget.db", "http://127.0.0.1:8000", origins)
    assert text.splitlines()[0] == "askbudget: serving /x/budget.db on http://127.0.0.1:8000/"
    assert '<script src="http://127.0.0.1:8000/widget.js" defer></script>' in text
    assert want in text


def test_same_origin_post_is_served(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "电费多少"}, headers={"Origin": "http://testserver"})
    assert r.status_code == 200


# ------------------------------------------------------------------------------ completions

def test_suggest_completes_every_kind_of_store_name(client: TestClient, store: Path) -> None:
    names = {
        "subject": _store_rows(store, "SELECT label FROM rows WHERE code IS NOT NULL AND label != '' LIMIT 5"),
        "indicator": _store_rows(store, "SELECT level3 FROM indicators WHERE level3 != '' LIMIT 5"),
        "procurement": _store_rows(store, "SELECT c.raw FROM cells c JOIN tables t ON t.id = c.table_id "
                                          "WHERE t.kind = '政府采购预算表' AND c.column = '采购物品名称' "
                                          "AND c.raw != '' LIMIT 5"),
        "project": _store_rows(store, "SELECT project FROM tables WHERE project != '' LIMIT 5"),
    }
    assert names["subject"], "the store has no coded rows"
    for kind, rows in names.items():
        for (name,) in rows:
            got = client.get("/api/suggest", params={"q": name}).json()
            assert got["ok"] is True
            assert name in [s["text"] for s in got["suggestions"]], (kind, name, got)


def test_suggest_completes_a_code_and_the_last_word_of_a_sentence(client: TestClient, store: Path) -> None:
    code, label = _store_rows(store, "SELECT code, label FROM rows WHERE length(code) = 5 AND label != '' LIMIT 1")[0]
    got = client.get("/api/suggest", params={"q": code}).json()["suggestions"]
    assert any(s["text"] == code and s["detail"] == label for s in got)
    head = "2023年"
    got = client.get("/api/suggest", params={"q": head + label[:-1]}).json()["suggestions"]
    assert head + label in [s["completion"] for s in got]


def test_suggest_is_bounded(client: TestClient) -> None:
    got = client.get("/api/suggest", params={"q": "费"}).json()["suggestions"]
    assert len(got) <= int(settings.MAX_SUGGEST_RESULTS)
    assert client.get("/api/suggest", params={"q": ""}).json()["suggestions"] == []


def test_units_lists_the_stores_documents(client: TestClient, store: Path) -> None:
    want = sorted(_store_rows(store, "SELECT unit_code, unit_name, year FROM documents"))
    got = client.get("/api/units").json()["units"]
    assert sorted((u["unit_code"], u["unit_name"], u["year"]) for u in got) == want


# --------------------------------------------------------------------- health, OpenAPI, pages

def test_healthz(client: TestClient, store: Path) -> None:
    data = client.get("/healthz").json()
    assert data["ok"] is True and data["documents"] == len(_store_rows(store, "SELECT id FROM documents"))


def test_openapi_documents_every_api_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/ask", "/api/suggest", "/api/units", "/healthz"):
        assert path in spec["paths"]
    assert set(spec["paths"]["/api/ask"]) == {"get", "post"}
    assert "Error" in spec["components"]["schemas"]


def test_chat_page_has_a_strict_csp_and_the_embed_snippet(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert '&lt;script src="http://testserver/widget.js" defer&gt;&lt;/script&gt;' in r.text
    assert 'src="widget.js"' in r.text


@pytest.mark.parametrize(("path", "ctype"), [("/widget.js", "text/javascript"), ("/widget.css", "text/css"),
                                             ("/page.css", "text/css")])
def test_static_files(client: TestClient, path: str, ctype: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith(ctype)
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("name", sorted(p.name for p in STATIC.iterdir() if p.is_file()))
def test_static_files_fetch_nothing_from_outside(name: str) -> None:
    text = (STATIC / name).read_text(encoding="utf-8")
    urls = re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"')]*", text)
    external = [u for u in urls if "www.w3.org/2000/svg" not in u and not re.search(r"\.example\b", u)]
    assert external == [], urls  # the SVG namespace is a name, not a fetch; *.example only appears in comments


def test_widget_never_inserts_html() -> None:
    js = (STATIC / "widget.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", js, flags=re.S)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code, sink


# ----------------------------------------------------------------------------- conversations

class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_conversations_are_an_lru_bounded_in_size() -> None:
    convs = Conversations(max_size=3, ttl=100, clock=_Clock())
    ids = [convs.get(None).id for _ in range(3)]
    convs.get(ids[0])  # touch the oldest: it becomes the newest
    convs.get(None)  # a fourth evicts the least recently used, ids[1]
    assert len(convs) == 3
    assert convs.get(ids[0]).id == ids[0]
    assert convs.get(ids[1]).id != ids[1]


def test_conversations_expire_when_idle() -> None:
    clock = _Clock()
    convs = Conversations(max_size=100, ttl=10, clock=clock)
    a = convs.get(None)
    clock.now = 5
    assert convs.get(a.id) is a
    clock.now = 16
    b = convs.get(a.id)
    assert b is not a and b.id != a.id and len(convs) == 1


def test_conversation_count_is_bounded_under_a_flood(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASKBUDGET_MAX_CONVERSATIONS", "5")
    with TestClient(create_app(store)) as c:
        for i in range(20):
            assert c.post("/api/ask", json={"question": f"电费{i}"}).status_code == 200
        assert c.get("/healthz").json()["conversations"] == 0  # the state travels with the clients


def test_conversations_held_by_the_server_are_bounded(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An Assistant that cannot hand its conversation over: one per conversation, in a bounded LRU."""
    from askbudget.assistant import Assistant

    class Stateful:  # no .context / .restore
        def __init__(self, db: str) -> None:
            self.a = Assistant(db)

        def ask(self, q: str) -> Any:
            return self.a.ask(q)

    monkeypatch.setenv("ASKBUDGET_MAX_CONVERSATIONS", "5")
    with TestClient(create_app(store, assistant_factory=Stateful)) as c:
        for i in range(20):
            assert c.post("/api/ask", json={"question": f"电费{i}"}).status_code == 200
        assert c.get("/healthz").json()["conversations"] == 5


@pytest.mark.parametrize("which", ["gongan_store", "both_store"])
def test_example_questions_are_answered(which: str, request: pytest.FixtureRequest) -> None:
    """The examples the page and :help offer, built from the store, are questions it answers."""
    from askbudget.assistant import Assistant

    db = request.getfixturevalue(which)
    with TestClient(create_app(db)) as c:
        examples = c.get("/api/examples").json()["examples"]
    assert len(examples) >= 4
    a = Assistant(str(db))
    for q in examples:
        a.reset()
        assert a.ask(q).status == "answered", q


def test_askbudget_serve_runs_the_service(gongan_store: Path, tmp_path: Path) -> None:
    """`askbudget serve` as a user starts it: the page, the widget and an answer over real HTTP."""
    import http.client
    import os
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.Popen([sys.executable, "-m", "askbudget", "serve", "--db", str(gongan_store), "--port", str(port),
                             "--cors", ALLOWED], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/api/ask", json.dumps({"question": "电费多少"}).encode(),
                     {"Content-Type": "application/json", "Origin": ALLOWED})
        r = conn.getresponse()
        assert r.status == 200 and r.getheader("access-control-allow-origin") == ALLOWED
        assert json.loads(r.read())["ok"] is True
        conn.request("GET", "/widget.js")
        assert conn.getresponse().read().startswith(b"/* askbudget chat widget")
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert f'<script src="http://127.0.0.1:{port}/widget.js" defer></script>'.encode() in err
    assert f"pages of these origins may use it: {ALLOWED}".encode() in err
