"""Table kinds of the text conversion (the Tangshan family), recognised by the words of their title
(never by position in the document).

The rules are data: ``lexicon/templates/tangshan.tsv`` lists (kind, words that must all occur, words
that must not); the first matching entry wins, so the more specific titles come first. A heading only
names a table when tab rows follow it — ``六、政府采购预算情况`` (narrative) and ``单位政府采购预算``
(table) share words.
"""
from __future__ import annotations

from .templates import family

TEXT_FAMILY = "tangshan"


def _family():  # type: ignore[no-untyped-def]
    return family(TEXT_FAMILY)


KINDS: tuple[str, ...] = tuple(t.kind for t in _family().tables)

# kinds whose column headers have no 栏次 line: how many header rows they carry
HEADER_ROWS: dict[str, int] = {t.kind: t.header_rows for t in _family().tables if t.header_rows is not None}

# the kinds a standard disclosure prints with a 栏次 line and 序号 column (empty ones carry a 注)
TEMPLATE_KINDS: tuple[str, ...] = tuple(t.kind for t in _family().tables if t.core)

# the kinds every document of the family prints (the others are reported missing when absent)
EXPECTED_KINDS: tuple[str, ...] = tuple(t.kind for t in _family().tables if not t.optional)

TWO_SIDED: frozenset[str] = frozenset(t.kind for t in _family().tables if t.layout == "two-sided")


def kind_of(title: str) -> str | None:
    return _family().kind_of(title)
