"""What a table's note says of the table: ``says_empty(note)`` — the document itself says the table is
empty (``此表为空表``, ``空表列示``, ``本表无数据``, ``本单位无政府性基金预算收入…``).

One rule for the ingest (a sentence inside a table is its note), for the arithmetic (an empty table's
figures are 0) and for the answers: a table read with no rows is answered 0 only when its note says
so; a table read with no rows and no such note was not read, and is never 0.
"""
from __future__ import annotations

from . import lazyre

EMPTY_NOTE_RE = lazyre.compile(r"空表|无数据|本表无|(?:本部门|本单位)(?:\S{0,12})?(?:无|没有)")


def says_empty(note: str | None) -> bool:
    return bool(note) and EMPTY_NOTE_RE.search(note) is not None
