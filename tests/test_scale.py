"""A store of many units (the real document under other unit names and codes, bench/gen_units.py):
units named by their distinctive part, a name several units share asks which, a question naming no
unit is read in the few documents the search index ranks first, and no answer lists every unit."""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from askbudget import Assistant, build_store
from askbudget.errors import IngestError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import gen_units  # noqa: E402

N = 12


@pytest.fixture(scope="module")
def units_store(tmp_path_factory: pytest.TempPathFactory, czj_doc: Path) -> Path:
    """N 分局 made from the real document, and the 财政局 (the only unit with its own words)."""
    tmp = tmp_path_factory.mktemp("units")
    db = tmp / "units.db"
    build_store([*gen_units.generate(N, tmp / "docs"), czj_doc], db, quiet=True)
    return db


@pytest.fixture
def a(units_store: Path) -> Assistant:
    with Assistant(units_store) as assistant:
        yield assistant


def _units(answer) -> set[str]:
    return {c.unit for c in answer.citations}


# a unit by its distinctive part (the 分局 inside 公安局), its ordinal either way, its full name, its code
@pytest.mark.parametrize("question, unit", [
    ("第7分局的电费多少", "唐山市公安局第7分局(本级)"),
    ("第七分局的电费多少", "唐山市公安局第7分局(本级)"),
    ("第十二分局电费多少", "唐山市公安局第12分局(本级)"),
    ("公安局第3分局电费是多少", "唐山市公安局第3分局(本级)"),
    ("唐山市公安局第10分局的电费", "唐山市公安局第10分局(本级)"),
    ("1225004的电费多少", "唐山市公安局第5分局(本级)"),
    ("公安分局第7分局的电费", "唐山市公安局第7分局(本级)"),
])
def test_a_unit_named_by_its_own_part(a: Assistant, question: str, unit: str) -> None:
    ans = a.ask(question)
    assert (ans.status, ans.value) == ("answered", 95.0), ans.text
    assert _units(ans) == {unit}


def test_an_ordinal_in_a_unit_name_is_no_figure_of_the_question(a: Assistant) -> None:
    # "第3分局": its 3 is the unit's name, never a number the reason must contain
    ans = a.ask("第3分局电费为什么增加")
    assert ans.status == "answered" and "用电设备增加" in ans.text
    assert _units(ans) == {"唐山市公安局第3分局(本级)"}


def test_a_name_the_units_share_asks_which_and_the_reply_names_them_apart(a: Assistant) -> None:
    ans = a.ask("公安分局的电费多少")
    assert ans.status == "ambiguous" and ans.value is None
    assert ans.suggestions[:2] == ("第1分局的电费多少？", "第2分局的电费多少？")
    follow = a.ask(ans.suggestions[1])  # the suggestion, asked, answers for that unit
    assert follow.status == "answered" and _units(follow) == {"唐山市公安局第2分局(本级)"}


def test_the_answer_to_which_unit_continues_the_question(a: Assistant) -> None:
    assert a.ask("公安分局的水费多少").status == "ambiguous"
    ans = a.ask("第4分局的")
    assert (ans.status, ans.value) == ("answered", 24.0) and _units(ans) == {"唐山市公安局第4分局(本级)"}


def test_no_reply_lists_every_unit(a: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    for q in ("电费多少", "公安分局的电费多少", "石家庄市公安局的电费", "999999的电费"):
        ans = a.ask(q)
        listed = sum(f"第{i + 1}分局(本级)" in ans.text for i in range(N))
        assert 0 < listed <= 5 and "个单位" in ans.text, (q, ans.text)


CZJ = "唐山市高新技术产业开发区财政局(本级)"


@pytest.mark.parametrize("question, value", [
    ("评审报告出具时限要求几天", 15.0),
    ("财政业务培训计划培训多少人次", 400.0),
    ("国有资产清查及管理经费要审核多少件资产处置事项", 60.0),
])
def test_a_question_naming_no_unit_is_read_where_the_index_finds_its_words(
        a: Assistant, monkeypatch: pytest.MonkeyPatch, question: str, value: float | None) -> None:
    # the 财政局 alone prints these words: found, though only 3 of the 13 documents are read
    monkeypatch.setenv("ASKBUDGET_MAX_SCAN_DOCUMENTS", "3")
    ans = a.ask(question)
    assert (ans.status, ans.value) == ("answered", value), ans.text
    assert _units(ans) == {CZJ}


def test_a_reason_several_units_give_asks_which_unit(a: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    """The 财政局 and each 分局 say why their 人员经费 grew ("人员由于辅警工资的增加"): the question naming no
    unit asks which — never the one whose sentence scores best."""
    monkeypatch.setenv("ASKBUDGET_MAX_SCAN_DOCUMENTS", "3")
    ans = a.ask("人员经费为什么比上年增加")
    assert ans.status == "ambiguous" and CZJ in ans.text and "第1分局" in ans.text, ans.text
    assert all(s.endswith("人员经费为什么比上年增加？") for s in ans.suggestions), ans.suggestions


def test_words_every_unit_prints_ask_which_unit_naming_a_few(a: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASKBUDGET_MAX_SCAN_DOCUMENTS", "3")
    ans = a.ask("水费多少")
    assert ans.status == "ambiguous" and "库中共有13个单位" in ans.text
    assert len(ans.suggestions) == 3 and all(s.endswith("的水费多少？") for s in ans.suggestions)


def test_the_same_reason_in_several_units_asks_which(a: Assistant) -> None:
    # twelve units print the very same reason sentence: never answered for one of them at random
    ans = a.ask("电费为什么增加")
    assert ans.status == "ambiguous", ans.text
    assert ans.suggestions[0] == "第1分局的电费为什么增加？"
    named = a.ask("第9分局的电费为什么增加")
    assert named.status == "answered" and "用电设备" in named.text
    assert _units(named) == {"唐山市公安局第9分局(本级)"}
    assert a.ask("财政局电费为什么增加").text.count("服务器机房") == 1


@pytest.mark.parametrize("question", ["体检覆盖多少人", "破案率目标是多少", "公安分局的体检覆盖多少人"])
def test_the_same_indicator_in_several_units_asks_which(a: Assistant, question: str) -> None:
    ans = a.ask(question)
    assert ans.status == "ambiguous" and ans.value is None, ans.text
    unit_free = question.removeprefix("公安分局的")
    assert ans.suggestions[:2] == (f"第1分局的{unit_free}？", f"第2分局的{unit_free}？")
    assert a.ask(ans.suggestions[1]).value == a.ask(f"唐山市公安局第2分局{unit_free}").value is not None


def test_the_search_index_follows_reingest(tmp_path: Path, gongan_doc: Path, czj_doc: Path) -> None:
    db = tmp_path / "s.db"
    build_store([gongan_doc, czj_doc], db, quiet=True)
    build_store([gongan_doc], db, quiet=True)  # replaces the document: one index row per document still
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
    assert [r[0] for r in conn.execute("SELECT rowid FROM search_fts ORDER BY rowid")] == ids
    hits = [r[0] for r in conn.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH '\"电费\" AND \"设备\"'")]
    gongan = conn.execute("SELECT id FROM documents WHERE unit_name LIKE '%公安%'").fetchone()[0]
    assert gongan in hits


def test_a_store_without_the_index_still_answers(tmp_path: Path, gongan_doc: Path, czj_doc: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "old.db"
    build_store([gongan_doc, czj_doc], db, quiet=True)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE search_fts")  # a store written before the index
    monkeypatch.setenv("ASKBUDGET_MAX_SCAN_DOCUMENTS", "1")
    with Assistant(db) as a:
        assert a.ask("分局的电费多少").value == 95.0
        assert a.ask("电费多少").status in ("answered", "ambiguous")


@pytest.mark.slow
def test_many_files_parsed_by_the_pool_are_written_in_order_and_a_bad_one_leaves_the_store_as_it_was(
        tmp_path: Path, gongan_doc: Path) -> None:
    """40 files: parsed by a pool of processes while the writer stores those already parsed. A file
    that fails after them drops the whole run (the store's bytes unchanged, no copy or lock left);
    the run without it stores every document, in the order given."""
    db = tmp_path / "store.db"
    build_store([gongan_doc], db, quiet=True)
    before = db.read_bytes()
    docs = gen_units.generate(40, tmp_path / "docs")
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(gongan_doc.read_text(encoding="utf-8").split("\n")[:36]) + "\n", encoding="utf-8")
    with pytest.raises(IngestError) as e:
        build_store([*docs, bad], db, quiet=True)
    assert e.value.file == str(bad) and "truncated" in e.value.reason
    assert db.read_bytes() == before
    assert not Path(f"{db}.ingest.tmp").exists() and not Path(f"{db}.lock").exists()
    report = build_store(docs, db, quiet=True)
    assert [name for name, _, _ in report.documents] == [p.stem for p in docs]
    with sqlite3.connect(db) as conn:
        stored = [r[0] for r in conn.execute("SELECT unit_code FROM documents ORDER BY id")]
    assert stored == [stored[0], *(gen_units.unit_code(i) for i in range(40))]
