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
    same      KIND       ``行/列 = 行/列`` or ``行/列 = 其他表:行/列``: one figure printed twice (``≤``: a part
                         printed beside its whole, never more than it); ``*`` as the
                         row: every coded row of this table with the other's row of the same code, every
                         row without a code with the other's 类 row of its label (the other table printed
                         empty with a note: 0); ``甲|乙`` as a row: the row named either way;
                         ``叙述:标题/主题`` as the other: the figure the narrative section headed ``标题``
                         states for ``主题``
    header    -          words a table header prints besides its columns (科目编码 功能分类 …): a line
                         made of these (and column words) is a header line, never a wrapped row name
    index     -          words of a column or row that numbers the rows (行次 栏次 序号): a table whose
                         header prints one has a row number on every row, which is never a figure

Words: ``甲|乙`` occurs when either does. A column ``printed=stored?`` (``?``: optional) is one only
when the header prints it: a table with optional columns has the columns its header prints, in the
record's order (or the header line's, when one line prints them all).

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
RECORDS = ("document", "unit", "header", "index", "table", "columns", "sum", "balance", "same")
NARRATIVE = "叙述"  # ``same`` against a figure the narrative states


@dataclass(frozen=True)
class Words:
    """Words that must all occur and words that must not."""
    must: tuple[str, ...]
    must_not: tuple[str, ...]

    def match(self, text: str) -> bool:
        """All the words occur, none of the ``!`` words — in the title as printed or in its short form
        (``收支预算总表`` is ``收支总表``, ``支出预算表`` is ``支出表``)."""
        t = squash(text)
        return any(all(_occurs(w, x) for w in self.must) and not any(_occurs(w, x) for w in self.must_not)
                   for x in dict.fromkeys((t, short_title(t))))

    def __str__(self) -> str:
        return " ".join(self.must + tuple("!" + w for w in self.must_not))


def _occurs(word: str, text: str) -> bool:
    """``word`` occurs in ``text``; ``甲|乙`` occurs when either does."""
    return any(w in text for w in word.split("|"))


@dataclass(frozen=True)
class Column:
    name: str       # the stored column name (or, in a one-row table, the row label, or ``行/列``)
    printed: str    # the header word as the document prints it (``甲|乙``: either)
    side: str = ""  # 收入 / 支出 in a two-sided table
    optional: bool = False  # ``name?``: a column only when the table's header prints it

    @property
    def words(self) -> tuple[str, ...]:
        """The header words that print this column."""
        return tuple(w for w in self.printed.split("|") if w)

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
    op: str = "="  # ``≤``: this figure is a part of the other (the 财政拨款 part of all funds)


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

    @property
    def by_header(self) -> bool:
        """The columns are those the header prints (some are ``optional``)."""
        return any(c.optional for c in self.columns)

    def with_columns(self, columns: tuple[Column, ...]) -> "TableSpec":
        """This table as a document prints it: the columns its header names (sums over absent columns
        use the columns present: a part not printed holds nothing, a sum whose total is not printed
        goes; a part that is itself the total of another sum stands for that sum's parts)."""
        names = {c.name for c in columns} | {c.printed for c in columns}
        by_total = {left[0]: right for left, right in self.sums if len(left) == 1}

        def expand(parts: tuple[str, ...], depth: int = 0) -> tuple[str, ...] | None:
            out: list[str] = []
            for p in parts:
                if p in names:
                    out.append(p)
                elif p in by_total and depth < 3:
                    sub = expand(by_total[p], depth + 1)
                    if sub is None:
                        return None
                    out += sub
                elif self._column(p) is None:
                    return None  # not a column word at all: keep the record's meaning, drop it
            return tuple(out)
        sums = []
        for left, right in self.sums:
            lx, rx = expand(left), expand(right)
            if lx and rx and lx != rx:
                sums.append((lx, rx))
        return TableSpec(self.kind, self.words, self.layout, self.core, self.optional, self.header_rows,
                         columns, tuple(sums), self.same, self.balances, self.title)

    def _column(self, word: str) -> Column | None:
        return next((c for c in self.columns if word in (c.name, c.printed) or word in c.words), None)


@dataclass(frozen=True)
class Family:
    name: str
    doc_kind: str
    doc_words: Words
    unit_labels: tuple[str, ...]
    tables: tuple[TableSpec, ...]
    header_words: tuple[str, ...] = ()
    index_words: tuple[str, ...] = ()  # columns/rows that number the rows (行次 栏次 序号): never figures

    def kind_of(self, title: str) -> str | None:
        spec = self.spec_of(title)
        return spec.kind if spec is not None else None

    def spec_of(self, title: str) -> TableSpec | None:
        # the titles of a family repeat from document to document: each matched once per process
        seen: dict[str, TableSpec | None] = self.__dict__.setdefault("_seen", {})
        if title in seen:
            return seen[title]
        spec = next((t for t in self.tables if t.words.match(title)), None)
        if len(seen) >= _SEEN_MAX:
            seen.clear()
        seen[title] = spec
        return spec

    def spec(self, kind: str) -> TableSpec | None:
        return next((t for t in self.tables if t.kind == kind), None)


_SEEN_MAX = 4096  # titles remembered per family (a flood of made-up titles only costs a new start)


def short_title(title: str) -> str:
    """A squashed title without the words a title may add or leave out: ``预算`` before ``表``/``总表``."""
    return re.sub(r"预算(总?表)", r"\1", title)


def squash(text: str) -> str:
    """A title compared with template words: no spaces, no quotation marks."""
    return re.sub(r"[\s“”\"'‘’]", "", text)


def _words(text: str) -> Words:
    parts = text.split()
    return Words(tuple(p for p in parts if not p.startswith("!")), tuple(p[1:] for p in parts if p.startswith("!")))


def _column_words(columns: tuple[Column, ...]) -> set[str]:
    """Every name a sum may give a column by: as printed, as stored, or one of its alternatives (甲|乙=丙)."""
    return {c.printed for c in columns} | {c.name for c in columns} | {w for c in columns for w in c.words}


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
    m = re.fullmatch(r"\s*([^/=≤\s]+)/([^/=≤\s]+)\s*(=|≤)\s*(?:([^:/=≤\s]+):)?([^/=≤\s]+)/([^/=≤\s]+)\s*", text)
    if not m:
        raise LexiconError(path, line, f"same {text!r}: expected `行/列 = 行/列`, `行/列 = 表:行/列` or `行/列 ≤ 表:行/列`")
    if m.group(3) == "≤" and m.group(4) == NARRATIVE:
        raise LexiconError(path, line, f"same {text!r}: a narrative figure is compared with `=` only")
    return Same(m.group(1), m.group(2), m.group(4) or "", m.group(5), m.group(6), m.group(3))


def load_family(path: Path, known_kinds: frozenset[str] | None = None) -> Family:
    """One family file, validated; a bad line is a LexiconError naming file and line."""
    name = path.stem
    p = str(path)
    doc_kind, doc_words, unit_labels, header_words, index_words = "", Words((), ()), (), (), ()
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
        elif rec == "index":
            index_words = index_words + tuple(row["words"].split())
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
                optional = rest.endswith("?")
                printed, _, stored = rest.rstrip("?").partition("=")
                if not stored and "|" in printed:
                    raise LexiconError(p, line, f"column {w!r}: alternatives (甲|乙) need the stored name (甲|乙=丙)")
                cols.append(Column(stored or printed, printed, side, optional))
            s["columns"] = tuple(cols)
        elif rec == "sum":
            eq = _sum(p, line, text)
            bad = [w for w in (*eq[0], *eq[1]) if s["columns"] and w not in _column_words(s["columns"])]
            if bad:
                raise LexiconError(p, line, f"sum for {kind}: {bad[0]!r} is not one of its columns")
            s["sums"] = s["sums"] + (eq,)
        elif rec == "balance":
            s["balances"] = s["balances"] + (_balance(p, line, text),)
        else:
            s["same"] = s["same"] + (_same(p, line, text),)
    if not doc_kind:
        raise LexiconError(p, None, "no `document` record (预算 or 决算 and the title-page words)")
    for s in specs.values():  # a sum written before its table's columns is checked once they are known
        for left, right in s["sums"]:
            for w in (*left, *right):
                if s["columns"] and w not in _column_words(s["columns"]):
                    raise LexiconError(p, None, f"sum for {s['kind']}: {w!r} is not one of its columns")
    return Family(name, doc_kind, doc_words, unit_labels, tuple(TableSpec(**specs[k]) for k in order), header_words,
                  index_words)


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
