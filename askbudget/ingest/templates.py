"""Template families as data: which table titles a region's disclosures print, what each table's
columns are, and the arithmetic its figures obey (``lexicon/templates/<family>.tsv``).

Why data: each province lays its tables out its own way; adding a region's titles and column words
must need no code change (STYLE.md rule 16). A family file has the columns ``record kind words value``:

    document  预算|决算  title-page words (all must occur; ``!w`` must not)
    unit      -          labels of the line that names the unit (``预算主管部门 编制部门``)
    table     KIND       title words (all must occur; ``!w`` must not)   layout [core] [optional] [headers=N]
    columns   KIND       the figure columns in order: ``name``, ``side:name`` (two-sided) or
                         ``printed=stored`` (a one-row table: the header word and the row it becomes)
    sum       KIND       ``合计 = 基本支出 + 项目支出`` (or ``甲 + 乙 = 丙 + 丁``): one row's arithmetic
    balance   KIND       ``[side:]总计 = 本年收入合计 + 年初结转和结余``: within each column, a row that is
                         the sum of other rows (named by label)
    same      KIND       ``行/列 = 行/列`` or ``行/列 = 其他表:行/列``: one figure printed twice; ``*`` as the
                         row: every 类 row of this table whose label the other table also prints (by
                         label: the other table's 类 row); ``叙述:标题/主题`` as the other: the figure the
                         narrative section headed ``标题`` states for ``主题``
    header    -          words a table header prints besides its columns (科目编码 功能分类 …): a line
                         made of these (and column words) is a header line, never a wrapped row name

Layouts: ``subjects`` (coded rows and figure columns), ``two-sided`` (收入 and 支出 side by side),
``pairs`` (two code/name/figure columns side by side, stored as one list of rows), ``one-row`` (a
single row of figures read by its header; a column ``行/列`` is stored at that row and column),
``indicators`` (绩效目标), ``procurement``, ``org``. ``core``: a table the standard template always
prints (a heading without rows is reported); ``optional``: not counted missing when absent;
``title=…``: the title the template prints (named when a document lacks the table). Table records
are tried in file order: the first whose words match a title names its kind.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import LexiconError
from ..lexicon import read_tsv
from ..resources import lexicon_dir

DIR = "templates"
LAYOUTS = frozenset({"subjects", "two-sided", "pairs", "one-row", "indicators", "procurement", "org"})
DOC_KINDS = frozenset({"预算", "决算"})
RECORDS = ("document", "unit", "header", "table", "columns", "sum", "balance", "same")
NARRATIVE = "叙述"  # ``same`` against a figure the narrative states


@dataclass(frozen=True)
class Words:
    """Words that must all occur and words that must not."""
    must: tuple[str, ...]
    must_not: tuple[str, ...]

    def match(self, text: str) -> bool:
        t = squash(text)
        return all(w in t for w in self.must) and not any(w in t for w in self.must_not)

    def __str__(self) -> str:
        return " ".join(self.must + tuple("!" + w for w in self.must_not))


@dataclass(frozen=True)
class Column:
    name: str       # the stored column name (or, in a one-row table, the row label, or ``行/列``)
    printed: str    # the header word as the document prints it
    side: str = ""  # 收入 / 支出 in a two-sided table

    @property
    def row_and_column(self) -> tuple[str, str]:
        """A one-row table's cell: (row, column); a plain name is the row of the 预算数 column."""
        row, _, col = self.name.partition("/")
        return row, col or "预算数"


@dataclass(frozen=True)
class Balance:
    """Within each column of ``side`` (every side when ''), row ``total`` = Σ rows ``parts``."""
    side: str
    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Same:
    """``row/column`` of this table equals ``row/column`` of ``other`` (this table when '')."""
    row: str
    column: str
    other: str
    other_row: str
    other_column: str


@dataclass(frozen=True)
class TableSpec:
    kind: str
    words: Words
    layout: str
    core: bool = False
    optional: bool = False
    header_rows: int | None = None
    columns: tuple[Column, ...] = ()
    sums: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()  # (left, right): Σ left = Σ right
    same: tuple[Same, ...] = ()
    balances: tuple[Balance, ...] = ()
    title: str = ""  # the title the template prints (for a missing table); '' → the kind


@dataclass(frozen=True)
class Family:
    name: str
    doc_kind: str
    doc_words: Words
    unit_labels: tuple[str, ...]
    tables: tuple[TableSpec, ...]
    header_words: tuple[str, ...] = ()

    def kind_of(self, title: str) -> str | None:
        spec = self.spec_of(title)
        return spec.kind if spec is not None else None

    def spec_of(self, title: str) -> TableSpec | None:
        for t in self.tables:
            if t.words.match(title):
                return t
        return None

    def spec(self, kind: str) -> TableSpec | None:
        return next((t for t in self.tables if t.kind == kind), None)


def squash(text: str) -> str:
    """A title compared with template words: no spaces, no quotation marks."""
    return re.sub(r"[\s“”\"'‘’]", "", text)


def _words(text: str) -> Words:
    parts = text.split()
    return Words(tuple(p for p in parts if not p.startswith("!")), tuple(p[1:] for p in parts if p.startswith("!")))


def _sum(path: str, line: int, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    m = re.fullmatch(r"\s*(\S+(?:\s*\+\s*\S+)*)\s*=\s*(\S+(?:\s*\+\s*\S+)*)\s*", text)
    if not m or "+" not in text:
        raise LexiconError(path, line, f"sum {text!r}: expected `合计 = 甲 + 乙` or `甲 + 乙 = 丙 + 丁`")
    return tuple(p.strip() for p in m.group(1).split("+")), tuple(p.strip() for p in m.group(2).split("+"))


def _balance(path: str, line: int, text: str) -> Balance:
    m = re.fullmatch(r"\s*(?:(收入|支出):)?(\S+)\s*=\s*(\S+(?:\s*\+\s*\S+)+)\s*", text)
    if not m:
        raise LexiconError(path, line, f"balance {text!r}: expected `[收入:|支出:]总计 = 甲 + 乙`")
    return Balance(m.group(1) or "", m.group(2), tuple(p.strip() for p in m.group(3).split("+")))


def _same(path: str, line: int, text: str) -> Same:
    m = re.fullmatch(r"\s*([^/=\s]+)/([^/=\s]+)\s*=\s*(?:([^:/=\s]+):)?([^/=\s]+)/([^/=\s]+)\s*", text)
    if not m:
        raise LexiconError(path, line, f"same {text!r}: expected `行/列 = 行/列` or `行/列 = 表:行/列`")
    return Same(m.group(1), m.group(2), m.group(3) or "", m.group(4), m.group(5))


def load_family(path: Path, known_kinds: frozenset[str] | None = None) -> Family:
    """One family file, validated; a bad line is a LexiconError naming file and line."""
    name = path.stem
    p = str(path)
    doc_kind, doc_words, unit_labels, header_words = "", Words((), ()), (), ()
    specs: dict[str, dict] = {}
    order: list[str] = []
    pending: list[tuple[int, dict[str, str]]] = []
    for line, row in read_tsv(path.name, ("record", "kind", "words", "value"), optional=("value",),
                              directory=path.parent):
        rec, kind = row["record"], row["kind"]
        if rec not in RECORDS:
            raise LexiconError(p, line, f"record {rec!r} is not one of {', '.join(RECORDS)}")
        if rec == "document":
            if kind not in DOC_KINDS:
                raise LexiconError(p, line, f"document kind {kind!r} is not 预算 or 决算")
            doc_kind, doc_words = kind, _words(row["words"])
        elif rec == "unit":
            unit_labels = tuple(row["words"].split())
        elif rec == "header":
            header_words = header_words + tuple(row["words"].split())
        elif rec == "table":
            if known_kinds is not None and kind not in known_kinds:
                raise LexiconError(p, line, f"table kind {kind!r} is not a store table kind")
            opts = row["value"].split()
            if not opts or opts[0] not in LAYOUTS:
                raise LexiconError(p, line, f"layout {row['value']!r}: expected one of {', '.join(sorted(LAYOUTS))}")
            if kind in specs:
                raise LexiconError(p, line, f"table kind {kind!r} listed twice")
            header_rows = None
            title = ""
            for o in opts[1:]:
                if o.startswith("title="):
                    title = o.split("=", 1)[1]
                elif o.startswith("headers="):
                    try:
                        header_rows = int(o.split("=", 1)[1])
                    except ValueError:
                        raise LexiconError(p, line, f"option {o!r}: headers=N needs a number") from None
                elif o not in ("core", "optional"):
                    raise LexiconError(p, line, f"unknown option {o!r} (core, optional, headers=N, title=…)")
            specs[kind] = {"kind": kind, "words": _words(row["words"]), "layout": opts[0], "core": "core" in opts,
                           "optional": "optional" in opts, "header_rows": header_rows,
                           "columns": (), "sums": (), "same": (), "balances": (), "title": title}
            order.append(kind)
        else:
            pending.append((line, row))
    for line, row in pending:
        kind, rec, text = row["kind"], row["record"], row["words"]
        if kind not in specs:
            raise LexiconError(p, line, f"{rec} for table kind {kind!r}, which no table record of this file names")
        s = specs[kind]
        if rec == "columns":
            cols = []
            for w in text.split():
                side, _, rest = w.rpartition(":")
                printed, _, stored = rest.partition("=")
                cols.append(Column(stored or printed, printed, side))
            s["columns"] = tuple(cols)
        elif rec == "sum":
            eq = _sum(p, line, text)
            names = {c.printed for c in s["columns"]} | {c.name for c in s["columns"]}
            bad = [w for w in (*eq[0], *eq[1]) if s["columns"] and w not in names]
            if bad:
                raise LexiconError(p, line, f"sum for {kind}: {bad[0]!r} is not one of its columns")
            s["sums"] = s["sums"] + (eq,)
        elif rec == "balance":
            s["balances"] = s["balances"] + (_balance(p, line, text),)
        else:
            s["same"] = s["same"] + (_same(p, line, text),)
    if not doc_kind:
        raise LexiconError(p, None, "no `document` record (预算 or 决算 and the title-page words)")
    for s in specs.values():
        names = {c.printed for c in s["columns"]} | {c.name for c in s["columns"]}
        for left, right in s["sums"]:
            for w in (*left, *right):
                if s["columns"] and w not in names:
                    raise LexiconError(p, None, f"sum for {s['kind']}: {w!r} is not one of its columns")
    return Family(name, doc_kind, doc_words, unit_labels, tuple(TableSpec(**specs[k]) for k in order), header_words)


@functools.lru_cache(maxsize=8)
def families(directory: str | None = None) -> tuple[Family, ...]:
    """Every family in ``lexicon/templates/`` (or ``directory``), in file-name order; cached."""
    from ..store import TABLE_KINDS

    base = Path(directory) if directory is not None else lexicon_dir() / DIR
    files = sorted(base.glob("*.tsv"))
    if not files:
        raise LexiconError(str(base), None, "no template family files (*.tsv)")
    return tuple(load_family(f, TABLE_KINDS) for f in files)


def family(name: str, directory: str | None = None) -> Family:
    for f in families(directory):
        if f.name == name:
            return f
    raise LexiconError(str(Path(directory or lexicon_dir() / DIR) / f"{name}.tsv"), None, "no such template family")
