#!/usr/bin/env python3
"""Load the web API on loopback: throughput and latency of POST /api/ask with concurrent clients.

    python bench/load_web.py [--db STORE] [--clients 32] [--requests 4000] [--seconds 30]

Starts ``python -m askbudget serve`` on 127.0.0.1 at a free port (on a store built in a temp dir from
the corpus documents unless --db is given), waits for /healthz, warms up, then runs ``--clients``
threads, each with its own keep-alive connection, until ``--requests`` answers are done or
``--seconds`` have passed. Each client asks questions from the corpus question banks, half of them as
follow-ups in its conversation. Reports answers/s, p50/p99/max latency, errors (any non-200 or a
dropped connection), stand-alone answers whose status or figure differ from the same question asked
alone before the load (e.g. a query cut by the SQL time limit under load), and the server's RSS at
start (after warm-up) and end. Exit status 1 on errors or differences.
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _server import get_json, percentile, rss_kib, served

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = ROOT / "data"

FALLBACK = ["电费多少", "水费呢", "三公经费多少", "公用经费都包括哪些", "项目支出合计", "政府采购预算总额是多少"]


def questions() -> list[str]:
    qs: list[str] = []
    for bank in sorted(CORPUS.glob("*.questions.jsonl")):
        for line in bank.read_text(encoding="utf-8").splitlines():
            if line.strip():
                qs.append(json.loads(line)["q"])
    return qs or FALLBACK


def build_store(tmp: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from askbudget import build_store as build

    docs = sorted(p for p in CORPUS.glob("*.txt")) or sorted((ROOT / "data").glob("*.txt"))
    db = tmp / "bench.db"
    build(docs, db)
    return db


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="store to serve (default: built from the corpus in a temp dir)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=4000, help="stop after this many answers")
    ap.add_argument("--seconds", type=float, default=30.0, help="stop after this many seconds")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="askbudget-load-"))
    db = Path(args.db) if args.db else build_store(tmp)
    env = {"ASKBUDGET_CACHE_DIR": str(tmp / "cache"), "ASKBUDGET_DATA_HOME": str(tmp / "data")}
    try:
        with served(db, env) as (server, port, _):
            return _drive(args, server, port)
    except RuntimeError as e:
        print(e, file=sys.stderr)
        return 1


def _drive(args: argparse.Namespace, server: subprocess.Popen[bytes], port: int) -> int:
    qs = questions()
    serial: dict[str, tuple[str, float | None]] = {}  # each question alone, one at a time: the reference
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for q in qs:
        warm.request("POST", "/api/ask", json.dumps({"question": q}), {"Content-Type": "application/json"})
        ref = json.loads(warm.getresponse().read())
        serial[q] = (ref["status"], ref["value"])
    rss_start = rss_kib(server.pid)
    differs: list[str] = []

    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    done = [0]
    stop_at = time.monotonic() + args.seconds

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conv: str | None = None
        while time.monotonic() < stop_at:
            with lock:
                if done[0] >= args.requests:
                    return
                done[0] += 1
            body: dict[str, str] = {"question": rnd.choice(qs)}
            if conv and rnd.random() < 0.5:
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
                conv = data["conversation"]
                with lock:
                    latencies.append(dt)
                    if "conversation" not in body and (data["status"], data["value"]) != serial[body["question"]]:
                        differs.append(f"{body['question']}: {data['status']} {data['value']} {data['text'][:60]}")
            except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
                with lock:
                    errors.append(repr(e))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    t_start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t_start
    rss_end = rss_kib(server.pid)
    health = get_json(port, "/healthz")[1]

    ms = [x * 1000 for x in latencies]
    print(f"clients {args.clients}  answers {len(latencies)}  in {elapsed:.1f} s  "
          f"({len(qs)} distinct questions, half follow-ups)")
    print(f"answers/s {len(latencies) / elapsed:.0f}  p50 {percentile(ms, 50):.1f} ms  "
          f"p99 {percentile(ms, 99):.1f} ms  max {max(ms, default=float('nan')):.1f} ms")
    print(f"errors {len(errors)}" + (f"  first: {errors[0]}" if errors else ""))
    print(f"stand-alone answers differing from the serial run {len(differs)}"
          + (f"  first: {differs[0]}" if differs else ""))
    print(f"server RSS start {rss_start / 1024:.1f} MiB  end {rss_end / 1024:.1f} MiB  "
          f"conversations held {health.get('conversations')}")
    return 1 if errors or differs else 0


if __name__ == "__main__":
    raise SystemExit(main())
