"""Ingest timings: each corpus document alone, and many generated variants in one run.

    python bench/bench_ingest.py [--variants 50] [--repeat 5]

Variants are the corpus documents with other unit codes and budget years (so each is a distinct
document of the store), written to a temporary directory and ingested in one ``build_store`` call.
Prints a table: what was ingested, documents, cells, best and median wall time, per document.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from askbudget.ingest import build_store, parse_file  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
DOCS = [ROOT / "data" / "gaoxin-gongan-2023.txt", CORPUS / "tangshan-gaoxin-czj-2023.txt"]


def _variants(tmp: Path, n: int) -> list[Path]:
    out = []
    docs = [d for d in DOCS if d.is_file()]
    for i in range(n):
        src = docs[i % len(docs)]
        text = src.read_text(encoding="utf-8")
        code = text.split("\n## 单位预算收支总表\n\n", 1)[1].split(" ", 1)[0]
        year = 2023 + i // 100
        new_code = f"{900000 + i:06d}"
        text = text.replace(f"{code} ", f"{new_code} ").replace("预算年度：2023", f"预算年度：{year}")
        p = tmp / f"variant-{i:03d}.txt"
        p.write_text(text, encoding="utf-8")
        out.append(p)
    return out


def _time(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--variants", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for doc in DOCS:
            if not doc.is_file():
                continue
            parsed = parse_file(doc)
            rows.append((f"parse only: {doc.stem}", 1, parsed.n_cells, _time(lambda: parse_file(doc), args.repeat)))

            def ingest(doc: Path = doc) -> None:
                db = tmp / "one.db"
                db.unlink(missing_ok=True)
                build_store([doc], db, quiet=True)

            rows.append((f"ingest (new store): {doc.stem}", 1, parsed.n_cells, _time(ingest, args.repeat)))
            db = tmp / "again.db"
            build_store([doc], db, quiet=True)
            rows.append((f"re-ingest (replace): {doc.stem}", 1, parsed.n_cells,
                         _time(lambda: build_store([doc], db, quiet=True), args.repeat)))
        variants = _variants(tmp, args.variants)
        cells = sum(parse_file(v).n_cells for v in variants)

        def many() -> None:
            db = tmp / "many.db"
            db.unlink(missing_ok=True)
            build_store(variants, db, quiet=True)

        rows.append((f"ingest {len(variants)} variants at once", len(variants), cells, _time(many, max(1, args.repeat // 2))))
    w = max(len(r[0]) for r in rows)
    print(f"{'what':<{w}}  {'docs':>5}  {'cells':>7}  {'best ms':>9}  {'median ms':>9}  {'ms/doc':>8}")
    for what, n, cells, times in rows:
        best, med = min(times) * 1000, statistics.median(times) * 1000
        print(f"{what:<{w}}  {n:>5}  {cells:>7}  {best:>9.1f}  {med:>9.1f}  {best / n:>8.1f}")


if __name__ == "__main__":
    main()
