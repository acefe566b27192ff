"""Question -> Intent: what is asked, about which subjects, constrained how.

Rule-based and deterministic (no clock: 今年 is the store's latest year). The question is
normalised, numbers/codes/years are read with regular expressions, the rest is cut into tokens by
the vocabulary's private jieba Tokenizer, and every token is looked up in the vocabulary. Spans
the vocabulary does not know are offered to the speller (IME typos: 电废 -> 电费).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import lazyre
from . import settings
from .phrases import Phrases
from .normalize import read_number
from .vocab import _PLACE_CUT, ORG_WORDS, Terms, Vocab, key, norm

SUBJECT_KINDS = ("row", "std", "alias", "item", "project", "gloss", "stmt", "belongs", "total", "column")

_COUNTABLE = {"台", "辆", "套", "个", "件", "箱", "条", "根", "间", "名", "项", "所", "张", "把", "部", "月", "个月", "册", "本"}
_SQL = lazyre.compile(r"\b(select|insert|update|delete|drop|union|create|alter|pragma|attach)\b|--|;\s*$|/\*",
                      re.IGNORECASE)
_CODE = lazyre.compile(r"(?<![\d.A-Za-z])([23]\d{2}(?:\d{2}){0,2})(?![\d.%])")
_YEAR = lazyre.compile(r"(?<!\d)((?:19|20)\d{2})(?:年度|年)")
_NUMBER = lazyre.compile(r"(?<![\dA-Za-z])(\d+(?:\.\d+)?)(?:\s*)(亿元|万元|元|%|个|台|辆|套|件|人|次|天)?")
# the budget's grand totals: a word in front of "收入"/"支出" (罚款收入) names something narrower
_BROAD = frozenset({"收入总计", "支出总计", "本年收入合计", "本年支出合计", "收入", "支出"})
_BUY_ASSETS = lazyre.compile(r"(?:拟|新|计划|打算|准备)?(?:购置|购买|新购|新增|采购|买)了?(?:多少|几)?(?:万元|钱)?的?新?"
                             r"固定资产(?:总额|金额|总值|价值)?")
# "前一年"/"前两天" are times, not the top N: the count is never followed by a time word
_TOPN = lazyre.compile(r"(?:前|最多的|最大的|最高的|最少的|最小的)([一二两三四五六七八九十\d]{1,2})"
                       r"(?![一二两三四五六七八九十\d年天月日周季])(?:个|项|名|位|大|笔)?")
_UNIT_LEAD = lazyre.compile(r"单位\s*[:：]?\s*(?:是|为)?\s*$")  # "（单位：万元）": the words that say a unit follows
_MONEY_ASK = lazyre.compile(r"(?:多少|几|合|折合成?|换算成|换成|为|是|以|用|单位[:：]?(?:是|为)?|按)(亿元|万元|元|块钱|块)|(?<![美欧日港韩英台外])(亿元|万元|元)(?:[?？!。]*)$"
                            r"|[(（]\s*(亿元|万元|元)\s*[)）]")


@dataclass(frozen=True)
class Mention:
    """One recognised span: its text, its matching key and every reading the vocabulary has for it."""

    text: str
    key: str
    kinds: tuple[tuple[str, str], ...]
    how: str = "exact"  # exact | pinyin | fuzzy | code
    pos: int = 0

    def has(self, *kinds: str) -> bool:
        return any(k in kinds for k, _ in self.kinds)

    def targets(self, *kinds: str) -> list[str]:
        return [t for k, t in self.kinds if k in kinds]


@dataclass(frozen=True)
class Intent:
    """The structured reading of one question (frozen: compared in tests, kept for follow-ups)."""

    question: str
    text: str  # normalised
    what: str  # figure text list rank count share sum diff avg glossary reason fact yoy code_of when refuse
    subjects: tuple[Mention, ...] = ()
    tables: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    cues: frozenset[str] = frozenset()
    money_unit: str | None = None
    measure: str | None = None
    year: int | None = None
    year_rel: int | None = None
    years: tuple[int, ...] = ()  # every year written, in order ("2022年和2023年的电费合计")
    year_rels: tuple[int, ...] = ()  # every relative year written, in order (去年 -1, 今年 0)
    unit_doc: int | None = None
    unit_docs: tuple[int, ...] = ()  # every unit the question names, in order ("分局和财政局的电费合计")
    unit_choices: tuple[str, ...] = ()  # the units a name they share may mean (公安分局 of 1,000 分局): which one?
    op: tuple[str, float] | None = None  # an operation on the figure: ("div", 2) for 一半, ("mul", 2) for 两倍
    topn: int | None = None
    numbers: tuple[float, ...] = ()
    codes: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    refuse: str = ""  # why the question is refused outright (chit-chat, SQL, out-of-scope facts)
    refuse_status: str = ""  # not_found | out_of_scope
    leftover: tuple[str, ...] = ()  # unknown spans nobody could read
    unread: tuple[str, ...] = ()  # unknown spans that can change what is asked (beside a subject): never answered
    ops: tuple[tuple[str, str], ...] = ()  # operator words read (word, operator), lexicon/operators.tsv
    exclude: tuple[int, int] | None = None  # where the excluded subjects stand (除X以外, 去掉X和Y, 不是X的), by Mention.pos
    exclude_by: str = ""  # the operator word that excludes them
    followup: bool = False
    # the kinds of figure named, in order: 预算 (安排/预算), 决算 (实际/执行/决算), 决算? (花了: the 决算 if any)
    doc_kinds: tuple[str, ...] = ()
    # a side word (收入/支出) written right after a subject, never part of its name: (subject as written, side)
    sides: tuple[tuple[str, str], ...] = ()
    unit_missing: str = ""  # a refusal's unit the store lacks (中医院): a follow-up is never the store's unit's figure

    def describe(self) -> str:
        parts = [self.what]
        if self.subjects:
            parts.append("subjects=" + ",".join(f"{m.key}({m.how})" for m in self.subjects))
        for name in ("tables", "columns"):
            val = getattr(self, name)
            if val:
                parts.append(f"{name}=" + ",".join(val))
        if self.cues:
            parts.append("cues=" + ",".join(sorted(self.cues)))
        if self.doc_kinds:
            parts.append("kinds=" + ",".join(self.doc_kinds))
        if self.sides:
            parts.append("sides=" + ",".join(f"{t}{s}" for t, s in self.sides))
        for name in ("money_unit", "measure", "year", "year_rel", "unit_doc", "topn", "refuse"):
            val = getattr(self, name)
            if val not in (None, ""):
                parts.append(f"{name}={val}")
        if self.codes:
            parts.append("codes=" + ",".join(self.codes))
        return " ".join(parts)


def _cn_int(s: str) -> int | None:
    """A whole number written in Chinese or Arabic numerals (三, 十二, 二十五, 一百), else None."""
    n = read_number(s)
    return int(n) if n is not None and n == int(n) and n >= 0 else None


def _spell(v: Vocab, run: str) -> tuple[str, str] | None:
    """The vocabulary word an unknown span was probably meant to be, and how it was found."""
    from .spell import suggest

    return suggest(v, run)


# a six-digit number written as a unit ("121001的电费", "121001单位") that is no unit of the store
_UNIT_CODE_LIKE = lazyre.compile(r"(?<![\d.])(\d{6})(?![\d.%])\s*(?:号?单位|的|\s*$)")
# an unknown span that ends like an organisation (中医院, 城管委, 住建局): a unit, not a subject
_NAMED_BEFORE = lazyre.compile(r"(?:第[一二三四五六七八九十百\d]+|[一二三四五六七八九十\d]+|实验|附属|外国语|职业|师范|育才|"
                               r"[\u4e00-\u9fff](?:市|区|县|镇|乡|村|路|街))$")
_ORG_NAME = lazyre.compile(r"..*(?:医院|学院|院|局|委员会|委|办公室|中心|馆|厅|学校|中学|小学|大学|幼儿园)$")


def _unit_pattern(v: Vocab) -> tuple[Phrases, dict[str, str], dict[str, str]]:
    """Every way a question writes a unit in full — its whole name (the parenthetical such as (本级)
    optional), the name without its parenthetical, any of its short keys followed by (本级) — and its
    unit code, with the unit each spelling means. Built once per vocabulary (a phrase set, not a
    regex: a store of 1,000 units has thousands of spellings)."""
    cached = getattr(v, "_unit_re", None)
    if cached is not None:
        return cached
    spell: dict[str, str] = {}
    owners: dict[str, set[str]] = {}
    for d in v.docs:
        for k in d.keys:
            owners.setdefault(k, set()).add(d.unit_name)
    for d in v.docs:
        full = norm(d.unit_name)
        base = re.sub(r"\s*\([^)]*\)\s*", "", full).strip()
        variants = {full, base}
        # a leading place dropped while another stays (普陀区城管执法局 for 上海市普陀区城市管理行政执法局)
        for form in [base] + [k for k in d.keys if len(k) > len(base) // 2]:
            variants.add(form)  # 唐山市路南区三中: the full name with its organisation abbreviated
            cut = [p for p in _PLACE_CUT.split(form) if p]
            for i in range(1, len(cut) - 1):
                if all(p[-1] in "省市县区州" for p in cut[: i + 1]):
                    variants.add("".join(cut[i:]))
        for piece in _PLACE_CUT.split(base):
            place = re.sub(r"^.*(?:局|委员会|委|办公室|中心|院)", "", piece)
            if place.endswith("开发区") and len(place) > 5:
                # 唐山市公安局高新区分局: the official name with the zone's short form
                variants |= {v_.replace(place, place[:2] + "区") for v_ in (full, base)}
        for s in variants:
            if len(s) >= 3:
                spell.setdefault(s, d.unit_name)
        for k in d.keys:
            if len(k) >= 2 and len(owners[k]) == 1:
                spell.setdefault(k + "(本级)", d.unit_name)
                spell.setdefault(k + "本级", d.unit_name)
                if any(c.isdigit() for c in k):
                    spell.setdefault(k, d.unit_name)  # 第7分局: its digits are a name, never a figure asked
    codes: dict[str, str] = {}
    for d in v.docs:
        if d.unit_code:
            codes.setdefault(d.unit_code, d.unit_name)
    v._unit_re = (Phrases(spell), spell, codes)  # type: ignore[attr-defined]
    return v._unit_re  # type: ignore[attr-defined]


@dataclass(frozen=True)
class _UnitPlaces:
    unit_name: str
    places: frozenset[str]  # 唐山市, 唐山, 高新技术产业开发区, 高新区, 高新
    inner: frozenset[str]  # the place nearest the organisation (高新技术产业开发区 and its short forms)
    keys: tuple[str, ...]


def _unit_places(v: Vocab) -> tuple[list[_UnitPlaces], Phrases, dict[str, list[_UnitPlaces]]]:
    """Each unit's place words, every unit's short keys (a phrase set), and the units of each key.
    Built once per vocabulary."""
    cached = getattr(v, "_unit_places", None)
    if cached is not None:
        return cached
    out: list[_UnitPlaces] = []
    for d in v.docs:
        base = re.sub(r"\s*\([^)]*\)\s*", "", norm(d.unit_name))
        places: set[str] = set()
        inner: set[str] = set()
        for piece in _PLACE_CUT.split(base):  # 城市管理 is no place
            place = re.sub(r"^.*(?:局|委员会|委|办公室|中心|院)", "", piece)
            if len(place) < 2 or place[-1] not in "省市县区州":
                continue
            forms = {place}
            if len(place) >= 3 and (place[-1] in "省市县州" or (place[-1] == "区" and not place.endswith("开发区"))):
                forms.add(place[:-1])  # 唐山市 -> 唐山, 丰南区 -> 丰南
            if place.endswith("开发区") and len(place) > 5:
                forms.update({place[:2] + "区", place[:2]})  # 高新技术产业开发区 -> 高新区, 高新
            places |= forms
            inner = forms  # the last place of the name is the nearest to the organisation
        keys = tuple(k for k in d.keys if k != base and len(k) >= 2)
        out.append(_UnitPlaces(d.unit_name, frozenset(places), frozenset(inner), keys))
    all_keys = sorted({k for u in out for k in u.keys}, key=len, reverse=True)
    rx = Phrases(all_keys)
    by_key: dict[str, list[_UnitPlaces]] = {}
    for u in out:
        for k in dict.fromkeys(u.keys):
            by_key.setdefault(k, []).append(u)
    v._unit_places = (out, rx, by_key)  # type: ignore[attr-defined]
    return out, rx, by_key


_ORDINAL_NUM = "[一二三四五六七八九十]{1,3}|[0-9]{1,3}"  # the N of 第N中学 → N中


def _numbered_other(text: str, v: Vocab) -> str:
    """"二中的电费" where the store's school is 第三中学: a numbered organisation's abbreviation (lexicon orgshort
    第N中学 -> N中) that names no stored unit is another unit (returned, refused) — never this one."""
    rx = getattr(v, "_numbered_rx", None)
    if rx is None:
        tails = sorted({ab[1:] for full, abs_ in v.terms.get("orgshort").items() if "n" in full
                        for ab in abs_.split("|") if ab[:1] in "Nn"}, key=len, reverse=True)
        # not a count (前三, 第三, 这两), not the start of another word (一小时, 一中学生)
        rx = re.compile(rf"(?<![一二三四五六七八九十0-9.第前其这那几每哪个])(?:{_ORDINAL_NUM})"
                        rf"(?:{'|'.join(map(re.escape, tails))})(?![时学型额组计项件分部间])") if tails else False
        v._numbered_rx = rx  # type: ignore[attr-defined]
    if not rx:
        return ""
    for m in rx.finditer(text):
        if not any(kd == "unit" for kd, _ in v.words.get(key(m.group(0)), ())):
            return m.group(0)
    return ""


def _own_place(v: Vocab, unit_name: str, span: str) -> int:
    """How many characters at the end of ``span`` are place words of the unit's own name (丰南, 丰南区,
    唐山市路南区): written before the unit's short name they name that unit, never another one."""
    by_name = getattr(v, "_place_words", None)
    if by_name is None:
        by_name = {}
        for u in _unit_places(v)[0]:
            by_name.setdefault(u.unit_name, set()).update(u.places)
        by_name = {n: sorted(ps, key=len, reverse=True) for n, ps in by_name.items()}
        v._place_words = by_name  # type: ignore[attr-defined]
    places = by_name.get(unit_name, ())
    rem = span
    while rem:
        hit = next((p for p in places if rem.endswith(p)), None)
        if hit is None:
            break
        rem = rem[: -len(hit)]
    return len(span) - len(rem)


_PLACE_END = lazyre.compile(r"(?:[\u4e00-\u9fff]{1,5}?(?:省|市|县|区|州|自治区))+$")


def _places_before_units(text: str, v: Vocab, found: list[str]) -> tuple[str, str]:
    """Place words written before a unit's short name: 高新区财政局 and 唐山高新区财政局 are the
    stored 高新技术产业开发区财政局 (the places are blanked, the unit recorded); 唐山市财政局,
    石家庄市高新区财政局 or 路北区公安分局 are other units — their name is returned (refused)."""
    units, rx, by_key = _unit_places(v)
    if not rx:
        return text, ""
    out = text
    for m_start, m_end, written in rx.finditer(text):
        i = m_start
        while i > 0 and "\u4e00" <= text[i - 1] <= "\u9fff" and text[i - 1] not in "的和与及跟同":
            i -= 1
        run = text[i:m_start]
        if not run:
            continue
        owners = by_key.get(written, [])
        best = None
        for u in owners:
            rem, stripped = run, []
            while True:
                hit = next((p for p in sorted(u.places, key=len, reverse=True) if rem.endswith(p)), None)
                if hit is None:
                    break
                stripped.append(hit)
                rem = rem[: -len(hit)]
            if stripped and set(stripped) & u.inner and not _PLACE_END.search(rem):
                best = (u, rem)
                break
            if not stripped and not _PLACE_END.search(rem):
                best = best or (None, rem)  # no place written: the key alone, read as usual
        if best is not None and best[0] is None:
            continue
        if best is None:
            tail = _PLACE_END.search(run)
            known = run[len(run.rstrip("".join(sorted({c for u in owners for p in u.places for c in p})))):]
            name = (tail.group(0) if tail else known or run) + written
            return out, name
        u, rem = best
        if u.unit_name not in found:
            found.append(u.unit_name)
        out = out[: i + len(rem)] + " " * (m_end - i - len(rem)) + out[m_end:]
    return out, ""


def _units_written(text: str, v: Vocab) -> tuple[str, list[str]]:
    """Blank out the units a question names in full (name, name(本级), unit code) and return them:
    a unit's name is a filter on the documents, never a subject or a fact asked about."""
    names, spell, codes = _unit_pattern(v)
    found: list[str] = []
    out: list[str] = []
    i = 0
    while i < len(text):
        hit = names.match_at(text, i)
        end, name = i, ""
        if hit is not None:
            end, name = i + len(hit), spell[hit]
            benji = None if hit.endswith(")") else _BENJI_AFTER.match(text, end)
            if benji:
                end = benji.end()
        elif text[i] in _DIGITS and (i == 0 or text[i - 1] not in _DIGITS + "."):
            m = _CODE_AT.match(text, i)  # a whole run of digits, not a figure (121001.5, 121001%)
            if m and m.group(1) in codes:
                end, name = m.end(), codes[m.group(1)]
        if not name:
            out.append(text[i])
            i += 1
            continue
        if name not in found:
            found.append(name)
        out.append(" " * (end - i))
        i = end
    return _units_abbreviated("".join(out), v, found)


# where an abbreviated unit name may end: the organisation word's last character (局, 委, 部, 街道, 办 …)
_ABBR_END = lazyre.compile(r"[局委部道办处院馆站所队厅]")
# the tail an abbreviation may leave off: 宜川街道(办事处), 街道办(事处), 建管委(员会)
_ABBR_TAILS = ("办事处", "事处", "员会", "公室")


def _abbreviations(v: Vocab) -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """Per character, the units whose own name (its places cut off: 宜川路街道办事处) holds it; and each unit's
    own name. Built once per vocabulary."""
    cached = getattr(v, "_unit_abbr", None)
    if cached is None:
        own: dict[str, str] = {}
        for d in v.docs:
            name = re.sub(r"\([^)]*\)", "", norm(d.unit_name))
            pieces = [p for p in _PLACE_CUT.split(name) if p and p != "人民政府"]
            own[d.unit_name] = pieces[-1] if pieces else name
        cached = v._unit_abbr = (_by_char(own), own)  # type: ignore[attr-defined]
    return cached


def _full_names(v: Vocab) -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """Per character, the units whose whole name (places and all) holds it; and each unit's whole name."""
    cached = getattr(v, "_unit_full", None)
    if cached is None:
        full = {d.unit_name: norm(d.unit_name) for d in v.docs}
        cached = v._unit_full = (_by_char(full), full)  # type: ignore[attr-defined]
    return cached


def _by_char(names: dict[str, str]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for unit, name in names.items():
        for ch in set(name):
            out.setdefault(ch, set()).add(unit)
    return {ch: frozenset(u) for ch, u in out.items()}


def _holding(word: str, index: dict[str, frozenset[str]]) -> frozenset[str]:
    """The units whose name holds every character of ``word`` (a superset of those holding it): what a name test
    then reads grows with what fits, never with the store."""
    units = index.get(word[0], frozenset())
    for ch in word[1:]:
        if not units:
            break
        units = units & index.get(ch, frozenset())
    return units


def _subsequence(short: str, name: str) -> bool:
    it = iter(name)
    return all(ch in it for ch in short)


def _units_abbreviated(text: str, v: Vocab, found: list[str]) -> tuple[str, list[str]]:
    """A unit named by an abbreviation no list holds — 规划资源局 for 规划和自然资源局, 宜川街道 for 宜川路街道办事处,
    城管局 for 城市管理行政执法局, 社工部 for (区委)社会工作部 — is the one unit of the store whose own name begins as
    it does, holds its characters in order and ends as it does (a Chinese abbreviation keeps characters of the
    name, in order). Three characters at least, the longest span first; a word the vocabulary knows whole is
    left to it; two units that fit: neither."""
    if not _ABBR_END.search(text) or not v.docs:
        return text, found
    by_char, own = _abbreviations(v)
    chars = list(text)
    for end in reversed([m.end() for m in _ABBR_END.finditer(text)]):  # the last end first: 宜川街道办, not 宜川街道
        for start in range(max(0, end - 8), end - 2):
            span = text[start:end]
            if v.words.get(key(span)):
                break  # a word the vocabulary knows whole (石泉路街道) is read as such, never cut shorter
            if " " in span or not re.fullmatch(r"[\u4e00-\u9fff]+", span):
                continue
            fits = [u for u in _holding(span, by_char) if span[0] in own[u][:2] and _subsequence(span, own[u])
                    and any(f.endswith(span[-1]) for f in [own[u]] + [own[u][: -len(t)] for t in _ABBR_TAILS
                                                                        if own[u].endswith(t)])]
            if len(fits) == 1:
                places = next((u.places for u in _unit_places(v)[0] if u.unit_name == fits[0]), frozenset())
                while hit := next((p for p in sorted(places, key=len, reverse=True) if text[:start].endswith(p)), ""):
                    start -= len(hit)  # its own places before it (普陀区宜川街道)
                chars[start:end] = " " * (end - start)
                if fits[0] not in found:
                    found.append(fits[0])
                break
    return "".join(chars), found


# what a subordinate unit's name may end in: an organisation word's last character (中心, 所, 站, 局, 院 …)
_SUBUNIT_END = lazyre.compile(f"[{''.join(sorted({w[-1] for w in ORG_WORDS}))}]")
_BENJI_ROW = lazyre.compile(r"^(.*?)\s*\(\s*本级\s*\)$")


def _subunit_forms(v: Vocab) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str],
                                      dict[str, frozenset[str]]]:
    """The store's subordinate-unit rows (``Vocab.subunits``): each plain one's own name (its label without
    the places it shares with its 部门's name: 疾病预防控制中心 of 淳安县疾病预防控制中心) -> label; those of them
    no other row is named (博物馆 beside the subject 2070205 博物馆 is that subject, never the unit); each plain
    one's full name -> label; each 本级 row's own name (卫生健康局 of 淳安县卫生健康局(本级)) -> label; and per
    character, the plain rows whose own name holds it (what an abbreviation is tried on). Built once per vocabulary."""
    cached = getattr(v, "_subunit_forms", None)
    if cached is not None:
        return cached
    own: dict[str, str] = {}
    full: dict[str, str] = {}
    benji: dict[str, str] = {}
    for label, dept in v.subunits.items():
        name = norm(label)
        b = _BENJI_ROW.match(name)
        base = b.group(1) if b else name
        pieces = [p for p in _PLACE_CUT.split(base) if p]
        shared = 0  # the places its 部门's name begins with too
        for p in pieces[:-1]:
            if not norm(dept)[shared:].startswith(p):
                break
            shared += len(p)
        short = base[shared:] if len(base) - shared >= 2 else base
        if b:
            benji.setdefault(short, label)
        else:
            full.setdefault(name, label)
            own.setdefault(short, label)
    # a unit's name without its places that is another row's name too (博物馆: the 功能分类 subject 2070205, and
    # 苏州市吴江区博物馆) is that subject, as the vocabulary reads it; the unit is named with more of its name
    plain = {name: lab for name, lab in own.items()
             if not any(kd in ("row", "std") and t != lab for kd, t in v.words.get(key(name), ()))}
    v._subunit_forms = (own, plain, full, benji, _by_char({lab: name for name, lab in own.items()}))  # type: ignore[attr-defined]
    return v._subunit_forms  # type: ignore[attr-defined]


def _fits_name(span: str, name: str) -> bool:
    """``span`` names ``name``: it is the name, its tail (监督所 of 卫生监督所, three characters at least), or an
    abbreviation — the name's characters in order, beginning as it does and ending in its last character
    (疾控中心 of 疾病预防控制中心)."""
    if span == name or (len(span) >= 3 and name.endswith(span)):
        return True
    return len(span) >= 3 and span[0] in name[:2] and span[-1] == name[-1] and _subsequence(span, name)


def _subunits(text: str, v: Vocab) -> tuple[str, list[tuple[int, int, tuple[str, ...]]]]:
    """Spans naming a subordinate unit that is a row of a 部门's tables — by its full name, its name without
    its places, or an abbreviation (``_fits_name``) — and 本级 (本级, 局本级, 卫健局本级) where a row is the
    部门's own (本级) one. Each is blanked out of the text and returned as (start, end, the rows' labels): a
    row asked about, never a unit of the store. Two rows that fit: both, for the plan to ask which."""
    if not v.subunits:
        return text, []
    own, plain, full, benji, by_char = _subunit_forms(v)
    own_of = {lab: name for name, lab in own.items()}
    spell = _unit_pattern(v)[1]
    found: list[tuple[int, int, tuple[str, ...]]] = []
    chars = list(text)

    def take(a: int, b: int, labels: list[str]) -> None:
        found.append((a, b, tuple(dict.fromkeys(labels))))
        chars[a:b] = " " * (b - a)

    if benji:
        for m in _BENJI_AFTER.finditer(text):
            if not chars[m.start()].strip():
                continue
            depts = {v.subunits.get(lab) for lab in benji.values()}
            if any(spell.get(text[a:b]) not in (None, *depts) for a in range(max(0, m.start() - 16), m.start())
                   for b in (m.start(), m.end())):
                continue  # 分局本级: another unit of the store, its own 本级 (parse._units_written)
            best: tuple[int, list[str]] = (m.start(), list(benji.values()))
            for a in range(max(0, m.start() - 16), m.start()):
                span = text[a:m.start()]
                if not re.fullmatch(r"[\u4e00-\u9fff]+", span):
                    continue
                fits = [lab for name, lab in benji.items() if _fits_name(span, name) or name.endswith(span)
                        or _fits_name(span, norm(re.sub(r"\s*[（(]\s*本级\s*[)）]$", "", lab)))]
                if fits:
                    best = (a, fits)
                    break
            take(best[0], m.end(), best[1])
    forms = sorted(list(full.items()) + list(plain.items()), key=lambda kv: -len(kv[0]))
    for name, label in forms:
        at = "".join(chars).find(name)
        while at >= 0:
            take(at, at + len(name), [label])
            at = "".join(chars).find(name)
    for m in reversed(list(_SUBUNIT_END.finditer(text))):
        end = m.end()
        if not chars[end - 1].strip():
            continue
        for start in range(max(0, end - 10), end - 2):
            span = "".join(chars[start:end])
            if not re.fullmatch(r"[\u4e00-\u9fff]+", span) or span in spell:
                continue
            if v.words.get(key(span)) and not any(k == "unitname" for k, _ in v.words[key(span)]):
                break  # a word the vocabulary knows whole is read as such
            fits = sorted(lab for lab in _holding(span, by_char) if _fits_name(span, own_of[lab]))
            if fits:
                take(start, end, fits)
                break
    return "".join(chars), sorted(found)


# what sets two subjects apart (疾控中心和支出合计, 疾控中心比支出合计): between a unit and a total, it asks both
_SUBJECTS_APART = lazyre.compile(r"[和与及、,，;；。?？!！跟同比加减占]|以及|除")

_DIGITS = "0123456789"
_BENJI_AFTER = re.compile(r"\s*\(\s*本级\s*\)|本级")
_CODE_AT = re.compile(r"(\d+)(?![\d.%])(?:号?单位)?")


def _units_held(v: Vocab, codes: bool = False) -> str:
    """The store's units for a refusal: all of a few, the first ``MAX_SUGGESTIONS`` of many and their
    number (a store of 1,000 units never puts 1,000 names in one answer)."""
    units = list(dict.fromkeys((f"{d.unit_code} {d.unit_name}" if codes else d.unit_name)
                               for d in v.docs if d.unit_code or not codes))
    limit = int(settings.MAX_SUGGESTIONS)
    if not units:
        return "无"
    return "、".join(units) if len(units) <= limit else "、".join(units[:limit]) + f"等{len(units)}个单位"


def parse(question: object, v: Vocab) -> Intent:
    """Read a question. Never raises for any ``str``; non-str input is refused."""
    it = _parse(question, v)
    # "公物用车购置费": a one-character typo mended inside a longer name is read again, so the whole name
    # (公务用车购置费) wins over the piece the typo cut off (公务用车)
    fixed = it.text
    for m in it.subjects:
        if m.how not in ("pinyin", "fuzzy", "edit") or m.key == m.text or m.text not in fixed:
            continue
        n = len(m.key)
        for a, b in ((m.text, m.key), (m.text[-n:], m.key), (m.text[:n], m.key)):
            if len(a) == n and sum(x != y for x, y in zip(a, b)) <= 1:
                fixed = fixed.replace(a, b, 1)
                break
    # "城乡社区之出": a typo that runs across a word boundary — the subject and the unread span beside it
    # (a link character between) sound like a longer name together (城乡社区支出)
    for lo in dict.fromkeys(it.leftover + it.unread):
        for m in it.subjects:
            if m.how == "code" or len(lo) < 1:
                continue
            for cand in re.findall(re.escape(m.text) + r".?" + re.escape(lo) + "|" + re.escape(lo) + r".?" + re.escape(m.text),
                                   fixed):
                hit = _spell(v, cand)
                if hit is not None and hit[1] == "pinyin" and len(hit[0]) == len(cand) > len(m.key) and hit[0] not in fixed:
                    fixed = fixed.replace(cand, hit[0], 1)
    if fixed != it.text and isinstance(question, str):
        again = _parse(fixed, v)
        longer = max((len(m.key) for m in again.subjects), default=0) > max((len(m.key) for m in it.subjects), default=0)
        if again.what != "refuse" and longer:
            return replace(again, question=question)
    return it


def _parse(question: object, v: Vocab) -> Intent:
    if not isinstance(question, str):
        return Intent(str(question)[:100], "", "refuse", refuse="问题必须是文字", refuse_status="out_of_scope")
    q = question
    if len(q) > settings.MAX_QUESTION_CHARS:
        return Intent(q, "", "refuse", refuse=f"问题太长（超过 {int(settings.MAX_QUESTION_CHARS)} 个字），请简短地问一个问题",
                      refuse_status="out_of_scope")
    q = "".join(ch for ch in q if ch.isprintable() or ch in " \t")
    text = norm(q)
    if not text or not re.search(r"[\u4e00-\u9fff\d]", text):
        return Intent(question, text, "refuse", refuse="没有看懂这个问题", refuse_status="out_of_scope")
    if _SQL.search(q) and re.search(r"[A-Za-z]{3,}", q):
        return Intent(question, text, "refuse", refuse="这里只回答关于预算公开文件的中文问题，不执行 SQL",
                      refuse_status="out_of_scope")
    terms = v.terms

    # units written in full or by code, then years, codes, numbers (digits are not vocabulary)
    text = _spelled_years(text)
    text, subunits = _subunits(text, v)
    text, written_units = _units_written(text, v)
    text, other_unit = _places_before_units(text, v, written_units)
    other_unit = other_unit or _numbered_other(text, v)
    if other_unit:
        names = _units_held(v)
        return Intent(question, text, "refuse", refuse=f"库中没有“{other_unit}”的预算文件（现有：{names}）",
                      refuse_status="not_found", unit_missing=other_unit)
    years = [int(y) for y in _YEAR.findall(text)]
    year = years[0] if years else None
    codes: list[str] = []
    code_at: list[tuple[str, int]] = []  # each code and where it starts in the text
    scrubbed = _YEAR.sub(lambda m: "#" * len(m.group(0)), text)
    for m in _CODE.finditer(scrubbed):
        c = m.group(1)
        if c in v.codes or _std_code(c):
            codes.append(c)
            code_at.append((c, m.start(1)))
    stray = _UNIT_CODE_LIKE.search(scrubbed)
    if stray and stray.group(1) not in codes:
        names = _units_held(v, codes=True)
        return Intent(question, text, "refuse", refuse=f"库中没有单位代码为 {stray.group(1)} 的预算文件（现有：{names}）",
                      refuse_status="not_found", unit_missing=stray.group(1))
    numbers = tuple(float(m.group(1)) for m in _NUMBER.finditer(scrubbed)
                    if m.group(1) not in codes and len(m.group(1)) < 12)
    topn = None
    tm = _TOPN.search(text)
    if tm:
        topn = _cn_int(tm.group(1))
    money_unit = None
    mm = _MONEY_ASK.search(text)
    if mm:
        u = mm.group(1) or mm.group(2) or mm.group(3)
        money_unit = {"块钱": "元", "块": "元"}.get(u, u)

    # an operation on the figure (一半, 三分之一, 打八折): read it, then keep its words out of the subject search
    op, op_span = _op_span(text)
    tok_text = text if op_span is None else text[:op_span[0]] + " " * (op_span[1] - op_span[0]) + text[op_span[1]:]
    # "今年打算新购置多少固定资产": buying fixed assets is the planned purchase, never the stock held
    tok_text = _BUY_ASSETS.sub("拟购置固定资产总额", tok_text)
    # operators written around or after their subject (除X以外, X之外的): read, and their words kept out of the subjects
    tok_text, circ_ops, circ_marks = _circumfix(tok_text, v)
    # "我看新闻说办案挺辛苦的": a clause about the asker, not about the budget, is set aside unread
    tok_text = _asides(tok_text, terms)
    tok_text = _years_out(tok_text, v)
    tok_text = _money_unit_out(tok_text)
    # tokens
    stripped = tok_text.replace("(", "").replace(")", "").replace("、", "")
    toks = v.tokens(stripped)
    circ_marks = [(kind, _stripped_pos(tok_text, a), _stripped_pos(tok_text, b)) for kind, a, b in circ_marks]
    op_at = (_stripped_pos(tok_text, op_span[0]), _stripped_pos(tok_text, op_span[1])) if op_span else None
    mentions: list[Mention] = []
    leftovers: list[str] = []
    cues: set[str] = set()
    tables: list[str] = []
    columns: list[str] = []
    facts: list[str] = []
    doc_kinds: list[str] = []
    measure = None
    year_rel = None
    year_rels: list[int] = []  # every relative year written ("去年和今年的电费合计")
    unit_doc = None
    unit_names: list[str] = list(written_units)
    unknown_units: list[str] = []
    depts: list[str] = []
    unit_docs: list[int] = []
    shared: list[list[str]] = []
    refuse = ""
    refuse_status = "out_of_scope"
    missing = ""  # the unit a refusal names that the store lacks
    run = ""
    run_pos = 0
    pos = 0
    prev_soft = ""
    run_soft = 0
    # the question as read, token by token (coverage): s subject, l link word (的/里/用于),
    # u a span nobody read, w any other word read, x a boundary (punctuation, digits)
    seq: list[tuple[str, str]] = []
    ops: list[tuple[str, str]] = list(circ_ops)
    op_pos: list[tuple[str, str, int]] = []  # plain operator words and where they stand
    deixis_at: list[int] = []  # where 这些/之类 stand
    restate_at: list[int] = []  # where a clause opened by 就是/也就是 (saying again what was meant) starts
    remainder = ""  # 还剩/剩下: a balance the budget does not hold, unless it is what an exclusion leaves

    def flush_run() -> None:
        nonlocal run, run_soft
        r = run
        run = ""
        # particles around a span, never a name's own first character (中小企业, 在职人员, 月球…)
        core = re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", r).lstrip("的是和与及给把").rstrip("的了是吗呢啊吧里中")
        if _NUMERAL_RUN.fullmatch(core):
            seq.append(("w", core))  # 三个, 两项: a count, read by the number and top-N rules
            return
        if len(core) < 2:
            if core:
                seq.append(("u", core))
            return
        seq.append(("u", core))
        end = run_pos + len(r)
        if _ORG_NAME.search(core) and (run_pos == 0 or tok_text[end:end + 1] == "的") and not v.words.get(key(core)) \
                and not any(key(core) in pk for pk in v.projects):  # 真如海心剧院 of a project, not a unit
            unknown_units.append(core)  # 中医院的电费: a unit the store lacks, never answered for the store's unit
            return
        hit = _spell(v, core)
        if hit is None and run_soft and len(core) > run_soft + 1:
            hit = _spell(v, core[run_soft:])  # the one-character word it began with was a word after all
        run_soft = 0
        if hit is None:
            leftovers.append(core)
            return
        seq[-1] = ("s", core)
        word, how = hit
        mentions.append(Mention(core, word, tuple(v.words.get(word, ())), how, run_pos))

    joined = "".join(toks)
    prev_cue = ""  # the cue of the word before: a unit word after 哪些/几个 asks which units there are
    for at, tok in enumerate(toks):
        k = key(tok)
        entries = v.words.get(k) if k else None
        if not entries:
            if tok.strip() and not re.fullmatch(r"[\d.%#,:;?!。、()\-+/]+", tok):
                if not run:
                    run_pos = pos
                    run_soft = 0
                    if prev_soft and len(tok) == 1:
                        run, run_pos = prev_soft, pos - len(prev_soft)  # 其+他收人, 人+员经废
                        run_soft = len(prev_soft)
                run += tok
            else:
                flush_run()
                # an operation's words (每个月, 一半) stand between a span and its subject like a link word
                seq.append(("l" if op_at and op_at[0] <= pos < op_at[1] and not tok.strip() else "x", tok))
            pos += len(tok)
            continue
        kinds = dict()
        for kind, target in entries:
            kinds.setdefault(kind, target)
        # a word for what the documents do not publish, inside a name nobody knows (家庭|医生|签约服务经费: a
        # project) is part of that name, never the question asking for it
        inside_name = 0 < at < len(toks) - 1 and all(
            not v.words.get(key(w)) and re.search(r"[\u4e00-\u9fff]", w) for w in (toks[at - 1], toks[at + 1]))
        prev_soft = tok if len(tok) == 1 and set(kinds) <= {"filler", "cue", "measure", "money", "op"} else ""
        if run and len(tok) == 1 and set(kinds) <= {"filler", "cue", "measure", "money", "op"}:
            run += tok  # a one-character word inside an unknown span is probably part of a typo
        else:
            flush_run()
        is_neutral = "neutral" in kinds
        if "op" in kinds:
            ops.append((tok, kinds["op"]))
            op_pos.append((tok, kinds["op"], pos))
        if "deixis" in kinds:
            deixis_at.append(pos)
        if "restate" in kinds and (pos == 0 or joined[pos - 1] in ",，。;；"):
            restate_at.append(pos)
        seq.append(("s" if any(kd in kinds for kd in SUBJECT_KINDS) else "l" if k in _LINKS else
                    "d" if "deixis" in kinds else "n" if "unit" in kinds else "w", tok))
        if "oos" in kinds and kinds.get("op") == "remainder":
            remainder = remainder or kinds["oos"]
        elif "oos" in kinds and not inside_name:
            refuse = kinds["oos"]
        if "chat" in kinds and len(text) <= len(tok) + 4:
            refuse = refuse or "chat"
        if "dept" in kinds:
            depts.append(tok)
        named = _NAMED_BEFORE.search(joined[:pos]) if "unit" in kinds and "unitname" in kinds else None
        if named and any(_own_place(v, u, joined[:pos]) >= len(named.group(0)) for kd, u in entries if kd == "unit"):
            named = None  # 路南区中学: the place of the stored school's own name (唐山市路南区第三中学)
        if named and not refuse:
            # 第二中学 / 实验小学: a school of that kind, but not the stored one (学校/中学 alone is the stored one)
            names = _units_held(v)
            refuse = f"库中没有“{named.group(0)}{tok}”的预算文件（现有：{names}）"
            missing = named.group(0) + tok
            refuse_status = "not_found"
        elif "unit" in kinds:
            owners = list(dict.fromkeys(t for kd, t in entries if kd == "unit"))
            if len(owners) > 1:
                shared.append(owners)  # a name several units share: which one, unless another word says
            elif kinds["unit"] not in unit_names:
                unit_names.append(kinds["unit"])
        elif "unitname" in kinds and not refuse:
            names = _units_held(v)
            refuse = f"库中没有“{tok}”的预算文件（现有：{names}）"
            missing = tok
            refuse_status = "not_found"
        if "year" in kinds and not is_neutral:
            year_rel = int(kinds["year"])
            year_rels.append(year_rel)
        if "table" in kinds:
            tables.append(kinds["table"])
        if "column" in kinds:
            columns.append(kinds["column"])
        if "cue" in kinds:
            cues.add(kinds["cue"])
        if "fact" in kinds:
            facts.append(kinds["fact"])
        elif "unitword" in kinds and prev_cue in ("list", "count"):
            facts.append("单位构成")  # "包括哪些单位", "有几个单位": which units the 部门's budget covers
        prev_cue = kinds.get("cue", "")
        if "dockind" in kinds:
            doc_kinds.append(kinds["dockind"])
        elif any(kd in kinds for kd in SUBJECT_KINDS):
            # "三公经费预算": a subject word that is another subject word + a kind word names that kind too
            for w, kd in terms.get("dockind").items():
                if len(tok) > len(w) + 1 and key(tok).endswith(w) and v.words.get(key(tok)[: -len(w)]):
                    doc_kinds.append(kd)
                    break
        if any(kd in kinds for kd in SUBJECT_KINDS):
            mentions.append(Mention(tok, k, tuple(entries), "exact", pos))
        pos += len(tok)
    flush_run()

    # "路北分局", "开平公安分局": an unknown name written right before the stored unit's short name is another
    # unit of the same kind, never this one
    # a place of the unit's own name (丰南卫健局, 路南中学) names that unit: read, never another unit
    for i in range(1, len(seq)):
        if seq[i][0] == "n" and seq[i - 1][0] == "u" and any(
                _own_place(v, u, seq[i - 1][1]) == len(seq[i - 1][1]) for kd, u in v.words.get(key(seq[i][1]), ())
                if kd == "unit"):
            leftovers = [lo for lo in leftovers if lo != seq[i - 1][1]]
            seq[i - 1] = ("w", seq[i - 1][1])
    named = next((seq[i - 1][1] + seq[i][1] for i in range(1, len(seq))
                  if seq[i][0] == "n" and seq[i - 1][0] == "u" and len(seq[i - 1][1]) >= 2
                  and not any(v.words.get(ch) for ch in seq[i - 1][1])), "")  # a name holds no particle (上班都经过)
    if named and not refuse:
        names = _units_held(v)
        refuse, refuse_status = f"库中没有“{named}”的预算文件（现有：{names}）", "not_found"
        missing = named
    # "办公用车、警车这些汽车", "高清球机、配电箱之类的通用设备": words listed right before 这些/之类 and a
    # subject are its examples, never subjects or unread words of their own
    for i in range(1, len(seq) - 1):
        if seq[i][0] == "d" and seq[i - 1][0] == "u" and seq[i + 1][0] == "s":
            seq[i - 1] = ("e", seq[i - 1][1])
            leftovers = [lo for lo in leftovers if lo != seq[i - 1][1]]
    # "公车开销，就是开车的钱": a clause opened by 就是 names again what the clause before it meant — its
    # subjects replace that clause's, never add to them
    for at in restate_at:
        end = next((i for i in range(at, len(stripped)) if stripped[i] in ",，。?？!！;；"), len(stripped))
        start = max((i + 1 for i, ch in enumerate(stripped[:at - 1]) if ch in ",，。?？!！;；"), default=0) if at else 0
        if any(at <= m.pos < end for m in mentions):
            mentions = [m for m in mentions if not start <= m.pos < at]
    # "给退休老同志的钱（退休费）": a subject in brackets is the document's own name for the words before it —
    # those words are read as it (its subjects replace theirs, what nobody read there is accounted for)
    for pm in _NAMED_IN_BRACKETS.finditer(tok_text):
        a, b = _stripped_pos(tok_text, pm.start(1)), _stripped_pos(tok_text, pm.end(1))
        inside = [m for m in mentions if a <= m.pos and m.pos + len(m.text) <= b and key(m.text) == key(pm.group(1))]
        if not inside:
            continue
        at = _stripped_pos(tok_text, pm.start())
        start = max((i + 1 for i, ch in enumerate(stripped[:at]) if ch in ",，。?？!！;；"), default=0)
        before = stripped[start:at]
        if any(start <= m.pos < at for m in mentions):
            continue  # X names a subject itself (电梯的电费（电费）: 电梯 narrows it; 水费（电费）: two subjects)
        leftovers = [lo for lo in leftovers if lo not in before]
        seq = [("w", t) if kind == "u" and t in before else (kind, t) for kind, t in seq]
    for at in deixis_at:
        start = max((i + 1 for i, ch in enumerate(stripped[:at]) if ch in ",，。?？!！;；的"), default=0)
        if any(m.pos >= at for m in mentions):  # the list runs back to the clause's start or a 的
            mentions = [m for m in mentions if not start <= m.pos < at]
    # a code stands for its row as its name does: it is placed among the subjects before the words written
    # after it are read (2040220支出合计 is 执法办案支出合计: that row's total, never a second subject 支出总计)
    for c, at in code_at:
        label = v.codes.get(c) or _std_name(c) or ""
        mentions.append(Mention(c, key(label) if label else c, (("code", c),), "code", _stripped_pos(text, at)))
    mentions.sort(key=lambda m: m.pos)
    mentions = _one_name(mentions, stripped)
    mentions = _total_of_subject(mentions, stripped, cues)
    before = {x for m in mentions for x in m.targets("column")}
    mentions, sides = _sides_asked(mentions, toks, v)
    after = {x for m in mentions for x in m.targets("column")}
    columns = [c for c in columns if c in after or c not in before]  # a column read in a name now read whole
    for a, b, labels in subunits:  # a subordinate unit's row: a subject, read as its rows
        said = question[a:b] if len(question) == len(text) else key(labels[0])
        if len(labels) > 1 and unit_names:  # of the 部门 the question names (疾控中心 of two counties' 卫健局)
            labels = tuple(lab for lab in labels if v.subunits.get(lab) in unit_names) or labels
        if len(labels) > 1 and not refuse:
            refuse, refuse_status = f"“{said}”可能是：{'、'.join(labels)}。请说明是哪一个单位", "ambiguous"
        kinds = tuple(dict.fromkeys(e for lab in labels for e in v.words.get(key(lab), ()) if e[0] == "row"))
        if not kinds:
            continue
        at, end = _stripped_pos(text, a), _stripped_pos(text, b)
        mentions.append(Mention(said, key(labels[0]), kinds, "exact", at))
        # "疾控中心收入合计", "疾控中心的总支出": a grand total written right after the unit is its row's own
        # total on that side (the 收入总表's or the 支出总表's 合计), never the 部门's total beside it
        for m in list(mentions):
            targets = m.targets("alias", "row", "total")
            gap = stripped[end:m.pos] if m.pos >= end else "和"
            if not _SUBJECTS_APART.search(gap) and not any(end <= o.pos < m.pos for o in mentions) and targets \
                    and all(t in _GRAND for t in targets) and all(k in ("alias", "row", "total", "neutral") for k, _ in m.kinds):
                mentions.remove(m)
                cues.add("total")
                sides_of = {side_named(t) for t in targets} - {""}
                if len(sides_of) == 1:
                    tables.append(sides_of.pop() + "总表")
    mentions.sort(key=lambda m: m.pos)
    exclude, exclude_by = _exclude_span(stripped, mentions, op_pos, circ_marks, circ_ops)
    if remainder and exclude is None:
        refuse = refuse or remainder
    if unknown_units and not refuse:
        names = _units_held(v)
        refuse, refuse_status = f"库中没有“{unknown_units[0]}”的预算文件（现有：{names}）", "not_found"
        missing = unknown_units[0]
    if year is None and year_rel is not None and v.latest_year:
        year = v.latest_year + year_rel
    year_rels = _all_year_rels(text, terms, year_rels)
    if refuse == "chat":
        return Intent(question, text, "refuse", refuse="我只回答关于单位预算公开文件的问题", refuse_status="out_of_scope")
    if refuse:
        return Intent(question, text, "refuse", subjects=tuple(mentions), refuse=refuse, refuse_status=refuse_status,
                      unit_missing=missing if refuse_status == "not_found" else "")

    mq = re.search(r"(?:多少|几)(个月|个工作日|平方米|人次|批次|小时|[个台辆套件人次天月年条根名项所箱间册本张把部])", text)
    if mq and not any(len(w) == n and v.words.get(key(w)) for n in range(len(mq.group(1)) + 1, 5)
                      for w in (text[mq.start(1):mq.start(1) + n],)):
        measure = mq.group(1)  # never the first character of a longer word (多少人民币)
    if measure and re.search(r"(多少|几)" + re.escape(measure), text) and measure in _COUNTABLE and "数量" not in columns:
        columns.append("数量")
    for m in mentions:
        end = m.pos + len(m.text)
        if m.has("row", "alias", "std", "item") and text[end:end + 1] in ("量", "率", "价", "度") and \
                not v.words.get(key(text[m.pos:end + 2])) and \
                not any(v.words.get(text[end:end + n]) for n in (2, 3, 4)):  # 价值, 度数 are words of their own
            return Intent(question, text, "refuse", subjects=tuple(mentions),
                          refuse=f"文件只有“{m.text}”的预算金额，没有它的用量、单价或费率", refuse_status="not_found")
    month = _MONTH.search(text)
    if month and not _AS_OF.search(text[:month.start()]):  # (截至2024年12月的…: a point in time, not a month's spending)
        return Intent(question, text, "refuse", subjects=tuple(mentions), refuse="文件只有全年{kind}，没有分月、分季度的数",
                      refuse_status="out_of_scope")
    if op is not None and op[0] == "refuse":
        return Intent(question, text, "refuse", subjects=tuple(mentions),
                      refuse="文件里没有这样算的依据（如人数、开方等），只能给出文件列出的数和简单的加减乘除",
                      refuse_status="out_of_scope")
    mentions, leftovers = _loose_project(text, mentions, leftovers, v)
    for lo in leftovers:
        # "罚款收入", "房屋出租收入": an unknown word right before a subject narrows it to something the
        # document does not have — never answered with the broader subject's figure
        hit = next((m for m in mentions if len(m.text) <= 2 and set(m.targets("alias", "total", "row")) & _BROAD
                    and (lo + m.text) in text), None)
        if hit is not None and len(lo) >= 2:
            return Intent(question, text, "refuse", subjects=tuple(mentions), leftover=tuple(leftovers),
                          refuse=f"文件中没有“{lo}{hit.text}”", refuse_status="not_found")
    if "科室所队" in facts and re.search(r"(派出所|大队|中队|科室|股室|处室|所队)的?.{0,6}(费|经费|支出|预算|多少钱)", text):
        # "派出所的电费": a part of the unit — the budget is published for the unit as a whole
        return Intent(question, text, "refuse", subjects=tuple(mentions),
                      refuse="预算按单位公开，文件没有内设机构单独的数", refuse_status="not_found")
    # "2100409重大公共卫生", "执法办案（2040220）": a name written with a code, its label or part of it, is the code's
    # row — one subject, never two to add
    mentions = [m for m in mentions if m.how == "code" or not any(
        c.how == "code" and m.has("row", "std", "alias")
        and any(k in c.key for k in [m.key] + [key(t) for t in m.targets("row", "std", "alias")]) for c in mentions)]
    what = _what(text, cues, mentions, columns, facts, codes, year, v, topn, set(doc_kinds))
    if exclude is not None and what in ("figure", "exclude", "sum") and not cues & {"list", "each", "count"}:
        what = "exclude"  # one figure left: Y − X (a list of what is left, "各多少", is no single figure)
    if op is not None and what == "avg" and op_span is not None and "每" in text[op_span[0]:op_span[1]]:
        op = None  # "每个月一套多少钱": a price per item asked per period — checked, never divided (answers._price_per_unmet)
    elif op is not None and what in ("yoy", "avg", "count", "text"):
        what = "figure"  # "增加10%后", "每月" are operations on this year's figure
    if depts and what not in ("fact", "list", "count", "glossary", "text", "reason"):
        return Intent(question, text, "refuse", subjects=tuple(mentions),
                      refuse=f"预算按单位公开，文件没有“{depts[0]}”单独的数", refuse_status="not_found")
    change = what == "yoy" and bool(re.search(r"比|较|相比|增加|减少|增长|下降|变化|增减|多了|少了|百分之|%", text))
    leftovers = _own_name_words(leftovers, unit_names, v)
    for name in unit_names:
        docs = [d for d in v.docs if d.unit_name == name]
        if change:
            pick = docs  # a change is read in the unit's latest document
        elif year is not None and year_rel is None:
            pick = [d for d in docs if d.year == year] or docs
        elif year_rel is not None and docs:
            latest = max(d.year for d in docs)
            pick = [d for d in docs if d.year == latest + year_rel] or docs
            if len(unit_names) == 1 and not years:
                year = latest + year_rel  # 今年 of the unit named: its latest document's year, not another unit's
        else:
            pick = docs
        if pick:
            d = max(pick, key=lambda x: (x.year, x.id))
            unit_docs.append(d.id)
    unit_doc = unit_docs[0] if len(unit_docs) == 1 else (unit_docs[-1] if unit_docs else None)
    # a shared name (公安分局) beside the unit's own name (第7分局) is that unit; alone, it leaves a choice
    choices = next((owners for owners in shared if not set(owners) & set(unit_names)), [])
    followup = bool(cues & {"followup"}) or (not mentions and bool(columns or year_rel is not None or cues))
    # "彩票公益金那个科目2296002": words that describe the code's own row are explained by it
    leftovers = [lo for lo in leftovers if not any(m.how == "code" and key(lo) in m.key for m in mentions)]
    return Intent(
        question=question, text=text, what=what, subjects=tuple(mentions), tables=tuple(dict.fromkeys(tables)),
        columns=tuple(dict.fromkeys(columns)), cues=frozenset(cues), money_unit=money_unit, measure=measure,
        year=year, year_rel=year_rel, years=tuple(dict.fromkeys(years)),
        year_rels=tuple(dict.fromkeys(year_rels)), unit_doc=unit_doc,
        unit_docs=tuple(unit_docs), unit_choices=tuple(choices) if not unit_docs else (), op=op, topn=topn,
        numbers=numbers, codes=tuple(codes),
        facts=tuple(dict.fromkeys(facts)), leftover=tuple(leftovers), followup=followup,
        unread=tuple(dict.fromkeys(_unread_beside_subjects(seq, leftovers) + _unread_conjuncts(text, leftovers)
                                   + _unread_in_note(text, seq) + tuple(_TABLE_NO.findall(question)))),
        exclude=exclude, exclude_by=exclude_by if exclude else "",
        ops=tuple(o for o in dict.fromkeys(ops) if not any(o[0] in text_ for kind, text_ in seq if kind == "u")),
        doc_kinds=tuple(dict.fromkeys(doc_kinds)), sides=sides,
    )


_CLAUSE = lazyre.compile(r"[^,，。?？!！;；]+")
# a note in brackets ending the question ("…是多少（含上年结转）", "…？（单位：元）")
_NOTE_AFTER = lazyre.compile(r"\(([^()]{1,40})\)[?？!！。]*$")
# a name in brackets right after words (X（Y）): Y may be the document's own name for X
_NAMED_IN_BRACKETS = lazyre.compile(r"(?<=[\u4e00-\u9fff])\(([\u4e00-\u9fff]{2,20})\)")
# a clause that asks something, or says what an earlier clause meant ("我是说电梯用的"), is never an aside
_ASKS = lazyre.compile(r"多少|几|哪|什么|啥|吗|呢|是否|怎么|为何|为啥|说的是|指的是|问的是|我是说|我指|是指")


def _asides(text: str, terms: Terms) -> str:
    """Blank the clauses that tell about the asker (lexicon kind ``narrate``: 我是…, 我家…, 我看新闻说…, 平时…)
    and ask nothing, when another clause carries the question: they hold no subject of the budget."""
    narrate = terms.get("narrate")
    if not narrate:
        return text
    clauses = list(_CLAUSE.finditer(text))
    if len(clauses) < 2:
        return text
    out = text
    for c in clauses:
        body = c.group(0).strip()
        if _ASKS.search(body) or not any(body.startswith(w) for w in narrate):
            continue
        out = out[:c.start()] + " " * (c.end() - c.start()) + out[c.end():]
    return out if out.strip(" ,，。?？!！;；") else text


def _longest_word(v: Vocab, text: str, i: int) -> int:
    """The length of the longest vocabulary word that starts at ``text[i]`` (0: none)."""
    return next((n for n in range(min(12, len(text) - i), 1, -1) if v.words.get(key(text[i:i + n]))), 0)


def _years_out(text: str, v: Vocab) -> str:
    """The years written (2024年, 2025年度), read by ``_YEAR``, blanked before the tokens are cut: the words after a
    year start after it, never with its 年 (2024年收支总计 is never 年收|支总计). A word the vocabulary knows that begins
    at that 年 and reads further than any word after it is left whole (2025年初预算: 年初预算; 2023年终奖)."""
    for m in _YEAR.finditer(text):
        at, n = m.end(1), m.end() - m.end(1)  # 年 or 年度
        whole = _longest_word(v, text, at)
        if whole > n and whole > _longest_word(v, text, at + n):
            n = 0
        # (blanked with a mark the tokenizer keeps apart: a space would be glued to the word after it)
        text = text[:m.start(1)] + "#" * (at - m.start(1) + n) + text[at + n:]
    return text


def _money_unit_out(text: str) -> str:
    """The money unit asked (多少万元, （单位：元）), read by ``_MONEY_ASK``, blanked with the words that say a unit
    follows, as the years are: 少花了多少万元 is never 少|花了|多少万|元."""
    mm = _MONEY_ASK.search(text)
    if mm is None:
        return text
    at = next(i for i in (1, 2, 3) if mm.group(i))
    lead = _UNIT_LEAD.search(text, 0, mm.start(at))
    a, b = lead.start() if lead else mm.start(at), mm.end(at)
    return text[:a] + "#" * (b - a) + text[b:]


def _stripped_pos(text: str, i: int) -> int:
    """Where position ``i`` of ``text`` lands once the tokenizer's dropped characters are removed."""
    return i - sum(text[:i].count(c) for c in "()、")


def _circumfix(text: str, v: Vocab) -> tuple[str, list[tuple[str, str]], list[tuple[str, int, int]]]:
    """Operators written around their subject (除X以外, 除了X之外, 除X外) or after it (X以外的, X之外的),
    from lexicon/operators.tsv: their words are blanked out of the text and read as operators.
    Returns the text, the operators read, and where each one's subject stands: ("in", start, end) between
    opener and closer, ("before", closer, closer) right before an after-word."""
    ops: list[tuple[str, str]] = []
    marks: list[tuple[str, int, int]] = []
    for opener, closer, word, op in v.terms.circumfixes:
        start = 0
        while True:
            if opener:
                m = re.compile(re.escape(opener) + r"([^,，。?？!！;；\s]{1,24}?)" + re.escape(closer)).search(text, start)
            else:
                m = re.compile(r"(?<=[\u4e00-\u9fff])()" + re.escape(closer)).search(text, start)
            if m is None:
                break
            c0 = m.end() - len(closer)
            if any(len(w) > len(closer) and w.startswith(closer) and v.words.get(key(w))
                   for w in (text[c0:c0 + n] for n in range(2, 7))):
                start = m.start() + 1  # 外 of 外交支出: a word of its own, not the closer
                continue
            o0 = m.start()
            text = text[:o0] + " " * len(opener) + text[o0 + len(opener):c0] + " " * len(closer) + text[m.end():]
            ops.append((word, op))
            marks.append(("in", m.start(1), m.end(1)) if opener else ("before", c0, c0))
            start = m.end()
    return text, ops, marks


# what joins the subjects of one list: 水费、电费和取暖费
_CONJ = frozenset({"", "和", "及", "与", "以及", "跟", "同", "还有"})


def _run(text: str, ms: list[Mention], i: int, step: int) -> list[Mention]:
    """The subjects joined into one list with ms[i] (和/及/与, or nothing between), going forward or back."""
    out = [ms[i]]
    j = i
    while 0 <= j + step < len(ms):
        a, b = (ms[j], ms[j + step]) if step > 0 else (ms[j + step], ms[j])
        if b.pos < a.pos + len(a.text) or text[a.pos + len(a.text):b.pos].strip() not in _CONJ:
            break
        j += step
        out.append(ms[j])
    return out


def _one_name(mentions: list[Mention], text: str) -> list[Mention]:
    """"工资、福利": words of one list that are all parts of the name one of them stands for (工资福利支出) are
    that one subject, never a second subject to add."""
    ms = sorted(mentions, key=lambda m: m.pos)
    drop: set[int] = set()
    for i, a in enumerate(ms):
        names = [t for k, t in a.kinds if k in ("alias", "row", "std") and "|" not in t and key(a.text) in key(t)]
        if not names:
            continue
        for b in ms:
            lo, hi = sorted((a, b), key=lambda m: m.pos)
            gap = text[lo.pos + len(lo.text):hi.pos]
            if b is a or len(gap) > 2 or re.search(r"[,，。?？!！;；]", gap):
                continue  # one list: nothing but a conjunction or a verb (发工资、发福利) between
            if len(b.text) >= 2 and key(b.text) != key(a.text) and any(key(b.text) in key(t) for t in names):
                drop.add(id(b))
    return [m for m in mentions if id(m) not in drop]


# a grand total's name (预算总额 is 收入总计); written right after a subject it asks that subject's total
_GRAND = frozenset({"收入总计", "支出总计", "本年收入合计", "本年支出合计", "合计", "总计"})
# what may stand between a subject and a word about it (its total, its side): 的, 科目 — the subject said to be a 科目
# (执法办案科目的, 2040220科目: the code's brackets are dropped before tokens are cut), a word pointing back at it (这个科目,
# 该科目), 号 after a code, and the kind (群众文化决算支出合计, 执法办案的预算支出)
_ABOUT_GAP = lazyre.compile(r"(?:号|这个|那个|该|此)?(?:科目)?的?(?:预算|决算)?")


def _total_of_subject(mentions: list[Mention], text: str, cues: set[str]) -> list[Mention]:
    """"城乡社区支出预算总额", "农林水支出总计": a grand-total word written right after a subject (nothing, or 的,
    between) qualifies that subject — it asks the subject's own total, never adds the grand total as a second figure."""
    drop: set[int] = set()
    ms = sorted(mentions, key=lambda m: m.pos)
    for a, b in zip(ms, ms[1:]):
        if not b.kinds or any(k not in ("alias", "row", "total") or t not in _GRAND for k, t in b.kinds):
            continue
        if not a.has("row", "std", "alias", "item", "project", "stmt", "belongs", "code") or \
                all(t in _GRAND for k, t in a.kinds if k in ("alias", "row", "total")) and a.has("row", "alias", "total"):
            continue
        if _ABOUT_GAP.fullmatch(text[a.pos + len(a.text):b.pos]):
            drop.add(id(b))
            cues.add("total")
    return [m for m in mentions if id(m) not in drop]


SIDES = {"收入": "支出", "支出": "收入"}  # the two sides of a budget and each one's other


def swap_side(name: str, side: str) -> str:
    """The name on the other side: 一般公共预算拨款收入 → …支出, 收入总计 → 支出总计; a name of no side gets it added."""
    other = SIDES[side]
    got = re.sub(other + r"(总计|合计|总额)?$", side + r"\1", name)
    return got if got != name else name + side


def side_named(name: str) -> str:
    """The side a name says it is on by its last word (…收入, …支出总计), else ""."""
    m = re.search(r"(收入|支出)(?:总计|合计|总额)?$", name)
    return m.group(1) if m else ""


def side_names(m: Mention, side: str) -> list[str]:
    """The names a subject with a side word after it may be on that side: as written with the word added, and each
    name it is read as on that side — swapped when that name is on the other side (一般公共预算拨款 → 一般公共预算拨款收入
    → …支出), never when the question itself wrote the other side (其他收入支出 is the spending of 其他收入, not the
    其他支出 row)."""
    turn = swap_side if not side_named(m.text) else (lambda t, sd: t + sd)
    return [m.text + side] + [turn(t, side) for k, t in m.kinds if k in ("alias", "row", "std", "stmt") and "|" not in t]


def _named_by_code(m: Mention, v: Vocab) -> Mention:
    """A code's mention as the name of its row would be read (2040220 → 执法办案, with every reading of that name)."""
    label = v.codes.get(m.text) or _std_name(m.text) or ""
    entries = v.words.get(key(label)) if label else None
    return Mention(label, key(label), tuple(entries), "exact", m.pos) if entries else m


def _sides_asked(mentions: list[Mention], toks: list[str], v: Vocab) -> tuple[list[Mention], tuple[tuple[str, str], ...]]:
    """"一般公共预算拨款支出", "上年结转的收入": a side word (收入/支出) written as a word of its own right after a
    subject (nothing, or 的, between) asks that side of it — never dropped as a filler. Where the vocabulary
    names the subject on that side (its reading with the other side word swapped, or with the side word added:
    基金拨款 → 政府性基金预算拨款收入 → 政府性基金预算拨款支出), the two words are read as that name; otherwise
    the side is kept for the answer to meet or refuse (answers._side_unmet)."""
    at: dict[int, str] = {}
    p = 0
    for t in toks:
        at[p] = t
        p += len(t)
    out: list[tuple[str, str]] = []
    for i, m in enumerate(list(mentions)):
        end = m.pos + len(m.text)
        gap = ""
        while (nxt := at.get(end + len(gap))) and _ABOUT_GAP.fullmatch(gap + nxt):
            gap += nxt
        tok = at.get(end + len(gap)) or ""
        if tok[:2] in ("预算", "决算") and tok[2:4] in SIDES:
            gap, tok = gap + tok[:2], tok[2:]  # 城管执法预算收入, 执法办案的预算支出: one token, the kind and the side
        side = tok[:2]
        if side not in SIDES or tok != side and not all(k == "alias" and t in _GRAND for k, t in v.words.get(key(tok), ())):
            continue  # a side word, or one glued to a total word (收入合计, 支出一共: the grand total's aliases)
        named = m if m.how != "code" else _named_by_code(m, v)  # a code is read as its row's name is
        entries = next((e for e in (v.words.get(key(n)) for n in side_names(named, side))
                        if e and any(k in SUBJECT_KINDS and k != "column" for k, _ in e)), None)
        side_at = end + len(gap)
        if entries is None:
            out.append((m.text, side))
            if tok == side:  # the side word is the subject's, carried by Intent.sides: never a subject (支出总计) too
                # (nor the kind and the side, one token after 的 or 科目: 204科目预算支出)
                mentions[:] = [x for x in mentions
                               if not (end <= x.pos <= side_at and x.pos + len(x.text) == side_at + len(side))]
            continue
        if m.how != "code":  # (a code keeps its own reading: its row, by code)
            mentions[i] = Mention(m.text + gap + tok, key(m.text + gap + side), tuple(entries), m.how, m.pos)
        mentions[:] = [x for x in mentions if not end <= x.pos <= side_at]  # (预算支出: the kind and the side, one token)
    return mentions, tuple(dict.fromkeys(out))


_NEGATE_WHOLE = frozenset({"不是", "不属于", "并非", "不包括在"})


def _exclude_span(text: str, mentions: list[Mention], op_pos: list[tuple[str, str, int]],
                  marks: list[tuple[str, int, int]], circ_ops: list[tuple[str, str]]) -> tuple[tuple[int, int] | None, str]:
    """Where the excluded subjects stand: between 除 and 以外, the list right before 以外/之外, the list right
    after 去掉/不含/扣除, or after 不是 when a whole is named too ("不是电费的公用经费")."""
    ms = sorted(mentions, key=lambda m: m.pos)
    for (kind, a, b), (word, op) in zip(marks, circ_ops):
        if op != "exclude":
            continue  # …(款): a level written after its subject, nothing taken out
        if kind == "in":
            if any(a <= m.pos < b for m in ms):
                return (a, b), word
        else:
            before = [i for i, m in enumerate(ms) if m.pos + len(m.text) <= a and not text[m.pos + len(m.text):a].strip()]
            if before:
                run = _run(text, ms, before[-1], -1)
                return (min(m.pos for m in run), a), word
    for word, op, at in op_pos:
        if op not in ("exclude", "negate") or (op == "negate" and word not in _NEGATE_WHOLE):
            continue
        end = at + len(word)
        after = [i for i, m in enumerate(ms) if m.pos >= end]
        if not after:
            continue
        run = _run(text, ms, after[0], 1)
        last = run[-1]
        span = (end, last.pos + len(last.text))
        if op == "negate" and not any(not (span[0] <= m.pos < span[1]) for m in ms):
            continue  # 不是电费的: nothing it is taken out of
        return span, word
    return None, ""


_NUMERAL_RUN = lazyre.compile(r"[零〇一二两三四五六七八九十百千万几]+[个项名位台辆套件条笔次年天大]?")
# words that tie a span to a subject: "电梯的电费", "电费里电梯用的", "用于食堂的水费"
_LINKS = frozenset({"的", "之", "里", "中", "里面", "当中", "用于", "用在", "用到", "部分", "方面", "是"})


def _own_name_words(leftovers: list[str], unit_names: list[str], v: Vocab) -> list[str]:
    """"普陀区三公经费", "宜川的电费": a word no list holds that is part of a unit's own name names that unit — the
    units named (every one of them holds it), or, none named, the one unit of the store that holds it (it is
    then named) or every unit (a place they share). A word some units hold and others not is left unread."""
    out = []
    for lo in leftovers:
        if len(lo) < 2:
            out.append(lo)
            continue
        if unit_names:
            if all(lo in norm(n) for n in unit_names):
                continue
            out.append(lo)
            continue
        by_char, full = _full_names(v)
        holders = sorted(u for u in _holding(lo, by_char) if lo in full[u])
        if len(holders) == 1:
            unit_names.append(holders[0])
        elif not holders or len(holders) < len(full):
            out.append(lo)
    return out


# "表3里X": a table named by its number in the document — not read (the store keeps titles, not numbers), so it
# can never be dropped: the turn is refused naming it
_TABLE_NO = lazyre.compile(r"(?<![代报列图])表\s*[0-9０-９]+(?:\s*[-－—]\s*[0-9０-９]+)?")


def _unread_conjuncts(text: str, leftovers: list[str]) -> tuple[str, ...]:
    """Coverage: a span nobody read joined by 和/与/及/跟/同/、 to what was read ("建管委和城管的电费加起来") is one of
    the things asked about; answering the other alone drops it."""
    return tuple(lo for lo in dict.fromkeys(leftovers) if len(lo) >= 2 and re.search(
        f"[和与及跟同、]{re.escape(lo)}|{re.escape(lo)}[和与及跟同、]", text))


def _unread_in_note(text: str, seq: list[tuple[str, str]]) -> tuple[str, ...]:
    """Coverage: a note in brackets after the question ("电费是多少（电梯用的）") is about what was asked, its words read
    as they would be beside the subject — a column or a unit there is read (基本支出, 单位：元), a span nobody read
    narrows what was asked as "电梯用的电费" does."""
    note = _NOTE_AFTER.search(text)
    if note is None:
        return ()
    inner = note.group(1)
    # (a span may begin before the bracket: 元星际 of 多少万元（星际）, a one-character word taken into the span)
    return tuple(t for kind, t in seq if kind == "u" and (t in inner or any(t.endswith(inner[:k])
                                                                            for k in range(1, len(inner) + 1))))


def _unread_beside_subjects(seq: list[tuple[str, str]], leftovers: list[str]) -> tuple[str, ...]:
    """Coverage: the spans nobody read that stand beside a subject (only link words such as 的/里/用于
    between): they narrow or change the subject ("电梯的电费", "电费里空调用的"), so the subject's own
    figure is not the answer. A span a later step explained (a loosely named project) is not counted."""
    out: list[str] = []
    for i, (kind, text) in enumerate(seq):
        if kind != "u" or (len(text) >= 2 and text not in leftovers):
            continue
        if len(text) >= 2 and i + 1 < len(seq) and seq[i + 1][1].startswith(("多少钱", "多少万", "多少元", "几万")):
            out.append(text)  # "买书花多少钱": what the money is for, right before the question for money
            continue
        for step in (-1, 1):
            j = i + step
            # (a side word is the subject's own: 群众文化支出电梯 narrows 群众文化 as 群众文化的电梯 does)
            while 0 <= j < len(seq) and (seq[j][0] == "l" or seq[j][0] != "s" and seq[j][1] in SIDES):
                j += step
            if 0 <= j < len(seq) and seq[j][0] == "s":
                out.append(text)
                break
    return tuple(dict.fromkeys(out))


_NUM = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+)"
_OPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"开方|平方(?!米|公里)|立方(?!米)|次方|对数|每人|每名|人均|每个科室|每个人"), "refuse"),
    (re.compile(r"一半"), "half"),
    (re.compile(r"翻一番"), "x2"),
    (re.compile(r"翻两番"), "x4"),
    (re.compile(_NUM + r"分之" + _NUM), "frac"),
    (re.compile(r"打" + r"([一二两三四五六七八九\d]{1,2})" + r"折"), "discount"),
    (re.compile(r"(?:增加|提高|上涨|增长)" + _NUM + r"\s*%"), "up"),
    (re.compile(r"(?:减少|降低|下降|压减)" + _NUM + r"\s*%"), "down"),
    (re.compile(r"(?:增加|提高|增长)百分之" + _NUM), "up"),
    (re.compile(r"(?:减少|降低|下降)百分之" + _NUM), "down"),
    (re.compile(r"(?:乘以|乘|[x×X*])\s*" + _NUM), "mul"),
    (re.compile(_NUM + r"倍"), "mul"),
    (re.compile(r"(?:除以|[÷/])\s*" + _NUM), "div"),
    (re.compile(r"的\s*" + _NUM + r"\s*%"), "pct"),
    (re.compile(r"的?百分之" + _NUM), "pct"),
    (re.compile(r"的?" + r"([一二两三四五六七八九\d])" + r"成"), "tenth"),
    (re.compile(r"(?:加上|加)\s*" + _NUM + r"\s*万"), "add"),
    (re.compile(r"(?:减去|减掉|减)\s*" + _NUM + r"\s*万"), "sub"),
    (re.compile(r"(?:平均)?每个?月"), "per12"),
    (re.compile(r"(?:平均)?每(?:一)?天|(?:平均)?每日"), "per365"),
    (re.compile(r"(?:平均)?每周"), "per52"),
    (re.compile(r"(?:平均)?每(?:个)?季度"), "per4"),
)


def _num(s: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    n = _cn_int(s)
    return float(n) if n is not None else None


def _op(text: str) -> tuple[str, float] | None:
    return _op_span(text)[0]


def _op_span(text: str) -> tuple[tuple[str, float] | None, tuple[int, int] | None]:
    """An arithmetic operation applied to the figure asked about (一半, 乘以2, 两倍, 除以12, 的10%, 加上1万元,
    翻一番, 打八折, 一成, 每月) and where it is; ("refuse", 0) for one this tool does not do (开方, 每人)."""
    for rx, kind in _OPS:
        m = rx.search(text)
        if not m:
            continue
        return _op_value(kind, m), m.span()
    return None, None


def _op_value(kind: str, m: re.Match[str]) -> tuple[str, float]:
    """The (operation, argument) a matched operation phrase stands for."""
    if kind == "refuse":
        return ("refuse", 0.0)
    if kind == "half":
        return ("div", 2.0)
    if kind in ("x2", "x4"):
        return ("mul", float(kind[1]))
    if kind.startswith("per"):
        return ("div", float(kind[3:]))
    if kind == "frac":
        den, num = _num(m.group(1)), _num(m.group(2))
        return ("mul", num / den) if den and num is not None else ("refuse", 0.0)
    n = _num(m.group(1))
    if n is None:
        return ("refuse", 0.0)
    if kind == "discount":
        return ("mul", n / 10 if n < 10 else n / 100)
    if kind == "tenth":
        return ("mul", n / 10)
    if kind == "pct":
        return ("mul", n / 100)
    if kind == "up":
        return ("mul", 1 + n / 100)
    if kind == "down":
        return ("mul", 1 - n / 100)
    return (kind, n)


# a month asked (3月份, 12月的 — also 2024年12月的: an annual 预算 or 决算 has no month's figure)
_MONTH = lazyre.compile(r"(?<![\d.])(\d{1,2}|[一二三四五六七八九十]{1,3})月份|(?<![\d.])(\d{1,2})月的|每?(\d{1,2})月(?:底|末)?(?:的)?(?:支出|花)")
_AS_OF = lazyre.compile(r"(?:截至|截止|截止到|到)\s*(?:(?:19|20)\d{2}年)?$")
_CN_YEAR = lazyre.compile(r"([〇零一二三四五六七八九]{4})(?=年)")
_SHORT_YEAR = lazyre.compile(r"(?<![\d.≥≤<>=])(1[5-9]|[23]\d)(?=年(?!限|内|以|左右|间))")
_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _all_year_rels(text: str, terms: Terms, seen: list[int]) -> list[int]:
    """Every relative year word in the text, in order ("去年和今年"), even where the tokenizer glued one
    to its neighbour; words the lexicon marks neutral (上年结转, 本年收入合计) are not years."""
    words = terms.get("year")
    if not words:
        return seen
    scan = text
    for n in sorted(terms.get("neutral"), key=len, reverse=True):
        scan = scan.replace(n, "#" * len(n))
    pat = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    found = [int(words[m.group(0)]) for m in pat.finditer(scan)]
    return found if len(set(found)) > len(set(seen)) else seen


def _spelled_years(text: str) -> str:
    """二〇二四年 / 24年 -> 2024年 (a year however people write it; 3年 as a duration is left alone)."""
    text = _CN_YEAR.sub(lambda m: m.group(1).translate(_CN_YEAR_DIGITS), text)
    return _SHORT_YEAR.sub(lambda m: "20" + m.group(1), text)


def _std_code(code: str) -> bool:
    return _std_name(code) is not None


def _std_name(code: str) -> str | None:
    try:
        from .lexicon import load

        s = load().by_code.get(code)
        return s.name if s else None
    except Exception:  # noqa: BLE001
        return None


def _what(text: str, cues: set[str], mentions: list[Mention], columns: list[str], facts: list[str],
          codes: list[str], year: int | None, v: Vocab, topn: int | None, doc_kinds: set[str] = frozenset()) -> str:
    """Decide what kind of answer the question wants, from its cue words (most specific first)."""
    # "比预算少多少" in a question about one subject compares its 决算 with its 预算
    against = "预算" in doc_kinds and re.search(r"(比|较|与|和)(年初)?预算(数)?.{0,4}(多|少|高|低|差|相差)", text)
    if "reason" not in cues and (against or "exec" in cues or ({"预算", "决算"} <= {k.rstrip("?") for k in doc_kinds} and (
            {"diff", "pct", "share"} & cues or re.search(r"比.{0,8}(多|少|高|低)|差|相差|哪个更?(多|少|大|小|高|低)", text)))):
        return "exec"  # 执行率, 超支, "决算比预算少多少": 决算 against 预算
    has_gloss = any(m.has("gloss") for m in mentions)
    if re.search(r"哪个(更)?(多|少|大|小|高|低)|哪一个(更)?(多|少|大|小|高|低)|谁(更)?(多|少|大|小|高|低)|哪项(更)?(多|少)", text) \
            and len(mentions) >= 2:
        return "compare"
    if re.search(r"(几|多少)倍", text) and len(mentions) >= 2:
        return "ratio"
    if ("exclude" in cues or re.search(r"除.{1,12}(以外|之外|外)", text)) and len(mentions) >= 2:
        return "exclude"
    if "reason" in cues:
        return "reason"
    if "采购物品名称" in columns and not any(m.has("item", "project", "row") for m in mentions) \
            and not ({"max", "min"} & cues or topn):
        # "政府采购都买了些什么": which items, with no item or project named, is the list of items
        return "list"
    if "each" in cues and len(mentions) >= 2:
        return "each"
    if "glossary" in cues and (has_gloss or mentions):
        return "glossary"
    if "pct" in cues and ({"up", "down", "change"} & cues) and _AGAINST_YEAR.search(text):
        # "收入支出总计比2023年下降了百分之几": the rate of a change, never a share of two sides of one total
        return "yoy"
    if ("share" in cues and not _PART_MONEY.search(text)) or ("pct" in cues and len(mentions) >= 2):
        return "share"
    if "pct" in cues:
        return "yoy"
    if "avg" in cues or re.search(r"(多少钱?|多少万元?|几万元?)(一|每)(辆|台|套|个|件|箱|张|把|部)|(一|每)(辆|台|套|个|件|箱|张|把|部)(多少|几)", text):
        return "avg"
    limit = bool(re.search(r"最(多|少|长|短|快|迟|晚)(要|能|可以|不超过)?(多少|几)(?!钱|万|元)", text))
    if ("max" in cues or "min" in cues or (topn and re.search(r"前[一二两三四五六七八九十\d]", text))) and not limit:
        # "最多多少天出具" asks a limit (a 绩效 target), not the largest of several
        return "rank"
    # a column or count word ("几套", "单价") is not a second subject to add up
    subj = [m for m in mentions if not (m.has("column") and set(m.targets("column")) <= {"数量", "单价", "计量单位"}
                                        and not m.has("row", "item", "std", "alias", "stmt", "project", "total", "code",
                                                      "belongs"))]
    if ("sum" in cues or "total" in cues) and len(subj) >= 2 and not re.search(r"其中", text):
        return "sum"
    if ("diff" in cues or re.search(r"比.{1,20}(多|少|高|低)(多少|了多少|几)", text)) and len(subj) >= 2 \
            and not re.search(r"比(上年|去年|上一年|前一年|\d{4}年)", text):
        return "diff"
    if "list" in cues and has_gloss and re.search(r"包括|包含", text):
        return "glossary"
    if "change" in cues and re.search(r"(?:什么|哪些)变化|变化(?:如何|怎样|怎么样|情况)", text):
        return "yoy"  # "取暖费有什么变化": the change, never a list of its parts nor its definition
    if "list" in cues:
        return "list"
    if ("code" in cues or re.search(r"(在|属于|是|归)哪(个|一|类)?(个)?(功能|经济)?(分类)?科目|什么科目", text)) and not codes:
        return "code_of"
    if year is not None and v.latest_year and year != v.latest_year:
        return "yoy"
    if ("up" in cues or "down" in cues or "change" in cues) and re.search(r"(比|较|相比|同比|与).{0,8}(年|上年|去年)|(增加|减少|增长|下降|变化|增减|上涨|涨|降)了?多少|同比.{0,2}(增|减|降|涨|变)", text):
        return "yoy"
    if "when" in cues:
        return "text"
    generic_org = set(facts) <= {"科室所队"} and not ({"list", "count"} & cues or re.search(r"几|多少个|哪些", text))
    if facts and not generic_org and not any(m.has("row", "item", "total") for m in mentions) \
            and not re.search(r"钱|预算|元|金额|经费|费用|工资|补贴|奖金|支出", text):
        return "fact"
    if "count" in cues and not any(m.has("item") for m in mentions):
        return "count"
    if "what" in cues and has_gloss and not re.search(r"多少|几|\d", text) and len(mentions) == 1:
        return "glossary"
    if "what" in cues and not re.search(r"多少|几", text):
        return "text"
    return "figure"


# a comparison with another year: 比2023年, 较上年, 与去年相比, 同比
_AGAINST_YEAR = lazyre.compile(r"(?:比|较|相比|与|和|跟)\s*(?:(?:19|20)?\d{2}\s*年度?|上年|去年|上一年|前一年)|同比")

# "A里B占多少钱": the amount of the part, not its share
_PART_MONEY = lazyre.compile(r"占了?(?:多少钱|多少万元?|几万元?|多少元)")


def _loose_project(text: str, mentions: list[Mention], leftovers: list[str], v: Vocab) -> tuple[list[Mention], list[str]]:
    """"资产清查经费" / "政府采购监管经费" / "一体化系统建设花了多少": a project named loosely.

    Every unknown span must be made of the project name's own characters, the question must share at
    least three character pairs with it, and one project must fit best; the words it explains (政府采购,
    经费) are then that project, not subjects of their own."""
    spans = [lo for lo in leftovers if len(lo) >= 2]
    if not spans or not v.projects:
        return mentions, leftovers
    qk = key(text)
    qb = {qk[i:i + 2] for i in range(len(qk) - 1)}
    best: list[tuple[int, str]] = []
    for pk, name in v.projects.items():
        if not all(sum(ch in pk for ch in lo) >= 0.8 * len(lo) for lo in spans):
            continue
        pb = {pk[i:i + 2] for i in range(len(pk) - 1)}
        n = len(qb & pb)
        if n >= 3:
            best.append((n, pk))
    if not best:
        return mentions, leftovers
    top = max(n for n, _ in best)
    winners = {pk for n, pk in best if n == top}
    if len(winners) != 1:
        return mentions, leftovers
    pk = winners.pop()
    kept = [m for m in mentions if not (m.text and all(ch in pk for ch in key(m.text)) and not m.has("column"))]
    pos = min([text.find(lo) for lo in spans if text.find(lo) >= 0] or [0])
    kept.append(Mention(v.projects[pk], pk, tuple(v.words.get(pk, (("project", v.projects[pk]),))), "fuzzy", pos))
    kept.sort(key=lambda m: m.pos)
    return kept, [lo for lo in leftovers if lo not in spans]
