"""Render a disclosure in the text conversion (the Tangshan template) as a ruled-table PDF.

    python3 tools/render_pdf.py tests/data/gaoxin-jiaoyu-2024.txt [--out X.pdf] [--html X.html]

No budget PDF of the Tangshan template is at hand, so the team's own test documents are printed
the way such a PDF looks — an HTML page the text generates, printed by headless Chromium — to test
the PDF reader (``askbudget/ingest/pdf.py``) end to end against the text the page came from:

- ``#`` headings are ``<h1>``…``<h6>`` (distinct sizes; the reader finds them by size, not words);
- every run of TAB lines is a table with a border on every cell; its header rows (those before the
  栏次 row or the first row holding a figure) merge a cell with the empty cells beside it
  (colspan, where the row below has sub-headers) or below it (rowspan), as a printed header does;
- a page header block (``122001 单位名称``) that the text repeats after a table's rows starts a new
  PDF page, as the original's page break did; a table heading with its header block starts a page;
- spaces are printed unbreakable (a wrap at a space next to a CJK character is ambiguous: the
  reader joins wrapped CJK text without one);
- every other line is a paragraph (``**bold**`` and ``<b>`` marks dropped: the one CJK font has no
  bold face, and Chromium's synthetic bold bloats the file). Paragraphs are not split
  across pages (the reader keeps pages apart; joining a paragraph over a page break is the parser's).

Needs Chromium (Debian ``chromium``), a CJK font (``fonts-wqy-microhei``) and fontTools (the
``render`` extra): Chromium embeds a TrueType collection whole (5 MB per PDF), so the page uses a
subset of the font holding only the document's characters. ``--all`` renders every test document
into ``tests/data/<stem>.pdf``.
"""
from __future__ import annotations

import argparse
import html
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "data" / "gaoxin-gongan-2023.txt", *sorted((ROOT / "tests" / "data").glob("*.txt"))]
CHROMIUM = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-pdf-header-footer"]

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CSS = """
@font-face { font-family: "Doc"; src: url("FONT_URL"); }
@page { size: A4 landscape; margin: 14mm 12mm; }
body { font-family: "Doc", sans-serif; font-size: 10.5pt; line-height: 1.45; }
h1 { font-size: 20pt; } h2 { font-size: 16pt; } h3 { font-size: 14pt; }
h4 { font-size: 13pt; } h5 { font-size: 12pt; } h6 { font-size: 11.5pt; }
h1, h2, h3, h4, h5, h6 { font-weight: normal; margin: .6em 0 .4em; break-after: avoid; }
p { margin: .6em 0; break-inside: avoid; }
table { border-collapse: collapse; font-size: 9pt; line-height: 1.25; margin: .4em 0 .8em; }
td { border: .75pt solid #000; padding: 2pt 3pt; min-width: 1.4em; vertical-align: middle; }
tr { break-inside: avoid; }
.page { break-before: page; }
strong { font-weight: normal; }  /* Chromium prints a synthetic bold as a large Type 3 font */
"""

HEADING_RE = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
UNIT_LINE_RE = re.compile(r"^\d{3,}\s+\S")
NUMBER_RE = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?$")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*|<b>(.*?)</b>", re.I)


def _esc(text: str) -> str:
    # a space is printed unbreakable: a line wrapped at a space between a CJK character and a figure
    # ("至 2023") cannot say whether the space was there, so the rendering never wraps at one
    return html.escape(text).replace(" ", "&nbsp;")


def inline(text: str) -> str:
    """Escape a line; ``**x**`` / ``<b>x</b>`` become ``<strong>`` (printed in the normal weight)."""
    out, pos = [], 0
    for m in BOLD_RE.finditer(text):
        out.append(_esc(text[pos:m.start()]))
        out.append(f"<strong>{_esc(m.group(1) if m.group(1) is not None else m.group(2))}</strong>")
        pos = m.end()
    out.append(_esc(text[pos:]))
    return "".join(out)


def _plain(cell: str) -> str:
    return BOLD_RE.sub(lambda m: m.group(1) or m.group(2) or "", cell).strip()


def header_count(rows: list[list[str]]) -> int:
    """Header rows: those before the 栏次 row, or before the first row holding a figure."""
    for i, row in enumerate(rows):
        cells = [_plain(c) for c in row]
        if cells and cells[0].startswith("栏次"):
            return i
        if (cells and re.fullmatch(r"\d+", cells[0])) or any(NUMBER_RE.match(c) for c in cells[1:]):
            return i
    return 0


def table_html(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    grid = [r + [""] * (width - len(r)) for r in rows]
    n_head = header_count(grid)
    covered: set[tuple[int, int]] = set()
    out = ["<table>"]
    for i, row in enumerate(grid):
        out.append("<tr>")
        for j, cell in enumerate(row):
            if (i, j) in covered:
                continue
            span = ""
            if i < n_head and _plain(cell):
                below = grid[i + 1] if i + 1 < n_head else None
                cols = 1
                while (below is not None and j + cols < width and not _plain(row[j + cols])
                       and _plain(below[j + cols]) and (i, j + cols) not in covered):
                    cols += 1
                rows_ = 1
                if cols == 1:
                    while i + rows_ < n_head and not _plain(grid[i + rows_][j]):
                        rows_ += 1
                for a in range(i, i + rows_):
                    for b in range(j, j + cols):
                        if (a, b) != (i, j):
                            covered.add((a, b))
                if cols > 1:
                    span += f' colspan="{cols}"'
                if rows_ > 1:
                    span += f' rowspan="{rows_}"'
            out.append(f"<td{span}>{inline(cell.strip())}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def page_html(text: str) -> str:
    """The HTML page of one document in the text conversion (see the module docstring)."""
    lines = text.replace("\r\n", "\n").split("\n")
    body: list[str] = []
    table: list[list[str]] = []
    after_rows = False  # the last block was a table: a unit line now is a repeated page header

    def flush() -> None:
        nonlocal table
        if table:
            body.append(table_html(table))
            table = []

    def next_text(i: int) -> str:
        for k in range(i + 1, min(i + 4, len(lines))):
            if lines[k].strip():
                return lines[k].strip()
        return ""

    for i, line in enumerate(lines):
        if "\t" in line:
            table.append(line.split("\t"))
            after_rows = True
            continue
        flush()
        s = line.strip()
        if not s:
            continue
        m = HEADING_RE.match(s)
        if m:
            level = len(m.group(1))
            page = ' class="page"' if UNIT_LINE_RE.match(next_text(i)) else ""
            body.append(f"<h{level}{page}>{inline(m.group(2))}</h{level}>")
            after_rows = False
            continue
        page = ' class="page"' if after_rows and UNIT_LINE_RE.match(s) else ""
        body.append(f"<p{page}>{inline(s)}</p>")
        after_rows = False
    flush()
    return ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><style>" + CSS +
            "</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def subset_font(text: str, out: Path) -> None:
    """The CJK font cut down to the characters of ``text`` (a TrueType font Chromium embeds as is)."""
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)

    font = TTFont(FONT, fontNumber=0)
    opts = subset.Options()
    opts.layout_features = ["*"]
    sub = subset.Subsetter(opts)
    sub.populate(text=text + "0123456789 ")
    sub.subset(font)
    font.save(out)


def render(src: Path, out: Path, html_out: Path | None = None) -> None:
    text = src.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        font = Path(tmp) / "doc.ttf"
        subset_font(text, font)
        page = page_html(text).replace("FONT_URL", font.as_uri())
        h = Path(tmp) / "page.html"
        h.write_text(page, encoding="utf-8")
        if html_out is not None:
            html_out.write_text(page, encoding="utf-8")
        subprocess.run([*CHROMIUM, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out.resolve()}",
                        h.as_uri()], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--out", type=Path, help="the PDF (default: beside the text, .pdf)")
    ap.add_argument("--html", type=Path, help="also keep the HTML page here")
    ap.add_argument("--all", action="store_true", help="every test document into tests/data/")
    args = ap.parse_args(argv)
    if args.all:
        jobs = [(d, ROOT / "tests" / "data" / f"{d.stem}.pdf") for d in DOCS]
    else:
        if not args.files or (args.out and len(args.files) > 1):
            ap.error("give one text file with --out, or several files, or --all")
        jobs = [(f, args.out or f.with_suffix(".pdf")) for f in args.files]
    for src, out in jobs:
        render(src, out, args.html)
        print(f"{src} -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
