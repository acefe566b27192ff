"""Figures the narrative states: one Statement per subject mention.

A sentence (up to 。！？) is cut into clauses at ，；. In a clause every money figure (万元/亿元/元)
is either a *value* (``一般公共预算拨款4327.18万元``) or, when a change word stands right before it,
a *change* (``较2022年减少843.38万元``); a percent after a change word is the change in percent.
``较/比/与 2022年|上年`` names the base year; ``与上年持平`` is a change of 0. The subject of a value is
the text before the figure back to the last delimiter, stripped of years, the unit's self-references
(我局（本级）, the unit name), 其中/包括 and verbs (安排/为/共计). A change with no subject of its own
belongs to the sentence's last statement — or, when its year differs (``2023年较2022年减少5万元``
after ``2022年的日常公用经费197万元``), to a new statement on the same subject whose base is that one.
A change alone in a sentence (``与2022年相比增长2.32%``) is about the paragraph's topic: the first
subject of the paragraph before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from .model import Statement
from .narrative import Paragraph, numbering
from .subjects import ORDINAL_RE

SENT_RE = re.compile(r"[^。！？!?]+[。！？!?]?")
# a clause ends at ，；; — and at a "," that is no thousands separator (49,376万元 is one figure)
CLAUSE_SPLIT_RE = re.compile(r"[，；;]|,(?!\d{3}(?!\d))")
# a figure starts where a run of digits starts (the look-behind) and is at most 24 digits/commas and
# 6 decimals long: without both, a line of 30 000 digits is tried from every digit, each try running
# to the end of the run (quadratic: a minute for 30 kB). No budget figure is longer.
FIG_RE = re.compile(r"(?<![\d,.])(\d[\d,]{0,23}(?:\.\d{1,6})?)(?![\d,.])\s*(万元|亿元|元|%|％)")
CHANGE_WORD_RE = re.compile(r"(增加|增长|提高|上升|多|减少|下降|降低|减|压减|节约)\s*(?:了)?\s*$")
BASE_RE = re.compile(r"(?:较|比|与|同)\s*(上年|上一年|去年|(\d{4})\s*年)(?:度)?(?:同期)?(?:预算)?(?:相比|比较)?")
FLAT_RE = re.compile(r"持平")
YEAR_RE = re.compile(r"(\d{4})\s*年(?:度)?")
UP = {"增加", "增长", "提高", "上升", "多"}
DELIM_RE = re.compile(r".*[：:、，,；;]")
REASON_RE = re.compile(r"原因|由于|因为|是因")
PRIOR_YEAR_RE = re.compile(r"^(?:上年末|上年底|上一年末)")
MAX_SUBJECT = 20
# a statement quotes its sentence; a "sentence" longer than this (a run-on line with no 。) is quoted
# by the clause that states the figure, so N mentions in one 100 kB line do not store N × 100 kB
MAX_SENTENCE = 300
LEAD_RE = re.compile(r"^(?:\d{4}\s*年(?:度)?(?:的)?|本年度?|今年|我(?:局|单位|部门|委|办|院|中心)(?:[（(]本级[)）])?|"
                     r"本单位|本部门|其中|包括|主要包括|具体包括|共计|合计|安排|预算安排|的|了|\s)+")
TRAIL_RE = re.compile(r"(?:共计安排|预算安排|共安排|安排|共计|合计|预算数|为|是|达到|达|约|(?<!总)计|各)+$")
# "…事业单位（局本级、卫生监督所）机关运行经费预算122.40万元": a list in brackets says whose the figure is — an
# aside, never where the subject starts (its 、 is no delimiter)
LISTED_ASIDE_RE = re.compile(r"[（(][^（）()]*[、，,][^（）()]*[)）]")
# "收、支总计4549.31万元", "水、电费": one character before a 、 — the two sides 收、支 anywhere, any other after the
# clause's start, a year or 的 — shares the words after it: the subject is 收支总计, never 支总计 (an ordinal 一、
# is no such character)
SHARED_TAIL_RE = re.compile(r"(^|[：:，,；;\s]|年度?|的)([^\d\s一二三四五六七八九十、，,；;：:（）()])、(?=[\u4e00-\u9fff])"
                            r"|()(收)、(?=支)")
GENERIC = {"", "计", "共计", "合计", "安排", "其中", "包括"}


@dataclass
class _Stmt:
    subject: str
    value: float | None
    unit: str
    year: int | None
    change_dir: str | None = None
    change: float | None = None
    change_pct: float | None = None
    base_year: int | None = None
    base_value: float | None = None
    sentence: str = ""
    line: int = 0


def _quote(st: _Stmt, sentence: str) -> str:
    """The sentence a statement quotes: whole when short, else the clause that names its subject."""
    if len(sentence) <= MAX_SENTENCE:
        return sentence
    at = max(sentence.find(st.subject), 0) if st.subject else 0
    start = max(sentence.rfind(c, 0, at) for c in "，,；;") + 1
    ends = [e for e in (sentence.find(c, at + len(st.subject)) for c in "，,；;") if e >= 0]
    end = min(ends, default=len(sentence))
    return sentence[start:min(end, start + MAX_SENTENCE)]


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def _clean_subject(text: str, unit_name: str) -> str:
    s = text
    if unit_name:
        s = s.replace(unit_name, "")
        s = s.replace(unit_name.replace("(", "（").replace(")", "）"), "")
        short = re.sub(r"^.{1,6}?[省市]", "", unit_name)  # 普陀区…局 for 上海市普陀区…局
        if len(short) >= 4:
            s = s.replace(short, "")
    s = LISTED_ASIDE_RE.sub("", s)
    s = SHARED_TAIL_RE.sub(lambda m: (m.group(1) or "") + (m.group(2) or m.group(4)), s)
    m = DELIM_RE.match(s)
    if m:
        s = s[m.end():]
    num = numbering(s)
    if num:
        s = s[num[2]:]
    s = BASE_RE.sub("", s)
    for _ in range(3):
        s = LEAD_RE.sub("", s)
        s = TRAIL_RE.sub("", s).strip()
    s = re.sub(r"\s*[（(](?:以|按)[^（）()]{2,}[)）]$", "", s)  # a note on the figure: 政府采购金额（以合同签订为准）
    if len(s) > MAX_SUBJECT and (who := re.match(r".*(?:单位|部门)", s)) and len(s) - who.end() >= 2:
        s = s[who.end():]  # "行政单位和参照公务员法管理事业单位机关运行经费预算": whose it is, then what it is
    if len(s) >= 6 and re.search(r"(?:支出|收入)预算$", s):
        s = s[:-2]  # 一般公共预算拨款支出预算 → 一般公共预算拨款支出 (the figure is a budget anyway)
    return s.strip("“”\"' ") if s.count("“") != s.count("”") else s.strip()


def _plain_subject(clause: str, unit_name: str) -> str:
    """A clause without money (``（一）公务用车购置及运行维护费``, ``高清球机38台``) as a subject."""
    s = re.sub(r"\d+(?:\.\d+)?\s*[个台辆套件张把条根块间处项只部座名人次]?", "", clause)
    s = _clean_subject(s, unit_name)
    return s if 1 < len(s) <= 24 else ""


def extract(paras: list[tuple[int, Paragraph]], doc_year: int, unit_name: str,
            skip_sections: set[int] | frozenset[int] = frozenset()) -> list[Statement]:
    out: list[Statement] = []
    topic = ""  # the first subject of the last paragraph that stated a figure
    for seq, p in paras:
        if seq in skip_sections:
            continue
        para_first = ""
        plain = ""
        for sm in SENT_RE.finditer(p.text):
            sentence = sm.group(0).strip()
            if not sentence:
                continue
            if not FIG_RE.search(sentence) and not FLAT_RE.search(sentence):
                ps = _plain_subject(sentence.rstrip("。！？!?"), unit_name)
                plain = ps or plain
                continue
            sent_year: int | None = None
            stmts: list[_Stmt] = []
            reason = False
            for clause in CLAUSE_SPLIT_RE.split(sentence.rstrip("。！？!?")):
                base = BASE_RE.search(clause)
                base_year = None
                if base:
                    base_year = doc_year - 1 if base.group(2) is None else int(base.group(2))
                figs = list(FIG_RE.finditer(clause))
                if not figs:
                    if FLAT_RE.search(clause) and stmts:
                        st = stmts[-1]
                        if st.change_dir is None:
                            st.change_dir, st.change = "持平", 0.0
                            st.base_year = st.base_year or base_year or doc_year - 1
                        continue
                    ps = _plain_subject(clause, unit_name)
                    if YEAR_RE.fullmatch(clause.strip()):
                        sent_year = int(YEAR_RE.fullmatch(clause.strip()).group(1))  # type: ignore[union-attr]
                    plain = ps or plain
                    continue
                pos = 0
                rm = REASON_RE.search(clause)
                for f in figs:
                    if reason or (rm is not None and rm.start() < f.start()):
                        break  # figures inside a stated reason are not about the subject at hand
                    before = clause[pos:f.start()]
                    pos = f.end()
                    unit = "%" if f.group(2) in "%％" else f.group(2)
                    number = _num(f.group(1))
                    cw = CHANGE_WORD_RE.search(before)
                    if cw:
                        direction = "增加" if cw.group(1) in UP else "减少"
                        subj_text = before[: cw.start()]
                        subj_text = BASE_RE.sub("", subj_text)
                        ym = YEAR_RE.search(subj_text)
                        own_year = int(ym.group(1)) if ym else None
                        subject = _clean_subject(subj_text, unit_name)
                        if CHANGE_WORD_RE.fullmatch(subject):
                            subject = ""  # "比2025年预算增加增加27.45万元": a doubled change word is no subject
                        target: _Stmt | None = None
                        if subject and subject not in GENERIC and len(subject) <= MAX_SUBJECT:
                            target = _Stmt(subject, None, "万元" if unit == "%" else unit,
                                           own_year or sent_year or doc_year, sentence=sentence, line=p.line)
                            stmts.append(target)
                        elif stmts and (own_year is None or own_year == stmts[-1].year):
                            target = stmts[-1]
                        elif stmts:
                            prev = stmts[-1]
                            target = _Stmt(prev.subject, None, prev.unit, own_year, sentence=sentence, line=p.line)
                            if base_year == prev.year:
                                target.base_value = prev.value
                            stmts.append(target)
                        else:
                            subj = topic
                            if not subj:
                                continue
                            target = _Stmt(subj, None, "万元", own_year or doc_year, sentence=sentence, line=p.line)
                            stmts.append(target)
                        if unit == "%":
                            if target.change_pct is not None:
                                continue
                            target.change_pct = number
                        else:
                            if target.change is not None and target.change_dir != "持平":
                                continue
                            target.change = number
                        target.change_dir = direction
                        if base_year is not None:
                            target.base_year = base_year
                        elif target.base_year is None and target.year is not None:
                            target.base_year = target.year - 1
                        continue
                    if unit == "%":
                        continue  # a bare percent (a rate, a target) is not a budget figure
                    ym = YEAR_RE.search(before)
                    if ym:
                        year = int(ym.group(1))
                        if sent_year is None:
                            sent_year = year
                    else:
                        year = sent_year or doc_year
                    subject = _clean_subject(before, unit_name)
                    if subject.startswith("每") and plain:
                        subject = f"{plain}({subject})"
                    elif subject in GENERIC:
                        subject = plain
                    if not subject or len(subject) > MAX_SUBJECT:
                        continue
                    if PRIOR_YEAR_RE.match(subject) and not ym:
                        year = doc_year - 1
                    st = _Stmt(subject, number, unit, year, sentence=sentence, line=p.line)
                    stmts.append(st)
                    if not para_first:
                        para_first = subject
                if rm is not None:
                    reason = True
                if FLAT_RE.search(clause[pos:]) and stmts and stmts[-1].change_dir is None:
                    st = stmts[-1]
                    st.change_dir, st.change = "持平", 0.0
                    st.base_year = base_year or (st.year - 1 if st.year else None)
            for st in stmts:
                out.append(Statement(seq, st.subject, st.value, st.unit, st.year, st.change_dir, st.change,
                                     st.change_pct, st.base_year, st.base_value, _quote(st, sentence),
                                     st.line))
        if para_first:
            topic = para_first
    return out


# ---------------------------------------------------------------- a 决算's narrative: 决算数 against 年初预算

NUM = r"(\d[\d,]*(?:\.\d+)?)"
# "年初预算为 511.66 万元，支出决算为 457.86 万元[，完成年初预算的 88.32%]"
AGAINST_BUDGET_RE = re.compile(rf"(?:年初预算|(?<=支出)预算)(?:数)?(?:为|是)?\s*{NUM}\s*万元\s*[，,]\s*(?:当年)?(?:支出)?决算(?:数)?(?:为|是)?\s*"
                               rf"{NUM}\s*万元(?:\s*[，,]\s*完成(?:年初)?预算(?:数)?的\s*{NUM}\s*[%％])?")
# "公务接待费支出决算为 0.40 万元，完成预算的 18.96%" (a part of a total stated just before)
PART_DONE_RE = re.compile(rf"([^，,；;：:。]{{2,30}}?)(?:支出)?决算(?:数)?(?:为|是)?\s*{NUM}\s*万元\s*[，,]\s*完成(?:年初)?预算"
                          rf"(?:数)?的\s*{NUM}\s*[%％]")
# "1、文化旅游体育与传媒支出（类）文化和旅游（款）行政运行（项）", "“一般公共服务（类）…（项）”": the
# classification path a subject item is introduced by (two levels or more)
ITEM_RE = re.compile(r"((?:[^（）()。；;，,“”：:]+?\s*[（(]\s*(?:类|款|项)\s*[)）]\s*){2,})")
LEVEL_NAME_RE = re.compile(r"([^（）()“”]+?)\s*[（(]\s*(?:类|款|项)\s*[)）]")
REASON_TEXT_RE = re.compile(r"(?:主要原因|原因)(?:是|为)?\s*[：:]?\s*([^。：:\s][^。]*)")
FLAT_SENTENCE_RE = re.compile(r"决算数与预算数持平|与年初预算持平")


def extract_final(paras: list[tuple[int, Paragraph]], doc_year: int,
                  skip_sections: set[int] | frozenset[int] = frozenset()) -> list[Statement]:
    """A 决算's comparisons with its own year's budget: one Statement per "年初预算为 B 万元，支出
    决算为 A 万元" (value A, ``base_value`` B, ``basis`` 年初预算, the change A − B, ``completion_pct``
    when "完成年初预算的 N%" is stated, and the reason the text gives: "…的主要原因：…"). The subject is
    the text before 年初预算 (一般公共预算财政拨款支出, “三公”经费财政拨款支出) or, for a numbered subject
    item ("5、文化旅游体育与传媒支出（类）文化和旅游（款）群众文化（项）。主要用于…"), its last level's
    name (群众文化); the sentence quoted starts with the item's path."""
    out: list[Statement] = []
    for seq, p in paras:
        if seq in skip_sections:
            continue
        # a section's lines were wrapped anywhere: joined without a gap (a list item starts a line)
        text = re.sub(r"\n(?=\s*\d+\s*[、.．](?!\d))", "。", p.text)  # "1." starts an item, "2679.66" goes on
        text = re.sub(r"[ \t]*\n[ \t]*", "", text)
        items = [(m.start(1), m.group(1)) for m in ITEM_RE.finditer(text)]
        spans: list[tuple[int, int]] = []
        for m in AGAINST_BUDGET_RE.finditer(text):
            spans.append((m.start(), m.end()))
            b, a = _num(m.group(1)), _num(m.group(2))
            pct = float(m.group(3)) if m.group(3) else None
            lead = text[max(text.rfind("。", 0, m.start()), text.rfind("；", 0, m.start())) + 1:m.start()]
            subject = _final_subject(lead)
            if len(levels := LEVEL_NAME_RE.findall(subject)) >= 2:
                subject = levels[-1].strip()  # "农林水支出（类）水利（款）防汛（项）：年初预算为…": the item is 防汛
            since = spans[-2][1] if len(spans) > 1 else 0
            item = next((path for at, path in reversed(items) if since <= at < m.start()), "")
            if not subject and item:
                names = LEVEL_NAME_RE.findall(item)
                subject = names[-1].strip() if names else ""
            if not subject:
                continue
            end = text.find("。", m.end())
            nxt_item = next((at for at, _ in items if at > m.end()), len(text))
            tail = text[m.end():min(nxt_item, len(text))]
            reason = ""
            rm = REASON_TEXT_RE.search(tail)
            if rm is not None and rm.start() < 200:
                reason = rm.group(1).strip()
            elif FLAT_SENTENCE_RE.search(tail[:60]):
                reason = ""
            sentence = text[max(0, text.rfind("。", 0, m.start()) + 1):(end + 1 if end >= 0 else len(text))].strip()
            item = re.sub(r"^\s*\d+\s*[、.．]\s*", "", item).strip()
            if item and not sentence.startswith(item.strip()[:6]):
                sentence = f"{item.strip()}：{sentence}"
            diff = round(a - b, 6)
            direction = "持平" if abs(diff) < 0.005 else "增加" if diff > 0 else "减少"
            out.append(Statement(seq, subject, a, "万元", doc_year, direction, abs(diff), None, doc_year, b,
                                 sentence[:MAX_SENTENCE], p.line, "年初预算", pct, reason))
        for m in PART_DONE_RE.finditer(text):
            subject = _final_subject(m.group(1))
            if not subject or any(a < m.end() and m.start() < b for a, b in spans):
                continue
            out.append(Statement(seq, subject, _num(m.group(2)), "万元", doc_year, None, None, None, doc_year, None,
                                 m.group(0)[:MAX_SENTENCE], p.line, "年初预算", float(m.group(3)), ""))
    return out


def _final_subject(lead: str) -> str:
    s = lead
    while ORDINAL_RE.match(s):  # "（三）1、" …
        s = ORDINAL_RE.sub("", s, count=1)
    s = s.strip(" ，,：:；;")
    if "情况" in s:  # a heading run into its paragraph: "…决算具体情况一般公共预算财政拨款支出"
        s = s.rsplit("情况", 1)[1]
    s = re.sub(r"^(?:其中|另外|此外)\s*[：:，,]?", "", s)
    s = re.sub(r"^\d{4}\s*年(?:度)?(?:的)?\s*", "", s)  # "2024年度一般公共预算财政拨款支出年初预算为…": the year is no subject
    s = re.sub(r"(?:支出)?$", "", s) if s.endswith("支出支出") else s
    return s if 1 < len(s) <= MAX_SUBJECT + 10 and not re.search(r"\d", s) else ""


FINAL_GENERIC = frozenset({"年初预算", "支出决算", "决算", "预算", "支出预算", "决算数", "预算数"})


# the kind a 决算 sentence names after its subject: "公务接待费支出决算减少为 0.00 万元", "“三公”经费财政拨款支出
# 年初预算为 21.00 万元", "当年支出决算为 213.10 万元" — words of the sentence, not of the subject
FINAL_TAIL_RE = re.compile(r"(?:决算数?|年初预算数?)(?:增加|减少|增长|下降)?$")
# "…支出增加的主要原因是…" / "主要原因：…": a reason, and the subject it names (if any)
YEAR_REASON_RE = re.compile(r"(?:^|[，,；;])\s*([^，,；;。]*?)(?:的)?主要原因(?:是|为|：|:)\s*([^。]+)")
CHANGE_TAIL_RE = re.compile(r"(?:支出)?(?:决算数?)?(?:增加|减少|增长|下降|上升|降低)$")


def against_year_before(statements: list[Statement], doc_year: int,
                        paras: list[tuple[int, Paragraph]] = (),  # type: ignore[assignment]
                        finals: Sequence[Statement] = ()) -> list[Statement]:
    """A 决算's other statements: a change against the year before is against that year's 决算
    (``basis`` 上年决算), with the reason the paragraph gives for it ("主要原因：基本支出增加", or "X增加的
    主要原因是…" for the statement about X); the halves of a "年初预算为…，支出决算为…" sentence read one by
    one (subject 年初预算 / 支出决算) are dropped — ``extract_final`` states them whole — and a subject
    loses the kind words the sentence put after it (公务接待费支出决算减少 → 公务接待费支出). With ``finals``
    (``extract_final``'s): "“三公”经费支出预算为17.00万元，支出决算为14.12万元，…，比2023年度15.84万元减少1.73万元"
    read one by one gives the subject its budget (17.00: dropped, the final states it whole) and the change
    against 2023 to 支出决算 (given to the final's subject)."""
    def final_of(st: Statement) -> Statement | None:
        mine = _plain(st.sentence)
        return next((f for f in finals if mine and (mine in _plain(f.sentence) or _plain(f.sentence) in mine)), None)

    out = []
    for st in statements:
        final = final_of(st) if finals else None
        if final is not None and st.change_dir is None and st.value == final.base_value and \
                re.sub(r"支出$", "", st.subject) == re.sub(r"支出$", "", final.subject):
            continue  # the budget half of a sentence extract_final states whole
        if st.subject in FINAL_GENERIC:
            if final is None or st.change_dir is None or st.base_year is None or st.base_year >= doc_year:
                continue
            st = replace(st, subject=final.subject)  # the change against the year before is the final's subject's
        if "情况" in st.subject and not st.subject.endswith("情况"):
            st = replace(st, subject=st.subject.rsplit("情况", 1)[1])
        if re.search(r"年初预算数?$", st.subject) and st.change_dir is None:
            continue  # "…年初预算为 21.00 万元" alone: the budget half of a sentence extract_final states whole
        subject = re.sub(r"^当年", "", FINAL_TAIL_RE.sub("", st.subject))
        if subject in FINAL_GENERIC or subject in ("支出", ""):
            continue
        st = replace(st, subject=subject)
        if st.base_year is not None and st.base_year < doc_year:
            st = replace(st, basis="上年决算")
        out.append(st)
    return _year_reasons(out, paras)


def _plain(sentence: str) -> str:
    return re.sub(r"\s+", "", sentence)


def _year_reasons(statements: list[Statement], paras: list[tuple[int, Paragraph]]) -> list[Statement]:
    """The reason a paragraph gives for a change against the year before, on the statement it explains:
    the one it names ("公务用车购置及运行维护费支出增加的主要原因是…"), else the statements of the sentence
    just before ("…收入支出总计增加 90.09 万元，增长 1.94%。主要原因：基本支出增加。")."""
    out = list(statements)
    for seq, p in paras:
        text = re.sub(r"[ \t]*\n[ \t]*", "", p.text)
        sentences = [m.group(0) for m in SENT_RE.finditer(text)]
        for i, sent in enumerate(sentences):
            m = YEAR_REASON_RE.search(sent)
            if m is None or re.search(r"决算数?(?:大于|小于|高于|低于|等于|与)", sent[: m.end(1) + 4]):
                continue  # 决算数小于预算数的主要原因: extract_final's
            named = CHANGE_TAIL_RE.sub("", re.sub(r"^\d{4}\s*年度?", "", m.group(1).strip()))
            reason = m.group(2).strip()
            before = sentences[i - 1] if i else ""
            for k, st in enumerate(out):
                if st.section_seq != seq or st.basis != "上年决算" or st.reason:
                    continue
                if named and len(named) >= 2:
                    a, b = re.sub(r"支出$", "", st.subject), re.sub(r"支出$", "", named)
                    hit = a == b or (a.endswith(b) or b.endswith(a)) and min(len(a), len(b)) >= 4
                else:
                    hit = bool(before) and st.sentence.endswith(before.strip()[-30:])
                if hit:
                    out[k] = replace(st, reason=reason)
    return out
