"""Hostile HTTP (issue 5): whatever a client sends, the web service answers in its one documented
error shape ``{"ok": false, "error": "...", "status": N}`` with the right 4xx — never a 500.

Requests are driven through the ASGI app directly with hand-built ASGI messages, so the test controls
every header and body chunk exactly (no client library fixes a bad Content-Length or adds one).
The expected statuses are the ones ``askbudget/web.py`` documents: 400 bad input, 403 cross-site
state-changing request, 404 unknown path, 405 wrong method, 413 body too large, 415 not JSON.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from hostile_util import sha256_file

FOREIGN = "https://evil.example"
ALLOWED = "https://helpdesk.example.gov.cn"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


def call(app: Any, method: str, path: str, *, query: bytes = b"", headers: list[tuple[str, str]] | None = None,
         chunks: list[bytes] | None = None, raw_path: bytes | None = None) -> Reply:
    """One HTTP request through the ASGI app, built by hand."""
    hdrs = [("host", "testserver")] + list(headers or [])
    scope = {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
        "method": method, "scheme": "http", "path": path,
        "raw_path": raw_path if raw_path is not None else path.encode("utf-8", "surrogateescape"),
        "query_string": query, "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in hdrs],
        "client": ("127.0.0.1", 40000), "server": ("testserver", 80), "state": {},
    }
    parts = list(chunks or [b""])
    messages = [{"type": "http.request", "body": c, "more_body": i < len(parts) - 1} for i, c in enumerate(parts)]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        await asyncio.sleep(0.05)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def go() -> None:
        await asyncio.wait_for(app(scope, receive, send), timeout=30)

    try:
        asyncio.run(go())
    except Exception as e:  # Starlette re-raises after sending its 500: the reply is what a client saw
        if not any(m["type"] == "http.response.start" for m in sent):
            raise AssertionError(f"the app raised {e!r} without answering") from e
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers_out = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start.get("headers", [])}
    return Reply(start["status"], headers_out, body)


def post_json(app: Any, payload: Any, *, origin: str | None = None, ctype: str = "application/json",
              raw: bytes | None = None) -> Reply:
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = [("content-type", ctype), ("content-length", str(len(body)))]
    if origin:
        headers.append(("origin", origin))
    return call(app, "POST", "/api/ask", headers=headers, chunks=[body])


def assert_error(reply: Reply, status: int | tuple[int, ...]) -> dict[str, Any]:
    """The one error shape, with the status in the body equal to the HTTP status."""
    wanted = status if isinstance(status, tuple) else (status,)
    assert reply.status in wanted, f"HTTP {reply.status} (wanted {wanted}): {reply.body[:300]!r}"
    assert reply.headers.get("content-type", "").startswith("application/json"), reply.headers
    data = reply.json()
    assert data.get("ok") is False and isinstance(data.get("error"), str) and data["error"], data
    assert data.get("status") == reply.status, data
    assert "Traceback" not in data["error"]
    return data


def assert_not_500(reply: Reply) -> None:
    assert reply.status < 500, f"HTTP {reply.status} for user input: {reply.body[:300]!r}"
    if reply.status >= 400:
        assert_error(reply, reply.status)
    else:
        data = reply.json()
        assert data.get("ok") is True and data.get("status") in ("answered", "not_found", "ambiguous",
                                                                 "out_of_scope"), data


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def web_store(both_store: Path) -> Path:
    return both_store


@pytest.fixture(scope="module")
def app(web_store: Path) -> Iterator[Any]:
    web = pytest.importorskip("askbudget.web")
    sha = sha256_file(web_store)
    yield web.create_app(web_store)
    assert sha256_file(web_store) == sha, "the web service changed the store"


@pytest.fixture(scope="module")
def cors_app(web_store: Path) -> Any:
    web = pytest.importorskip("askbudget.web")
    return web.create_app(web_store, cors_origins=(ALLOWED,))


# ---------------------------------------------------------------- the happy path first (a baseline)


def test_a_plain_question_is_answered_in_json(app: Any) -> None:
    r = post_json(app, {"question": "分局电费多少"})
    assert r.status == 200, r.body[:300]
    data = r.json()
    assert data["ok"] is True and isinstance(data.get("conversation"), str)


# ---------------------------------------------------------------- malformed bodies → 400

MALFORMED = {
    "not JSON": "question=电费多少".encode("utf-8"),
    "truncated JSON": b'{"question": "\xe7\x94\xb5',
    "trailing garbage": b'{"question": "x"} xx',
    "single quotes": b"{'question': 'x'}",
    "empty body": b"",
    "whitespace body": b"   \n",
    "invalid UTF-8": b'{"question": "\xff\xfe\xfd"}',
    "UTF-16 body": '{"question": "电费多少"}'.encode("utf-16"),
    "UTF-8 BOM": b"\xef\xbb\xbf" + '{"question": "电费多少"}'.encode(),
    "GBK body": '{"question": "电费多少"}'.encode("gbk"),
    "NUL bytes": b'{"question"\x00: "x"}',
    "JSON array": '["电费多少"]'.encode("utf-8"),
    "JSON string": '"电费多少"'.encode("utf-8"),
    "JSON number": b"42",
    "JSON null": b"null",
    "JSON true": b"true",
    "question missing": '{"q": "电费多少"}'.encode("utf-8"),
    "question null": b'{"question": null}',
    "question number": b'{"question": 30206}',
    "question huge number": b'{"question": 1e999}',
    "question NaN": b'{"question": NaN}',
    "question list": '{"question": ["电费多少"]}'.encode("utf-8"),
    "question object": b'{"question": {"$ne": ""}}',
    "question bool": b'{"question": true}',
    "question empty": b'{"question": ""}',
    "question blank": b'{"question": " \\t\\n\\u3000 "}',
    "question too long": json.dumps({"question": "电" * 501}).encode(),
    "conversation number": b'{"question": "x", "conversation": 1}',
    "conversation list": b'{"question": "x", "conversation": ["a"]}',
    "conversation too long": json.dumps({"question": "x", "conversation": "a" * 8193}).encode(),
    "int with 5000 digits": b'{"question": ' + b"9" * 5000 + b"}",
    "deeply nested arrays": b"[" * 5000 + b"]" * 5000,
    "deeply nested objects": b'{"a":' * 2500 + b"1" + b"}" * 2500,
    "nested inside question": b'{"question": ' + b"[" * 3000 + b"]" * 3000 + b"}",
}


@pytest.mark.parametrize("body", list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_bodies_get_400(app: Any, body: bytes) -> None:
    assert_error(post_json(app, None, raw=body), 400)


WRONG_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
               "application/xml", "text/json", "application/json-patch+json", "", "application/javascript",
               "*/*", "application/jsonx"]


@pytest.mark.parametrize("ctype", WRONG_TYPES)
def test_wrong_content_types_get_415(app: Any, ctype: str) -> None:
    body = json.dumps({"question": "电费多少"}).encode()
    headers = [("content-length", str(len(body)))] + ([("content-type", ctype)] if ctype else [])
    assert_error(call(app, "POST", "/api/ask", headers=headers, chunks=[body]), 415)


@pytest.mark.parametrize("ctype", ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
                                   "application/json;charset=UTF-8"])
def test_json_content_types_accepted(app: Any, ctype: str) -> None:
    r = post_json(app, {"question": "财政局的电费多少"}, ctype=ctype)
    assert r.status == 200, r.body[:300]


# ---------------------------------------------------------------- huge bodies → 413


def test_huge_body_with_content_length_gets_413(app: Any) -> None:
    body = json.dumps({"question": "电" * 2_000_000}).encode()
    assert_error(post_json(app, None, raw=body), 413)


def test_huge_chunked_body_without_content_length_gets_413(app: Any) -> None:
    chunk = b'{"question": "' + b"a" * 4000
    chunks = [chunk] + [b"a" * 4096] * 2000  # ~8 MB streamed; must be cut off at the limit
    headers = [("content-type", "application/json"), ("transfer-encoding", "chunked")]
    assert_error(call(app, "POST", "/api/ask", headers=headers, chunks=chunks), 413)


def test_declared_length_lies_small_body_huge(app: Any) -> None:
    chunks = [b'{"question": "'] + [b"a" * 4096] * 100 + [b'"}']
    headers = [("content-type", "application/json"), ("content-length", "20")]
    assert_error(call(app, "POST", "/api/ask", headers=headers, chunks=chunks), 413)


@pytest.mark.parametrize("length", ["abc", "1e3", " ", "0x10", "99999999999999999999999999"])
def test_bad_content_length(app: Any, length: str) -> None:
    body = json.dumps({"question": "电费多少"}).encode()
    headers = [("content-type", "application/json"), ("content-length", length)]
    r = call(app, "POST", "/api/ask", headers=headers, chunks=[body])
    assert_error(r, (400, 413))


# ---------------------------------------------------------------- odd but valid questions: never 500

ODD_QUESTIONS = [
    "\ud800电费多少", "电费\udfff", "\x00", "电费\x00多少", "\u202e少多费电", "💰💰💰", "\ufeff电费多少",
    "'; DROP TABLE rows; --", "<script>alert(1)</script>", "电" * 500, "\u3000" * 10 + "电费",
    "%", "_", "\\", "电费多少" + "\u0301" * 400,
]


@pytest.mark.parametrize("q", ODD_QUESTIONS, ids=range(len(ODD_QUESTIONS)))
def test_odd_questions_by_post_never_500(app: Any, q: str) -> None:
    raw = json.dumps({"question": q}).encode("ascii")  # \\u escapes: lone surrogates travel as JSON allows
    r = post_json(app, None, raw=raw)
    assert_not_500(r)
    if r.status == 200:
        assert "<script>" not in r.headers.get("content-type", "")


@pytest.mark.parametrize("q", ODD_QUESTIONS, ids=range(len(ODD_QUESTIONS)))
def test_odd_questions_by_get_never_500(app: Any, q: str) -> None:
    from urllib.parse import quote

    query = ("q=" + quote(q.encode("utf-8", "surrogatepass"))).encode("ascii")
    assert_not_500(call(app, "GET", "/api/ask", query=query))


def test_get_with_huge_q_gets_400(app: Any) -> None:
    assert_error(call(app, "GET", "/api/ask", query=b"q=" + b"%E7%94%B5" * 400_000), 400)


def test_get_without_q_gets_400(app: Any) -> None:
    assert_error(call(app, "GET", "/api/ask"), 400)


@pytest.mark.parametrize("query", [b"q=%ff%fe", b"q=%", b"q=%zz", b"q=a&q=b", b"q&q&q", b"=&=&",
                                   b"q=" + b"%00" * 100, b"conversation=" + b"x" * 10_000 + b"&q=x"])
def test_odd_query_strings_never_500(app: Any, query: bytes) -> None:
    assert_not_500(call(app, "GET", "/api/ask", query=query))


@pytest.mark.parametrize("query", [b"q=" + b"a" * 200_000, b"q=%ff", b"q=\xff", b"q=" + b"%F0%9F%92%B0" * 100, b""])
def test_suggest_never_500(app: Any, query: bytes) -> None:
    r = call(app, "GET", "/api/suggest", query=query)
    assert r.status < 500, r.body[:300]
    if r.status >= 400:
        assert_error(r, r.status)


# ---------------------------------------------------------------- cross-site requests → 403


def test_foreign_origin_post_gets_403(app: Any) -> None:
    assert_error(post_json(app, {"question": "电费多少"}, origin=FOREIGN), 403)


@pytest.mark.parametrize("origin", ["null", "http://testserver.evil.example", "http://evil.example:80",
                                    "file://", "http://127.0.0.1", "http://testserver@evil.example"])
def test_other_foreign_origins_get_403(app: Any, origin: str) -> None:
    assert_error(post_json(app, {"question": "电费多少"}, origin=origin), 403)


def test_foreign_preflight_gets_403(app: Any) -> None:
    r = call(app, "OPTIONS", "/api/ask", headers=[("origin", FOREIGN), ("access-control-request-method", "POST")])
    assert_error(r, 403)


def test_allowed_origin_is_served_with_cors(cors_app: Any) -> None:
    r = post_json(cors_app, {"question": "财政局的电费多少"}, origin=ALLOWED)
    assert r.status == 200 and r.headers.get("access-control-allow-origin") == ALLOWED


def test_foreign_origin_still_refused_when_some_allowed(cors_app: Any) -> None:
    assert_error(post_json(cors_app, {"question": "电费多少"}, origin=FOREIGN), 403)


def test_same_origin_post_is_served(app: Any) -> None:
    r = post_json(app, {"question": "财政局的电费多少"}, origin="http://testserver")
    assert r.status == 200, r.body[:300]


# ---------------------------------------------------------------- paths and methods

TRAVERSALS = [
    "/../../../../etc/passwd", "/static/../../etc/passwd", "/widget.js/../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "//etc/passwd", "/widget.js%00.html",
    "/static/widget.js", "/askbudget/web.py", "/../askbudget/store.py", "/index.html", "/.git/config",
    "/api/ask/../../etc/passwd", "/api/../../pyproject.toml", "/\\..\\..\\etc\\passwd",
    "/static/..%5c..%5cetc%5cpasswd", "/%c0%ae%c0%ae/etc/passwd", "/" + "a" * 10_000,
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_gets_404(app: Any, path: str) -> None:
    from urllib.parse import unquote

    r = call(app, "GET", unquote(path), raw_path=path.encode())
    assert_error(r, 404)
    assert b"root:" not in r.body and b"[core]" not in r.body and b"import" not in r.body


@pytest.mark.parametrize(("method", "path"), [("PUT", "/api/ask"), ("DELETE", "/api/ask"), ("PATCH", "/api/ask"),
                                              ("POST", "/healthz"), ("POST", "/widget.js"), ("DELETE", "/"),
                                              ("POST", "/api/suggest"), ("TRACE", "/api/ask")])
def test_wrong_methods_get_405(app: Any, method: str, path: str) -> None:
    assert_error(call(app, method, path, headers=[("content-type", "application/json")]), 405)


def test_static_files_served_with_nosniff(app: Any) -> None:
    r = call(app, "GET", "/widget.js")
    assert r.status == 200 and r.headers.get("x-content-type-options") == "nosniff"


def test_healthz_reports_conversations(app: Any) -> None:
    data = call(app, "GET", "/healthz").json()
    assert data["ok"] is True and isinstance(data.get("conversations"), int)


def test_conversation_flood_is_bounded(web_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request without a conversation id makes a new conversation: the count must stay bounded."""
    web = pytest.importorskip("askbudget.web")
    monkeypatch.setenv("ASKBUDGET_MAX_CONVERSATIONS", "20")
    small = web.create_app(web_store)
    for i in range(60):
        r = post_json(small, {"question": f"电费{i}"})
        assert r.status == 200, r.body[:300]
    assert call(small, "GET", "/healthz").json()["conversations"] <= 20


def test_unknown_conversation_id_starts_a_new_one(app: Any) -> None:
    r = post_json(app, {"question": "财政局的电费多少", "conversation": "no-such-id\u0000<script>"})
    assert r.status == 200, r.body[:300]
    assert r.json()["conversation"] != "no-such-id\u0000<script>"


@pytest.mark.slow
def test_soak_script_smoke(tmp_path: Path, web_store: Path) -> None:
    """bench/soak_web.py runs end to end on loopback (a short, bounded run) with 0 errors."""
    import subprocess
    import sys

    from hostile_util import ROOT

    out = tmp_path / "soak.json"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "soak_web.py"), "--db", str(web_store),
                        "--clients", "8", "--requests", "400", "--seconds", "20", "--max-conversations", "50",
                        "--json", str(out)], capture_output=True, text=True, timeout=120, cwd=str(ROOT))
    assert r.returncode == 0, (r.stdout + r.stderr)[-2000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["errors"] == 0 and figures["requests"] == 400
    assert figures["conversations_at_end"] is not None and figures["conversations_at_end"] <= 50
