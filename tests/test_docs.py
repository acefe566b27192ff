"""Docs that cannot go stale: the README and docs/schema.md are checked against the code."""
from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEMA_DOC = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def _subcommands() -> list[str]:
    from askbudget.cli import build_parser

    ap = build_parser()
    sub = next(a for a in ap._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _subcommands())
def test_every_cli_command_is_documented(command: str) -> None:
    assert re.search(rf"askbudget {command}\b", README) or (command == "ask" and "ask \"" in README)


def test_every_setting_is_documented_with_its_default() -> None:
    from askbudget.settings import SETTINGS

    for s in SETTINGS:
        row = re.search(rf"^\| `{s.name}` \| (\S+) \|", README, flags=re.M)
        assert row, f"{s.name} missing from the README's settings table"
        assert float(row.group(1)) == s.default, f"{s.name}: README says {row.group(1)}, code {s.default}"


def test_the_two_setup_commands_are_the_ones_ci_runs() -> None:
    setup = _blocks("sh")[0].strip().splitlines()
    assert len(setup) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert setup[1] in ci  # the test command
    assert "pip install --quiet '.[test]'" in ci and setup[0].startswith("pip install '.[test]'")


@pytest.mark.parametrize("table", sorted(__import__("askbudget.store", fromlist=["SCHEMA"]).SCHEMA))
def test_schema_doc_describes_every_table_and_column(table: str) -> None:
    from askbudget.store import SCHEMA

    m = re.search(rf"^## {table}\n(.*?)(?=^## |\Z)", SCHEMA_DOC, flags=re.S | re.M)
    assert m, f"docs/schema.md has no section for {table}"
    keys = re.search(r"^## Keys\n(.*?)(?=^## )", SCHEMA_DOC, flags=re.S | re.M).group(1)
    for column in SCHEMA[table]["columns"]:
        if f"`{column}`" in keys:
            continue
        assert re.search(rf"\b{column}\b", m.group(1)), f"docs/schema.md: {table}.{column} undocumented"


def test_python_example_runs_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.chdir(tmp_path)
    code = next(b for b in _blocks("python") if "build_store" in b)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = out.getvalue().splitlines()
    shown = re.findall(r"# (.+)$", code, flags=re.M)
    assert printed[0] == next(s for s in shown if s.startswith("电费"))
    assert printed[1] == "95.0 万元"


def test_json_example_is_what_the_assistant_says(gongan_store: Path) -> None:
    from askbudget import Assistant

    shown = json.loads(_blocks("json")[0].replace('"SELECT …"', '""'))
    got = Assistant(str(gongan_store)).ask(shown["question"]).to_dict()
    for key in ("status", "text", "value", "unit"):
        assert got[key] == shown[key], key
    shown_cite = {k: v for k, v in shown["citations"][0].items() if k != "document"}
    assert any({k: v for k, v in c.items() if k != "document"} == shown_cite for c in got["citations"])

