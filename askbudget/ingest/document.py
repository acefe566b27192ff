"""One disclosure file → a :class:`Document` (pure: no database, no clock).

Headings split the file into regions. A heading whose title names a table kind (``kinds.py``) and
whose region holds tab rows is a table; every other heading is narrative. Each table family has its
own module; the narrative, facts, glossary and statements come from ``narrative``/``statements``.

Errors are :class:`IngestError` (file, line, reason): empty, binary, not UTF-8 (GBK is named), too
large, not a disclosure (no 预算年度 line, no unit header, no known table), and truncated by these
rules: a template table heading with no table under it; a table with column headers but no rows and
no 注 note; a two-sided summary table without its 总计 row on both sides; a 绩效目标表 with no
indicator rows; a file whose last line is a table row with no final newline (cut mid-table).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .. import settings
from ..errors import IngestError
from .kinds import HEADER_ROWS, TEMPLATE_KINDS, TWO_SIDED, kind_of
from .layout import leaves as leaves_of
from .model import Document, Fact, ParseWarning, Table
from .narrative import read_narrative
from .org import org_facts
from .performance import build_indicators, project_of
from .procurement import build_procurement_rows
from .reader import YEAR_RE, MONEY_UNIT_RE, Heading, decode, heading_of, read_region
from .statements import extract
from .subjects import build_subject_rows
from .summary import build_two_sided_rows, sides_of


def parse_file(path: str | Path) -> Document:
    p = Path(path)
    file = str(path)
    data = _read_limited(p, file, int(settings.MAX_DOCUMENT_BYTES))
    return parse_bytes(data, file, name=p.stem, source_path=str(p.resolve()))


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
                if not parts and b"\x00" in chunk:
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
    warnings: list[ParseWarning] = []
    heads = [h for i, line in enumerate(lines) if (h := heading_of(line, i + 1)) is not None]
    ends = [h.line - 1 for h in heads[1:]] + [len(lines)]

    year = None
    money_unit = ""
    for i, line in enumerate(lines):
        s = line.strip()
        ym = YEAR_RE.match(s)
        if ym and year is None:
            year = int(ym.group(1))
        mm = MONEY_UNIT_RE.match(s)
        if mm and not money_unit:
            money_unit = mm.group(1)
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

    tables: list[Table] = []
    unit_code = unit_name = ""
    for h, kind, ranges, _ in segments:
        table, problem = _table(lines, h, ranges, kind, warnings)
        if problem is not None:
            line, reason = problem
            if ranges[-1][0] == last_heading:
                raise IngestError(file, line, f"{reason}: the file looks truncated")
            warnings.append(ParseWarning(line, reason))
        tables.append(table)
        region = read_region(lines, ranges, 0)
        if region.unit_code and len(region.unit_code) > len(unit_code):
            unit_code, unit_name = region.unit_code, region.unit_name

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
        money_unit=money_unit or "万元", n_lines=len(lines) - (1 if lines and lines[-1] == "" else 0),
        tables=tuple(tables), sections=nar.sections, statements=tuple(statements), facts=nar.facts,
        glossary=nar.glossary, warnings=tuple(warnings))


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
