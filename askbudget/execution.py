"""预算 and 决算: which kind a question reads, how the budget was carried out (执行率), and why.

``answer_of_kind`` runs a question on one kind per unit-year (``Resolver.kind_scope``) and makes every
answer name the kind it gives; ``_a_exec`` is 决算 ÷ 预算 and their difference, each figure read by the
ordinary figure answer of its own kind, with both citations; ``_a_reason`` on a 决算 quotes the reason the
narrative gives for 决算数 against 预算数 ("决算数小于预算数的主要原因：…"), or says honestly that the file
gives none. docs/answering.md, "预算 and 决算".
"""
from __future__ import annotations

import re
from dataclasses import replace

from .answer import Answer
from .narrative import NarrativeMixin, _subject_score
from .parse import Intent
from .plan import Context, Fig, fmt, MONEY, _same_subject
from .vocab import key

# the 决算 template's sentence about 决算 against 预算: "决算数小于预算数的主要原因：…", "决算数与预算数持平"
_EXEC_REASON = re.compile(r"决算数?(?:大于|小于|高于|低于|超过|少于|多于)(?:年初)?预算数?的?主要原因|决算数?与(?:年初)?预算数?持平")
_ITEM_START = re.compile(r"(?:^|(?<=[。；\n]))\s*(?:\d+\s*[.、．]|[（(][一二三四五六七八九十\d]+[)）])")
_ASKS_CHANGE = re.compile(r"增加|减少|增长|下降|上升|降低|变化|去年|上年|比20\d\d")
_ASKS_GAP = re.compile(r"超支|没花完|没用完|差|多|少|节约|省|结余|剩")


class ExecutionMixin(NarrativeMixin):
    """预算/决算 scoping, 执行率 and the reasons of a 决算 (mixed into the Answerer)."""

    def answer_of_kind(self, it: Intent, ctx: Context) -> tuple[Answer, Context]:
        """``_answer`` on the documents of one kind per unit-year, the answer naming that kind."""
        if it.what == "refuse":
            return self._answer(it, ctx)  # type: ignore[attr-defined]
        if not it.doc_kinds and it.followup and ctx.intent is not None and ctx.intent.doc_kinds:
            it = replace(it, doc_kinds=ctx.intent.doc_kinds)  # "水费呢" after "电费实际花了多少"
        if it.what == "exec":
            return self._a_exec(it, ctx)
        scoped = self.kind_scope(it)
        if isinstance(scoped, Answer):
            return scoped, ctx
        it, docs = scoped
        self.docs = docs
        try:
            ans, new = self._answer(it, ctx)  # type: ignore[attr-defined]
        finally:
            self.docs = self.all_docs
            self.final_cues = ()
        return self._of_subunit(it, self._kinds_named(it, ans)), new

    def _of_subunit(self, it: Intent, ans: Answer) -> Answer:
        """A question naming a subordinate unit's row (疾控中心的三公经费) is answered only from that row: a figure
        of the 部门 as a whole (a narrative sentence, another table) is never given for it."""
        subunits = self.v.subunits  # type: ignore[attr-defined]
        named = [(m, {t for k, t in m.kinds if k == "row" and t in subunits}) for m in it.subjects]
        named = [(m, labels) for m, labels in named if labels]
        if ans.status != "answered" or not named:
            return ans
        for m, labels in named:
            if not any(c.row.endswith(lab) for c in ans.citations for lab in labels):
                return Answer(it.question, "not_found", f"文件中没有“{m.text}”单独的这个数（"
                              f"{'、'.join(sorted(labels))}只在按单位分列的表中有一行）。",
                              suggestions=ans.suggestions, intent=ans.intent)
        return ans

    def _kinds_named(self, it: Intent, ans: Answer) -> Answer:
        """Citations carry their document's kind; a 决算 answer says 决算; figures of two kinds are never
        combined; a 预算 answered where the unit-year also has a 决算 says so and offers it."""
        by_name = self._store_index()[0]
        cites = tuple(replace(c, kind=d.kind) if (d := by_name.get(c.document)) is not None and c.kind != d.kind else c
                      for c in ans.citations)
        if any(a is not b for a, b in zip(cites, ans.citations)):
            ans = replace(ans, citations=cites)
        if ans.status != "answered" or not cites:
            return ans
        cited = [by_name[c.document] for c in cites if c.document in by_name]
        kinds = {d.kind for d in cited}
        if len(kinds) > 1 and (ans.derivation or ans.items):
            return replace(ans, status="not_found", value=None, unit=None, items=(), derivation="",
                           text="这些数一个是预算数、一个是决算数，不能直接合在一起算或比较；请分别问，"
                                "或问同一年的执行率（决算 ÷ 预算）。")
        text = ans.text
        figures = ans.value is not None or bool(ans.items)
        if kinds == {"决算"} and "决算" not in text and figures:
            years = "、".join(str(y) for y in sorted({d.year for d in cited}))
            # a 预算 a 决算 prints (三公 预算数, 年初预算) is named as such: the 决算 is its source, not its kind
            text = text.rstrip("。") + (f"（据{years}年决算）。" if "预算" in text else f"（{years}年决算数）。")
        if kinds == {"预算"} and not it.doc_kinds and figures:
            groups = self._kind_groups()[0]
            both = [d for d in cited if "决算" in groups.get((d.unit_name, d.year), {})]
            if both:
                d = both[0]
                what = self._subject_name(it) or ""
                q = f"{what}{d.year}年决算是多少？" if what else f"{d.year}年决算支出总计是多少？"
                text = text.rstrip("。") + f"。这是{d.year}年的预算数；该年还有决算，可问“{q}”"
                return replace(ans, text=text + "。", suggestions=(q,) + tuple(s for s in ans.suggestions if s != q))
        return ans if text == ans.text else replace(ans, text=text)

    # ------------------------------------------------------------ 执行率
    def _a_exec(self, it: Intent, ctx: Context) -> tuple[Answer, Context]:
        """决算 ÷ 预算 of one subject in one unit-year, and 决算 − 预算, with both figures cited; a rate the
        决算 states for the same two figures ("完成年初预算的 98%") is quoted. No subject named (and none
        before): the 决算's own headline comparison (its first 年初预算 statement with both figures)."""
        if not it.subjects and ctx.intent is not None and ctx.intent.subjects:
            it = replace(it, subjects=ctx.intent.subjects, unit_doc=it.unit_doc if it.unit_doc is not None
                         else ctx.intent.unit_doc)  # "执行率呢" after "水体决算多少"
        if not it.subjects:
            headline = self._headline_exec(it)
            if headline is not None:
                return headline, ctx
        base = replace(it, what="figure", cues=it.cues - {"exec"})
        fa, _ = self.answer_of_kind(replace(base, doc_kinds=("决算",)), Context())
        if fa.status != "answered" or fa.value is None or fa.unit not in MONEY:
            # the table's figure cannot be read (a shifted table): the narrative may state both figures
            stated = self._headline_exec(it, {m.key for m in it.subjects} | {
                key(t) for m in it.subjects for k, t in m.kinds if k in ("row", "stmt", "alias") and "|" not in t})
            if stated is not None:
                return stated, ctx
            why = fa.text if fa.status != "answered" else "这个数不是金额，没有执行率。"
            return replace(fa, status="not_found" if fa.status == "answered" else fa.status, text=why, value=None,
                           unit=None, question=it.question), ctx
        final = self._cited_doc(fa)
        if final is None:
            return self._not_exec(it, "没有找到决算数所在的文件"), ctx
        sql = self.sql_log
        bq = replace(base, doc_kinds=("预算",), year=final.year, years=(), year_rel=None, year_rels=(),
                     unit_doc=final.id, unit_docs=())
        ba, _ = self.answer_of_kind(bq, Context())
        self.sql_log = sql + self.sql_log
        budget = self._cited_doc(ba)
        if ba.status != "answered" or ba.value is None or ba.unit not in MONEY or budget is None \
                or (budget.unit_name, budget.year) != (final.unit_name, final.year):
            return self._not_exec(it, f"库中有{final.year}年的决算数（{fa.text.rstrip('。')}），但没有同一年的预算数可比"), ctx
        if {(c.table, c.row, c.column) for c in fa.citations[:1]} == {(c.table, c.row, c.column) for c in ba.citations[:1]}:
            return self._not_exec(it, f"库中有{final.year}年的决算数（{fa.text.rstrip('。')}），但没有另列的预算数可比"), ctx
        a = fa.value * MONEY[fa.unit] / 1e4
        b = ba.value * MONEY[ba.unit] / 1e4
        unit = it.money_unit if it.money_unit in MONEY else "万元"
        conv = 1e4 / MONEY[unit]
        a_u, b_u, gap = round(a * conv, 6), round(b * conv, 6), round((a - b) * conv, 6)
        name = self._subject_name(it) or "支出"
        rate = round(a / b * 100, 6) if b else None
        more = "多" if gap > 0 else "少"
        der = (f"执行率 = 决算数 {fmt(a_u, unit)} ÷ 预算数 {fmt(b_u, unit)} × 100% = {fmt(rate)}%；" if rate is not None
               else "预算数为0，没有执行率；") + f"决算 − 预算 = {fmt(a_u, unit)} − {fmt(b_u, unit)} = {fmt(gap, unit)}{unit}"
        text = (f"{name}{final.year}年决算数{fmt(a_u, unit)}{unit}，预算数{fmt(b_u, unit)}{unit}："
                + (f"执行率{fmt(rate)}%，" if rate is not None else "预算数为0，没有执行率，")
                + (f"决算比预算{more}{fmt(abs(gap), unit)}{unit}" if gap else "决算与预算持平")
                + ("（超支）" if gap > 0 else "") + "。")
        stated = self._stated_rate(final.id, a, b)
        if stated is not None and rate is not None:
            text = text.rstrip("。") + f"；文件所述完成年初预算的{fmt(stated)}%。"
            der += f"（文件所述：完成年初预算的{fmt(stated)}%）"
        asks_gap = bool(_ASKS_GAP.search(re.sub(r"多少|执行得|完成|比例|比率", "", it.text))) or rate is None
        value, vunit = (abs(gap), unit) if asks_gap else (stated if stated is not None else rate, "%")
        cites = tuple(dict.fromkeys(fa.citations + ba.citations))
        ans = Answer(it.question, "answered", text, value, vunit, cites, derivation=der,
                     sql=";\n".join(dict.fromkeys(self.sql_log)), intent=it.describe())
        # "相差多少" next: the two figures compared
        figs = [Fig(f"{name}决算数", a_u, unit, fa.citations, doc=final.id),
                Fig(f"{name}预算数", b_u, unit, ba.citations, doc=final.id)]
        return ans, Context(intent=it, doc=final.id, what="exec", figs=figs)

    def _stated_rate(self, doc: int, actual: float, budget: float) -> float | None:
        """The "完成年初预算的 N%" the 决算 states for these same two figures, if it does."""
        rows = self.q("SELECT completion_pct FROM statements WHERE document_id = ? AND basis = '年初预算' AND "
                      "completion_pct IS NOT NULL AND abs(value - ?) < 0.005 AND abs(base_value - ?) < 0.005",
                      (doc, actual, budget))
        return rows[0]["completion_pct"] if rows else None

    def _headline_exec(self, it: Intent, names: set[str] | None = None) -> Answer | None:
        """"完成年初预算的百分之几" with no subject: the 决算's first comparison of both printed figures
        (一般公共预算财政拨款支出 年初预算 → 决算), its stated rate quoted, else the rate of the two."""
        finals = [d for d in self.all_docs.values() if d.kind == "决算"
                  and (it.unit_doc is None or d.unit_name == self.all_docs[it.unit_doc].unit_name)
                  and (it.year is None or d.year == it.year)]
        if len({(d.unit_name, d.year) for d in finals}) != 1:
            return None
        d = finals[0]
        rows = self.q("SELECT s.subject, s.value, s.base_value, s.completion_pct, s.sentence, sec.path AS heading "
                      "FROM statements s JOIN sections sec ON sec.id = s.section_id WHERE s.document_id = ? AND "
                      "s.basis = '年初预算' AND s.base_value IS NOT NULL AND s.value IS NOT NULL ORDER BY s.id",
                      (d.id,))
        if names is not None:  # the subject named, stated once
            rows = [r for r in rows if _same_subject(key(r["subject"]), names)]
            if len({(r["value"], r["base_value"]) for r in rows}) != 1:
                return None
        if not rows:
            return None
        r = rows[0]
        a, b = r["value"], r["base_value"]
        rate = round(a / b * 100, 6) if b else None
        gap = round(a - b, 6)
        stated = r["completion_pct"]
        der = (f"执行率 = 决算数 {fmt(a, '万元')} ÷ 年初预算 {fmt(b, '万元')} × 100% = {fmt(rate)}%" if rate is not None
               else "年初预算为0，没有执行率") + (f"（文件所述：完成年初预算的{fmt(stated)}%）" if stated is not None else "")
        text = (f"{r['subject']}{d.year}年年初预算{fmt(b, '万元')}万元，决算{fmt(a, '万元')}万元，"
                + (f"完成年初预算的{fmt(stated)}%（文件所述）" if stated is not None else
                   f"执行率{fmt(rate)}%" if rate is not None else "年初预算为0")
                + (f"，决算比预算{'多' if gap > 0 else '少'}{fmt(abs(gap), '万元')}万元" if gap else "，决算与预算持平")
                + "。")
        asks_gap = bool(_ASKS_GAP.search(re.sub(r"多少|执行得|完成|比例|比率", "", it.text))) or rate is None
        value, unit = (abs(gap), "万元") if asks_gap else (stated if stated is not None else rate, "%")
        cite = replace(self.cite_section(d.id, r["heading"]), kind="决算")
        return Answer(it.question, "answered", text, value, unit, (cite,), derivation=der, intent=it.describe())

    def _not_exec(self, it: Intent, why: str) -> Answer:
        return Answer(it.question, "not_found", why + "。", suggestions=tuple(self.suggest(it)), intent=it.describe())

    def _cited_doc(self, ans: Answer):  # type: ignore[no-untyped-def]
        by_name = {d.name: d for d in self.all_docs.values()}
        docs = [by_name[c.document] for c in ans.citations if c.document in by_name]
        return docs[0] if docs else None

    # ------------------------------------------------------------ reasons
    def _a_reason(self, it: Intent, ctx: Context, docs: list[int], need_marker: bool = True
                  ) -> tuple[Answer, Context] | None:
        finals = [d for d in docs if self.doc_kind(d) == "决算"]
        if finals and need_marker and ("exec" in it.cues or "预算" in it.doc_kinds or (
                "决算" in it.doc_kinds and not _ASKS_CHANGE.search(it.text))):
            return self._exec_reason(it, finals)
        if finals and it.subjects:
            said = self._year_reason(it, finals)
            if said is not None:
                return said
        return super()._a_reason(it, ctx, docs, need_marker)

    def _stated_reason(self, it: Intent, docs: list[int]) -> tuple[Answer, Context] | None:
        """The reason a 决算 states for one subject's 决算 against its 年初预算, read at ingest into its
        statement (basis 年初预算) — the subject named, or none named: the first (the headline) one."""
        names = {m.key for m in it.subjects} | {key(t) for m in it.subjects for k, t in m.kinds
                                                 if k in ("row", "stmt", "alias") and "|" not in t}
        rows = self.q(f"SELECT s.document_id, s.subject, s.value, s.base_value, s.reason, s.sentence, "
                      f"sec.path AS heading FROM statements s JOIN sections sec ON sec.id = s.section_id "
                      f"WHERE s.basis = '年初预算' AND s.base_value IS NOT NULL AND s.document_id IN "
                      f"({self._in(len(docs))}) ORDER BY s.id", docs)
        rows = [r for r in rows if _same_subject(key(r["subject"]), names)] if it.subjects else rows[:1]
        if not rows or len({r["document_id"] for r in rows}) > 1 or len({r["value"] for r in rows}) > 1:
            return None  # nothing stated, or one name of several items (行政运行 under two 款): the text decides
        r = rows[0]
        if not r["reason"]:
            return None
        cite = replace(self.cite_section(r["document_id"], r["heading"]), kind="决算")
        over = r["value"] > r["base_value"]
        premise = ""
        if over and re.search(r"没花完|没用完|结余|节约|少花|没有完成|未完成", it.text):
            premise = "该项决算数大于预算数（超支），不是没花完。"
        elif not over and r["value"] != r["base_value"] and re.search(r"超支|超过|多花", it.text):
            premise = "该项决算数小于预算数，没有超支。"
        text = f"{premise}据“{r['heading']}”：{_clip(r['sentence'], 200)}主要原因：{r['reason']}。"
        return Answer(it.question, "answered", text, None, None, (cite,), intent=it.describe()), Context(doc=r["document_id"])

    def _year_reason(self, it: Intent, docs: list[int]) -> tuple[Answer, Context] | None:
        """Why a 决算 figure changed against the year before: the reason the narrative gives on the
        statement about that subject (basis 上年决算: "…收入支出总计减少 959.49 万元…主要原因：基建项目支出减少")."""
        names = {m.key for m in it.subjects} | {key(t) for m in it.subjects for k, t in m.kinds
                                                 if k in ("row", "stmt", "alias") and "|" not in t}
        rows = [r for r in self.q(
            f"SELECT s.document_id, s.subject, s.change_dir, s.change, s.reason, s.sentence, sec.path AS heading "
            f"FROM statements s JOIN sections sec ON sec.id = s.section_id WHERE s.basis = '上年决算' AND "
            f"s.reason != '' AND s.document_id IN ({self._in(len(docs))}) ORDER BY s.id", docs)
            if _same_subject(key(r["subject"]), names)]
        if not rows:
            return None
        r = rows[0]
        if len({x["document_id"] for x in rows}) > 1 and it.unit_doc is None:
            return None
        cite = replace(self.cite_section(r["document_id"], r["heading"]), kind="决算")
        text = f"据“{r['heading']}”：{_clip(r['sentence'], 200)}主要原因：{r['reason']}。"
        return (Answer(it.question, "answered", text, None, None, (cite,), intent=it.describe()),
                Context(doc=r["document_id"]))

    def _exec_reason(self, it: Intent, docs: list[int]) -> tuple[Answer, Context] | None:
        """Why a 决算 differs from its 预算: the reason sentence of the narrative's item about the subject
        (the template writes each 项 as "N、…（类）…（款）…（项）。…年初预算为…，支出决算为…。决算数小于预算数
        的主要原因：…"), or "文件没有说明原因" — never another item's reason."""
        said = self._stated_reason(it, docs)
        if said is not None:
            return said
        words = self._subject_words(it, docs)
        found: list[tuple[float, int, str, str, str]] = []  # (score, doc, heading, item text, reason sentence)
        for s in self.sections(docs):
            text = s["text"] or ""
            starts = [m.start() for m in _ITEM_START.finditer(text)] + [len(text)]
            pieces = [text[a:b] for a, b in zip([0] + starts[:-1], starts) if text[a:b].strip()]
            for piece in pieces:
                m = _EXEC_REASON.search(piece)
                head = piece[: m.start()] if m else piece
                score = max((_subject_score([w], key(head)) for w in words), default=0.0) if words else 0.5
                if words and score < 0.8:
                    continue
                exact = any(re.search(re.escape(w) + r"[（(]项[)）]", key(head)) or key(head).startswith(w) for w in words)
                sent = ""
                if m:
                    end = re.search(r"[。；]", piece[m.end():])
                    sent = piece[m.start(): m.end() + (end.end() if end else len(piece))].strip()
                found.append((score + (1.0 if exact else 0.0) + (0.5 if m else 0.0), s["document_id"],
                              s["path"] or s["heading"], head.strip(), sent))
        name = self._subject_name(it) or "支出"
        if not found:
            return (Answer(it.question, "not_found", f"文件没有说明{name}决算数与预算数不同的原因。", intent=it.describe()),
                    Context())
        found.sort(key=lambda x: -x[0])
        if not words:  # no subject named: the first reason the document gives (the 一般公共预算 total)
            found = [f for f in sorted(found, key=lambda x: (x[1], x[0] < 1.0)) if f[4]] or found
        best = found[0]
        _, d, heading, head, sent = best
        doc = self.docs[d]
        cite = replace(self.cite_section(d, heading), kind="决算")
        if not sent:
            return (Answer(it.question, "not_found", f"文件没有说明{name}决算数与预算数不同的原因"
                           f"（据“{heading}”：{_clip(head)}）。", citations=(cite,), intent=it.describe()), Context())
        over = bool(re.search(r"决算数?(?:大于|高于|超过|多于)", sent))
        premise = ""
        if over and re.search(r"没花完|没用完|结余|节约|少", it.text):
            premise = "该项决算数大于预算数（超支），不是没花完。"
        elif not over and "持平" not in sent and "超支" in it.text:
            premise = "该项决算数小于预算数，没有超支。"
        elif "持平" in sent and re.search(r"超支|没花完|没用完", it.text):
            premise = "该项决算数与预算数持平。"
        sent = re.sub(r"\s+", "", sent)
        text = f"{premise}据“{heading}”：{_clip(head)}{sent}"
        return (Answer(it.question, "answered", text, None, None, (cite,), intent=it.describe()),
                Context(doc=d))


def _clip(text: str, limit: int = 160) -> str:
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）.、．]\s*", "", text)
    return text if len(text) <= limit else text[:limit] + "……"
