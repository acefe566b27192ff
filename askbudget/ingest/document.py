"""One disclosure file → a :class:`Document` (pure: no database, no clock).

Two formats: page text (pages split by a form feed, ``pages.py``) and the ``#``-heading text
conversion of the Tangshan template, read here. A PDF is read into page text first (``pdf.py``) and
handed to the reader of its format (``parse_pdf``).

Headings split the file into regions. A heading whose title names a table kind (``kinds.py``) and
whose region holds tab rows is a table; every other heading is narrative. Each table family has its
own module; the narrative, facts, glossary and statements come from ``narrative``/``statements``.

Errors are :class:`IngestError` (file, line, reason): empty, binary, not UTF-8 (GBK is named), too
large, not a disclosure (no 预算年度 line, no unit header, no known table), and truncated by these
rules: a template table heading with no table under it; a table with column headers but no rows and
no 注 note; a two-sided summary table without its 总计 row on both sides; a 绩效目标表 with no
indicator rows; a file whose last line is a table row with no final newline (cut mid-table).

The document's unit code and year are those most tables' header blocks print; a table whose block
names another unit or year is left out with a warning (a mis-assembled conversion must not lend its
figures to this document). Every money cell is stored in 万元: a table printed in 元/亿元 (its 单位
line, its heading, a column's note, a figure's own suffix) is converted, raw kept, with a warning
naming the line; an unknown …元 unit is an error at its line (docs/schema.md, ``units.py``).
"""
from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Callable

from .. import settings
from ..errors import IngestError
from .kinds import EXPECTED_KINDS, HEADER_ROWS, TEMPLATE_KINDS, TEXT_FAMILY, TWO_SIDED, kind_of
from .layout import UNIT_SUFFIX_RE, clean_column, leaves as leaves_of
from .model import Document, Fact, ParseWarning, Table
from .narrative import read_narrative
from .org import org_facts
from .pdf import is_pdf
from .performance import build_indicators, project_of
from .procurement import build_procurement_rows
from .reader import COUNTED_RE, MONEY_UNIT_IN_LINE_RE, YEAR_RE, Heading, Region, decode, header_text, heading_of, read_region
from .statements import extract
from .subjects import TEXT_COLUMNS, build_subject_rows
from .units import NON_MONEY_COLUMN_RE, STORE_UNIT, factor, is_money_word, suffix_unit
from .summary import build_two_sided_rows, sides_of


def parse_file(path: str | Path, progress: Callable[[int, int], None] | None = None) -> Document:
    """One file → a Document. A PDF (by its ``%PDF-`` signature, not its name) is read into page
    text first (``pdf.py``; ``progress(page, pages)`` per page)."""
    p = Path(path)
    file = str(path)
    data = _read_limited(p, file, int(settings.MAX_DOCUMENT_BYTES))
    if is_pdf(data):
        doc = parse_pdf(data, file, name=p.stem, source_path=str(p.resolve()), progress=progress)
    else:
        doc = parse_bytes(data, file, name=p.stem, source_path=str(p.resolve()))
    return with_figures(doc, file)


def with_figures(doc: Document, file: str) -> Document:
    """A disclosure prints figures: one whose tables hold none at all (the national 决算
    template as published, "上海市XX局", every table and heading but no figure) is refused — stored, it
    would be a unit whose every figure answers 0."""
    if doc.tables and not any(c.value is not None for t in doc.tables for r in t.rows for c in r.cells):
        tables = len(doc.tables)
        raise IngestError(file, None, f"no figures: its {tables} table{'s' if tables != 1 else ''} print no amount "
                                      "(a blank template?); nothing was written")
    return doc


def parse_pdf(data: bytes, file: str, name: str | None = None, source_path: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> Document:
    """A PDF read into page text (``pdf.py``), then parsed by the reader of its format: the text
    template's (its tables print a 预算年度 header line) here, with every table, row and section given
    the page its line is on; any other by the page-text reader (``pages.py``, templates as data), which
    finds headings itself, so the reader's ``#`` marks are taken off. The Document's sha256 is the
    PDF's. An error names the PDF's page; a PDF the readers cannot place says what was read."""
    from .pages import parse_pages
    from .pdf import page_of_line, read_pdf

    pdf = read_pdf(io.BytesIO(data), progress=progress, file=file)
    text = pdf.text
    name = name or Path(file).stem
    read = f"the PDF was read ({len(pdf.pages)} pages, {pdf.tables} ruled tables)"
    try:
        if any(YEAR_RE.match(line.lstrip("\f").strip()) for line in text.split("\n")):
            # a form feed starts a line: without it every line keeps its number
            doc = _with_pages(parse_bytes(text.replace("\f", "").encode("utf-8"), file, name, source_path), text)
        else:
            doc = parse_pages([HEADING_MARK_RE.sub("", page) for page in pdf.pages], file, name, source_path)
    except IngestError as e:
        if e.line:
            raise IngestError(file, e.line, f"(page {page_of_line(text, e.line)} of the PDF) {e.reason}") from None
        raise IngestError(file, None, f"{read}, but {e.reason}") from None
    # the form feed starts the first line of each next page
    starts = [1] + [i + 1 for i, line in enumerate(text.split("\n")) for _ in range(line.count("\f"))]
    warnings = tuple(ParseWarning(starts[n - 1], f"page {n} of the PDF is an image with no text layer "
                                                 "(scanned?): nothing on it was read") for n in pdf.image_pages)
    return replace(doc, sha256=hashlib.sha256(data).hexdigest(), warnings=doc.warnings + warnings)


HEADING_MARK_RE = re.compile(r"(?m)^#{1,6} ")


def _with_pages(doc: Document, text: str) -> Document:
    """Every table, row and section of ``doc`` (parsed from ``text`` without its form feeds) with the
    page its line is printed on."""
    page_of: list[int] = [0]  # page_of[line]
    page = 1
    for line in text.split("\n"):
        page += line.count("\f")
        page_of.append(page)

    def at(line: int) -> int:
        return page_of[min(max(line, 1), len(page_of) - 1)]

    tables = tuple(replace(t, page_start=at(t.line_start), page_end=at(t.line_end),
                           rows=tuple(replace(r, page=at(r.line)) for r in t.rows)) for t in doc.tables)
    sections = tuple(replace(sec, page=at(sec.line)) for sec in doc.sections)
    return replace(doc, tables=tables, sections=sections, n_pages=page)


CHUNK = 1 << 20
# a table title's list number is not part of its name: "1、办案及维稳经费绩效目标表" → "办案及维稳经费绩效目标表"
TITLE_ORDINAL_RE = re.compile(r"^(?:\d+\s*[、.．]|[一二三四五六七八九十]+\s*、|[（(][一二三四五六七八九十\d]+[)）])\s*")


def _read_limited(p: Path, file: str, limit: int) -> bytes:
    """Read at most ``limit`` bytes of a regular file: a huge file is refused by its size (or by the
    chunk that passes the limit), never read whole; a NUL byte in the first chunk means binary."""
    try:
        if p.is_dir():
            raise IngestError(file, None, "is a directory, not a document file")
        if p.exists() and not p.is_file():
            # a FIFO would block waiting for a writer, a device may never end: only regular files
            raise IngestError(file, None, "not a regular file (a pipe or a device): save the document to a file first")
        if p.is_file() and p.stat().st_size > limit:
            raise IngestError(file, None, f"file too large ({p.stat().st_size} bytes; the limit is {limit}, "
                                          "setting ASKBUDGET_MAX_DOCUMENT_BYTES)")
        parts: list[bytes] = []
        size = 0
        with open(p, "rb") as f:
            while True:
                chunk = f.read(CHUNK)
                if not chunk:
                    break
                if not parts and b"\x00" in chunk and not is_pdf(chunk):
                    return chunk  # decode() reports the NUL byte with its line
                parts.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise IngestError(file, None, f"file too large (more than {limit} bytes, "
                                                  "setting ASKBUDGET_MAX_DOCUMENT_BYTES)")
        return b"".join(parts)
    except OSError as e:
        raise IngestError(file, None, f"cannot read: {e.strerror or e}") from None


def parse_bytes(data: bytes, file: str, name: str | None = None, source_path: str | None = None) -> Document:
    lines = decode(data, file, int(settings.MAX_DOCUMENT_BYTES))
    if _is_page_text(lines):
        from .pages import parse_page_text

        return parse_page_text("\n".join(lines), file, name=name or Path(file).stem, source_path=source_path,
                               sha256=hashlib.sha256(data).hexdigest())
    warnings: list[ParseWarning] = []
    heads = [h for i, line in enumerate(lines) if (h := heading_of(line, i + 1)) is not None]
    ends = [h.line - 1 for h in heads[1:]] + [len(lines)]

    year = None
    for i, line in enumerate(lines):
        ym = YEAR_RE.match(line.strip())
        if ym:
            year = int(ym.group(1))
            break
    if year is None:
        raise IngestError(file, None, "not a budget disclosure: no 预算年度 line (e.g. 预算年度：2023)")

    # group headings into table segments (a table continued under a 续 heading joins the one before)
    segments: list[tuple[Heading, str, list[tuple[int, int]], bool]] = []  # heading, kind, ranges, last
    narrative: list[tuple[Heading, int]] = []
    last_heading = heads[-1].line if heads else 0
    for h, end in zip(heads, ends):
        kind = kind_of(h.text)
        has_rows = any("\t" in lines[i] for i in range(h.line, end))
        if kind is None or not has_rows:
            if kind in TEMPLATE_KINDS and h.text.endswith("表") and not has_rows:
                if h.line == last_heading:
                    raise IngestError(file, h.line, f"table {h.text!r} has a heading but no table under it: "
                                                    "the file looks truncated")
                warnings.append(ParseWarning(h.line, f"table heading {h.text!r} has no table under it"))
            narrative.append((h, end))
            continue
        prev = segments[-1] if segments else None
        if (prev is not None and prev[1] == kind and kind not in ("绩效目标表", "机构设置表")
                and prev[2][-1][1] == h.line - 1 and ("续" in h.text or h.text == prev[0].text)):
            prev[2].append((h.line, end))
            continue
        segments.append((h, kind, [(h.line, end)], False))

    regions = [read_region(lines, ranges, 0, facts_only=True) for _, _, ranges, _ in segments]  # header facts
    unit_code, unit_name = _unit_of(regions)
    year = _year_of(regions, year)
    default_unit = _default_money_unit(regions)
    tables: list[Table] = []
    for (h, kind, ranges, _), region in zip(segments, regions):
        foreign = _foreign_block(region, unit_code, year)
        if foreign is not None:
            line, what = foreign
            warnings.append(ParseWarning(line, f"table {h.text!r}: its header names {what}, not this "
                                               f"document's ({unit_code}, 预算年度 {year}) — a table of another "
                                               "document spliced in; it is left out, none of its figures is stored"))
            continue
        table, problem = _table(lines, h, ranges, kind, warnings)
        if problem is not None:
            line, reason = problem
            if ranges[-1][0] == last_heading:
                raise IngestError(file, line, f"{reason}: the file looks truncated")
            warnings.append(ParseWarning(line, reason))
        # the column headers (for a column's own unit note) need the kind's header-row count
        with_header = read_region(lines, ranges, HEADER_ROWS.get(kind))
        tables.append(_in_wanyuan(file, table, with_header, default_unit, warnings, h))

    if not tables:
        raise IngestError(file, None, "not a budget disclosure: no known table (收支总表, 收入总表, …)")
    if not unit_code:
        raise IngestError(file, None, "not a budget disclosure: no unit header line (e.g. "
                                      "`122001 单位名称`) under any table")
    last = max((i for i, line in enumerate(lines) if line.strip()), default=0)
    if "\t" in lines[last] and not data.endswith(b"\n"):
        raise IngestError(file, last + 1, "the file ends in the middle of a table row: it looks truncated")

    table_facts: list[Fact] = []
    for t in tables:
        if t.kind == "机构设置表":
            table_facts.extend(org_facts(t))
    nar = read_narrative(lines, narrative, table_facts)
    gloss = {s.seq for s in nar.sections if "名词解释" in s.heading}
    statements = extract(list(nar.paragraphs), year, unit_name, gloss)
    return Document(
        name=name or Path(file).stem, source_path=source_path or file,
        sha256=hashlib.sha256(data).hexdigest(), unit_code=unit_code, unit_name=unit_name, year=year,
        money_unit=STORE_UNIT, n_lines=len(lines) - (1 if lines and lines[-1] == "" else 0),
        tables=tuple(tables), sections=nar.sections, statements=tuple(statements), facts=nar.facts,
        glossary=nar.glossary, warnings=tuple(warnings), family=TEXT_FAMILY,
        missing=tuple(k for k in EXPECTED_KINDS if k not in {t.kind for t in tables}))


def _is_page_text(lines: list[str]) -> bool:
    """Page text (``pdftotext``-like: pages split by a form feed), not the ``#``-heading conversion: a
    form feed, or no ``#`` heading, no TAB row and no 预算年度 line at all."""
    if any("\f" in line for line in lines):
        return True
    return not any(line.startswith("#") or "\t" in line or YEAR_RE.match(line.strip()) for line in lines)


def _table(lines: list[str], h: Heading, ranges: list[tuple[int, int]], kind: str,
           warnings: list[ParseWarning]) -> tuple[Table, tuple[int, str] | None]:
    """Parse one table; also say what is missing if it stops early: (line, reason) or None."""
    title = TITLE_ORDINAL_RE.sub("", h.text.replace(" ", "")) or h.text.replace(" ", "")
    problem: tuple[int, str] | None = None
    if kind == "绩效目标表":
        region = read_region(lines, ranges, 0)
        project = project_of(title)
        goal, indicators = build_indicators(region.data, project, title, warnings)
        if not indicators:
            problem = (h.line, f"绩效目标表 {title!r} has no indicator rows")
        cols = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
        table = Table(kind, title, cols, region.note, project, goal, h.line, region.line_end, (), tuple(indicators))
        return table, problem
    region = read_region(lines, ranges, HEADER_ROWS.get(kind))
    leaves = leaves_of(region.header)
    if kind in TWO_SIDED and sides_of(leaves):
        columns, rows = build_two_sided_rows(region.data, leaves, title, warnings)
        for side in ("收入", "支出"):
            if not any(r.side == side and r.label.endswith("总计") for r in rows):
                problem = (region.line_end, f"{title}: no {side}总计 row — the table stops early")
                break
    elif kind == "政府采购预算表":
        columns, rows = build_procurement_rows(region.data, leaves, title, warnings)
    else:
        columns, rows = build_subject_rows(region.data, leaves, kind, title, warnings)
    if not rows and not region.note:
        problem = (region.line_end, f"table {title!r} has column headers but no rows and no 注 note "
                                    "(empty tables say 空表列示)")
    table = Table(kind, title, tuple(columns), region.note, "", "", h.line, region.line_end, tuple(rows), ())
    return table, problem


# ------------------------------------------------------------------ the document's own header facts

def _compatible(a: str, b: str) -> bool:
    """Two unit codes of one unit: the department code ``122`` and its unit ``122001`` agree."""
    return a.startswith(b) or b.startswith(a)


def _unit_of(regions: list[Region]) -> tuple[str, str]:
    """The document's unit: the code most tables' header blocks name (a table of another unit
    spliced in is outvoted), written in its longest form, with the name printed beside it."""
    codes = [r.unit_code for r in regions if r.unit_code]
    if not codes:
        return "", ""
    best = max(codes, key=lambda c: (sum(_compatible(c, o) for o in codes), -codes.index(c)))
    family = [r for r in regions if r.unit_code and _compatible(r.unit_code, best)]
    top = max(family, key=lambda r: len(r.unit_code))
    return top.unit_code, top.unit_name


def _year_of(regions: list[Region], first: int) -> int:
    """The budget year most tables' header blocks print (the first 预算年度 line when none do)."""
    years = [r.year for r in regions if r.year is not None]
    if not years:
        return first
    counts = Counter(years)
    return max(years, key=lambda y: (counts[y], -years.index(y)))


def _default_money_unit(regions: list[Region]) -> str:
    """The unit a table without its own 单位 line is printed in: the one most tables print."""
    units = [r.money_unit for r in regions if r.money_unit and factor(r.money_unit) is not None]
    if not units:
        return STORE_UNIT
    counts = Counter(units)
    # a tie is no evidence for another unit: the template's 万元 wins it
    return max(units, key=lambda u: (counts[u], u == STORE_UNIT, -units.index(u)))


def _foreign_block(region: Region, unit_code: str, year: int) -> tuple[int, str] | None:
    """(line, what) of the first header line of this table naming another unit or year, else None."""
    for line, key, value in region.blocks:
        if key == "unit_code" and unit_code and not _compatible(value, unit_code):
            return line, f"unit {value}"
        if key == "year" and int(value) != year:
            return line, f"预算年度 {value}"
    return None


def _column_units(region: Region) -> dict[str, str]:
    """Columns whose header carries its own money unit: ``价值（金额单位：元）`` → {价值: 元}."""
    out: dict[str, str] = {}
    for row in region.header:
        for cell in row.cells:
            text = header_text(cell)
            m = UNIT_SUFFIX_RE.search(text)
            if m:
                unit = re.sub(r"^[（(]\s*(?:(?:金额)?单位[:：]?)?|[)）]$", "", m.group(0)).strip()
                out[clean_column(text)] = unit
    return out


def _table_unit(file: str, region: Region, default: str, heading: Heading | None = None) -> tuple[str, int | None]:
    """The money unit a table is printed in and the line that says so. All its pages must agree; a
    unit with 元 that ``lexicon/money_units.tsv`` does not list is an error at its line (a figure
    is never stored in a unit nobody knows)."""
    unit, at = "", None
    blocks = list(region.blocks)
    hm = MONEY_UNIT_IN_LINE_RE.search(heading.text) if heading is not None else None
    if heading is not None and hm:  # "## 收支总表（单位：元）"
        blocks.insert(0, (heading.line, "money_unit", hm.group(1)))
    for line, key, value in blocks:
        if key != "money_unit":
            continue
        if factor(value) is None:
            if is_money_word(value):
                raise IngestError(file, line, f"unknown money unit 单位：{value} (known: "
                                              "元, 千元, 万元, 百万元, 千万元, 亿元 — lexicon/money_units.tsv)")
            continue  # 单位：<a unit's name> is not a money unit line
        if not unit:
            unit, at = value, line
        elif value != unit:
            raise IngestError(file, line, f"单位：{value} here, but this table's earlier page (line {at}) "
                                          f"says 单位：{unit}: one table cannot be in two units")
    return (unit, at) if unit else (default, None)


def _to_wan(value: float, f: float) -> float:
    """value × f, exact for the decimal factors (950000 元 → 95.0, not 95.00000000000001)."""
    v = value / round(1 / f) if f < 1 else value * f
    return round(v, 10)


def _in_wanyuan(file: str, table: Table, region: Region, default: str, warnings: list[ParseWarning],
                heading: Heading | None = None) -> Table:
    """Every money cell of ``table`` in 万元 (the store's unit, docs/schema.md): a cell's own unit
    (``95.00万元``) first, then its column's (``价值（金额单位：元）``), then its table's 单位 line.
    ``raw`` stays as printed; a warning names the line of each unit that was converted."""
    if not table.rows:
        return table
    unit, at = _table_unit(file, region, default, heading)
    cols = _column_units(region)
    for name, cu in cols.items():
        if factor(cu) is None and is_money_word(cu):
            raise IngestError(file, region.header[0].line, f"column {name!r}: unknown money unit {cu!r}")
    f_table = factor(unit) or 1.0
    if f_table != 1.0:
        warnings.append(ParseWarning(at or table.line_start, f"{table.title}: printed in {unit} (单位：{unit}); "
                                                             f"its figures are stored in {STORE_UNIT}, raw as printed"))
    for name, cu in cols.items():
        if cu != STORE_UNIT and factor(cu) is not None:
            warnings.append(ParseWarning(region.header[0].line, f"{table.title}: column {name!r} printed in {cu}; "
                                                                f"stored in {STORE_UNIT}, raw as printed"))
    rows = []
    changed = False
    for r in table.rows:
        cells = []
        for c in r.cells:
            if c.value is None or c.column in TEXT_COLUMNS or NON_MONEY_COLUMN_RE.search(c.column) \
                    or COUNTED_RE.match(c.raw.strip()):
                cells.append(c)
                continue
            own = suffix_unit(c.raw)
            cu = own or cols.get(c.column) or unit
            if own is not None and own != (cols.get(c.column) or unit):
                warnings.append(ParseWarning(c.line, f"{table.title}: {c.raw!r} carries its own unit {own}; "
                                                     f"stored in {STORE_UNIT}"))
            f = factor(cu) or 1.0
            if f != 1.0:
                cells.append(replace(c, value=_to_wan(c.value, f)))
                changed = True
            else:
                cells.append(c)
        rows.append(replace(r, cells=tuple(cells)))
    return replace(table, rows=tuple(rows)) if changed else table
