"""Lists, rankings and counts: the children of a subject, the rows of a column or a table, the
projects the narrative lists, or the previous answer's list ("其中最大的一项").
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Sequence

from . import settings
from .answer import Answer, Citation, Item
from .parse import Intent, Mention
from .plan import _col_score, Context, Fig, fmt, _json_list, PREF, Resolver, RowRef
from .vocab import key


class ListMixin(Resolver):
    """Members of a group, ranked, listed or counted."""

    def _members(self, it: Intent, docs: list[int], ctx: Context) -> tuple[list[Fig], str, str] | Answer | None:
        """The members of the group the question names: (figures, group label, column). The group is
        one document's: where several units' documents hold it and the question names none, the answer
        asks which unit (``_one_doc``), exactly as a figure's does."""
        subjects, cols, tables = self._split(it)
        if it.what == "list" and subjects:
            cols = [c for c in cols if key(c) != "数量"]  # "下面有哪几项": 项 counts members, it is no 数量 column
        if not subjects and not cols and not tables and ctx.what in ("list", "rank") and (ctx.members or ctx.figs):
            return list(ctx.members or ctx.figs), "上述各项", ""
        if not subjects and not cols and ctx.refs:
            ref = ctx.refs[0]
            return self._children(ref, cols), ref.label, ""
        found: dict[int, tuple[list[Fig], str, str]] = {}
        for d in docs:
            got = self._members_in(it, [d], subjects, cols, tables, ctx)
            if isinstance(got, Answer):
                return got
            if got:
                found[d] = got
        one = self._one_doc(it, found)
        return found[one] if isinstance(one, int) else one

    def _members_in(self, it: Intent, docs: list[int], subjects: list[Mention], cols: list[str], tables: list[str],
                    ctx: Context) -> tuple[list[Fig], str, str] | Answer | None:
        """``_members`` in one document."""
        for m in subjects:
            if m.has("total") and not m.has("row", "item"):
                continue
            refs = self.rows_for_mention(m, docs)
            if tables:
                refs = [r for r in refs if r.kind in tables] or refs
            one = self._refs_of_one_doc(it, [r for r in refs if self._children(r, cols)])
            if isinstance(one, Answer):
                return one
            refs = one or []
            for r in self._order(refs, [], tables, ctx):
                kids = self._children(r, cols)
                if kids:
                    return kids, r.label, cols[0] if cols else ""
        for m in subjects:
            if m.has("project") and not m.has("row", "item"):
                projects = m.targets("project")
                refs = self.rows_where(f"t.kind = '政府采购预算表' AND r.is_total = 0 AND r.group_name IN "
                                       f"({self._in(len(projects))})", projects, docs)
                figs = [f for f in (self.fig_of(r) for r in refs) if f is not None]
                if figs:
                    return figs, f"{m.text}采购的物品", ""
        if tables and not subjects and not cols:
            for kind in tables:
                for t in self.tables_of(kind, docs):
                    refs = self.rows_where("r.table_id = ? AND r.is_total = 0", (t["id"],), docs)
                    parents = {r.parent_code for r in refs if r.parent_code}
                    leaves = [r for r in refs if not (r.code and r.code in parents)]
                    figs = [f for f in (self.fig_of(r) for r in leaves) if f is not None and f.value is not None]
                    if figs:
                        return figs, t["title"], ""
        # "有哪些项目" / "绩效目标表有哪些": the projects that have a 绩效目标表
        if not subjects and not cols and (re.search(r"项目", it.text) or "绩效目标表" in tables) \
                and not re.search(r"项目支出", it.text):
            rows = self.q(f"SELECT document_id, title, project FROM tables WHERE kind = '绩效目标表' AND project != '' "
                          f"AND document_id IN ({self._in(len(docs))}) ORDER BY document_id, seq", list(docs))
            by_doc: dict[int, list[Any]] = {}
            for r in rows:
                by_doc.setdefault(r["document_id"], []).append(r)
            d = self._one_doc(it, by_doc)
            if isinstance(d, Answer):
                return d
            if d is not None:
                doc = self.docs[d]
                figs = [Fig(r["project"], None, "", (Citation(doc.name, doc.unit_name, doc.year, r["title"], "", ""),),
                            doc=d) for r in by_doc[d]]
                return figs, "有绩效目标的预算项目", ""
        # "项目支出" as a list of projects: the narrative's project list
        if any(key(c) == "项目支出" for c in cols) or any(m.key == "项目支出" for m in it.subjects):
            if not tables:
                st = self.q("SELECT s.subject, s.value, s.unit, s.document_id, sec.path AS heading FROM statements s JOIN sections sec "
                            "ON sec.id = s.section_id WHERE s.sentence LIKE ? AND s.value IS NOT NULL AND s.document_id IN "
                            f"({self._in(len(docs))}) ORDER BY s.id", ["%项目支出%包括%", *docs])
                projects = {key(p) for p in self.v.projects}
                figs = [Fig(s["subject"], s["value"], s["unit"] or "万元", (self.cite_section(s["document_id"], s["heading"]),),
                            doc=s["document_id"]) for s in st
                        if key(s["subject"]) in projects or any(key(s["subject"]) in p or p in key(s["subject"]) for p in projects)]
                if figs:
                    return figs, "项目支出", ""
        for m in subjects:
            for kind in m.targets("total"):
                trows, tabs = self.total_row(kind, docs)
                for t in tabs:
                    refs = self.rows_where("r.table_id = ? AND r.is_total = 0", (t["id"],), docs)
                    top = [r for r in refs if not r.group_name or kind == "政府采购预算表"]
                    figs = [f for f in (self.fig_of(r, cols) for r in top) if f is not None]
                    if figs:
                        return figs, m.text, cols[0] if cols else ""
        if "采购物品名称" in cols and not subjects and not tables:
            # "要采购什么" with no item or project named: every item of the 政府采购 table
            _, tabs = self.total_row("政府采购预算表", docs)
            for t in tabs:
                refs = self.rows_where("r.table_id = ? AND r.is_total = 0", (t["id"],), docs)
                figs = [f for f in (self.fig_of(r) for r in refs) if f is not None]
                if figs:
                    return figs, "政府采购", ""
        if cols and any(key(c) in self.v.terms.get("home") for c in cols):
            home_map = self.v.terms.get("home")
            homed = [c for c in cols if key(c) in home_map]
            main = homed[-1:] or cols[:1]
            hints = [key(c) for c in cols if c not in main]
            homes = list(tables) + [home_map[key(c)] for c in main if key(c) in home_map]
            for c in main:
                kinds = homes + [k for k in PREF if k not in homes]
                tabs = [t for kind in kinds for t in self.tables_of(kind, docs)]
                tabs.sort(key=lambda t: -sum(1 for h in hints if h in key(t["title"])))
                for t in tabs:
                        if not any(_col_score(name, "", c) >= 3 for name in _json_list(t["columns"])):
                            continue
                        refs = self.rows_where("r.table_id = ? AND r.is_total = 0", (t["id"],), docs)
                        parents = {r.parent_code for r in refs if r.parent_code}
                        leaves = [r for r in refs if not (r.code and r.code in parents)]
                        figs = [f for f in (self.fig_of(r, [c]) for r in leaves) if f and f.value]
                        if figs:
                            return figs, c, c
        return None

    def _children(self, ref: RowRef, cols: Sequence[str]) -> list[Fig]:
        if ref.code:
            kids = self.rows_where("r.table_id = ? AND r.parent_code = ?", (ref.table_id, ref.code), [ref.doc])
        else:
            kids = self.rows_where("r.table_id = ? AND r.group_name = ? AND r.is_total = 0", (ref.table_id, ref.label), [ref.doc])
        return [f for f in (self.fig_of(k, cols) for k in kids) if f is not None]

    def _a_rank(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        got = self._members(it, docs, ctx)
        if isinstance(got, Answer):
            return got, ctx
        if not got:
            return None
        figs, group, col = got
        figs = [f for f in figs if f.value is not None]  # an empty cell is 0 budgeted: it can be the least
        if not figs:
            return None
        if any(key(c) in ("数量", "单价") for c in it.columns) and any(f.column != key(next(
                c for c in it.columns if key(c) in ("数量", "单价"))) for f in figs):
            return None  # "数量最多的采购物品" is never ranked by money
        if len({f.unit for f in figs}) > 1:
            return None  # 台, 箱 and 套 are not one scale
        lowest = "min" in it.cues and "max" not in it.cues
        figs.sort(key=lambda f: (f.value if lowest else -f.value))  # type: ignore[operator]
        n = it.topn or 1
        top = figs[:n]
        unit = top[0].unit
        word = "最少" if lowest else "最多"
        items = tuple(Item(f.label, f.value, f.unit) for f in figs)
        if n == 1:
            f = top[0]
            v, u = self._convert(f.value, f.unit, it)
            ties = [g.label for g in figs[1:] if g.value == f.value]
            text = f"{group}{('的' + col) if col and col != group else ''}中{word}的是{f.label}，{fmt(v, u)}{u}"
            if ties:
                text += "（并列：" + "、".join(ties) + "）"
            return (Answer(it.question, "answered", text + "。", v, u, f.cites + tuple(c for g in figs[1:3] for c in g.cites[:1]),
                           items=items),
                    Context(figs=[f], refs=[f.ref] if f.ref else [], doc=f.doc, what="rank", members=list(figs)))
        text = f"{group}中{word}的{n}项：" + "；".join(f"{f.label}{fmt(f.value, f.unit)}{f.unit}" for f in top)
        cites = tuple(dict.fromkeys(c for f in top for c in f.cites))
        return (Answer(it.question, "answered", text + "。", None, None, cites, items=tuple(Item(f.label, f.value, f.unit) for f in top)),
                Context(figs=top, doc=top[0].doc, what="rank", members=list(figs)))

    def _a_list(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        if it.facts:
            return self._a_fact(it, ctx, docs)
        got = self._members(it, docs, ctx)
        if isinstance(got, Answer):
            return got, ctx
        if not got:
            if any(m.has("gloss") for m in it.subjects):
                return self._a_glossary(it, ctx, docs)
            return None
        figs, group, col = got
        figs = figs[: int(settings.MAX_ROWS)]
        if not figs:
            return None
        parts = [f"{f.label}{fmt(f.value, f.unit)}{f.unit}" if f.value is not None else f.label for f in figs]
        text = f"{group}包括{len(figs)}项：" + "、".join(parts) + "。"
        cites = tuple(dict.fromkeys(c for f in figs for c in f.cites[:1]))[:6]
        return (Answer(it.question, "answered", text, None, None, cites, items=tuple(Item(f.label, f.value, f.unit) for f in figs)),
                Context(figs=figs, refs=[f.ref for f in figs if f.ref], doc=figs[0].doc, what="list", members=list(figs)))

    def _a_count(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        if it.facts:
            return self._a_fact(it, ctx, docs)
        if any(m.has("row", "item", "alias", "code", "stmt") and not m.has("total") for m in it.subjects):
            got = self._a_figure(replace(it, columns=tuple(dict.fromkeys(it.columns + ("数量",)))), ctx, docs)
            if got:
                return got
        if it.leftover and (not it.subjects or sum(len(w) for w in it.leftover) >= 4):
            # "监督检查多少个采购项目", "智慧平安社区项目覆盖几个小区": words no name covers describe an
            # indicator (or something the documents lack), never the count of a list's members
            return self._indicator(it, docs, ctx)
        # 几个/多少个 asks how many members, not a 数量 column
        bare = replace(it, subjects=tuple(m for m in it.subjects if not (m.has("column") and set(m.targets("column")) <= {"数量"})),
                       columns=tuple(c for c in it.columns if c != "数量"))
        got = self._members(bare, docs, ctx)
        if isinstance(got, Answer):
            return got, ctx
        if not got:
            return self._a_figure(it, ctx, docs)
        figs, group, col = got
        if not figs:
            return None
        text = f"{group}共{len(figs)}项：" + "、".join(f.label for f in figs) + "。"
        return (Answer(it.question, "answered", text, float(len(figs)), "项", tuple(dict.fromkeys(c for f in figs for c in f.cites[:1]))[:6],
                       items=tuple(Item(f.label, f.value, f.unit) for f in figs)), Context(figs=figs, doc=figs[0].doc))
