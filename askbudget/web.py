"""The help-desk web service: a JSON API, a chat page at ``/`` and an embeddable ``/widget.js``.

Why it looks the way it does:

* Every error — bad JSON, a missing question, a body too large, an unknown path — comes back in one
  JSON shape ``{"ok": false, "error": "...", "status": N}`` with the matching HTTP status; user input
  never produces a 500 (a bug outside the engine would, in the same shape, without a traceback).
* A question longer than ``settings.MAX_QUESTION_CHARS`` is refused with **400** (not answered), so a
  client learns about the limit instead of receiving an answer about a truncated question.
* The store is opened read-only (by the Assistants and by the completion vocabulary). A pool of
  Assistants serves every conversation (see :class:`Engine`): memory stays flat under load. The conversation travels with the client: ``conversation`` in a reply is a token holding the
  Assistant's small context, compressed and signed (see :class:`Tokens`); the next request sends it
  back and whichever worker — on whichever machine with the same ``ASKBUDGET_SECRET`` — takes it
  continues the conversation. The server keeps no conversation between turns; a forged, damaged or
  expired (``settings.CONVERSATION_TTL_S``) token simply starts a new conversation. (An Assistant that
  cannot hand its conversation over gets one per conversation, kept in an LRU bounded by
  ``settings.MAX_CONVERSATIONS``.)
* A turn is answered on the event loop itself, one at a time per process: it is short CPU work (a
  fraction of a millisecond to a few, the SQL bounded by ``SQL_WORK_LIMIT``) under one interpreter
  lock, so a thread would only add a hand-over each way and a wait for the lock; a process per core
  (``serve --workers``) uses the cores. A turn seen before — the same conversation state, the same
  question — is answered from the worker's answer cache (``ANSWER_CACHE_SIZE``). (An Assistant that
  cannot hand its conversation over runs in the threadpool, one turn at a time per conversation.) An
  engine exception on odd input is logged and answered as ``out_of_scope``: user input never yields
  a 500.
* CORS is off by default. ``cors_origins`` lists origins (or ``*``) whose pages may call the API —
  the origins of the help-desk pages that embed the widget. A state-changing request (POST) carrying an
  ``Origin`` that is neither this server nor an allowed origin is refused with 403, so another site
  cannot drive the service through its visitors' browsers.
"""
from __future__ import annotations

import asyncio
import base64
import dataclasses
import errno
import hashlib
import hmac
import html
import json
import os
import secrets
import sqlite3
import sys
import threading
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import settings
from .completion import Vocabulary, load_vocabulary
from .errors import AskBudgetError, QueryError, StoreError
from .lru import LRU
from .store import open_readonly, store_identity

STATIC = Path(__file__).resolve().parent / "static"
_CONV_ID_MAX = 8192  # a conversation token (the signed state, ~1-2 KiB) fits in a request body and a URL
_ALLOWED_CONTENT_TYPES = ("application/json",)
_STORE_CHECK_S = 1.0  # how often a request looks whether a new store file was swapped in

AssistantFactory = Callable[[str], Any]


# ------------------------------------------------------------------------------------------ errors

class ApiError(Exception):
    """An error with its HTTP status, turned into the one JSON error shape."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status, headers=headers)


_REASONS = {400: "bad request", 403: "forbidden", 404: "not found", 405: "method not allowed",
            408: "request timeout", 413: "request body too large", 415: "unsupported media type",
            500: "internal error", 503: "service unavailable"}


async def _http_exception(request: Request, exc: Exception) -> Response:
    status = int(getattr(exc, "status_code", 500))
    detail = getattr(exc, "detail", "")
    message = detail if isinstance(detail, str) and detail else _REASONS.get(status, "error")
    if status == 404:
        message = f"no such path: {request.url.path}"
    elif status == 405:
        message = f"method {request.method} not allowed on {request.url.path}"
    return error_response(status, message, headers=dict(getattr(exc, "headers", None) or {}))


class Aborted(Exception):
    """The client went away before its request was in: one log line, nothing to answer."""


async def _aborted(request: Request, exc: Exception) -> Response:
    client = request.client.host if request.client else "?"
    print(f"askbudget serve: {request.method} {request.url.path} from {client} aborted by the client", file=sys.stderr)
    return Response(status_code=499)  # nobody reads it: the connection is gone


async def _api_error(request: Request, exc: Exception) -> Response:
    return error_response(getattr(exc, "status", 400), str(getattr(exc, "message", exc)))


async def _askbudget_error(request: Request, exc: Exception) -> Response:
    status = 400 if isinstance(exc, QueryError) else 503 if isinstance(exc, StoreError) else 500
    return error_response(status, str(exc))


async def _unexpected(request: Request, exc: Exception) -> Response:
    print(f"askbudget serve: internal error on {request.url.path}: {exc!r}", file=sys.stderr)
    return error_response(500, "internal error")


# ----------------------------------------------------------------------------------- conversations

@dataclass
class Conversation:
    """One visitor's conversation: its context between turns (or its own Assistant) and a turn lock."""

    id: str
    last_used: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    state: Any = None  # the Assistant's context after the last turn (pooled engine)
    assistant: Any = None  # its own Assistant (per-conversation engine)
    turns: int = 0
    failed: bool = False  # the last turn hit an engine bug (its answer is never remembered)


class Engine:
    """Runs one turn of a conversation on an Assistant.

    Pooled (when the Assistant can hand over its conversation — ``.context`` / ``.restore()``): at most
    ``size`` Assistants (default: one per core — the turns are CPU work under one interpreter lock, more
    would only add memory) serve every conversation; a turn waits for a free one. A conversation keeps
    only its small context between turns (the web service runs its turns one at a time on the event
    loop, so it makes one). Otherwise each conversation gets its own Assistant. An
    engine bug on odd input is logged and answered as out of scope, never a 500.
    """

    def __init__(self, factory: Callable[[], Any], size: int | None = None) -> None:
        self._factory = factory
        self.size = max(1, size or settings.cores())
        self._idle: list[Any] = []
        self._made = 0
        self._free = threading.Condition()
        self._closed = False
        # (conversation payload, question) -> (reply without its token, the next payload): a turn is a pure
        # function of the two for one store, so a repeated one is answered without running it again
        self._answers: LRU[tuple[str, str], tuple[bytes, str]] = LRU(int(settings.ANSWER_CACHE_SIZE))
        first = factory()  # built now: a broken store fails at start-up, and the process caches warm up
        self.pooled = callable(getattr(first, "restore", None)) and hasattr(type(first), "context")
        if self.pooled:
            self._idle.append(first)
            self._made = 1

    def _take(self) -> Any:
        with self._free:
            while not self._idle and self._made >= self.size:
                self._free.wait()
            if self._idle:
                return self._idle.pop()
            self._made += 1
        try:
            return self._factory()
        except BaseException:
            with self._free:
                self._made -= 1
                self._free.notify()
            raise

    def _give(self, assistant: Any) -> None:
        with self._free:
            if not self._closed:
                self._idle.append(assistant)
                self._free.notify()
                return
        _close(assistant)  # the pool's store is no longer served: its last turns close their Assistants

    def remembered(self, payload: str, question: str) -> tuple[bytes, str] | None:
        return self._answers.get((payload, question))

    def remember(self, payload: str, question: str, reply: tuple[bytes, str]) -> None:
        self._answers.put((payload, question), reply)

    def close(self) -> None:
        """Close the idle Assistants, and each busy one when its turn ends (the store is no longer served)."""
        with self._free:
            self._closed = True
            idle, self._idle = self._idle, []
        for a in idle:
            _close(a)

    def _ask(self, conv: Conversation, question: str) -> Any:
        if not self.pooled:
            if conv.assistant is None:
                conv.assistant = self._factory()
            return conv.assistant.ask(question)
        a = self._take()
        try:
            a.restore(conv.state)  # None: a new conversation
            answer = a.ask(question)
            conv.state = a.context
            return answer
        finally:
            a.restore(None)
            self._give(a)

    def turn(self, conv: Conversation, question: str) -> Any:
        with conv.lock:
            conv.turns += 1
            try:
                return self._ask(conv, question)
            except AskBudgetError:
                raise
            except Exception:  # noqa: BLE001 - the visitor gets an answer, the log gets the bug
                conv.failed = True
                import logging

                logging.getLogger("askbudget").exception("the assistant failed on %r", question)
                from .answer import Answer

                return Answer(question, "out_of_scope", "抱歉，这个问题暂时无法回答，请换一种问法。")


def _close(assistant: Any) -> None:
    close = getattr(assistant, "close", None)
    if callable(close):
        close()


class Tokens:
    """Conversation state that travels with the client: the Assistant's context, compressed and signed.

    A token is ``c1.<time>.<payload>.<signature>``: the payload is the state as zlib'd JSON (base64url),
    the time when the token was issued, the signature HMAC-SHA256 over both with the server's secret.
    ``open`` checks a token and gives its payload ("" for none, a forged, damaged or foreign one, or one
    older than ``ttl`` seconds — a follow-up then stands alone); ``unpack`` gives the state; ``pack`` and
    ``seal`` make them. Any worker, on any machine with the same secret (``ASKBUDGET_SECRET``), continues
    a conversation: the server keeps nothing between turns."""

    PREFIX = "c1"
    EMPTY = ""

    def __init__(self, secret: bytes, ttl: float, clock: Callable[[], float] = time.time) -> None:
        self._key = hashlib.sha256(b"askbudget conversation\0" + secret).digest()
        self._ttl = float(ttl)
        self._clock = clock
        # payload -> its state, for the payloads this worker made or read lately: a follow-up that comes back
        # to this worker is not decoded again, and the same dict lets the Assistant skip loading it too
        self._states: LRU[str, Any] = LRU(int(settings.STATE_CACHE_SIZE))
        # a state's JSON -> its payload: conversations keep reaching the same states (about half of those
        # packed under bench/load_web.py's mix were packed before), each is compressed once
        self._payloads: LRU[bytes, str] = LRU(int(settings.STATE_CACHE_SIZE))

    def _sign(self, signed: str) -> str:
        return _b64(hmac.digest(self._key, signed.encode("ascii"), "sha256")[:18])

    def pack(self, state: Any) -> str:
        """The payload of ``state`` — without a list answer's members, or empty, when it would not fit."""
        for candidate in (state, _without_members(state)):
            if candidate is None:
                break
            data = json.dumps(candidate, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            payload = self._payloads.get(data)
            if payload is None:
                payload = _b64(zlib.compress(data, 1))
                self._payloads.put(data, payload)
            if len(payload) <= _CONV_ID_MAX - 64:
                self._states.put(payload, candidate)
                return payload
        return self.EMPTY

    def seal(self, payload: str) -> str:
        signed = f"{self.PREFIX}.{int(self._clock())}.{payload}"
        return f"{signed}.{self._sign(signed)}"

    def open(self, token: str | None) -> str:
        if not token or not token.isascii():
            return self.EMPTY
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != self.PREFIX or not parts[1].isdigit():
            return self.EMPTY
        signed = ".".join(parts[:3])
        if not hmac.compare_digest(self._sign(signed), parts[3]) or self._clock() - int(parts[1]) > self._ttl:
            return self.EMPTY
        return parts[2]

    def unpack(self, payload: str) -> Any:
        """The state of ``payload`` (never to be changed: it is kept for the next turn that brings it)."""
        if not payload:
            return None
        state = self._states.get(payload)
        if state is not None:
            return state
        try:  # signed by this server, so never a decompression bomb
            state = json.loads(zlib.decompress(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))
        except (ValueError, zlib.error, RecursionError):
            return None
        self._states.put(payload, state)
        return state

    def mint(self, state: Any) -> str:
        return self.seal(self.pack(state))

    def read(self, token: str | None) -> Any:
        return self.unpack(self.open(token))


class _Reply(Response):
    """An answer's JSON, not to be cached: its headers made once, not worked out for every reply."""

    _HEADERS = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]

    def __init__(self, body: bytes) -> None:
        self.status_code = 200
        self.body = body
        self.background = None
        self.raw_headers = [*self._HEADERS, (b"content-length", str(len(body)).encode("ascii"))]


def _render(content: Any) -> bytes:
    """JSON as Starlette's JSONResponse writes it."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode("utf-8")


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode("ascii").rstrip("=")


def _without_members(state: Any) -> Any:
    """The state without the long list a list answer keeps (its 其中最大的 follow-up is then lost): the
    context as ``Assistant.context`` writes it (a snapshot, snapshot.py), or a plain dict."""
    if not isinstance(state, dict):
        return None
    ctx = state.get("ctx")
    if isinstance(ctx, dict):
        return {**state, "ctx": {**ctx, "members": []}}
    if isinstance(ctx, list):
        from .plan import Context
        from .snapshot import dump, load

        try:
            restored = load(ctx)
        except QueryError:
            return None
        if isinstance(restored, Context) and restored.members:
            return {**state, "ctx": dump(dataclasses.replace(restored, members=[]))}
    return None


def _secret() -> bytes:
    """The key conversation tokens are signed with: ``ASKBUDGET_SECRET`` (the same on every worker and
    machine that serve one help desk), else a random one for this process."""
    env = os.environ.get("ASKBUDGET_SECRET", "")
    return env.encode("utf-8") if env else secrets.token_bytes(32)


class Conversations:
    """Conversations by id: an LRU bounded in size, each forgotten after ``ttl`` idle seconds."""

    def __init__(self, max_size: int, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._max = max(1, int(max_size))
        self._ttl = float(ttl)
        self._clock = clock
        self._items: OrderedDict[str, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def _expire(self, now: float) -> None:
        while self._items:
            oldest = next(iter(self._items.values()))
            if now - oldest.last_used <= self._ttl:
                break
            self._items.popitem(last=False)

    def get(self, conv_id: str | None) -> Conversation:
        """The conversation ``conv_id`` if it is alive, else a new one with a fresh id."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            conv = self._items.get(conv_id) if conv_id else None
            if conv is not None:
                conv.last_used = now
                self._items.move_to_end(conv.id)
                return conv
            conv = Conversation(secrets.token_urlsafe(12), now)
            self._items[conv.id] = conv
            while len(self._items) > self._max:
                self._items.popitem(last=False)
        return conv


# ------------------------------------------------------------------------------------- middleware

class OriginGuard:
    """CORS for the allowed origins, and 403 for cross-site state-changing requests.

    A pure ASGI middleware (no per-request task overhead). Same-origin requests and requests
    without an ``Origin`` header (curl, server-to-server) pass untouched.
    """

    _MAX_LOGGED = 100  # refused origins named in the log; a flood of made-up ones cannot fill it

    def __init__(self, app: ASGIApp, origins: Iterable[str] = (), log: Callable[[str], None] | None = None) -> None:
        self.app = app
        self.origins = {o.rstrip("/") for o in origins if o}
        self.any = "*" in self.origins
        self._log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self._refused: set[str] = set()

    def _allowed(self, origin: str) -> bool:
        allowed = self.any or origin in self.origins
        if not allowed and origin not in self._refused and len(self._refused) < self._MAX_LOGGED:
            self._refused.add(origin)
            shown = clean_text(origin)[:200]
            allow = ",".join([*sorted(self.origins), shown])
            self._log(f"askbudget serve: refused the page origin {shown}: its pages cannot use the API "
                      f"(the widget says it cannot connect); to allow it, start with --cors {allow}")
        return allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not any(k.lower() == b"origin" for k, _ in scope.get("headers", ())):
            await self.app(scope, receive, send)  # no Origin (curl, a server, a same-origin GET): nothing to check
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        origin = headers.get("origin", "").rstrip("/")
        host = headers.get("host", "")
        same = bool(origin) and origin in {f"{scope.get('scheme', 'http')}://{host}", f"http://{host}",
                                           f"https://{host}"}
        method = scope.get("method", "GET")
        if not origin or same:
            await self.app(scope, receive, send)
            return
        allowed = self._allowed(origin)
        if method == "OPTIONS" and "access-control-request-method" in headers:
            if not allowed:
                await error_response(403, f"origin {origin} is not allowed")(scope, receive, send)
                return
            await Response(status_code=204, headers={
                "Access-Control-Allow-Origin": "*" if self.any else origin,
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": "600",
                "Vary": "Origin",
            })(scope, receive, send)
            return
        if not allowed and method not in ("GET", "HEAD"):
            await error_response(403, f"cross-site request from {origin} refused")(scope, receive, send)
            return
        if not allowed:
            await self.app(scope, receive, send)  # served, but without CORS headers the page cannot read it
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                hs = list(message.get("headers", []))
                hs.append((b"access-control-allow-origin", (b"*" if self.any else origin.encode("latin-1"))))
                hs.append((b"vary", b"Origin"))
                message = {**message, "headers": hs}
            await send(message)

        await self.app(scope, receive, send_with_cors)


class SecurityHeaders:
    """Every response says what it is and where it may be framed: ``X-Content-Type-Options: nosniff``
    and ``X-Frame-Options: SAMEORIGIN`` (as the page's own CSP ``frame-ancestors 'self'``)."""

    HEADERS = ((b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"SAMEORIGIN"))

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.HEADERS if k not in have]
                if extra:
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HostGuard:
    """``--allowed-hosts``: Starlette's TrustedHostMiddleware decides, the refusal comes in the one JSON
    error shape (400). A Host header not served here never reaches the page (which writes its origin
    into the embed snippet)."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = ("*",)) -> None:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        self.app = app
        hosts = [h for h in allowed_hosts if h] or ["*"]
        self.any = "*" in hosts
        self._probe = TrustedHostMiddleware(self._accept, allowed_hosts=hosts, www_redirect=False)

    @staticmethod
    async def _accept(scope: Scope, receive: Receive, send: Send) -> None:
        scope["askbudget.host_ok"] = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.any or scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def discard(message: Message) -> None:
            return None

        await self._probe(scope, receive, discard)
        if scope.pop("askbudget.host_ok", False):
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")[:100]
        await error_response(400, f"host {host!r} is not served here")(scope, receive, send)


# -------------------------------------------------------------------------------------- handlers

_timeout = getattr(asyncio, "timeout", None)  # Python 3.11+


async def _body(request: Request, limit: int) -> bytes:
    """A request's body, read from its messages (not through ``request.stream()``: an async generator
    costs the event loop a hook call and a weak reference per request)."""
    body = b""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        body += message.get("body", b"")
        if len(body) > limit:
            raise ApiError(413, f"request body over {limit} bytes")
        if not message.get("more_body", False):
            return body


async def _read_json(request: Request, limit: int, wait: float) -> dict[str, Any]:
    """The JSON object of a request's body of at most ``limit`` bytes, all in within ``wait`` seconds."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in _ALLOWED_CONTENT_TYPES:
        raise ApiError(415, f"send the question as JSON (Content-Type: application/json), not {ctype or 'nothing'}")
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise ApiError(413, f"request body over {limit} bytes")
        except ValueError:
            raise ApiError(400, "bad Content-Length") from None
    try:
        if _timeout is not None:  # one timer for the whole body, not a task per chunk
            async with _timeout(wait):
                body = await _body(request, limit)
        else:
            body = await asyncio.wait_for(_body(request, limit), wait)
    except asyncio.TimeoutError:
        raise ApiError(408, f"the request body did not arrive within {wait:g} s") from None
    except ClientDisconnect:
        raise Aborted() from None
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: [[[[… nested too deep
        raise ApiError(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, 'the body must be a JSON object: {"question": "..."}')
    return data


def _question(value: Any, name: str = "question", limit: int | None = None) -> str:
    """The question sent as ``name`` (the JSON field "question", or the GET parameter "q"), of at most
    ``limit`` characters (default ``MAX_QUESTION_CHARS``)."""
    if value is None:
        raise ApiError(400, f'missing "{name}"' + (": GET /api/ask?q=电费多少" if name == "q" else ""))
    if not isinstance(value, str):
        raise ApiError(400, f'"{name}" must be a string')
    q = clean_text(value).strip()
    if not q:
        raise ApiError(400, f'"{name}" is empty')
    limit = int(settings.MAX_QUESTION_CHARS) if limit is None else limit
    if len(q) > limit:
        raise ApiError(400, f"question too long ({len(q)} characters; the limit is {limit})")
    return q


_CONTROL = dict.fromkeys([*range(0, 9), *range(11, 32), 127], " ")


def clean_text(text: str) -> str:
    """Lone surrogates (legal in JSON, not in UTF-8) become U+FFFD; control characters become spaces."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text.translate(_CONTROL)


def _conversation_id(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > _CONV_ID_MAX:
        raise ApiError(400, '"conversation" must be the id string a previous answer returned')
    return value


class Api:
    """The request handlers, sharing the store's vocabulary and the conversations."""

    def __init__(self, db_path: str, factory: AssistantFactory) -> None:
        self.db_path = db_path
        self._factory = factory
        self._identity = store_identity(db_path)
        self.vocab: Vocabulary = load_vocabulary(db_path, with_initials=True)
        self.engine = Engine(lambda: factory(db_path))
        self.store_error = ""  # why the file now at db_path cannot be served (healthz then fails)
        self._checked = time.monotonic()
        self._reloading = threading.Lock()
        self.tokens = Tokens(_secret(), settings.CONVERSATION_TTL_S)
        # the limits every question is checked against, read once when the service starts
        self.limits = (int(settings.MAX_BODY_BYTES), float(settings.HTTP_BODY_TIMEOUT_S),
                       int(settings.MAX_QUESTION_CHARS))
        # only an engine whose Assistants cannot hand their conversation over keeps conversations here
        self.conversations = Conversations(settings.MAX_CONVERSATIONS, settings.CONVERSATION_TTL_S)
        self.static: dict[str, tuple[bytes, str]] = {}
        for name, ctype in (("index.html", "text/html; charset=utf-8"),
                            ("widget.js", "text/javascript; charset=utf-8"),
                            ("widget.css", "text/css; charset=utf-8"),
                            ("page.css", "text/css; charset=utf-8")):
            p = STATIC / name
            if p.is_file():
                self.static[name] = (p.read_bytes(), ctype)

    # -- the store file: a re-ingest swaps a new one in; pick it up, whole, without a pause

    def check_store(self, now: float | None = None) -> None:
        """At most once a second: when the file at db_path is another one (swapped in by an ingest), load
        it in the background; requests are served from the one open until it is ready."""
        now = time.monotonic() if now is None else now
        if now - self._checked < _STORE_CHECK_S:
            return
        self._checked = now
        ident = store_identity(self.db_path)
        if ident == self._identity or not self._reloading.acquire(blocking=False):
            return
        threading.Thread(target=self._reload, args=(ident,), name="askbudget-reload", daemon=True).start()

    def _reload(self, ident: Any) -> None:
        try:
            if ident is None:
                raise StoreError(f"no store at {self.db_path}")
            vocab = load_vocabulary(self.db_path, with_initials=True)
            engine = Engine(lambda: self._factory(self.db_path))
        except (AskBudgetError, OSError, sqlite3.Error) as e:
            self.store_error = f"the store file {self.db_path} cannot be served: {e}"
            print(f"askbudget serve: {self.store_error} (still answering from the store opened before)",
                  file=sys.stderr)
        else:
            old, self.vocab, self.engine = self.engine, vocab, engine
            self.store_error = ""
            old.close()
            print(f"askbudget serve: now serving the store swapped in at {self.db_path}", file=sys.stderr)
        finally:
            self._identity = ident
            self._reloading.release()

    def _turn(self, question: str, conv_id: str | None) -> tuple[str, Any]:
        """A turn of a conversation the server keeps (an engine whose Assistants cannot hand it over)."""
        conv = self.conversations.get(conv_id)
        return conv.id, self.engine.turn(conv, question)

    def _pooled_turn(self, engine: Engine, payload: str, question: str) -> tuple[bytes, str]:
        """Run a turn from the conversation in ``payload``: (the reply without its token, the next payload)."""
        state = self.tokens.unpack(payload)
        conv = Conversation("", time.monotonic(), state=state)
        answer = engine.turn(conv, question)
        # a turn that left the conversation as it was (the Assistant hands back the very state it was
        # given) sends the same payload back, newly signed
        after = payload if conv.state is state and state is not None else self.tokens.pack(conv.state)
        reply = (_render({"ok": True, **answer.to_dict()})[:-1], after)
        if not conv.failed:
            engine.remember(payload, question, reply)
        return reply

    async def _answer(self, question: str, conv_id: str | None) -> Response:
        self.check_store()
        engine = self.engine
        if not engine.pooled:
            cid, answer = await run_in_threadpool(self._turn, question, conv_id)
            return JSONResponse({"ok": True, **answer.to_dict(), "conversation": cid},
                                headers={"Cache-Control": "no-store"})
        # the state travels with the client: any worker continues it; a turn seen before is not run again.
        # A new one runs here, on the event loop: short CPU work, which a thread would only hand back and forth
        payload = self.tokens.open(conv_id)
        reply = engine.remembered(payload, question)
        if reply is None:
            reply = self._pooled_turn(engine, payload, question)
        body, after = reply
        return _Reply(body + b',"conversation":"' + self.tokens.seal(after).encode("ascii") + b'"}')

    async def ask_post(self, request: Request) -> Response:
        body_limit, body_wait, question_limit = self.limits
        data = await _read_json(request, body_limit, body_wait)
        return await self._answer(_question(data.get("question"), limit=question_limit),
                                  _conversation_id(data.get("conversation")))

    async def ask_get(self, request: Request) -> Response:
        params = request.query_params
        name = "question" if "q" not in params and "question" in params else "q"
        return await self._answer(_question(params.get(name), name), _conversation_id(params.get("conversation")))

    async def ask(self, request: Request) -> Response:
        if request.method == "POST":
            return await self.ask_post(request)
        return await self.ask_get(request)

    async def suggest(self, request: Request) -> Response:
        q = clean_text(request.query_params.get("q", ""))
        if len(q) > int(settings.MAX_QUESTION_CHARS):
            raise ApiError(400, "q too long")
        limit = int(settings.MAX_SUGGEST_RESULTS)
        hits = self.vocab.complete(q, limit=limit, kinds=[k for k in ("subject", "code", "project", "indicator",
                                                                      "procurement", "asset", "term")])
        head = ""
        if not hits:  # a sentence typed so far: complete its last word
            tail, hits = self.vocab.complete_tail(q, limit=limit)
            head = q[: len(q) - len(tail)] if tail else ""
        # "completion" is the whole search-box text with the suggestion applied
        return JSONResponse({"ok": True, "q": q,
                             "suggestions": [{**e.to_dict(), "completion": head + e.text} for e in hits]})

    async def units(self, request: Request) -> Response:
        return JSONResponse({"ok": True, "units": [u.to_dict() for u in self.vocab.units]})

    async def examples(self, request: Request) -> Response:
        return JSONResponse({"ok": True, "examples": list(self.vocab.examples)})

    async def healthz(self, request: Request) -> Response:
        """200 while the store at db_path is the one served (or being loaded); 503 when the file there is
        missing or cannot be served — a load balancer then stops sending this worker questions."""
        self.check_store()
        problem = self.store_error or ("" if store_identity(self.db_path) else f"no store at {self.db_path}")
        if problem:
            return error_response(503, problem)
        return JSONResponse({"ok": True, "documents": len(self.vocab.units), "pid": os.getpid(),
                             "conversations": len(self.conversations)})

    async def openapi(self, request: Request) -> Response:
        return JSONResponse(OPENAPI)

    def _static(self, name: str, extra: dict[str, str] | None = None) -> Response:
        if name not in self.static:
            raise HTTPException(404)
        body, ctype = self.static[name]
        headers = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff", **(extra or {})}
        return Response(body, media_type=ctype.split(";")[0], headers=headers)

    async def index(self, request: Request) -> Response:
        resp = self._static("index.html", {
            "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                                       "img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'",
            "Cache-Control": "no-cache"})
        origin = html.escape(str(request.base_url).rstrip("/"))
        resp.body = resp.body.replace(b"http://HOST:PORT", origin.encode("utf-8"))
        resp.headers["content-length"] = str(len(resp.body))
        return resp

    async def widget_js(self, request: Request) -> Response:
        return self._static("widget.js")

    async def widget_css(self, request: Request) -> Response:
        return self._static("widget.css")

    async def page_css(self, request: Request) -> Response:
        return self._static("page.css")


def _default_factory(db_path: str) -> Any:
    from .assistant import Assistant

    return Assistant(db_path)


def create_app(db_path: str | os.PathLike[str], cors_origins: Iterable[str] = (),
               assistant_factory: AssistantFactory | None = None, allowed_hosts: Iterable[str] = ()) -> Starlette:
    """The ASGI app over the store at ``db_path`` (opened read-only).

    ``cors_origins``: origins allowed to call the API from their pages (``*`` for any); none by default.
    ``assistant_factory``: builds one Assistant per conversation (default ``askbudget.Assistant``).
    ``allowed_hosts``: the Host headers served (``helpdesk.example.gov.cn``, ``*.example.gov.cn``); any
    when empty.
    """
    db = str(db_path)
    open_readonly(db).close()  # fail now, with a StoreError, if there is no usable store
    api = Api(db, assistant_factory or _default_factory)
    routes = [  # /api/ask first: the path asked most is matched first
        Route("/api/ask", api.ask, methods=["GET", "POST"]),
        Route("/", api.index, methods=["GET"]),
        Route("/widget.js", api.widget_js, methods=["GET"]),
        Route("/widget.css", api.widget_css, methods=["GET"]),
        Route("/page.css", api.page_css, methods=["GET"]),
        Route("/api/suggest", api.suggest, methods=["GET"]),
        Route("/api/units", api.units, methods=["GET"]),
        Route("/api/examples", api.examples, methods=["GET"]),
        Route("/healthz", api.healthz, methods=["GET"]),
        Route("/openapi.json", api.openapi, methods=["GET"]),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders),
                                               Middleware(HostGuard, allowed_hosts=tuple(allowed_hosts)),
                                               Middleware(OriginGuard, origins=tuple(cors_origins))],
                    exception_handlers={
                        HTTPException: _http_exception,
        Aborted: _aborted,
        ApiError: _api_error,
        AskBudgetError: _askbudget_error,
        Exception: _unexpected,
    })
    app.state.api = api
    return app


def serve(db_path: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000,
          cors_origins: Iterable[str] = (), workers: int = 1, allowed_hosts: Iterable[str] = ()) -> int:
    """Run the service with uvicorn until interrupted: ``workers`` processes share the port (each
    answering on its event loop); a conversation continues on whichever takes its turn.
    Returns the exit status: 0 after a normal stop, 3 when it cannot listen on ``host``:``port`` (in use,
    not a port, unknown host, no permission). The port is taken before "serving on …" is printed, so
    that line is never a lie."""
    import uvicorn

    import logging

    # the service's log: an error inside answering is logged there with its traceback (askbudget logger)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="askbudget serve: %(levelname)s %(name)s %(message)s")
    db = str(db_path)
    origins, hosts = [o for o in cors_origins if o], [h for h in allowed_hosts if h]
    if workers <= 1:
        app: Any = create_app(db, origins, allowed_hosts=hosts)
    else:
        open_readonly(db).close()  # a missing or broken store fails here, once, not in every worker
    try:
        sock = listen(host, port)
    except (OSError, OverflowError) as e:
        reason = "the port is in use" if getattr(e, "errno", None) == errno.EADDRINUSE else \
            getattr(e, "strerror", None) or str(e)
        print(f"error: cannot listen on {host}:{port}: {reason}", file=sys.stderr)
        return 3
    print(banner(db, f"http://{_url_host(host)}:{sock.getsockname()[1]}", origins)
          + (f"\n  {workers} worker processes share the port" if workers > 1 else ""), file=sys.stderr)
    options = uvicorn_options()
    if workers <= 1:
        uvicorn.Server(uvicorn.Config(app, **options)).run(sockets=[sock])
        return 0
    # the workers are new processes: they read what to serve, and the key that signs every worker's
    # conversation tokens, from the environment
    os.environ[_ENV_DB] = db
    os.environ[_ENV_CORS] = ",".join(origins)
    os.environ[_ENV_HOSTS] = ",".join(hosts)
    if not os.environ.get("ASKBUDGET_SECRET"):
        os.environ["ASKBUDGET_SECRET"] = secrets.token_urlsafe(32)
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("askbudget.web:app_from_env", factory=True, workers=workers, **options)
    Multiprocess(config, sockets=[sock]).run()
    return 0


def uvicorn_options() -> dict[str, Any]:
    """How ``serve`` runs uvicorn (also the floor bench/load_web.py measures against): the guarded HTTP
    protocol, no access log (a line per request costs more than some answers), no Server header."""
    return dict(log_level="warning", access_log=False, server_header=False, http=guarded_http(),
                timeout_keep_alive=int(settings.HTTP_IDLE_TIMEOUT_S), h11_max_incomplete_event_size=16 * 1024)


_ENV_DB, _ENV_CORS, _ENV_HOSTS = "ASKBUDGET_SERVE_DB", "ASKBUDGET_SERVE_CORS", "ASKBUDGET_SERVE_HOSTS"


def app_from_env() -> Starlette:
    """The app a ``serve --workers N`` worker process builds (uvicorn's factory)."""
    def listed(name: str) -> list[str]:
        return [x for x in os.environ.get(name, "").split(",") if x]

    return create_app(os.environ[_ENV_DB], listed(_ENV_CORS), allowed_hosts=listed(_ENV_HOSTS))


def guarded_http() -> type:
    """uvicorn's HTTP protocol (httptools when installed, else h11) with what it lacks for a public
    service: a connection whose request headers are not all in within ``HTTP_HEADER_TIMEOUT_S`` — a
    new one, or a kept-alive one after its last response — is closed (a slow client cannot hold a
    socket open by trickling bytes, which resets uvicorn's own idle timer), and a request uvicorn
    cannot parse is refused in the one JSON error shape. The writes of one turn of the event loop go
    out as one (uvicorn writes a response's head and body apart: two packets, two wake-ups of the
    client, where one does). The header timer is armed once and moved only when it fires, not
    cancelled and armed again for every request."""
    global _GUARDED
    if _GUARDED is not None:
        return _GUARDED
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as base
    except ImportError:
        from uvicorn.protocols.http.h11_impl import H11Protocol as base

    class GuardedHttp(base):  # type: ignore[misc, valid-type]
        _header_timer: Any = None
        _waiting_since = 0.0  # when the connection began to wait for a request's headers
        _header_timeout = float(settings.HTTP_HEADER_TIMEOUT_S)  # read once, when serve starts

        def connection_made(self, transport: Any) -> None:
            super().connection_made(_Coalesced(transport, self.loop))
            self._waiting_since = self.loop.time()
            self._arm(self._header_timeout)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._waiting_since = self.loop.time()
            if self._header_timer is None:
                self._arm(self._header_timeout)

        def connection_lost(self, exc: Exception | None) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None
            super().connection_lost(exc)

        def _arm(self, delay: float) -> None:
            self._header_timer = self.loop.call_later(delay, self._headers_late)

        def _headers_late(self) -> None:
            self._header_timer = None
            if not (self.cycle is None or self.cycle.response_complete) or self.transport.is_closing():
                return  # a request under way: its response completing arms the timer again
            left = self._waiting_since + self._header_timeout - self.loop.time()
            if left > 0:
                self._arm(left)  # a request came and went since the timer was set: wait for the rest
            else:
                self.transport.close()

        def send_400_response(self, msg: str) -> None:
            body = json.dumps({"ok": False, "error": f"bad HTTP request: {msg}", "status": 400}).encode()
            self.transport.write(b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n"
                                 b"x-content-type-options: nosniff\r\nconnection: close\r\n"
                                 b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            self.transport.close()

    GuardedHttp.__module__, GuardedHttp.__qualname__ = __name__, "GuardedHttp"
    _GUARDED = GuardedHttp
    return GuardedHttp


_GUARDED: type | None = None


class _Coalesced:
    """A connection's transport whose writes within one turn of the event loop are sent as one."""

    def __init__(self, transport: Any, loop: Any) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(data)

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending and not self._transport.is_closing():
            self._transport.write(b"".join(pending))

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:  # everything else is the transport's own
        return getattr(self._transport, name)


def __getattr__(name: str) -> Any:  # ``askbudget.web.GuardedHttp``: how worker processes unpickle it
    if name == "GuardedHttp":
        return guarded_http()
    raise AttributeError(name)


def listen(host: str, port: int) -> Any:
    """A listening TCP socket on ``host``:``port`` (0: any free port), as uvicorn would bind it."""
    import socket

    if not 0 <= int(port) <= 65535:
        raise OverflowError(f"{port} is not a port number (0-65535)")
    family, kind, proto, _, addr = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                      flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(2048)
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def banner(db_path: str, base: str, origins: Iterable[str]) -> str:
    """What ``serve`` prints at start: where it serves, the line a help-desk page embeds, and the
    ``--cors`` that page's origin needs (a widget on an origin not allowed only says it cannot connect)."""
    allowed = [o for o in origins if o]
    lines = [f"askbudget: serving {db_path} on {base}/",
             f"  embed the chat box in a help-desk page: <script src=\"{base}/widget.js\" defer></script>"]
    if "*" in allowed:
        lines.append("  pages of any origin may use it (--cors '*')")
    elif allowed:
        lines.append(f"  pages of these origins may use it: {', '.join(allowed)} "
                     "(--cors; add the origin of any other page that embeds it)")
    else:
        lines.append("  no other site may use it yet: start with --cors https://helpdesk.example.gov.cn "
                     "(the origin of the page that embeds it; several separated by commas)")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ OpenAPI

_ERROR = {"$ref": "#/components/schemas/Error"}
_ERR_RESPONSES = {str(s): {"description": _REASONS[s], "content": {"application/json": {"schema": _ERROR}}}
                  for s in (400, 403, 413, 415)}

OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "askbudget", "version": "0.1.0",
             "description": "Answers plain-Chinese questions about government unit budget disclosures "
                            "(单位预算公开) with exact figures and citations. Errors share one shape: "
                            '{"ok": false, "error": "...", "status": N}. A question longer than '
                            "MAX_QUESTION_CHARS is refused with 400."},
    "paths": {
        "/api/ask": {
            "post": {
                "summary": "Answer a question (pass the returned conversation id back for follow-ups)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["question"],
                    "properties": {"question": {"type": "string", "maxLength": 500, "example": "电费多少"},
                                   "conversation": {"type": "string", "description": "id from a previous answer"}},
                }}}},
                "responses": {"200": {"description": "the answer",
                                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answer"}}}},
                              **_ERR_RESPONSES},
            },
            "get": {
                "summary": "Answer a question given in the query string",
                "parameters": [{"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                               {"name": "conversation", "in": "query", "required": False, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the answer",
                                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answer"}}}},
                              "400": _ERR_RESPONSES["400"]},
            },
        },
        "/api/suggest": {"get": {
            "summary": "Completions for a search box: subject names and codes, projects, indicators, items",
            "parameters": [{"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "completions", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"ok": {"type": "boolean"}, "q": {"type": "string"},
                                                 "suggestions": {"type": "array", "items": {
                                                     "type": "object", "properties": {
                                                         "text": {"type": "string"}, "kind": {"type": "string"},
                                                         "kind_label": {"type": "string"},
                                                         "detail": {"type": "string"}}}}}}}}}},
        }},
        "/api/units": {"get": {"summary": "The units and years the store holds",
                               "responses": {"200": {"description": "units"}}}},
        "/api/examples": {"get": {"summary": "Example questions built from the store",
                                  "responses": {"200": {"description": "examples"}}}},
        "/healthz": {"get": {"summary": "Liveness", "responses": {"200": {"description": "ok"}}}},
        "/widget.js": {"get": {"summary": "The embeddable chat widget: "
                                          '<script src="http://HOST:PORT/widget.js" defer></script>',
                               "responses": {"200": {"description": "JavaScript"}}}},
    },
    "components": {"schemas": {
        "Error": {"type": "object", "required": ["ok", "error", "status"],
                  "properties": {"ok": {"type": "boolean", "enum": [False]}, "error": {"type": "string"},
                                 "status": {"type": "integer"}}},
        "Citation": {"type": "object", "properties": {
            "document": {"type": "string"}, "unit": {"type": "string"}, "year": {"type": "integer", "nullable": True},
            "table": {"type": "string"}, "row": {"type": "string"}, "column": {"type": "string"},
            "kind": {"type": "string", "enum": ["预算", "决算"]}}},
        "Item": {"type": "object", "properties": {
            "label": {"type": "string"}, "value": {"type": "number", "nullable": True}, "unit": {"type": "string"},
            "share": {"type": "number", "nullable": True}}},
        "Answer": {"type": "object", "properties": {
            "ok": {"type": "boolean"}, "question": {"type": "string"},
            "status": {"type": "string", "enum": ["answered", "not_found", "ambiguous", "out_of_scope"]},
            "text": {"type": "string"}, "value": {"type": "number", "nullable": True},
            "unit": {"type": "string", "nullable": True},
            "citations": {"type": "array", "items": {"$ref": "#/components/schemas/Citation"}},
            "sql": {"type": "string"}, "suggestions": {"type": "array", "items": {"type": "string"}},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
            "derivation": {"type": "string"}, "interpretation": {"type": "string"},
            "conversation": {"type": "string"}}},
    }},
}
