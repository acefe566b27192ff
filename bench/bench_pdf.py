"""PDF reading timings: page text of each PDF, and a PDF ingested end to end.

    python bench/bench_pdf.py [--repeat 5]

Reads the PDFs of tests/data: the seed rendered by tools/render_pdf.py (Chromium), and three real
决算 PDFs from three office programs (ONLYOFFICE, Word, WPS). For each: pages, ruled tables, and the
best and median wall time of ``read_pdf`` (PDF → page text) — the target is ≤ 2 s for a ~25-page
disclosure — then ``build_store`` of the seed PDF into a new store (page text → store as well).
Almost all of the time is pdfminer interpreting the pages' content streams; table finding and
the reader's own work are a small part (see ``python -m cProfile``).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from askbudget.ingest import build_store  # noqa: E402
from askbudget.ingest.pdf import read_pdf  # noqa: E402
from bench_ingest import _time  # noqa: E402

DATA = ROOT / "tests" / "data"
PDFS = ["gaoxin-gongan-2023.pdf", "putuo-czj-2024-final.pdf", "putuo-guihua-2024-final.pdf",
        "putuo-shegongbu-2024-final.pdf"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows = []
    for name in PDFS:
        pdf = DATA / name
        got = read_pdf(pdf)
        rows.append((f"page text: {pdf.stem}", len(got.pages), got.tables,
                     _time(lambda pdf=pdf: read_pdf(pdf), args.repeat)))
    with tempfile.TemporaryDirectory() as d:
        seed = DATA / PDFS[0]
        db = Path(d) / "s.db"

        def ingest() -> None:
            db.unlink(missing_ok=True)
            build_store([seed], db, quiet=True)

        got = read_pdf(seed)
        rows.append((f"ingest (new store): {seed.stem}", len(got.pages), got.tables, _time(ingest, args.repeat)))
    w = max(len(r[0]) for r in rows)
    print(f"{'what':<{w}}  {'pages':>5}  {'tables':>6}  {'best s':>7}  {'median s':>8}  {'ms/page':>7}")
    for what, pages, tables, times in rows:
        best, med = min(times), statistics.median(times)
        print(f"{what:<{w}}  {pages:>5}  {tables:>6}  {best:>7.2f}  {med:>8.2f}  {med / pages * 1000:>7.0f}")


if __name__ == "__main__":
    main()
