#!/usr/bin/env python3
"""Scale: one store of N units (default 1,000) made from the real seed document by bench/gen_units.py.

    python bench/bench_scale.py [--units 1000] [--work DIR] [--units-asked 40] [--skip-ingest]

Measures, each in its own process so no cache of another step helps it:

1. ingest: ``build_store`` of the N documents into a new store (wall time, one run);
2. ``Assistant()``: opening the store the first time (no vocabulary cache on disk) and again in a new
   process (the cache written by the first open), median of 3;
3. questions: one warm Assistant, every question stand-alone (``reset()`` before each):
   * naming a unit — ``--units-asked`` units picked evenly, each asked every question of
     ``gen_units.NAMED``, the unit written three ways in turn (its full name, its distinctive part
     第N分局, its unit code). Every answer is checked: the status and value the seed document alone
     gives, and every citation names that unit. A wrong one is printed and counted;
   * naming none — ``gen_units.UNNAMED``, each asked 5 times;
   p50 / p99 / max per group, and the longest answer text (a not_found must not list every unit).

The store and documents are kept in --work (default /tmp/askbudget-scale-N) so a rerun skips
generating them; --skip-ingest reuses the store there. Exit status 1 when an answer was wrong.
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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import gen_units  # noqa: E402
from _server import percentile  # noqa: E402


def _run(code: str, env: dict[str, str]) -> dict:
    """Run python code in a fresh process (this checkout first on the path); its last stdout line is JSON."""
    full = dict(os.environ, **env)
    full["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, "-c", code], env=full, cwd=str(ROOT), capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def ingest(paths: list[Path], db: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its parse workers)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    code = ("import json, time, resource; from askbudget import build_store; t = time.perf_counter(); "
            f"build_store({[str(p) for p in paths]!r}, {str(db)!r}, quiet=True); "
            "u = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]; "
            "print(json.dumps({'s': time.perf_counter() - t, 'cpu': sum(x.ru_utime + x.ru_stime for x in u)}))")
    out = _run(code, env)
    return float(out["s"]), float(out["cpu"])


def open_time(db: Path, env: dict[str, str]) -> float:
    code = ("import json, time; t = time.perf_counter(); from askbudget import Assistant; "
            f"a = Assistant({str(db)!r}); print(json.dumps({{'s': time.perf_counter() - t}}))")
    return float(_run(code, env)["s"])


def _reference() -> dict[str, tuple[str, float | None]]:
    """What the seed document alone answers to each named question with the unit left out."""
    from askbudget import Assistant, build_store

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seed.db"
        build_store([gen_units.SEED], db, quiet=True)
        with Assistant(db) as a:
            for q, _, _ in gen_units.NAMED:
                a.reset()
                ans = a.ask(q.format(u=""))
                out[q] = (ans.status, ans.value)
    return out


def questions(db: Path, n: int, units_asked: int) -> tuple[dict[str, list[float]], list[str], int]:
    from askbudget import Assistant

    ref = _reference()
    times: dict[str, list[float]] = {"named": [], "unnamed": []}
    wrong: list[str] = []
    longest = 0
    picks = sorted({round(k * (n - 1) / max(1, units_asked - 1)) for k in range(units_asked)})
    with Assistant(db) as a:
        for j, i in enumerate(picks):
            name = gen_units.unit_name(i)
            ways = (name, f"第{i + 1}分局", gen_units.unit_code(i, n))
            for k, (q, _, _) in enumerate(gen_units.NAMED):
                u = ways[(j + k) % len(ways)]
                question = q.format(u=u)
                a.reset()
                t = time.perf_counter()
                ans = a.ask(question)
                times["named"].append(time.perf_counter() - t)
                longest = max(longest, len(ans.text))
                want = ref[q]
                units = {c.unit for c in ans.citations}
                if (ans.status, ans.value) != want or not units or any(not x.startswith(name + "(") and x != name
                                                                       for x in units):
                    wrong.append(f"{question}: {ans.status} {ans.value} {sorted(units)[:2]} (want {want}) "
                                 f"{ans.text[:80]}")
        for _ in range(5):
            for q in gen_units.UNNAMED:
                a.reset()
                t = time.perf_counter()
                ans = a.ask(q)
                times["unnamed"].append(time.perf_counter() - t)
                longest = max(longest, len(ans.text))
    return times, wrong, longest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--work", type=Path)
    ap.add_argument("--units-asked", type=int, default=40)
    ap.add_argument("--skip-ingest", action="store_true", help="reuse the store in --work")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.gettempdir()) / f"askbudget-scale-{args.units}"
    paths = gen_units.generate(args.units, work / "docs")
    db = work / "store.db"
    cache = work / "cache"
    env = {"ASKBUDGET_CACHE_DIR": str(cache)}
    os.environ.update(env)
    print(f"{args.units} units ({paths[0].stat().st_size // 1024} KiB each) in {work}")
    if not (args.skip_ingest and db.is_file()):
        s, cpu = ingest(paths, db, env)
        print(f"ingest: {s:.1f} s wall, {cpu:.1f} s CPU (all processes) ({s / args.units * 1000:.1f} ms/document), "
              f"store {db.stat().st_size / 2**20:.0f} MiB, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    import shutil

    shutil.rmtree(cache, ignore_errors=True)
    first = open_time(db, env)
    again = [open_time(db, env) for _ in range(3)]
    print(f"Assistant(): first open {first:.2f} s (no cache); again (new process) median {statistics.median(again):.2f} s")
    times, wrong, longest = questions(db, args.units, args.units_asked)
    for group, xs in times.items():
        ms = [x * 1000 for x in xs]
        print(f"questions {group}: {len(ms)}, p50 {percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms, "
              f"max {max(ms):.1f} ms")
    print(f"longest answer text: {longest} characters")
    print(f"named answers wrong: {len(wrong)}")
    for w in wrong[:15]:
        print(f"  {w}")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
