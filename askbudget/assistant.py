"""The Assistant: one store, one conversation. ``Assistant(db_path).ask(text) -> Answer``.

Opens the store read-only, builds (or reuses, per process) the vocabulary, then for each
question: parse -> plan/execute -> Answer, keeping the previous turn as context for follow-ups
("水费呢", "两者合计呢", "去年呢"). A lock around the conversation state and the connection lets
one Assistant be shared by threads; any input ``str`` gives an Answer, never an exception.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import replace
from pathlib import Path

from .answer import Answer
from .errors import AskBudgetError, QueryError
from .parse import parse
from .answers import Answerer
from .plan import Context
from .store import default_store_path, open_readonly
from .vocab import vocab_for


_SURROGATE = re.compile("[\ud800-\udfff]")


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
        self._answerer = Answerer(self._conn, self.vocab)
        self.vocab.tokenizer()  # a few ms; keeps the first question's time honest
        if warm and os.environ.get("ASKBUDGET_NO_WARM") != "1":
            self._warm()

    def _warm(self) -> None:
        """Load the speller's pinyin table, rapidfuzz and the first-use caches off the question path."""
        try:
            from .spell import suggest

            suggest(self.vocab, "电废")
            suggest(self.vocab, "dianfei")  # the speller's Latin-pinyin index
            import rapidfuzz.process  # noqa: F401

            for q in ("电费多少", "電費多少", "30206是什么", "asdkjh", "电费为什么增加", "电费占公用经费的比例"):
                self._answerer.answer(parse(q, self.vocab), Context())
        except Exception:  # noqa: BLE001 - warming is an optimisation only
            pass

    def reset(self) -> None:
        """Forget the conversation: the next question stands alone."""
        with self._lock:
            self._ctx = Context()

    def ask(self, text: object) -> Answer:
        """Answer one question (a follow-up of the previous one where it reads like one)."""
        question = text if isinstance(text, str) else str(text)
        # lone surrogates (undecodable argv bytes) would make the answer unencodable: show them as U+FFFD
        question = _SURROGATE.sub("\ufffd", question)
        text = _SURROGATE.sub("\ufffd", text) if isinstance(text, str) else text
        with self._lock:
            try:
                intent = parse(text, self.vocab)
                answer, ctx = self._answerer.answer(intent, self._ctx)
            except QueryError as e:
                return Answer(question[:500], "out_of_scope", f"这个问题没能查询：{e}。")
            except AskBudgetError as e:
                return Answer(question[:500], "out_of_scope", f"出错了：{e}。")
            except Exception as e:  # noqa: BLE001 - a user never sees a traceback; the answer says it failed
                return Answer(question[:500], "out_of_scope", f"这个问题没能回答（{type(e).__name__}）。")
            if answer.status in ("not_found", "out_of_scope") and len(self._ctx.figs) > 1:
                # the question just asked had no figure: "两者" can no longer mean the two before it
                self._ctx = replace(self._ctx, figs=self._ctx.figs[-1:])
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
