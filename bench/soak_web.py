#!/usr/bin/env python3
"""Soak the help-desk web service on loopback: bounded load, then the figures issue 5 asks for.

    python bench/soak_web.py [--db STORE] [--clients 32] [--requests 20000] [--seconds 60]
                             [--new-conversation 0.2] [--max-conversations N] [--json OUT]

It starts ``python -m askbudget serve`` on 127.0.0.1 at a free port (a store built in a temp dir
from the corpus documents when --db is not given), waits for /healthz, then drives it with
``--clients`` threads, each on its own keep-alive connection, until ``--requests`` requests are done
or ``--seconds`` have passed, whichever comes first. The traffic mix:

* follow-up conversations: a client keeps its conversation id and asks the next question in it;
* new conversations: with probability ``--new-conversation`` a client drops its id, so the server
  mints a new one (this is what grows conversation state, and what must stay bounded);
* GET /api/ask?q= for embedding-style calls;
* a few hostile requests (malformed JSON, wrong content type, too-long question) whose documented
  4xx status is checked: a wrong status counts as an error like a 5xx or a dropped connection;
* every stand-alone question (a GET, or the first turn of a new conversation) is compared with what a
  direct ``Assistant`` says to it (status, text, value, unit, citations): a difference is an error.

Reported: requests, errors (by kind), answers/s, latency p50/p90/p99/max, the server's RSS at start
(after warm-up), middle and end, and the number of conversations it holds at the end (/healthz).
Exit status 0 when there were no errors, 1 otherwise. Loopback only: the host is fixed to 127.0.0.1.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from _server import get_json, percentile, rss_kib, served  # noqa: E402
from hostile_util import SELF_CONTAINED_QUESTIONS  # noqa: E402

FOLLOW_UPS = ("水费呢", "去年呢", "那去年是多少", "多少元", "两者合计呢", "其中最大的一项是什么", "财政局的呢",
              "分局的呢", "占比多少", "为什么")
HOSTILE: tuple[tuple[str, bytes, str, int], ...] = (
    ("malformed JSON", b'{"question": ', "application/json", 400),
    ("wrong content type", b"question=x", "application/x-www-form-urlencoded", 415),
    ("too long question", json.dumps({"question": "电" * 600}).encode(), "application/json", 400),
    ("not an object", b"[1, 2]", "application/json", 400),
)


def rss_mb(pid: int) -> float:
    kib = rss_kib(pid)
    return kib / 1024 if kib >= 0 else float("nan")


def build_default_store(tmp: Path) -> Path:
    from askbudget import build_store

    docs = sorted((ROOT / "data").glob("*.txt"))
    shared = ROOT.parent / "shared" / "corpus"
    docs += [p for p in sorted(shared.glob("*.txt")) if p.name not in {d.name for d in docs}]
    db = tmp / "soak.db"
    build_store([str(p) for p in docs], str(db))
    return db


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.issued = 0
        self.compared = 0  # stand-alone answers checked against a direct Assistant
        self.examples: list[str] = []

    def take(self, limit: int, deadline: float) -> bool:
        with self.lock:
            if self.issued >= limit or time.monotonic() >= deadline:
                return False
            self.issued += 1
            return True

    def record(self, kind: str, took: float, error: str | None, status: str | None = None) -> None:
        with self.lock:
            self.kinds[kind] += 1
            self.latencies.append(took)
            if status:
                self.statuses[status] += 1
            if error:
                self.errors[error.split(":")[0]] += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{kind}: {error}")


def client(i: int, port: int, stats: Stats, limit: int, deadline: float, p_new: float,
           reference: dict[str, dict[str, Any]] | None = None) -> None:
    rng = random.Random(i)
    conn: http.client.HTTPConnection | None = None
    conv: str | None = None
    questions = list(SELF_CONTAINED_QUESTIONS)
    while stats.take(limit, deadline):
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        roll = rng.random()
        expect = 200
        if roll < 0.03:
            kind, body, ctype, expect = rng.choice(HOSTILE)
            method, path, headers = "POST", "/api/ask", {"Content-Type": ctype}
        elif roll < 0.13:
            kind, method, body, headers = "GET ask", "GET", b"", {}
            path = "/api/ask?q=" + quote(rng.choice(questions))
        else:
            if rng.random() < p_new:
                conv = None
            q = rng.choice(FOLLOW_UPS) if conv and rng.random() < 0.3 else rng.choice(questions)
            payload: dict[str, Any] = {"question": q}
            if conv:
                payload["conversation"] = conv
            kind, method, path = ("follow-up" if conv else "new conversation"), "POST", "/api/ask"
            body, headers = json.dumps(payload, ensure_ascii=False).encode(), {"Content-Type": "application/json"}
        t0 = time.perf_counter()
        err: str | None = None
        status_word: str | None = None
        try:
            conn.request(method, path, body=body or None, headers=headers)
            r = conn.getresponse()
            data = r.read()
            if r.status != expect:
                err = f"HTTP {r.status} (expected {expect}): {data[:160]!r}"
            else:
                d = json.loads(data)
                if expect == 200:
                    status_word = d.get("status")
                    standalone = kind == "GET ask" or kind == "new conversation"
                    asked = d.get("question")
                    if standalone and reference is not None and asked in reference:
                        with stats.lock:
                            stats.compared += 1
                        want = reference[asked]
                        got = {k: d.get(k) for k in want}
                        if got != want:
                            diff = [k for k in want if want[k] != got[k]]
                            err = f"answer differs from a direct Assistant in {diff}: {asked!r}"
                    if kind != "GET ask":
                        conv = d.get("conversation")
                elif not (d.get("ok") is False and d.get("status") == expect):
                    err = f"bad error shape: {data[:160]!r}"
            if r.getheader("connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException, ValueError) as e:
            err = f"{type(e).__name__}: {e}"
            if conn is not None:
                conn.close()
            conn = None
        stats.record(kind, time.perf_counter() - t0, err, status_word)
    if conn is not None:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="store to serve (default: built from the corpus in a temp dir)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=20_000)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--new-conversation", type=float, default=0.2,
                    help="probability that a client starts a new conversation before a question")
    ap.add_argument("--max-conversations", type=int, help="ASKBUDGET_MAX_CONVERSATIONS for the server")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="askbudget-soak-") as tmp:
        db = args.db or build_default_store(Path(tmp))
        env = {"ASKBUDGET_CACHE_DIR": str(Path(tmp) / "cache")}
        if args.max_conversations:
            env["ASKBUDGET_MAX_CONVERSATIONS"] = str(args.max_conversations)
        t_start = time.monotonic()
        try:
            stack = contextlib.ExitStack()
            server, port, _ = stack.enter_context(served(db, env))
        except RuntimeError as e:
            print(e, file=sys.stderr)
            return 1
        with stack:
            startup = time.monotonic() - t_start
            # what a direct Assistant says to each stand-alone question: every first turn must match
            from askbudget import Assistant

            direct = Assistant(str(db))
            reference: dict[str, dict[str, Any]] = {}
            for q in SELF_CONTAINED_QUESTIONS:
                direct.reset()
                full = direct.ask(q).to_dict()
                reference[full["question"]] = {k: full[k] for k in ("status", "text", "value", "unit", "citations")}
            # warm-up: one question per client so the start RSS is the steady state, not an empty process
            warm = Stats()
            client(0, port, warm, args.clients, time.monotonic() + 30, 1.0)
            rss: list[tuple[float, float]] = []
            stats = Stats()
            stop = threading.Event()

            def sample() -> None:
                while not stop.is_set():
                    rss.append((time.monotonic(), rss_mb(server.pid)))
                    stop.wait(0.5)

            sampler = threading.Thread(target=sample, daemon=True)
            t0 = time.monotonic()
            sampler.start()
            deadline = t0 + args.seconds
            threads = [threading.Thread(target=client, args=(i + 1, port, stats, args.requests, deadline,
                                                             args.new_conversation, reference), daemon=True)
                       for i in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=args.seconds + 120)
            elapsed = time.monotonic() - t0
            stop.set()
            sampler.join()
            rss.append((time.monotonic(), rss_mb(server.pid)))
            status, health = get_json(port, "/healthz")
            conversations = health.get("conversations") if isinstance(health, dict) else None

    n = len(stats.latencies)
    answered = sum(v for k, v in stats.kinds.items() if k in ("follow-up", "new conversation", "GET ask"))
    mid = rss[len(rss) // 2][1] if rss else float("nan")
    figures = {
        "clients": args.clients, "requests": n, "seconds": round(elapsed, 2),
        "requests_per_s": round(n / elapsed, 1), "answers_per_s": round(answered / elapsed, 1),
        "p50_ms": round(percentile(stats.latencies, 50) * 1e3, 2), "p90_ms": round(percentile(stats.latencies, 90) * 1e3, 2),
        "p99_ms": round(percentile(stats.latencies, 99) * 1e3, 2), "max_ms": round(max(stats.latencies) * 1e3, 2),
        "errors": sum(stats.errors.values()), "errors_by_kind": dict(stats.errors),
        "compared_with_direct_assistant": stats.compared,
        "error_examples": stats.examples, "by_kind": dict(stats.kinds), "answer_statuses": dict(stats.statuses),
        "rss_mb_start": round(rss[0][1], 1) if rss else None, "rss_mb_middle": round(mid, 1),
        "rss_mb_end": round(rss[-1][1], 1) if rss else None, "rss_mb_max": round(max(r for _, r in rss), 1),
        "rss_mb_by_tenth": [round(rss[min(len(rss) - 1, len(rss) * k // 10)][1]) for k in range(11)] if rss else [],
        "conversations_at_end": conversations, "server_startup_s": round(startup, 2),
        "max_conversations": args.max_conversations or "default",
    }
    print(f"soak: {n} requests from {args.clients} clients in {elapsed:.1f} s -> "
          f"{figures['requests_per_s']} req/s, {figures['answers_per_s']} answers/s")
    print(f"  latency p50 {figures['p50_ms']} ms, p90 {figures['p90_ms']} ms, p99 {figures['p99_ms']} ms, "
          f"max {figures['max_ms']} ms")
    print(f"  errors {figures['errors']} {dict(stats.errors) or ''}; {stats.compared} stand-alone answers "
          "equal to a direct Assistant's" if not stats.errors else f"  errors {figures['errors']} {dict(stats.errors)}")
    for e in stats.examples:
        print(f"    {e}")
    print(f"  mix {dict(stats.kinds)}; answer statuses {dict(stats.statuses)}")
    print(f"  server RSS MB: start {figures['rss_mb_start']}, middle {figures['rss_mb_middle']}, "
          f"end {figures['rss_mb_end']}, max {figures['rss_mb_max']}; by tenths of the run: "
          f"{figures['rss_mb_by_tenth']}")
    print(f"  conversations held at the end: {conversations} (max {figures['max_conversations']})")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if figures["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
