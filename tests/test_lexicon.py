"""The lexicon: the shipped data is sane, agrees with the corpus, and every bad line fails loudly."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from askbudget import LexiconError
from askbudget.lexicon import ECONOMIC, FUNCTION, Lexicon, load, read_tsv
from askbudget.normalize import normalize


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load()


# ------------------------------------------------------------------ shipped data


def test_loads_fast() -> None:
    from askbudget import lexicon as module

    module._load_cached.cache_clear()
    start = time.perf_counter()
    load()
    assert time.perf_counter() - start < 0.1  # measured ~5 ms; generous for a loaded CI box


def test_load_is_cached(lex: Lexicon) -> None:
    assert load() is lex


def test_codes_unique_and_indexed(lex: Lexicon) -> None:
    codes = [s.code for s in lex.subjects]
    assert len(codes) == len(set(codes))
    assert set(lex.by_code) == set(codes)


@pytest.mark.parametrize("classification", [FUNCTION, ECONOMIC])
def test_every_child_has_its_parent(lex: Lexicon, classification: str) -> None:
    for s in lex.subjects:
        if s.classification != classification:
            continue
        if s.level == 1:
            assert s.parent_code is None and len(s.code) == 3
        else:
            parent = lex.by_code[s.parent_code or ""]
            assert parent.level == s.level - 1
            assert parent.classification == classification
            assert s.code.startswith(parent.code)


FUNCTION_CLASSES = {
    "201": "一般公共服务支出", "202": "外交支出", "203": "国防支出", "204": "公共安全支出",
    "205": "教育支出", "206": "科学技术支出", "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出", "209": "社会保险基金支出", "210": "卫生健康支出",
    "211": "节能环保支出", "212": "城乡社区支出", "213": "农林水支出", "214": "交通运输支出",
    "215": "资源勘探工业信息等支出", "216": "商业服务业等支出", "217": "金融支出",
    "219": "援助其他地区支出", "220": "自然资源海洋气象等支出", "221": "住房保障支出",
    "222": "粮油物资储备支出", "223": "国有资本经营预算支出", "224": "灾害防治及应急管理支出",
    "227": "预备费", "229": "其他支出", "230": "转移性支出", "231": "债务还本支出",
    "232": "债务付息支出", "233": "债务发行费用支出", "234": "抗疫特别国债安排的支出",
}
ECONOMIC_CLASSES = {
    "301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出", "309": "资本性支出（基本建设）", "310": "资本性支出",
    "311": "对企业补助（基本建设）", "312": "对企业补助", "313": "对社会保障基金补助", "399": "其他支出",
}


def test_all_classes_present(lex: Lexicon) -> None:
    got = {s.code: s.name for s in lex.subjects if s.level == 1}
    assert got == {**FUNCTION_CLASSES, **ECONOMIC_CLASSES}


def test_every_class_but_a_few_has_its_kuan(lex: Lexicon) -> None:
    # 类 without 款 in the classification: 预备费; 209 is a known gap (README)
    without = {s.code for s in lex.subjects if s.level == 1 and not lex.children(s.code)}
    assert without <= {"209", "227"}


def _corpus_subjects(path: Path) -> dict[str, str]:
    """code → name as the tables of a corpus document write it (line-wrap spaces removed)."""
    found: dict[str, str] = {}
    pattern = re.compile(r"(?:^|\t)(2\d{2}|2\d{4}|2\d{6}|3\d{2}|3\d{4})\t([^\t\d][^\t]*)")
    for line in path.read_text(encoding="utf-8").splitlines():
        m = pattern.search(line)
        if m:
            found.setdefault(m.group(1), normalize(m.group(2)))
    return found


def _corpus_docs(gongan_doc: Path, request: pytest.FixtureRequest) -> list[Path]:
    return [gongan_doc, request.getfixturevalue("czj_doc")]


def test_corpus_subject_codes_match_lexicon(
    lex: Lexicon, gongan_doc: Path, request: pytest.FixtureRequest
) -> None:
    checked = 0
    for doc in _corpus_docs(gongan_doc, request):
        subjects = _corpus_subjects(doc)
        assert subjects, f"no subject rows found in {doc.name}"
        for code, name in subjects.items():
            assert code in lex.by_code, f"{doc.name}: {code} {name} missing from the lexicon"
            assert normalize(lex.by_code[code].name) == name, f"{doc.name}: {code}"
            checked += 1
    assert checked >= 20


def test_corpus_class_names_are_lexicon_classes(
    lex: Lexicon, gongan_doc: Path, request: pytest.FixtureRequest
) -> None:
    """The 收支总表 lists every 类 by name ("十二、城乡社区支出"): all must be known 类 names."""
    class_names = {s.name for s in lex.subjects if s.level == 1 and s.classification == FUNCTION}
    pattern = re.compile(r"\t[一二三四五六七八九十]+、([^\t]+)\t")
    for doc in _corpus_docs(gongan_doc, request):
        listed = {
            m.group(1)
            for line in doc.read_text(encoding="utf-8").splitlines()
            for m in pattern.finditer(line + "\t")
            if m.group(1).endswith("支出") or m.group(1) in {"预备费", "人行科目"}
        }
        listed -= {"人行科目"}  # a column of the template, not a 功能分类 类
        listed = {n for n in listed if not n.endswith("收入")}
        assert len(listed) >= 25, doc.name
        assert listed <= class_names, listed - class_names


def test_synonyms_are_normalised_words(lex: Lexicon) -> None:
    assert len(lex.synonyms) >= 300
    for alias, canonical in lex.synonyms.items():
        assert alias == normalize(alias)
        assert alias != normalize(canonical)
        assert normalize(canonical) not in lex.synonyms, f"chain {alias} → {canonical}"
        assert len(alias) <= 16, f"{alias!r}: a word, not a question"
        assert not re.search(r"[?？吗呢多少]$", alias), alias


SYNONYMS = [
    ("用电", "电费"),
    ("电钱", "电费"),
    ("供暖", "取暖费"),
    ("暖气费", "取暖费"),
    ("办公取暖费", "取暖费"),
    ("土地出让金", "国有土地使用权出让收入安排的支出"),
    ("公积金", "住房公积金"),
    ("养老保险", "机关事业单位基本养老保险缴费"),
    ("医保", "职工基本医疗保险缴费"),
    ("退休金", "退休费"),
    ("退休工资", "退休费"),
    ("工资", "工资福利支出"),
    ("车辆运维", "公务用车运行维护费"),
    ("出国经费", "因公出国（境）费"),
    ("招待费", "公务接待费"),
    ("差旅", "差旅费"),
    ("基金预算拨款", "政府性基金预算拨款"),
    ("維修費", "维修（护）费"),  # traditional alias spelling finds the normalised key
]


@pytest.mark.parametrize(("alias", "canonical"), SYNONYMS, ids=[a for a, _ in SYNONYMS])
def test_synonym(lex: Lexicon, alias: str, canonical: str) -> None:
    assert lex.synonyms[normalize(alias)] == canonical


# ------------------------------------------------------------------ validation of bad files

GOOD_FUNCTION = "code\tname\n201\t一般公共服务支出\n20106\t财政事务\n2010601\t行政运行\n"
GOOD_ECONOMIC = "# comment\ncode\tname\n302\t商品和服务支出\n30206\t电费\n"
GOOD_SYNONYMS = "alias\tcanonical\n用电\t电费\n"


def _write(tmp: Path, function: str = GOOD_FUNCTION, economic: str = GOOD_ECONOMIC,
           synonyms: str = GOOD_SYNONYMS) -> Path:
    (tmp / "subjects_function.tsv").write_text(function, encoding="utf-8")
    (tmp / "subjects_economic.tsv").write_text(economic, encoding="utf-8")
    (tmp / "synonyms.tsv").write_text(synonyms, encoding="utf-8")
    return tmp


def test_good_tmp_lexicon_loads(tmp_path: Path) -> None:
    lex = load(_write(tmp_path))
    assert lex.by_code["2010601"].parent_code == "20106"
    assert lex.by_code["2010601"].level == 3
    assert lex.by_code["30206"].classification == ECONOMIC
    assert lex.synonyms == {"用电": "电费"}
    assert [s.code for s in lex.children("20106")] == ["2010601"]
    assert lex.by_name["电费"][0].code == "30206"


BAD = [
    # (file, content, line, reason fragment)
    ("subjects_function.tsv", "code\tname\textra\n201\tx\ty\n", 1, "header"),
    ("subjects_function.tsv", "name\tcode\n", 1, "header"),
    ("subjects_function.tsv", "# only a comment\n", None, "no header"),
    ("subjects_function.tsv", "code\tname\n201\t一般公共服务支出\t多余\n", 2, "fields"),
    ("subjects_function.tsv", "code\tname\n201\n", 2, "fields"),
    ("subjects_function.tsv", "code\tname\n201\t \n", 2, "empty field"),
    ("subjects_function.tsv", "code\tname\n\n# c\n2o1\t一般公共服务支出\n", 4, "digits"),
    ("subjects_function.tsv", "code\tname\n2010\t一般公共服务支出\n", 2, "digits"),
    ("subjects_function.tsv", "code\tname\n３０１\t全角\n", 2, "digits"),
    ("subjects_function.tsv", "code\tname\n301\t工资福利支出\n", 2, "starts with 2"),
    ("subjects_function.tsv", "code\tname\n201\ta\n20106\tb\n21208\tc\n", 4, "parent 212"),
    ("subjects_function.tsv", "code\tname\n201\ta\n2010601\tb\n", 3, "parent 20106"),
    ("subjects_function.tsv", "code\tname\n201\ta\n201\tb\n", 3, "duplicate"),
    ("subjects_economic.tsv", "code\tname\n302\t商品和服务支出\n3020601\t电费\n", 3, "digits"),
    ("subjects_economic.tsv", "code\tname\n201\t一般公共服务支出\n", 2, "starts with 3"),
    ("synonyms.tsv", "alias\tcanonical\n用电\t电费\n用电\t水费\n", 3, "maps to"),
    ("synonyms.tsv", "alias\tcanonical\n電費\t电费\n", 2, "own canonical"),
    ("synonyms.tsv", "alias\tcanonical\n用电\t电费\n电钱\t用电\n", 3, "itself an alias"),
    ("synonyms.tsv", "alias\tcanonical\n\u200b\t电费\n", 2, "empty once normalised"),
    ("synonyms.tsv", "alias\tcanonical\n用电\t\n", 2, "empty field"),
    ("synonyms.tsv", "alias\tcanonical\n用电\n", 2, "fields"),
    ("synonyms.tsv", "alias\tcanonical\n用电\t电费\t水费\n", 2, "fields"),
]


@pytest.mark.parametrize(("fname", "content", "line", "reason"), BAD,
                         ids=[f"{f}:{r}:{i}" for i, (f, _, _, r) in enumerate(BAD)])
def test_bad_line_raises_lexicon_error(tmp_path: Path, fname: str, content: str,
                                       line: int | None, reason: str) -> None:
    files = {"function": GOOD_FUNCTION, "economic": GOOD_ECONOMIC, "synonyms": GOOD_SYNONYMS}
    key = {"subjects_function.tsv": "function", "subjects_economic.tsv": "economic",
           "synonyms.tsv": "synonyms"}[fname]
    files[key] = content
    directory = _write(tmp_path, **files)
    with pytest.raises(LexiconError) as info:
        load(directory)
    err = info.value
    assert Path(err.file).name == fname
    assert err.line == line
    assert reason in err.reason
    assert (f"{fname}:{line}" if line else fname) in str(err)


def test_missing_file(tmp_path: Path) -> None:
    _write(tmp_path)
    (tmp_path / "synonyms.tsv").unlink()
    with pytest.raises(LexiconError, match="synonyms.tsv: file not found"):
        load(tmp_path)


def test_not_utf8(tmp_path: Path) -> None:
    _write(tmp_path)
    (tmp_path / "synonyms.tsv").write_bytes("alias\tcanonical\n用电\t电费\n".encode("gbk"))
    with pytest.raises(LexiconError, match="not UTF-8"):
        load(tmp_path)


def test_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    _write(tmp_path, synonyms="\ufeffalias\tcanonical\r\n用电\t电费\r\n")
    assert load(tmp_path).synonyms == {"用电": "电费"}


def test_read_tsv_optional_columns(tmp_path: Path) -> None:
    (tmp_path / "terms.tsv").write_text(
        "# terms\nterm\tkind\tnote\n收入总计\ttotal\n基本支出\tcolumn\t表头\n\n电费\tsubject\t\n",
        encoding="utf-8",
    )
    rows = read_tsv("terms.tsv", ("term", "kind", "note"), optional=("note",), directory=tmp_path)
    assert rows == [
        (3, {"term": "收入总计", "kind": "total", "note": ""}),
        (4, {"term": "基本支出", "kind": "column", "note": "表头"}),
        (6, {"term": "电费", "kind": "subject", "note": ""}),
    ]
    (tmp_path / "terms.tsv").write_text("term\tkind\tnote\n收入总计\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        read_tsv("terms.tsv", ("term", "kind", "note"), optional=("note",), directory=tmp_path)
    assert info.value.line == 2
