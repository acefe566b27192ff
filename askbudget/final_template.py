"""The national 部门决算 (final accounts) template, as the answers and ``check`` see it.

One source: the template family ``lexicon/templates/national-final.tsv``, read by the one loader of
template families (``askbudget/ingest/templates.py``) that the page-text reader uses too. This module
only presents it the way the answer side asks: which tables a 决算 prints (a table the document lacks
is "该文件没有公开…表", never 0; the titles are table words), the columns each is stored with, and the
arithmetic its figures obey (``sum`` across a row's columns, ``balance`` of rows within a column —
the 三公 table's cell sums ``合计/决算数 = 因公出国（境）费/决算数 + …`` are read as the balance of its rows).

    load(directory=None) -> FinalTemplate   cached per process and directory
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .ingest.templates import DIR, Family, TableSpec, Words, load_family, squash
from .resources import lexicon_dir

FAMILY = "national-final"
FILE = f"{FAMILY}.tsv"  # in lexicon/templates/

__all__ = ["Equation", "FinalTable", "FinalTemplate", "FILE", "load", "squash"]


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
    columns: tuple[tuple[str, str], ...] = ()  # (side, stored column); side '' unless two-sided
    rows: tuple[str, ...] = ()  # a one-row table's rows, in print order
    sums: tuple[Equation, ...] = ()
    balances: tuple[Equation, ...] = ()

    def matches(self, title: str) -> bool:
        """The title's words as the page reader matches them (``甲|乙``, the short form of a title)."""
        return Words(self.must, self.must_not).match(title)


@dataclass(frozen=True)
class FinalTemplate:
    tables: tuple[FinalTable, ...]

    def spec(self, kind: str) -> FinalTable | None:
        return next((t for t in self.tables if t.kind == kind), None)

    def kind_of(self, title: str) -> str | None:
        return next((t.kind for t in self.tables if t.matches(title)), None)

    @property
    def expected(self) -> tuple[FinalTable, ...]:
        """The tables every 决算 prints (a document without one is missing it)."""
        return tuple(t for t in self.tables if not t.optional)


def _table(s: TableSpec) -> FinalTable:
    sums = tuple(Equation(left, right) for left, right in s.sums)
    balances = tuple(Equation((b.total,), b.parts, b.side) for b in s.balances)
    columns = tuple((c.side, c.name) for c in s.columns)
    rows: tuple[str, ...] = ()
    if s.layout == "one-row":
        # stored as rows × columns (三公: 合计, 因公出国（境）费 … × 预算数, 决算数); its cell sums are the
        # balance of its rows, the same in every column
        cells = [c.row_and_column for c in s.columns]
        rows = tuple(dict.fromkeys(r for r, _ in cells))
        columns = tuple(("", c) for c in dict.fromkeys(c for _, c in cells))
        row_eqs = []
        for eq in sums:
            left = tuple(w.partition("/")[0] for w in eq.left)
            right = tuple(w.partition("/")[0] for w in eq.right)
            if Equation(left, right) not in row_eqs:
                row_eqs.append(Equation(left, right))
        sums, balances = (), balances + tuple(row_eqs)
    return FinalTable(s.kind, s.title or s.kind, s.words.must, s.words.must_not, s.layout, s.core, s.optional,
                      columns, rows, sums, balances)


@functools.lru_cache(maxsize=4)
def load(directory: str | None = None) -> FinalTemplate:
    """The template, validated by the family loader (``directory``: where ``national-final.tsv`` is;
    default ``lexicon/templates/``). A bad line is a LexiconError naming the file and line."""
    from .store import TABLE_KINDS

    base = Path(directory) if directory is not None else lexicon_dir() / DIR
    fam: Family = load_family(base / FILE, TABLE_KINDS)
    return FinalTemplate(tuple(_table(s) for s in fam.tables))
