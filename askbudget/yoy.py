"""Year over year: the change the narrative states, last year's value derived from it (this year's
figure ∓ the change, or the sum of last year's parts), the growth rate; years that cannot be
derived are refused.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import replace

from .answer import Answer, Citation
from .parse import Intent
from .plan import Context, Fig, fmt, _lcs, MONEY, Resolver
from .vocab import key


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
            keys += list(self._TOTAL_KEYS)
        if "公用经费" in keys:
            keys.append("日常公用经费")
        return [k for k in dict.fromkeys(keys) if k]

    def _stmt_match(self, keys: list[str], docs: list[int]) -> list[sqlite3.Row]:
        cands = set()
        for k in self.v.statement_subjects:
            kk = re.sub(r"^(预算|其中)", "", k)
            for x in keys:
                if x == k or x == kk or (len(x) >= 3 and (k.endswith(x) or x.endswith(k) and len(k) >= 3) and abs(len(k) - len(x)) <= 2) \
                        or (len(x) >= 4 and _lcs(x, k) >= max(4, len(x) - 1)):
                    cands.add(k)
        return self.statements(cands, docs)

    def _a_yoy(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        if not docs:
            return None
        keys = self._yoy_keys(it)
        if not keys:
            return None
        latest = max(self.docs[d].year for d in docs)
        year = it.year
        if year is not None and year > latest:
            return self._refuse(it, f"文件只有{latest}年的预算，没有{year}年的数", "not_found"), ctx
        rows = self._stmt_match(keys, docs)
        by_doc: dict[int, list[sqlite3.Row]] = {}
        for r in rows:
            by_doc.setdefault(r["document_id"], []).append(r)
        d = self._one_doc(it, by_doc) if by_doc else None
        if isinstance(d, Answer):
            return d, ctx
        rows = by_doc.get(d, []) if d is not None else []
        cur_year = self.docs[d].year if d is not None else latest
        prev_year = cur_year - 1
        if year is not None and year < cur_year and not any(r["base_year"] == year or r["year"] == year for r in rows):
            return self._refuse(it, f"文件只有{cur_year}年的预算及与{prev_year}年的比较，推算不出{year}年的数", "not_found"), ctx
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

    def _prev_total_from_parts(self, it: Intent, d: int, cur_year: int, prev_year: int) -> tuple[Answer, Context] | None:
        """Last year's total = the sum of last year's parts the 收入/支出情况 sentence gives, when it lists them all."""
        doc = self.docs[d]
        rows = self.q("SELECT s.subject, s.value, s.change_dir, s.change, s.year, s.sentence, sec.path AS heading "
                      "FROM statements s JOIN sections sec ON sec.id = s.section_id WHERE s.document_id = ? ORDER BY s.id", (d,))
        for total in rows:
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
