"""The national 部门决算 (final accounts) template as data: ``lexicon/final_template.tsv``.

Which tables a 决算 prints (so a table the document lacks is answered "该文件没有公开…表", never 0), the
columns each is stored with, and the arithmetic its figures obey (for ``check``). The file's format is
described in its header; a bad line is a :class:`~askbudget.errors.LexiconError` naming file and line.

    load(directory=None) -> FinalTemplate   cached per process and directory
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .errors import LexiconError
from .lexicon import read_tsv
from .resources import lexicon_dir

FILE = "final_template.tsv"
RECORDS = ("document", "unit", "table", "title", "columns", "rows", "sum", "balance", "section")
LAYOUTS = frozenset({"subjects", "two-sided", "one-row", "pairs"})


def squash(text: str) -> str:
    """A title compared with template words: no spaces, no quotation marks."""
    return re.sub(r"[\s“”\"'‘’]", "", text)


@dataclass(frozen=True)
class Equation:
    """``left`` (summed) equals ``right`` (summed): column names (``sum``) or row labels (``balance``)."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    side: str = ""  # a balance of one side (收入/支出) of a two-sided table

    def __str__(self) -> str:
        return (f"{self.side}:" if self.side else "") + " + ".join(self.left) + " = " + " + ".join(self.right)


@dataclass(frozen=True)
class FinalTable:
    kind: str
    title: str  # as the template prints it
    must: tuple[str, ...]
    must_not: tuple[str, ...]
    layout: str
    core: bool
    optional: bool
    columns: tuple[tuple[str, str], ...] = ()  # (side, column); side '' unless two-sided
    rows: tuple[str, ...] = ()  # a one-row table's rows
    sums: tuple[Equation, ...] = ()
    balances: tuple[Equation, ...] = ()

    def matches(self, title: str) -> bool:
        t = squash(title)
        return all(w in t for w in self.must) and not any(w in t for w in self.must_not)


@dataclass(frozen=True)
class FinalTemplate:
    tables: tuple[FinalTable, ...]
    sections: tuple[tuple[str, str], ...] = field(default=())  # (name, heading words)

    def spec(self, kind: str) -> FinalTable | None:
        return next((t for t in self.tables if t.kind == kind), None)

    def kind_of(self, title: str) -> str | None:
        return next((t.kind for t in self.tables if t.matches(title)), None)

    @property
    def expected(self) -> tuple[FinalTable, ...]:
        """The tables every 决算 prints (a document without one is missing it)."""
        return tuple(t for t in self.tables if not t.optional)


def _side_name(path: str, line: int, text: str) -> tuple[str, str]:
    side, _, name = text.rpartition(":")
    if side not in ("", "收入", "支出"):
        raise LexiconError(path, line, f"{text!r}: a side is 收入 or 支出")
    return side, name


def _equation(path: str, line: int, text: str, balance: bool) -> Equation:
    left, eq, right = text.partition("=")
    parts_l = [p.strip() for p in left.split("+")]
    parts_r = [p.strip() for p in right.split("+")]
    if not eq or not all(parts_l) or not all(parts_r) or len(parts_l) + len(parts_r) < 3:
        raise LexiconError(path, line, f"{text!r}: expected `合计 = 甲 + 乙` (or `甲 + 乙 = 丙 + 丁`)")
    side = ""
    if balance:
        side, parts_l[0] = _side_name(path, line, parts_l[0])
    return Equation(tuple(parts_l), tuple(parts_r), side)


@functools.lru_cache(maxsize=4)
def load(directory: str | None = None) -> FinalTemplate:
    """The template, validated (see the file's header for the records)."""
    base = directory if directory is not None else str(lexicon_dir())
    path = f"{base}/{FILE}"
    specs: dict[str, dict] = {}
    pending: list[tuple[int, dict[str, str]]] = []
    sections: list[tuple[str, str]] = []
    have_document = False
    for line, row in read_tsv(FILE, ("record", "kind", "words", "value"), optional=("value",), directory=directory):
        rec, kind, words = row["record"], row["kind"], row["words"]
        if rec not in RECORDS:
            raise LexiconError(path, line, f"record {rec!r} is not one of {', '.join(RECORDS)}")
        if rec == "document":
            if kind != "决算":
                raise LexiconError(path, line, "the document record of the 决算 template names 决算")
            have_document = True
        elif rec == "section":
            sections.append((kind, words))
        elif rec == "table":
            opts = (row.get("value") or "").split()
            if not opts or opts[0] not in LAYOUTS:
                raise LexiconError(path, line, f"layout {row.get('value')!r}: expected one of {', '.join(sorted(LAYOUTS))}")
            bad = [o for o in opts[1:] if o not in ("core", "optional")]
            if bad:
                raise LexiconError(path, line, f"unknown option {bad[0]!r} (core, optional)")
            if kind in specs:
                raise LexiconError(path, line, f"table kind {kind!r} listed twice")
            from .store import TABLE_KINDS

            if kind not in TABLE_KINDS:
                raise LexiconError(path, line, f"table kind {kind!r} is not a store table kind")
            parts = words.split()
            must = tuple(p for p in parts if not p.startswith("!"))
            specs[kind] = {"kind": kind, "title": "".join(must), "must": must,
                           "must_not": tuple(p[1:] for p in parts if p.startswith("!")), "layout": opts[0],
                           "core": "core" in opts, "optional": "optional" in opts}
        elif rec != "unit":
            pending.append((line, row))
    if not have_document:
        raise LexiconError(path, None, "no `document` record")
    for line, row in pending:
        rec, kind, text = row["record"], row["kind"], row["words"]
        s = specs.get(kind)
        if s is None:
            raise LexiconError(path, line, f"{rec} for table kind {kind!r}, which no table record names")
        if rec == "title":
            s["title"] = text
        elif rec == "columns":
            s["columns"] = tuple(_side_name(path, line, w) for w in text.split())
        elif rec == "rows":
            s["rows"] = tuple(text.split())
        elif rec == "sum":
            eq = _equation(path, line, text, balance=False)
            names = {c for _, c in s.get("columns", ())}
            unknown = [w for w in eq.left + eq.right if w not in names]
            if unknown:
                raise LexiconError(path, line, f"sum for {kind}: {unknown[0]!r} is not one of its columns "
                                               "(give the columns record first)")
            s["sums"] = s.get("sums", ()) + (eq,)
        else:
            s["balances"] = s.get("balances", ()) + (_equation(path, line, text, balance=True),)
    return FinalTemplate(tuple(FinalTable(**s) for s in specs.values()), tuple(sections))
