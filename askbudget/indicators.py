"""绩效目标 answers: an indicator of a project found by its project and indicator names or by a plain
description ("体检覆盖多少人"), or a target only the 绩效目标 sentence states ("视频存储 90 天").

Scoring is character bigram overlap (fast, no model), and an indicator must explain the whole
question: a run of three or more characters it does not cover (another project's name) refuses it.
"""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache

from . import lazyre
from .answer import Answer, Citation
from .lru import LRU
from .parse import Intent
from .plan import _bigrams, _CLAUSE_SPLIT, Context, Fig, fmt, _QTY, Resolver, _STOP_BIGRAMS
from .vocab import key


class IndicatorMixin(Resolver):
    """Answers from the 绩效目标表 tables."""

    def _indicators(self, docs: list[int]) -> list[tuple[sqlite3.Row, set[str], set[str], set[str]]]:
        cache = getattr(self, "_ind_cache", None)
        if cache is None:
            # bounded: an Assistant serving 1,000 units keeps only the recent scopes
            cache = self._ind_cache = LRU(_CACHED_SCOPES)  # type: ignore[attr-defined]
        k = tuple(docs)
        hit = cache.get(k)
        if hit is not None:
            # the answer names its SQL whether or not this process had already run it
            self.sql_log.append(hit[0])
            return hit[1]
        rows = self.q("SELECT i.id, i.document_id, i.project, i.level2, i.level3, i.description, i.value_raw, "
                      "i.comparator, i.number, i.unit, t.title, t.goal, i.table_id FROM indicators i JOIN tables t "
                      f"ON t.id = i.table_id WHERE i.document_id IN ({self._in(len(docs))}) ORDER BY i.id", list(docs))
        inds = [(r, _bigrams(key(r["project"] or "")), _bigrams(key(r["level3"] or "")),
                 _bigrams(key(r["description"] or ""))) for r in rows]
        cache.put(k, (self.sql_log[-1], inds, _by_bigram(inds)))
        return inds

    def _indicators_sharing(self, docs: list[int], qb: set[str]) -> tuple[list[int], list[int]]:
        """Of the indicators of ``docs`` (just read by ``_indicators``), in order: those whose project
        name shares a bigram with ``qb``, and those whose indicator name or description does."""
        by_project, by_name = self._ind_cache.get(tuple(docs))[2]  # type: ignore[attr-defined]
        return (sorted({i for b in qb for i in by_project.get(b, ())}),
                sorted({i for b in qb for i in by_name.get(b, ())}))

    def _indicator(self, it: Intent, docs: list[int], ctx: Context, loose: bool = False) -> tuple[Answer, Context] | None:
        inds = self._indicators(docs)
        if not inds:
            return None
        q = key(it.text)
        qb = _bigrams(q) - _STOP_BIGRAMS
        if not qb:
            return None
        scored = []
        sharing_project, sharing_name = self._indicators_sharing(docs, qb)
        # a follow-up ("成本控制呢") stays with the project the previous answer was about
        named = max((len(qb & inds[i][1]) / len(inds[i][1]) for i in sharing_project), default=0.0) >= 0.5
        when = "when" in it.cues
        # only an indicator sharing a bigram with the question's by its name or description can pass
        # ``ok`` below (each of its terms needs one): the others are not scored at all
        for r, pb, lb, db in (inds[i] for i in sharing_name):
            if when and not _is_time(r):
                continue  # "什么时候完成" is answered by a 时效 indicator or not at all, never by a rate
            sp = len(qb & pb) / len(pb) if pb else 0.0
            if not named and ctx.project and r["project"] == ctx.project:
                sp = 1.0
            nl = len(qb & lb)
            nd = len(qb & db)
            sl = nl / len(lb) if lb else 0.0
            sd = nd / len(db) if db else 0.0
            name = max(sl, 0.9 * sd)
            bonus = 0.0
            unit = r["unit"] or ""
            if unit and (unit in it.text or (it.measure and (unit.endswith(it.measure) or it.measure.endswith(unit)))):
                bonus = 0.25
            if unit == "%" and re.search(r"率|满意度|百分", it.text):
                bonus = 0.2
            if unit == "%" and _COUNTED.search(it.text) and not _RATE_WORDS.search(it.text):
                continue  # "覆盖多少学生" counts people: never answered by a 覆盖率
            if it.measure and it.measure not in ("个",) and unit and not (unit.endswith(it.measure) or it.measure.endswith(unit)
                                                                            or (it.measure in ("月", "个月") and "月" in unit)):
                continue  # asked in another unit (多少个月 is not 平方米)
            if "when" in it.cues and "时效" in (r["level2"] or ""):
                bonus += 0.3
            if pb and not ((qb - pb) & (lb | db)) and not (it.measure or when or re.search(r"率|满意|指标|目标", it.text)) \
                    and not ("成本" in (r["level2"] or "") and unit in ("万元", "元")):
                continue  # "重大传染病防控经费多少": only the project is named — its money (成本指标), never another indicator
            measured = bool(it.measure and it.measure != "个" and unit.endswith(it.measure))
            ok = (max(nl, nd) >= 2 and name >= 0.5) or (sp >= 0.6 and name >= 0.34 and max(nl, nd) >= 1) \
                or (max(nl, nd) >= 3 and measured) \
                or (sp >= 0.5 and max(nl, nd) >= 2) or (nl >= 3 and name + 0.5 * sp >= 0.65) \
                or (lb and sl == 1.0 and len(key(r["level3"])) >= 2)
            if ok:
                scored.append((name + 0.5 * sp + bonus, sp, r))
        if not scored and it.measure and it.measure not in ("个",):
            # "体检覆盖多少人": the project is named, and only one of its indicators is counted in 人
            by_unit = [(len(qb & pb), r) for r, pb, lb, db in inds
                       if len(qb & pb) >= 1 and (r["unit"] or "").endswith(it.measure) and r["number"] is not None]
            if by_unit:
                top = max(n for n, _ in by_unit)
                best_rows = [r for n, r in by_unit if n == top]
                if len(best_rows) > 1:  # 多少次 is 次, not 人次
                    best_rows = [r for r in best_rows if (r["unit"] or "").lstrip("个") == it.measure.lstrip("个")] or best_rows
                if _one_per_unit(best_rows):
                    scored = [(0.6, top, r) for r in best_rows]
        if not scored and when:
            # "警用服装什么时候完成": the project is named and it has one 时效 indicator
            for strict in (True, False):
                by_project = []
                for r, pb, lb, db in inds:
                    core = _core(r["project"] or "") or pb
                    if core and _is_time(r, strict):
                        by_project.append((len(qb & core) / len(core), r))
                top = max((x for x, _ in by_project), default=0.0)
                best_rows = [r for x, r in by_project if x == top]
                if top >= 0.5 and _one_per_unit(best_rows):
                    scored = [(0.6 + top, top, r) for r in best_rows]
                    break
                if top >= 0.5:
                    break  # several 时效 indicators of that project: the question must say which
        if not scored and (when or _DURATION.search(it.text)):
            # "监控故障多久排除": project and indicator words together pick one 时效 indicator
            overlap = []
            for r, pb, lb, db in inds:
                core = _core(r["project"] or "") or pb
                unit = r["unit"] or ""
                if it.measure and unit and not (unit.endswith(it.measure) or it.measure.endswith(unit)):
                    continue  # 多少天 is not ≤12 月份
                if _is_time(r) and qb & core and qb & (lb | db):  # the project and the indicator both named
                    overlap.append((len(qb & (core | lb | db)), r))
            if not overlap:
                # "投诉最多多少个工作日处理完": no project named; the indicator's own words must pick one
                for r, pb, lb, db in inds:
                    unit = r["unit"] or ""
                    if it.measure and unit and not (unit.endswith(it.measure) or it.measure.endswith(unit)):
                        continue
                    if _is_time(r) and len(qb & lb) >= 2:
                        overlap.append((len(qb & (lb | db)), r))
            top = max((n for n, _ in overlap), default=0)
            best_rows = [r for n, r in overlap if n == top]
            if top >= 2 and _one_per_unit(best_rows):
                scored = [(0.6 + 0.1 * top, 0.0, r) for r in best_rows]
        if not scored and it.leftover and not when:
            scored = self._by_own_words(it, inds)
        if not scored and loose and not it.measure and not when:
            # "唐丰路派出所搬家费多少": a project with no money figure of its own but its 成本指标
            costs = [r for r, pb, lb, db in inds if pb and len(qb & pb) / len(pb) >= 0.8
                     and "成本" in (r["level2"] or "") and (r["unit"] or "") in ("万元", "元") and r["number"] is not None]
            if _one_per_unit(costs):
                scored = [(0.7, 1.0, r) for r in costs]
        if not scored:
            if when:
                return None
            return self._goal_text(it, docs, qb) if (loose or it.subjects or it.leftover) else None
        # "体检人数": a project named by its core name (体检 of 体检经费) keeps the answer within it
        cores = {r["project"]: _core(r["project"] or "") for r, _, _, _ in inds}
        named_projects = {p for p, cb in cores.items() if cb and cb <= qb}
        if named_projects and scored:
            scored = [x for x in scored if x[2]["project"] in named_projects]
        scored.sort(key=lambda x: -x[0])
        scored = [x for x in scored if self._covers(it, x[2])]
        if not scored:
            return None
        best = scored[0]
        ties = [s for s in scored[1:] if abs(s[0] - best[0]) < 1e-9 and s[2]["value_raw"] != best[2]["value_raw"]]
        r = best[2]
        units = {s[2]["document_id"] for s in scored if abs(s[0] - best[0]) < 1e-9}
        if len({self.docs[x].unit_name for x in units}) > 1:
            which = self._one_doc(it, dict.fromkeys(sorted(units)))  # the same indicator of several units: which?
            if isinstance(which, Answer):
                return which, ctx
        if ties:
            cands = [f"{s[2]['project']}·{s[2]['level3']}" for s in [best] + ties]
            return (Answer(it.question, "ambiguous", "有几个绩效指标都符合，请说明是哪一个：" + "；".join(cands[:5]) + "。",
                           suggestions=tuple(f"{c.replace('·', '的')}是多少？" for c in cands[:5])), ctx)
        if best[0] < 0.6:
            g = self._goal_text(it, docs, qb)
            if g:
                return g
            if best[0] < 0.5:
                return None
        d = self.docs[r["document_id"]]
        cite = Citation(d.name, d.unit_name, d.year, r["title"], r["level3"] or "", "指标值")
        raw = r["value_raw"] or ""
        nums = re.findall(r"\d+(?:\.\d+)?", raw)
        value = r["number"] if (r["number"] is not None and len(nums) == 1) else None
        unit = (r["unit"] or None) if value is not None else None
        if unit and unit.startswith("个") and len(unit) > 1:
            unit = unit[1:]
        comp = {"≥": "不低于", "≤": "不高于", ">": "高于", "<": "低于", "=": ""}.get(r["comparator"] or "", "")
        desc = (r["description"] or "").strip()
        said = f"{r['level2']}：{desc}" if desc and key(desc) != key(r["level3"] or "") else r["level2"]
        text = f"{r['project']}的绩效指标“{r['level3']}”（{said}）指标值为{raw}"
        if comp and value is not None:
            text += f"，即{comp}{fmt(value)}{r['unit'] or ''}"
        text += self._unit_note(d.id, it) + "。"
        fig = Fig(r["level3"], value, unit or "", (cite,), raw, None, "指标值", d.id)
        return (Answer(it.question, "answered", text, value, unit, (cite,)),
                Context(figs=[fig], project=r["project"], doc=d.id, what="indicator"))

    def _by_own_words(self, it: Intent, inds: list) -> list[tuple[float, float, sqlite3.Row]]:
        """"给多少个教室配平板", "要给多少老年人做健康管理": the words nobody read are the indicator's own words
        (教室, 平板 of 配备智能平板的教室个数) — at least two of them in its name or description, every other
        character but one found there too, counted in the unit asked — and one indicator fits best."""
        # the count asked (几辆, 多少个) and link words (和, 的) are read already: the rest are the indicator's words
        spans = [x for lo in it.leftover if len(x := _ASKED_COUNT.sub("", key(lo))) >= 2]
        if not spans:
            return []
        hits = []
        money = bool(_MONEY_ASKED.search(it.text))
        for r, _, lb, db in inds:
            unit = r["unit"] or ""
            if it.measure and not (unit and (unit.endswith(it.measure) or it.measure.endswith(unit))):
                continue
            if money != (unit in ("万元", "元", "亿元")):
                continue  # "培训的钱多少" is never a count of trainings, "培训几次" never money
            if r["number"] is None:
                continue
            text = key((r["level3"] or "") + (r["description"] or ""))
            found = sum(1 for s in spans for i in range(len(s) - 1) if s[i:i + 2] in lb | db and s[i:i + 2] not in _STOP_BIGRAMS)
            missing = sum(1 for s in spans for ch in s if ch not in text and ch not in "的和与及跟同在给要把")
            measured = bool(it.measure and unit.endswith(it.measure))
            if (found >= 2 and missing <= 1) or (found >= 1 and not missing and measured):
                hits.append((found, r))
        top = max((n for n, _ in hits), default=0)
        best = [r for n, r in hits if n == top]
        return [(0.6, 0.0, r) for r in best] if best and _one_per_unit(best) else []

    def _filler_regex(self) -> re.Pattern[str]:
        """Question words, fillers and measures (a ~5 ms compile: built once, warmed by the Assistant)."""
        rx = getattr(self.v, "_filler_rx", None)  # per vocabulary: every Assistant of the store shares it
        if rx is None:
            words = sorted({w for w in list(self.v.terms.get("filler")) + list(self.v.terms.get("cue"))
                            + list(self.v.terms.get("measure")) if len(w) >= 2 or w in "呀啊吗呢吧啦哦嘛的了"},
                           key=len, reverse=True)
            rx = re.compile("|".join(re.escape(w) for w in words))
            self.v._filler_rx = rx  # type: ignore[attr-defined]
        return rx

    def _question_rest(self, text: str) -> str:
        """The question without its fillers and without any unit's name (which says nothing about an
        indicator): worked out once per question."""
        last = getattr(self, "_rest_of", None)
        if last is not None and last[0] == text:
            return last[1]
        rest = self._unit_phrases().sub(" ", self._filler_regex().sub(" ", _COUNT_ASKED.sub(" ", key(text))))
        self._rest_of = (text, rest)  # type: ignore[attr-defined]
        return rest

    def _covers(self, it: Intent, r: sqlite3.Row) -> bool:
        """The indicator explains the question: no run of 3+ characters is left that names something else."""
        q = self._question_rest(it.text)
        known = _bigrams(key(r["project"] or "")) | _bigrams(key(r["level3"] or "")) | _bigrams(key(r["description"] or "")) \
            | _bigrams(key(r["title"] or "")) | _STOP_BIGRAMS
        covered = [False] * len(q)
        for i in range(len(q) - 1):
            if q[i:i + 2] in known:
                covered[i] = covered[i + 1] = True
        run = 0
        for ch, c in zip(q, covered):
            if not c and ch in "和与及跟同":
                continue  # a conjunction names nothing (and does not end a run)
            if not c and "\u4e00" <= ch <= "\u9fff":
                run += 1
                if run >= 3:
                    return False
            else:
                run = 0
        return True

    def _goal_text(self, it: Intent, docs: list[int], qb: set[str]) -> tuple[Answer, Context] | None:
        """A target only the 绩效目标 sentence states ("视频存储 90 天")."""
        best = None
        for t in self.q(f"SELECT id, document_id, title, project, goal FROM tables WHERE kind = '绩效目标表' AND "
                        f"document_id IN ({self._in(len(docs))})", list(docs)):
            pb = _bigrams(key(t["project"] or ""))
            sp = len(qb & pb) / len(pb) if pb else 0
            qrest = qb - pb
            for clause in _CLAUSE_SPLIT.split(t["goal"] or ""):
                m = _QTY.search(clause)
                if not m:
                    continue
                cb = _bigrams(key(clause[: m.start()]))
                n = len(qrest & cb)
                unit_ok = bool(it.measure and m.group(2).endswith(it.measure)) or m.group(2) in it.text
                score = n + (1 if unit_ok else 0) + sp
                if n >= 2 and (sp >= 0.5 or unit_ok) and (best is None or score > best[0]):
                    best = (score, t, clause, m)
        if best is None:
            return None
        _, t, clause, m = best
        d = self.docs[t["document_id"]]
        value = float(m.group(1).replace(",", ""))
        unit = m.group(2)
        cite = Citation(d.name, d.unit_name, d.year, t["title"], "绩效目标", "")
        return (Answer(it.question, "answered", f"{t['project']}的绩效目标：“{clause.strip()}”，即{fmt(value)}{unit}。",
                       value, unit, (cite,), derivation=f"读自绩效目标原文“{clause.strip()}”"),
                Context(project=t["project"], doc=d.id, what="indicator"))


def _by_bigram(inds: list[tuple[sqlite3.Row, set[str], set[str], set[str]]]
               ) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Where each bigram is: the indicators (by position) whose project name holds it, and those whose
    indicator name or description does."""
    by_project: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for i, (_, pb, lb, db) in enumerate(inds):
        for b in pb:
            by_project.setdefault(b, []).append(i)
        for b in lb | db:
            by_name.setdefault(b, []).append(i)
    return by_project, by_name


_MONEY_ASKED = lazyre.compile(r"钱|费用|经费|资金|万元|元")
_ASKED_COUNT = lazyre.compile(r"^(?:多少|几)[个台辆套件人次天名位家所项]?")
# the count asked and the one-character verbs of asking for it (买几辆, 要给多少, 配几台): they name nothing
_COUNT_ASKED = lazyre.compile(r"[买给要做配]?(?:多少|几)[个台辆套件人次天名位家所项]?")
_CACHED_SCOPES = 32  # the indicator sets (with their bigrams) of this many document scopes are kept per Assistant

_DURATION = lazyre.compile(r"多久|多长时间|多少天|几天|多少小时|几个小时|几小时|多少个工作日|几个工作日")
_TIME_WORDS = lazyre.compile(r"时间|时限|时效|期限|日期|起止")


_GENERIC_TAIL = lazyre.compile(r"(?:建设项目|专项经费|项目经费|经费|费用|项目|专项|资金)$")


@lru_cache(maxsize=8192)
def _core(project: str) -> frozenset[str]:
    """The bigrams of a project's name without its generic tail (体检 of 体检经费): worked out once per
    name, not once per indicator per question."""
    return frozenset(_bigrams(key(_GENERIC_TAIL.sub("", project))))


_COUNTED = lazyre.compile(r"(?:多少|几)(?:个|名|位)?(?!个?百分)(?:学生|人|户|家|所|辆|台|套|次|天|间|栋|项|件|册|场|批|课时|平方米|米|公里|教室|学校)")
_RATE_WORDS = lazyre.compile(r"率|满意|百分|比例|比重|占比|几成|%")


def _one_per_unit(rows: list[sqlite3.Row]) -> bool:
    """Exactly one of ``rows`` in each document (several documents: the answer then asks which unit)."""
    docs = [r["document_id"] for r in rows]
    return bool(docs) and len(docs) == len(set(docs))


def _is_time(r: sqlite3.Row, strict: bool = False) -> bool:
    """A 时效 indicator; unless ``strict``, also one whose name says it is about a date or a time limit."""
    if "时效" in (r["level2"] or ""):
        return True
    return not strict and bool(_TIME_WORDS.search(r["level3"] or ""))
