"""The search index: which documents of a store hold a question's words, best first.

Why: a question that names no unit, in a store of a city's 1,000 units, must not be read in every
document (the narrative, indicator and glossary searches walk their documents in Python). The
resolver narrows it to the few documents this index ranks first (``settings.MAX_SCAN_UNITS``), so
the cost of a question grows with what it finds, not with the store.

The index is an SQLite FTS5 table, ``search_fts``: one row per document (``rowid`` = ``documents.id``)
holding the distinct character bigrams of everything a question may search — the narrative, table
titles and notes, 绩效 goals and indicators, row and project names, the glossary, the facts. FTS5's
own tokenizers do not suit Chinese (unicode61 reads a whole run of characters as one word, trigram
cannot find a two-character word such as 电费), so the text is cut into bigrams here, written as
space-separated tokens; unicode61 then indexes each bigram as a word. A question is ranked by the
bigrams of its words (bm25 over them, ties by document id). A store written before the index
existed simply has none: every document stays in scope, as before.
"""
from __future__ import annotations

import re
import sqlite3
from typing import Iterable, Sequence

TABLE = "search_fts"
CREATE = f"CREATE VIRTUAL TABLE IF NOT EXISTS [{TABLE}] USING fts5(grams, tokenize='unicode61')"

# every two word characters (digits, Latin letters, CJK) in a row; punctuation and spaces cut words
_BIGRAM = re.compile(r"(?=([0-9a-z\u3400-\u4dbf\u4e00-\u9fff]{2}))")
# full-width digits and letters as NFKC reads them (a question's key has them so), without NFKC's cost on
# a whole document: the rest of what NFKC changes is punctuation, which cuts words here anyway. Only the
# characters found are replaced (a translate table walks every character of the document)
_WIDE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def _narrow(m: re.Match[str]) -> str:
    return chr(ord(m.group()) - 0xFEE0)


def _grams(text: str) -> set[str]:
    """The distinct two-character pieces of ``text``'s words (lower case)."""
    return set(_BIGRAM.findall(_WIDE.sub(_narrow, text).lower()))


def document_grams(texts: Iterable[str]) -> str:
    """The index row of one document: the distinct bigrams of ``texts``, space-separated. Each text once
    (a group name is on every row under it): bigrams never run across the line between two texts."""
    return " ".join(sorted(_grams("\n".join(dict.fromkeys(t for t in texts if t)))))


def write_document(conn: sqlite3.Connection, doc_id: int, texts: Iterable[str]) -> None:
    """(Re)write document ``doc_id``'s row of the index, inside the caller's transaction."""
    conn.execute(CREATE)
    conn.execute(f"DELETE FROM [{TABLE}] WHERE rowid = ?", (doc_id,))
    conn.execute(f"INSERT INTO [{TABLE}] (rowid, grams) VALUES (?, ?)", (doc_id, document_grams(texts)))


def delete_document(conn: sqlite3.Connection, doc_id: int) -> None:
    if has_index(conn):
        conn.execute(f"DELETE FROM [{TABLE}] WHERE rowid = ?", (doc_id,))


def has_index(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone() is not None


def rank_documents(conn: sqlite3.Connection, words: str, docs: Sequence[int], limit: int,
                   stop: frozenset[str] | set[str] = frozenset()) -> list[int]:
    """At most ``limit`` of ``docs``: those whose index row holds the most (and the rarest) bigrams of
    ``words``, best first, then the rest of ``docs`` in order when fewer match. ``docs`` itself (cut
    to ``limit``) when the store has no index or ``words`` has no bigram outside ``stop``."""
    if len(docs) <= limit:
        return list(docs)
    grams = sorted(_grams(words) - set(stop))
    if not grams:
        return list(docs[:limit])
    try:
        found = conn.execute(f"SELECT rowid FROM [{TABLE}] WHERE [{TABLE}] MATCH ? ORDER BY rank, rowid",
                             (" OR ".join(f'"{g}"' for g in grams),)).fetchall()
    except sqlite3.OperationalError as e:
        if "no such table" not in str(e):
            raise  # interrupted by the work limit: the caller reports it
        return list(docs[:limit])  # a store written before the index
    scope = set(docs)
    out = [r[0] for r in found if r[0] in scope][:limit]
    if len(out) < limit:
        chosen = set(out)
        out += [d for d in docs if d not in chosen][: limit - len(out)]
    return out
