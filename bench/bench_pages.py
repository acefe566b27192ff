"""Page-text ingest timings: the three real Putuo 2026 部门预算 and the four 2025 部门决算 (tests/data), parsing
alone and into a store.

    python bench/bench_pages.py [--repeat 7]

Prints, per document and for each kind's documents in one run: pages, cells, uncertain cells, and the best and
median wall time of ``parse_file`` (pure: page text → Document, placement included) and of
``build_store`` (parse, write, checks) into a fresh store.
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

DOCS = [ROOT / "tests" / "data" / f"putuo-{d}-2026.txt" for d in ("chengguan", "jianguanwei", "wenlvju")]
FINALS = [ROOT / "tests" / "data" / f"putuo-{d}-2025-final.txt" for d in ("wenlv", "shiquan", "yichuan", "shengtai")]


def _time(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    print(f"{'what':<28} {'pages':>5} {'cells':>6} {'uncertain':>9} {'parse best/median ms':>21} {'store best/median ms':>21}")
    with tempfile.TemporaryDirectory() as d:
        for i, paths in enumerate([[p] for p in DOCS] + [DOCS] + [[p] for p in FINALS] + [FINALS]):
            docs = [parse_file(p) for p in paths]
            parse = _time(lambda: [parse_file(p) for p in paths], args.repeat)
            n = [0]

            def store() -> None:
                n[0] += 1
                build_store(paths, Path(d) / f"b{i}-{n[0]}.db", quiet=True)

            st = _time(store, args.repeat)
            name = paths[0].stem if len(paths) == 1 else f"all {len(paths)} in one run"
            print(f"{name:<28} {sum(x.n_pages or 0 for x in docs):>5} {sum(x.n_cells for x in docs):>6} "
                  f"{sum(x.n_uncertain for x in docs):>9} {min(parse) * 1e3:>10.1f}/{statistics.median(parse) * 1e3:<10.1f}"
                  f"{min(st) * 1e3:>10.1f}/{statistics.median(st) * 1e3:<10.1f}")


if __name__ == "__main__":
    main()
