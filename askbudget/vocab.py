"""The question vocabulary: lexicon/terms.tsv + the standard subjects + the store's own names.

Why built at load time from the store: a new document brings new subject names, projects,
procurement items, indicators and glossary terms; they must be understood without a lexicon
edit. A few SQL queries read them; the jieba dictionary made from them is written once into
the cache directory, keyed by the store's identity, so the one-shot ``ask`` pays milliseconds.
"""
from __future__ import annotations

import functools
import hashlib
import importlib
import logging
import os
import re
import sqlite3
import sys
import threading
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import lazyre
from .errors import LexiconError
from .lexicon import load as load_lexicon
from .normalize import normalize, read_number

# ---------------------------------------------------------------- normalisation

_PUNCT = str.maketrans({"“": "", "”": "", "\"": "", "‘": "", "’": "", "'": "", "《": "", "》": "",
                        "【": "", "】": "", "「": "", "」": "", "（": "(", "）": ")", "，": ",",
                        "。": "。", "？": "?", "！": "!", "：": ":", "；": ";", "、": "、"})


@functools.lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Normalise text the same way for questions and store names (NFKC, 繁→简, no spaces/quotes, variant
    spellings of words as lexicon/variants.tsv writes them: 其它 → 其他, 租凭 → 租赁)."""
    text = normalize(text).translate(_PUNCT)
    text = re.sub(r"\s+", "", text)
    rx, table = _variants()
    return rx.sub(lambda m: table[m.group(0)], text) if rx is not None else text


@functools.lru_cache(maxsize=1)
def _variants() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """lexicon/variants.tsv as one regex (longest variant first) and variant -> standard."""
    from .lexicon import read_tsv

    table: dict[str, str] = {}
    for lineno, r in read_tsv(VARIANTS_FILE, ("variant", "standard")):
        v, std = normalize(r["variant"]), normalize(r["standard"])
        if v == std or v in table:
            raise LexiconError(VARIANTS_FILE, lineno, f"{r['variant']!r} is listed twice or equals its standard")
        table[v] = std
    if not table:
        return None, {}
    return re.compile("|".join(re.escape(v) for v in sorted(table, key=len, reverse=True))), table


VARIANTS_FILE = "variants.tsv"


@functools.lru_cache(maxsize=65536)
def key(text: str) -> str:
    """A matching key: normalised, brackets and list markers dropped (因公出国（境）费 = 因公出国境费)."""
    t = norm(text)
    t = re.sub(r"^[\d一二三四五六七八九十]+[、.．)]|^\(\d+\)|^\([一二三四五六七八九十]+\)", "", t)
    return t.replace("(", "").replace(")", "").replace("<b>", "").replace("</b>", "").replace("、", "")


# the kinds of word that name something the store holds (a subject, column, table …), as against question
# words, fillers and aliases
STRONG_KINDS = frozenset({"row", "std", "item", "project", "gloss", "stmt", "column", "total", "table", "belongs",
                          "neutral", "oos"})


# ---------------------------------------------------------------- terms.tsv


@dataclass(frozen=True)
class Terms:
    """lexicon/terms.tsv, grouped by kind (keys are matching keys)."""

    by_kind: dict[str, dict[str, str]]
    circumfixes: tuple[tuple[str, str, str, str], ...] = ()  # (opener, closer, word, operator): 除…以外

    def get(self, kind: str) -> dict[str, str]:
        return self.by_kind.get(kind, {})


@functools.lru_cache(maxsize=4)
def load_terms(directory: str | None = None) -> Terms:
    from .lexicon import read_tsv

    from .operators import OPERATORS, circumfixes, load_operators

    rows = read_tsv("terms.tsv", ("kind", "term", "value"), optional=("value",), directory=directory)
    by_kind: dict[str, dict[str, str]] = {}
    for _, r in rows:
        by_kind.setdefault(r["kind"], {})[key(r["term"])] = r["value"]
        if r["kind"] in FILLER_CLASSES:
            by_kind.setdefault("filler", {})[key(r["term"])] = r["term"]
    # operator words (lexicon/operators.tsv): read as operators, and as the question cue an operator also is
    for k, op in load_operators(directory).items():
        by_kind.setdefault("op", {})[k] = op
        if OPERATORS[op][1]:
            by_kind.setdefault("cue", {})[k] = OPERATORS[op][1]
    return Terms(by_kind, circumfixes(directory))


# kinds of terms.tsv that carry no subject, kept apart so the lexicon says what each word is
# (politeness, greetings, emphasis, asides, the people of a unit): all read as fillers
FILLER_CLASSES = ("polite", "greet", "emph", "aside", "people", "narrate", "deixis", "restate")


# ---------------------------------------------------------------- the store's names


@dataclass(frozen=True)
class DocInfo:
    id: int
    name: str
    unit_name: str
    year: int
    money_unit: str
    keys: tuple[str, ...]  # how a question may name this unit (财政局, 分局, 公安局)
    unit_code: str = ""  # 122001: a question may name the unit by its code
    kind: str = "预算"  # 预算 (budget) or 决算 (final accounts): documents.kind


# what an organisation's name ends in (a unit of the store, a 部门's subordinate unit)
ORG_WORDS = ("局", "分局", "院", "委员会", "委", "办公室", "办", "中心", "馆", "站", "所", "队", "会", "厅", "处", "校", "学校",
             "中学", "小学", "大学", "幼儿园", "部", "社", "台", "团")
_ORG_SUFFIX = lazyre.compile(f"({'|'.join(ORG_WORDS)})$")
_PROJECT_TAIL = lazyre.compile(r"(项目|专项经费|经费|专项资金|资金|专项)$")
_KIND_TAIL = lazyre.compile(r"(?:预算|决算)数?$")
_STMT_HEAD = lazyre.compile(r"^(?:一般公共预算|财政拨款)")
_STMT_VERB = lazyre.compile(r"^(?:授予|预留给?|安排给?)")
_STMT_TAIL = lazyre.compile(r"(?:预算|决算)?支出$|(?<=经费)(?:预算|决算)$")
_GENERIC_UNIT_KEYS = {"本级", "单位", "我局", "本局", "局", "分局本级"}


# cut a unit name after each place name (上海市|普陀区|城市管理行政执法局): after 省/市/县/区/州, but not
# inside a word that only contains one (城市管理, 都市, 社区, 园区, 市场监督, 市政, 市容)
# (and after 人民政府: 普陀区人民政府|宜川路街道办事处 — the 街道 is the unit, the government its place)
_PLACE_CUT = lazyre.compile(r"(?<=[省市县区州])(?<![城都社园小景街]市)(?<![社园小景街城]区)(?![场政容])|(?<=人民政府)")


def _unit_keys(unit_name: str, shorts: dict[str, str] | None = None) -> tuple[str, ...]:
    """How a question may name a unit: the organisation words of its name (财政局, 公安局, 分局, 公安分局).

    The name is cut after 省/市/县/区; a key is a piece's beginning that ends like an organisation
    (公安局 of 公安局高新技术产业开发区), or a whole piece that does (分局, 财政局). The first key
    is the short name used in answers.
    """
    name = re.sub(r"[(（].*?[)）]", "", norm(unit_name))
    pieces = [p for p in _PLACE_CUT.split(name) if p]
    keys: list[str] = []
    subs: list[str] = []
    for p in pieces:
        for j in range(2, len(p) + 1):
            if _ORG_SUFFIX.search(p[:j]) and p[:j] not in keys:
                keys.append(p[:j])
                # the organisation inside it that the unit is (公安局 | 第7分局, 交通警察支队 | 第三大队):
                # the part of its name that tells it from its sister units
                rest = p[j:]
                if len(rest) >= 3 and _ORG_SUFFIX.search(rest) and rest not in subs:
                    subs.append(rest)
    if name.endswith("分局"):
        for k in list(keys):
            if k.endswith("局") and not k.endswith("分局") and len(k) >= 3:
                keys.insert(0, k[:-1] + "分局")  # 公安局…分局 -> 公安分局
    if name not in keys:
        keys.append(name)
    keys += [k for k in subs if k not in keys]
    keys += [f for k in keys for f in _ordinal_forms(k) if f not in keys]  # 第7分局 = 第七分局
    keys = [k for k in keys if k not in _GENERIC_UNIT_KEYS or k == "分局"]
    short = [k for k in keys if len(k) >= 3 and k != name][:1] or keys[:1]
    # the usual abbreviations of an organisation word (卫生健康局 -> 卫健局, lexicon kind orgshort)
    abbr = [k[: -len(full)] + ab for k in keys for full, abs_ in (shorts or {}).items() for ab in abs_.split("|")
            if "n" not in full and k.endswith(full) and len(k) > len(ab)]
    # a numbered organisation (第三中学 -> 三中, 第N中学 in the lexicon): its number kept, in words and in digits
    for full, abs_ in (shorts or {}).items():
        if "n" not in full:
            continue
        rx = re.compile(re.escape(full).replace("n", "([一二三四五六七八九十]+|\\d+)") + "$")
        for k in keys:
            m = rx.search(k)
            if m:
                num = read_number(m.group(1))
                for n in dict.fromkeys([m.group(1)] + ([str(int(num))] if num is not None else [])):
                    abbr += [k[: m.start()] + ab.lower().replace("n", n) for ab in abs_.split("|")]
    return tuple(dict.fromkeys(short + keys + abbr))


_ORDINAL = re.compile(r"第(\d{1,4}|[〇零一二两三四五六七八九十百千]{1,8})(?=[^\d〇零一二两三四五六七八九十百千])")
_CN_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """1..9999 in Chinese numerals as an ordinal is written (7 七, 12 十二, 105 一百零五)."""
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out += "零"
            out += ("" if (value == 10 and d == 1 and not out) else _CN_DIGITS[d]) + unit
            zero = False
        elif out:
            zero = True
    return out


def _ordinal_forms(k: str) -> list[str]:
    """A key with an ordinal written the other way: 第7分局 -> 第七分局, 第三大队 -> 第3大队."""
    m = _ORDINAL.search(k)
    if not m:
        return []
    n = read_number(m.group(1))
    if n is None or n != int(n) or not 0 < n < 10000:
        return []
    return [k[: m.start(1)] + f + k[m.end(1):] for f in dict.fromkeys((str(int(n)), _chinese(int(n)))) if f != m.group(1)]


@dataclass
class Vocab:
    """Everything a question is matched against. ``words`` feeds the tokenizer: key -> [(kind, target)]."""

    terms: Terms
    docs: list[DocInfo]
    words: dict[str, list[tuple[str, str]]]
    labels: dict[str, list[str]]  # key -> labels as stored, in the store's order (a list: a set's order would differ per process)
    codes: dict[str, str]  # code -> a label
    std_names: dict[str, str]  # key -> standard subject name (lexicon)
    projects: dict[str, str]  # key -> project as written
    items: dict[str, str]  # key -> procurement item as written
    glossary: dict[str, str]  # key -> term as written
    statement_subjects: dict[str, str]
    latest_year: int
    years: tuple[int, ...]
    # a 部门's subordinate units printed as rows of its tables (``101002 …疾病预防控制中心``): label -> the name
    # of the document's unit (whose places the row's name shares)
    subunits: dict[str, str] = field(default_factory=dict)
    dict_path: Path | None = None
    _tokenizer: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, word: str, kind: str, target: str) -> None:
        k = key(word)
        if len(k) < 1:
            return
        lst = self.words.setdefault(k, [])
        if (kind, target) not in lst:
            lst.append((kind, target))

    # -- tokenizer ---------------------------------------------------------
    def tokenizer(self) -> Any:
        """A private jieba.Tokenizer whose dictionary is this vocabulary only (never the 350k default)."""
        with self._lock:
            if self._tokenizer is None:
                self._tokenizer = _make_tokenizer(self)
            return self._tokenizer

    def tokens(self, text: str) -> list[str]:
        return self._mend(self.tokenizer().lcut(text, HMM=False))

    def _strong(self, word: str) -> bool:
        return any(k in STRONG_KINDS for k, _ in self.words.get(key(word), ()))

    def _kind_word(self, word: str) -> bool:
        return any(k == "dockind" for k, _ in self.words.get(key(word), ()))

    def _row_name(self, word: str) -> bool:
        return any(k in ("row", "std") for k, _ in self.words.get(key(word), ()))

    def _mend(self, toks: list[str]) -> list[str]:
        """A subject the segmentation cut in two, its head in one word and its tail the start of an alias
        (项目 | 支出预算合计 for 项目支出 + 预算合计, 一般公共预算 | 支出预算合计): the subject is read whole — the
        longer subject the question names — and the rest of the alias is read again."""
        out: list[str] = []
        i = 0
        while i < len(toks):
            tok = toks[i]
            nxt = toks[i + 1] if i + 1 < len(toks) else ""
            if len(nxt) >= 3 and key(nxt) in self.words:
                cut = next((k for k in range(len(nxt) - 1, 0, -1) if self._strong(tok + nxt[:k])), 0)
                if cut and self._strong(nxt) and not (self._kind_word(nxt[cut:]) and self._row_name(tok + nxt[:cut])):
                    cut = 0  # a strong word is cut only for a row's name and a kind (一般公共服务|支出决算: …支出|决算)
                if cut:
                    tok = tok + nxt[:cut]
                    toks = toks[:i] + [tok] + self.tokenizer().lcut(nxt[cut:], HMM=False) + toks[i + 2:]
            out.append(tok)
            i += 1
        return out

    def spelling_words(self) -> list[str]:
        return [w for w, ks in self.words.items() if len(w) >= 2 and any(
            k in ("row", "std", "alias", "item", "project", "gloss", "column", "total", "table", "belongs")
            for k, _ in ks)]


def _import_jieba() -> Any:
    """Import jieba without pkg_resources (which alone costs ~70 ms on the one-shot path)."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    _defer_import("jieba.finalseg")  # the HMM tables (~6 ms) that lcut(HMM=False) never reads
    try:
        import jieba
    finally:
        if blocked:
            sys.modules.pop("pkg_resources", None)
    jieba.setLogLevel(logging.WARNING)
    return jieba


class _Deferred(types.ModuleType):
    """Stands in ``sys.modules`` for a module until one of its names is used, then imports it and
    hands out its names (importlib's LazyLoader would load it as soon as the import system looks at it)."""

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        real = self.__dict__.get("_real")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = self.__dict__["_real"] = importlib.import_module(self.__name__)
        return getattr(real, attr)


def _defer_import(name: str) -> None:
    """Let ``name`` be imported without running it: it runs on the first use of one of its names."""
    if name not in sys.modules:
        sys.modules[name] = _Deferred(name)


def _make_tokenizer(v: Vocab) -> Any:
    jieba = _import_jieba()
    path = v.dict_path
    lines = []
    strong = STRONG_KINDS
    for w in sorted(v.words):
        if not w or any(c.isspace() for c in w):
            continue
        # long words must win over their pieces: frequency grows steeply with length; the reading with a
        # subject/column/table word wins over one made of question words and aliases. Two readings of as many
        # words, as long in all and of the same kinds (三公经费预算|收入 and 三公经费|预算收入) would tie exactly, and
        # jieba would pick by the rounding of its dictionary's total — another store, another lexicon line,
        # another reading: the square term makes the reading with the longer word win, always.
        kinds = {k for k, _ in v.words[w]}
        boost = 10 if kinds & strong else (3 if "alias" in kinds else 1)
        n = min(len(w), 12)
        lines.append(f"{w} {round(boost * 10 ** (n + 2 + n * n / 1000))}")
    body = "\n".join(lines) + "\n"
    if path is None:
        from .store import _cache_dir

        d = _cache_dir() / "jieba"
        h = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
        path = d / f"vocab-{h}.txt"
    data = body.encode("utf-8")
    try:
        if not _dict_file_ok(path, data):
            # missing, or damaged (truncated, garbage, empty): the file is derived data, write it again
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
    except OSError:
        import tempfile

        fd, name = tempfile.mkstemp(suffix=".txt")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        path = Path(name)
    probe = max((w for w in v.words if w and not any(c.isspace() for c in w)), key=len, default="")
    tk = jieba.Tokenizer(str(path))
    tk.tmp_dir = str(path.parent)
    tk.initialize()
    if probe and probe not in tk.FREQ:
        # jieba's own prefix-dict cache beside the dictionary was damaged into something loadable
        for cache in path.parent.glob("jieba.u*.cache"):
            try:
                cache.unlink()
            except OSError:
                pass
        tk = jieba.Tokenizer(str(path))
        tk.tmp_dir = str(path.parent)
        tk.initialize()
    return tk


def _dict_file_ok(path: Path, data: bytes) -> bool:
    """The dictionary file on disk holds exactly ``data`` (its name carries the content's hash, so a
    different content is damage: a crash mid-write, a full disk, bit rot)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


# ---------------------------------------------------------------- building


def _q(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    return conn.execute(sql, params).fetchall()


def build_vocab(conn: sqlite3.Connection) -> Vocab:
    """Read the store's names (a handful of queries) and merge them with the lexicon."""
    terms = load_terms()
    docs = []
    try:
        rows = _q(conn, "SELECT id, name, unit_name, year, money_unit, unit_code, kind FROM documents ORDER BY year, id")
    except sqlite3.OperationalError:  # a store written before documents.kind: every document is a 预算
        rows = _q(conn, "SELECT id, name, unit_name, year, money_unit, unit_code, '预算' AS kind FROM documents "
                        "ORDER BY year, id")
    for r in rows:
        docs.append(DocInfo(r["id"], r["name"] or "", r["unit_name"] or "", int(r["year"] or 0),
                            r["money_unit"] or "万元", _unit_keys(r["unit_name"] or "", terms.get("orgshort")),
                            str(r["unit_code"] or ""), r["kind"] or "预算"))
    years = tuple(sorted({d.year for d in docs}))
    v = Vocab(terms=terms, docs=docs, words={}, labels={}, codes={}, std_names={}, projects={},
              items={}, glossary={}, statement_subjects={},
              latest_year=max(years) if years else 0, years=years)
    # lexicon terms
    for kind, entries in terms.by_kind.items():
        for k, val in entries.items():
            v.add(k, kind, val)
    # the 决算 template's table titles name their table, and a 决算 (lexicon/templates/national-final.tsv)
    from .final_template import load as load_final

    for t in load_final().tables:
        for title in dict.fromkeys((t.title, "".join(t.must))):
            v.add(title, "table", t.kind)
            v.add(title, "dockind", "决算")
    # standard subjects and synonyms (a bad lexicon line fails loudly: LexiconError)
    lex = load_lexicon()
    for s in lex.subjects:
        v.std_names[key(s.name)] = s.name
        v.add(s.name, "std", s.name)
    for alias, canonical in lex.synonyms.items():
        v.add(alias, "alias", canonical)
    # the store's rows
    for r in _q(conn, "SELECT DISTINCT label, code FROM rows WHERE label IS NOT NULL AND label != ''"):
        label = r["label"]
        k = key(label)
        if len(k) < 2 or k in ("合计", "小计", "总计") or k.endswith("小计"):
            continue
        same = v.labels.setdefault(k, [])
        if label not in same:
            same.append(label)
        v.add(k, "row", label)
        if r["code"]:
            v.codes.setdefault(r["code"], label)
    # a subordinate unit's row: its name printed after its 6-digit unit code (ingest.subjects.unit_row)
    for r in _q(conn, "SELECT DISTINCT r.name, r.label, d.unit_name FROM rows r JOIN tables t ON t.id = r.table_id "
                      "JOIN documents d ON d.id = t.document_id WHERE r.code IS NULL AND r.name != r.label "
                      "AND r.name GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]*'"):
        if re.sub(r"^\d{6}\s*", "", r["name"]).strip() == r["label"]:
            v.subunits.setdefault(r["label"], r["unit_name"] or "")
    # a row named with a conjunction between its parts (年末结转和结余, 购置及运行维护费) is also named without it
    # (年末结转结余), unless that is another word already
    for r in _q(conn, "SELECT DISTINCT label FROM rows WHERE label LIKE '%和%' OR label LIKE '%及%' OR label LIKE '%与%'"):
        k = key(r["label"])
        bare = re.sub(r"(?<=[\u4e00-\u9fff]{2})[和及与](?=[\u4e00-\u9fff]{2})", "", k)
        if bare != k and len(bare) >= 5 and bare not in v.words:
            v.add(bare, "row", r["label"])
    # an income item printed without the word 收入 (2. 政府性基金预算, under 一、财政拨款收入) is also named
    # with it ("政府性基金预算收入"), unless that is another row's name already
    for r in _q(conn, "SELECT DISTINCT label FROM rows WHERE side = '收入' AND is_total = 0 AND label NOT LIKE '%收入'"):
        k = key(r["label"] + "收入")
        if len(k) >= 4 and k not in v.words:
            v.add(k, "row", r["label"])
    for r in _q(conn, "SELECT DISTINCT c.raw FROM cells c WHERE c.column LIKE '%采购物品%' AND c.raw != ''"):
        k = key(r["raw"])
        if len(k) >= 2:
            v.items[k] = r["raw"]
            v.add(k, "item", r["raw"])
    # "冷藏箱" for 医用冷藏箱: an item's tail of 3+ characters that no other item or word has
    tails: dict[str, set[str]] = {}
    for k, raw in v.items.items():
        for i in range(1, len(k) - 2):
            tails.setdefault(k[i:], set()).add(raw)
    for t, raws in tails.items():
        if len(raws) == 1 and t not in v.words and t not in v.items:
            v.add(t, "item", next(iter(raws)))
    for r in _q(conn, "SELECT DISTINCT r.group_name AS raw FROM rows r JOIN tables t ON t.id = r.table_id "
                      "WHERE t.kind = '政府采购预算表' AND r.is_total = 0 AND r.group_name != ''"):
        k = key(r["raw"])
        if len(k) >= 2 and "小计" not in k and "合计" not in k:
            v.projects[k] = r["raw"]
            v.add(k, "project", r["raw"])
    for r in _q(conn, "SELECT DISTINCT project FROM tables WHERE project IS NOT NULL AND project != ''"):
        k = key(r["project"])
        if len(k) >= 2:
            v.projects[k] = r["project"]
            v.add(k, "project", r["project"])
    for r in _q(conn, "SELECT DISTINCT project FROM indicators WHERE project IS NOT NULL AND project != ''"):
        k = key(r["project"])
        if len(k) >= 2:
            v.projects.setdefault(k, r["project"])
            v.add(k, "project", r["project"])
    # "真如海心剧院精装修工程项目经费情况说明": a section headed by a project's name (the Shanghai 部门预算) names it
    for r in _q(conn, "SELECT DISTINCT heading FROM sections WHERE heading LIKE '%经费情况说明'"):
        name = re.sub(r"(?:项目)?经费情况说明$", "", norm(r["heading"] or ""))
        k = key(name)
        if len(k) >= 4 and k not in v.projects:
            v.projects[k] = name
            v.add(k, "project", name)
    for k, raw in list(v.projects.items()):
        core = _PROJECT_TAIL.sub("", k)
        if len(core) >= 4 and core != k and core not in v.words:
            v.add(core, "project", raw)  # "小学课后服务每周几天": a project said without its 项目, never read as a unit (小学)
    for r in _q(conn, "SELECT term, definition FROM glossary"):
        for term, _ in split_glossary(r["term"] or "", r["definition"] or ""):
            k = key(term)
            if len(k) >= 2:
                v.glossary[k] = term
                v.add(k, "gloss", term)
    for r in _q(conn, "SELECT DISTINCT subject FROM statements WHERE subject IS NOT NULL AND subject != ''"):
        k = key(r["subject"])
        if 2 <= len(k) <= 20 and not _KIND_ONLY.fullmatch(k):
            v.statement_subjects[k] = r["subject"]
            v.add(k, "stmt", r["subject"])
            short = re.sub(r"(总额|金额|合计|总计)$", "", k)
            if short != k and len(short) >= 4:
                v.add(short, "stmt", r["subject"])
            # "一般公共预算机关运行经费预算支出186.45万元": the word the lexicon knows inside the fund and kind the
            # sentence wraps it in (机关运行经费) names that figure too
            core = _STMT_TAIL.sub("", _STMT_HEAD.sub("", k))
            if core not in (k, short) and len(core) >= 4 and v.words.get(core):
                v.statement_subjects.setdefault(core, r["subject"])
                v.add(core, "stmt", r["subject"])
            # "授予小微企业合同金额712.65万元": the sentence's verb is no part of what the figure is of
            for bare in dict.fromkeys(_STMT_VERB.sub("", x) for x in (k, short)):
                if bare not in (k, short) and len(bare) >= 4:
                    v.statement_subjects.setdefault(bare, r["subject"])
                    v.add(bare, "stmt", r["subject"])
    # the store's own column names are column words too (a new document's 经营支出, 本年收入小计 …)
    skip = {"合计", "预算数", "金额", "价值", "项目", "科目名称", "科目编码", "序号", "栏次", "项目名称"}
    for r in _q(conn, "SELECT DISTINCT column FROM cells WHERE column != ''"):
        col = r["column"]
        k = key(col)
        if len(k) >= 2 and col not in skip and not any(kd == "column" for kd, _ in v.words.get(k, [])):
            v.add(k, "column", col)
    # a term the documents define with a kind after it (项目支出预算, 基本支出决算) is also what its stem is: the
    # stem's column or subject, the kind read from the question as usual — never a definition alone
    for k in [k for k, ks in v.words.items() if all(kd == "gloss" for kd, _ in ks)]:
        stem = _KIND_TAIL.sub("", k)
        for kd, target in (v.words.get(stem, []) if stem != k else []):
            if kd != "gloss":
                v.add(k, kd, target)
    for r in _q(conn, "SELECT value FROM facts WHERE key = '科室所队'"):
        for dept in re.split(r"[、,，;；\s]+", r["value"] or ""):
            if len(key(dept)) >= 2:
                v.add(dept, "dept", dept)  # a section of the unit: budgets are per unit, never per section
    kinds = terms.get("unitkind")  # 学校 -> 中学|小学|…: a school may be called 学校 by its own citizens
    for d in docs:
        for uk in d.keys:
            v.add(uk, "unit", d.unit_name)  # a unit, not a document: the year picks the document
        bare = re.sub(r"[(（].*?[)）]", "", norm(d.unit_name))
        for word, endings in kinds.items():
            if any(e and bare.endswith(e) for e in endings.split("|")):
                v.add(word, "unit", d.unit_name)
    return v


_GLOSS_SPLIT = lazyre.compile(r"\s*-\s*\d+\s*[、.．]\s*")


def split_glossary(term: str, definition: str) -> list[tuple[str, str]]:
    """A glossary row; when a converted list ran several entries into one definition, each of them."""
    parts = _GLOSS_SPLIT.split(definition)
    out = [(re.sub(r"[*“”\"]", "", term).strip(), parts[0].strip())]
    for p in parts[1:]:
        m = re.match(r"\**([^:：]{1,30}?)\**\s*[:：]\s*(.*)$", p, re.S)
        if m:
            out.append((re.sub(r"[*“”\"]", "", m.group(1)).strip(), m.group(2).strip()))
    return out


# "年初预算为…，支出决算为…" (the 决算 template): a statement whose subject is only a kind word names no subject
_KIND_ONLY = re.compile(r"(?:当年|年初|本年|调整)?(?:支出)?(?:预算|决算)数?")

_CACHE: dict[tuple[str, int, int], Vocab] = {}
_CACHE_LOCK = threading.Lock()


_FIELDS = ("terms", "docs", "words", "labels", "codes", "std_names", "projects", "items", "glossary",
           "statement_subjects", "latest_year", "years", "subunits")


def _disk_key(path: str, conn: sqlite3.Connection) -> str:
    """Identity of a store and of everything a vocabulary is built from (store, lexicon, this code)."""
    h = hashlib.sha256()
    try:
        for r in conn.execute("SELECT id, sha256, ingested_at FROM documents ORDER BY id"):
            h.update(f"{tuple(r)}".encode())
    except sqlite3.Error:
        pass
    st = os.stat(path)
    h.update(f"{os.path.realpath(path)}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}".encode())
    from .resources import lexicon_dir

    for f in sorted(lexicon_dir().glob("*.tsv")) + [Path(__file__), Path(__file__).with_name("operators.py")]:
        fs = f.stat()
        h.update(f"{f.name}\0{fs.st_size}\0{fs.st_mtime_ns}".encode())
    return h.hexdigest()[:24]


def _load_disk(k: str) -> Vocab | None:
    import pickle

    try:
        from .store import _cache_dir

        f = _cache_dir() / "vocab" / f"{k}.pickle"
        if not f.is_file():
            return None
        data = pickle.loads(f.read_bytes())
        if not isinstance(data, dict) or set(data) != set(_FIELDS):
            return None
        return Vocab(**data)
    except Exception:  # noqa: BLE001 - a bad cache file is rebuilt, never trusted
        return None


def _save_disk(k: str, v: Vocab) -> None:
    import pickle

    try:
        from .store import _cache_dir

        d = _cache_dir() / "vocab"
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f"{k}.{os.getpid()}.tmp"
        tmp.write_bytes(pickle.dumps({name: getattr(v, name) for name in _FIELDS}, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, d / f"{k}.pickle")
    except Exception:  # noqa: BLE001 - caching is an optimisation only
        pass


def vocab_for(path: str, conn: sqlite3.Connection) -> Vocab:
    """The vocabulary of the store at ``path``: per process by path, size and mtime; across processes
    from a pickle in the cache directory keyed by the store's and the lexicon's identity."""
    st = os.stat(path)
    k = (os.path.realpath(path), st.st_size, st.st_mtime_ns)
    with _CACHE_LOCK:
        v = _CACHE.get(k)
        if v is None:
            dk = _disk_key(path, conn)
            v = _load_disk(dk)
            if v is None:
                v = build_vocab(conn)
                _save_disk(dk, v)
            _CACHE[k] = v
        return v
