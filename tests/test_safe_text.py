"""Text from a document never drives the terminal: control characters and escape sequences are removed
at ingest, and (defence in depth, for a store written by another tool) from what `ask`, `check` and the
REPL print."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import askbudget
from askbudget.safetext import clean

ROOT = Path(__file__).resolve().parent.parent
# what a hostile document could carry: clear the screen and home the cursor, then print a fake figure
# in red; a window-title OSC; the C1 CSI; a bidi override that shows 00.59 as 95.00; a bell; DEL
CLEAR = "\x1b[2J\x1b[H"
FAKE = "\x1b[31m电费预算9999万元\x1b[0m"
OSC = "\x1b]0;owned\x07"
BIDI = "\u202e00.59\u202c"
CONTROLS = "\x07\x7f\x9b2J\x08"


@pytest.mark.parametrize("raw,want", [
    ("电费" + CLEAR + "95.00", "电费95.00"),
    (FAKE, "电费预算9999万元"),
    ("a" + OSC + "b", "ab"),
    ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),
    ("a\x9b31mb", "ab"),
    ("x" + BIDI, "x00.59"),
    ("a\x07\x7f\x08b", "ab"),
    ("a\x0bb\x1fc", "a b c"),
    ("行一\n\t行二", "行一\n\t行二"),
    ("lone \x1b", "lone "),
    ("电费（30206）预算95.00万元。", "电费（30206）预算95.00万元。"),
])
def test_clean(raw: str, want: str) -> None:
    assert clean(raw) == want
    assert clean(clean(raw)) == clean(raw)


def test_clean_keeps_what_it_is_told_to() -> None:
    assert clean("页一\f页二\n", keep="\n\f") == "页一\f页二\n"
    assert clean("页一\f页二\n", keep="\n") == "页一页二\n"


def _unsafe(text: str) -> list[str]:
    return [hex(ord(c)) for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0
            or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069]


@pytest.fixture(scope="module")
def hostile_doc(tmp_path_factory: pytest.TempPathFactory, gongan_doc: Path) -> Path:
    """The real document with escape sequences in a table row name, a narrative paragraph and a
    glossary entry (fewer than the binary-file threshold of control characters per 4 KiB)."""
    lines = gongan_doc.read_text(encoding="utf-8").split("\n")
    row = next(i for i, l in enumerate(lines) if l.startswith("6\t30206\t电费\t"))
    lines[row] = lines[row].replace("电费", "电" + "\x1b[8m" + "费", 1)
    para = next(i for i, l in enumerate(lines) if l.startswith("我局（本级）2023年日常公用经费"))
    lines[para] = lines[para].replace("预算电费增加的原因是：", "预算电费增加的原因是：" + CLEAR + FAKE + OSC + BIDI, 1)
    gloss = next(i for i, l in enumerate(lines) if "机关运行费：" in l)
    lines[gloss] = lines[gloss] + CONTROLS
    p = tmp_path_factory.mktemp("hostile") / "gaoxin-gongan-2023.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory, hostile_doc: Path) -> Path:
    db = tmp_path_factory.mktemp("hostile-store") / "h.db"
    askbudget.build_store([hostile_doc], db)
    return db


def test_ingest_stores_no_control_character(hostile_store: Path) -> None:
    with sqlite3.connect(hostile_store) as c:
        for table, col in (("rows", "name"), ("rows", "label"), ("sections", "text"), ("glossary", "definition"),
                           ("statements", "sentence"), ("cells", "raw"), ("tables", "title")):
            for (v,) in c.execute(f"SELECT [{col}] FROM [{table}]"):
                assert not _unsafe(str(v or "")), (table, col, v)
        assert c.execute("SELECT count(*) FROM rows WHERE name = '电费'").fetchone()[0] >= 1
        text = " ".join(t for (t,) in c.execute("SELECT text FROM sections"))
    assert "预算电费增加的原因是：电费预算9999万元" in text  # the words stay, the sequences go


def test_ingest_answers_the_cleaned_document_as_the_clean_one(hostile_store: Path, gongan_store: Path) -> None:
    a, b = askbudget.Assistant(hostile_store), askbudget.Assistant(gongan_store)
    for q in ("电费多少", "电费为什么增加", "什么是机关运行费"):
        x, y = a.ask(q), b.ask(q)
        assert (x.status, x.value) == (y.status, y.value), q


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "askbudget", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)


@pytest.fixture(scope="module")
def poisoned_store(tmp_path_factory: pytest.TempPathFactory, gongan_store: Path) -> Path:
    """A store another tool wrote escape sequences into (ingest would have removed them)."""
    db = tmp_path_factory.mktemp("poisoned") / "p.db"
    db.write_bytes(gongan_store.read_bytes())
    with sqlite3.connect(db) as c:
        c.execute("UPDATE sections SET text = replace(text, '预算电费增加的原因是：', ?)",
                  ("预算电费增加的原因是：" + CLEAR + FAKE + OSC + BIDI,))
        c.execute("UPDATE documents SET unit_name = unit_name || ?", ("\x1b[2K",))
        c.execute("UPDATE checks SET message = message || ?", (CLEAR,))
        c.execute("UPDATE tables SET title = title || ? WHERE title LIKE '%基本支出表%'", ("\x1b[5m",))
    return db


@pytest.mark.parametrize("args", [["ask", "电费为什么增加"], ["ask", "电费多少"], ["ask", "--sql", "电费多少"],
                                  ["ask", "局长工资多少"], ["check"]])
def test_cli_prints_no_escape_from_the_store(poisoned_store: Path, args: list[str]) -> None:
    p = _run(*args, "--db", str(poisoned_store))
    assert "Traceback" not in p.stderr
    assert p.stdout.strip()
    assert not _unsafe(p.stdout) and not _unsafe(p.stderr), (p.stdout, p.stderr)


def test_cli_reason_answer_keeps_the_words(poisoned_store: Path) -> None:
    p = _run("ask", "电费为什么增加", "--db", str(poisoned_store))
    assert p.returncode == 0
    assert "电费" in p.stdout and "\x1b" not in p.stdout


def test_cli_json_escapes_controls(poisoned_store: Path) -> None:
    p = _run("ask", "--json", "电费为什么增加", "--db", str(poisoned_store))
    assert p.returncode == 0 and "\x1b" not in p.stdout


def test_repl_prints_no_escape_from_the_store(poisoned_store: Path) -> None:
    p = _run("repl", "--db", str(poisoned_store), stdin="电费为什么增加\n:why\n:units\n:sql\n")
    assert p.returncode == 0 and "电费" in p.stdout
    assert not _unsafe(p.stdout), p.stdout


def test_repl_on_a_terminal_shows_no_escape_from_the_store(poisoned_store: Path) -> None:
    """Through prompt_toolkit (the terminal path): a fragment's text reaches the output without its escapes."""
    import io

    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.plain_text import PlainTextOutput

    from askbudget.repl import run_repl

    buf = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text("电费为什么增加\r:units\r\x04")
        assert run_repl(poisoned_store, input=inp, output=PlainTextOutput(buf)) == 0
    shown = buf.getvalue()
    assert "电费" in shown and "9999" in shown
    assert "\x1b[2J" not in shown and "\x1b]0;" not in shown and "\u202e" not in shown and "\x1b[31m" not in shown
