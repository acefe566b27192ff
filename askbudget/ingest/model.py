"""The values a parsed disclosure is made of: frozen dataclasses, one per store table.

Parsing is a pure function from text to a :class:`Document`; only ``write.py`` touches SQLite.
Keeping the two apart is what makes a multi-file ingest atomic: every file is parsed (and may
fail) before the store is opened for writing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..check import Mismatch


@dataclass(frozen=True)
class Cell:
    col: int
    column: str
    column_group: str
    raw: str
    value: float | None
    line: int
    uncertain: int = 0  # 1: the text lost an empty cell and this figure's column could not be proven


@dataclass(frozen=True)
class Row:
    seq: int
    row_no: str
    side: str
    code: str | None
    name: str
    label: str
    group_name: str
    classification: str | None
    level: int | None
    parent_code: str | None
    is_total: int
    line: int
    cells: tuple[Cell, ...]
    page: int | None = None


@dataclass(frozen=True)
class Indicator:
    seq: int
    project: str
    level1: str
    level2: str
    level3: str
    description: str
    value_raw: str
    comparator: str | None
    number: float | None
    unit: str | None
    basis: str
    line: int


@dataclass(frozen=True)
class Table:
    kind: str
    title: str
    columns: tuple[str, ...]
    note: str
    project: str
    goal: str
    line_start: int
    line_end: int
    rows: tuple[Row, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    page_start: int | None = None
    page_end: int | None = None
    header: str = ""  # page text: the header words as printed (for --explain)


@dataclass(frozen=True)
class Section:
    seq: int
    level: int
    heading: str
    path: str
    text: str
    line: int
    page: int | None = None


@dataclass(frozen=True)
class Statement:
    section_seq: int
    subject: str
    value: float | None
    unit: str
    year: int | None
    change_dir: str | None
    change: float | None
    change_pct: float | None
    base_year: int | None
    base_value: float | None
    sentence: str
    line: int
    basis: str = ""  # what the change is against: '' (the year before), 上年决算, 年初预算 (a 决算)
    completion_pct: float | None = None  # a 决算's "完成年初预算的 N%", as stated
    reason: str = ""  # a 决算's stated reason for the difference ("主要原因：…")


@dataclass(frozen=True)
class Fact:
    key: str
    value: str
    section: str
    line: int


@dataclass(frozen=True)
class Term:
    seq: int
    term: str
    definition: str
    line: int


@dataclass(frozen=True)
class ParseWarning:
    line: int
    message: str


@dataclass(frozen=True)
class Document:
    name: str
    source_path: str
    sha256: str
    unit_code: str
    unit_name: str
    year: int
    money_unit: str
    n_lines: int
    tables: tuple[Table, ...]
    sections: tuple[Section, ...]
    statements: tuple[Statement, ...]
    facts: tuple[Fact, ...]
    glossary: tuple[Term, ...]
    warnings: tuple[ParseWarning, ...] = field(default=())
    kind: str = "预算"  # 预算 or 决算
    family: str = ""  # the template family matched (lexicon/templates/<family>.tsv)
    n_pages: int | None = None  # page text: pages in the source (None: the source has no pages)
    missing: tuple[str, ...] = ()  # table kinds the family prints that this document lacks
    missing_titles: tuple[str, ...] = ()  # their titles as the template prints them (same order)
    # page text: the identities its figures break where they were placed (check's 存疑, document_id 0)
    faults: tuple[Mismatch, ...] = ()

    @property
    def n_cells(self) -> int:
        return sum(len(r.cells) for t in self.tables for r in t.rows)

    @property
    def n_figures(self) -> int:
        """Cells holding a figure (read from the text)."""
        return sum(1 for t in self.tables for r in t.rows for c in r.cells if c.raw)

    @property
    def n_uncertain(self) -> int:
        return sum(c.uncertain for t in self.tables for r in t.rows for c in r.cells)
