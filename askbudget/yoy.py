"""Year over year: the change the narrative states, last year's value derived from it (this year's
figure ∓ the change, or the sum of last year's parts), the growth rate; years that cannot be
derived are refused.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import replace

from . import lazyre
from .answer import Answer, Citation, Item
from .parse import Intent, side_named
from .plan import change_said, Context, Fig, fmt, _lcs, MONEY, Resolver
from .vocab import key


_SUM = lazyre.compile(r"合计|一共|总共|加起来|之和|总和|共计|加在一起")
_CHANGE = lazyre.compile(r"比.{0,12}(多|少|高|低|增|减|涨|降)|差|相差|增加|减少|增长|下降|变化|增减|多了|少了|涨|降"
                         r"|(?:上年|去年|上一年|前一年|(?:19|20)\d{2}年)(?:相|对)?比|比(?:上年|去年|上一年|前一年)|同比")
_PCT = lazyre.compile(r"百分之|增长率|增幅|降幅|%|幅度|几成")
_MORE = lazyre.compile(r"哪.{0,3}(多|高|大)(?!少)|哪一?年.*(多|高|大)(?!少)")
_LESS = lazyre.compile(r"哪.{0,3}(?<!多)(少|低|小)|哪一?年.*(?<!多)(少|低|小)")
_BY_HOW_MUCH = lazyre.compile(r"[多少高低]多少|[多少高低]了多少|差多少|相差|差额|差距")
_BOTH_YEARS = lazyre.compile(r"两年|两个年度|两个年份|这两年|两年度")
_PREV = lazyre.compile(r"去年|上年|上一年|前一年|同比|前年")
_NO_ACROSS = ("refuse", "text", "list", "glossary", "when", "code_of", "fact", "reason", "rank", "count")


class YoyMixin(Resolver):
    """Year-over-year answers from the statements table."""

    _TOTAL_KEYS = {"收入总计", "支出总计", "预算收入", "预算支出", "总预算", "预算总额", "收入总额", "支出总额"}

    def _yoy_keys(self, it: Intent) -> list[str]:
        keys = []
        for m in self._expand(it.subjects):
            keys.append(m.key)
            keys += [key(t) for k, t in m.kinds if k in ("alias", "row", "stmt", "column") for t in [t] if "|" not in t]
        keys += [re.sub(r"(预算|预算数|金额|总额)$", "", k) for k in keys]
        if set(keys) & self._TOTAL_KEYS:
            keys += sorted(self._TOTAL_KEYS)  # in one order in every process (a set's depends on the hash seed)
        if "公用经费" in keys:
            keys.append("日常公用经费")
        return [k for k in dict.fromkeys(keys) if k]

    def _stmt_match(self, keys: list[str], docs: list[int]) -> list[sqlite3.Row]:
        cands = set()
        for k in self.v.statement_subjects:
            kk = re.sub(r"^(预算|其中)", "", k)
            for x in keys:
                # the budget's total written inside a longer subject is a part of it (预算支出 of 一般公共预算支出:
                # one fund's spending), never the total
                part = x in self._TOTAL_KEYS and x in k and k != x
                if x == k or x == kk or (len(x) >= 3 and (k.endswith(x) or x.endswith(k) and len(k) >= 3) and abs(len(k) - len(x)) <= 2) \
                        or (not part and len(x) >= 4 and _lcs(x, k) >= max(4, len(x) - 1)):
                    cands.add(k)
        return self.statements(cands, docs)

    def _unit_years(self, it: Intent) -> dict[int, int]:
        """The documents of the unit in scope by year (one unit named, or the store's only unit)."""
        if it.unit_doc is not None and it.unit_doc in self.docs:
            unit = self.docs[it.unit_doc].unit_name
        else:
            unit = None
            for d in self.docs.values():  # the store's only unit: stop at a second one
                if unit is not None and d.unit_name != unit:
                    return {}
                unit = d.unit_name
            if unit is None:
                return {}
        return {self.docs[d].year: d for d in self._store_index()[1].get(unit, ()) if d in self.docs}

    def _two_stored_years(self, it: Intent, ctx: Context) -> tuple[Answer, Context] | None:
        """One subject in two stored years of one unit: each year read from its own document, then combined.

        Why: once the store holds last year's document, "比去年增加多少" / "两年合计" / "哪年多" are the
        difference, sum or comparison of two printed figures (with the formula), never one year's figure
        alone and never a narrative-derived estimate.
        """
        if it.what in _NO_ACROSS or it.op is not None or len(it.unit_docs) >= 2 or not it.subjects:
            return None
        by_year = self._unit_years(it)
        if not by_year:
            return None
        t = it.text.replace("比例", "").replace("比重", "")
        for m in sorted(it.subjects, key=lambda m: len(m.text), reverse=True):
            t = t.replace(m.text, "#")  # "差旅费" is no 差 (difference), "增长率" of a subject name no change
        latest = max(by_year)
        held = "、".join(str(y) for y in sorted(by_year))
        who = self._short_unit(by_year[latest])
        asked = list(it.years) or list(dict.fromkeys(latest + r for r in it.year_rels))
        change = bool(_CHANGE.search(t) or _PCT.search(t))
        if len(asked) >= 2:
            first, second = asked[0], asked[1]
        elif (_BOTH_YEARS.search(t) or re.search(r"哪一?年", t)) and not asked and len(by_year) >= 2:
            first, second = sorted(by_year)[-1], sorted(by_year)[-2]
        elif change and (it.what == "yoy" or _PREV.search(t)):
            ex = it.years[0] if it.years else None
            if ex is not None and re.search(rf"(比|较|与|同|对比|跟|和)(20)?{ex % 100}年", t):
                first, second = latest, ex  # "差旅费比2022年减少了多少": this year against the year named
            elif ex is not None:
                first, second = ex, ex - 1  # "2023年电费比上年增加多少"
            else:
                first, second = latest, latest + (min(it.year_rels) if it.year_rels and min(it.year_rels) < 0 else -1)
        else:
            return None
        if first == second:
            return None
        late, early = max(first, second), min(first, second)
        if change and late not in by_year:
            # "2022年电费比2021年增加多少" against a 2023 document: its narrative compares 2023 with 2022 only
            return self._refuse(it, f"库中{who}只有{held}年的{self.held_kind(list(by_year.values()))}文件，算不出{late}年比{early}年的变化", "not_found"), ctx
        if len(by_year) < 2:
            return None  # one document: its narrative's stated change (yoy) answers it
        if change and early not in by_year:
            if late == latest:
                return None  # the latest document's narrative may state the change
            return self._refuse(it, f"库中{who}只有{held}年的{self.held_kind(list(by_year.values()))}文件，算不出{late}年比{early}年的变化", "not_found"), ctx
        if first not in by_year or second not in by_year:
            missing = first if first not in by_year else second
            return self._refuse(it, f"库中{who}只有{held}年的{self.held_kind(list(by_year.values()))}文件，没有{missing}年的数", "not_found"), ctx
        if "倍" in t and re.search(r"(多|增加|增长|高)(了)?(几|多少)倍", t):
            return self._refuse(it, "“多几倍”可以理解为“是几倍”或“增加了几倍”，请说明要哪一种", "ambiguous"), ctx
        # the sum words of the lexicon (合起来, 加一块: operators.tsv) or of this module
        summed = "sum" in it.cues or bool(_SUM.search(t))
        keys = list(dict.fromkeys(m.key for m in it.subjects))
        if len(keys) > 1:
            if not summed:
                return None
            return self._sum_subjects_two_years(it, ctx, by_year, (first, second))
        figs: list[Fig] = []
        subject = it.subjects[0].text
        for y in (first, second):
            got = self._year_figure(it, ctx, by_year[y], y, it.subjects)
            if got is None:
                if change and not asked:
                    return None  # the narrative's stated change may still answer it
                return self._refuse(it, f"{y}年的文件中没有找到“{subject}”的数，不能按两年计算", "not_found"), ctx
            figs.append(replace(got, label=f"{y}年{subject}"))
        a, b = figs
        if a.unit != b.unit or (a.cites and b.cites and a.cites[0].row != b.cites[0].row):
            return None
        cites = tuple(dict.fromkeys(a.cites + b.cites))
        u = a.unit
        if it.what == "share" or "倍" in t:
            if not b.value:
                return self._refuse(it, f"{b.label}为0，不能相除", "not_found"), ctx
            if "倍" in t:
                r = round(a.value / b.value, 2)
                der = f"{a.label} {fmt(a.value, u)} ÷ {b.label} {fmt(b.value, u)} = {r:.2f}"
                return (Answer(it.question, "answered", f"{a.label}是{b.label}的{r:.2f}倍（{der}）。", r, "倍", cites,
                               derivation=der), Context(figs=figs, what="ratio", doc=a.doc))
            r = round(a.value / b.value * 100, 2)
            der = f"{a.label} {fmt(a.value, u)} ÷ {b.label} {fmt(b.value, u)} × 100% = {r:.2f}%"
            return (Answer(it.question, "answered", f"{a.label}是{b.label}的{r:.2f}%（{der}）。", r, "%", cites,
                           derivation=der), Context(figs=figs, what="share", doc=a.doc))
        if "平均" in t:
            v = round((a.value + b.value) / 2, 6)
            der = f"（{a.label} {fmt(a.value, u)} + {b.label} {fmt(b.value, u)}）÷ 2 = {fmt(v, u)}{u}"
            return (Answer(it.question, "answered", f"{first}年与{second}年{subject}平均{fmt(v, u)}{u}（{der}）。",
                           v, u, cites, derivation=der), Context(figs=figs, what="avg", doc=a.doc))
        if summed:
            v = round(a.value + b.value, 6)
            der = f"{a.label} {fmt(a.value, u)} + {b.label} {fmt(b.value, u)} = {fmt(v, u)}{u}"
            return (Answer(it.question, "answered", f"{first}年与{second}年{subject}合计{fmt(v, u)}{u}（{der}）。",
                           v, u, cites, derivation=der), Context(figs=figs, what="sum", doc=a.doc, members=figs))
        if (_MORE.search(t) or _LESS.search(t)) and _BY_HOW_MUCH.search(t) and a.value != b.value:
            # "哪一年多，多多少": the year, and the difference as the figure asked
            hi, lo = (a, b) if a.value > b.value else (b, a)
            late, early = (a, b) if first > second else (b, a)
            g = round(hi.value - lo.value, 6)
            der = f"{hi.label} {fmt(hi.value, u)} − {lo.label} {fmt(lo.value, u)} = {fmt(g, u)}{u}"
            text = f"{hi.label}较多，比{lo.label}多{fmt(g, u)}{u}，即" \
                   f"{change_said(max(first, second), min(first, second), round(late.value - early.value, 6), u)}（{der}）。"
            return (Answer(it.question, "answered", text, g, u, cites, derivation=der),
                    Context(figs=figs, what="diff", doc=a.doc))
        if _MORE.search(t) or _LESS.search(t):
            pick = max(figs, key=lambda f: f.value) if _MORE.search(t) else min(figs, key=lambda f: f.value)
            if a.value == b.value:
                text = f"两年{subject}一样多，都是{fmt(a.value, u)}{u}。"
            else:
                text = f"{pick.label}{'较多' if _MORE.search(t) else '较少'}，为{fmt(pick.value, u)}{u}" \
                       f"（{a.label}{fmt(a.value, u)}{u}，{b.label}{fmt(b.value, u)}{u}）。"
            der = f"{a.label} {fmt(a.value, u)}，{b.label} {fmt(b.value, u)}"
            return (Answer(it.question, "answered", text, pick.value, u, cites, derivation=der),
                    Context(figs=figs, what="each", doc=a.doc))
        if change:
            late, early = (a, b) if first > second else (b, a)
            late_y, early_y = max(first, second), min(first, second)
            d = round(late.value - early.value, 6)
            word = "增加" if d > 0 else "减少" if d < 0 else "持平"
            der = f"{late.label} {fmt(late.value, u)} − {early.label} {fmt(early.value, u)} = {fmt(d, u)}{u}"
            if _PCT.search(t):
                if not early.value:
                    return self._refuse(it, f"{early.label}为0，算不出增长率", "not_found"), ctx
                r = round(d / early.value * 100, 2)
                der2 = f"（{fmt(late.value, u)} − {fmt(early.value, u)}）÷ {fmt(early.value, u)} × 100% = {r:.2f}%"
                text = f"{subject}{late.label[:5]}较{early.label[:5]}{'增长' if r >= 0 else '下降'}{abs(r):.2f}%（{der2}）。"
                return (Answer(it.question, "answered", text, abs(r), "%", cites, derivation=der2),
                        Context(figs=figs, what="diff", doc=late.doc))
            if len(asked) >= 2 and re.search(r"比.{0,12}(多|少|高|低)", t):
                # "2022年电费比2023年少多少": said in the order asked
                d2 = round(a.value - b.value, 6)
                hi, lo = (a, b) if d2 >= 0 else (b, a)
                der = f"{hi.label} {fmt(hi.value, u)} − {lo.label} {fmt(lo.value, u)} = {fmt(abs(d2), u)}{u}"
                text = f"{a.label}比{b.label}{'多' if d2 >= 0 else '少'}{fmt(abs(d2), u)}{u}，" \
                       f"即{change_said(late_y, early_y, d, u)}（{der}）。"
                return (Answer(it.question, "answered", text, abs(d2), u, cites, derivation=der),
                        Context(figs=figs, what="diff", doc=a.doc))
            if d < 0:
                der = f"{early.label} {fmt(early.value, u)} − {late.label} {fmt(late.value, u)} = {fmt(-d, u)}{u}"
            text = f"{subject}{late.label[:5]}较{early.label[:5]}{word}{fmt(abs(d), u) + u if d else ''}（{der}）。"
            return (Answer(it.question, "answered", text, abs(d), u, cites, derivation=der),
                    Context(figs=figs, what="diff", doc=late.doc))
        text = "；".join(f"{f.label}{fmt(f.value, u)}{u}" for f in figs)
        return (Answer(it.question, "answered", text + "。", None, None, cites,
                       items=tuple(Item(f.label, f.value, f.unit) for f in figs)), Context(figs=figs, what="each", doc=a.doc))

    def _year_figure(self, it: Intent, ctx: Context, d: int, y: int, subjects: tuple) -> Fig | None:
        """One subject's figure read from one year's own document (None when that document lacks it)."""
        sub = replace(it, year=y, years=(), year_rels=(), year_rel=None, what="figure", unit_doc=d, unit_docs=(),
                      op=None, subjects=subjects, text=re.sub(r"(几|多少)倍", "多少", it.text),
                      cues=frozenset(c for c in it.cues if c not in ("sum", "diff", "pct", "followup", "share", "total")))
        got = self._a_figure(sub, ctx, [d])
        if not got or got[0].status != "answered" or got[0].value is None or got[0].unit is None:
            return None
        return Fig(f"{y}年{subjects[0].text}", got[0].value, got[0].unit, got[0].citations, doc=d, year=y)

    def _sum_subjects_two_years(self, it: Intent, ctx: Context, by_year: dict[int, int],
                                years: tuple[int, int]) -> tuple[Answer, Context] | None:
        """"两年的电费和水费合计": every subject in both years, all added (each figure from its own year)."""
        subs: dict[str, object] = {}
        for m in it.subjects:
            subs.setdefault(m.key, m)
        figs: list[Fig] = []
        for y in years:
            for m in subs.values():
                f = self._year_figure(it, ctx, by_year[y], y, (m,))  # type: ignore[arg-type]
                if f is None:
                    return self._refuse(it, f"{y}年的文件中没有找到“{m.text}”的数，不能按两年计算", "not_found"), ctx  # type: ignore[attr-defined]
                figs.append(f)
        if len({f.unit for f in figs}) != 1:
            return None
        u = figs[0].unit
        v = round(sum(f.value for f in figs), 6)  # type: ignore[misc]
        der = " + ".join(f"{f.label} {fmt(f.value, u)}" for f in figs) + f" = {fmt(v, u)}{u}"
        cites = tuple(dict.fromkeys(c for f in figs for c in f.cites))
        return (Answer(it.question, "answered", f"合计{fmt(v, u)}{u}（{der}）。", v, u, cites, derivation=der),
                Context(figs=figs[-2:], what="sum", doc=figs[0].doc))

    def _a_yoy(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        if not docs:
            return None
        keys = self._yoy_keys(it)
        if not keys and not it.subjects and not it.leftover and len(docs) == 1 and "预算" in it.text \
                and re.search(r"比|较|增加|减少|增长|下降|变化", it.text):
            return self._whole_budget_change(it, docs[0])
        if not keys:
            return None
        latest = max(self.docs[d].year for d in docs)
        year = it.year
        if year is not None and year > latest:
            return self._refuse(it, f"文件只有{latest}年的{self.held_kind(docs)}，没有{year}年的数", "not_found"), ctx
        # a change against the year before: a 决算's comparison with its own 年初预算 is no such change
        rows = [r for r in self._stmt_match(keys, docs) if r["basis"] != "年初预算"]
        by_doc: dict[int, list[sqlite3.Row]] = {}
        for r in rows:
            by_doc.setdefault(r["document_id"], []).append(r)
        d = self._one_doc(it, by_doc) if by_doc else None
        if isinstance(d, Answer):
            return d, ctx
        rows = by_doc.get(d, []) if d is not None else []
        cur_year = self.docs[d].year if d is not None else latest
        prev_year = cur_year - 1
        if year == prev_year and re.search(rf"(比|较|与|同|对比|跟|和)(?:(20)?{year % 100}年|上年|去年|上一年|前一年)", it.text):
            year = None  # "公务接待费和2025年比增加了多少": the year compared with, not the year asked
        if year is not None and year < cur_year and not any(r["base_year"] == year or r["year"] == year for r in rows):
            held = sorted(self._unit_years(replace(it, unit_doc=d if d is not None else it.unit_doc)))
            if len(held) > 1 or len(self.docs) > 1:
                return self._refuse(it, f"库中{self._short_unit(d) if d is not None else '该单位'}只有"
                                        f"{'、'.join(str(y) for y in held)}年的{self.held_kind(docs)}文件，"
                                        f"文件中也推算不出{year}年的数",
                                    "not_found"), ctx
            return self._refuse(it, f"文件只有{cur_year}年的{self.held_kind(docs)}及与{prev_year}年的比较，"
                                    f"推算不出{year}年的数", "not_found"), ctx
        want_pct = "pct" in it.cues or bool(re.search(r"百分之|增长率|增幅|降幅|%", it.text))
        want_prev = year is not None and year < cur_year and not re.search(r"比|较|相比|增加|减少|变化|增长|下降|多了|少了", it.text.replace("比例", ""))
        if it.year_rel is not None and it.year_rel < 0 and not re.search(r"比|较|增加|减少|变化|增长|下降|多了|少了|差", it.text):
            want_prev = True
        if not rows:
            return None
        doc = self.docs[d]
        def cite(r: sqlite3.Row) -> Citation:
            return self.cite_section(d, r["heading"])
        exact = [r for r in rows if key(r["subject"]) in keys[:3]] or rows
        if want_pct:
            for r in exact + rows:
                if r["change_pct"] is not None:
                    # the size of the change, its direction said in words (as the change amounts are)
                    v = r["change_pct"]
                    text = f"据“{r['heading']}”，{r['subject']}与{r['base_year'] or prev_year}年相比{r['change_dir'] or '变化'}{fmt(r['change_pct'])}%：{r['sentence']}"
                    return Answer(it.question, "answered", text, v, "%", (cite(r),)), Context(doc=d)
            return None
        if want_prev and set(keys) & self._TOTAL_KEYS:
            got = self._prev_total_from_parts(it, d, cur_year, prev_year)
            if got is not None:
                return got
        if want_prev:
            for r in [x for x in rows if key(x["subject"]) in keys]:
                if r["year"] == prev_year and r["value"] is not None and r["change"] is None:
                    v, u = self._convert(r["value"], r["unit"] or doc.money_unit, it)
                    text = f"{prev_year}年{r['subject']}{fmt(v, u)}{u}（文件直接给出：{r['sentence']}）"
                    return (Answer(it.question, "answered", text, v, u, (cite(r),)),
                            Context(figs=[Fig(r["subject"], r["value"], r["unit"] or "万元", (cite(r),), doc=d, year=prev_year)], doc=d))
            for r in exact + rows:
                if r["change_dir"] in ("增加", "减少", "持平") and (r["change"] is not None or r["change_dir"] == "持平"):
                    cur, cur_cite = self._current_value(it, r, d, ctx)
                    if cur is None:
                        continue
                    ch = r["change"] or 0.0
                    prev = cur - ch if r["change_dir"] == "增加" else cur + ch
                    prev = round(prev, 6)
                    op = "−" if r["change_dir"] == "增加" else "+"
                    der = f"{cur_year}年{fmt(cur, '万元')} {op} {r['change_dir']}额{fmt(ch, '万元')} = {fmt(prev, '万元')}万元"
                    v, u = self._convert(prev, doc.money_unit, it)
                    text = f"{prev_year}年{r['subject']}约为{fmt(v, u)}{u}，由{cur_year}年数和文件所说的增减额推算（{der}）。"
                    cites = tuple(dict.fromkeys((cite(r),) + cur_cite))
                    return (Answer(it.question, "answered", text, v, u, cites, derivation=der),
                            Context(figs=[Fig(r["subject"], prev, doc.money_unit, cites, doc=d, year=prev_year)], doc=d))
                if r["change_pct"] is not None and r["change_dir"] in ("增加", "减少"):
                    cur, cur_cite = self._current_value(it, r, d, ctx)
                    if cur is None:
                        continue
                    f = 1 + (r["change_pct"] / 100) * (1 if r["change_dir"] == "增加" else -1)
                    prev = round(cur / f, 2)
                    der = f"{fmt(cur, '万元')} ÷ (1 {'+' if r['change_dir'] == '增加' else '−'} {fmt(r['change_pct'])}%) = {fmt(prev, '万元')}万元"
                    v, u = self._convert(prev, doc.money_unit, it)
                    text = f"{prev_year}年{r['subject']}约为{fmt(v, u)}{u}，由{cur_year}年数和文件所说的增长率推算（{der}）。"
                    cites = tuple(dict.fromkeys((cite(r),) + cur_cite))
                    return (Answer(it.question, "answered", text, v, u, cites, derivation=der), Context(doc=d))
            return None
        for r in exact + rows:
            if r["change_dir"] in ("增加", "减少", "持平") and (r["change"] is not None or r["change_dir"] == "持平"):
                ch = r["change"] or 0.0
                v, u = self._convert(ch, r["unit"] or doc.money_unit, it)
                text = f"{r['subject']}较{r['base_year'] or prev_year}年{r['change_dir']}{fmt(v, u)}{u}（据“{r['heading']}”：{r['sentence']}）"
                return (Answer(it.question, "answered", text, v, u, (cite(r),)),
                        Context(figs=list(ctx.figs), refs=list(ctx.refs), subject_keys=keys, doc=d))
        got = self._change_of_only_part(it, exact, d, cur_year, prev_year)
        if got is not None:
            return got
        if set(keys) & self._TOTAL_KEYS:
            # the total's change from last year's total derived from its parts
            got = self._prev_total_from_parts(it, d, cur_year, prev_year)
            tot = [r for r in rows if key(r["subject"]) in self._TOTAL_KEYS and r["value"] is not None
                   and r["year"] == cur_year]
            if got is not None and tot and got[0].value is not None:
                prev = got[1].figs[0].value if got[1].figs else None
                if prev is not None:
                    ch = round(tot[0]["value"] - prev, 6)
                    word = "增加" if ch >= 0 else "减少"
                    v, u = self._convert(abs(ch), doc.money_unit, it)
                    der = f"{cur_year}年{fmt(tot[0]['value'], '万元')} − {prev_year}年{fmt(prev, '万元')}（{got[0].derivation}）"
                    text = f"{tot[0]['subject']}较{prev_year}年{word}{fmt(v, u)}{u}（{der}）。"
                    return (Answer(it.question, "answered", text, v, u, tuple(dict.fromkeys((cite(tot[0]),) + got[0].citations)),
                                   derivation=der), Context(doc=d))
        return None

    def _whole_budget_change(self, it: Intent, d: int) -> tuple[Answer, Context] | None:
        """"支出预算比2025年减少多少", "今年预算比去年减少多少": the budget as a whole (收入预算/支出预算 the narrative
        states; both when neither is said, and then only when they change alike) changes as its one part does."""
        said = [k for k, w in (("收入预算", "收入"), ("支出预算", "支出")) if w in it.text] or ["收入预算", "支出预算"]
        year = self.docs[d].year
        got = [self._change_of_only_part(it, self.statements({k}, [d]), d, year, year - 1) for k in said]
        if not got or any(g is None for g in got) or len({g[0].value for g in got if g}) != 1:
            return None
        return got[0]

    def _change_of_only_part(self, it: Intent, rows: list[sqlite3.Row], d: int, cur_year: int,
                             prev_year: int) -> tuple[Answer, Context] | None:
        """"收入预算比2025年增加多少" where the sentence says 收入预算X，其中：财政拨款收入X，比2025年预算增加Y；事业收入0万元…:
        a whole whose only part with money is stated equal to it changes as that part does — answered with that
        derivation said, the part's change and the whole's figure both cited."""
        doc = self.docs[d]
        for w in rows:
            if w["change_dir"] is not None or w["value"] is None or w["year"] != cur_year:
                continue
            parts = [r for r in self.q("SELECT s.id, s.subject, s.value, s.year, s.change_dir, s.change, s.base_year, "
                                       "s.sentence FROM statements s WHERE s.document_id = ? AND s.sentence = ? AND s.id > ? "
                                       "ORDER BY s.id", (d, w["sentence"], w["id"]))
                     if r["year"] == cur_year]
            money = [r for r in parts if r["value"] is None or abs(r["value"]) > 1e-9]
            if len(money) != 1 or len(parts) < 2 and not re.search(r"其中", w["sentence"] or ""):
                continue
            p = money[0]
            if p["value"] is None or abs(p["value"] - w["value"]) > 0.005 or p["change_dir"] not in ("增加", "减少", "持平") \
                    or (p["change"] is None and p["change_dir"] != "持平"):
                continue
            ch = p["change"] or 0.0
            v, u = self._convert(ch, doc.money_unit, it)
            zero = "、".join(r["subject"] for r in parts if r is not p)
            der = (f"{w['subject']}{fmt(w['value'], '万元')}万元全部是{p['subject']}" + (f"（{zero}为0）" if zero else "")
                   + f"；{p['subject']}较{p['base_year'] or prev_year}年{p['change_dir']}{fmt(ch, '万元')}万元")
            text = (f"{w['subject']}较{p['base_year'] or prev_year}年{p['change_dir']}{fmt(v, u)}{u}：{der}"
                    f"（文件没有单说{w['subject']}的增减，按{p['subject']}的增减计；据“{w['heading']}”：{w['sentence']}）")
            return (Answer(it.question, "answered", text, v, u, (self.cite_section(d, w["heading"]),), derivation=der),
                    Context(doc=d))
        return None

    def _prev_total_from_parts(self, it: Intent, d: int, cur_year: int, prev_year: int) -> tuple[Answer, Context] | None:
        """Last year's total = the sum of last year's parts the 收入/支出情况 sentence gives, when it lists them all."""
        doc = self.docs[d]
        rows = self.q("SELECT s.subject, s.value, s.change_dir, s.change, s.year, s.sentence, sec.path AS heading "
                      "FROM statements s JOIN sections sec ON sec.id = s.section_id WHERE s.document_id = ? ORDER BY s.id", (d,))
        # the side asked first ("2022年支出总计": the 支出情况 sentence's parts, never the 收入情况's named 收入)
        asked = {side_named(key(t)) for m in it.subjects for t in [m.text] + [t for k, t in m.kinds if k in ("alias", "row", "stmt")]}
        asked.discard("")
        for total in sorted(rows, key=lambda r: bool(asked) and side_named(key(r["subject"])) not in asked):
            if key(total["subject"]) not in self._TOTAL_KEYS or total["value"] is None or total["year"] != cur_year:
                continue
            parts = [r for r in rows if r["sentence"] == total["sentence"] and r is not total and r["value"] is not None
                     and r["year"] == cur_year and key(r["subject"]) not in self._TOTAL_KEYS]
            if not parts or abs(sum(r["value"] for r in parts) - total["value"]) > 0.011:
                continue
            prevs = []
            for r in parts:
                if r["change_dir"] in ("增加", "减少") and r["change"] is not None:
                    prevs.append((r, r["value"] - r["change"] if r["change_dir"] == "增加" else r["value"] + r["change"]))
                elif r["change_dir"] == "持平":
                    prevs.append((r, r["value"]))
                elif re.search(rf"{prev_year}年无{re.escape(r['subject'])}", total["sentence"] or ""):
                    prevs.append((r, 0.0))
                else:
                    break
            else:
                prev = round(sum(p for _, p in prevs), 6)
                der = " + ".join(f"{r['subject']} {fmt(p, '万元')}" for r, p in prevs) + f" = {fmt(prev, '万元')}万元"
                v, u = self._convert(prev, doc.money_unit, it)
                text = (f"{prev_year}年{total['subject']}约为{fmt(v, u)}{u}，由文件所列各项{cur_year}年数及其增减额推算"
                        f"（{der}）。")
                cite = self.cite_section(d, total["heading"])
                return (Answer(it.question, "answered", text, v, u, (cite,), derivation=der),
                        Context(figs=[Fig(total["subject"], prev, doc.money_unit, (cite,), doc=d, year=prev_year)], doc=d))
        return None

    def _current_value(self, it: Intent, r: sqlite3.Row, d: int, ctx: Context) -> tuple[float | None, tuple[Citation, ...]]:
        if r["value"] is not None and r["year"] == self.docs[d].year:
            return r["value"], ()
        same = self.q("SELECT s.value, sec.path AS heading FROM statements s JOIN sections sec ON sec.id = s.section_id "
                      "WHERE s.document_id = ? AND s.subject = ? AND s.year = ? AND s.value IS NOT NULL AND s.change IS NULL",
                      (d, r["subject"], self.docs[d].year))
        if same:
            return same[0]["value"], (self.cite_section(d, same[0]["heading"]),)
        sub = replace(it, year=None, year_rel=None, what="figure")
        figs, stop = self.resolve(sub, [d], ctx)
        if figs and figs[0].value is not None and figs[0].unit in MONEY:
            return figs[0].value, figs[0].cites
        return None, ()
