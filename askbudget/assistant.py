"""The Assistant: one store, one conversation. ``Assistant(db_path).ask(text) -> Answer``.

Opens the store read-only, builds (or reuses, per process) the vocabulary, then for each
question: parse -> plan/execute -> Answer, keeping the previous turn as context for follow-ups
("水费呢", "两者合计呢", "去年呢"). A lock around the conversation state and the connection lets
one Assistant be shared by threads; any input ``str`` gives an Answer, never an exception.
"""
from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import lazyre, settings
from .answer import Answer
from .errors import AskBudgetError, QueryError
from .lru import LRU
from .parse import Intent, parse
from .answers import Answerer
from .plan import Context
from .store import QueryCache, default_store_path, open_readonly
from .vocab import vocab_for


log = logging.getLogger("askbudget")

_SNAPSHOT_VERSION = 2  # 2: the positional snapshot (snapshot.py)
_WARM_LOCK = threading.Lock()
_SURROGATE = lazyre.compile("[\ud800-\udfff]")


class _Readings:
    """The parse of each question asked lately, shared by the Assistants of one store in a process:
    reading a question depends on its text and the store's vocabulary only, never on the conversation
    (follow-ups are resolved after), so a question asked again — 水费呢 in many conversations — is read
    once. An LRU of ``PARSE_CACHE_SIZE`` questions."""

    def __init__(self, size: int) -> None:
        self._items: LRU[str, Intent] = LRU(size)

    def read(self, text: str, vocab: Any) -> Intent:
        hit = self._items.get(text)
        if hit is None:
            hit = parse(text, vocab)
            self._items.put(text, hit)
        return hit


class _States:
    """Conversation states decoded (``restore``) or encoded (``context``) lately in this process, by the
    identity of their dict: a caller that hands back the very dict it was given or gave (the web service
    keeps the dicts of the tokens it issued and read) continues the conversation without decoding it. An
    LRU of ``STATE_CACHE_SIZE``; each holds its dict (so its id stays its own) and a copy of the Context,
    which is copied again when handed out (an answer may set a field of the one it continues from)."""

    def __init__(self, size: int) -> None:
        self._items: LRU[int, tuple[dict[str, Any], Context]] = LRU(size)

    def get(self, data: dict[str, Any]) -> Context | None:
        hit = self._items.get(id(data))
        if hit is None or hit[0] is not data:
            return None
        return replace(hit[1])

    def put(self, data: dict[str, Any], ctx: Context) -> None:
        self._items.put(id(data), (data, replace(ctx)))


def _shared(vocab: Any, name: str, make: Any) -> Any:
    """A cache shared by the Assistants of one store in this process, made on first use."""
    got = getattr(vocab, name, None)
    if got is None:
        with _WARM_LOCK:
            got = getattr(vocab, name, None)
            if got is None:
                got = make()
                setattr(vocab, name, got)
    return got


def _readings(vocab: Any) -> _Readings:
    return _shared(vocab, "_readings", lambda: _Readings(int(settings.PARSE_CACHE_SIZE)))


class Assistant:
    """Answers questions about the documents in one store, keeping one conversation."""

    def __init__(self, db_path: str | os.PathLike[str] | None = None, *, warm: bool = True) -> None:
        """``warm``: load the speller and fuzzy matcher now (~30 ms) so no question pays for them;
        the one-shot CLI passes False to start faster."""
        path = Path(db_path) if db_path is not None else default_store_path()
        self.db_path = str(path)
        self._conn = open_readonly(path)
        self._lock = threading.RLock()
        with self._lock:
            self.vocab = vocab_for(self.db_path, self._conn)
        self._ctx = Context()
        self._scope: tuple[str | None, int | None] | None = None
        self._answerer = Answerer(self._conn, self.vocab)
        self._answerer.results = QueryCache()  # the store is open immutable: its query results never change
        self._readings = _readings(self.vocab)
        self._states: _States = _shared(self.vocab, "_states", lambda: _States(int(settings.STATE_CACHE_SIZE)))
        self._restored: tuple[dict[str, Any], Context, Any] | None = None  # (the dict, the Context, the scope) restored
        self.vocab.tokenizer()  # a few ms; keeps the first question's time honest
        if warm and os.environ.get("ASKBUDGET_NO_WARM") != "1":
            with _WARM_LOCK:  # once per process and store: what it loads is shared by every Assistant
                if not getattr(self.vocab, "_warmed", False):
                    self._warm()
                    self.vocab._warmed = True  # type: ignore[attr-defined]

    def _warm(self) -> None:
        """Load the speller's pinyin table, rapidfuzz and the first-use caches (regexes, the vocabulary's
        unit phrase sets) off the question path."""
        try:
            from .spell import suggest

            suggest(self.vocab, "电废")
            suggest(self.vocab, "dianfei")  # the speller's Latin-pinyin index
            import rapidfuzz.process  # noqa: F401

            for q in ("电费多少", "電費多少", "30206是什么", "asdkjh", "电费为什么增加", "电费占公用经费的比例",
                      "项目的数量指标是多少", "什么时候完成", "收入总计比2022年减少了多少"):
                self._answerer.answer(parse(q, self.vocab), Context())
            self._answerer._filler_regex()
        except Exception:  # noqa: BLE001 - warming is an optimisation only
            pass

    def reset(self) -> None:
        """Forget the conversation: the next question stands alone (a scope set with ``set_scope`` stays)."""
        with self._lock:
            self._ctx = Context()

    # ------------------------------------------------------------------ public conversation state

    def _fingerprint(self) -> str:
        """Which store a snapshot belongs to: its documents (id, unit code, year)."""
        fp = getattr(self, "_fp", None)
        if fp is None:
            import hashlib

            ids = ";".join(f"{d.id}:{d.unit_code}:{d.year}:{d.kind}:{d.unit_name}" for d in self.vocab.docs)
            fp = self._fp = hashlib.sha1(ids.encode("utf-8")).hexdigest()[:12]
        return fp

    @property
    def context(self) -> dict[str, Any]:
        """The conversation so far as a small JSON-able (and picklable) dict, for ``restore``.

        Opaque to callers: keep it, hand it back; its contents may change between versions."""
        from .snapshot import dump

        with self._lock:
            restored = self._restored
            if restored is not None and restored[1] is self._ctx and restored[2] == self._scope:
                return restored[0]  # nothing changed since ``restore``: the very dict it was given
            data = {"v": _SNAPSHOT_VERSION, "store": self._fingerprint(), "ctx": dump(self._ctx),
                    "scope": {"unit_code": self._scope[0], "year": self._scope[1]} if self._scope else None}
            self._states.put(data, self._ctx)
            self._restored = (data, self._ctx, self._scope)
            return data

    def restore(self, context: dict[str, Any] | None) -> None:
        """Continue the conversation ``context`` (from ``.context``) — or, given None, start a fresh
        one with no scope. A snapshot of another store or version, or a damaged one, starts a fresh
        conversation too: a follow-up then stands alone rather than borrowing wrong figures."""
        from .snapshot import load

        with self._lock:
            self._ctx = Context()
            self._scope = None
            self._restored = None
            if not isinstance(context, dict) or context.get("v") != _SNAPSHOT_VERSION or \
                    context.get("store") != self._fingerprint():
                return
            try:
                ctx = self._states.get(context)
                if ctx is None:
                    ctx = load(context.get("ctx"))
                    if isinstance(ctx, Context):
                        self._states.put(context, ctx)
                scope = context.get("scope")
                if scope:
                    self.set_scope(unit_code=scope.get("unit_code"), year=scope.get("year"))
            except (AskBudgetError, AttributeError, TypeError):
                self._scope = None
                return
            if isinstance(ctx, Context):
                self._ctx = ctx
                self._restored = (context, ctx, self._scope)

    def set_scope(self, unit_code: str | None = None, year: int | None = None) -> None:
        """Pin the questions to one unit (its code) and/or year, as if every question named them;
        a question that names another unit or year still gets that one. ``set_scope()`` unpins.
        QueryError when the store has no such unit or year."""
        code = str(unit_code).strip() if unit_code not in (None, "") else None
        yr = int(year) if year not in (None, "") else None  # type: ignore[arg-type]
        docs = [d for d in self.vocab.docs if (code is None or d.unit_code == code)]
        if code is not None and not docs:
            raise QueryError(f"库中没有单位代码为 {code} 的文件")
        if yr is not None and not any(d.year == yr for d in docs):
            raise QueryError(f"库中没有{'该单位' if code else ''}{yr}年的文件")
        with self._lock:
            self._scope = (code, yr) if (code is not None or yr is not None) else None

    def _scoped(self, intent: Intent) -> Intent:
        """The intent with the pinned unit/year filled in where the question named none."""
        if self._scope is None or intent.what == "refuse":
            return intent
        code, yr = self._scope
        if intent.year is None and yr is not None and intent.year_rel is None:
            intent = replace(intent, year=yr)
        if code is not None and intent.unit_doc is None and not intent.unit_docs:
            docs = [d for d in self.vocab.docs if d.unit_code == code]
            want = intent.year if intent.year is not None else yr
            pick = [d for d in docs if d.year == want] or docs
            if pick:
                d = max(pick, key=lambda x: (x.year, x.id))
                intent = replace(intent, unit_doc=d.id, unit_docs=(d.id,))
        return intent

    def ask(self, text: object) -> Answer:
        """Answer one question (a follow-up of the previous one where it reads like one)."""
        question = text if isinstance(text, str) else str(text)
        # lone surrogates (undecodable argv bytes) would make the answer unencodable: show them as U+FFFD
        question = _SURROGATE.sub("\ufffd", question)
        text = _SURROGATE.sub("\ufffd", text) if isinstance(text, str) else text
        with self._lock:
            before, restored, self._restored = self._ctx, self._restored, None
            answer = self._ask(text, question)
            if self._ctx is before and answer.status != "answered":
                self._restored = restored  # the conversation is as it was restored (an answered turn may
            return answer                  # have set fields of the Context it continued: never kept)

    def _ask(self, text: object, question: str) -> Answer:
        """One turn, under ``self._lock`` (``ask``)."""
        try:
            intent = self._scoped(self._readings.read(text, self.vocab) if isinstance(text, str)
                                  else parse(text, self.vocab))
            answer, ctx = self._answerer.answer(intent, self._ctx)
        except QueryError as e:
            return Answer(question[:500], "out_of_scope", f"这个问题没能查询：{e}。")
        except AskBudgetError as e:
            return Answer(question[:500], "out_of_scope", f"出错了：{e}。")
        except Exception as e:  # noqa: BLE001 - a user never sees a traceback; the answer says it failed
            # never silent: logged with its traceback (the web log; the CLI's stderr with --debug)
            log.exception("answering %r failed", question[:200])
            return Answer(question[:500], "out_of_scope", f"这个问题没能回答（{type(e).__name__}）。")
        if answer.status in ("not_found", "out_of_scope") and (len(self._ctx.figs) > 1 or not self._ctx.missed):
            # the question just asked had no figure: "两者" can no longer mean the two before it, nor
            # "其中…" a part of the figure before it (a conversation already so is kept as it is)
            self._ctx = replace(self._ctx, figs=self._ctx.figs[-1:], missed=True)
        if answer.status == "not_found" and intent.unit_missing:
            self._ctx = replace(self._ctx, refused_unit=answer.text)  # a follow-up carries the unit named
        elif self._ctx.refused_unit and not intent.followup:
            self._ctx = replace(self._ctx, refused_unit="")
        if answer.status == "ambiguous":
            self._ctx = ctx  # remembers the question so "财政局的" can answer it
        if answer.status == "answered":
            if ctx is not self._ctx:
                figs = [f for f in ctx.figs if f is not None]
                if len(figs) == 1 and self._ctx.figs and ctx.what in ("figure", ""):
                    ctx.figs = (self._ctx.figs + figs)[-2:]
                self._ctx = ctx
        return answer

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Assistant":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
