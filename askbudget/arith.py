"""Computed answers: shares, sums, differences, ratios, averages, exclusions and operations on a
figure, each with the formula and the figures it used written out (derivation).
"""
from __future__ import annotations

import re
from dataclasses import replace

from . import lazyre
from .answer import Answer, Item
from .parse import Intent, Mention
from .plan import change_said, Context, Fig, fmt, MONEY, Resolver, _unit_in
from .vocab import key

# the budget's grand totals: every figure of the document is a part of them
_GRAND = frozenset({"收入总计", "支出总计", "本年收入合计", "本年支出合计"})


# a label that already says its year ("2023年办公费" from a two-year answer)
_YEAR_LABEL = re.compile(r"^(?:19|20)\d{2}年")


# the words after 占 naming only a side (and its kind or total): 支出预算, 全部支出, 总支出的, 收入
_SIDE_WHOLE = lazyre.compile(r"(?:本年|全年|全部|全年的|部门|单位|总)?(支出|收入)(?:预算|决算)?(?:总计|总额|合计|总数)?(?:的)?"
                             r"(?:比例|比重|占比|百分比|百分之|多少|是多少|几成|$)")

class ArithmeticMixin(Resolver):
    """Figures computed from figures the store holds."""

    def _sides(self, it: Intent, op: str) -> list[list[Mention]]:
        ms = self._expand(it.subjects)
        pos = it.text.find(op) if op else -1
        if pos < 0:
            return [[m] for m in ms if not (m.has("column") and not m.has("row", "alias", "stmt", "gloss") and
                                           any(o is not m and not o.has("column") for o in ms))]
        return [[m for m in ms if m.pos < pos], [m for m in ms if m.pos > pos]]

    def _fig_side(self, it: Intent, side: list[Mention], docs: list[int], ctx: Context) -> Fig | Answer | None:
        if not side:
            return None
        cols = [t for m in side for t in m.targets("column") if m.has("column")]
        sub = replace(it, subjects=tuple(side), columns=tuple(cols), tables=it.tables)
        figs, stop = self.resolve(sub, docs, ctx)
        if stop is not None:
            return stop
        if not figs:
            for m in side:
                sf = self._stmt_figs(sub, m, docs, [])
                if sf:
                    return sf[0]
            return None
        if len(figs) > 1:
            # "培训费和会议费合计占…": the side is the sum of its figures; anything else is not one figure
            if any(f.value is None for f in figs) or len({f.unit for f in figs}) != 1 or len({f.doc for f in figs}) != 1:
                return None
            total = round(sum(f.value for f in figs), 6)  # type: ignore[misc]
            label = "与".join(f.label for f in figs)
            return Fig(label, total, figs[0].unit, tuple(dict.fromkeys(c for f in figs for c in f.cites)), doc=figs[0].doc)
        return figs[0]

    def _last(self, it: Intent, ctx: Context, op: str, n: int = 2) -> list[Fig] | Answer:
        """The figures of the last ``n`` turns, for "两者合计呢" / "相差多少" / "占基本支出的比例呢" — or, where a
        turn's answer was no figure (what an item is, a reason), a refusal naming it: a sum or a comparison
        never takes a figure that is not there."""
        figs = list(ctx.figs[-n:])
        blank = [f for f in figs if f.value is None]
        if not blank:
            return figs
        did = {"sum": "相加", "diff": "相减", "share": "算占比"}.get(op, "相比")
        named = "、".join(f"“{f.label}”" for f in blank)
        held = "；".join(f"{f.label}{fmt(f.value, f.unit)}{f.unit}" for f in figs if f.value is not None)
        return Answer(it.question, "not_found",
                      f"{'两者中' if len(figs) > 1 else '上一问的'}{named}不是一个数额（那一问回答的是文字），不能{did}"
                      + (f"；另一项是{held}" if held else "") + "。", intent=it.describe())

    def _fig_year(self, f: Fig) -> int | None:
        """The year a figure is for: its own (a derived 去年 figure) or its document's."""
        if f.year is not None:
            return f.year
        return self.docs[f.doc].year if f.doc in self.docs else None

    def _across_years(self, it: Intent, figs: list[Fig], op: str) -> tuple[list[Fig], Answer | None]:
        """Figures of different years are combined only when the question asks for it (两年合计,
        2022年和2023年…); a difference of one subject across years is its change. Either way each
        label says its year; otherwise the answer asks which was meant."""
        years = [self._fig_year(f) for f in figs]
        if len(set(years)) <= 1 or None in years:
            return figs, None
        asked = bool(re.search(r"两年|两个年度|各年|跨年|(去年|上年).*(今年|本年)|(今年|本年).*(去年|上年)", it.text)) or \
            len(set(re.findall(r"(?:19|20)\d{2}", it.text))) >= 2
        base = [_YEAR_LABEL.sub("", f.label) for f in figs]
        same = len({re.sub(r"^(?:预算|其中)", "", b) for b in base}) == 1  # 预算电费 (the narrative's) is 电费
        # one subject in two years (办公费, then 去年呢): its change, or its two-year sum when asked to add them
        if asked or (op in ("diff", "sum") and same):
            return [replace(f, label=f"{y}年{b}") for f, y, b in zip(figs, years, base)], None
        which = "、".join(f"{y}年{f.label}" for f, y in zip(figs, years))
        return figs, Answer(it.question, "ambiguous",
                            f"上两问的数不是同一年度的（{which}），不同年度的数不直接{'相加' if op == 'sum' else '相比'}。"
                            f"如确要合在一起算，请说明，例如“这两年合计多少”。",
                            suggestions=tuple(f"{y}年{f.label}多少？" for f, y in zip(figs, years)))

    def _two(self, it: Intent, ctx: Context, docs: list[int], op: str) -> tuple[Fig, Fig] | Answer | None:
        sides = self._sides(it, op)
        if len(sides) < 2 and it.followup and len(ctx.figs) >= 2:
            kind = "diff" if op in ("比", "减", "和", "与", "跟", "") and it.what == "diff" else "ratio"
            last = self._last(it, ctx, kind)
            if isinstance(last, Answer):
                return last
            pair, stop = self._across_years(it, last, kind)
            return stop if stop is not None else (pair[0], pair[1])
        if len(sides) != 2 or not sides[0] or not sides[1]:
            if len(sides) == 1 and ctx.figs and sides[0]:
                b = self._fig_side(it, sides[0], docs, ctx)
                if isinstance(b, Fig):
                    last = self._last(it, ctx, "ratio", 1)
                    return last if isinstance(last, Answer) else (last[0], b)
            return None
        a = self._fig_side(it, sides[0], docs, ctx)
        b = self._fig_side(it, sides[1], docs, ctx)
        if isinstance(a, Answer):
            return a
        if isinstance(b, Answer):
            return b
        if a is None or b is None or a.value is None or b.value is None:
            return None
        return a, b

    def _a_share(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        op = "占" if "占" in it.text else ""
        ms = self._expand(it.subjects)
        pos = it.text.find("占")
        if pos >= 0 and len(ms) == 2 and all(m.pos < pos for m in ms) and re.search(r"中|里|当中|之中", it.text[:pos]):
            # "三公经费中公务接待费占多少": the part over the whole it is named in; the whole is the
            # mention the 中/里 follows ("接待费在三公经费中占多少" names the whole second)
            whole, part = ms
            if _whole_marked(it.text, part, pos) and not _whole_marked(it.text, whole, pos):
                whole, part = part, whole
            got = (self._fig_side(it, [part], docs, ctx), self._fig_side(it, [whole], docs, ctx))
            if any(isinstance(g, Answer) for g in got):
                return next(g for g in got if isinstance(g, Answer)), ctx
            if not all(isinstance(g, Fig) for g in got):
                return None
        elif not ms and len(ctx.figs) >= 2 and ctx.figs[-2].value and ctx.figs[-1].value is not None \
                and ctx.figs[-2].value >= ctx.figs[-1].value and ctx.intent is not None \
                and re.search(r"其中|里面|当中|中的", ctx.intent.text):
            got = (ctx.figs[-1], ctx.figs[-2])  # "占比多少" after "其中X多少": X over the whole before it
        elif pos >= 0 and ms and all(m.pos > pos for m in ms) and ctx.figs:
            b = self._fig_side(it, ms, docs, ctx)  # "占基本支出的比例呢": the previous figure over this one
            if isinstance(b, Answer):
                return b, ctx
            last = self._last(it, ctx, "share", 1)
            if isinstance(last, Answer):
                return last, ctx
            got = (last[0], b) if isinstance(b, Fig) else None
            if got is None:
                return None
        elif len(ms) == 1 and not (pos >= 0 and ms[0].pos > pos):
            got = self._two(it, ctx, docs, op)
            if not isinstance(got, tuple):
                return self._share_of_what(it, ms[0], docs, ctx) if got is None else (got, ctx)
        else:
            got = self._two(it, ctx, docs, op)
        if not isinstance(got, tuple):
            return (got, ctx) if isinstance(got, Answer) else None
        return self._share(it, *got)

    @staticmethod
    def _share(it: Intent, a: Fig, b: Fig) -> tuple[Answer, Context] | None:
        """``a`` as a percentage of ``b``, with the formula."""
        if not b.value or a.unit != b.unit:
            return None
        pct = round(a.value / b.value * 100, 2)  # type: ignore[operator]
        der = f"{a.label} {fmt(a.value, a.unit)}{a.unit} ÷ {b.label} {fmt(b.value, b.unit)}{b.unit} × 100% = {pct:.2f}%"
        text = f"{a.label}{fmt(a.value, a.unit)}{a.unit}占{b.label}{fmt(b.value, b.unit)}{b.unit}的{pct:.2f}%（{der}）。"
        return (Answer(it.question, "answered", text, pct, "%", tuple(dict.fromkeys(a.cites + b.cites)), derivation=der),
                Context(figs=[a, b], doc=a.doc, what="share"))

    def _share_of_what(self, it: Intent, m: Mention, docs: list[int], ctx: Context) -> tuple[Answer, Context] | None:
        """"电费占比多少" names no whole: a share of what? The subject's figure, and the wholes it may be meant
        of — the rows it is listed under, then the side's total — to ask (never "没有找到电费", never one picked)."""
        f = self._fig_side(it, [m], docs, ctx)
        if not isinstance(f, Fig) or f.value is None:
            return (f, ctx) if isinstance(f, Answer) else None
        pos = it.text.find("占")
        side = _SIDE_WHOLE.match(it.text[pos + 1:]) if pos >= 0 else None
        if side is not None:
            # "项目支出占支出预算的比重", "占全部支出的比例": the side's words alone name its whole, the 收支总表's 总计
            totals = self.spec_figs(("收支总表", f"{side.group(1)}总计", None), [f.doc])
            if len(totals) == 1 and (got := self._share(it, f, totals[0])) is not None:
                return got
        wholes: list[str] = []
        if f.ref is not None:
            if f.ref.group_name:
                wholes.append(f.ref.group_name)
            if f.ref.parent_code:
                wholes += [r.label for r in self.rows_where("r.table_id = ? AND r.code = ?", (f.ref.table_id, f.ref.parent_code),
                                                            [f.ref.doc])]
        side = f.ref.side if f.ref is not None and f.ref.side else "支出"
        wholes.append(f"{side}总计")
        name = f.label
        v, u = self._convert(f.value, f.unit, it)
        return (Answer(it.question, "ambiguous", f"{name}为{fmt(v, u)}{u}；占比要说明是占哪一项的比例。", citations=f.cites,
                       suggestions=tuple(f"{name}占{w}的比例是多少？" for w in dict.fromkeys(wholes) if w != name),
                       intent=it.describe()), ctx)

    def _a_sum(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        figs: list[Fig] = []
        if not it.subjects and len(ctx.figs) >= 2:
            last = self._last(it, ctx, "sum")
            if isinstance(last, Answer):
                return last, ctx
            figs = last
        else:
            nested = self._nested_summands(it)
            if isinstance(nested, Answer):
                return nested, ctx
            for side in self._sides(nested, ""):
                f = self._fig_side(it, side, docs, ctx)
                if isinstance(f, Answer):
                    return f, ctx
                if f is None or f.value is None:
                    return None
                if f.ref is not None and any(g.ref is not None and g.ref.id == f.ref.id and g.column == f.column for g in figs):
                    continue  # "警服和制服": two names of one row are one figure, never added twice
                figs.append(f)
        if len(figs) < 2 or len({f.unit for f in figs}) != 1:
            return None
        figs, stop = self._across_years(it, figs, "sum")
        if stop is not None:
            return stop, ctx
        unit = figs[0].unit
        if len({self.docs[f.doc].unit_name for f in figs if f.doc in self.docs}) > 1:
            figs = [replace(f, label=f"{self._short_unit(f.doc)}{f.label}") for f in figs]
        total = round(sum(f.value for f in figs), 6)  # type: ignore[misc]
        v, u = self._convert(total, unit, it)
        der = " + ".join(f"{f.label} {fmt(f.value, unit)}" for f in figs) + f" = {fmt(total, unit)}{unit}"
        text = f"{'与'.join(f.label for f in figs)}合计{fmt(v, u)}{u}（{der}）。"
        cites = tuple(dict.fromkeys(c for f in figs for c in f.cites))
        return (Answer(it.question, "answered", text, v, u, cites, derivation=der,
                       items=tuple(Item(f.label, f.value, unit) for f in figs)),
                Context(figs=[Fig("合计", total, unit, cites, doc=figs[0].doc)], doc=figs[0].doc, what="sum",
                        members=list(figs)))

    def _nested_summands(self, it: Intent) -> Intent | Answer:
        """What a sum adds: never a whole with the part named inside it ("公用经费里电费和水费合计" adds 电费 and
        水费, not 公用经费 too), and never "X的Y" as two things ("区图书馆的收入预算合计" is the 收入预算 of 图书馆,
        one figure the document may not break out — refused, never 图书馆 + 收入预算)."""
        from .answers import _parts_only

        parts = _parts_only(it)
        ms = sorted(parts, key=lambda m: m.pos)  # (a code as its name: 2040220的预算支出 is 执法办案的预算支出)
        for a, b in zip(ms, ms[1:]):
            if it.text[a.pos + len(a.text): b.pos] == "的":
                return Answer(it.question, "not_found", f"“{a.text}的{b.text}”问的是{a.text}这一项的{b.text}，文件中没有"
                              f"这样分开的数；它不是{a.text}与{b.text}两项相加。", suggestions=tuple(self.suggest(it)))
        return replace(it, subjects=parts) if len(parts) != len(it.subjects) else it

    def _with_op(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """A figure with an operation applied ("电费的一半", "乘以2"), the formula written out."""
        if it.what not in ("figure", "text") or it.op is None:
            return None
        got = self._a_figure(replace(it, op=None), ctx, docs)
        per = re.search(r"每(?:周|月|天|日|年|季度?|学期)", it.text)
        if got and got[0].status == "answered" and got[0].unit not in MONEY and per \
                and any(per.group(0) in (c.row or "") for c in got[0].citations):
            return got  # "课后服务每周几天": the indicator is itself 每周服务天数, nothing to divide
        if not got or got[0].status != "answered" or got[0].value is None or got[0].unit not in MONEY:
            return None if not got or got[0].status == "answered" else got
        ans, new = got
        if new.figs and new.figs[-1].column == "单价":
            return got  # a unit price is already per its own unit of measure, never divided (answers._price_per_unmet)
        kind, n = it.op
        v = ans.value
        sym = {"mul": "×", "div": "÷", "add": "+", "sub": "−"}[kind]
        if kind == "div" and n == 0:
            return None
        arg = n
        if kind in ("add", "sub"):
            arg = n * 1e4 / MONEY[ans.unit]  # the question says 万元
        res = {"mul": v * arg, "div": v / arg if arg else 0, "add": v + arg, "sub": v - arg}[kind]
        res = round(res, 6)
        der = f"{fmt(v, ans.unit)}{ans.unit} {sym} {fmt(arg)} = {fmt(res, ans.unit)}{ans.unit}"
        return (replace(ans, text=ans.text.rstrip("。") + f"；按问题换算：{der}。", value=res, derivation=der), new)

    def _across_units(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """One subject in two units: their sum, difference, or each ("分局和财政局的电费合计")."""
        want = it.year if (it.years or it.year_rel is not None) else None
        if want is not None and not re.search(r"比上|比去|较上|较去|同比|增加|减少|增长|下降|变化|增减", it.text):
            # a year named for both units: a unit without that year's document is not replaced by another year
            for d in it.unit_docs[:2]:
                if self.docs[d].year != want:
                    held = sorted({x.year for x in self.docs.values() if x.unit_name == self.docs[d].unit_name})
                    return self._refuse(it, f"库中{self._short_unit(d)}只有{'、'.join(map(str, held))}年的"
                                            f"{self.held_kind([x.id for x in self.docs.values() if x.unit_name == self.docs[d].unit_name])}文件，"
                                            f"没有{want}年的数", "not_found"), ctx
        figs: list[Fig] = []
        for d in it.unit_docs[:2]:
            sub = replace(it, unit_doc=d, unit_docs=(), what="figure", op=None)
            got = self._a_figure(sub, ctx, [d])
            if not got or got[0].status != "answered" or got[0].value is None or got[0].unit not in MONEY:
                return None
            f = Fig(f"{self._short_unit(d)}{(it.subjects[0].text if it.subjects else '')}", got[0].value, got[0].unit,
                    got[0].citations, doc=d)
            figs.append(f)
        if figs[0].unit != figs[1].unit:
            return None
        a, b = figs
        cites = tuple(dict.fromkeys(a.cites + b.cites))
        if re.search(r"比.{0,12}(多|少|高|低)|差|相差|减|多出|少出|高出|低出", it.text):
            d = round(a.value - b.value, 6)
            der = f"{a.label} {fmt(a.value, a.unit)} − {b.label} {fmt(b.value, b.unit)} = {fmt(d, a.unit)}{a.unit}"
            word = "多" if d >= 0 else "少"
            return (Answer(it.question, "answered", f"{a.label}比{b.label}{word}{fmt(abs(d), a.unit)}{a.unit}（{der}）。",
                           abs(d), a.unit, cites, derivation=der), Context(figs=figs, what="diff"))
        more = re.search(r"(哪个|哪一个|哪家|谁)[^，,。？?多少]{0,8}(多|高|大)(?!少)", it.text)
        if more or re.search(r"(哪个|哪一个|哪家|谁)[^，,。？?多少]{0,8}(?<!多)(少|低|小)", it.text):
            # "三中和卫健局哪个电费多": the unit whose figure is larger (or smaller), both said
            pick = max(figs, key=lambda f: f.value) if more else min(figs, key=lambda f: f.value)  # type: ignore[arg-type]
            if re.search(r"[多少高低]多少|差多少|相差", it.text) and a.value != b.value:
                # "哪个多，多多少": the unit, and the difference as the figure asked
                hi, lo = (a, b) if a.value > b.value else (b, a)
                g = round(hi.value - lo.value, 6)
                der = f"{hi.label} {fmt(hi.value, a.unit)} − {lo.label} {fmt(lo.value, a.unit)} = {fmt(g, a.unit)}{a.unit}"
                return (Answer(it.question, "answered", f"{hi.label}较多，比{lo.label}多{fmt(g, a.unit)}{a.unit}（{der}）。",
                               g, a.unit, cites, derivation=der), Context(figs=figs, what="diff"))
            both = f"（{a.label}{fmt(a.value, a.unit)}{a.unit}，{b.label}{fmt(b.value, b.unit)}{b.unit}）"
            text = f"两个单位一样多，都是{fmt(a.value, a.unit)}{a.unit}。" if a.value == b.value else \
                f"{pick.label}{'较多' if more else '较少'}，为{fmt(pick.value, pick.unit)}{pick.unit}{both}。"
            return (Answer(it.question, "answered", text, pick.value, pick.unit, cites,
                           derivation=f"{a.label} {fmt(a.value, a.unit)}，{b.label} {fmt(b.value, b.unit)}"),
                    Context(figs=figs, what="compare"))
        if "sum" in it.cues or re.search(r"合计|一共|总共|加起来|之和|总和|共", it.text):
            t = round(a.value + b.value, 6)
            der = f"{a.label} {fmt(a.value, a.unit)} + {b.label} {fmt(b.value, b.unit)} = {fmt(t, a.unit)}{a.unit}"
            return (Answer(it.question, "answered", f"{a.label}与{b.label}合计{fmt(t, a.unit)}{a.unit}（{der}）。",
                           t, a.unit, cites, derivation=der), Context(figs=figs, what="sum"))
        text = "；".join(f"{f.label}{fmt(f.value, f.unit)}{f.unit}" for f in figs)
        return (Answer(it.question, "answered", text + "。", None, None, cites,
                       items=tuple(Item(f.label, f.value, f.unit) for f in figs)), Context(figs=figs, what="each"))

    def _a_ratio(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """'A是B的几倍': A ÷ B, a pure number."""
        op = next((w for w in ("是", "比", "为") if w in it.text), "")
        got = self._two(it, ctx, docs, op)
        if not isinstance(got, tuple):
            return (got, ctx) if isinstance(got, Answer) else None
        a, b = got
        if a.unit != b.unit or not b.value:
            return None
        r = round(a.value / b.value, 2)
        der = f"{a.label} {fmt(a.value, a.unit)} ÷ {b.label} {fmt(b.value, b.unit)} = {r:.2f}"
        return (Answer(it.question, "answered", f"{a.label}是{b.label}的{r:.2f}倍（{der}）。", r, "倍",
                       tuple(dict.fromkeys(a.cites + b.cites)), derivation=der), Context(figs=[a, b], doc=a.doc))

    def _a_exclude(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """'Y除了X以外' / '除X外的Y' / 'Y扣除X和Z' / '不是X的Y': Y − X (− Z), with the formula — only when the
        store shows each X inside Y (a row of Y's table under it, a 其中 row, a project's items, a column of
        the table Y totals); Y is the grand total when only 收入/支出 names it."""
        ms = self._expand(it.subjects)
        if it.exclude is not None:
            lo, hi = it.exclude
            excluded = [m for m in ms if lo <= m.pos < hi]
        else:
            word = next((w for w, op in it.ops if op == "exclude"), "")
            start = it.text.find(word) if word else -1
            after = [x for x in ms if x.pos >= start + len(word)] if start >= 0 else []
            excluded = after[:1]
        if not excluded:
            return None
        base = [x for x in ms if x not in excluded and not any(x.key == e.key for e in excluded)]
        if not base:
            grand = self._grand_total(it)
            if grand is None:
                return None
            base = [grand]
        y = self._fig_side(it, base[:1], docs, ctx)
        if isinstance(y, Answer):
            return y, ctx
        if not isinstance(y, Fig) or y.value is None:
            return None
        xs: list[Fig] = []
        for m in excluded:
            x = self._fig_side(replace(it, columns=()), [m], docs, ctx)
            if isinstance(x, Answer):
                return x, ctx
            part = self._part_in(x, y, base[0]) if isinstance(x, Fig) else self._project_in(m, y)
            if part is None:
                name = x.label if isinstance(x, Fig) else m.text
                return (Answer(it.question, "not_found", f"文件中看不出{name}是{y.label}的一部分，不能从{y.label}"
                               f"{fmt(y.value, y.unit)}{y.unit}里除去{name}。", citations=y.cites,
                               suggestions=tuple(self.suggest(it))), ctx)
            xs.append(part)
        if "本年" in y.label and len(xs) == 1 and "上年" in xs[0].label:
            x = xs[0]
            # "不算上年结转，本年收入合计": a this-year total never holds last year's carry-over — it is the answer as is
            v, u = self._convert(y.value, y.unit, it)
            der = f"{y.label}本身不含{x.label}（{x.label} {fmt(x.value, x.unit)}{x.unit}另列）"
            return (Answer(it.question, "answered", f"{y.label}为{fmt(v, u)}{u}（{der}）。", v, u,
                           tuple(dict.fromkeys(y.cites + x.cites)), derivation=der), Context(figs=[y], doc=y.doc))
        d = round(y.value - sum(x.value or 0.0 for x in xs), 6)
        if d < 0:
            return None
        v, u = self._convert(d, y.unit, it)
        names = "、".join(x.label for x in xs)
        der = f"{y.label} {fmt(y.value, y.unit)} − " + " − ".join(f"{x.label} {fmt(x.value, x.unit)}" for x in xs) + \
            f" = {fmt(d, y.unit)}{y.unit}"
        cites = tuple(dict.fromkeys(y.cites + tuple(c for x in xs for c in x.cites)))
        return (Answer(it.question, "answered", f"{y.label}除去{names}后为{fmt(v, u)}{u}（{der}）。", v, u, cites,
                       derivation=der), Context(figs=[y, *xs], doc=y.doc))

    def _grand_total(self, it: Intent) -> Mention | None:
        """"除城乡社区支出以外的支出": the whole named by 收入/支出 alone is the grand total."""
        lo, hi = it.exclude or (0, 0)
        rest = it.text[:lo] + it.text[hi:]
        name = "收入总计" if "收入" in rest else "支出总计" if re.search(r"支出|预算|花", rest) else ""
        entries = tuple(self.v.words.get(key(name), ())) if name else ()
        return Mention(name, key(name), entries, "exact", len(it.text)) if entries else None

    def _cell_value(self, row_id: int, column: str) -> float | None:
        """A row's figure in ``column`` (a blank is 0); None where the row has none or its column is unproven."""
        c = next((c for c in self.cells(row_id) if c.column == column), None)
        if c is None or c.uncertain:
            return None
        return c.value if c.value is not None else (0.0 if c.raw == "" else None)

    def _part_in(self, x: Fig, y: Fig, whole: Mention) -> Fig | None:
        """x as a part of y — its figure inside y — or None when the store does not show x inside y."""
        if x.doc != y.doc or x.value is None or y.value is None or x.unit != y.unit:
            return None
        if y.ref is not None and x.ref is not None and y.ref.id == x.ref.id and y.column == x.column:
            return None
        if key(y.ref.label if y.ref is not None else y.label) in _GRAND:
            return x  # every figure of the budget is inside its grand total
        ref = x.ref
        if ref is None:
            return None
        if y.ref is not None and y.ref.table_id == ref.table_id:
            inside = (y.ref.is_total and not ref.is_total) or \
                bool(y.ref.code and ref.code and ref.code != y.ref.code and ref.code.startswith(y.ref.code)) or \
                bool(ref.group_name and key(ref.group_name) == key(y.ref.label))
            col = y.column or x.column
            v = x.value if col == x.column else self._cell_value(ref.id, col)
            if not inside or not v:
                return None
            return replace(x, value=v, column=col, cites=(self.cite_row(ref, col),))
        # y totals a column of x's table (公用经费, 基本支出): the table's total row holds y's figure in a column
        # y names (or, for its 合计, a table y names), and x's row has a figure in that column
        names = {key(y.label), key(y.column)} | {key(t) for k, t in whole.kinds if k in ("column", "alias", "total")
                                                  for t in t.split("|")}
        names.discard("")
        for r in self.q('SELECT c."column" AS col, c.value FROM cells c JOIN rows r ON r.id = c.row_id '
                        'WHERE r.table_id = ? AND r.is_total = 1 AND c.value IS NOT NULL', (ref.table_id,)):
            if abs(r["value"] - y.value) > 1e-6:
                continue
            col = r["col"]
            if key(col) not in names and not (key(col) == "合计" and any(n in key(ref.title) for n in names)):
                continue
            v = x.value if ref.is_total else self._cell_value(ref.id, col)
            if v:
                return replace(x, value=v, column=col if not ref.is_total else x.column,
                               cites=(self.cite_row(ref, col if not ref.is_total else x.column),))
        return None

    def _project_in(self, m: Mention, y: Fig) -> Fig | None:
        """A project taken out of a table's total (除了视频监控维护以外的政府采购): its rows in that table."""
        projects = m.targets("project")
        if not projects or y.ref is None or not y.ref.is_total:
            return None
        refs = [r for r in self.rows_where(f"r.table_id = ? AND r.is_total = 0 AND r.group_name IN ({self._in(len(projects))})",
                                           [y.ref.table_id, *projects], [y.doc])]
        vals = [(r, self._cell_value(r.id, y.column)) for r in refs]
        vals = [(r, v) for r, v in vals if v]
        if not vals:
            return None
        total = round(sum(v for _, v in vals), 6)
        return Fig(projects[0], total, y.unit, tuple(self.cite_row(r, y.column) for r, _ in vals), doc=y.doc)

    def _a_compare(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """'A和B哪个多': the larger (or smaller) of the two, both figures stated."""
        got = self._a_each(it, ctx, docs)
        if got is None or got[0].status != "answered" or len(got[0].items) != 2:
            return got
        a, b = got[0].items
        if a.value is None or b.value is None or a.unit != b.unit:
            return None
        low = bool(re.search(r"(哪个|哪一个|谁|哪项)更?(少|小|低)", it.text))
        pick = min((a, b), key=lambda i: i.value) if low else max((a, b), key=lambda i: i.value)  # type: ignore[arg-type]
        other = b if pick is a else a
        if a.value == b.value:
            text = f"{a.label}和{b.label}一样多，都是{fmt(a.value, a.unit)}{a.unit}。"
        else:
            word = "少" if low else "多"
            text = (f"{pick.label}{word}：{pick.label}{fmt(pick.value, pick.unit)}{pick.unit}，"
                    f"{other.label}{fmt(other.value, other.unit)}{other.unit}。")
        return replace(got[0], text=text, value=pick.value, unit=pick.unit), got[1]

    def _a_each(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """'A和B各多少': each figure on its own line, no single value."""
        figs: list[Fig] = []
        for side in self._sides(it, ""):
            f = self._fig_side(it, side, docs, ctx)
            if isinstance(f, Answer):
                return f, ctx
            if f is None:
                return None
            figs.append(f)
        if len(figs) < 2:
            return None
        parts = [self._say(f, it)[0] for f in figs]
        cites = tuple(dict.fromkeys(c for f in figs for c in f.cites))
        return (Answer(it.question, "answered", "；".join(parts) + "。", None, None, cites,
                       items=tuple(Item(f.label, f.value, f.unit) for f in figs)),
                Context(figs=figs[-2:], doc=figs[0].doc, what="each"))

    def _a_diff(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        op = next((w for w in ("比", "减", "和", "与", "跟") if w in it.text), "")
        got = self._two(it, ctx, docs, op)
        if not isinstance(got, tuple):
            return (got, ctx) if isinstance(got, Answer) else None
        a, b = got
        if a.unit != b.unit or a.value is None or b.value is None:
            return None
        if a.doc in self.docs and b.doc in self.docs and self.docs[a.doc].unit_name != self.docs[b.doc].unit_name:
            a = replace(a, label=f"{self._short_unit(a.doc)}{a.label}")
            b = replace(b, label=f"{self._short_unit(b.doc)}{b.label}")
        elif a.label == b.label and "年初预算" in (a.column, b.column):
            # one subject's 决算数 and the 年初预算 its 决算 states: named by what each is
            a, b = (replace(f, label=f.label + ("年初预算" if f.column == "年初预算" else "决算数")) for f in (a, b))
        d = round(a.value - b.value, 6)
        v, u = self._convert(abs(d), a.unit, it)
        der = f"{a.label} {fmt(a.value, a.unit)} − {b.label} {fmt(b.value, b.unit)} = {fmt(d, a.unit)}{a.unit}"
        word = "多" if d >= 0 else "少"
        ya, yb = self._fig_year(a), self._fig_year(b)
        # two years of one subject: the change is said with its direction too (减少2.00万元)
        said = f"，即{change_said(max(ya, yb), min(ya, yb), d if ya > yb else -d, u)}" \
            if ya is not None and yb is not None and ya != yb and it.money_unit is None else ""
        text = f"{a.label}比{b.label}{word}{fmt(v, u)}{u}{said}（{der}）。"
        return (Answer(it.question, "answered", text, v, u, tuple(dict.fromkeys(a.cites + b.cites)), derivation=der),
                Context(figs=[a, b], doc=a.doc, what="diff"))

    def _a_avg(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        subjects, cols, tables = self._split(it)
        for m in subjects:
            refs = [r for r in self.rows_for_mention(m, docs) if r.kind in ("固定资产占用情况表", "政府采购预算表")]
            for r in refs:
                cells = {c.column: c for c in self.cells(r.id)}
                qty = cells.get("数量")
                val = cells.get("价值") or cells.get("合计")
                if qty is None or val is None or not qty.value or val.value is None:
                    continue
                d = self.docs[r.doc]
                avg = round(val.value / qty.value, 6)
                v, u = self._convert(avg, d.money_unit, it)
                pm = re.search(r"[每一](辆|台|套|个|件|箱|张|把|部|人)", it.text)
                measure = cells.get("计量单位")
                per = pm.group(1) if pm else (it.measure or _unit_in(qty.raw) or (measure.raw if measure else "") or "个")
                der = f"{r.label}{val.column} {fmt(val.value, d.money_unit)}{d.money_unit} ÷ 数量 {fmt(qty.value)} = {fmt(avg, d.money_unit)}{d.money_unit}"
                text = f"{r.label}平均每{per}{fmt(v, u)}{u}（{der}）。"
                cites = (self.cite_row(r, val.column), self.cite_row(r, "数量"))
                return (Answer(it.question, "answered", text, round(v, 2) if v is not None else None, u, cites, derivation=der),
                        Context(figs=[Fig(r.label, avg, d.money_unit, cites, ref=r, doc=r.doc)], doc=r.doc, what="avg"))
        if subjects and "单价" not in cols:
            # a unit price the narrative states ("高清球机38台，每台0.87万元")
            return self._a_figure(replace(it, what="figure", columns=tuple(cols) + ("单价",)), ctx, docs)
        return None


def _whole_marked(text: str, m: "object", limit: int) -> bool:
    """Whether the mention is followed (before 占) by 中/里/当中/之中: "在三公经费中" names the whole."""
    end = getattr(m, "pos", 0) + len(getattr(m, "text", ""))
    return bool(re.match(r"(?:的)?(?:当中|之中|中|里面|里)", text[end:limit]))
