"""What the web benchmarks share: a loopback `askbudget serve` they start and stop, and small measures."""
from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB (-1 when it cannot be read)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return -1


def percentile(xs: list[float], p: float) -> float:
    """The p-th percentile (0..100) of xs, nearest rank; nan for no data."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def get_json(port: int, path: str, timeout: float = 5) -> tuple[int, Any]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, json.loads(r.read() or b"null")
    finally:
        c.close()


def tree_cpu_s(pid: int) -> float:
    """CPU time (user + system) a process and its children (the workers of `serve --workers N`) have
    used so far, in seconds (what a process cannot be read for counts 0)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    except (OSError, IndexError, ValueError):
        total = 0.0
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        kids = []
    return total + sum(tree_cpu_s(int(k)) for k in kids)


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (the workers of `serve --workers N`), in KiB."""
    total = max(0, rss_kib(pid))
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        kids = []
    return total + sum(tree_rss_kib(int(k)) for k in kids)


@contextlib.contextmanager
def served(db: Path | None, env: dict[str, str], workers: int = 1,
           command: list[str] | None = None) -> Iterator[tuple[subprocess.Popen[bytes], int, list[str]]]:
    """Start `askbudget serve --db db --workers N` on 127.0.0.1 at a free port (or ``command``, with
    PORT replaced); yield (process, port, stderr lines) once /healthz answers; stop it afterwards.
    Raises RuntimeError when it does not come up in 120 s."""
    port = free_port()
    full_env = dict(os.environ, **env)
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + str(ROOT / "bench") + os.pathsep + os.environ.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "askbudget", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers)] if command is None else [c.replace("PORT", str(port)) for c in command]
    server = subprocess.Popen(cmd, cwd=str(ROOT), env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr_lines: list[str] = []
    threading.Thread(target=lambda: stderr_lines.extend(
        line.decode("utf-8", "replace") for line in server.stderr), daemon=True).start()  # type: ignore[union-attr]
    try:
        t0 = time.monotonic()
        while True:
            try:
                if get_json(port, "/healthz", 1)[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() - t0 > 120:
                raise RuntimeError("server did not come up:\n" + "".join(stderr_lines[-20:]))
            time.sleep(0.1)
        yield server, port, stderr_lines
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
