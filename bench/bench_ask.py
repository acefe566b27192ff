#!/usr/bin/env python3
"""Benchmarks of the question path.

1. One-shot: ``python -m askbudget ask "电费多少"`` on the default store, the whole process, median
   over N runs, printed beside ``python -c pass`` measured the same way (the interpreter's floor).
   Bytecode is allowed to be written (as for an installed package) and the first run is not timed.
2. Warm: one Assistant per bank over a store of that bank's document; per-question median and p99.

    python bench/bench_ask.py [--runs 20] [--corpus ../shared/corpus] [--skip-oneshot]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _proc_times(cmd: list[str], runs: int, env: dict[str, str]) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT, check=False)
        out.append(time.perf_counter() - t)
    return out


def oneshot(runs: int) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    # an installed package has its bytecode compiled; so does this run (PYTHONDONTWRITEBYTECODE would
    # make every run recompile ~10 modules, ~50 ms that no user pays)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # first run builds the default store, the vocabulary and tokenizer caches and the bytecode; not timed
    subprocess.run([sys.executable, "-m", "askbudget", "ask", "电费多少"], env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    base = _proc_times([sys.executable, "-c", "pass"], runs, env)
    ask = _proc_times([sys.executable, "-m", "askbudget", "ask", "电费多少"], runs, env)
    print(f"one-shot `ask 电费多少`: median {statistics.median(ask) * 1e3:.0f} ms "
          f"(min {min(ask) * 1e3:.0f}) | `python -c pass`: median {statistics.median(base) * 1e3:.0f} ms "
          f"(min {min(base) * 1e3:.0f}) | over {runs} runs")


def warm(corpus: Path) -> None:
    sys.path.insert(0, str(ROOT))
    import askbudget
    from askbudget.assistant import Assistant

    for bank in sorted(corpus.glob("*.questions.jsonl")):
        doc = corpus / bank.name.replace(".questions.jsonl", ".txt")
        if not doc.is_file():
            continue
        qs = [json.loads(line) for line in bank.read_text(encoding="utf-8").splitlines() if line.strip()]
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            askbudget.build_store([str(doc)], str(db))
            a = Assistant(str(db))
            times = []
            conv = object()
            for q in qs:
                if q.get("conv") != conv or q.get("conv") is None:
                    a.reset()
                conv = q.get("conv")
                t = time.perf_counter()
                a.ask(q["q"])
                times.append(time.perf_counter() - t)
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(f"warm {bank.name}: {len(times)} questions, median {statistics.median(times) * 1e3:.2f} ms, "
              f"p99 {p99 * 1e3:.2f} ms, max {times[-1] * 1e3:.2f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--skip-oneshot", action="store_true")
    args = ap.parse_args()
    if not args.skip_oneshot:
        oneshot(args.runs)
    if args.corpus.is_dir():
        warm(args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
