"""Every limit and tunable in one place (like Datasette's SETTINGS): name, default, help text.

Read them as ``settings.MAX_QUESTION_CHARS`` etc.; each can be overridden with an environment
variable ``ASKBUDGET_<NAME>`` (for example ``ASKBUDGET_SQL_WORK_LIMIT=1000000``); a value that is
not a finite positive number is ignored, with a note on stderr.
"""
from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: float
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("MAX_QUESTION_CHARS", 500, "Longest question accepted; longer input is refused with a message."),
    Setting("SQL_WORK_LIMIT", 10_000_000, "A single SQL query is interrupted after this many SQLite VM steps (work, "
                                          "not time: a busy machine never changes an answer)."),
    Setting("MAX_ROWS", 200, "Most rows a list answer returns."),
    Setting("MAX_SUGGESTIONS", 5, "Most did-you-mean suggestions in a not-found answer."),
    Setting("MAX_SCAN_DOCUMENTS", 8, "A question naming no one unit is read in at most this many documents: those "
                                     "the search index ranks first for its words (the answer asks which unit)."),
    Setting("MAX_DOCUMENT_BYTES", 20_000_000, "Largest document file ingest accepts."),
    Setting("MAX_BODY_BYTES", 16_384, "Largest HTTP request body the web API accepts."),
    Setting("MAX_CONVERSATIONS", 10_000, "Most conversations the web service keeps at once (oldest dropped)."),
    Setting("CONVERSATION_TTL_S", 1800, "A web conversation idle this many seconds is forgotten."),
    Setting("MAX_SUGGEST_RESULTS", 10, "Most completions /api/suggest returns."),
    Setting("ANSWER_CACHE_SIZE", 4096, "Turns (conversation state, question) each web worker remembers the "
                                       "reply to: a turn seen before is answered without running it again."),
    Setting("STATE_CACHE_SIZE", 1024, "Conversation states each web worker keeps decoded: a follow-up whose token "
                                      "this worker issued or read lately is continued without decoding it again "
                                      "(and as many encoded: a state reached again is not compressed again)."),
    Setting("PARSE_CACHE_SIZE", 4096, "Questions each process remembers its reading of (a question is read the "
                                      "same way every time it is asked of one store, whatever came before)."),
    Setting("QUERY_CACHE_ROWS", 50_000, "Rows of recent query results each open store keeps in memory (a store "
                                        "never changes while it is open, so a query asked again is not run again)."),
    Setting("HTTP_IDLE_TIMEOUT_S", 5, "A kept-alive connection with no request for this many seconds is closed."),
    Setting("HTTP_HEADER_TIMEOUT_S", 10, "A connection whose request headers are not all in after this many seconds "
                                         "is closed (slow clients cannot hold sockets open)."),
    Setting("HTTP_BODY_TIMEOUT_S", 10, "A request body not all in after this many seconds is refused with 408."),
)


def _value(s: Setting) -> float:
    """The environment's value when it is a finite positive number, else the default (with a note)."""
    raw = os.environ.get(f"ASKBUDGET_{s.name}")
    if raw is None:
        return s.default
    try:
        v = float(raw)
        if not math.isfinite(v) or v <= 0:
            raise ValueError(raw)
        return type(s.default)(v)
    except (ValueError, OverflowError):
        _warn_once(s.name, raw)
        return s.default


def cores() -> int:
    """The cores this process may run on: the size of the web worker's pool, the ingest's parse pool."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


_WARNED: set[str] = set()


def _warn_once(name: str, raw: str) -> None:
    if name not in _WARNED:
        _WARNED.add(name)
        print(f"askbudget: ignoring ASKBUDGET_{name}={raw!r} (not a positive number); "
              f"using the default", file=sys.stderr)


_BY_NAME = {s.name: s for s in SETTINGS}


def __getattr__(name: str) -> float:
    s = _BY_NAME.get(name)
    if s is None:
        raise AttributeError(name)
    return _value(s)
