"""A PDF → PAGE TEXT: one string per page, joined with a form feed (``\\f``), read with pdfplumber.

The page text is the contract between this reader and the parsers (``document.py`` for the Tangshan
template, the page-text reader for other templates):

- every row of a **ruled table** (cells recovered from the drawn rulings) is one line of
  TAB-separated cells. Every row of one table has the same number of cells, in grid order; an empty
  cell is an empty string, so a figure's column is known from its position. A cell's wrapped lines
  are joined (no space between CJK characters, nor inside letter-spaced text ``合 计``); a merged
  cell's text sits in its top-left grid position and the positions it covers are empty (a header
  ``收入`` over two columns is ``收入\\t``). A row with no text in any cell is left out; a table
  split over pages is its rows on each page, the continuation at the top of the next page.
- every other line is plain text in reading order (top to bottom), **one paragraph per line**: the
  visual lines of a paragraph are joined as a cell's are; paragraphs and tables are separated by a
  blank line.
- a **heading** (a title, a table title, a section heading) starts with ``#`` marks: ``#`` for the
  largest heading style in the document, ``##`` for the next, … (at most six). A heading is told
  apart from body text by its font size or weight, or — a table's title set in the table's own small
  type — by its place: short and centred just above a ruled table; never by its words.
- page furniture that is only a page number (``- 3 -``, ``第 3 页``) at the top or bottom of a page
  is left out.

Pages are kept: page *n* is ``text.split("\\f")[n - 1]``; every page ends with a newline, so the
``\\f`` starts the first line of the next page and :func:`page_of_line` maps a 1-based line of the
joined text to its page.

Errors are :class:`IngestError`: encrypted, damaged (or not a PDF at all), or a scanned PDF with no
text layer (pages that are images only). ``progress(page, pages)`` is called after each page.
Not handled: text in two columns side by side (read across, line by line), tables without rulings
(their cells come out as a line of text), rotated text.
"""
from __future__ import annotations

import ast
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable

from ..errors import IngestError

__all__ = ["PdfText", "is_pdf", "page_of_line", "read_pdf"]

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines",
                  "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3}
CJK_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’]")
# whitespace between two CJK characters (or CJK punctuation) is a wrap or letter-spacing, never a word gap
CJK_GAP_RE = re.compile(r"(?<=[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”])\s+"
                        r"(?=[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”])")
PAGE_NUMBER_RE = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–－\s]*$")
BOLD_RE = re.compile(r"bold|black|heavy|semibold|demi|hei|黑", re.I)
SPACE_GAP = 0.2   # a gap wider than this many font sizes between two glyphs is a space
MARGIN_BAND = 0.08  # page-number furniture lives in this top/bottom fraction of the page


@dataclass(frozen=True)
class PdfText:
    """The page text of a PDF (see the module docstring) and what the reader noticed."""
    pages: tuple[str, ...]
    tables: int                      # ruled tables found (a table split over pages counts per page)
    image_pages: tuple[int, ...]     # 1-based pages with images but no text (scanned pages)

    @property
    def text(self) -> str:
        return "\f".join(self.pages)


def is_pdf(data: bytes) -> bool:
    """A PDF starts with ``%PDF-`` (some writers put a little junk before it)."""
    return b"%PDF-" in data[:1024]


def page_of_line(text: str, line: int) -> int:
    """The 1-based page of 1-based ``line`` of a page text joined with ``\\f``."""
    return "\n".join(text.split("\n")[:line]).count("\f") + 1


# ------------------------------------------------------------------ glyphs → lines

@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    trailing_space: bool
    lead: float = 0.0  # width of the line's first unbreakable run (a CJK character, a figure, a word)
    y: float = 0.0     # the line's position for its pitch: the median top of its glyphs (a glyph of
                       # another font with another ascent moves ``top``, not this)


_FAMILY: dict[str, str] = {}


def _family(fontname: str) -> str:
    """``ABCDEE+SimHei`` → ``SimHei``; a name pdfminer left as bytes in GBK (``b'..\\xba\\xda..'``) decoded."""
    fam = _FAMILY.get(fontname)
    if fam is None:
        name = fontname
        if name[:2] in ("b'", 'b"'):
            try:
                raw = ast.literal_eval(name)
                name = raw.decode("gbk") if isinstance(raw, bytes) else str(raw)
            except (ValueError, SyntaxError, UnicodeDecodeError):
                pass
        fam = _FAMILY[fontname] = name.split("+", 1)[-1]
    return fam


def _is_bold(fontname: str) -> bool:
    return bool(BOLD_RE.search(_family(fontname)))


def _join(a: str, b: str, space: bool = False) -> str:
    """Join two wrapped pieces of one cell or paragraph: a space only between two words of letters
    (or where the first piece ended in a printed space); CJK and figures join directly."""
    if not a:
        return b
    if not b:
        return a
    if space or (a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha()):
        if not (CJK_RE.match(a[-1]) and CJK_RE.match(b[0])):
            return a + " " + b
    return a + b


def _lines(chars: list[dict[str, Any]]) -> list[_Line]:
    """Glyphs → visual lines, top to bottom: a glyph whose middle lies within a line's band joins it;
    within a line, glyphs left to right with a space where the gap is wider than ``SPACE_GAP`` sizes."""
    groups: list[list[dict[str, Any]]] = []
    bands: list[tuple[float, float]] = []
    for c in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        mid = (c["top"] + c["bottom"]) / 2
        if groups and bands[-1][0] <= mid <= bands[-1][1]:
            groups[-1].append(c)
            continue
        groups.append([c])
        bands.append((c["top"], c["bottom"]))
    out: list[_Line] = []
    for g in groups:
        g.sort(key=lambda c: c["x0"])
        parts: list[str] = []
        prev = None
        for c in g:
            t = c["text"]
            if prev is not None and c["x0"] - prev["x1"] > SPACE_GAP * max(c["size"], 1.0):
                parts.append(" ")
            parts.append(" " if t.isspace() else t)
            prev = c
        raw = "".join(parts)
        text = re.sub(r" {2,}", " ", raw).strip()
        if not text:
            continue
        ink = [c for c in g if not c["text"].isspace()]
        sizes = Counter(round(c["size"] * 2) / 2 for c in ink)
        bolds = sum(1 for c in ink if _is_bold(c["fontname"]))
        tops = sorted(c["top"] for c in ink)
        out.append(_Line(text, ink[0]["x0"], ink[-1]["x1"], min(c["top"] for c in ink),
                         max(c["bottom"] for c in ink), sizes.most_common(1)[0][0],
                         bolds * 2 > len(ink), raw.endswith(" "), _lead(ink), tops[len(tops) // 2]))
    return out


NO_LINE_START = set("，。、；：？！,.;:?!）)》」』”’%")
NO_LINE_END = set("（(《「『“‘[")


def _lead(ink: list[dict[str, Any]]) -> float:
    """Width of the first run a line breaker may keep whole: opening brackets with what follows, one
    CJK character or a run of letters and figures (with the character after it: some writers never
    break between a figure and its unit), and the punctuation that may not start a line."""
    k = 0
    while k < len(ink) - 1 and ink[k]["text"] in NO_LINE_END:
        k += 1
    if CJK_RE.match(ink[k]["text"]):
        k += 1
    else:
        while k < len(ink) and ink[k]["text"].isascii() and not ink[k]["text"].isspace():
            k += 1
        k = min(k + 1, len(ink))
    while k < len(ink) and ink[k]["text"] in NO_LINE_START:
        k += 1
    return float(ink[max(k, 1) - 1]["x1"] - ink[0]["x0"])


def _cell_text(chars: list[dict[str, Any]]) -> str:
    text = ""
    space = False
    for ln in _lines(chars):
        text = _join(text, ln.text, space)
        space = ln.trailing_space
    return CJK_GAP_RE.sub("", text)


# ------------------------------------------------------------------ tables

def _table_rows(table: Any, chars: list[dict[str, Any]]) -> tuple[list[list[str]], list[dict[str, Any]]]:
    """The grid rows of one pdfplumber table (merged cells: text top-left, covered positions empty)
    and the glyphs inside its box that fall in no cell."""
    cells = table.cells
    xs = sorted({round(c[0], 1) for c in cells})
    ys = sorted({round(c[1], 1) for c in cells})
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for x0, top, x1, bottom in cells:
        c0, r0 = xs.index(round(x0, 1)), ys.index(round(top, 1))
        c1 = bisect_right(xs, round(x1, 1) - 0.5)
        r1 = bisect_right(ys, round(bottom, 1) - 0.5)
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                owner[(r, c)] = (r0, c0)
    x_end = max(c[2] for c in cells)
    y_end = max(c[3] for c in cells)
    buckets: dict[tuple[int, int], list[dict[str, Any]]] = {}
    stray: list[dict[str, Any]] = []
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        c, r = bisect_right(xs, cx) - 1, bisect_right(ys, cy) - 1
        key = owner.get((r, c)) if c >= 0 and r >= 0 and cx <= x_end and cy <= y_end else None
        if key is None:
            stray.append(ch)
        else:
            buckets.setdefault(key, []).append(ch)
    rows = [[_cell_text(buckets.get((r, c), [])) if owner.get((r, c)) == (r, c) else ""
             for c in range(len(xs))] for r in range(len(ys))]
    return [row for row in rows if any(row)], stray


def _inside(ch: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


# ------------------------------------------------------------------ paragraphs

def _usual_pitch(pages: list["_Page"]) -> dict[float, float]:
    """Per font size, the line pitch (in sizes) inside a paragraph: the smallest pitch between two
    consecutive lines of that size that recurs (paragraph spacing only ever adds to it)."""
    seen: dict[float, Counter[float]] = {}
    for pg in pages:
        for run in pg.runs:
            for a, b in zip(run, run[1:]):
                if a.size == b.size and b.y > a.y:
                    seen.setdefault(a.size, Counter())[round((b.y - a.y) / a.size, 2)] += 1
    usual: dict[float, float] = {}
    for size, counts in seen.items():
        recurring = [p for p, n in counts.items() if n >= 3] or list(counts)
        usual[size] = min(recurring)
    return usual


def _paragraphs(run: list[_Line], right: float, centre: float, usual: dict[float, float],
                body: tuple[float, bool]) -> list[_Line]:
    """Join the visual lines of a paragraph: the next line continues this one when it has the same
    style, follows at the usual line pitch, and either is not indented while its first run (a CJK
    character, a figure) would not have fitted in the room this line left before ``right``, the
    text's edge — or both lines are centred on ``centre`` in a style other than the ``body`` text's
    (a title wrapped over two lines)."""
    if not run:
        return []
    left = min(ln.x0 for ln in run)
    out: list[_Line] = []
    last: _Line | None = None  # the previous visual line
    for ln in run:
        prev = out[-1] if out else None
        if prev is not None and last is not None and prev.size == ln.size and prev.bold == ln.bold:
            pitch = (ln.y - last.y) / ln.size
            wrapped = ln.x0 <= left + 0.5 * ln.size and right - last.x1 < ln.lead + 0.6 * ln.size
            centred = (ln.size, ln.bold) != body and all(abs((a.x0 + a.x1) / 2 - centre) < 1.5 * ln.size
                                                         for a in (last, ln))
            if pitch <= usual.get(ln.size, 1.2) * 1.2 + 0.05 and (wrapped or centred):
                prev.text = _join(prev.text, ln.text, last.trailing_space)
                prev.x1, prev.bottom = ln.x1, ln.bottom
                last = ln
                continue
        out.append(_Line(ln.text, ln.x0, ln.x1, ln.top, ln.bottom, ln.size, ln.bold, ln.trailing_space,
                         ln.lead, ln.y))
        last = ln
    return out


# ------------------------------------------------------------------ the reader

@dataclass
class _Page:
    tables: list[tuple[float, list[list[str]]]]  # (top, rows), top to bottom
    runs: list[list[_Line]]                      # the text lines between tables, top to bottom
    width: float
    height: float


def _read_page(page: Any) -> tuple[_Page, int, bool]:
    chars = page.chars
    tables = []
    if page.lines or page.rects:
        for t in page.find_tables(TABLE_SETTINGS):
            if len({round(c[0], 1) for c in t.cells}) >= 2:  # one column of boxes is a frame, not a table
                tables.append(t)
    found: list[tuple[float, float, list[list[str]]]] = []
    rest = chars
    for t in tables:
        inside = [c for c in rest if _inside(c, t.bbox)]
        rest = [c for c in rest if not _inside(c, t.bbox)]
        rows, stray = _table_rows(t, inside)
        rest.extend(stray)
        if rows:
            found.append((t.bbox[1], t.bbox[3], rows))
    found.sort(key=lambda f: f[0])
    runs: list[list[_Line]] = [[] for _ in range(len(found) + 1)]
    for ln in _lines(rest):  # a line belongs to the run above the first table below it
        k = next((i for i, f in enumerate(found) if ln.top < f[0]), len(found))
        runs[k].append(ln)
    has_text = any(not c["text"].isspace() for c in chars)
    got = _Page([(top, rows) for top, _, rows in found], runs, float(page.width), float(page.height))
    return got, len(tables), (not has_text and bool(page.images))


def _open(source: str | Path | BinaryIO, file: str) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(source)
    except (PdfminerException, PDFSyntaxError, PDFPasswordIncorrect, PDFEncryptionError) as e:
        cause = e.args[0] if isinstance(e, PdfminerException) and e.args else e
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise IngestError(file, None, "the PDF is encrypted (it needs a password): save an "
                                          "unprotected copy first") from None
        raise IngestError(file, None, f"not a readable PDF (the file is damaged or not a PDF: "
                                      f"{type(cause).__name__})") from None
    except OSError as e:
        raise IngestError(file, None, f"cannot read: {e.strerror or e}") from None


def read_pdf(source: str | Path | BinaryIO, progress: Callable[[int, int], None] | None = None,
             file: str | None = None) -> PdfText:
    """Read a PDF (a path or a binary file object) into page text (module docstring); an unreadable
    or scanned PDF is an IngestError naming ``file`` (default: the path)."""
    file = file or str(getattr(source, "name", source))
    pages: list[_Page] = []
    n_tables = 0
    image_pages: list[int] = []
    pdf = _open(source, file)
    try:
        n = len(pdf.pages)
        for i, page in enumerate(pdf.pages):
            try:
                got, k, scanned = _read_page(page)
            except IngestError:
                raise
            except Exception as e:  # a damaged page stream: pdfminer raises many kinds
                raise IngestError(file, None, f"page {i + 1} of the PDF cannot be read "
                                              f"({type(e).__name__}): the file looks damaged") from None
            finally:
                page.close()
            pages.append(got)
            n_tables += k
            if scanned:
                image_pages.append(i + 1)
            if progress is not None:
                progress(i + 1, n)
    except IngestError:
        raise
    except Exception as e:
        raise IngestError(file, None, f"not a readable PDF ({type(e).__name__}): the file looks damaged") from None
    finally:
        pdf.close()
    if not pages:
        raise IngestError(file, None, "the PDF has no pages")
    if not any(pg.tables or any(pg.runs) for pg in pages):
        if image_pages:
            n = len(image_pages)
            raise IngestError(file, None, f"a scanned PDF: its {n} page{'s are images' if n != 1 else ' is an image'} "
                                          "with no text layer; run OCR (e.g. `ocrmypdf -l chi_sim`) and ingest "
                                          "the result")
        raise IngestError(file, None, "the PDF has no text layer (no characters on any page)")
    return PdfText(tuple(_page_strings(pages)), n_tables, tuple(image_pages))


def _page_strings(pages: list[_Page]) -> Iterable[str]:
    """Join each page's paragraphs, mark headings, drop page-number furniture, and write each page.

    A heading is a paragraph of a style larger or bolder than the body's (the style most text is
    set in), or a table's title by its position: a short centred paragraph just above a ruled table
    (with at most the 单位 line between), whatever its size. Levels rank the heading styles by size,
    then weight."""
    usual = _usual_pitch(pages)
    counts: Counter[tuple[float, bool]] = Counter()
    for pg in pages:
        for run in pg.runs:
            for ln in run:
                counts[(ln.size, ln.bold)] += len(ln.text)
    body = counts.most_common(1)[0][0] if counts else (0.0, False)
    # the right edge of the text over all pages of one width: where its long lines end (a short
    # line set flush right, 单位：万元, may stand further out)
    right_of: dict[int, float] = {}
    for pg in pages:
        w = round(pg.width)
        right_of[w] = max([right_of.get(w, 0.0)] + [ln.x1 for run in pg.runs for ln in run
                                                    if ln.x1 - ln.x0 > pg.width / 2])

    def heading_style(ln: _Line) -> bool:
        if len(ln.text) > 80:
            return False
        return ln.size > body[0] + 0.75 or (ln.bold and not body[1] and ln.size >= body[0] - 0.5)

    laid: list[list[tuple[float, str, Any]]] = []
    headings: list[_Line] = []
    for pg in pages:
        right = right_of[round(pg.width)] or pg.width
        items: list[tuple[float, str, Any]] = [(top, "table", rows) for top, rows in pg.tables]
        for run in pg.runs:
            for para in _paragraphs(run, right, pg.width / 2, usual, body):
                if PAGE_NUMBER_RE.match(para.text) and (para.top < pg.height * MARGIN_BAND
                                                        or para.bottom > pg.height * (1 - MARGIN_BAND)):
                    continue
                items.append((para.top, "text", para))
        items.sort(key=lambda it: it[0])
        for i, (_, kind, it) in enumerate(items):
            if kind == "text" and heading_style(it):
                headings.append(it)
            elif kind == "table":
                for _, k, above in items[max(0, i - 2):i][::-1]:
                    if k == "text" and _is_title(above, pg.width / 2) and above not in headings:
                        headings.append(above)
                        break
        laid.append(items)
    ranked = sorted({(h.size, h.bold) for h in headings}, reverse=True)
    level = {style: min(i + 1, 6) for i, style in enumerate(ranked)}
    marked = {id(h) for h in headings}
    for items in laid:
        blocks: list[str] = []
        for _, kind, it in items:
            if kind == "table":
                blocks.append("\n".join("\t".join(row) for row in it))
            elif id(it) in marked:
                blocks.append("#" * level[(it.size, it.bold)] + " " + it.text)
            else:
                blocks.append(it.text)
        yield "\n\n".join(blocks) + "\n"


def _is_title(ln: _Line, centre: float) -> bool:
    """A short centred line that is no sentence: a table's title when it stands just above one."""
    return (len(ln.text) <= 40 and ln.text[-1] not in "。；;：:，," and abs((ln.x0 + ln.x1) / 2 - centre) < 2 * ln.size
            and not PAGE_NUMBER_RE.match(ln.text))
