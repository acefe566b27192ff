"""Page text → a :class:`Document`: ``parse_pages(pages, file, name)`` (pure: no database, no clock).

The contract (also what the PDF reader hands over): ``pages`` is the text of each page in order
(page 1 first; a file joins them with a form feed ``\\f``). Lines are separated by ``\\n``. A line
holding a TAB is a table row whose cells are known: one cell per TAB-separated field, empty cells
kept as empty strings. Any other line is text — a title, a heading, a paragraph line, or a table row
whose cells are separated by spaces (``pdftotext``), where an empty cell simply vanishes.

Which tables a document has, and how each is laid out, comes from its template family
(``lexicon/templates/<family>.tsv``, ``templates.py``): the family whose table titles the document
prints most of (then the one it lacks fewest of) is the one matched; a document matching none is an
IngestError naming what was looked for. A title is read without its number (表1, 附表3, 公开01表; a
number on a line of its own above the title is skipped); a line titling a table no family reads
(项目支出表) starts a table that is left out, so its rows never join the table before it. A table's
columns are those its header prints where the family lists them as optional (``_order_columns``), and
a row number (序号 before the code, 行次 after an item's name, a 栏次 row) is never a figure.
A table starts at a line that is its title (never a table-of-contents line ``…… 3``); it goes on
over the following pages while a page starts with its repeated header or with its rows, and ends at
a title, a heading or a page that starts otherwise. Everything else is narrative: a short line that
opens a page, or a numbered short line (``一、项目概述``), is a heading; ``narrative.py`` builds the
outline, ``statements.py`` the figures the text states.

Figures are stored in 万元 exactly (``47,483,458`` in a ``单位：元`` table → 4748.3458) and, where the
text lost empty cells, placed in their columns by the table's own arithmetic (``placement.py``); a
figure whose column cannot be proven, or that an identity the document breaks puts in doubt, is stored
with ``uncertain = 1`` (the broken identities are the document's faults, rule 存疑 of ``check``).

A family with ``header`` words (the national 决算) also has: a line before a table's rows that is not
cut from header words is the first half of a wrapped subject name; name fragments between two code
lines go to the row above or below so that the names are those the codes print elsewhere (or the
classification's); a ``pairs`` table (two code/name/figure columns side by side) is one list of rows;
the narrative's figures may settle a placement (``same … = 叙述:…``). Line numbers count the lines
of every page in order (a page break starts a new line); every table, row and section keeps its page.
"""
from __future__ import annotations

import fnmatch
import functools
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Callable, Sequence

from ..errors import IngestError
from ..check import Mismatch
from ..notes import says_empty
from .model import Cell, Document, Indicator, ParseWarning, Row, Statement, Table
from .narrative import Paragraph, numbering, read_narrative
from .performance import parse_value
from .placement import AtMost, Equal, RowSum, TreeSum, Var, doubt, new_var, scale_of, settled, solve, to_int
from .reader import MONEY_UNIT_IN_LINE_RE, NUMBER_RE, PLAIN_HEADING_RE, Heading, is_dash, join_wrapped
from .statements import against_year_before, extract, extract_final
from .subjects import ORDINAL_RE, QIZHONG_RE, UNIT_HEADER_RE, is_total, label_of, unit_row
from .templates import NARRATIVE, Column, Family, TableSpec, Words, families, squash
from .units import STORE_UNIT, factor, is_money_word

LEADERS_RE = re.compile(r"…{2,}|\.{4,}|·{4,}")
GLUED_RE = re.compile(r"^([+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[+-]?\d+\.\d+)([^\d,.%].*)$")
CODE_PART_RE = re.compile(r"^\d{2,7}$")
YEAR_IN_TITLE_RE = re.compile(r"(\d{4})\s*年")
SENTENCE_RE = re.compile(r"[。，；;,]")
TOP_ORDINAL_RE = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
SUB_ORDINAL_RE = re.compile(r"^\s*\d+\s*[、.．](?!\d)")
EXPENSE_SIDE_RE = re.compile(r"(?:支出(?:总计|合计)?|结转下年|年末结转和?结余)$")
INCOME_ITEM_RE = re.compile(r"收入(?:总计|合计)?$")  # an item that is the 收入 side's whatever the line lacks
NOTE_RE = re.compile(r"^\s*注\s*[：:]")
PART_RE = re.compile(r"^\s*第[一二三四五六七八九十]+部分\s*\S")
TOTAL_WORD_RE = re.compile(r"(?:合计|总计|小计)$")
# an item's numbering at the start of a cell: 三、 （三） (3)
ITEM_START_RE = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）])\S")
CONTENTS_RE = re.compile(r"^目\s*录$")
MAX_HEADING = 40
CLASS_LEVEL_RE = re.compile(r"[（(]\s*(?:类|款|项)\s*[)）]")
# what a table's title may print before its words: 表1, 表1-1, 表一, 附表3, 公开01表, 部门预算表2
TABLE_NO_RE = re.compile(r"^\s*(?:附表|附件|表|公开)\s*(?:\d+(?:\s*[-－—]\s*\d+)*|[一二三四五六七八九十]+)\s*表?\s*[、.．:：]?\s*")
# a line that titles a table no template family names (项目支出表, 政府采购预算表 …): it ends the table before
TABLE_TITLE_RE = re.compile(r"^[^，。；;：:]{0,40}(?:预算|决算|支出|收入|采购|绩效|资产|情况|明细)[^，。；;：:]{0,12}表"
                            r"(?:[（(][^（）()]{1,16}[）)])?$")


@dataclass(frozen=True)
class PLine:
    no: int  # 1-based line number over all pages
    page: int  # 1-based page
    text: str  # the line as printed (right-stripped)
    first: bool  # the first non-empty line of its page


@dataclass
class _Segment:
    """The lines of one table: its title line, its 单位 line(s), header and data lines."""
    spec: TableSpec
    title: PLine
    unit_lines: list[PLine] = field(default_factory=list)
    header: list[PLine] = field(default_factory=list)
    data: list[PLine] = field(default_factory=list)
    note: list[str] = field(default_factory=list)
    index: str = ""  # ``lead``: a 序号 starts every row; ``after``: a 行次 follows every item's name


# ---------------------------------------------------------------- lines and cells

def split_pages(text: str) -> list[str]:
    """A page-text file → its pages (a trailing empty page after the last form feed is dropped)."""
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    return pages


def _lines(pages: Sequence[str]) -> list[PLine]:
    out: list[PLine] = []
    no = 0
    for p, page in enumerate(pages, 1):
        first = True
        for raw in page.split("\n"):
            no += 1
            text = raw.rstrip(" \r") if "\t" in raw else raw.rstrip()  # a TAB row keeps its empty last cells
            out.append(PLine(no, p, text, first and bool(text.strip())))
            if text.strip():
                first = False
    return out


def tokens(text: str) -> list[str]:
    """A space-separated line → its cells; a figure glued to the next label (``47,483,458一、…``) is two."""
    out: list[str] = []
    for tok in text.split():
        m = GLUED_RE.match(tok)
        while m:
            out.append(m.group(1))
            tok = m.group(2)
            m = GLUED_RE.match(tok)
        out.append(tok)
    return out


def is_figure(tok: str) -> bool:
    s = tok.strip().replace("，", ",")
    if s[:1] in "−－":
        s = "-" + s[1:]
    return bool(NUMBER_RE.match(s)) or is_dash(s)


def _is_figure_line(text: str) -> bool:
    toks = tokens(text)
    return bool(toks) and any(is_figure(t) and ("," in t or "." in t) for t in toks)


def _is_toc(text: str) -> bool:
    return bool(LEADERS_RE.search(text))


# ---------------------------------------------------------------- the document

def parse_pages(pages: Sequence[str], file: str, name: str | None = None, source_path: str | None = None,
                sha256: str | None = None, templates: str | None = None) -> Document:
    """Parse a disclosure given as page text (see the module docstring for the contract).

    ``templates``: a directory of template family files (default ``lexicon/templates/``)."""
    lines = _lines(pages)
    warnings: list[ParseWarning] = []
    if not any(ln.text.strip() for ln in lines):
        raise IngestError(file, None, "empty file: expected a budget disclosure (部门预算公开) text")
    fam = _match_family(lines, families(templates), file)
    year = _year(lines)
    if year is None:
        raise IngestError(file, None, "no budget year: the title page names no year (e.g. 2026年)")
    unit_name = _unit_name(lines, fam)
    if not unit_name:
        raise IngestError(file, None, f"no unit: no line naming it ({' / '.join(l + '：' for l in fam.unit_labels)})")
    segments, narrative_heads, table_lines = _segment(lines, fam)
    default_unit = _default_unit(segments)
    # the narrative: every line that is not part of a table (read first: a figure it states may
    # prove a table figure's column)
    nlines = ["" if ln.no in table_lines else ln.text for ln in lines]
    nar = read_narrative(nlines, narrative_heads, [])
    page_of = {ln.no: ln.page for ln in lines}
    sections = tuple(replace(s, page=page_of.get(s.line)) for s in nar.sections)
    gloss = {s.seq for s in sections if "名词解释" in s.heading}
    statements = extract(list(nar.paragraphs), year, unit_name, gloss)
    if fam.doc_kind == "决算":
        finals = extract_final([(s.seq, Paragraph(s.line, s.text)) for s in sections], year, gloss)
        statements = against_year_before(statements, year, list(nar.paragraphs), finals) + finals
    known = _known_names(segments, fam) if fam.header_words else {}
    tables: list[Table] = []
    built: list[tuple[_Segment, _Built]] = []
    for seg in segments:
        b = _build(seg, default_unit, file, warnings, fam, known, year)
        if b is not None:
            built.append((seg, b))
    faults = _place(built, warnings, _narrative_figure(sections, statements))
    for seg, b in built:
        if b.kind == "绩效目标表" and not b.project:
            b.project = _project_of_heading(narrative_heads, seg.title.no)
            b.indicators = tuple(replace(i, project=b.project) for i in b.indicators)
        tables.append(b.table())
    found_kinds = {t.kind for t in tables}
    if fam.tables and not tables:
        raise IngestError(file, None, f"no table of template {fam.name} was found (a title such as "
                                      f"{fam.tables[0].title or fam.tables[0].kind} followed by its rows; a "
                                      "table of contents is not one); nothing was written")
    lacking = [t for t in fam.tables if t.kind not in found_kinds and not t.optional]
    missing, missing_titles = tuple(t.kind for t in lacking), tuple(t.title or t.kind for t in lacking)
    data = "\f".join(pages).encode("utf-8")
    return Document(
        name=name or file, source_path=source_path or file,
        sha256=sha256 or hashlib.sha256(data).hexdigest(), unit_code="", unit_name=unit_name, year=year,
        money_unit=STORE_UNIT, n_lines=len(lines), tables=tuple(tables), sections=sections,
        statements=tuple(statements), facts=nar.facts, glossary=nar.glossary, warnings=tuple(warnings),
        kind=fam.doc_kind, family=fam.name, n_pages=len(pages), missing=missing, missing_titles=missing_titles,
        faults=tuple(faults))


def _title(lines: list[PLine]) -> str:
    """The title page's text (its first lines), spaces squeezed."""
    first = [ln.text.strip() for ln in lines if ln.page == 1 and ln.text.strip()][:4]
    return re.sub(r"\s+", "", "".join(first))


def _match_family(lines: list[PLine], fams: Sequence[Family], file: str) -> Family:
    """The family whose table titles the document prints (most distinct kinds); its 预算/决算 must
    match the title page. A 决算 family with no table records wins only by its title words."""
    title = _title(lines)
    best: tuple[tuple[int, int], Family] | None = None
    for fam in fams:
        if not fam.doc_words.match(title) or (fam.tables and not any(t.columns for t in fam.tables)):
            continue  # (a family that names no columns is read from its text conversion only: tangshan)
        kinds = {k for ln in lines if (k := _title_kind(ln, fam)) is not None}
        # the most of its tables found, then the fewest of them missing (a family of fewer, more
        # specific titles is not outscored by one whose words also fit)
        lacking = sum(1 for t in fam.tables if not t.optional and t.kind not in kinds)
        score = (len(kinds), -lacking) if fam.tables else (0, 0)
        if best is None or score > best[0]:
            best = (score, fam)
    if best is not None and (best[0][0] > 0 or (best[1].doc_kind == "决算" and not best[1].tables)):
        return best[1]
    looked = "; ".join(f"{fam.name}: {'、'.join(' '.join(t.words.must) for t in fam.tables[:4])} …"
                       for fam in fams if fam.tables)
    raise IngestError(file, None, "matches no known template: no table title of any template family "
                                  f"(lexicon/templates/) was found — looked for {looked}; "
                                  f"title page: {title[:40] or '(empty)'}")


def _title_kind(ln: PLine, fam: Family) -> str | None:
    spec = _title_spec(ln, fam)
    return spec.kind if spec is not None else None


def _title_spec(ln: PLine, fam: Family) -> TableSpec | None:
    s = ln.text.strip()
    if not s or "\t" in s or _is_toc(s) or len(squash(s)) > 60 or SENTENCE_RE.search(s) or _is_figure_line(s) \
            or _two_items(s):
        return None
    s = TABLE_NO_RE.sub("", ORDINAL_RE.sub("", s))
    if not s:
        return None
    return fam.spec_of(s)


def _two_items(text: str) -> bool:
    """A line of a two-sided table that prints an item on each side and no figure (``三、国有资本经营预算拨款收入
    三、国防支出``): a later space-separated part opens with an item's numbering. A title is one phrase."""
    return any(ITEM_START_RE.match(t) for t in text.split()[1:])


def _table_no_only(text: str) -> bool:
    """A line printing only a table's number (``附表1``, ``表一``, ``公开03表``), its title on the next line."""
    s = text.strip()
    return bool(s) and len(s) <= 10 and not TABLE_NO_RE.sub("", s).strip()


def _unread_title(ln: PLine) -> bool:
    """A line that titles a table, though of no kind the family reads (``表10 项目支出表``)."""
    s = ln.text.strip()
    if not s or "\t" in s or _is_toc(s) or _is_figure_line(s) or SENTENCE_RE.search(s):
        return False
    t = squash(TABLE_NO_RE.sub("", ORDINAL_RE.sub("", s)))
    return bool(t) and len(t) <= 40 and bool(TABLE_TITLE_RE.match(t)) and not re.match(r"^第[一二三四五六七八九十]+部分", t)


def _year(lines: list[PLine]) -> int | None:
    for ln in lines:
        if ln.page > 1:
            break
        m = YEAR_IN_TITLE_RE.search(ln.text)
        if m:
            return int(m.group(1))
    for ln in lines:  # no year on the title page: the first table title's
        m = YEAR_IN_TITLE_RE.search(ln.text)
        if m and not _is_toc(ln.text):
            return int(m.group(1))
    return None


def _unit_name(lines: list[PLine], fam: Family) -> str:
    """The unit: the first label of the family (预算主管部门) wins over a later one (编制部门), and
    among the lines of one label the name most of them print."""
    for label in fam.unit_labels:
        names = []
        for ln in lines:
            m = re.match(rf"^\s*{re.escape(label)}\s*[：:]\s*(\S+)", ln.text)
            if m:
                names.append(re.split(r"\s", m.group(1))[0])
        names = [n for n in names if n and not n.startswith("单位")]
        if names:
            return Counter(names).most_common(1)[0][0]
    # no line names it (the national 决算 prints none): the title page's words before the year
    m = re.match(r"^(.{4,60}?)\d{4}\s*年", _title(lines))
    return m.group(1) if m and "部门" not in m.group(1) else ""


# ---------------------------------------------------------------- segmenting into tables and narrative

def _is_heading(ln: PLine) -> bool:
    s = ln.text.strip()
    if not s or "\t" in s or len(s) > MAX_HEADING or _is_toc(s) or _is_figure_line(s):
        return False
    if PLAIN_HEADING_RE.match(s):
        return True
    # a page may open inside a wrapped paragraph: a line listing items ("务费、委托业务费、…") is no heading, nor
    # one that opens a quotation it does not close or names a classification level ("“社会保障和就业支出（类）
    # 其他生活救助（款）其他": an item of the 决算's list, wrapped onto the next line)
    return ln.first and not SENTENCE_RE.search(s) and numbering(s) is None and not s.endswith(("：", ":")) \
        and "、" not in s and len(s) > 1 and s.count("“") <= s.count("”") and not CLASS_LEVEL_RE.search(s)


def _is_row(text: str, ignore: frozenset[str] = frozenset()) -> bool:
    """A table row: it starts with a subject code, or holds a figure. ``ignore``: header words a row
    may carry (a 合计 row printed on the line of a header: ``合计 0 2002.80 合计 基本支出 项目支出 0``)."""
    toks = [t for t in tokens(text) if t not in ignore or is_figure(t)] if ignore else tokens(text)
    if not toks:
        return False
    if re.match(r"^(?:合计|总计|小计)$", toks[0]):
        return all(is_figure(t) for t in toks[1:])  # "合计 因公出国(境)费 …" is a header line
    return bool(CODE_PART_RE.match(toks[0]) and len(toks[0]) in (3, 5, 7)) or any(is_figure(t) for t in toks)


def _header_vocabulary(spec: TableSpec, fam: Family) -> tuple[str, ...]:
    """The words a header line of this table may be cut from: its columns' printed words and the
    family's header words (``科目编码``, ``功能分类``, ``决算数`` …)."""
    words = [squash(w) for c in spec.columns for w in c.words] + [squash(c.name) for c in spec.columns]
    words += [squash(w) for c in spec.columns for w in c.name.split("/")]
    return tuple(w for w in dict.fromkeys(words + [squash(w) for w in fam.header_words + fam.index_words]) if w)


def _header_like(text: str, vocab: tuple[str, ...]) -> bool:
    """Every token of the line is a piece of a header word (a header wrapped over lines)."""
    toks = text.split()
    return bool(toks) and all(any(squash(t) in w for w in vocab) for t in toks)


def _names_columns(text: str, spec: TableSpec, vocab: tuple[str, ...]) -> bool:
    """A header line that also prints words the family does not list (``单位名称（科目）``, a year): at
    least half of its tokens are header words or this table's column words, exactly, and one of them a
    column. (A wrapped subject name before the first row is made of no such words.)"""
    toks = text.split()
    exact = [t for t in toks if squash(t) in vocab]
    return bool(toks) and 2 * len(exact) >= len(toks) and any(_column_of_token(t, spec, exact=True) for t in exact)


def _header_below(lines: list[PLine], i: int, spec: TableSpec, vocab: tuple[str, ...]) -> bool:
    """A line above the header's own lines (a group printed over the columns: ``科目编码 当年财政拨款安排`` above
    ``科目名称 合计 基本支出 项目支出``): no row, no sentence, and a header line follows before any row."""
    if SENTENCE_RE.search(lines[i].text) or _is_row(lines[i].text):
        return False
    seen = 0
    for x in lines[i + 1:]:
        t = x.text.strip()
        if not t:
            continue
        if x.first or _is_row(t, frozenset(vocab)) or SENTENCE_RE.search(t) or seen >= 3:
            return False
        if _header_like(t, vocab) or _names_columns(t, spec, vocab):
            return True
        seen += 1
    return False


def _is_contents_line(lines: list[PLine], i: int, fam: Family) -> bool:
    """A table title in a table of contents: the line after it is another title or a part heading
    (``第三部分 …``), never the table's 单位 line or header."""
    nxt = next((x for x in lines[i + 1:i + 4] if x.text.strip()), None)
    if nxt is None:
        return True
    s = nxt.text.strip()
    return _title_spec(nxt, fam) is not None or bool(re.match(r"^第[一二三四五六七八九十]+部分", s)) or \
        (bool(TOP_ORDINAL_RE.match(s)) and _title_spec(replace(nxt, text=ORDINAL_RE.sub("", s)), fam) is not None)


def _is_page_number(lines: list[PLine], i: int) -> bool:
    """A lone small number as the last line of its page."""
    ln = lines[i]
    if not re.fullmatch(r"\s*\d{1,3}\s*", ln.text):
        return False
    return all(not x.text.strip() for x in lines[i + 1:] if x.page == ln.page)


def _next_text(lines: list[PLine], i: int) -> str:
    """The next line of text — or, after name fragments that wrap over a page break ("置" / "文物和陈列品购"),
    the first of the next three that is a table row."""
    texts = [x.text.strip() for x in lines[i + 1:i + 4] if x.text.strip()]
    return next((t for t in texts if _is_row(t) and not SENTENCE_RE.search(" ".join(texts[:texts.index(t)]))),
                texts[0] if texts else "")


def _segment(lines: list[PLine], fam: Family) -> tuple[list[_Segment], list[tuple[Heading, int]], set[int]]:
    """Split the lines into tables and narrative headings (with the 0-based end of their text)."""
    segments: list[_Segment] = []
    heads: list[tuple[Heading, int]] = []
    in_table: set[int] = set()
    cur: _Segment | None = None
    data_started = False
    header_keys: set[str] = set()
    vocab: tuple[str, ...] = ()
    contents = _contents_pages(lines)
    resumed = False  # a table's title repeated with 续表 was just read: its 单位 line and header come again
    for i, ln in enumerate(lines):
        s = ln.text.strip()
        if not s:
            continue
        if ln.page in contents:
            in_table.add(ln.no)  # a contents page lists titles: neither a table nor the narrative's outline
            continue
        if cur is not None and cur.data and _continued_title(s, cur.title.text):
            in_table.add(ln.no)  # "支出决算表（续表）": the table goes on (its header and 单位 line are repeated below)
            resumed = True
            continue
        spec = _title_spec(ln, fam)
        if spec is not None and (_is_contents_line(lines, i, fam) or not _table_follows(lines, i, fam, spec.layout)):
            spec = None
        if spec is not None and cur is not None and not cur.data and cur.title.no != ln.no and \
                len(s.split()) > 1 and squash(s.split()[0]) in fam.header_words:
            spec = None  # a header line naming a group (科目编码 本年政府性基金预算支出), not a title
        if spec is None and _table_no_only(s) and _next_title(lines, i, fam):
            in_table.add(ln.no)  # 附表1 above its title
            continue
        if spec is None and _unread_title(ln) and not _is_contents_line(lines, i, fam) and \
                (_after_table_no(lines, i) or _unit_line_follows(lines, i, fam)) and _table_follows(lines, i, fam):
            spec = UNREAD  # a table no family reads: its lines are neither another table's nor narrative
        if spec is not None:
            cur = _Segment(spec, ln)
            segments.append(cur)
            in_table.add(ln.no)
            data_started = resumed = False
            header_keys = set()
            vocab = _header_vocabulary(spec, fam) if fam.header_words else ()
            if heads:
                heads[-1] = (heads[-1][0], min(heads[-1][1], ln.no - 1))
            continue
        if cur is not None and _is_page_number(lines, i):
            in_table.add(ln.no)
            continue
        if cur is not None and ln.first and not resumed and \
                not _continues(cur, ln, header_keys, _next_text(lines, i), vocab):
            cur = None
        if cur is not None and not ln.first and cur.note and not NOTE_RE.match(s) and _is_heading(ln):
            cur = None
        if cur is not None and PART_RE.match(s.replace("\t", " ")):
            cur = None  # "第三部分 …情况说明": a part of the document starts, whatever the table before it
        if cur is None:
            if _is_heading(ln):
                if heads:
                    heads[-1] = (heads[-1][0], min(heads[-1][1], ln.no - 1))
                heads.append((Heading(ln.no, 1 if ln.page == 1 and not heads else 2, re.sub(r"\s+", " ", s)),
                              len(lines)))
            continue
        in_table.add(ln.no)
        if not cur.header and not cur.data and not cur.unit_lines and _table_no_only(s):
            continue  # the title's number printed under it (收入支出决算总表 / 公开01表)
        if NOTE_RE.match(s):
            cur.note.append(NOTE_RE.sub("", s, count=1).strip())
            continue
        if cur.note and not _is_row(s):
            cur.note.append(s)
            continue
        if not _is_row(s) and SENTENCE_RE.search(s) and says_empty(s, cur.title.text):
            cur.note.append(s)  # 本单位无政府性基金预算收入，故本表无数据。
            continue
        if any(re.match(rf"^\s*{re.escape(lab)}\s*[：:]", s) for lab in fam.unit_labels) or \
                (MONEY_UNIT_IN_LINE_RE.search(s) and (not data_started or resumed) and not _is_row(s)):
            if not resumed:
                cur.unit_lines.append(ln)
            continue
        if cur.spec.layout in ("indicators", "unread"):
            cur.data.append(ln)
            continue
        if fam.index_words and _index_line(s, fam):
            cur.header.append(ln)  # 栏次 1 2 3: the columns' numbers
            header_keys.add(squash(s))
            continue
        ignore = frozenset(vocab) if cur.spec.layout in ("subjects", "pairs") else frozenset()
        if not data_started and not _is_row(s, ignore) and \
                not (cur.spec.layout == "two-sided" and TOP_ORDINAL_RE.match(s)) and \
                (not vocab or cur.spec.layout not in ("subjects", "pairs") or "\t" in ln.text or _header_like(s, vocab)
                 or _names_columns(s, cur.spec, vocab) or _header_below(lines, i, cur.spec, vocab)):
            cur.header.append(ln)
            header_keys.add(squash(s))
            continue
        if data_started and squash(s) in header_keys:
            continue  # a header repeated on the next page
        if resumed and not _is_row(s) and _header_like(s, vocab):
            continue  # the repeated header, printed a little otherwise
        data_started = True
        resumed = False
        cur.data.append(ln)
    # a heading's text ends where the next heading or table starts
    fixed: list[tuple[Heading, int]] = []
    for i, (h, end) in enumerate(heads):
        nxt = heads[i + 1][0].line - 1 if i + 1 < len(heads) else len(lines)
        fixed.append((h, min(end, nxt)))
    return segments, fixed, in_table


_CONTINUED = re.compile(r"\s*[（(]\s*续(?:表|上表)?\s*\d*\s*[)）]\s*$|\s*续表\s*\d*\s*$")


def _continued_title(text: str, title: str) -> bool:
    """``text`` is ``title`` again, marked as its continuation (支出决算表（续表）, …（续）, …续表), or the mark
    alone (（续表）)."""
    base = _CONTINUED.sub("", text)
    return base != text and squash(base) in ("", squash(_CONTINUED.sub("", title.strip())))


UNREAD = TableSpec("", Words((), ()), "unread")
FOLLOW_LINES = 6  # how far below its title a table's 单位 line, header or first row may start


def _contents_pages(lines: list[PLine]) -> set[int]:
    """Pages that open with a 目录 heading: a table of contents (its titles have no table under them) —
    and the pages after one that go on with it, printing nothing but titles (no sentence, no figure)."""
    out = {ln.page for ln in lines if ln.first and CONTENTS_RE.match(squash(ln.text.strip().lstrip("#").strip()))}
    by_page: dict[int, list[str]] = {}
    for ln in lines:
        if ln.text.strip():
            by_page.setdefault(ln.page, []).append(ln.text.strip())
    for p in sorted(out):
        nxt = p + 1
        while nxt in by_page and all(len(t) <= MAX_HEADING and "\t" not in t and not SENTENCE_RE.search(t)
                                     and not _is_figure_line(t) for t in by_page[nxt]):
            out.add(nxt)
            nxt += 1
    return out


def _table_follows(lines: list[PLine], i: int, fam: Family, layout: str = "") -> bool:
    """Is the title at ``i`` followed by its table — a 单位 line, a 注, a row (a TAB row, a coded or figure
    line that is no sentence) — before any prose, another title or the end? Lines between them that are
    neither (header words, a sub-heading ``（一）总体情况``) are passed over. A heading that shares a table's
    title words (``一般公共预算基本支出情况说明``) is followed by prose: narrative, never a table."""
    seen = 0
    for k, x in enumerate(lines[i + 1:], i + 1):
        t = x.text.strip()
        if not t:
            continue
        seen += 1
        if seen > FOLLOW_LINES:
            return False
        if "\t" in x.text or NOTE_RE.match(t) or MONEY_UNIT_IN_LINE_RE.search(t) or \
                any(re.match(rf"^\s*{re.escape(lab)}\s*[：:]", t) for lab in fam.unit_labels):
            return True
        if _table_no_only(t) and not _next_title(lines, k, fam):
            continue  # the title's own number printed under it (收入支出决算总表 / 公开01表 / 部门：…)
        if _title_spec(x, fam) is not None or _unread_title(x) or _table_no_only(t) or PART_RE.match(t):
            return False
        if SENTENCE_RE.search(t):
            return False
        if _is_row(t) or layout == "indicators":  # (a 绩效目标表 is text: 项目名称 …, 年度目标 …)
            return True
    return False


def _next_title(lines: list[PLine], i: int, fam: Family) -> bool:
    nxt = next((x for x in lines[i + 1:i + 3] if x.text.strip()), None)
    return nxt is not None and (_title_spec(nxt, fam) is not None or _unread_title(nxt))


def _after_table_no(lines: list[PLine], i: int) -> bool:
    prev = next((x for x in reversed(lines[max(0, i - 2):i]) if x.text.strip()), None)
    return bool(TABLE_NO_RE.match(lines[i].text)) or (prev is not None and _table_no_only(prev.text))


def _unit_line_follows(lines: list[PLine], i: int, fam: Family) -> bool:
    """The line after a title is its 单位 / 编制单位 line."""
    nxt = next((x.text.strip() for x in lines[i + 1:i + 3] if x.text.strip()), "")
    return bool(MONEY_UNIT_IN_LINE_RE.search(nxt)) or \
        any(re.match(rf"^\s*{re.escape(lab)}\s*[：:]", nxt) for lab in fam.unit_labels)


def _index_line(text: str, fam: Family) -> bool:
    """A row of column numbers: ``栏次 1 2 3`` (or ``栏次 1 栏次 2`` in a two-sided table) — or the numbers
    alone, counted from 1 (``1 2 3 … 12`` above a one-row 三公 table): no row of figures counts so."""
    toks = text.split()
    if len(toks) >= 3 and toks == [str(k) for k in range(1, len(toks) + 1)]:
        return True
    return bool(toks) and toks[0] in fam.index_words and \
        all(t in fam.index_words or re.fullmatch(r"\d{1,2}", t) for t in toks[1:])


def _continues(cur: _Segment, ln: PLine, header_keys: set[str], nxt: str = "", vocab: tuple[str, ...] = ()) -> bool:
    """Does a page that starts with ``ln`` go on with table ``cur``? (``nxt``: the line after it.)"""
    s = ln.text.strip()
    if cur.spec.layout in ("one-row",):
        return False
    if squash(s) in header_keys:
        return True
    if cur.spec.layout == "indicators":
        return not _is_heading(ln)
    if cur.spec.layout == "two-sided" and not cur.note and TOP_ORDINAL_RE.match(s) and not SENTENCE_RE.search(s) \
            and len(squash(s)) <= 30 and cur.data:
        return True  # an item without a figure, on a page the table goes on to (no 注 under it yet)
    if vocab and cur.spec.layout in ("subjects", "pairs") and not _is_row(s) and _is_row(nxt) \
            and not SENTENCE_RE.search(s) and numbering(s) is None and not _header_like(s, vocab) \
            and len(squash(s)) <= 20:
        return bool(cur.data)  # the first half of a wrapped subject name, its row on the next line
    return _is_row(s) and not _is_heading(ln)


def _default_unit(segments: list[_Segment]) -> str:
    units = [u for seg in segments for ln in seg.unit_lines
             if (m := MONEY_UNIT_IN_LINE_RE.search(ln.text)) and (u := m.group(1))]
    if not units:
        return STORE_UNIT
    return Counter(units).most_common(1)[0][0]


# ---------------------------------------------------------------- rows of a table

@dataclass
class _PRow:
    """A row read off the text, before its figures are placed."""
    line: PLine
    side: str
    code: str | None
    name: str
    figures: list[str]
    fixed: list[int] | None = None  # the known column of each figure (TAB-separated cells)
    var: int = -1
    group: str = ""  # a two-sided table's item listed under another (年初财政拨款结转和结余 → 一、…)


@dataclass
class _Built:
    seg: _Segment
    kind: str
    title: str
    unit: str
    columns: list[tuple[str, str]]  # (side, column name) in order
    rows: list[_PRow]
    note: str
    indicators: tuple[Indicator, ...] = ()
    project: str = ""
    one_row: bool = False
    vars: list[Var] = field(default_factory=list)
    doubt_cols: frozenset[int] = frozenset()  # columns whose place the header leaves open (``_order_columns``)
    down: bool = False  # a one-row table printed one line per item (``_items_down``)
    row_columns: tuple[str, ...] = ()  # a one-row table printed a line per year: each row's stored column

    def widths(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for side, _ in self.columns:
            out[side] = out.get(side, 0) + 1
        return out

    def side_columns(self, side: str) -> list[str]:
        return [c for s, c in self.columns if s == side]

    def table(self) -> Table:
        pages = [self.seg.title.page] + [ln.page for ln in self.seg.data]
        last = max([self.seg.title.no] + [ln.no for ln in self.seg.data + self.seg.header])
        header = " ".join(ln.text.strip() for ln in self.seg.header)
        if self.kind == "绩效目标表":
            cols = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
            return Table(self.kind, self.title, cols, self.note, self.project, "", self.seg.title.no, last, (),
                         self.indicators, min(pages), max(pages), header)
        rows = _rows_of(self)
        names = tuple(c for _, c in self.columns) if not self.one_row else \
            self.row_columns or _one_row_columns(self.seg.spec)
        return Table(self.kind, self.title, names, self.note, "", "", self.seg.title.no, last, tuple(rows), (),
                     min(pages), max(pages), header)


def _build(seg: _Segment, default_unit: str, file: str, warnings: list[ParseWarning], fam: Family,
           known: dict[str, list[str]], year: int = 0) -> _Built | None:
    spec = seg.spec
    title = re.sub(r"\s+", "", TABLE_NO_RE.sub("", ORDINAL_RE.sub("", seg.title.text.strip())))
    if spec.layout == "unread":
        warnings.append(ParseWarning(seg.title.no, f"{title}: a table of no kind the template {fam.name} reads; "
                                                   "left out"))
        return None
    unit = _unit_of(seg, default_unit, file)
    note = "".join(seg.note)
    if spec.layout == "indicators":
        project, inds = _indicators(seg, warnings)
        return _Built(seg, spec.kind, title, unit, [], [], note, tuple(inds), project)
    if spec.layout == "one-row" and _item_lines(seg, spec):
        return _items_down(seg, spec, title, unit, note, year, fam, warnings)
    seg.index = _index_of(seg, fam)
    lines_cols: list[list[Column]] = []
    if spec.by_header:
        lines_cols = _printed_columns(seg, spec)
        present = {c.name for cs in lines_cols for c in cs}
        spec = spec.with_columns(tuple(c for c in spec.columns if c.name in present or not c.optional))
        seg.spec = spec
    columns = [(c.side, c.name) for c in spec.columns]
    if not columns:
        warnings.append(ParseWarning(seg.title.no, f"{title}: the template lists no columns for {spec.kind}; "
                                                   "the table is left out"))
        return None
    if not spec.by_header:
        _check_header(seg, spec, title, warnings)
    b = _Built(seg, spec.kind, title, unit, columns, [], note, one_row=spec.layout == "one-row")
    if spec.layout == "one-row":
        b.rows, b.row_columns = _one_row(seg, spec, warnings, title, year)
        _block_order(b)
    elif spec.layout == "two-sided":
        b.rows = _two_sided(seg, b, warnings, title)
    elif spec.layout == "pairs":
        b.rows = _pairs_rows(seg, warnings, title, frozenset(_header_vocabulary(spec, fam)), known)
    else:
        vocab = frozenset(_header_vocabulary(spec, fam)) if fam.header_words else frozenset()
        b.rows = _subject_rows(seg, len(columns), warnings, title, vocab, known)
    if lines_cols and b.rows:
        _order_columns(b, lines_cols, warnings)
    if not b.rows and not note:
        warnings.append(ParseWarning(seg.title.no, f"table {title!r} has no rows and no 注 note"))
    return b


# the change between two years' columns, printed after them: 增减额, 增减率（%）, 比上年增减, 增长率
CHANGE_COLUMN_RE = re.compile(r"^(?:比上年)?(?:增减|增长|变动|变化)(?:额|率|幅度|数)?(?:[（(][%％][)）])?$")
# a column of figures in a table of items printed down the page: 预算数, 2025年预算数, 2024年决算数 …
VALUE_COLUMN_RE = re.compile(r"^(?:(\d{4})\s*年度?)?(预算数|决算数|预算|决算|金额|预算金额|决算金额)$")


def _item_of(text: str, spec: TableSpec) -> Column | None:
    """The column of a one-row table an item line names (``2.公务接待费 4.10 3.60``, ``其中：（1）公务用车购置费``)."""
    toks = tokens(text)
    j = len(toks)
    while j > 0 and is_figure(toks[j - 1]):
        j -= 1
    name = QIZHONG_RE.sub("", "".join(toks[:j]))
    name = ORDINAL_RE.sub("", QIZHONG_RE.sub("", name))
    if not name:
        return None
    # a template whose columns are item/group (合计/预算数 … 公务接待费/决算数): the line names the item
    return _column_of_token(name, spec, exact=True) or next(
        (c for c in spec.columns if "/" in c.name and _item(c.name) == squash(name).replace("(", "（").replace(")", "）")),
        None)


def _item(column: str) -> str:
    """The item a one-row table's column is of: 公务接待费 of 公务接待费/决算数 (a column with no group: itself)."""
    return column.split("/", 1)[0]


def _item_lines(seg: _Segment, spec: TableSpec) -> bool:
    """A one-row table printed down the page (one line per item, its figures across: 合计 22.10 20.40 /
    1.因公出国（境）费 / 2.公务接待费 4.10 3.60 …): two or more of its lines name one of its columns."""
    return sum(1 for ln in seg.data if "\t" not in ln.text and _item_of(ln.text, spec) is not None) >= 2


def _items_down(seg: _Segment, spec: TableSpec, title: str, unit: str, note: str, year: int, fam: Family,
                warnings: list[ParseWarning]) -> _Built | None:
    """Read a one-row table printed as one line per item: each item is a row (named as the template stores
    it), the header's figure columns its columns — the document's year's ``预算数`` (``决算数``), the year
    before's ``上年预算数``. Which items add up to which is the template's sums (``_tree_sums``)."""
    cols: list[str] = []
    after = 0  # columns printed after the years' — the change between them (增减额, 增减率（%）): read, not stored
    for ln in seg.header:
        for tok in ln.text.split():
            c = _year_column(squash(tok), year)
            if c is not None and not after:
                cols.append(c)
            elif cols and CHANGE_COLUMN_RE.match(squash(tok)):
                after += 1
    cols = cols or [("决算数" if fam.doc_kind == "决算" else "预算数")]
    if len(set(cols)) != len(cols) or not any(c in ("预算数", "决算数") for c in cols):
        warnings.append(ParseWarning(seg.title.no, f"{title}: its figure columns ({' '.join(cols)}) name no one "
                                                   f"column of {year}; the table is left out"))
        return None
    b = _Built(seg, spec.kind, title, unit, [("", c) for c in cols], [], note, down=True)
    parent_of: dict[str, str] = {}
    for left, parts in spec.sums:
        t = _column_of_token(left[0], spec) if len(left) == 1 else None
        for p_ in parts:
            c = _column_of_token(p_, spec)
            if t is not None and c is not None and _item(t.name) != "合计":
                parent_of[_item(c.name)] = _item(t.name)
    seen: set[str] = set()
    for ln in seg.data:
        c = _item_of(ln.text, spec)
        figs = [t for t in tokens(ln.text) if is_figure(t)]
        if c is None:
            if figs:
                warnings.append(ParseWarning(ln.no, f"{title}: cannot read the row {ln.text.strip()!r}"))
            continue
        item = _item(c.name)
        if item in seen:
            warnings.append(ParseWarning(ln.no, f"{title}: {item} printed twice; the second is left out"))
            continue
        seen.add(item)
        j = len(tokens(ln.text)) - len(figs)
        figs = [t for t in tokens(ln.text)[j:]]
        if after and len(cols) <= len(figs) <= len(cols) + after:
            figs = figs[:len(cols)]  # the years' figures come first; a change of 0 may print no rate
        b.rows.append(_PRow(ln, "", None, item, figs, list(range(len(figs))) if len(figs) == len(cols) else None,
                            group=parent_of.get(item, "")))
    return b


def _index_of(seg: _Segment, fam: Family) -> str:
    """How a table numbers its rows: a 序号 column first (``lead``), a 行次 column after each item's
    name (``after``), or not at all."""
    head = squash(" ".join(ln.text for ln in seg.header))
    if "序号" in fam.index_words and "序号" in head:
        return "lead"
    if "行次" in fam.index_words and "行次" in head:
        return "after"
    return ""


def _drop_index(toks: list[str], index: str) -> list[str]:
    """A row's tokens without its row number (``lead``: ``1 205 教育支出 …``): a number followed by a
    code or a name (never by a code's next part: ``205 08 03`` printed without its 序号 keeps 205)."""
    if index == "lead" and len(toks) > 1 and re.fullmatch(r"\d{1,4}", toks[0]) and not is_figure(toks[1]):
        return toks[1:]
    if index == "lead" and len(toks) > 1 and re.fullmatch(r"\d{1,4}", toks[0]) and \
            CODE_PART_RE.match(toks[1]) and len(toks[1]) in (3, 5, 7):
        return toks[1:]
    return toks


def _row_number(tok: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}", tok))


def _column_of_token(tok: str, spec: TableSpec, exact: bool = False) -> Column | None:
    """The column a header token prints: one of its words exactly, else (4 characters or more, a word
    the PDF wrapped: ``国有资本经营预`` / ``算拨款收入``) the start of one column's words only."""
    def norm(w: str) -> str:
        return squash(w).replace("(", "（").replace(")", "）")
    t = norm(tok)
    for c in spec.columns:
        if any(t == norm(w) for w in (*c.words, c.name)):
            return c
    if len(t) >= 4 and not exact:
        hits = {c.name: c for c in spec.columns if any(norm(w).startswith(t) for w in (*c.words, c.name))}
        if len(hits) == 1:
            return next(iter(hits.values()))
    return None


def _printed_columns(seg: _Segment, spec: TableSpec) -> list[list[Column]]:
    """Per header line, the columns it prints in the order printed. A column printed on two lines (a
    group's name above, its 小计 below) counts where it is printed last (the row above the figures)."""
    out: list[list[Column]] = []
    loose: list[tuple[int, str]] = []  # (line, token) naming no column
    for k, ln in enumerate(seg.header):
        found: list[Column] = []
        for tok in ln.text.split():
            c = _column_of_token(tok, spec)
            if c is not None and c not in found:
                found.append(c)
            elif c is None:
                loose.append((k, tok))
        out.append(found)
    # a column name printed in halves on two lines (``上年`` above the header's line, ``结转`` below it)
    named = {c.name for f in out for c in f}
    for a, (ka, ta) in enumerate(loose):
        for kb, tb in loose[a + 1:]:
            c = _column_of_token(ta + tb, spec, exact=True) if kb > ka else None
            if c is not None and c.name not in named:
                out.append([c])
                named.add(c.name)
    # a group printed above its parts (``基本支出`` over ``小计 人员经费 公用经费``): the line below that opens
    # with the group's own column stands, whole, where the group stands in the line above
    for k in range(len(out) - 1, 0, -1):
        head = out[k][0] if out[k] else None
        for j in range(k - 1, -1, -1):
            if head is not None and head in out[j] and not any(c in out[j] for c in out[k][1:]):
                at = out[j].index(head)
                out[j][at:at + 1] = out[k]
                out[k] = []
                break
    seen: set[str] = set()
    for found in reversed(out):
        found[:] = [c for c in found if c.name not in seen]
        seen.update(c.name for c in found)
    return [f for f in out if f]


MAX_ORDERS = 20000


def _interleavings(seqs: list[list[str]]) -> list[tuple[str, ...]]:
    """Every order of the items that keeps each sequence's own order (capped at MAX_ORDERS)."""
    out: list[tuple[str, ...]] = []

    def go(pos: tuple[int, ...], acc: list[str]) -> None:
        if len(out) >= MAX_ORDERS:
            return
        if all(p == len(s) for p, s in zip(pos, seqs)):
            out.append(tuple(acc))
            return
        for k, s in enumerate(seqs):
            if pos[k] < len(s):
                go(pos[:k] + (pos[k] + 1,) + pos[k + 1:], acc + [s[pos[k]]])
    go(tuple(0 for _ in seqs), [])
    return out


def _order_columns(b: _Built, lines_cols: list[list[Column]], warnings: list[ParseWarning]) -> None:
    """The order of a table's columns where its header spreads them over lines (``合计 项目支出`` above,
    ``小计 人员经费 公用经费`` below): every order that keeps each line's own order is a candidate; a row
    printing every column keeps the candidates under which the table's sums hold; of those left, the
    template's order wins, else the first — and a column the candidates left put in different places
    is stored uncertain."""
    spec = b.seg.spec
    names = [c.name for c in spec.columns]
    seqs = [[c.name for c in cs if c.name in names] for cs in lines_cols]
    printed = {n for s in seqs for n in s}
    seqs += [[n] for n in names if n not in printed]  # a column always there, not found in the header
    seqs = [s for s in seqs if s]
    if len(seqs) < 2:
        order = tuple(seqs[0]) if seqs else tuple(names)
        if order != tuple(names):
            _set_order(b, order)
        return
    candidates = _interleavings(seqs)
    full = [r for r in b.rows if len(r.figures) == len(names) and not any(is_dash(f) for f in r.figures)]
    if full:
        scale = scale_of(f for r in full for f in r.figures)
        ints = [[to_int(f, scale) or 0 for f in r.figures] for r in full]
        kept = [o for o in candidates if all(_sums_hold(spec, o, v) for v in ints)]
        candidates = kept or candidates
    canonical = tuple(names)
    if canonical in candidates:
        return
    order = candidates[0]
    _set_order(b, order)
    if len(candidates) > 1:
        open_cols = frozenset(i for i, n in enumerate(order) if any(o[i] != n for o in candidates))
        if open_cols:
            b.doubt_cols = open_cols
            warnings.append(ParseWarning(b.seg.title.no, f"{b.title}: the header leaves the order of "
                                                         f"{'、'.join(order[i] for i in sorted(open_cols))} open; "
                                                         "those cells are stored uncertain"))


def _sums_hold(spec: TableSpec, order: tuple[str, ...], v: list[int]) -> bool:
    pos = {n: i for i, n in enumerate(order)}
    for c in spec.columns:
        for w in (c.printed, *c.words):
            pos.setdefault(w, pos.get(c.name, -1))
    for left, right in spec.sums:
        li, ri = [pos.get(w, -1) for w in left], [pos.get(w, -1) for w in right]
        if min(li + ri) < 0:
            continue
        tol = max(1, (len(li) + len(ri)) // 2)
        if abs(sum(v[i] for i in li) - sum(v[i] for i in ri)) > tol:
            return False
    return True


def _set_order(b: _Built, order: tuple[str, ...]) -> None:
    spec = b.seg.spec
    by_name = {c.name: c for c in spec.columns}
    b.seg.spec = spec.with_columns(tuple(by_name[n] for n in order))
    b.columns = [(c.side, c.name) for c in b.seg.spec.columns]


def _unit_of(seg: _Segment, default: str, file: str) -> str:
    unit, at = "", 0
    for ln in seg.unit_lines:
        m = MONEY_UNIT_IN_LINE_RE.search(ln.text)
        if not m:
            continue
        u = m.group(1)
        if factor(u) is None:
            if is_money_word(u):
                raise IngestError(file, ln.no, f"unknown money unit 单位：{u} (known: 元, 千元, 万元, 百万元, "
                                               "千万元, 亿元 — lexicon/money_units.tsv)")
            continue
        if unit and u != unit:
            raise IngestError(file, ln.no, f"单位：{u} here, but this table's earlier page (line {at}) says "
                                           f"单位：{unit}: one table cannot be in two units")
        unit, at = u, ln.no
    return unit or default


def _check_header(seg: _Segment, spec: TableSpec, title: str, warnings: list[ParseWarning]) -> None:
    """Every column the template names must be printed in the header (its characters in order)."""
    text = squash("".join(ln.text for ln in seg.header))
    if not text:
        return
    for c in spec.columns:
        if not all(_subsequence(squash(w).replace("（", "(").replace("）", ")"),
                                text.replace("（", "(").replace("）", ")")) for w in c.printed.split("/")):
            warnings.append(ParseWarning(seg.header[0].no, f"{title}: the header does not print column "
                                                           f"{c.printed!r} the template expects"))


def _subsequence(word: str, text: str) -> bool:
    it = iter(text)
    return all(ch in it for ch in word)


def _split_code(toks: list[str], bare: bool = False) -> tuple[str | None, list[str]]:
    """Leading code parts (``212 01 04`` or ``2120104``) → the joined code and the other tokens.
    ``bare``: a code may stand alone or right before the figures (its name wrapped onto the lines
    around it: ``机关事业单位基本养老保险缴费`` / ``2080505 699.30 699.30`` / ``支出``)."""
    parts: list[str] = []
    i = 0
    while i < len(toks) and CODE_PART_RE.match(toks[i]) and (not parts or len(toks[i]) == 2) and len(parts) < 3:
        parts.append(toks[i])
        i += 1
    if not parts or len(parts[0]) not in (3, 5, 7):
        return None, toks
    if i >= len(toks) or is_figure(toks[i]):
        nxt_code = i < len(toks) and bool(CODE_PART_RE.match(toks[i])) and len(toks[i]) in (3, 5, 7)
        if not bare or parts[0][0] not in "23" or (i < len(toks) and not _is_money(toks[i]) and not nxt_code):
            return None, toks
    return "".join(parts), toks[i:]


def _is_money(tok: str) -> bool:
    """A figure printed as money (``1,700.57``, ``0.00``, ``0``) rather than another code part."""
    return is_figure(tok) and ("." in tok or "," in tok or tok == "0")


def _cells_of(ln: PLine) -> tuple[list[str], bool]:
    """(cells, positions known): TAB-separated cells keep their places; else space tokens."""
    if "\t" in ln.text:
        return [c.strip() for c in ln.text.split("\t")], True
    return tokens(ln.text), False


def _clean_tokens(toks: list[str], vocab: frozenset[str], totals: bool = True) -> list[str]:
    """A row's tokens without the header words printed on its line: ``类 款 项 合计 …`` → ``合计 …``;
    ``合计 0 2002.80 合计 基本支出 项目支出 0`` → ``合计 0 2002.80 0``."""
    if not vocab:
        return toks
    out = list(toks)
    while len(out) > 1 and out[0] in ("类", "款", "项") and not is_figure(out[0]):
        out.pop(0)
    first = next((i for i, t in enumerate(out) if is_figure(t)), len(out))
    return out[:first] + [t for t in out[first:] if is_figure(t) or (t not in vocab and not (totals and is_total(t)))]


@dataclass
class _Piece:
    """One line of a subject table before wrapped names are resolved: a row, or a fragment of a name."""
    row: _PRow | None
    frag: str = ""
    heads: int = 0  # fragments above a row that joined its name
    named: bool = False  # the row's code line printed part of its name


def _subject_rows(seg: _Segment, width: int, warnings: list[ParseWarning], title: str,
                  vocab: frozenset[str] = frozenset(), known: dict[str, set[str]] | None = None) -> list[_PRow]:
    """Rows of a coded table. A long subject name wraps onto lines of its own: the fragments above a
    code line and below it (the code line printed between them, with the middle of the name or none
    of it) belong to it. Fragments between two code lines are split between the row above (tails)
    and the row below (heads) so that the names are those the same codes print elsewhere in the
    document or in the classification (``known``); failing that, a row takes as many tails as it
    took heads (a cell's text is centred on its row)."""
    pieces: list[_Piece] = []
    for ln in seg.data:
        cells, known_pos = _cells_of(ln)
        if known_pos:
            figs_cells = cells[-width:] if len(cells) > width else cells
            head = cells[: len(cells) - len(figs_cells)]
            head = [c for c in head if c not in ("类", "款", "项")]  # 类 款 项 printed in the 合计 row's code cells
            code_parts = [c for c in head if CODE_PART_RE.match(c)]
            name = join_wrapped(" ".join(c for c in head if c and not CODE_PART_RE.match(c)))
            code = "".join(code_parts) or None
            figs = [c for c in figs_cells if c]
            fixed = [i for i, c in enumerate(figs_cells) if c]
            pieces.append(_Piece(_PRow(ln, "", code, name, figs, fixed), named=True))
            continue
        cells = _drop_index(_clean_tokens(cells, vocab), seg.index)
        code, rest = _split_code(cells, bare=bool(vocab))
        j = len(rest)
        while j > 0 and is_figure(rest[j - 1]):
            j -= 1
        name_toks, figs = rest[:j], rest[j:]
        if seg.index == "after" and figs and _row_number(figs[0]) and (name_toks or code or len(figs) > 1):
            figs = figs[1:]  # the 行次 after the name
        if any(is_figure(t) for t in name_toks) and code is None and not name_toks[:1]:
            warnings.append(ParseWarning(ln.no, f"{title}: cannot read the row {ln.text.strip()!r}"))
            continue
        name = join_wrapped(" ".join(name_toks))
        if code is None and not name and figs:
            # figures alone on a line: the row whose code line printed none (a garbled page)
            last = next((p.row for p in reversed(pieces) if p.row is not None), None)
            if last is not None and not last.figures and last.code:
                last.figures = figs
                continue
        if not figs and code is None and not _is_row(ln.text):
            if vocab:
                pieces.append(_Piece(None, name))
            elif pieces and pieces[-1].row is not None:
                pieces[-1].row.name += name  # a wrapped subject name: the rest of the row above
            continue
        pieces.append(_Piece(_PRow(ln, "", code, name, figs, None), named=bool(name)))
    if vocab:
        _resolve_fragments(pieces, known or {}, warnings, title)
    return [p.row for p in pieces if p.row is not None]


def _same_name(a: str, b: str) -> bool:
    return _name_key(a) == _name_key(b)


def _name_key(s: str) -> str:
    return re.sub(r"[\s（）()]", "", s)


def _resolve_fragments(pieces: list[_Piece], known: dict[str, set[str]], warnings: list[ParseWarning],
                       title: str) -> None:
    """Give each run of name fragments to the row above (its tails) and the row below (its heads)."""
    i = 0
    prev: _Piece | None = None
    while i <= len(pieces):
        j = i
        while j < len(pieces) and pieces[j].row is None:
            j += 1
        frags = [p.frag for p in pieces[i:j]]
        nxt = pieces[j] if j < len(pieces) else None
        if frags:
            n = len(frags)
            options = range(n + 1) if prev is not None and nxt is not None else \
                ([n] if nxt is None else [0]) if prev is not None or nxt is not None else []
            if prev is None and nxt is None:
                warnings.append(ParseWarning(0, f"{title}: text with no row: {' '.join(frags)}"))

            def score(k: int) -> tuple[int, int, int]:
                hits = 0
                if prev is not None and prev.row is not None and prev.row.code in known:
                    hits += any(_same_name(prev.row.name + "".join(frags[:k]), w) for w in known[prev.row.code])
                if nxt is not None and nxt.row is not None and nxt.row.code in known:
                    hits += any(_same_name("".join(frags[k:]) + nxt.row.name, w) for w in known[nxt.row.code])
                # a row whose code line printed none of its name has some of it on either side
                needs = int(nxt is None or nxt.named or k < n) + int(prev is None or prev.named or k > 0)
                sym = min(n, max(prev.heads, 0 if prev.named else 1)) if prev is not None else 0
                return hits, needs, -abs(k - sym)

            k = max(options, key=score) if options else 0
            if prev is not None and prev.row is not None:
                prev.row.name += "".join(frags[:k])
            if nxt is not None and nxt.row is not None:
                nxt.row.name = "".join(frags[k:]) + nxt.row.name
                nxt.heads = n - k
        prev = nxt
        i = j + 1
    for p in pieces:
        r = p.row
        if r is None or not r.code or r.code not in known:
            continue
        names = sorted(known[r.code], key=len, reverse=True)
        if any(_same_name(r.name, w) for w in known[r.code]):
            longer = [w for w in names if len(_name_key(w)) > len(_name_key(r.name))
                      and _name_key(w).startswith(_name_key(r.name))]
            if longer:  # a name the cell clipped (机关事业单位基本养老保险 for …保险缴费支出)
                warnings.append(ParseWarning(r.line.no, f"{title}: {r.code} printed as {r.name!r}; named "
                                                        f"{longer[0]!r} as the code is elsewhere"))
                r.name = longer[0]
            continue
        clean = [w for w in names if not r.name or _name_key(w).startswith(_name_key(r.name)) or _garbled(r.name, w)]
        if clean:
            warnings.append(ParseWarning(r.line.no, f"{title}: {r.code} printed as {r.name or '(no name)'!r}; "
                                                    f"named {clean[0]!r} as the code is elsewhere"))
            r.name = clean[0]


def _garbled(printed: str, name: str) -> bool:
    """A name printed with another cell's characters interleaved (two wrapped cells overprinted):
    most of the known name's characters occur in the printed text, in order."""
    it = iter(printed)
    hit = sum(1 for ch in name if ch in it)
    return len(printed) > len(name) // 2 and hit >= 0.7 * len(name)


def _one_row(seg: _Segment, spec: TableSpec, warnings: list[ParseWarning], title: str,
             year: int = 0) -> tuple[list[_PRow], tuple[str, ...]]:
    """The row of figures of a one-row table, and the stored column of each row read (``()``: the
    template's). A line may lead with a label: a unit (``341009 乐山市…中学 32,000.00 …``, the table
    printed per unit — its 合计 line is the table's, or its one unit's line), or a year (``2024年预算数
    31.70 …`` / ``2025年预算数 10.60 …``: each year's line a row, stored as the column 预算数 of the
    document's year and 上年预算数 of the year before)."""
    width = len(spec.columns)
    lines: list[tuple[PLine, str, list[str], list[int] | None]] = []  # (line, label, figures, known columns)
    for ln in seg.data:
        cells, known = _cells_of(ln)
        if known:
            figs = cells[-width:] if len(cells) > width else cells
            label = "".join(cells[:len(cells) - len(figs)])
            if not all(is_figure(c) for c in figs if c) or not any(figs):
                continue
            lines.append((ln, label, [c for c in figs if c], [i for i, c in enumerate(figs) if c]))
            continue
        j = 0
        while j < len(cells) and not is_figure(cells[j]):
            j += 1
        if j < len(cells) and CODE_PART_RE.match(cells[0]) and j == 0 and len(cells) > 1 and not is_figure(cells[1]):
            j = 1  # (a unit code alone before its name is no figure)
            while j < len(cells) and not is_figure(cells[j]):
                j += 1
        if j == len(cells) or not all(is_figure(t) for t in cells[j:]):
            continue
        lines.append((ln, "".join(cells[:j]), cells[j:], None))
    if not lines:
        return [], ()
    by_year = [(x, _year_column(squash(x[1]), year)) for x in lines if x[1]]
    if by_year and all(c is not None for _, c in by_year):
        cols = tuple(c for _, c in by_year if c is not None)
        if len(set(cols)) == len(cols) and any(c in ("预算数", "决算数") for c in cols):
            return [_PRow(ln, "", None, col, figs, known) for (ln, _, figs, known), col in zip(lines, cols)], cols
    totals = [x for x in lines if is_total(x[1])]
    if totals:
        ln, _, figs, known = totals[0]
    elif len(lines) == 1 or not any(label for _, label, _, _ in lines):
        ln, _, figs, known = lines[0]
        if len(lines) > 1:
            warnings.append(ParseWarning(lines[1][0].no, f"{title}: a one-row table with more than one row of "
                                                         "figures; only the first is read"))
    else:
        warnings.append(ParseWarning(lines[0][0].no, f"{title}: a line per unit and no 合计 line; not read"))
        return [], ()
    return [_PRow(ln, "", None, "", figs, known)], ()


def _year_column(label: str, year: int) -> str | None:
    """The column a year's figures are stored in: ``2025年预算数`` → 预算数 (the document's year), 上年预算数
    (the year before), ``2023年预算数`` (another); a label naming no year's figures → None."""
    m = VALUE_COLUMN_RE.match(label)
    if not m:
        return None
    what = "决算数" if "决算" in m.group(2) else "预算数"
    y = int(m.group(1)) if m.group(1) else year
    return what if y == year else "上年" + what if y == year - 1 else f"{y}年{what}"


def _block_order(b: _Built) -> None:
    """A one-row table of ``行/列`` cells whose header prints its column groups one after the other
    (``预算数`` over six items, then ``决算数`` over the same six) instead of the template's pairs: the
    figures are in that blocked order when the template's sums hold under it and not under the pairs."""
    spec = b.seg.spec
    groups = list(dict.fromkeys(c.row_and_column[1] for c in spec.columns))
    if len(groups) < 2 or not all("/" in c.name for c in spec.columns) or len(b.rows) != 1:
        return
    r = b.rows[0]
    if r.fixed is not None or len(r.figures) != len(spec.columns) or any(is_dash(f) for f in r.figures):
        return
    head = squash(" ".join(ln.text for ln in b.seg.header))
    at = {g: head.find(g) for g in groups}
    if any(i < 0 for i in at.values()):
        return
    blocked = tuple(c.name for g in sorted(groups, key=lambda g: at[g]) for c in spec.columns
                    if c.row_and_column[1] == g)
    canonical = tuple(c.name for c in spec.columns)
    scale = scale_of(r.figures)
    v = [to_int(f, scale) or 0 for f in r.figures]
    if blocked != canonical and _sums_hold(spec, blocked, v) and not _sums_hold(spec, canonical, v):
        _set_order(b, blocked)


def _side_of(label: str) -> str:
    return "支出" if EXPENSE_SIDE_RE.search(label_of(label)) else "收入"


def _segments_of(text: str, labels: frozenset[str] = frozenset()) -> list[tuple[str, list[str]]]:
    """A two-sided line → [(label, figures)]: each label with the figures that follow it. ``labels``:
    items the template names (``使用非财政拨款结余 结余分配`` is two items, not one wrapped label)."""
    out: list[tuple[str, list[str]]] = []
    for tok in tokens(text):
        if is_figure(tok):
            if not out:
                out.append(("", []))
            out[-1][1].append(tok)
        elif out and not out[-1][1] and not (_starts_item(tok, labels) and _has_words(out[-1][0])):
            out[-1] = (out[-1][0] + tok, [])
        else:
            out.append((tok, []))
    return out


def _starts_item(tok: str, labels: frozenset[str] = frozenset()) -> bool:
    """A token that starts an item of its own: ``二、…``, ``1.``, ``收入总计``, an item the template names."""
    return bool(TOP_ORDINAL_RE.match(tok) or SUB_ORDINAL_RE.match(tok) or ITEM_START_RE.match(tok) or is_total(tok)
                or tok in labels)


def _has_words(label: str) -> bool:
    """A label with more than its ordinal (``1.`` alone still takes the words after it)."""
    return bool(ORDINAL_RE.sub("", label).strip())


def _names_item_of(r: _PRow, rows: list[_PRow]) -> bool:
    """``r`` names a source the other side printed above (``政府性基金预算拨款`` under 上年结转, where the
    收入 side listed 二、政府性基金预算拨款收入): it is that side's."""
    label = label_of(r.name)
    return len(label) >= 4 and any(x is not r and label_of(x.name).startswith(label) for x in rows)


def _two_sided(seg: _Segment, b: _Built, warnings: list[ParseWarning], title: str) -> list[_PRow]:
    """Rows of a 收入 | 支出 table. A label the text wrapped around the figure line (``一、社会保障和就业``
    above, ``支出`` below) is joined and given to the side the figure line lacks a label for."""
    widths = b.widths()
    sides = [s for s in dict.fromkeys(s for s, _ in b.columns)]
    left, right = sides[0], sides[-1]
    labels = frozenset(w for bal in b.seg.spec.balances for w in (bal.total, *bal.parts))
    rows: list[_PRow] = []
    pending: _PRow | None = None  # a label-only line that may be the top half of a wrapped label
    waiting: _PRow | None = None  # a row that took ``pending`` as its label and may get a bottom half

    def fits(side: str, n: int) -> bool:
        return n <= widths.get(side, 0)

    for ln in seg.data:
        cells, known = _cells_of(ln)
        if known:
            pos = 0
            for side in sides:
                w = widths[side]
                name = join_wrapped(cells[pos]) if pos < len(cells) else ""
                vals = cells[pos + 1: pos + 1 + w]
                if name or any(vals):
                    rows.append(_PRow(ln, side, None, name, [v for v in vals if v],
                                      [i for i, v in enumerate(vals) if v]))
                pos += 1 + w
            pending = waiting = None
            continue
        segs = _segments_of(ln.text, labels)
        if seg.index == "after":  # each item's first number is its 行次
            segs = [(lab, fs[1:] if lab and fs and _row_number(fs[0]) else fs) for lab, fs in segs]
        if not any(f for _, f in segs) and len(segs) == 1:
            label = join_wrapped(segs[0][0])
            tail = waiting or pending
            if tail is not None and not ORDINAL_RE.match(label) and not TOP_ORDINAL_RE.match(label) \
                    and len(label) <= 8 and not is_total(label) and label not in labels:
                tail.name += label  # the bottom half of a wrapped label
                side = _side_of(tail.name)
                if side != tail.side and fits(side, len(tail.figures)):
                    tail.side = side
                waiting = None
                continue
            waiting = None
            pending = _PRow(ln, _side_of(label), None, label, [])
            rows.append(pending)
            continue
        if len(segs) > 2:
            warnings.append(ParseWarning(ln.no, f"{title}: more than two items on one line; read as two"))
            segs = [segs[0], (segs[1][0], [f for _, fs in segs[1:] for f in fs])]
        line_rows: dict[str, _PRow] = {}
        if len(segs) == 2:
            (l1, f1), (l2, f2) = segs
            line_rows[left] = _PRow(ln, left, None, join_wrapped(l1), f1)
            line_rows[right] = _PRow(ln, right, None, join_wrapped(l2), f2)
        else:
            label, figs = join_wrapped(segs[0][0]), segs[0][1]
            if label:
                side = _side_of(label)
                if side == left and not fits(left, len(figs)):
                    line_rows[left] = _PRow(ln, left, None, label, figs[: widths[left]])
                    line_rows[right] = _PRow(ln, right, None, "", figs[widths[left]:])
                else:
                    line_rows[side] = _PRow(ln, side, None, label, figs)
            else:
                side = pending.side if pending is not None and fits(pending.side, len(figs)) else \
                    (left if fits(left, len(figs)) and not fits(right, len(figs)) else right)
                line_rows[side] = _PRow(ln, side, None, "", figs)
        waiting = None
        unlabeled = [r for r in line_rows.values() if not r.name]
        lacking = [s for s in sides if s not in line_rows]
        if pending is not None and (unlabeled or lacking):
            # the label-only line above names this line's unlabeled figures (or the side it lacks)
            target = unlabeled[0] if unlabeled else None
            if target is not None:
                rows.remove(pending)
                target.name = pending.name
                waiting = target
            elif (not EXPENSE_SIDE_RE.search(label_of(pending.name)) or lacking[0] != "收入") and \
                    not (lacking[0] == "支出" and INCOME_ITEM_RE.search(label_of(pending.name))) and \
                    not _names_item_of(pending, [r for r in rows if r.side != lacking[0]]):
                waiting = pending
                pending.side = lacking[0]
        pending = None
        for side in sides:
            r = line_rows.get(side)
            if r is None:
                continue
            if not r.name:
                warnings.append(ParseWarning(ln.no, f"{title}: figures {' '.join(r.figures)} with no item name"))
            rows.append(r)
    for r in rows:
        if len(r.figures) == widths.get(r.side, 0):
            r.fixed = list(range(len(r.figures)))
    for side in sides:  # after the side's total, numbered items are parts of the item above them — and so is
        seen_total, owner = False, ""  # an item naming a source listed above the total (上年结转 / 一般公共预算拨款
        sources: list[_PRow] = []  # / 事业收入: the carry-over of each source)
        for r in rows:
            if r.side != side:
                continue
            if is_total(label_of(r.name)):
                seen_total = True
            elif seen_total and owner and (TOP_ORDINAL_RE.match(r.name) or _names_item_of(r, sources)):
                r.group = owner
            else:
                owner = label_of(r.name)
                if not seen_total:
                    sources.append(r)
    return rows


# ---------------------------------------------------------------- placing figures in columns

NarrativeFigure = Callable[[str, str], "float | None"]


def _place(built: list[tuple[_Segment, _Built]], warnings: list[ParseWarning],
           narrative: NarrativeFigure | None = None) -> list[Mismatch]:
    """Build one placement problem for the whole document (tables refer to each other) and solve it;
    then put in doubt the figures of any identity the document breaks (``placement.doubt``)."""
    raws = [f for _, b in built for r in b.rows for f in r.figures if not is_dash(f)]
    scale = scale_of(raws)
    vs: list[Var] = []
    cons: list = []
    by_kind: dict[str, _Built] = {}
    for _, b in built:
        if b.kind == "绩效目标表":
            continue
        by_kind.setdefault(b.kind, b)
        widths = b.widths()
        for r in b.rows:
            ints = [0 if is_dash(f) else to_int(f, scale) for f in r.figures]
            if any(v is None for v in ints):
                ints = [0] * len(ints)
            width = widths.get(r.side, 0)
            r.var = len(vs)
            fixed = r.fixed
            if b.one_row and fixed is None and len(r.figures) == width:
                fixed = list(range(width))
            vs.append(new_var([int(v) for v in ints], width, fixed))  # type: ignore[arg-type]
            if len(r.figures) > width:
                warnings.append(ParseWarning(r.line.no, f"{b.title}: {len(r.figures)} figures for {width} columns"))
    # figures printed with decimals are rounded (万元 to the cent): each of a sum's n figures is off by
    # at most half a last digit, so the printed sum may differ from Σ printed parts by n/2 last digits
    for _, b in built:
        if b.kind == "绩效目标表":
            continue
        cons += [replace(c, tol=_rounding(c) if scale > 1 else 0) for c in _row_sums(b) + _tree_sums(b) + _balances(b)]
    hints: set[int] = set()

    def constant(value: float) -> int | None:
        v = to_int(str(value), scale)
        if v is None:
            return None
        vs.append(new_var([v], 1, [0]))
        hints.add(len(vs) - 1)
        return len(vs) - 1

    def stated(value: float, unit: str) -> tuple[int | None, int]:
        """A figure the narrative states in 万元 (to the cent), in a table printed in ``unit``: its
        constant, and how far a printed figure may be from it (half the narrative's last digit)."""
        f = Decimal(str(factor(unit) or 1.0))
        vs.append(new_var([int(Decimal(str(value)) / f * scale)], 1, [0]))
        hints.add(len(vs) - 1)
        return len(vs) - 1, max(1, int(Decimal("0.005") / f * scale))

    for _, b in built:
        if b.kind == "绩效目标表":
            continue
        cons += [c if c.tol else replace(c, tol=1 if scale > 1 else 0)
                 for c in _same(b, by_kind, narrative, constant, stated)]
    # a part is never more than its whole (``≤``): a bound between two tables, used only where neither
    # table's own arithmetic is broken — a table whose figures are shifted against its rows would
    # otherwise settle the other table's columns wrongly, with nothing left in doubt there
    bounds = [c for c in cons if isinstance(c, AtMost)]
    cons = [c for c in cons if not isinstance(c, AtMost)]
    broken = solve(vs, cons)
    doubt(vs, cons, broken, frozenset(hints))
    table_of = {r.var: id(b) for _, b in built if b.kind != "绩效目标表" for r in b.rows}
    shaky = {table_of[i] for i, v in enumerate(vs) if v.doubted and i in table_of}
    bounds = [c for c in bounds if table_of.get(c.a) not in shaky and table_of.get(c.b) not in shaky]
    if bounds:
        cons += bounds
        broken += [c for c in solve(vs, cons) if c not in broken]
        doubt(vs, cons, broken, frozenset(hints))
    for _, b in built:
        b.vars = vs
    owner = {r.var: (b, r) for _, b in built if b.kind != "绩效目标表" for r in b.rows}
    return [f for c in broken if not (isinstance(c, Equal) and (c.a in hints or c.b in hints))
            for f in _faults(c, vs, owner, scale)]


def _faults(c: RowSum | TreeSum | Equal, vs: list[Var], owner: dict, scale: int) -> list[Mismatch]:
    """What a broken identity says, in the words ``check`` uses (its figures in 万元)."""
    def name(i: int) -> tuple[_Built, str]:
        b, r = owner[i]
        label = label_of(r.name) if r.name else ""
        return b, (f"{r.side}:" if r.side else "") + " ".join(x for x in (r.code, label) if x)

    def col_name(b: _Built, r: _PRow, k: int) -> str:
        cols = b.side_columns(r.side) if not b.one_row else [c.name for c in b.seg.spec.columns]
        return cols[k] if k < len(cols) else str(k)

    def wan(b: _Built, x: int) -> float:
        f = factor(b.unit) or 1.0
        return round(x / scale * f, 6)

    def one(i: int) -> tuple[int, ...] | None:
        return vs[i].vectors()[0] if len(vs[i].placements) == 1 else None

    out: list[Mismatch] = []

    def Fault(table: str, row: str, column: str, expected: float | None, actual: float | None,  # noqa: N802
              message: str) -> Mismatch:
        return Mismatch(0, "存疑", table, row, column, expected, actual, message)
    if isinstance(c, RowSum):
        b, where = name(c.var)
        r = owner[c.var][1]
        v = one(c.var)
        left = " + ".join(col_name(b, r, k) for k in c.left)
        parts = " + ".join(col_name(b, r, k) for k in c.parts)
        if v is None:
            out.append(Fault(b.title, where, left, None, None, f"{b.title} · {where}: its figures "
                                                               f"{' '.join(r.figures)} fit no placement in which "
                                                               f"{left} = {parts}; stored uncertain"))
        else:
            lv, pv = wan(b, sum(v[k] for k in c.left)), wan(b, sum(v[k] for k in c.parts))
            out.append(Fault(b.title, where, left, pv, lv, f"{b.title} · {where} · {left}: printed {lv:.2f}, "
                                                           f"{parts} gives {pv:.2f}; stored uncertain"))
    elif isinstance(c, TreeSum):
        b, where = name(c.parent)
        r = owner[c.parent][1]
        vecs = [one(i) for i in (c.parent, *c.children)]
        kids = "、".join(name(i)[1] for i in c.children[:4]) + ("…" if len(c.children) > 4 else "")
        if any(v is None for v in vecs):
            out.append(Fault(b.title, where, "", None, None, f"{b.title} · {where}: no placement of the printed "
                                                             f"figures makes it the sum of {kids}; stored uncertain"))
        else:
            for k in range(vs[c.parent].width):
                pv, sv = vecs[0][k], sum(v[k] for v in vecs[1:])  # type: ignore[index]
                if abs(pv - sv) > c.tol:
                    out.append(Fault(b.title, where, col_name(b, r, k), wan(b, sv), wan(b, pv),
                                     f"{b.title} · {where} · {col_name(b, r, k)}: printed {wan(b, pv):.2f}, the sum "
                                     f"of {kids} gives {wan(b, sv):.2f}; stored uncertain"))
    else:
        (ba, wa), (bb, wb) = name(c.a), name(c.b)
        va, vb = one(c.a), one(c.b)
        ca, cb = col_name(ba, owner[c.a][1], c.a_col), col_name(bb, owner[c.b][1], c.b_col)
        x = wan(ba, va[c.a_col]) if va is not None else None
        y = wan(bb, vb[c.b_col]) if vb is not None else None
        shown = lambda z: "?" if z is None else f"{z:.2f}"  # noqa: E731
        more = ", more than its whole" if isinstance(c, AtMost) else ""
        out.append(Fault(ba.title, wa, ca, y, x, f"{ba.title} · {wa} · {ca}: printed {shown(x)}{more}, {bb.title} · "
                                                 f"{wb} · {cb} prints {shown(y)}; stored uncertain"))
    return out


def _rounding(c: RowSum | TreeSum) -> int:
    n = len(c.left) + len(c.parts) if isinstance(c, RowSum) else 1 + len(c.children)
    return max(1, n // 2)


def _col(b: _Built, side: str, name: str) -> int | None:
    """A column of ``side`` named as stored or as printed (the template's sums name printed words)."""
    if b.down:
        names = [c for _, c in b.columns]
        return names.index(name) if name in names else None
    spec_cols = [c for c in b.seg.spec.columns if c.side == side] if not b.one_row else list(b.seg.spec.columns)
    for i, c in enumerate(spec_cols):
        if name in (c.name, c.printed):
            return i
    return None


def _row_sums(b: _Built) -> list:
    out = []
    if b.down:
        return out  # its sums are between rows (``_tree_sums``)
    for left, right in b.seg.spec.sums:
        for r in b.rows:
            ls = [_col(b, r.side, w) for w in left]
            ps = [_col(b, r.side, p) for p in right]
            if any(t is None for t in ls) or any(p is None for p in ps):
                continue
            out.append(RowSum(r.var, tuple(t for t in ls if t is not None), tuple(p for p in ps if p is not None)))
    return out


def _tree_sums(b: _Built) -> list:
    """Parents = Σ children (by code, or 一、 = Σ 1. 2. …) and the total row = Σ the top rows."""
    out = []
    if b.one_row:
        return out
    if b.down:  # a one-row table read down the page (``_items_down``): the sums are between its rows
        by_name = {r.name: r for r in b.rows}
        for left, parts in b.seg.spec.sums:
            t = _column_of_token(left[0], b.seg.spec) if len(left) == 1 else None
            kids = [c for p in parts if (c := _column_of_token(p, b.seg.spec)) is not None]
            if t is not None and t.name in by_name and len(kids) == len(parts):
                ch = [by_name[c.name].var for c in kids if c.name in by_name]
                if ch:
                    out.append(TreeSum(by_name[t.name].var, tuple(ch)))
        return out
    for side in dict.fromkeys(r.side for r in b.rows):
        rows = [r for r in b.rows if r.side == side]
        by_code = {r.code: r for r in rows if r.code}
        kids: dict[str, list[_PRow]] = {}
        for r in rows:
            if r.code and len(r.code) > 3 and r.code[:-2] in by_code:
                kids.setdefault(r.code[:-2], []).append(r)
        for code, ch in kids.items():
            out.append(TreeSum(by_code[code].var, tuple(c.var for c in ch)))
        totals = [r for r in rows if is_total(label_of(r.name)) and not r.code]
        if b.seg.spec.layout == "pairs":
            continue  # its totals are the template's balances
        units = [r for r in rows if not r.code and unit_row(r.name, _unit_header(b))]
        if by_code:
            tops = [r for r in rows if r.code and len(r.code) == 3]
        elif units:
            tops = units  # a 部门's table by 单位: the total is the sum of its units' rows
        else:
            tops = [r for r in rows if TOP_ORDINAL_RE.match(r.name) and not r.group]
            parent = None
            sub: dict[int, list[_PRow]] = {}
            for r in rows:
                if TOP_ORDINAL_RE.match(r.name):
                    parent = r
                elif SUB_ORDINAL_RE.match(r.name) and parent is not None:
                    sub.setdefault(parent.var, []).append(r)
            for pv, ch in sub.items():
                out.append(TreeSum(pv, tuple(c.var for c in ch)))
        for t in totals[:1]:
            if tops:
                out.append(TreeSum(t.var, tuple(r.var for r in tops)))
    return out


def _unit_header(b: _Built) -> bool:
    """The table's header names its rows' units (单位编码, 单位代码, 单位名称)."""
    return any(UNIT_HEADER_RE.search(ln.text) for ln in b.seg.header)


def _balances(b: _Built) -> list:
    """The template's ``balance`` records: within each column, a row = Σ other rows (by label)."""
    out = []
    for bal in b.seg.spec.balances:
        total = _find_row(b, bal.total, bal.side)
        parts = [_find_row(b, p, bal.side) for p in bal.parts]
        if total is None or any(p is None for p in parts):
            continue
        out.append(TreeSum(total.var, tuple(p.var for p in parts if p is not None)))
    return out


def _find_row(b: _Built, label: str, side: str = "") -> _PRow | None:
    """The one row named ``label`` (on ``side``; an item listed under another is found only when no
    top-level row has the name); a two-sided table's ``总计`` is its side's. ``甲|乙``: the row named
    either way (one of them)."""
    if "|" in label:
        hits = [r for alt in label.split("|") if (r := _find_row(b, alt, side)) is not None]
        return hits[0] if len({id(r) for r in hits}) == 1 else None
    rows = [r for r in b.rows if not side or r.side == side]
    found = [r for r in rows if label_of(r.name) == label or r.name == label or _side_label(r) == label]
    top = [r for r in found if not r.group]
    found = top or found
    return found[0] if len(found) == 1 else None


def _side_label(r: _PRow) -> str:
    """``总计`` on the 收入 side of a two-sided table is 收入总计."""
    lab = label_of(r.name)
    return r.side + lab if r.side and lab in ("总计", "合计") else lab


def _same(b: _Built, by_kind: dict[str, _Built], narrative: NarrativeFigure | None,
          constant: Callable[[float], int | None], stated: Callable[[float, str], tuple[int | None, int]]) -> list:
    out = []
    for s in b.seg.spec.same:
        if s.other == NARRATIVE:
            ra = _find_row(b, s.row) if not b.one_row else _year_row(b) if s.row == "*" else None
            value = narrative(s.other_row, s.other_column) if narrative is not None else None
            ca = _col(b, ra.side, s.column) if ra is not None else None
            if ra is None or ca is None or value is None:
                continue
            v, tol = stated(value, b.unit)
            if v is not None:
                out.append(Equal(ra.var, ca, v, 0, tol if tol > 1 else 0))
            continue
        other = by_kind.get(s.other) if s.other else b
        if other is None:
            continue
        link = Equal if s.op == "=" else AtMost
        if s.op != "=":
            if s.row != "*" or other.one_row or not other.rows:
                continue
            for ra, rb in _same_rows(b, other, total=True):
                ca, cb = _col(b, ra.side, s.column), _col(other, rb.side, s.other_column)
                if ca is not None and cb is not None and not _negative(ra) and not _negative(rb):
                    out.append(link(ra.var, ca, rb.var, cb))
            continue
        if not other.rows and says_empty(other.note, other.title) and not other.one_row:
            # the other table is printed empty (注：此表为空表): each row's figure there is 0 — a coded row's,
            # a row named as a 类 of the classification, and the row the record names
            rows = [r for r in b.rows if r.code or _class_name(r.name)] if s.row == "*" else \
                [r for r in [_find_row(b, s.row)] if r is not None]
            for ra in rows:
                ca = _col(b, ra.side, s.column)
                if ca is not None and (v := constant(0.0)) is not None:
                    out.append(Equal(ra.var, ca, v, 0))
            continue
        if s.row == "*":
            tops, coded = {}, {}
            for r in other.rows:
                if r.code and len(r.code) == 3:
                    tops.setdefault(label_of(r.name), []).append(r)
                if r.code:
                    coded.setdefault(r.code, []).append(r)
            for ra in b.rows:
                ca = _col(b, ra.side, s.column)
                # a coded row: the other table's row of the same code; else its 类 row of the same name
                rbs = coded.get(ra.code, []) if ra.code else tops.get(label_of(ra.name), [])
                if ca is None or len(rbs) != 1 or ra.group:
                    continue
                cb = _col(other, rbs[0].side, s.other_column)
                if cb is not None:
                    out.append(Equal(ra.var, ca, rbs[0].var, cb))
            continue
        ra, rb = _find_row(b, s.row), _find_row(other, s.other_row)
        if ra is None or rb is None:
            continue
        ca, cb = _col(b, ra.side, s.column), _col(other, rb.side, s.other_column)
        if ca is None or cb is None:
            continue
        out.append(Equal(ra.var, ca, rb.var, cb))
    return out


def _year_row(b: _Built) -> _PRow | None:
    """A one-row table's row of the document's year (its only row, or the one stored as 预算数/决算数)."""
    if not b.row_columns:
        return b.rows[0] if b.rows else None
    return next((r for r, c in zip(b.rows, b.row_columns) if c in ("预算数", "决算数")), None)


def _class_name(name: str) -> bool:
    """A row named as a 类 of the 支出功能分类 (``（五）教育支出``: a two-sided table's item without its code)."""
    return label_of(name) in _class_names()


@functools.lru_cache(maxsize=1)
def _class_names() -> frozenset[str]:
    from ..lexicon import load
    return frozenset(s.name for code, s in load().by_code.items() if len(code) == 3 and code[0] == "2")


def _same_rows(b: _Built, other: _Built, total: bool = False) -> list[tuple[_PRow, _PRow]]:
    """The rows of ``b`` and ``other`` that are one subject: a coded row and the other's row of the same
    code; a row without a code and the other's 类 row of its label; with ``total``, the one total row
    (合计) of each."""
    tops: dict[str, list[_PRow]] = {}
    coded: dict[str, list[_PRow]] = {}
    for r in other.rows:
        if r.code and len(r.code) == 3:
            tops.setdefault(label_of(r.name), []).append(r)
        if r.code:
            coded.setdefault(r.code, []).append(r)
    out = []
    for ra in b.rows:
        rbs = coded.get(ra.code, []) if ra.code else tops.get(label_of(ra.name), [])
        if len(rbs) == 1 and not ra.group:
            out.append((ra, rbs[0]))
    if total:
        ta = [r for r in b.rows if not r.code and is_total(label_of(r.name))]
        tb = [r for r in other.rows if not r.code and is_total(label_of(r.name))]
        if len(ta) == 1 and len(tb) == 1:
            out.append((ta[0], tb[0]))
    return out


def _negative(r: _PRow) -> bool:
    """A row printing a negative figure: a part of it may exceed its whole (a refund, a correction)."""
    return any(f.strip().startswith(("-", "−", "－", "(")) for f in r.figures)


def _narrative_figure(sections: Sequence, statements: Sequence[Statement]) -> NarrativeFigure:
    """``(heading, subject) → value``: the figure the narrative section headed ``heading`` (its
    numbering aside) states for ``subject``, when it states one, once, in 万元."""
    heading_of = {s.seq: squash(ORDINAL_RE.sub("", s.heading)) for s in sections}

    def find(heading: str, subject: str) -> float | None:
        heads, subjects = heading.split("|"), set(subject.split("|"))  # 甲|乙: either way; *: any characters

        def under(seq: int) -> bool:
            h = heading_of.get(seq)
            return h is not None and any(fnmatch.fnmatchcase(h, p) for p in heads)
        vals = {st.value for st in statements if st.subject in subjects and st.value is not None
                and st.unit == "万元" and st.change_dir is None and under(st.section_seq)}
        return vals.pop() if len(vals) == 1 else None
    return find


def _to_wan(raw: str, unit: str) -> float | None:
    f = factor(unit)
    if f is None or is_dash(raw):
        return None
    s = raw.replace(",", "").replace("，", "")
    if s[:1] in "−－":
        s = "-" + s[1:]
    try:
        d = Decimal(s)
    except ArithmeticError:
        return None
    return float(d * Decimal(str(f))) if f >= 1 else float(d / Decimal(round(1 / f)))


def _rows_of(b: _Built) -> list[Row]:
    out: list[Row] = []
    if b.one_row:
        return _one_row_rows(b)
    offsets: dict[str, int] = {}
    pos = 0
    for side, _ in b.columns:
        offsets.setdefault(side, pos)
        pos += 1
    names_by_code: dict[str, str] = {}
    groups: dict[str, str] = {}
    for seq, r in enumerate(b.rows, 1):
        group = groups.get(r.side, "")
        var = b.vars[r.var]
        placement, proven = settled(var)
        cols = b.side_columns(r.side)
        cells = []
        for i, cname in enumerate(cols):
            fig = ""
            if placement is not None and i in placement:
                fig = r.figures[placement.index(i)]
            sure = (proven[i] if i < len(proven) else False) and i not in b.doubt_cols
            value = _to_wan(fig, b.unit) if fig and sure else None
            cells.append(Cell(offsets[r.side] + i, cname, r.side, fig, value, r.line.no, 0 if sure else 1))
        label = label_of(r.name) if r.name else ""
        if r.code is None and (unit := unit_row(r.name, _unit_header(b))) is not None:
            label = unit[1]  # a subordinate unit's row: its name (``name`` keeps the code as printed)
        code = r.code
        classification = level = parent = None
        group_name = ""
        if code:
            classification = "功能分类" if code[0] == "2" else "经济分类" if code[0] == "3" else None
            level = {3: 1, 5: 2, 7: 3}.get(len(code))
            parent = code[:-2] if len(code) > 3 else None
            group_name = names_by_code.get(parent, "") if parent else ""
            names_by_code[code] = label
        elif r.group:
            group_name = r.group
        elif QIZHONG_RE.match(r.name) or SUB_ORDINAL_RE.match(r.name):
            group_name = group
        else:
            groups[r.side] = label
        if b.seg.spec.layout == "two-sided" and label in ("总计", "合计"):
            label = r.side + label  # 总计 on the 收入 side is the 收入总计
        out.append(Row(seq, "", r.side if b.kind in ("收支总表", "财政拨款收支总表") else "", code, r.name, label,
                       group_name, classification, level, parent, is_total(label), r.line.no, tuple(cells),
                       r.line.page))
    return out


def _one_row_columns(spec: TableSpec) -> tuple[str, ...]:
    """The stored columns of a one-row table: ``预算数``, or those its ``行/列`` columns name."""
    return tuple(dict.fromkeys(c.row_and_column[1] for c in spec.columns)) or ("预算数",)


def _one_row_rows(b: _Built) -> list[Row]:
    """A one-row table is stored the way the template prints such figures elsewhere: one row per
    column (合计, 因公出国（境）费 …), each with its 预算数 — or, when the template names cells
    ``行/列`` (the 决算's 预算数 and 决算数 pairs), one row per ``行`` with its columns; a row that is a
    sum's part belongs to the sum's row (购置费 → 公务用车购置及运行费)."""
    spec = b.seg.spec
    if not b.rows:
        return []
    stored = b.row_columns or _one_row_columns(spec)
    by_word = {w: c for c in spec.columns for w in (c.printed, c.name)}
    parent_of: dict[str, str] = {}
    for left, parts in spec.sums:
        t = by_word.get(left[0]) if len(left) == 1 else None
        if t is None or t.row_and_column[0] == "合计":
            continue
        for p in parts:
            c = by_word.get(p)
            if c is not None:
                parent_of[c.row_and_column[0]] = t.row_and_column[0]
    cells: dict[str, list[Cell]] = {}
    for k, r in enumerate(b.rows):  # (a row per year: each is stored as its column of every item)
        placement, proven = settled(b.vars[r.var])
        # a line of a third of the row's figures or fewer, their cells unknown, is no row of this layout with
        # its empty cells lost (合计 170,000.00 141,171.72 under a 12-column header): nothing it "proves" is
        # stored as a figure, an empty cell least of all (it would be answered 0)
        misread = r.fixed is None and 3 * len(r.figures) <= len(spec.columns)
        for i, c in enumerate(spec.columns):
            row, col = c.row_and_column
            col = b.row_columns[k] if b.row_columns else col
            fig = r.figures[placement.index(i)] if placement is not None and i in placement else ""
            sure = (proven[i] if i < len(proven) else False) and i not in b.doubt_cols and not misread
            value = _to_wan(fig, b.unit) if fig and sure else None
            cells.setdefault(row, []).append(Cell(stored.index(col), col, "", fig, value, r.line.no, 0 if sure else 1))
    first = b.rows[0].line
    return [Row(seq, "", "", None, row, row, parent_of.get(row, ""), None, None, None, 1 if row == "合计" else 0,
                first.no, tuple(sorted(cs, key=lambda c: c.col)), first.page)
            for seq, (row, cs) in enumerate(cells.items(), 1)]


def _known_names(segments: list[_Segment], fam: Family) -> dict[str, list[str]]:
    """The names a document prints for each subject code where the name stands whole on the code's
    line (no fragment of a wrapped name above or below it), then the classification's names."""
    from ..lexicon import load

    out: dict[str, list[str]] = {}
    for seg in segments:
        if seg.spec.layout not in ("subjects", "pairs"):
            continue
        data = seg.data
        frag = [bool(ln.text.strip()) and not _is_row(ln.text) for ln in data]
        for i, ln in enumerate(data):
            if (i and frag[i - 1]) or (i + 1 < len(data) and frag[i + 1]):
                continue
            toks = tokens(ln.text)
            while toks:
                code, rest = _split_code(toks)
                if code is None:
                    break
                j = 0
                while j < len(rest) and not is_figure(rest[j]) and not CODE_PART_RE.match(rest[j]):
                    j += 1
                name = "".join(rest[:j])
                if name and j < len(rest) and is_figure(rest[j]):
                    out.setdefault(code, [])
                    if name not in out[code]:
                        out[code].append(name)
                toks = rest[j + 1:] if j < len(rest) and is_figure(rest[j]) else rest[j:]
    lex = load()
    for code, names in out.items():
        s = lex.by_code.get(code)
        if s is not None and s.name not in names:
            names.append(s.name)
    for code, s in lex.by_code.items():
        out.setdefault(code, [s.name])
    return out


def _pairs_rows(seg: _Segment, warnings: list[ParseWarning], title: str, vocab: frozenset[str],
                known: dict[str, list[str]]) -> list[_PRow]:
    """A table of two code/name/figure columns side by side (the 基本支出决算表: 人员经费 subjects on
    the left, 公用经费 on the right), stored as one list: the left column's rows, the right
    column's, then the totals (人员经费合计, 公用经费合计). A line holds an item per column; a
    figure belongs to the item before it. A name fragment on a line of its own belongs to a column
    whose item printed no name: the one above it (its tail) while that item is owed one, else the
    one below it (its head); two fragments on a line are one per column."""
    entries: list[tuple[PLine, list[tuple[str | None, str, list[str]]], list[str]]] = []
    for ln in seg.data:
        toks = _clean_tokens(tokens(ln.text), vocab, totals=False)
        items: list[tuple[str | None, list[str], list[str]]] = []  # (code, name tokens, figures)
        lead: list[str] = []
        k = 0
        while k < len(toks):
            code, rest = _split_code(toks[k:], bare=True)
            if code is not None:
                items.append((code, [], []))
                k = len(toks) - len(rest)
                continue
            t = toks[k]
            if is_figure(t):
                if items:
                    items[-1][2].append(t)
                else:
                    items.append((None, lead, [t]))
                    lead = []
            elif items and items[-1][2] and TOTAL_WORD_RE.search(t):
                items.append((None, [t], []))
            elif items and not items[-1][2]:
                items[-1][1].append(t)
            else:
                lead.append(t)
            k += 1
        entries.append((ln, [(c, join_wrapped(" ".join(n)), f) for c, n, f in items], [join_wrapped(t) for t in lead]))
    sides: list[list[_Piece]] = [[], []]
    totals: list[_PRow] = []
    owed = [0, 0]  # tails the last item of each column is still owed (as many as it took heads)
    heads = [0, 0]
    last_class = ["", ""]
    for e, (ln, items, frags) in enumerate(entries):
        coded = [it for it in items if it[0] is not None]
        if not items:
            if len(frags) >= 2:
                for side, f in ((0, frags[0]), (1, "".join(frags[1:]))):
                    sides[side].append(_Piece(None, f))
                    owed[side] = max(0, owed[side] - 1)
                continue
            side = next((i for i in (0, 1) if owed[i] > 0), None)
            if side is None:  # a head: of the column whose next item prints no name
                side = _unnamed_side(entries[e + 1:], last_class)
            owed[side] = max(0, owed[side] - 1)
            heads[side] += 1
            sides[side].append(_Piece(None, "".join(frags)))
            continue
        if frags and coded:
            sides[0].append(_Piece(None, "".join(frags)))
        for n, (code, name, figs) in enumerate(items):
            if code is None:
                if name:
                    totals.append(_PRow(ln, "", None, name, figs[:1], [0] if figs[:1] else []))
                continue
            side = (0 if n == items.index(coded[0]) else 1) if len(coded) == 2 else _side_of_item(code, last_class)
            last_class[side] = code[:3]
            if len(figs) > 1:
                warnings.append(ParseWarning(ln.no, f"{title}: {code} has {len(figs)} figures; the first is read"))
            sides[side].append(_Piece(_PRow(ln, "", code, name, figs[:1], [0] if figs[:1] else []), named=bool(name)))
            owed[side] = 0 if name else max(1, heads[side])
            heads[side] = 0
    out: list[_PRow] = []
    for pieces in sides:
        _resolve_fragments(pieces, known, warnings, title)
        out += [p.row for p in pieces if p.row is not None]
    return out + totals


def _side_of_item(code: str, last_class: list[str]) -> int:
    """The column of a line's only item: the one whose class (301, 302 …) it continues, else the right."""
    return 0 if last_class[0] == code[:3] else 1 if last_class[1] == code[:3] else 1 if last_class[0] else 0


def _unnamed_side(rest: list, last_class: list[str]) -> int:
    """The column whose next item line prints an item with no name (a head fragment is its name)."""
    for _, items, _ in rest:
        coded = [it for it in items if it[0] is not None]
        if not coded:
            continue
        if len(coded) == 2:
            unnamed = [i for i, it in enumerate(coded) if not it[1]]
            return unnamed[0] if len(unnamed) == 1 else 0
        return _side_of_item(coded[0][0], last_class)
    return 0


# ---------------------------------------------------------------- 绩效目标 (申报表 layout)

LEVEL2_TO_1 = (("满意度", "满意度指标"), ("效益", "效益指标"), ("影响", "效益指标"), ("成本", "成本指标"),
               ("数量", "产出指标"), ("质量", "产出指标"), ("时效", "产出指标"))
LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
VALUE_TOKEN_RE = re.compile(r"^(?:[≥≤><=＝]|不低于|不少于|不高于|不超过)?\s*[\d.]+\s*\S{0,6}$|^\S{1,4}$")


def _indicators(seg: _Segment, warnings: list[ParseWarning]) -> tuple[str, list[Indicator]]:
    """The project (``项目名称 X 项目性质``) and the indicator rows under ``一级指标 二级指标 三级指标``.
    A row's 三级指标 and 指标值 are its own line's; its 二级指标 only when the line prints one (a
    merged cell is printed on one of the rows it spans, so it is never inherited by guess); the 一级
    follows from the 二级 (数量/质量/时效 → 产出指标, …)."""
    project = ""
    inds: list[Indicator] = []
    in_ind = False
    top = ""
    for ln in seg.data:
        s = ln.text.strip()
        toks = s.split()
        if not project and toks[:1] == ["项目名称"]:
            rest = toks[1:]
            stop = rest.index("项目性质") if "项目性质" in rest else len(rest)
            project = "".join(rest[:stop])
            continue
        if "一级指标" in s and "三级指标" in s:
            in_ind = True
            continue
        if not in_ind:
            continue
        if len(toks) == 1 and not VALUE_TOKEN_RE.match(toks[0]) or (len(toks) == 1 and toks[0] in ("绩效", "指标")):
            word = toks[0]
            if word == "绩效":
                continue
            if inds and top and word.endswith(("指标", "标")) and not inds[-1].level2:
                inds[-1] = replace(inds[-1], level2=top + word, level1=inds[-1].level1 or _level1(top + word))
                top = ""
                continue
            if word in ("指标", "标"):
                continue
            top = word if word not in LEVEL1 else ""
            continue
        if len(toks) < 2:
            continue
        value = toks[-1]
        words = toks[:-1]
        l1 = l2 = ""
        level3 = words[-1]
        for w in words[:-1]:  # the level cells printed on this line (a wrapped fragment is dropped)
            if w in LEVEL1:
                l1 = w
            elif w.endswith("指标"):
                l2 = w
        comp, number, unit = parse_value(value)
        l1 = l1 or (_level1(l2) if l2 else "")
        inds.append(Indicator(len(inds) + 1, project, l1, l2, level3, "", value, comp, number, unit, "", ln.no))
        if l2:
            top = ""
    return project, inds


PROJECT_HEADING_RE = re.compile(r"^(.+?)(?:项目)?(?:经费)?情况说明$")


def _project_of_heading(heads: list[tuple[Heading, int]], line: int) -> str:
    """The project a 申报表 is about when its own 项目名称 cell was lost: the heading of the 项目经费
    情况说明 section it follows (``兰溪路-真南路下立交工程项目经费情况说明``)."""
    for h, _ in reversed(heads):
        if h.line >= line or numbering(h.text):
            continue
        m = PROJECT_HEADING_RE.match(h.text.replace(" ", ""))
        return m.group(1) if m and "项目" in h.text and len(m.group(1)) >= 3 else ""
    return ""


def _level1(level2: str) -> str:
    return next((l1 for w, l1 in LEVEL2_TO_1 if w in level2), "")


def parse_page_text(text: str, file: str, name: str | None = None, source_path: str | None = None,
                    sha256: str | None = None) -> Document:
    """A page-text file's decoded text (pages split by ``\\f``) → Document."""
    return parse_pages(split_pages(text), file, name, source_path, sha256)
