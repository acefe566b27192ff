"""Every way a newcomer's first commands go wrong gives one line on stderr and a documented exit status,
never a traceback: another application's SQLite file as the store, an unusable cache folder, the REPL
with its input closed, output to a full disk, a port that is no port or is taken."""
from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import askbudget
from askbudget.errors import StoreError

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: int | None = subprocess.DEVNULL, stdout: int | None = subprocess.PIPE,
        env: dict[str, str] | None = None, timeout: float = 60, **kw) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {}))
    return subprocess.run([sys.executable, "-m", "askbudget", *args], stdin=stdin, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, env=full, cwd=ROOT, timeout=timeout, **kw)


def one_error_line(p: subprocess.CompletedProcess[str], *words: str) -> str:
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), p.stderr
    assert "Traceback" not in p.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]


@pytest.fixture(scope="module")
def foreign_dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """SQLite files of other applications: one whose tables share no name with ours, one with a
    `documents` and a `meta` table of its own (names many applications use)."""
    d = tmp_path_factory.mktemp("foreign")
    notes, docs = d / "notes.db", d / "docs.db"
    with sqlite3.connect(notes) as c:
        c.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        c.execute("INSERT INTO notes (body) VALUES ('hello')")
    with sqlite3.connect(docs) as c:
        c.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, body TEXT)")
        c.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        c.execute("INSERT INTO documents (title, body) VALUES ('t', 'b')")
        c.execute("INSERT INTO meta VALUES ('version', '3')")
    for c in (notes, docs):
        c.chmod(0o444)  # nothing may be written to them; the tests below also compare bytes
    return {"notes": notes, "docs": docs}


@pytest.mark.parametrize("which", ["notes", "docs"])
@pytest.mark.parametrize("command", [["ask", "电费多少"], ["check"]])
def test_another_applications_file_as_db(foreign_dbs: dict[str, Path], which: str, command: list[str]) -> None:
    db = foreign_dbs[which]
    p = run(*command, "--db", str(db))
    assert p.returncode == 1
    one_error_line(p, str(db), "another application", "not an askbudget store")
    assert p.stdout == ""


@pytest.mark.parametrize("which", ["notes", "docs"])
def test_another_applications_file_for_assistant(foreign_dbs: dict[str, Path], which: str) -> None:
    with pytest.raises(StoreError, match="another application"):
        askbudget.Assistant(foreign_dbs[which])


@pytest.mark.parametrize("which", ["notes", "docs"])
def test_another_applications_file_for_serve(foreign_dbs: dict[str, Path], which: str) -> None:
    p = run("serve", "--db", str(foreign_dbs[which]), "--port", "0", timeout=60)
    assert p.returncode == 1
    one_error_line(p, "another application")
    assert "serving" not in p.stderr


@pytest.mark.parametrize("which", ["notes", "docs"])
def test_ingest_refuses_another_applications_file(foreign_dbs: dict[str, Path], which: str, gongan_doc: Path,
                                                  tmp_path: Path) -> None:
    db = tmp_path / "theirs.db"
    db.write_bytes(foreign_dbs[which].read_bytes())
    before = db.read_bytes()
    p = run("ingest", str(gongan_doc), "--db", str(db))
    assert p.returncode == 1
    one_error_line(p, "another application", "nothing was written")
    assert db.read_bytes() == before
    assert not Path(f"{db}-journal").exists()


def test_ingest_into_an_empty_sqlite_file_is_fine(gongan_doc: Path, tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    sqlite3.connect(db).close()  # a SQLite file with no tables (here even zero bytes)
    p = run("ingest", str(gongan_doc), "--db", str(db))
    assert p.returncode == 0, p.stderr
    assert run("ask", "--db", str(db), "电费多少").returncode == 0


def test_ingest_into_an_existing_store_still_adds(gongan_store: Path, czj_doc: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(gongan_store.read_bytes())
    p = run("ingest", str(czj_doc), "--db", str(db))
    assert p.returncode == 0, p.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM documents").fetchone()[0] == 2


def _unwritable_dir(tmp_path: Path) -> Path:
    """A folder nothing can be created in: a read-only folder, or (root ignores modes) one under /sys."""
    if os.geteuid() != 0:
        d = tmp_path / "ro"
        d.mkdir()
        d.chmod(0o555)
        return d / "cache"
    target = Path("/sys/askbudget-test-cache")
    try:
        target.mkdir()
    except PermissionError:
        return target
    except OSError:
        pass
    else:
        target.rmdir()
    pytest.skip("running as root and /sys accepts folders: no folder here refuses writes")


@pytest.mark.parametrize("case", ["a file", "under a file", "unwritable"])
def test_unusable_cache_folder(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "plain-file"
    f.write_text("x")
    cache = {"a file": f, "under a file": f / "cache", "unwritable": None}[case]
    if cache is None:
        cache = _unwritable_dir(tmp_path)
    p = run("ask", "电费多少", env={"ASKBUDGET_CACHE_DIR": str(cache)})
    assert p.returncode == 1
    line = one_error_line(p, "cache folder", "ASKBUDGET_CACHE_DIR")
    if case != "unwritable":
        assert "a file, not a folder" in line
    monkeypatch.setenv("ASKBUDGET_CACHE_DIR", str(cache))
    with pytest.raises(StoreError, match="cache folder"):
        askbudget.Assistant()  # the Python API says the same, as a StoreError


def test_missing_cache_folder_is_created(tmp_path: Path) -> None:
    cache = tmp_path / "not" / "yet" / "there"
    p = run("ask", "电费多少", env={"ASKBUDGET_CACHE_DIR": str(cache)})
    assert p.returncode == 0, p.stderr
    assert "95.00万元" in p.stdout and list(cache.glob("default-*.db"))


def test_an_unusable_cache_does_not_matter_with_db(gongan_store: Path, tmp_path: Path) -> None:
    f = tmp_path / "plain-file"
    f.write_text("x")
    p = run("ask", "--db", str(gongan_store), "电费多少", env={"ASKBUDGET_CACHE_DIR": str(f)})
    assert p.returncode == 0, p.stderr
    assert "95.00万元" in p.stdout


@pytest.mark.parametrize("command", [["repl"], ["ask"]])
def test_repl_with_stdin_closed(gongan_store: Path, command: list[str]) -> None:
    p = run(*command, "--db", str(gongan_store), stdin=None, close_fds=True,
            preexec_fn=lambda: os.close(0))
    assert p.returncode == 1
    one_error_line(p, "standard input is closed")


def test_repl_with_stdin_at_its_end_exits_quietly(gongan_store: Path) -> None:
    p = run("repl", "--db", str(gongan_store))
    assert p.returncode == 0 and p.stderr == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("command,stdin", [
    (["ask", "电费多少"], None),
    (["ask", "--json", "电费多少"], None),
    (["ask", "--sql", "三公经费"], None),
    (["check"], None),
    (["repl"], "电费多少\n水费呢\n"),
])
def test_output_to_a_full_disk(gongan_store: Path, command: list[str], stdin: str | None) -> None:
    with open("/dev/full", "w") as full:
        p = subprocess.run([sys.executable, "-m", "askbudget", *command, "--db", str(gongan_store)],
                           input=stdin or "", stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                           env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED=""), timeout=60)
    assert p.returncode == 1
    one_error_line(p, "cannot write the output", "No space left")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_ingest_report_to_a_full_disk_keeps_the_store(gongan_doc: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with open("/dev/full", "w") as full:
        p = subprocess.run([sys.executable, "-m", "askbudget", "ingest", str(gongan_doc), "--db", str(db)],
                           stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                           env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert p.returncode == 1
    one_error_line(p, "cannot write the output")
    assert askbudget.Assistant(db).ask("电费多少").value == 95.0  # the store was written before the report


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_serve_on_a_port_that_is_no_port(gongan_store: Path, port: str) -> None:
    p = run("serve", "--db", str(gongan_store), "--port", port)
    assert p.returncode == 2
    assert "is not a port number" in p.stderr and "Traceback" not in p.stderr
    assert "serving" not in p.stderr


def test_serve_on_a_port_in_use(gongan_store: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        t = time.monotonic()
        p = run("serve", "--db", str(gongan_store), "--port", str(port))
    assert p.returncode == 3
    one_error_line(p, f"127.0.0.1:{port}", "in use")
    assert "serving" not in p.stderr
    assert time.monotonic() - t < 30


def test_serve_on_an_unknown_host(gongan_store: Path) -> None:
    p = run("serve", "--db", str(gongan_store), "--host", "no-such-host.invalid", "--port", "0")
    assert p.returncode == 3
    one_error_line(p, "cannot listen on no-such-host.invalid")
