#!/usr/bin/env python3
"""Load the web API on loopback: throughput and latency of POST /api/ask with concurrent clients.

    python bench/load_web.py [--db STORE | --units N] [--workers 1] [--clients 32] [--requests 4000]
                             [--seconds 30] [--bare]

Starts ``python -m askbudget serve --workers N`` on 127.0.0.1 at a free port — on --db, on a store of
--units units made from the seed document (bench/gen_units.py, kept in /tmp/askbudget-scale-N), or
on a store built in a temp dir from the corpus documents — waits for /healthz, asks every question
once, serially (the reference), then runs ``--clients`` threads, each with its own keep-alive
connection, until ``--requests`` answers are done or ``--seconds`` have passed. Questions: the corpus
banks (or, on a units store, gen_units' questions about random units and naming none), half of them
follow-ups in the client's conversation (its token sent back; --follow-ups). Reports answers/s, p50/p99/max,
the CPU time per answer of the server's processes and of the client (what a busy machine disturbs
least), errors (any non-200 or a dropped connection), stand-alone answers whose status or figure
differ from the serial run (e.g. a query cut by a time limit under load), and the RSS of the server
and its workers at start (after the serial run) and end. ``--bare`` then runs a bare Starlette app
returning a fixed JSON reply (bench/_bare.py, with ``serve``'s uvicorn options) with the same workers
and the same client, and prints the ratio. Exit status 1 on errors or differences. The client runs on
the same cores as the server: its CPU per answer is printed so the share it takes can be seen.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _server import get_json, percentile, served, tree_cpu_s, tree_rss_kib

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = ROOT / "tests" / "data"

FALLBACK = ["电费多少", "水费呢", "三公经费多少", "公用经费都包括哪些", "项目支出合计", "政府采购预算总额是多少"]


def questions(units: int) -> list[str]:
    if units:
        import gen_units

        rnd = random.Random(7)
        qs = []
        for _ in range(200):
            i = rnd.randrange(units)
            way = rnd.choice((gen_units.unit_name(i), f"第{i + 1}分局", gen_units.unit_code(i)))
            qs.append(rnd.choice(gen_units.NAMED)[0].format(u=way))
        return qs + list(gen_units.UNNAMED)
    qs: list[str] = []
    for bank in sorted(CORPUS.glob("*.questions.jsonl")):
        for line in bank.read_text(encoding="utf-8").splitlines():
            if line.strip():
                qs.append(json.loads(line)["q"])
    return qs or FALLBACK


def build_store(tmp: Path, units: int) -> Path:
    sys.path.insert(0, str(ROOT))
    from askbudget import build_store as build

    if units:
        import gen_units

        work = Path(tempfile.gettempdir()) / f"askbudget-scale-{units}"
        db = work / "store.db"
        if not db.is_file():
            build(gen_units.generate(units, work / "docs"), db, quiet=True)
        return db
    docs = sorted(p for p in CORPUS.glob("*.txt")) or sorted((ROOT / "data").glob("*.txt"))
    db = tmp / "bench.db"
    build(docs, db, quiet=True)
    return db


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="store to serve (default: built from the corpus in a temp dir)")
    ap.add_argument("--units", type=int, default=0, help="serve a store of this many units (bench/gen_units.py)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=4000, help="stop after this many answers")
    ap.add_argument("--seconds", type=float, default=30.0, help="stop after this many seconds")
    ap.add_argument("--follow-ups", type=float, default=0.5,
                    help="the share of questions sent with the client's conversation token (default 0.5)")
    ap.add_argument("--bare", action="store_true", help="also measure a bare Starlette app, same workers and client")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="askbudget-load-"))
    db = Path(args.db) if args.db else build_store(tmp, args.units)
    env = {"ASKBUDGET_CACHE_DIR": str(tmp / "cache"), "ASKBUDGET_DATA_HOME": str(tmp / "data")}
    qs = questions(args.units)
    try:
        with served(db, env, args.workers) as (server, port, _):
            rate, status = _drive(args, server, port, qs, check=True)
        if args.bare:
            with served(None, {}, command=[sys.executable, str(ROOT / "bench" / "_bare.py"), "PORT",
                                           str(args.workers)]) as (server, port, _):
                bare, _ = _drive(args, server, port, ["电费多少"], check=False)
            print(f"askbudget {rate:.0f} answers/s = {rate / bare:.2f} of a bare Starlette app's {bare:.0f}/s "
                  f"(same {args.workers} worker{'s' if args.workers != 1 else ''}, same client)")
        return status
    except RuntimeError as e:
        print(e, file=sys.stderr)
        return 1


def _drive(args: argparse.Namespace, server: subprocess.Popen[bytes], port: int, qs: list[str],
           check: bool) -> tuple[float, int]:
    serial: dict[str, tuple[str, float | None]] = {}  # each question alone, one at a time: the reference
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for q in dict.fromkeys(qs):
        warm.request("POST", "/api/ask", json.dumps({"question": q}), {"Content-Type": "application/json"})
        ref = json.loads(warm.getresponse().read())
        serial[q] = (ref["status"], ref["value"])
    warm.close()
    rss_start = tree_rss_kib(server.pid)
    differs: list[str] = []

    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    done = [0]
    stop_at = time.monotonic() + args.seconds

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conv: str | None = None
        while time.monotonic() < stop_at:
            with lock:
                if done[0] >= args.requests:
                    return
                done[0] += 1
            body: dict[str, str] = {"question": rnd.choice(qs)}
            if conv and rnd.random() < args.follow_ups:
                body["conversation"] = conv
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/ask", json.dumps(body, ensure_ascii=False).encode("utf-8"),
                             {"Content-Type": "application/json"})
                resp = conn.getresponse()
                payload = resp.read()
                dt = time.perf_counter() - t0
                if resp.status != 200:
                    with lock:
                        errors.append(f"HTTP {resp.status}: {payload[:120]!r}")
                    continue
                data = json.loads(payload)
                conv = data.get("conversation") or conv
                with lock:
                    latencies.append(dt)
                    if check and "conversation" not in body and (data["status"], data["value"]) != serial[body["question"]]:
                        differs.append(f"{body['question']}: {data['status']} {data['value']} {data['text'][:60]}")
            except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
                with lock:
                    errors.append(repr(e))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    t_start = time.perf_counter()
    cpu_server, cpu_client = tree_cpu_s(server.pid), _cpu_self()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t_start
    cpu_server, cpu_client = tree_cpu_s(server.pid) - cpu_server, _cpu_self() - cpu_client
    rss_end = tree_rss_kib(server.pid)
    health = get_json(port, "/healthz")[1]

    ms = [x * 1000 for x in latencies]
    rate = len(latencies) / elapsed
    what = "askbudget" if check else "bare Starlette"
    print(f"{what}: workers {args.workers}  clients {args.clients}  answers {len(latencies)} in {elapsed:.1f} s  "
          f"({len(set(qs))} distinct questions, {args.follow_ups:.0%} follow-ups)")
    print(f"  answers/s {rate:.0f}  p50 {percentile(ms, 50):.1f} ms  p99 {percentile(ms, 99):.1f} ms  "
          f"max {max(ms, default=float('nan')):.1f} ms")
    n = max(1, len(latencies))
    print(f"  CPU per answer: server {cpu_server / n * 1e6:.0f} us, client {cpu_client / n * 1e6:.0f} us")
    print(f"  errors {len(errors)}" + (f"  first: {errors[0]}" if errors else ""))
    if check:
        print(f"  stand-alone answers differing from the serial run {len(differs)}"
              + (f"  first: {differs[0]}" if differs else ""))
        print(f"  server RSS (all processes) start {rss_start / 1024:.1f} MiB  end {rss_end / 1024:.1f} MiB  "
              f"conversations held {health.get('conversations')}  load {os.getloadavg()[0]:.1f}")
    return rate, (1 if errors or differs else 0)


def _cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


if __name__ == "__main__":
    raise SystemExit(main())
