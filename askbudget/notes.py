"""What a table's note says of the table: ``says_empty(note, title)`` — the document itself says THIS
table is empty (``此表为空表``, ``空表列示``, ``本表无数据``, ``本单位无政府性基金预算拨款安排的支出`` under the
政府性基金 table) — and ``names_table(text, title)``: a phrase names the table's own fund or subject.

One rule for the ingest (a sentence inside a table is its note), for the arithmetic (an empty table's
figures are 0) and for the answers: a table read with no rows is answered 0 only when its note says
so; a table read with no rows and no such note was not read, and is never 0. A note that negates
something else (``“三公”经费均为一般公共预算拨款安排，本部门无政府性基金预算安排的“三公”经费`` under the
一般公共预算 三公 table) says nothing of this table.
"""
from __future__ import annotations

from . import lazyre

# the note says so of the table itself (本表为空表, 空表列示, 此表无数据, 本表无…) — unless it names another
# table by its number (表4-1为空表)
SELF_EMPTY_RE = lazyre.compile(r"空表|无数据|本表无|此表无")
OTHER_TABLE_RE = lazyre.compile(r"表\s*\d+(?:\s*[-－—]\s*\d+)?\s*(?:、|和|及|为|是|无)")
# 本部门/本单位 … 无/没有 <what>: what the unit has none of, up to the end of its clause
NEGATED_RE = lazyre.compile(r"(?:本部门|本单位)[^，。；;,]{0,12}?(?:无|没有)([^，。；;,]*)")
# the funds a table may be of, each with the words it is printed as (政府基金预算财政拨款支出表); a table whose
# title names none is of the first (一般公共预算)
FUNDS = {"一般公共预算": ("一般公共预算",), "政府性基金": ("政府性基金", "政府基金"), "国有资本经营": ("国有资本",)}
SUBJECTS = ("三公",)  # a subject a table is about, whatever its fund
CLAUSE_RE = lazyre.compile(r"[。；;]")


def _funds_in(text: str) -> set[str]:
    return {f for f, words in FUNDS.items() if any(w in text for w in words)}


def own_words(title: str | None) -> tuple[str, str | None]:
    """A table's fund (the one its title names, else 一般公共预算) and its subject (三公), if any."""
    t = title or ""
    fund = next(iter(sorted(_funds_in(t), key=list(FUNDS).index)), "一般公共预算")
    return fund, next((s for s in SUBJECTS if s in t), None)


def names_table(text: str, title: str | None) -> bool:
    """``text`` names this table's own subject (三公: a table about a subject is named by it, never by its
    fund alone), else its own fund — and no other fund."""
    fund, subject = own_words(title)
    named = _funds_in(text)
    if named - {fund}:
        return False
    return subject in text if subject is not None else fund in named


def says_empty(note: str | None, title: str | None = None) -> bool:
    """The note says this table is empty: 空表 / 无数据 / 本表无 (not of another table by its number),
    or the unit has none of this table's own fund or subject (本单位无国有资本经营预算拨款安排的支出)."""
    if not note:
        return False
    for clause in CLAUSE_RE.split(note):
        if SELF_EMPTY_RE.search(clause) and not OTHER_TABLE_RE.search(clause):
            return True
        if any(names_table(m.group(1), title) for m in NEGATED_RE.finditer(clause)):
            return True
    return False
