"""Lines of a disclosure → decoded text, headings, table regions, and the small cleaning rules.

The converted PDF text is markdown-like: ``#`` headings, tab-separated table rows, a unit header
block (``122001 单位名称`` + a wrapped ``(本级)`` line, ``预算年度：2023``, ``单位：万元``) repeated on
every page a table spans, and blank-line separated paragraphs. Everything here is a pure function.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from ..errors import IngestError
from ..safetext import clean

TAG_RE = re.compile(r"</?b>|\*\*", re.I)
HEADING_RE = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
UNIT_HEADER_RE = re.compile(r"^(\d{3,})\s+(\S.*?)\s*$")
YEAR_RE = re.compile(r"^预算年度\s*[：:]\s*(\d{4})")
MONEY_UNIT_RE = re.compile(r"^(?:金额)?单位\s*[：:]\s*(\S+)\s*$")
# a money unit stated inside a longer header line ("预算年度：2023  单位：元", "（单位：元）")
MONEY_UNIT_IN_LINE_RE = re.compile(r"(?:金额)?单位\s*[：:]\s*([千百万亿]*元)(?![\u4e00-\u9fff])")
CUTOFF_RE = re.compile(r"^截止(?:时间|日期)\s*[：:]")
NOTE_RE = re.compile(r"^\s*注\s*[：:]")
NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
COUNTED_RE = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*([个台辆套件张把条根块间处项只部座]{1})$")
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_GAP_RE = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")
WS_RE = re.compile(r"\s+")
DASHES = {"--", "-", "—", "——", "－", "/", "—-"}


@dataclass(frozen=True)
class Heading:
    line: int
    hashes: int
    text: str


def decode(data: bytes, file: str, max_bytes: int) -> list[str]:
    """Bytes → lines; every way a file can fail to be text is an IngestError naming file and line."""
    if len(data) > max_bytes:
        raise IngestError(file, None, f"file too large ({len(data)} bytes; the limit is {max_bytes}, "
                                      "setting ASKBUDGET_MAX_DOCUMENT_BYTES)")
    if not data.strip():
        raise IngestError(file, None, "empty file: expected a budget disclosure (单位预算公开) text")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise IngestError(file, data.count(b"\n", 0, nul) + 1,
                          "binary file (NUL byte): expected UTF-8 text converted from the disclosure PDF")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            raise IngestError(file, line, "not UTF-8 text (undecodable bytes): expected a UTF-8 "
                                          "text disclosure") from None
        raise IngestError(file, line, "not UTF-8: the file looks like GBK/GB18030-encoded text; convert "
                                      f"it first, e.g. `iconv -f GB18030 -t UTF-8 {file} > out.txt`") from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    bad = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\t\f\v")
    if bad > 8:
        raise IngestError(file, 1, "binary file (control characters): expected disclosure text")
    # escape sequences and control characters never reach the store (nor, through it, a terminal)
    return clean(text, keep="\n\t\f").split("\n")


def strip_tags(s: str) -> str:
    """Drop ``<b>`` / ``**`` emphasis the conversion leaves in cells and headings."""
    return TAG_RE.sub("", s) if "<" in s or "*" in s else s  # most cells have none: no regex pass


def join_wrapped(s: str) -> str:
    """Rejoin a cell the PDF wrapped: spaces between two CJK characters are line breaks, not words."""
    s = WS_RE.sub(" ", strip_tags(s)).strip()
    return CJK_GAP_RE.sub("", s)


def header_text(s: str) -> str:
    """A column header cell: wraps joined and all inner spaces dropped (``合 计`` → ``合计``)."""
    return "".join(strip_tags(s).split())  # split() cuts where \s matches (str.isspace)


MAX_DIGITS = 18  # no budget figure has more significant digits; more is garbage, never a number


def to_float(s: str) -> float | None:
    """A number written in digits → float, or None when it has more than MAX_DIGITS digits (a run
    of 400 digits would otherwise become ``inf`` in the store) or is not finite."""
    if sum(ch.isdigit() for ch in s) > MAX_DIGITS:
        return None
    v = float(s.replace(",", ""))
    return v if math.isfinite(v) else None


MINUS = {"−": "-", "－": "-", "﹣": "-"}
PAREN_NEG_RE = re.compile(r"^[(（]\s*([^()（）]+?)\s*[)）]$")
MONEY_SUFFIX_RE = re.compile(r"^(.*?\d)\s*(?:亿元|千万元|百万元|万元|千元|元)$")


@functools.lru_cache(maxsize=1 << 16)  # the same cells (0.00, --, a subtotal) recur in every document
def parse_number(raw: str) -> float | None:
    """``4,327.18`` / ``4327.18`` / ``3 个`` → float; empty, ``--`` and text → None.

    A negative figure may be written ``-5.00``, ``−5.00`` or, as accountants do, ``(5.00)``; a
    figure may carry its money unit (``95.00万元``: the number here, the unit is
    :func:`askbudget.ingest.units.suffix_unit`'s to read and the caller's to convert)."""
    s = raw.strip()
    if not s or s in DASHES:
        return None
    neg = False
    pm = PAREN_NEG_RE.match(s)
    if pm:
        s, neg = pm.group(1), True
    if s[:1] in MINUS:
        s = "-" + s[1:]
    mm = MONEY_SUFFIX_RE.match(s)
    if mm:
        s = mm.group(1).strip()
    s = s.replace("，", ",")  # a full-width thousands separator (1，656.00)
    if NUMBER_RE.match(s):
        v = to_float(s)
        if v is None:
            return None
        if neg:
            return (-v or 0.0) if not s.startswith(("-", "+")) else None  # "(-5)" is not a spelling
        return v
    m = COUNTED_RE.match(s)
    if m and not neg and not mm:
        return to_float(m.group(1))
    return None


def is_dash(raw: str) -> bool:
    return raw.strip() in DASHES


# a line that is a top-level heading without ``#`` marks (some conversions drop them): 一、… or
# 第一部分 …, short, no sentence punctuation, not a table-of-contents line (…… / ....2)
PLAIN_HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)\s*[^。；;，,\t.…]{2,28}[：:]?$")


def heading_of(line: str, no: int) -> Heading | None:
    m = HEADING_RE.match(line)
    if not m:
        s = strip_tags(line).strip()
        if "\t" not in line and PLAIN_HEADING_RE.match(s):
            return Heading(no, 2, WS_RE.sub(" ", s))
        return None
    text = WS_RE.sub(" ", strip_tags(m.group(2))).strip()
    if not text:
        return None
    return Heading(no, len(m.group(1)), text)


def is_unit_header(line: str) -> bool:
    """``122001 唐山市…分局`` (code, space, a CJK name) — the first line of the page header block."""
    if "\t" in line:
        return False
    m = UNIT_HEADER_RE.match(line.strip())
    return bool(m) and bool(re.search(rf"[{CJK}]", m.group(2))) and not re.match(r"^\d{4}\s*年", line.strip())


def is_block_line(line: str) -> bool:
    """A page-header line other than the unit line: 预算年度 / 单位 / 截止时间."""
    s = line.strip()
    return bool(YEAR_RE.match(s) or MONEY_UNIT_RE.match(s) or CUTOFF_RE.match(s))


def is_unit_wrap(line: str) -> bool:
    """The wrapped tail of a unit name: ``(本级)`` or ``级)``."""
    s = line.strip()
    return bool(s) and "\t" not in s and len(s) <= 12 and s[-1] in ")）" and not NOTE_RE.match(s)


def split_row(line: str) -> list[str]:
    return line.rstrip("\n").split("\t")


# ------------------------------------------------------------------ table regions

@dataclass(frozen=True)
class RawRow:
    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Region:
    """The lines under one table heading, page furniture removed: header rows, data rows, note."""
    header: tuple[RawRow, ...]
    data: tuple[RawRow, ...]
    note: str
    unit_code: str
    unit_name: str
    year: int | None
    money_unit: str
    line_start: int
    line_end: int
    text_lines: tuple[tuple[int, str], ...]  # stray non-table text (kept for the caller to judge)
    # every page-header fact as printed, in order: (line, "unit_code" | "year" | "money_unit", value);
    # the fields above keep only the first of each, these let the caller see a page that disagrees
    blocks: tuple[tuple[int, str, str], ...] = ()


def _norm_row(cells: list[str] | tuple[str, ...]) -> str:
    out = [header_text(c) for c in cells]
    while out and not out[-1]:
        out.pop()
    return "\t".join(out)


def _looks_numeric(cells: list[str]) -> bool:
    return any(parse_number(strip_tags(c)) is not None or is_dash(strip_tags(c)) for c in cells[1:])


_LAST_READ: tuple[list[str] | None, dict[tuple[Any, ...], Region]] = (None, {})


def read_region(lines: list[str], ranges: list[tuple[int, int]], header_rows: int | None,
                facts_only: bool = False) -> Region:
    """``_read_region``, once per (ranges, header_rows) of the document last read: a document's parse
    reads a table's region again to place its columns (a Region is frozen; the lines are held, so
    another list is never taken for them). ``facts_only``: the page-header facts alone (unit, year,
    money unit, ``blocks``; no header or data rows), as the full read gives them — a full read of the
    same ranges serves too."""
    last = _LAST_READ
    if last[0] is not lines:
        last = _set_last_read(lines)
    k = (tuple(tuple(r) for r in ranges), header_rows)
    region = last[1].get(k)
    if region is None and facts_only:
        region = last[1].get((k, "facts"))
        if region is None:
            region = last[1][(k, "facts")] = _read_region(lines, ranges, header_rows, facts_only=True)
    elif region is None:
        region = last[1][k] = _read_region(lines, ranges, header_rows)
    return region


def _set_last_read(lines: list[str]) -> tuple[list[str], dict[tuple[Any, ...], Region]]:
    global _LAST_READ
    _LAST_READ = (lines, {})
    return _LAST_READ


def _read_region(lines: list[str], ranges: list[tuple[int, int]], header_rows: int | None,
                 facts_only: bool = False) -> Region:
    """Scan the lines of one table: ``ranges`` of (start, end), 0-based, each ``start`` being the
    line after a heading (a table continued under a second ``（续）`` heading has two ranges).

    ``header_rows``: how many column-header rows the table kind has when it has no ``栏次`` line
    (None: header rows run up to ``栏次`` or the first row whose first cell is a 序号 integer or
    which holds a figure). Repeated page headers — the unit block and header rows equal to the
    first page's — are skipped, so the rows of every page join the one table.
    """
    header: list[RawRow] = []
    data: list[RawRow] = []
    note_parts: list[str] = []
    text_lines: list[tuple[int, str]] = []
    blocks: list[tuple[int, str, str]] = []
    unit_code = unit_name = money_unit = ""
    year: int | None = None
    header_done = False
    page_header = False
    known: set[str] = set()
    idx = [k for a, b in ranges for k in range(a, b)]
    start = ranges[0][0]
    last = start
    pos = 0
    in_note = False
    while pos < len(idx):
        raw = lines[idx[pos]]
        no = idx[pos] + 1
        s = raw.strip()
        pos += 1
        if not s:
            in_note = False
            continue
        last = no
        if in_note and "\t" not in raw:
            note_parts.append(strip_tags(s))
            continue
        if NOTE_RE.match(s) and "\t" not in raw:
            note_parts.append(NOTE_RE.sub("", strip_tags(s), count=1).strip())
            in_note = True
            continue
        if is_unit_header(raw):
            m = UNIT_HEADER_RE.match(s)
            if m is None:  # pragma: no cover - is_unit_header matched the same pattern
                continue
            name = m.group(2).strip()
            j = pos
            while j < len(idx) and not lines[idx[j]].strip():
                j += 1
            if j < len(idx) and is_unit_wrap(lines[idx[j]]):
                name += lines[idx[j]].strip()
                pos = j + 1
                last = idx[j] + 1
            blocks.append((no, "unit_code", m.group(1)))
            if not unit_code:
                unit_code, unit_name = m.group(1), WS_RE.sub("", name)
            if header_done:
                page_header = True
            continue
        if is_block_line(s):
            ym = YEAR_RE.match(s)
            if ym:
                blocks.append((no, "year", ym.group(1)))
            if ym and year is None:
                year = int(ym.group(1))
            mm = MONEY_UNIT_RE.match(s) or MONEY_UNIT_IN_LINE_RE.search(s)
            if mm:
                blocks.append((no, "money_unit", mm.group(1)))
            if mm and not money_unit:
                money_unit = mm.group(1)
            if header_done:
                page_header = True
            continue
        if "\t" not in raw:
            mu = MONEY_UNIT_IN_LINE_RE.search(s)
            if mu:  # "（单位：元）" on a line of its own: the table's unit all the same
                blocks.append((no, "money_unit", mu.group(1)))
                money_unit = money_unit or mu.group(1)
            text_lines.append((no, s))
            continue
        if facts_only:
            continue  # a table row: no page-header fact is read from one
        cells = split_row(raw)
        first = header_text(cells[0])
        if first.startswith("栏次"):
            header_done = True
            page_header = False
            continue
        if not header_done:
            if header_rows is not None:
                if len(header) < header_rows:
                    header.append(RawRow(no, tuple(cells)))
                    known.add(_norm_row(cells))
                    if len(header) == header_rows:
                        header_done = True
                    continue
            elif first == "序号" or (not re.fullmatch(r"\d+", first) and not _looks_numeric(cells)):
                header.append(RawRow(no, tuple(cells)))
                known.add(_norm_row(cells))
                continue
            header_done = True
        if page_header:
            if _norm_row(cells) in known or first == "序号":
                continue
            page_header = False
        data.append(RawRow(no, tuple(cells)))
    return Region(tuple(header), tuple(data), "".join(note_parts), unit_code, unit_name, year,
                  money_unit, start, last, tuple(text_lines), tuple(blocks))
