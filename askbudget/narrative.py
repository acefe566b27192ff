"""The narrative: reasons (为什么 -> the clause that states the reason, citing its section), the
机构设置 facts, 名词解释, and quoting a section a question names.
"""
from __future__ import annotations

import functools
import re
import sqlite3
from typing import Any, Sequence

from . import lazyre
from .answer import Answer, Citation, Item
from .parse import SIDES, Intent, side_named
from .plan import asks_non_money, _bigrams, Context, fmt, _lcs, _REASON_MARK, Resolver, _SENT_SPLIT, _STOP_BIGRAMS
from .vocab import DocInfo, FILLER_CLASSES, key


# "是什么钱/什么资金/哪来的钱/用途": what a sum of money is; a sentence stating it reads "…万元为/系/用于…"
_NATURE_ASKED = lazyre.compile(r"什么(钱|资金|款|经费|收入)|哪(来|里来)的|来源|用途|干什么用|做什么用|来自哪")
_NATURE_STATED = lazyre.compile(r"\d万元?(为|系|是|主要是|主要用于|用于)|(?:收入|资金|结转|经费)(?:主要)?(?:为|系|来自|来源于|用于)(?!\s*\d)")


# what a money subject's name ends with when it names the thing the money is for (公务用车|购置及运行维护费)
_MONEY_TAIL = lazyre.compile(r"(?:购置及运行维护|运行维护|购置)?(?:费|经费|费用|支出)$")
# a figure a clause of the narrative states: "编报绩效目标的项目14个", "政府采购服务预算518.18万元", "合同工期490天"
_CLAUSE_FIGURE = lazyre.compile(r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?)\s*(万元|个|辆|天|家|台（套）|台\(套\)|台|套|批次|人次|人|名|项|公里|平方米|米)")
# "“…(类)…(款)群众文化(项)”3,482.83万元，主要用于…": what a 功能分类 subject's money is for, as the 编制说明 lists it
_PURPOSE_ITEM = lazyre.compile(r"([^“”\"＂()（）\s]{1,40}?)[(（][类款项][)）][”\"＂]?\s*[\d,，.]+\s*万元[，,；;]?\s*((?:主要)?用于[^。\n]*)")
# a question asking what money is for
PURPOSE_ASKED = lazyre.compile(r"用于什么|用于哪|用在哪|用在什么|用来(?:做|干)|做什么用|干什么|干啥|干嘛|有什么用|用途|用场|花在哪|花在什么")
# a figure that is a change from another year
_CHANGE_FROM = lazyre.compile(r"(?:比|较|与|同)(?:19|20)\d{2}年")
# a sentence that states a whole and then its parts: "共有车辆63辆，其中：…"
_WHOLE_THEN_PARTS = lazyre.compile(r"^[^其]*?\d[\d,.]*\s*\S{0,3}[，,]\s*其中")
# a clause naming the budget a 决算 compares with (年初预算为, 调整预算数, 预算为): not the 决算 figure itself
_BUDGET_FIGURE = lazyre.compile(r"(?:年初|调整后?)预算|预算数|预算为|预算是|预算安排")
_CLAUSE_SPLIT = lazyre.compile(r"[，；;。：:（）()]|,(?!\d{3})")
# words of a question that say nothing about which figure ("有几个", "是多少", "安排了多少"), and the vocabulary
# kinds that carry no subject: what is left must be found in the clause
_NO_CONTENT = lazyre.compile(r"多少|几|是|有|吗|呢|了|一共|共|总共|合计|请问|安排|打算|计划|情况|具体|大概|请|一下|的")
_NAMING_KINDS = frozenset({"column", "row", "alias", "std", "stmt", "project", "item", "gloss", "total"})
_SUBJECT_KINDS = frozenset({"row", "alias", "std", "stmt", "item", "total"})
_NO_CONTENT_KINDS = frozenset({"filler", "year", "money", "measure", "unitword", "dockind", "chat", "unit", *FILLER_CLASSES})
# the narrative's own framing of a figure: dropped from a clause's name before it is compared
_CLAUSE_FRAME = lazyre.compile(r"^(其中|截至\S*?日|本部门|本项目|本年度|部门)|预算|的|为$|是$|共有$|共$|达$")


def _pieces(run: str, hay: str) -> list[str]:
    """``run`` cut into the longest pieces ``hay`` contains, left to right ("真如海心剧院精装修工程总投资" against a
    heading and a sentence → 真如海心剧院精装修工程, 总投资); a character hay lacks is left out."""
    out, i = [], 0
    while i < len(run):
        j = len(run)
        while j > i and run[i:j] not in hay:
            j -= 1
        if j == i:
            i += 1
            continue
        out.append(run[i:j])
        i = j
    return out


class NarrativeMixin(Resolver):
    """Answers quoted from the text of the document."""

    def _shortened(self, text: str) -> str:
        """A matching key of narrative text with the phrases it writes in full in their usual short form
        (lexicon kind ``short``: 小型和微型企业 → 小微企业), so a question's 小微企业 finds the sentence."""
        for full, short in self.v.terms.get("short").items():
            text = text.replace(full, key(short))
        return text

    def _unit_cut(self, text: str, doc: int) -> str:
        """``text`` without the unit's own name: a form the store knows, or the full name less its first places
        (普陀区城市管理行政执法局 of 上海市普陀区城市管理行政执法局)."""
        forms = _unit_forms(self.docs[doc].unit_name, self.docs[doc].keys)
        for k in forms:
            if k in text:
                return text.replace(k, "")
        return text

    def _names_another(self, head: str, asked: str) -> bool:
        """Whether ``head`` — a clause's name after its last 的, what its figure is of — holds a subject the
        vocabulary knows that ``asked`` does not name ("…行政执法机构财政拨款的机关运行经费预算为507.25万元" is the
        机关运行经费's figure: "机构设置" is not asking it)."""
        q = key(asked)
        return any(len(k := key(tok)) >= 2 and k not in q and any(kd in _SUBJECT_KINDS for kd, _ in self.v.words.get(k, ()))
                   for tok in self.v.tokens(head))

    def _question_words(self, it: Intent, doc: DocInfo) -> tuple[list[str], list[str], list[str], bool]:
        """The question's content for the clause matcher: its runs of content characters (the unit, years, question
        words and fillers left out; full phrases in their short form), the fillers that may name the passage (采购),
        the names the vocabulary knows among the content (matched whole), and whether it asks what is bought."""
        text = it.text
        for k in sorted(doc.keys + (key(doc.unit_name),), key=len, reverse=True):
            text = text.replace(k, " ")
        text = re.sub(r"\d{4}年度?|今年|本年|明年", " ", text)
        runs, run = [], ""
        soft: list[str] = []  # words that carry no subject but may name the passage (采购 of 政府采购服务预算)
        buy = self.v.terms.get("buy")
        buying = False
        atoms: list[str] = []  # a name the vocabulary knows is matched whole or not at all (小微企业 is not 中小企业)
        for tok in self.v.tokens(text):
            k = key(_NO_CONTENT.sub("", tok)).replace("预算", "")
            kinds = {kd for kd, _ in self.v.words.get(key(tok), ())}
            buying = buying or key(tok) in buy
            measure = any(kd == "measure" for kd, _ in self.v.words.get(k, ()))  # 辆 of 多少辆
            filler = "filler" in kinds and kinds <= _NO_CONTENT_KINDS | {"cue"}  # 这个 (a filler and a follow-up cue)
            if not k or (kinds and (kinds <= _NO_CONTENT_KINDS or filler) and (len(tok) >= 2 or "measure" in kinds)) \
                    or key(tok) in buy \
                    or not re.search(r"[\u4e00-\u9fff]", k) or _NO_CONTENT.fullmatch(tok) or measure:
                runs, run = runs + ([run] if run else []), ""
                if len(k) >= 2 and "filler" in kinds:
                    soft.append(k)
            else:
                run += k
                if len(k) >= 2 and kinds & _NAMING_KINDS:
                    atoms.append(self._shortened(k))
        runs += [run] if run else []
        runs = [self._shortened(r) for r in runs]
        return runs, soft, atoms, buying

    def _clause_figure(self, it: Intent, docs: list[int]) -> tuple[Answer, Context] | None:
        """A figure only a clause of the narrative states, no table and no statement subject naming it whole
        ("有几个项目编报了绩效目标" → "编报绩效目标的项目14个"; "采购服务的预算" → "政府采购服务预算518.18万元").
        Every content word of the question must be in the clause's sentence or its section's heading (in pieces
        of two characters or more: 小微 is not 小型, 电费 is not 邮电费), the clause's name (the words after the figure
        before it) must hold the most of them (ties with another figure: no answer — unless one is the whole the
        others are parts of), and the measure must be the one asked (个/辆/天 for a count, 万元 for money; a count
        bought from a purchase). Quoted with its section; a figure a table prints too is the table's
        (narrative_figures)."""
        if len(docs) != 1 or it.what not in ("figure", "total", "count", "text", "yoy") or len(it.unit_docs) > 1:
            return None  # one document's clause; a question about two units is never one unit's sentence
        # another year asked is answered only by a clause that names that year ("2025年安排建设资金5000万元")
        other_year = f"{it.year}年" if it.year not in (None, self.docs[docs[0]].year) else ""
        if it.what == "yoy" and not other_year:
            return None
        # a project named: its own sections (headed by its name) say its figures, whatever their clauses are called
        projects = [key(t) for m in it.subjects for t in m.targets("project")]
        doc = self.docs[docs[0]]
        runs, soft, atoms, buying = self._question_words(it, doc)
        buy = self.v.terms.get("buy")
        asked = it.measure or ("" if asks_non_money(it.text) else "万元")  # "" = a count of any kind
        # "有几辆车": the one character after the measure names the thing counted; any other word needs two or more
        thing = re.search(rf"(?:多少|几){re.escape(asked)}([\u4e00-\u9fff])", it.text) if asked not in ("", "万元") else None
        thing_run = thing.group(1) if thing and thing.group(1) in runs else ""
        need = 1 if thing_run and sum(len(r) for r in runs if r != thing_run) < 2 else 2
        if sum(len(r) for r in runs) < need:
            return None
        # the side asked (收入/支出 after a subject, or ending its name): a clause of the other side never answers
        asked_sides = {sd for _, sd in it.sides} | {side_named(key(m.text)) for m in it.subjects} - {""}
        other_sides = {SIDES[sd] for sd in asked_sides} - asked_sides
        best: list[tuple[int, int, str, sqlite3.Row, str, str, float, bool]] = []
        for s in self.sections(docs):
            # each sentence (to its ；) with the whole sentence so far (since its 。): "拟购置…，包括：台式计算机20台…；
            # 便携式计算机8台…" buys both; "…公务用车购置费0万元。…国内公务接待26批次" buys nothing
            for sent, para in ((x, "".join(ps[_sentence_start(ps, i): i + 1])) for line in (s["text"] or "").split("\n")
                               for ps in [_SENT_SPLIT.split(line)] for i, x in enumerate(ps)):
                hay = self._shortened(key(sent + (s["path"] or ""))).replace("预算", "")
                if not all(c in hay for r in runs for c in r):
                    continue
                if asked not in ("", "万元") and buying != any(w in key(para) for w in buy):
                    continue  # a count bought ("打算买几辆车") is read from a purchase, a count held from what is held
                parts_at = sent.find("其中") if _WHOLE_THEN_PARTS.search(sent) else -1
                cut = [_pieces(r, hay) for r in runs]
                if any(len(r) > 1 and (sum(map(len, ps)) < len(r) or min(map(len, ps), default=0) < 2)
                       for r, ps in zip(runs, cut)):
                    continue  # every word of the question is in the sentence, never a lone character of it (小微)
                for clause in _CLAUSE_SPLIT.split(sent):
                    after = 0  # "货物预算692.93万元、服务预算2573.64万元": a figure's name starts after the figure before it
                    for m in _CLAUSE_FIGURE.finditer(clause):
                        start, after = after, m.end()
                        unit = m.group(2).replace("(", "（").replace(")", "）")
                        if unit != asked and not (asked == "台" and unit.startswith("台")) and (asked or unit == "万元"):
                            continue
                        if _CHANGE_FROM.search(clause[start: m.start()]):
                            continue  # "比2025年预算增加27万元": a change, never a figure of that year
                        if doc.kind == "决算" and _BUDGET_FIGURE.search(clause[start: m.start()]) \
                                and "预算" not in it.text.replace("一般公共预算", ""):
                            continue  # a 决算's "年初预算为31.47万元" is the budget, never what was spent
                        name = self._shortened(key(clause[start: m.start()]))
                        name = re.sub(r"^.*?\d{4}年度?(?:\d+月)?(?:\d+日)?", "", name)
                        for k in doc.keys + (key(doc.unit_name),):
                            name = name.replace(k, "")
                        head = name.rsplit("的", 1)[1] if "的" in name else ""  # what the figure is of
                        name = _CLAUSE_FRAME.sub("", name)
                        if re.search(r"\d", name) or len(name) < 2:
                            continue  # "比2025年增加2辆": a change, or a figure with no name of its own
                        if side_named(name) and side_named(name) in other_sides:
                            continue  # "其他收入支出": a clause of the other side (其他收入1.20万元) is not it
                        if head and not any(len(p) >= 2 for r in runs for p in _pieces(r, head)) \
                                and self._names_another(head, it.text):
                            continue  # the figure is of what its name ends in, never of a word before 的 in it
                        words = [key(t) for t in self.v.tokens(name)] if any(a in name for a in atoms) else []
                        # 电费 of 邮电费 is another word; 政府性基金拨款 of 政府性基金拨款支出 the same one with its tail
                        missed = [a for a in atoms if a not in name or any(a in w and not w.startswith(a) for w in words)]
                        if other_year and other_year not in clause:
                            continue
                        own = any(p in key(s["path"] or "") for p in projects)
                        score = sum(len(p) for r in runs for p in _pieces(r, name) if len(p) >= (1 if r == thing_run else 2)) \
                            - sum(len(p) for a in missed for p in _pieces(a, name) if len(p) >= 2) \
                            + (max(sum(len(x) for r in runs for x in _pieces(r, p) if len(x) >= 2) for p in projects) if own else 0)
                        if score >= need:
                            full = score == sum(len(r) for r in runs if len(r) >= 2 or r == thing_run)
                            value = float(m.group(1).replace(",", ""))
                            score += sum(len(w) for w in soft if w in hay) / 100  # the passage the other words name
                            whole = 0 <= sent.find(clause) + m.end() <= parts_at
                            best.append((score, -len(name), name, s, sent.strip(), unit, value, whole and full))
        if not best:
            return None
        best.sort(key=lambda b: (b[0], b[1]), reverse=True)
        top = [b for b in best if b[0] == best[0][0]]
        wholes = [b for b in top if b[7]]
        if len({b[6] for b in top}) != 1 and len(wholes) == 1 and \
                all(b[4] == wholes[0][4] or b[6] == wholes[0][6] for b in top):
            top = wholes  # "共有车辆63辆，其中：…用车N辆": asked only by words the whole holds all of, the whole is meant
        if len({b[6] for b in top}) != 1:
            return None  # two figures fit as well: never pick one
        _, _, name, s, sent, unit, value, _ = top[0]
        cite = self.cite_section(s["document_id"], s["path"] or s["heading"])
        if unit == "万元":
            twin = self._table_twin({"document_id": s["document_id"], "subject": name, "value": value, "unit": "万元",
                                     "year": None, "sentence": sent})
            if twin is None and any(self.rows_where("r.label = ?", [label], [s["document_id"]])
                                    for label in self.v.labels.get(name, ())):
                # "政府性基金…收入640万元，支出584万元，年末结转和结余56万元": a row the tables print whole (168) that
                # the clause gives otherwise is a part of what its sentence is about, never the figure of that name
                return None
            if twin is not None:
                v, u = self._convert(twin.value, twin.unit, it)
                return (Answer(it.question, "answered", f"据“{s['heading']}”：{sent}即{fmt(v, u)}{u}。", v, u,
                               twin.cites + (cite,)), Context(doc=s["document_id"]))
            v, u = self._convert(value, unit, it)
        else:
            v, u = value, unit
        return (Answer(it.question, "answered", f"据“{s['heading']}”：{sent}即{fmt(v, u)}{u}。", v, u, (cite,),
                       derivation=f"读自原文“{sent}”"), Context(doc=s["document_id"]))

    def _purpose(self, it: Intent, docs: list[int]) -> tuple[Answer, Context] | None:
        """"群众文化主要用在哪些方面": the 编制说明's item for that 功能分类 subject ("…群众文化(项)”3,482.83万元，主要用于…"),
        quoted with its section; only the item whose own name (the last level of its path) is the subject asked."""
        names = {key(t) for m in it.subjects if m.how != "code" for k, t in m.kinds if k in ("row", "std", "alias")
                 for t in t.split("|")} | {m.key for m in it.subjects if m.has("row", "std", "alias")}
        names |= {key(self.v.codes[c]) for c in it.codes if c in self.v.codes}
        if not names or len(docs) != 1:
            return None
        found = []
        for s in self.sections(docs):
            for line in (s["text"] or "").split("\n"):
                if "用于" not in line:
                    continue
                for m in _PURPOSE_ITEM.finditer(line):
                    if key(m.group(1)) in names:  # the item's line, from its path on: “…(类)…(款)X(项)”N万元，主要用于…
                        said = re.sub(r"^\s*\d+\s*[.、．]?\s*", "", line[: m.end()]).rstrip("，,；;")
                        found.append((s, m.group(2), said))
        if len({p for _, p, _ in found}) != 1:
            return None  # none, or two subjects of that name with different purposes
        s, _, said = found[0]
        cite = self.cite_section(s["document_id"], s["path"] or s["heading"])
        return (Answer(it.question, "answered", f"据“{s['heading']}”：{said}。", None, None, (cite,)),
                Context(doc=s["document_id"]))

    def _a_section(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """A question that names a narrative section ("单位职责是什么", "总体绩效目标"): quote the section."""
        q = key(it.text)
        qb = _bigrams(q) - _STOP_BIGRAMS
        bests: dict[int, tuple[float, Any]] = {}  # each document's best section
        for s in self.sections(docs):
            text = (s["text"] or "").strip()
            head = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*|^第.部分\s*|[：:]$", "", key(s["heading"] or ""))
            head = self._unit_cut(head, s["document_id"])  # "普陀区城市管理行政执法局机构设置": 机构设置
            if len(head) < 2 or not text:
                continue
            hb = _bigrams(head)
            n = len(qb & hb)
            core = re.sub(r"^(单位|部门|本单位|我单位)", "", head)
            named = head in q or (len(core) >= 2 and core in q)
            if named or (n >= 2 and n / max(1, len(hb)) >= 0.6):
                score = n + (2 if named else 0) + (0.5 if head in q else 0)
                d = s["document_id"]
                if d not in bests or score > bests[d][0]:
                    bests[d] = (score, s)
        if not bests:
            return None
        # several units' documents have the section: the one of the unit asked, else which unit?
        which = self._one_doc(it, bests) if len({self.docs[d].unit_name for d in bests}) > 1 else None
        if isinstance(which, Answer):
            return which, ctx
        s = bests[which][1] if which is not None else max(bests.values(), key=lambda b: b[0])[1]
        text = _quoted(s["text"])
        return (Answer(it.question, "answered", f"据“{s['heading']}”：{text}", None, None,
                       (self.cite_section(s["document_id"], s["path"] or s["heading"]),)), Context(doc=s["document_id"]))

    def _count_in_text(self, it: Intent, docs: list[int]) -> tuple[Answer, Context] | None:
        """"公务用车有几辆" when only the narrative states it ("保有量由3辆减少至2辆" -> 2): the stock
        (保有量/数量/总数) the text gives right after the thing named, once and unambiguously, quoted
        with its section. A change (报废公务用车1辆) or a count of something else (固定资产的汽车) is
        never taken for it."""
        meas = it.measure
        names = [m.text for m in it.subjects if len(m.text) >= 2 and not m.has("column") and m.how == "exact"]
        # a colloquial name (公车) counts the thing its money is for (公务用车 of 公务用车购置及运行维护费)
        names += [thing for m in it.subjects if m.how == "exact" for t in m.targets("alias") for part in t.split("|")
                  if len(thing := _MONEY_TAIL.sub("", part)) >= 2 and thing != part]
        if not names or len(docs) != 1:
            return None
        cls = re.escape(meas) if meas else "(?:辆|台|套|个|人|名|处|所|栋|座)"
        n = r"(\d+)\s*(" + cls + ")"
        found: dict[float, tuple[sqlite3.Row, str]] = {}
        for s in self.sections(docs):
            for sent in _SENT_SPLIT.split(s["text"] or ""):
                for name, at in ((nm, x.end()) for nm in names for x in re.finditer(re.escape(nm), sent)):
                    tail = sent[at: at + 24]
                    m = re.match(r"(?:的)?(?:保有量|保有数|数量|总数|实有数|编制数)(?:为|是|共|共有)?\s*(?:由\s*\d+\s*" + cls
                                 + r"\s*(?:减少|增加|下降|上升|调整)?(?:至|到|为))?\s*" + n, tail)
                    if m:
                        found.setdefault((float(m.group(1)), m.group(2)), (s, sent.strip()))
        if len(found) != 1:
            return None
        (value, meas), (s, sent) = next(iter(found.items()))
        return (Answer(it.question, "answered", f"据“{s['heading']}”：{sent}即{fmt(value)}{meas}。", value, meas,
                       (self.cite_section(s["document_id"], s["path"] or s["heading"]),),
                       derivation=f"读自原文“{sent}”"), Context(doc=s["document_id"]))

    def _a_fact(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        keys = list(it.facts)
        kinds_named = [w for w in ("大队", "派出所", "警务站", "中心", "科室", "股室", "处室", "所队") if w in it.text]
        counting = bool(re.search(r"几个|多少个|几|多少", it.text)) and "list" not in it.cues
        if "科室所队" in keys and counting and (not kinds_named or kinds_named[0] in ("科室", "股室", "处室", "所队")):
            keys = ["科室数"] + keys
        rows = self.q(f"SELECT document_id, key, value, section FROM facts WHERE key IN ({self._in(len(keys))}) AND "
                      f"document_id IN ({self._in(len(docs))}) ORDER BY id", [*keys, *docs])
        if not rows and "单位构成" in keys:
            # "包括哪些单位" and nothing else asked ("水质检测收了哪些单位的钱" asks something else)
            named = any(m.has("row", "item", "alias", "stmt", "std", "project", "code", "total") for m in it.subjects)
            if not named and not it.leftover:
                return self._composition(it, ctx, docs)
        if not rows:
            return self._indicator(it, docs, ctx)  # 在职人数 may be a 绩效 indicator ("体检在职人数")
        by_doc: dict[int, list[sqlite3.Row]] = {}
        for r in rows:
            by_doc.setdefault(r["document_id"], []).append(r)
        d = self._one_doc(it, by_doc)
        if isinstance(d, Answer):
            return d, ctx
        rs = sorted(by_doc[d], key=lambda r: keys.index(r["key"]))
        r = rs[0]
        doc = self.docs[d]
        cite = Citation(doc.name, doc.unit_name, doc.year, r["section"] or "单位职责及机构设置情况", r["key"], "")
        if r["key"] == "科室数":
            return (Answer(it.question, "answered", f"{doc.unit_name}设有{r['value']}个科室（所队/中心）{self._unit_note(d, it)}。",
                           float(r["value"]), "个", (cite,)), Context(doc=d))
        if r["key"] == "科室所队":
            names = [n for n in re.split(r"[、,，]", r["value"]) if n]
            generic = re.search(r"科室|股室|处室|所队|内设机构|机构|部门", it.text)
            filt = [] if generic else [w for w in ("大队", "派出所", "警务站", "中心", "科", "室", "所", "队", "站", "办")
                                        if w in it.text]
            chosen = [n for n in names if any(n.endswith(w) or w in n for w in filt[:1])] if filt else names
            if not chosen:
                return None
            text = f"{doc.unit_name}的{'、'.join(filt[:1]) or '科室所队'}有{len(chosen)}个：" + "、".join(chosen) + "。"
            value = float(len(chosen)) if counting else None
            return (Answer(it.question, "answered", text, value, "个" if counting else None, (cite,),
                           items=tuple(Item(n) for n in chosen)), Context(doc=d))
        if re.fullmatch(r"\d+(?:\.\d+)?", r["value"] or ""):
            unit = {"编制数": "名", "在职人数": "人", "退休人数": "人", "在校学生数": "人"}.get(r["key"], "")
            text = f"{doc.unit_name}的{r['key']}为{r['value']}{unit}{self._unit_note(d, it)}。"
            return Answer(it.question, "answered", text, float(r["value"]), unit or None, (cite,)), Context(doc=d)
        fuller = self._fuller_fact(d, r["value"] or "")
        said = f"“{fuller[0]}”（表中写作“{r['value']}”）" if fuller else f"“{r['value']}”"
        text = f"{doc.unit_name}的{r['key']}是{said}{self._unit_note(d, it)}。"
        cites = (cite, self.cite_section(d, fuller[1])) if fuller and fuller[1] != cite.table else (cite,)
        return Answer(it.question, "answered", text, None, None, cites), Context(doc=d)

    def _composition(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """"部门预算包括几个单位": the section that says which units the 部门's budget covers (单位构成, 机构设置),
        quoted — the count is the document's words ("…的单位共4个"), never one worked out from them."""
        counting = "count" in it.cues or bool(re.search(r"几个|几家|多少个|多少家", it.text))
        found = {}
        for s in self.sections(docs):
            head = self._unit_cut(key(s["heading"] or ""), s["document_id"])
            if (s["text"] or "").strip() and re.search(r"单位构成|机构设置", head) and s["document_id"] not in found:
                found[s["document_id"]] = s
        d = self._one_doc(it, found)
        if not isinstance(d, int):
            return (d, ctx) if d is not None else None
        s = found[d]
        # the section and the items under it (a numbered list of units is read as headings of their own)
        under = (s["path"] or s["heading"] or "") + " > "
        text = " ".join([s["text"]] + [c["text"] or c["heading"] for c in self.sections([d])
                                       if (c["path"] or "").startswith(under)])
        text = re.sub(r"\s+", " ", text).strip()
        # from the sentence that says which units (a 机构设置 section may list its 科室 first)
        at = re.search(r"单位构成|预算单位|决算单位|下属|所属|编制范围", text)
        text = _quoted(text[text.rfind("。", 0, at.start()) + 1:] if at is not None else text)
        cite = (self.cite_section(d, s["path"] or s["heading"]),)
        if counting:
            stated = re.search(r"共\s*(\d+)\s*[个家]", text)
            if stated is None:  # the number is the document's, or none: never counted off a list by us
                return (Answer(it.question, "not_found", f"文件没有写明单位的个数。据“{s['heading']}”：{text}",
                               citations=cite), Context(doc=d))
            return (Answer(it.question, "answered", f"共{stated.group(1)}个。据“{s['heading']}”：{text}",
                           float(stated.group(1)), "个", cite), Context(doc=d))
        return Answer(it.question, "answered", f"据“{s['heading']}”：{text}", None, None, cite), Context(doc=d)

    def _fuller_fact(self, doc: int, value: str) -> tuple[str, str] | None:
        """The fullest words the document prints for a fact ("公益一类事业单位" where the 机构设置 table says 事业):
        a clause piece of the narrative that ends with the value (or the value and 单位) and says more than it —
        the one piece, or the longest, never a whole sentence. None when the narrative says no more."""
        if len(value) < 2:
            return None
        best: tuple[str, str] | None = None
        for s in self.sections([doc]):
            text = s["text"] or ""
            if value not in text:
                continue
            for piece in re.split(r"[、，,。；;：:\s（）()]|为|是", text):
                piece = re.sub(r"^.*(?:所属|下属|直属)", "", piece)
                if len(piece) > 12 or not re.search(re.escape(value) + r"(?:单位)?$", piece):
                    continue
                if piece in (value, value + "单位") or piece.startswith(value):
                    continue
                if best is None or len(piece) > len(best[0]):
                    best = (piece, s["path"] or s["heading"])
        return best

    def _glossary_entries(self, docs: list[int]) -> list[tuple[int, str, str]]:
        from .vocab import split_glossary

        out = []
        for r in self.q(f"SELECT document_id, term, definition FROM glossary WHERE document_id IN ({self._in(len(docs))}) "
                        "ORDER BY document_id, seq", list(docs)):
            for term, definition in split_glossary(r["term"] or "", r["definition"] or ""):
                out.append((r["document_id"], term, definition))
        return out

    def _a_glossary(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        wanted = []
        for m in self._expand(it.subjects):
            wanted.append(m.key)
            wanted += [key(t) for k, t in m.kinds if k in ("gloss", "alias")]
        if not wanted:
            return None
        entries = self._glossary_entries(docs)
        for w in wanted:
            hits = [(d, t, df) for d, t, df in entries if key(t) == w]
            if not hits:
                continue
            by_doc = {d: (d, t, df) for d, t, df in hits}
            d = self._one_doc(it, by_doc) if len(by_doc) > 1 and len({x[2] for x in hits}) > 1 else hits[0][0]
            if isinstance(d, Answer):
                return d, ctx
            _, term, definition = by_doc[d]
            term, cite = self._glossary_cite(d, term)
            return (Answer(it.question, "answered", f"{term}：{definition.strip()}", None, None, (cite,)), Context(doc=d))
        return None

    def _glossary_cite(self, d: int, term: str) -> tuple[str, Citation]:
        """A 名词解释 term as shown (no marks), and its citation (the document's 名词解释 section)."""
        sec = self.q("SELECT heading FROM sections WHERE document_id = ? AND heading LIKE ? LIMIT 1", (d, "%名词解释%"))
        term = re.sub(r"[*“”\"]", "", term).strip()
        doc = self.docs[d]
        return term, Citation(doc.name, doc.unit_name, doc.year, sec[0]["heading"] if sec else "名词解释", term, "")

    def _sentences(self, docs: list[int]) -> list[tuple[int, str, str]]:
        """The sentences of the documents' narrative sections and table notes: (document, where, sentence)."""
        sections = tuple((s["document_id"], s["path"] or s["heading"], s["text"] or "") for s in self.sections(docs))
        notes = tuple((t["document_id"], t["title"], t["note"] or "") for t in self.q(
            f"SELECT document_id, title, note FROM tables WHERE note != '' AND document_id IN "
            f"({self._in(len(docs))})", list(docs)))
        return list(_split_sentences(sections, notes))

    def _subject_words(self, it: Intent, docs: list[int]) -> list[str]:
        words = []
        ms = self._expand(it.subjects)
        main = [m for m in ms if not (m.has("column") and not m.has("row", "item", "alias", "stmt", "project"))]
        for m in main or ms:
            words.append(m.key)
            for k, t in m.kinds:
                if k in ("alias", "row", "item", "stmt"):
                    words.extend(key(x) for x in t.split("|"))
            if m.has("item"):
                for r in self.rows_where("r.label = ? AND t.kind = '政府采购预算表'", (m.targets("item")[0],), docs):
                    if r.group_name:
                        words.append(key(r.group_name))
        words += list(it.leftover)
        return [w for w in dict.fromkeys(words) if len(w) >= 2]

    def _whole_budget_words(self, doc: int) -> list[str]:
        """The names the narrative gives the unit's whole budget (收入预算, 支出预算), and the part it says the whole
        is made of alone (收入预算X，其中：财政拨款收入X；事业收入0万元…): a reason stated for that part is the whole's."""
        rows = self.q("SELECT id, subject, value, year, sentence FROM statements WHERE document_id = ? ORDER BY id", (doc,))
        words: list[str] = []
        for w in rows:
            if key(w["subject"] or "") not in ("收入预算", "支出预算") or w["value"] is None:
                continue
            words.append(key(w["subject"]))
            parts = [r for r in rows if r["sentence"] == w["sentence"] and r["id"] > w["id"] and r["year"] == w["year"]]
            money = [r for r in parts if r["value"] is None or abs(r["value"]) > 1e-9]
            if len(money) == 1 and money[0]["value"] is not None and abs(money[0]["value"] - w["value"]) <= 0.005:
                words.append(key(money[0]["subject"]))
        return list(dict.fromkeys(words))

    def _a_reason(self, it: Intent, ctx: Context, docs: list[int], need_marker: bool = True) -> tuple[Answer, Context] | None:
        words = self._subject_words(it, docs)
        if not words and ctx.intent is not None:
            words = [m.key for m in ctx.intent.subjects]
        whole = not words and not it.subjects and not it.leftover and len(docs) == 1 and bool(re.search(r"预算|总", it.text))
        if whole:
            words = self._whole_budget_words(docs[0])  # "今年预算为什么增加这么多": the budget as a whole
        if not words:
            return None
        direction = "增加" if re.search(r"增加|增长|上升|提高|多了", it.text) else (
            "减少" if re.search(r"减少|下降|降低|少了|压减", it.text) else "")
        qb = _bigrams(key(it.text)) - _STOP_BIGRAMS
        sents = self._sentences(docs)
        bests: dict[int, tuple[float, int, str, str]] = {}  # each document's best passage
        negated = bool(re.search(r"(为什么|为何|怎么)(没有|未|不)", it.text))
        nature = bool(_NATURE_ASKED.search(it.text))

        def dir_ok(text: str) -> bool:
            return (not direction) or direction in text or (direction == "增加" and "增长" in text) or \
                (direction == "减少" and "下降" in text)

        for i, (d, heading, sent) in enumerate(sents):
            ks = key(sent)
            subj = _subject_score(words, ks)
            if subj < 0.5:
                continue
            if it.numbers and not all(fmt(n) in sent or f"{n:.2f}" in sent for n in it.numbers):
                continue
            follow = sents[i + 1][2] if i + 1 < len(sents) and sents[i + 1][0] == d and sents[i + 1][1] == heading else ""
            after = sents[i + 2][2] if follow and i + 2 < len(sents) and sents[i + 2][0] == d and sents[i + 2][1] == heading else ""
            if follow and not follow.startswith("原因") and after.startswith("原因") and len(sent) <= 20 \
                    and not _ENUM_START.match(follow) and not _REASON_MARK.search(follow):
                follow = follow + after  # "（二）公务接待费。安排…减少0.50万元。原因是…": the item, its figures, then why
            why_follows = follow.startswith("原因") or after.startswith("原因") and follow.endswith(after)
            # the reason may sit in one comma clause of a long sentence ("项目减少是由于…")
            cands: list[tuple[float, str, bool]] = []
            for seg in [x for x in re.split(r"[；;]", sent) if x.strip()]:
                clauses = [c for c in re.split(r"[，,]", seg) if c.strip()]
                for j, c in enumerate(clauses):
                    cs = _subject_score(words, key(c))
                    if cs < 0.5:
                        continue
                    # the reason runs on to the end of its clause group, until another subject's cause begins
                    span = c
                    for nxt in clauses[j + 1:]:
                        cause = re.search(r"是因为|是由于|原因是|原因：", nxt)
                        if cause and (_REASON_MARK.search(span) or not re.fullmatch(r"(?:主要|其|的)*", nxt[:cause.start()].strip())):
                            break  # another subject's cause; "…增加27万元，主要原因是…" is this one's own
                        span += "，" + nxt
                    has = bool(_REASON_MARK.search(span))
                    cands.append((cs, span, has))
            whole_marker = bool(_REASON_MARK.search(sent)) or why_follows
            for cs, span, has in cands:
                text = span if len(sent) > 60 else sent
                marker = has or (len(sent) <= 60 and whole_marker)
                if not has and why_follows:
                    text, marker = sent + follow, True
                if need_marker and not marker and not it.numbers:
                    if not (negated and re.search(r"未|没有|不", text) and cs >= 0.8):
                        continue
                    marker = True
                overlap = len(qb & _bigrams(key(text))) / max(1, len(qb))
                score = 2 * cs + (1.0 if marker else 0.0) + (0.5 if dir_ok(text) else -0.5) + overlap
                if need_marker and _cause_not_subject(key(text), words):
                    continue  # "公用经费减少是因为压减…公务接待费": there 公务接待费 is the cause, not what changed
                if nature and _NATURE_STATED.search(text):
                    score += 1.0  # "上年结转30万元为…资金": the clause that says what the money is
                if d not in bests or score > bests[d][0]:
                    bests[d] = (score, d, heading, text.strip("，, "))
            if not cands and (not need_marker or it.numbers):
                overlap = len(qb & _bigrams(ks)) / max(1, len(qb))
                score = 2 * subj + overlap + (1.0 if nature and _NATURE_STATED.search(sent) else 0.0)
                if d not in bests or score > bests[d][0]:
                    bests[d] = (score, d, heading, sent)
        fits = {x: b for x, b in bests.items() if b[0] >= 2.0}
        if not fits:
            return None
        best = max(fits.values(), key=lambda b: b[0])
        if len({self.docs[x].unit_name for x in fits}) > 1:
            # several units' texts give a reason: the one of the unit asked, else which unit?
            which = self._one_doc(it, dict.fromkeys(sorted(fits)))
            if isinstance(which, Answer):
                return which, ctx
            if which is not None:
                best = fits[which]
        _, d, heading, text = best
        if whole and not dir_ok(text):
            return None  # "预算为什么减少" where the document says it grew: never another change's reason
        text = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）.、]\s*", "", text)
        doc = self.docs[d]
        cite = Citation(doc.name, doc.unit_name, doc.year, heading, "", "")
        return Answer(it.question, "answered", f"据“{heading}”：{text}", None, None, (cite,)), Context(doc=d)


def _quoted(text: str, limit: int = 300) -> str:
    """A section's text as an answer quotes it: one line, at most ``limit`` characters (then ……)."""
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit].rstrip() + "……" if len(text) > limit else text


def _sentence_start(parts: list[str], i: int) -> int:
    """The index of the part the sentence holding ``parts[i]`` starts at: after the last part ending a sentence
    (。！？) before it — parts split at ；too are one sentence."""
    return next((k + 1 for k in range(i - 1, -1, -1) if parts[k].rstrip().endswith(("。", "！", "？", "!", "?"))), 0)


@functools.lru_cache(maxsize=4096)
def _unit_forms(unit_name: str, keys: tuple[str, ...]) -> tuple[str, ...]:
    """A unit's names, longest first: the forms the store knows and the full name less its first places."""
    full = key(unit_name)
    return tuple(k for k in sorted({full[i:] for i in range(len(full) - 3)} | set(keys), key=lambda k: (-len(k), k))
                 if len(k) >= 2)


@functools.lru_cache(maxsize=128)
def _split_sentences(sections: tuple[tuple[int, str, str], ...],
                     notes: tuple[tuple[int, str, str], ...]) -> tuple[tuple[int, str, str], ...]:
    """``NarrativeMixin._sentences`` of the texts read (split once: every "为什么" about a unit splits the
    same texts)."""
    out = []
    for d, where, text in sections:
        # a section's lines are its paragraphs: "…的主要原因是基本支出增加" ends where the list after it begins
        for sent in (x for para in text.split("\n") for x in _SENT_SPLIT.split(para)):
            sent = sent.strip()
            if sent:
                out.append((d, where, sent))
    for d, title, note in notes:
        for sent in _SENT_SPLIT.split(note):
            if sent.strip():
                out.append((d, title, sent.strip()))
    return tuple(out)


def _subject_score(words: Sequence[str], text_key: str) -> float:
    """``_scored``: a "为什么" question scores every sentence of its unit's narrative, the same sentences
    each time it is asked (in any conversation), so the scores are kept (a pure function of the two)."""
    return _scored(tuple(words), text_key)


@functools.lru_cache(maxsize=16384)
def _scored(words: tuple[str, ...], text_key: str) -> float:
    """How well ``text_key`` names one of the subject ``words`` (0..1): the share of the word it
    holds (two thirds at least), or 0.8 where it abbreviates the word the way budget narratives do —
    its generic tail dropped (项目支出 → 项目, 人员经费 → 人员) at the start of a clause, followed at
    once by a change or a cause ("项目减少是由于…", "原因：人员由于…增加")."""
    best = max((n / len(w) for w in words if (n := _lcs(w, text_key)) >= _need(w)), default=0.0)
    if best >= 0.8:
        return best
    for w in words:
        for tail in _GENERIC_TAILS:
            head = w[: -len(tail)]
            if w.endswith(tail) and len(head) >= 2 and head in text_key and _abbreviated(head).search(text_key):
                return 0.8
    return best


_GENERIC_TAILS = ("支出", "经费", "费用", "收入")
_CHANGE_OR_CAUSE = "增加|减少|增长|下降|降低|上升|是由于|由于|是因为|因为"


@functools.lru_cache(maxsize=4096)
def _abbreviated(head: str) -> re.Pattern[str]:
    """A subject's head (项目 of 项目支出) opening a clause and followed at once by a change or a cause."""
    return re.compile(rf"(?:^|[,，:：;；。]){re.escape(head)}(?:{_CHANGE_OR_CAUSE})")


def _need(word: str) -> int:
    """How much of a subject a sentence must share: two thirds of it, so that "三公经费" is never
    found in a sentence by its generic "经费" alone."""
    return max(2, (2 * len(word) + 2) // 3)


_ENUM_START = lazyre.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）.、]")


def _cause_not_subject(text_key: str, words: list[str]) -> bool:
    """True when the subject is named only inside a reason (a marker before it, none after it): the
    sentence explains another item's change ("公用经费减少是因为压减…公务接待费"), while "原因：人员经费增加是由于…"
    still explains 人员经费."""
    pos = [text_key.find(w) for w in words if w in text_key]
    if not pos:
        return False
    at = min(pos)
    return bool(_REASON_MARK.search(text_key[:at])) and not _REASON_MARK.search(text_key[at:])
