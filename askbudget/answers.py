"""Intent -> Answer: dispatch by what is asked, follow-ups resolved against the previous turn.

The Answerer is the Resolver (plan.py: scope, subjects -> figures) with one mixin per kind of
answer (indicators, arithmetic, lists, narrative, year over year) and the figure/text answers here.
"""
from __future__ import annotations

import logging
import re
from dataclasses import replace

from . import lazyre
from .answer import Answer, Citation, Item
from .arith import ArithmeticMixin
from .errors import QueryError
from .execution import ExecutionMixin
from .indicators import IndicatorMixin
from .lists import ListMixin
from .narrative import _NATURE_ASKED, _NATURE_STATED, NarrativeMixin, PURPOSE_ASKED
from .parse import SIDES, Intent, Mention, parse, side_named, side_names
from .plan import asks_non_money, _col_score, Context, DEFAULT_COLUMNS, Fig, FINAL_COLUMNS, fmt, MONEY, Resolver, RowRef, _unit_in
from .vocab import key
from .yoy import YoyMixin


log = logging.getLogger("askbudget")

# "两者合计呢": a follow-up about the previous two figures
_PAIR = lazyre.compile(r"两者|二者|两项|它们|这两|两个数|两年")


# "其中项目支出多少", "那其中基本支出呢": a part of the subject just answered
_PART_OF_PREV = lazyre.compile(r"^(?:那|那么)?(?:这)?其中")

# the words that put a subject inside another: "公共安全支出中的执法办案"
_INSIDE = lazyre.compile(r"(?:中|里|里面|当中|之中|下|下面)的?|的")

_TEXT_COLUMNS = frozenset({"采购物品名称", "目录序号", "政府采购目录序号", "计量单位"})


_ASKS_WHO = lazyre.compile(r"(发给|给了?|发放给|用于|补助给|奖励给?)谁|谁(来)?(领|拿|得|享受)|哪些人|什么人|哪些学生")
_WHICH_FUNDS = lazyre.compile(r"什么资金|哪类资金|哪种资金|资金来源|什么钱|哪来的钱|钱从哪")
_FUND_COLUMNS = ("一般公共预算拨款", "基金预算拨款", "国有资本经营预算拨款", "财政专户核拨", "单位资金", "财政拨款结转",
                 "非财政拨款结转结余")
_WHICH_PROJECT = lazyre.compile(r"(哪个|哪一个|哪项|什么)项目|项目名称")


# what a refusal says is missing when the subject itself is in the store
_MISSING = {"reason": "说明它的原因", "yoy": "它与上年相比的数", "text": "这方面的文字说明", "when": "时间方面的说明",
            "glossary": "说明它的含义或用途"}

# what was done with the subjects, as the interpretation line says it
_KIND_WORDS = {"sum": "合计", "diff": "差额", "share": "占比", "ratio": "倍数", "exclude": "除去后", "compare": "比较",
               "rank": "排序", "list": "明细", "count": "个数", "avg": "平均", "yoy": "与上年比", "reason": "原因",
               "glossary": "名词解释", "text": "文字说明", "fact": "机构情况", "each": "分别", "code_of": "科目编码"}


# a question about what money is for, and a passage that says it
_PURPOSE = lazyre.compile(r"干什么|干啥|干嘛|做什么用|有什么用|用来|用场|用途|用在哪")
_PURPOSE_SAID = lazyre.compile(r"用于|用来|用途|反映|保障|开展|支付|包括")
# the question asks each of several figures, or a list: a list with no single value is its answer
_EACH_ASKED = lazyre.compile(r"分别|各|每一|每个|每年|逐年|列出|列一下|明细|哪些|都有|都是")
# "哪年多": a comparison of the figures just given, not the year of one of them
_MORE_LESS = lazyre.compile(r"(?<!多)[多少高低大小](?!少)")
# the readings that name a subject (what a part's name and a whole's name are compared by)
_NAMING = ("row", "alias", "std", "item", "stmt")

# a project's whole amount over its years, as a question asks it and as a sentence states it
_PROJECT_TOTAL = lazyre.compile(r"总投资|投资总额|资金总额|项目总额|总概算|计划总投资|一共投资|总共投资")

# "是什么设备", "有哪些项目": the thing whose identity is asked
_WHAT_THING = lazyre.compile(r"(?:是什么|是哪些|是哪种|是哪类|什么|哪些|哪种|哪类)([\u4e00-\u9fff]{1,4}?)(?:呢|吗|啊|[?？]|$)"
                             r"|([\u4e00-\u9fff]{2})(?:都|分别)?(?:是什么|是哪些)(?:呢|吗|啊|[?？])?$")

# "是基本支出还是项目支出": columns offered as a choice
_CHOICE = lazyre.compile(r"还是|或者|或是")
# "算基本支出吗", "是项目支出吗": one column asked yes or no — read with the column it is the other half of
_IS_COLUMN = lazyre.compile(r"(?:算|是|属于|算是)(?:不是)?(?:基本支出|项目支出|人员经费|公用经费)(?:吗|嘛|么|不)")
_COLUMN_PAIR = {"基本支出": "项目支出", "项目支出": "基本支出", "人员经费": "公用经费", "公用经费": "人员经费"}


# what follows a figure in a sentence that says what the money is or is for ("86.50万元为…资金", "…主要用于…")
_FOR_WHAT = lazyre.compile(r"[，,]?\s*(?:主要|全部|专项|专门|均|将)?(?:为|用于|用来|系|是)(?![\d,.]+\s*(?:万元|元|%))")

# a period a figure is asked per ("每个月", "每天"), and the one word each period is said with
_PER_PERIOD = lazyre.compile(r"每(?:一|个)?(月|天|日|周|星期|年|季度|季|学期)")
_PERIOD_WORD = {"日": "天", "星期": "周", "季": "季度"}
_PER_ITEM = lazyre.compile(r"[每一](辆|台|套|个(?!月|星期|季度|学期|周)|件|箱|张|把|部)")

_CHANGE_WORDS = lazyre.compile(r"比|较|相比|增加|减少|增长|下降|变化|增减|多了|少了|百分之|%")


def _goal_text(goal: str) -> str:
    """A 绩效目标 without its numbering ("1.目标内容 1 完成…" → "完成…")."""
    return re.sub(r"^\s*\d+[.、．]\s*(目标内容\s*\d*|目标\s*\d*[:：])?\s*", "", goal).strip()


# a follow-up that asks a difference: "相差多少", "多了多少", "少了多少", "差多少"
_DIFF_ASKED = re.compile(r"差|多了?多少|少了?多少")


def _parts_only(it: Intent) -> tuple[Mention, ...]:
    """The subjects of a turn without the wholes its parts were named in ("三公经费里公车运行费" is about 公车运行费):
    what a follow-up ("跟2025年比有变化吗") goes on asking about."""
    wholes = {id(w) for w in it.subjects for p in it.subjects
              if p.pos > w.pos and it.text[w.pos + len(w.text): p.pos] != "的"
              and _INSIDE.fullmatch(it.text[w.pos + len(w.text): p.pos])}
    return tuple(m for m in it.subjects if id(m) not in wholes)


class Answerer(ExecutionMixin, IndicatorMixin, ArithmeticMixin, ListMixin, NarrativeMixin, YoyMixin, Resolver):
    """Turns one Intent (plus the conversation Context) into an Answer."""

    def answer(self, it: Intent, ctx: Context) -> tuple[Answer, Context]:
        """The checked answer; a cited cell stored ``uncertain`` is never given, and every citation of a
        paged document names its page."""
        ans, new_ctx = self._checked(it, ctx)
        refused = self.refuse_uncertain(ans)
        return self.with_pages(refused), (new_ctx if refused is ans else ctx)

    def _checked(self, it: Intent, ctx: Context) -> tuple[Answer, Context]:
        """The answer to ``it``, checked against what the parser read: a span nobody read beside a subject,
        or an operator word the answer did not carry out, turns it into a refusal that says what the
        store has and what was not read (the conversation stays as it was)."""
        if it.what != "refuse":
            it = self._described(it)
        self.sql_log = []
        ans, new_ctx = self.answer_of_kind(it, ctx)  # one kind (预算/决算) per unit-year: execution.py
        if ans.status != "answered":
            return replace(ans, interpretation=self._interpretation(it, ans)), new_ctx
        side = self._side_unmet(it, ans, new_ctx)
        if side is not None:  # never a figure of the other side, nor a clause that states the subject's own
            cell = self._side_cell(it, ctx) if it.what == "figure" else None
            if cell is not None:
                return replace(cell[0], intent=ans.intent, interpretation=self._interpretation(it, cell[0])), cell[1]
            return replace(side, sql=ans.sql, intent=ans.intent, interpretation=self._interpretation(it, side)), ctx
        refusal = self._price_per_unmet(it, ans, new_ctx) or self._unread_refusal(it, ans) or self._column_unmet(it, ans) \
            or self._part_is_whole(it, ans) \
            or self._year_for_total(it, ans) or self._element_dropped(it, ans, new_ctx, ctx) \
            or self._operator_refusal(it, ans) \
            or self._same_as_before(it, ans, ctx) or self._subjects_unanswered(it, ans) or self._several_for_one(it, ans)
        if refusal is None:
            return replace(ans, interpretation=self._interpretation(it, ans)), new_ctx
        docs = self._docs(it)
        said = self._clause_figure(it, docs) if isinstance(docs, list) and "reason" not in it.cues else None
        if said is not None and (self._operator_refusal(it, said[0]) or self._unread_refusal(it, said[0])) is None:
            # "政府性基金预算拨款支出": not the table figure read, but a clause that says it whole — held to the same
            # reading (every operator carried, nothing unread beside the subject)
            return replace(said[0], intent=ans.intent, interpretation=self._interpretation(it, said[0])), said[1]
        return replace(refusal, sql=ans.sql, intent=ans.intent, interpretation=self._interpretation(it, refusal)), ctx

    def _interpretation(self, it: Intent, ans: Answer) -> str:
        """How the question was read, one short Chinese line a user can check at a glance:
        "电费 · 预算数 · 2023年 · 唐山市公安局高新技术产业开发区分局(本级)" — the subjects (as the document
        names them), what was done with them, the column, the year, the unit, and what was not read."""
        if it.what == "refuse" and not it.subjects:
            return "未读成关于预算文件的问题"
        parts: list[str] = []
        asked = list(dict.fromkeys(self._shown_name(m) for m in it.subjects))
        rows = list(dict.fromkeys(c.row for c in ans.citations if c.row))
        if ans.status == "answered" and rows:
            # a total row is named by what was asked (政府采购, 公用经费), never "合计"
            generic = [r for r in rows if key(r) in ("合计", "小计", "总计")]
            rows = [r for r in rows if r not in generic] + ([a for a in asked if a not in rows] if generic else [])
            names = rows[:3] + (["…"] if len(rows) > 3 else [])
        else:
            names = asked[:3]
        if names:
            parts.append("、".join(names))
        kind = _KIND_WORDS.get(it.what, "")
        if kind:
            parts.append(kind)
        cols = list(dict.fromkeys(c.column for c in ans.citations if c.column))
        if ans.status == "answered" and ans.value is not None and cols:
            plain = "决算数" if {c.kind for c in ans.citations} == {"决算"} else "预算数"
            parts.append("、".join(plain if c in ("合计", "金额", "", "决算数", "本年支出合计") else c for c in cols[:2]))
        if it.money_unit:
            parts.append(f"以{it.money_unit}计")
        years = list(dict.fromkeys(c.year for c in ans.citations if c.year))
        if not years:
            y = it.year if it.year is not None else (self.docs[it.unit_doc].year if it.unit_doc in self.docs else None)
            years = [y] if y else ([self.v.latest_year] if len(self.v.years) == 1 else [])
        if years:
            parts.append("、".join(f"{y}年" for y in years))
        units = list(dict.fromkeys(c.unit for c in ans.citations if c.unit))
        if not units:
            if it.unit_doc in self.docs:
                units = [self.docs[it.unit_doc].unit_name]
            elif len({d.unit_name for d in self.docs.values()}) == 1:
                units = [next(iter(self.docs.values())).unit_name]
        if units:
            parts.append("、".join(units[:2]))
        unread = list(dict.fromkeys(list(it.unread) + [lo for lo in it.leftover if lo not in it.unread]))
        if unread and ans.status != "answered":
            parts.append("未读懂：" + "、".join(unread))
        if ans.status != "answered" and it.ops:
            parts.append("运算词：" + "、".join(w for w, _ in it.ops))
        return " · ".join(parts)

    def _shown_name(self, m: Mention) -> str:
        for kind in ("row", "alias", "item", "project", "stmt", "std", "gloss"):
            for t in m.targets(kind):
                if "|" not in t:
                    return t
        return m.text

    def _subject_held(self, it: Intent, docs: list[int]) -> tuple[Answer, Context] | None:
        """An honest refusal when the subject is in the store but what is asked about it is not ("取暖费为什么
        减少" with no reason given): its figure, its stated change, and exactly what is missing."""
        missing = _MISSING.get(it.what)
        if missing is None:
            return None
        try:
            got = self._a_figure(replace(it, what="figure", op=None), Context(), docs)
        except Exception:  # noqa: BLE001 - a refusal's extra line only; the refusal stands without it
            log.exception("figure for a refusal: %s", it.question)
            got = None
        if got and got[0].status == "ambiguous" and len(docs) > 1:
            # several units hold it ("电费为什么增加" naming no unit): which unit, as the figure would ask —
            # never "文件中没有找到电费"
            holders = dict.fromkeys(d for d in docs if (one := self._a_figure(replace(it, what="figure", op=None), Context(), [d]))
                                    and one[0].status == "answered")
            which = self._one_doc(it, holders)
            if isinstance(which, Answer):
                return which, Context()
        if not got or got[0].status != "answered" or got[0].value is None:
            return None
        held = got[0].text.rstrip("。")
        change = ""
        if it.what != "yoy":
            try:
                ch = self._a_yoy(replace(it, what="yoy", op=None), Context(), docs)
                if ch and ch[0].status == "answered" and ch[0].value is not None:
                    change = "；" + ch[0].text.rstrip("。")
            except Exception:  # noqa: BLE001
                log.exception("change for a refusal: %s", it.question)
        text = f"文件有这一项：{held}{change}；但文件没有{missing}。"
        return Answer(it.question, "not_found", text, citations=got[0].citations,
                      suggestions=tuple(self.suggest(it))), Context()

    def _which_year(self, it: Intent, ctx: Context) -> Answer:
        """"这个数是哪年的": the year (and document) of the figure(s) just given — the last one after a
        one-figure answer (the figure before it is kept only for "两者"), both after a two-figure one."""
        said = []
        given = ctx.figs[-1:] if ctx.what in ("figure", "") else ctx.figs[-2:]
        if ctx.what == "sum" and ctx.members:
            given = ctx.members  # a sum is of the years of its parts
        for f in given:
            y = self._fig_year(f)
            d = self.docs.get(f.doc)
            if y is not None:
                said.append(f"{re.sub(r'^(?:19|20)[0-9]{2}年', '', f.label)}是{y}年的数" + (f"（{d.unit_name}{d.year}年预算文件）" if d else ""))
        if not said:
            return Answer(it.question, "not_found", "上一问没有给出数，说不出是哪一年的。", intent=it.describe())
        cites = tuple(dict.fromkeys(c for f in given for c in f.cites))
        return Answer(it.question, "answered", "；".join(said) + "。", citations=cites, intent=it.describe())

    def _which_more(self, it: Intent, ctx: Context) -> Answer:
        """"哪年多" after a sum of one subject's two years: the year whose figure is larger (or smaller), both said."""
        a, b = ctx.members
        if a.value is None or b.value is None or a.unit != b.unit:
            return Answer(it.question, "not_found", "上一问的两个数不能相比。", intent=it.describe())
        less = bool(re.search(r"(?<!多)[少低小](?!少)", it.text))
        pick = min((a, b), key=lambda f: f.value) if less else max((a, b), key=lambda f: f.value)  # type: ignore[arg-type]
        said = f"（{a.label}{fmt(a.value, a.unit)}{a.unit}，{b.label}{fmt(b.value, b.unit)}{b.unit}）"
        text = f"两年一样多，都是{fmt(a.value, a.unit)}{a.unit}。" if a.value == b.value else \
            f"{pick.label}{'较少' if less else '较多'}，为{fmt(pick.value, pick.unit)}{pick.unit}{said}。"
        return Answer(it.question, "answered", text, pick.value, pick.unit, tuple(dict.fromkeys(a.cites + b.cites)),
                      derivation=f"{a.label} {fmt(a.value, a.unit)}，{b.label} {fmt(b.value, b.unit)}", intent=it.describe())

    def _element_dropped(self, asked: Intent, ans: Answer, new_ctx: Context, ctx: Context) -> Answer | None:
        """A follow-up that names another year, unit or kind (预算/决算) than the figure it follows is answered
        with a figure of that year, unit and kind, or refused — never with the figure just given again
        ("电费多少" → "那上年是多少" is not this year's 电费 once more)."""
        if not ctx.figs or ans.value is None or ctx.figs[-1].value is None or new_ctx is ctx:
            return None
        prev, now = ctx.figs[-1], (new_ctx.intent or asked)
        if not now.followup or abs(prev.value - ans.value) > 1e-9:  # type: ignore[operator]
            return None
        given = new_ctx.figs[-1] if new_ctx.figs else prev
        missed = ""
        year = self._fig_year(given)
        if (asked.years or asked.year_rel is not None) and now.year is not None and year not in (None, now.year) \
                or asked.year_rel and not asked.years and year is not None and year == self._fig_year(prev):
            missed = f"{now.year}年" if now.year != year else "所问年份"
        elif asked.unit_doc is not None and asked.unit_doc in self.all_docs and ans.citations \
                and self.all_docs[asked.unit_doc].unit_name not in {c.unit for c in ans.citations}:
            missed = self._short_unit(asked.unit_doc)
        elif asked.doc_kinds and ans.citations and not set(asked.doc_kinds) & {c.kind for c in ans.citations}:
            missed = "、".join(asked.doc_kinds)
        if not missed:
            return None
        return Answer(asked.question, "not_found", f"文件中没有找到{missed}的这个数；上一问给出的{prev.label}"
                      f"{fmt(prev.value, prev.unit)}{prev.unit}不能当作{missed}的数。",
                      suggestions=tuple(self.suggest(asked)), citations=prev.cites)

    def _same_as_before(self, it: Intent, ans: Answer, ctx: Context) -> Answer | None:
        """"其中电话费呢" after 邮电费: a part (其中) is never the figure just given for the whole."""
        if not ctx.figs or "其中" not in it.text or ans.value is None:
            return None
        prev = ctx.figs[-1]
        if it.columns and prev.column and any(c.column and c.column != prev.column for c in ans.citations):
            return None  # "其中项目支出多少" after a 款 all of whose money is 项目支出: a column of the same row, asked
        rows = {c.row for c in ans.citations}
        if prev.value is None or abs(prev.value - ans.value) > 1e-9 or prev.label not in rows | {ans.text[:len(prev.label)]}:
            return None
        asked = "、".join(m.text for m in it.subjects) or "这一部分"
        return Answer(it.question, "not_found", f"文件只有{prev.label}的总数{fmt(prev.value, prev.unit)}{prev.unit}，"
                      f"没有单列其中“{asked}”的数。", suggestions=tuple(self.suggest(it)), citations=ans.citations)

    def _several_for_one(self, it: Intent, ans: Answer) -> Answer | None:
        """A question that asks one figure ("两年的办公费是多少", "X多少" where two rows fit) is never answered with
        a list of figures and no value: it gets the candidates and is asked which (or to add them) — a list is
        the answer only when the question asks for each (分别, 各, 列出…) or for a list."""
        if ans.value is not None or len(ans.items) < 2 or any(i.value is None for i in ans.items):
            return None
        if it.what not in ("figure", "yoy", "total") or {"each", "list", "max", "min"} & it.cues \
                or _EACH_ASKED.search(it.text) or not re.search(r"多少|几", it.text):
            return None
        which = "；".join(f"{i.label}{fmt(i.value, i.unit)}{i.unit}" for i in ans.items)
        return Answer(it.question, "ambiguous", f"问的是一个数，文件中有几个：{which}。请说明问的是哪一个，"
                      f"或问“合计多少”“分别是多少”。", citations=ans.citations,
                      suggestions=tuple(f"{i.label}是多少？" for i in ans.items[:3]))

    def _subjects_unanswered(self, it: Intent, ans: Answer) -> Answer | None:
        """An answer read from a 绩效 indicator must be about every subject the question names: "人员经费是
        多少人" is not answered by another project's 在职人数 indicator. A plain figure must be about every
        subject named too: "租赁的房子" is neither 房屋's value nor 租赁费 alone."""
        if not any("绩效" in c.table for c in ans.citations):
            return self._figure_misses_a_subject(it, ans)
        hay = key(ans.text + "".join(c.table + c.row + c.column for c in ans.citations))
        for m in it.subjects:
            if m.how == "code" or not m.has("row", "total", "std", "alias", "item", "belongs", "stmt") or m.has("project", "gloss"):
                continue
            names = {key(m.text), m.key} | {key(t) for k, t in m.kinds for t in t.split("|")}
            if not any(n and n in hay for n in names):
                return Answer(it.question, "not_found", f"文件中“{m.text}”只有金额；{ans.text.rstrip('。')}，"
                              f"说的不是“{m.text}”。", suggestions=tuple(self.suggest(it)))
        # a time indicator must be the time asked: "什么时候开工" is not answered by 完成时限 (the event asked
        # shares no character with the indicator)
        missing = [lo for lo in it.leftover if len(lo) >= 2 and not set(key(lo)) & set(hay)] if "when" in it.cues else []
        if missing:
            return Answer(it.question, "not_found", f"文件的绩效指标没有说到“{'、'.join(missing)}”；"
                          f"{ans.text.rstrip('。')}。", suggestions=tuple(self.suggest(it)), citations=ans.citations)
        return None

    def _figure_misses_a_subject(self, it: Intent, ans: Answer) -> Answer | None:
        if it.what != "figure" or ans.value is None or ans.derivation or it.followup or ans.items:
            return None
        named = [m for m in it.subjects if m.how != "code" and m.has("row", "alias", "std", "item")
                 and not m.has("column", "total", "project", "gloss")]
        if len(named) < 2:
            return None
        hay = key(ans.text + "".join(c.table + c.row + c.column for c in ans.citations))
        for m in named:
            names = {key(m.text), m.key} | {key(t) for k, t in m.kinds for t in t.split("|")}
            if not any(n and n in hay for n in names):
                return Answer(it.question, "not_found", f"没有读懂“{m.text}”和其他几项合在一起问的是哪个数。"
                              f"{self._holds(ans)}。", suggestions=tuple(self.suggest(it)), citations=ans.citations)
        return None

    def _holds(self, ans: Answer) -> str:
        """What the store has, said plainly, for a refusal: "文件只有电费（30206）预算95.00万元"."""
        said = ans.text.rstrip("。")
        return f"文件只有：{said}" if said else ""

    def _unread_refusal(self, it: Intent, ans: Answer) -> Answer | None:
        """Coverage: a span nobody read beside a subject ("电梯的电费") is accounted for only when the answer
        itself names it (an indicator or passage that says it) — else the subject's figure is not the answer."""
        hay = key(ans.text + "".join(c.table + c.row + c.column for c in ans.citations))
        rows = [key(c.row) for c in ans.citations if c.row]
        missing = []
        indicator = any("绩效" in c.table for c in ans.citations)
        for span in it.unread:
            k = key(span)
            if k in hay or (indicator and all(ch in hay for ch in k)):
                continue  # an indicator says it (执法车 of 购置执法执勤用车数量: it explained the whole question)
            if len(k) == 1 and any(len(r) == len(key(m.text)) + 1 and (r.startswith(key(m.text)) or r.endswith(key(m.text)))
                                   for m in it.subjects for r in rows):
                continue  # a typo mended into the subject's own name (差旅肥 -> 差旅费)
            missing.append(span)
        if not missing:
            return None
        spans = "、".join(f"“{s}”" for s in missing)
        name = ans.citations[0].row if ans.citations and ans.citations[0].row else ""
        if ans.value is not None and name and len({c.row for c in ans.citations}) == 1 and it.op is None \
                and not ans.derivation:
            text = f"文件只有{name}的总数{fmt(ans.value, ans.unit or '')}{ans.unit or ''}，没有按{spans}分开的数，也没有读懂{spans}指什么。"
        else:
            text = f"没有读懂{spans}，不能确定问的是哪个数。{self._holds(ans)}。"
        return Answer(it.question, "not_found", text, suggestions=tuple(self.suggest(it)), citations=ans.citations)

    def _column_unmet(self, it: Intent, ans: Answer) -> Answer | None:
        """A column the question names ("政府性基金预算拨款支出", "预留给小微企业的采购预算") is read, never dropped: a
        figure that is in none of the columns asked — nor in a table, row or sentence named by it — is not the answer."""
        if ans.value is None or not it.columns or ans.unit not in MONEY:
            return None
        hay = key(ans.text + "".join(c.table + c.row for c in ans.citations))
        for col in it.columns:
            k = key(col)
            if col in _TEXT_COLUMNS or col in ("数量", "单价") or col in DEFAULT_COLUMNS or col in FINAL_COLUMNS:
                continue  # a count or a price (read by the measure's own rules: 每台 is 单价); a table's own figure
            if any(_col_score(c.column, "", col) >= 2 for c in ans.citations) or k in hay:
                continue
            if any(m.key in hay and k in m.key for m in it.subjects):
                continue  # the column word is inside a subject the answer names (公用经费合计 → 公用经费)
            return Answer(it.question, "not_found", f"文件中这个数没有按“{col}”分开。{self._holds(ans)}。",
                          suggestions=tuple(self.suggest(it)), citations=ans.citations)
        return None

    def _side_unmet(self, it: Intent, ans: Answer, new_ctx: Context) -> Answer | None:
        """A side word written after a subject ("一般公共预算拨款支出", "上年结转的支出", "电费收入占…的比例") is met by
        that subject's figure, or the answer is refused whatever was asked of it (a figure, a change, a share, a
        sum, a count): a figure of the other side (the 收入 row 一般公共预算拨款 784.84) never stands for it, nor
        does one of no side when 收入 is asked (政府采购 is no income)."""
        if not it.sides or ans.status != "answered":
            return None
        docs = self._docs(it)
        if not isinstance(docs, list):
            return None
        alone = len([m for m in it.subjects if m.how != "code" and m.text not in SIDES]) == 1
        for text, side in it.sides:
            m = next((m for m in it.subjects if m.text == text), None)
            if m is None:
                continue
            named = self._declared_side(m)
            if named:  # "项目支出收入合计", "总预算支出" (总预算 is the 收入总计): the subject's own name says its side
                if named == side:
                    continue
                return Answer(it.question, "not_found", f"文件中没有“{text}{side}”这个数：“{text}”是{named}，不是{side}。",
                              suggestions=tuple(self.suggest(it)), citations=ans.citations)
            figs = new_ctx.figs if alone and it.what == "figure" and ans.value is not None and new_ctx.figs \
                else self._subject_figs(it, m, docs)
            for f in figs:
                got = self._side_of(f)
                if got == side or (not got and side == "支出"):
                    continue
                what = f"是{got}，不是{side}" if got else f"不是{side}"
                return Answer(it.question, "not_found", f"文件中没有“{text}{side}”这个数：{f.label}{fmt(f.value, f.unit)}"
                              f"{f.unit}{what}。", suggestions=tuple(self.suggest(it)), citations=f.cites)
        return None

    @staticmethod
    def _declared_side(m: Mention) -> str:
        """The side a subject's own words name: its text (项目支出, 其他收入), else every name it is read as
        (总预算 → 收入总计); "" when they say none or disagree."""
        if side_named(key(m.text)):
            return side_named(key(m.text))
        said = {side_named(key(t)) for k, t in m.kinds if k in ("alias", "row", "std", "stmt") for t in t.split("|")}
        return next(iter(said)) if len(said) == 1 else ""

    def _subject_figs(self, it: Intent, m: Mention, docs: list[int]) -> list[Fig]:
        """The figures one subject of the question is read as on its own (for a check; the SQL log is kept);
        a name of several (水电费 → 水费|电费) is read as each of them."""
        parts = [t for k, t in m.kinds if k == "alias" and "|" in t for t in t.split("|")]
        if parts:
            return [f for p in parts if self.v.words.get(key(p))
                    for f in self._subject_figs(it, Mention(p, key(p), tuple(self.v.words[key(p)]), "exact", m.pos), docs)]
        saved = list(self.sql_log)
        try:
            alone = replace(it, text=m.text, what="figure", subjects=(replace(m, pos=0),), op=None, cues=frozenset(),
                            sides=(), leftover=(), unread=(), ops=(), exclude=None, exclude_by="", numbers=())
            got = self._a_figure(alone, Context(), docs)  # the subject's words alone ("在三公经费中" is another's)
        except QueryError:
            raise  # the work limit: the question is not answered, the check never skipped
        except Exception:  # noqa: BLE001 - no figure to check against: the answer stands as read
            log.exception("figure of one subject: %s", it.question)
            got = None
        finally:
            self.sql_log = saved
        return list(got[1].figs) if got and got[0].status == "answered" and got[0].value is not None else []

    def _price_per_unmet(self, it: Intent, ans: Answer, new_ctx: Context) -> Answer | None:
        """"物业管理服务每个月单价多少": a 单价 is the price of one of its row's 计量单位 (月 12 单价 2.40 is 2.40 a month).
        A period asked (每月, 每天, 每年…) that is that unit of measure is answered by the 单价 itself; any other is
        refused saying what the 单价 is per — a unit price is never divided by a period (2.40 ÷ 12 is no price)."""
        per = _PER_PERIOD.search(it.text)
        if per is None or ans.value is None or not new_ctx.figs:
            return None
        f = new_ctx.figs[-1]
        if f.column != "单价" and new_ctx.what != "avg" or f.ref is None:
            return None  # a 单价, or a price per item worked out (价值 ÷ 数量)
        asked = _PERIOD_WORD.get(per.group(1), per.group(1))
        # "平均每辆": the item the price worked out is per (每个月's 个 is the period's)
        each = _PER_ITEM.search(it.text) if f.column != "单价" else None
        of = each.group(1) if each else self._row_text(f.ref, "计量单位").strip()
        if of and _PERIOD_WORD.get(of.lstrip("个"), of.lstrip("个")) == asked:
            return None
        said = f"{f.ref.label}的单价{fmt(ans.value, ans.unit or '')}{ans.unit or ''}"
        why = f"是每{of}的价格" + ("" if each else f"（计量单位：{of}）") if of else "，文件没有写明它的计量单位"
        return Answer(it.question, "not_found", f"{said}{why}，文件没有按每{asked}计的单价。",
                      suggestions=tuple(self.suggest(it)), citations=ans.citations)

    def _side_cell(self, it: Intent, ctx: Context) -> tuple[Answer, Context] | None:
        """"财政拨款支出": a subject and its side word that name one cell of the document
        (lexicon/narrative_figures.tsv: 财政拨款支出 is the 财政拨款收支总表's 本年支出合计), read there when it is on
        that side and one document prints it."""
        from .check import narrative_figures

        docs = self._docs(it)
        if not isinstance(docs, list) or len(it.sides) != 1:
            return None
        text, side = it.sides[0]
        m = next((m for m in it.subjects if m.text == text), None)
        if m is None:
            return None
        specs = next((narrative_figures()[n] for n in side_names(m, side) if n in narrative_figures()), ())
        for spec in specs:
            figs = [f for f in self.spec_figs(spec, docs) if self._side_of(f) == side]
            if len({f.doc for f in figs}) == 1:
                return self._figure_answer(replace(it, sides=()), [replace(figs[0], label=text + side)], ctx)
        return None

    def _side_of(self, f: Fig) -> str:
        """The side of the budget a figure is on: its row's in a two-sided table; else 收入 for a column or table
        of income (the 收入总表, 财政拨款收入), 支出 for one of spending; "" for neither (采购, 资产, 绩效)."""
        r = f.ref
        if r is not None:
            if r.side:
                return r.side
            for side in ("收入", "支出"):
                if side in f.column:
                    return side
            if r.kind == "收入总表":
                return "收入"
            return "支出" if "支出" in r.kind else ""
        name = key(re.sub(r"^(?:(?:19|20)[0-9]{2}年)?(?:预算)?", "", f.label))
        for side in ("收入", "支出"):
            if re.search(side + r"(?:总计|合计|总额)?$", name):
                return side
        return "收入" if self.v.terms.get("home").get(name) == "收入总表" else ""

    def _part_is_whole(self, it: Intent, ans: Answer) -> Answer | None:
        """"公务用车运行费里加油费是多少": a part named inside a whole (X里Y, X中的Y, X其中Y) whose only reading is
        that whole itself (加油费 is a colloquial name of 公务用车运行维护费) is a breakdown the document does not give."""
        if ans.value is None or len(it.subjects) < 2:
            return None
        for whole in it.subjects:
            for part in it.subjects:
                if part is whole or part.pos <= whole.pos:
                    continue
                between = it.text[whole.pos + len(whole.text): part.pos]
                if between == "的" or not _INSIDE.fullmatch(between):
                    continue  # "退休人员的退休费" names one thing; "X里(的)Y", "X当中的Y" name a part
                named = {key(t) for k, t in whole.kinds if k in _NAMING for t in t.split("|")} | {whole.key}
                reads = {key(t) for k, t in part.kinds if k in _NAMING for t in t.split("|")}
                if reads and reads <= named:
                    return Answer(it.question, "not_found", f"文件只有{whole.text}的总数{fmt(ans.value, ans.unit or '')}"
                                  f"{ans.unit or ''}，没有单列其中“{part.text}”的数。", suggestions=tuple(self.suggest(it)),
                                  citations=ans.citations)
        return None

    def _year_for_total(self, it: Intent, ans: Answer) -> Answer | None:
        """"拆违经费项目资金总额", "这个工程总投资多少": a project's whole amount (over all its years) is never answered
        with the amount a sentence gives for one year ("本年度拆违经费预算金额为349.80万元")."""
        if ans.value is None or ans.unit not in MONEY or not _PROJECT_TOTAL.search(it.text) or _PROJECT_TOTAL.search(ans.text) \
                or not any(m.has("project") for m in it.subjects):
            return None
        said = ans.text + ans.derivation + "".join(c.table for c in ans.citations)
        if not re.search(r"本年度|年度|当年|今年|(?:19|20)\d{2}年", said):
            return None
        return Answer(it.question, "not_found", f"文件没有说这个项目的总投资（资金总额）；{ans.text.rstrip('。')}，是一年的数。",
                      suggestions=tuple(self.suggest(it)), citations=ans.citations)

    def _operator_refusal(self, it: Intent, ans: Answer) -> Answer | None:
        """Every operator word read (lexicon/operators.tsv) is carried out by the answer, or refused here."""
        from .operators import unmet

        got = unmet(it, ans, self._levels)
        if got is None:
            return None
        word, why = got
        held = self._holds(ans)
        return Answer(it.question, "not_found", f"{why}。" + (f"{held}。" if held and ans.value is not None else ""),
                      suggestions=tuple(self.suggest(it)), citations=ans.citations)

    def _levels(self, label: str) -> set[int]:
        """The classification levels (1 类, 2 款, 3 项) of the rows with this label, by their code."""
        if not label:
            return set()
        out = set()
        for r in self.q("SELECT DISTINCT code, classification FROM rows WHERE label = ? AND code != ''", [label]):
            n = len(r["code"] or "")
            out.add({3: 1, 5: 2, 7: 3}.get(n, 0))
        return out - {0}

    def _answer(self, it: Intent, ctx: Context) -> tuple[Answer, Context]:
        if it.what == "refuse":
            # ({kind}: what the documents asked about are, 预算 or 决算 — "文件只有全年决算")
            docs = [it.unit_doc] if it.unit_doc in self.docs else list(self.docs)
            ans = self._refuse(it, it.refuse.replace("{kind}", self.held_kind(docs)), it.refuse_status or "out_of_scope")
            if it.refuse_status == "ambiguous" and self._subunit_choice(it) is not None:
                return ans, replace(ctx, pending=it)  # "卫生所的项目支出" → which one? → "检验所" answers it
            return ans, ctx
        if ctx.pending is not None and ctx.pending.what == "refuse" and (again := self._subunit_chosen(it, ctx.pending)):
            it = again
        if "whichyear" in it.cues and not it.subjects and ctx.figs and not it.leftover and not _MORE_LESS.search(it.text):
            return self._which_year(it, ctx), ctx
        if "whichyear" in it.cues and not it.subjects and not it.leftover and ctx.what == "sum" and len(ctx.members) == 2:
            return self._which_more(it, ctx), ctx  # "哪年多" right after the two years were added
        if ctx.pending is not None and it.unit_doc is not None and not it.leftover and \
                not any(m.has("row", "item", "alias", "code", "stmt", "total", "project") for m in it.subjects):
            it = replace(ctx.pending, unit_doc=it.unit_doc)  # "财政局的" answers "which unit?"
        if ctx.intent is not None and not it.subjects and len(ctx.figs) < 2 and _PAIR.search(it.text):
            had = f"（{ctx.figs[-1].label}）" if ctx.figs else ""
            return Answer(it.question, "not_found", f"上一问只得到一个数{had}，没有两个数可以合在一起算；"
                          f"请把两项都说出来，例如“水费和电费合计多少”。", intent=it.describe()), ctx
        if ctx.missed and _PART_OF_PREV.match(it.text):
            return self._refuse(it, "上一问没有找到答案，“其中”说的是哪一项不清楚；请把整体和部分都说出来，"
                                    "例如“城乡社区支出中的项目支出是多少”", "not_found"), ctx
        named = it.subjects
        if ctx.refused_unit and it.followup and it.unit_doc is None and not it.unit_docs and \
                not any(t in self.v.subunits for m in it.subjects for _, t in m.kinds):
            # "那项目支出呢" after a unit the store lacks: that unit is still the one asked about, never this one
            return self._refuse(it, ctx.refused_unit, "not_found"), ctx
        it = self._inherit(it, ctx)
        if it.what == "refuse":
            return self._refuse(it, it.refuse, it.refuse_status or "not_found"), ctx
        it = self._same_unit_that_year(it)
        docs = self._docs(it)
        if isinstance(docs, Answer):
            return docs, ctx
        across = self._two_stored_years(it, ctx)
        if across is not None:
            ans, new_ctx = across
            if ans.status == "answered":
                new_ctx.intent = it
            return replace(ans, sql=";\n".join(dict.fromkeys(self.sql_log)), intent=it.describe()), \
                (new_ctx if ans.status == "answered" else ctx)
        if it.what == "yoy" and it.year is not None and docs and all(self.docs[d].year == it.year for d in docs) \
                and not re.search(r"比|较|相比|增加|减少|增长|下降|变化|增减|多了|少了|百分之|%", it.text):
            it = replace(it, what="figure")  # that year has its own document: read it there
        if it.what in ("figure", "total") and any("|" in t for m in it.subjects for k, t in m.kinds if k == "alias"):
            it = replace(it, what="sum")  # 水电费 = 水费 + 电费
        if len(it.unit_docs) >= 2:
            out = self._across_units(it, ctx, docs)
        elif it.op is not None:
            out = self._with_op(it, ctx, docs)
        elif (items := [m for m in it.subjects if m.has("item")]) and _WHICH_PROJECT.search(it.text):
            out = self._item_project(it, items[0], docs, ctx)
        elif items and _WHICH_FUNDS.search(it.text) and not re.search(r"多少|几", it.text):
            out = self._item_funds(it, items[0], docs, ctx)
        elif not named and it.followup and ctx.figs and (_PURPOSE.search(it.text) or PURPOSE_ASKED.search(it.text)) \
                and "reason" not in it.cues and (got := self._purpose_of_previous(it, ctx)) is not None:
            out = got  # "这笔钱是干什么用的": what the figure just given is for, from its own subject's text
        elif PURPOSE_ASKED.search(it.text) and it.subjects and "reason" not in it.cues and not re.search(r"多少|几", it.text) \
                and (got := self._purpose(it, docs)) is not None:
            out = got  # "群众文化主要用在哪些方面": the 编制说明 says what the subject's money is for
        else:
            handler = getattr(self, f"_a_{it.what}", None) or self._a_figure
            out = handler(it, ctx, docs)
        if out is None and asks_non_money(it.text) and not it.leftover:
            out = self._count_in_text(it, docs)  # "公务用车有几辆": a stock only the narrative states
        if out is None and "reason" not in it.cues:
            out = self._clause_figure(it, docs)  # "编报绩效目标的项目几个": a figure only a clause states
        if out is None and it.what in ("text", "glossary", "list", "fact", "figure") and "reason" not in it.cues \
                and not (it.what != "text" and asks_non_money(it.text)) \
                and not re.search(r"多少|几|比例|占|原因|为什么", it.text):
            out = self._a_section(it, ctx, docs)
            if out is not None and it.what == "glossary" and _PURPOSE.search(it.text) and not _PURPOSE_SAID.search(out[0].text):
                out = None  # "是干什么用的": a passage that only states the amount does not say what it is for
        if out is None and it.subjects and not it.leftover:
            out = self._subject_held(it, docs)
        if out is None:
            nf = self._not_found(it, docs)
            hint = self._other_years_hint(it, ctx)
            if hint and isinstance(nf, Answer):
                text = nf.text if nf.text.startswith(f"{it.year}年") else f"{it.year}年的" + nf.text
                nf = replace(nf, text=text + hint)
            return nf, ctx
        ans, new_ctx = out
        if ans.status == "answered" and ans.unit in MONEY and _ASKS_WHO.search(it.text) and not re.search(r"多少|几", it.text):
            # "奖励金发给谁": the document gives the amount, never who receives it
            return Answer(it.question, "not_found", "文件只列出这笔钱的预算金额，没有说明发给谁、由谁使用。" + ans.text,
                          intent=it.describe()), ctx
        kept = ans.status == "answered" and ans.value is None and not ans.items and not new_ctx.figs \
            and self._subject_kept(it, named, ctx, new_ctx, docs)
        if ans.status == "answered":
            # a follow-up computed from one subject's two years ("相差多少") keeps that subject for the next one
            one = len({re.sub(r"^(?:(?:19|20)[0-9]{2}年)?(?:预算|其中)?", "", f.label) for f in ctx.figs[-2:]}) == 1
            new_ctx.intent = replace(it, subjects=ctx.intent.subjects) \
                if it.followup and not it.subjects and ctx.intent is not None and one else it
            if kept and ctx.intent is not None:  # the turn before's subject, as it was asked, goes on
                new_ctx.intent = replace(it, subjects=ctx.intent.subjects, columns=ctx.intent.columns,
                                         tables=ctx.intent.tables)
            sql = self._turn_sql(ctx)
            new_ctx.figs = [f if f.sql else replace(f, sql=sql) for f in new_ctx.figs]
            return replace(ans, sql=sql, intent=it.describe()), new_ctx
        if ans.status == "ambiguous":
            ctx = Context(intent=ctx.intent, figs=ctx.figs, refs=ctx.refs, subject_keys=ctx.subject_keys,
                          project=ctx.project, doc=ctx.doc, table_id=ctx.table_id, what=ctx.what, pending=it)
        return replace(ans, sql=";\n".join(dict.fromkeys(self.sql_log)), intent=it.describe()), ctx

    def _subject_kept(self, it: Intent, named: tuple[Mention, ...], ctx: Context, new_ctx: Context, docs: list[int]) -> bool:
        """A text answer about a subject (主要用来做什么, 为什么增加, 是什么) keeps that subject and its figure as the
        conversation's: "城市建设支出安排了多少" → "主要用来做什么" → "其中项目支出多少" is 城市建设支出's 项目支出, never the
        document's whole. A follow-up keeps the figures before it; a subject named is read for its figure."""
        if not named:
            if it.followup and ctx.figs:
                new_ctx.figs, new_ctx.refs, new_ctx.members = list(ctx.figs), list(ctx.refs), list(ctx.members)
                new_ctx.subject_keys = new_ctx.subject_keys or list(ctx.subject_keys)
                new_ctx.doc = new_ctx.doc if new_ctx.doc is not None else ctx.doc
                new_ctx.table_id = ctx.table_id
                return True  # the figures and the subject of the turn before, unchanged
            return False
        if not any(m.has("row", "alias", "std", "item", "code", "stmt", "total", "project") for m in it.subjects):
            return False
        saved = list(self.sql_log)
        try:
            got = self._a_figure(replace(it, what="figure", op=None, cues=frozenset()), Context(), docs)
        except QueryError:
            raise  # the work limit stops the turn, never logged as a bug
        except Exception:  # noqa: BLE001 - the text answer stands without its subject's figure
            log.exception("figure of a text answer's subject: %s", it.question)
            got = None
        finally:
            self.sql_log = saved
        if got and got[0].status == "answered" and got[0].value is not None and got[0].unit in MONEY \
                and len(got[1].figs) == 1 and not got[0].items:
            new_ctx.figs, new_ctx.refs, new_ctx.table_id = list(got[1].figs), list(got[1].refs), got[1].table_id
            new_ctx.doc = new_ctx.doc if new_ctx.doc is not None else got[1].doc
        return False

    def _described(self, it: Intent) -> Intent:
        """Words the document's own 名词解释 of a subject uses, written before that subject, are read: they
        restate it ("保证分局正常运转的基本支出": 基本支出 is 为保障机构正常运转…). Words after it (基本支出中…)
        narrow it and stay unread; a project's 绩效目标 is never used (it names parts as often as purposes)."""
        spans = [s for s in dict.fromkeys(it.unread + it.leftover) if len(s) >= 2]
        if not spans or not it.subjects:
            return it
        read: set[str] = set()
        docs = [it.unit_doc] if it.unit_doc in self.docs else list(self.docs)
        for m in it.subjects:
            names = {m.text, m.key} | {t for k, t in m.kinds if k == "gloss"}
            before = [s for s in spans if 0 <= it.text.find(s) < it.text.find(m.text)
                      and not re.search(r"中|里|部分|当中", it.text[it.text.find(s) + len(s):it.text.find(m.text)])]
            if not before:
                continue
            rows = self.q(f"SELECT definition FROM glossary WHERE term IN ({self._in(len(names))}) "
                          f"AND document_id IN ({self._in(len(docs))})", [*names, *docs])
            hay = key("".join(r[0] or "" for r in rows))
            read |= {s for s in before if hay and key(s) in hay}
        if not read:
            return it
        return replace(it, unread=tuple(u for u in it.unread if u not in read),
                       leftover=tuple(lo for lo in it.leftover if lo not in read))

    def _turn_sql(self, ctx: Context) -> str:
        """The SQL this turn ran; for an answer computed from the conversation's figures alone (两者合计呢),
        the SQL those figures were read with."""
        if self.sql_log:
            return ";\n".join(dict.fromkeys(self.sql_log))
        return ";\n".join(dict.fromkeys(q for f in ctx.figs for q in f.sql.split(";\n") if q))

    def _other_years_hint(self, it: Intent, ctx: Context) -> str:
        """A figure missing from the year asked but printed in another stored year of the same unit: say
        which year has it (the answer stays not_found; the other year's figure is not given as this one)."""
        if it.year is None or it.what not in ("figure", "yoy") or not it.subjects:
            return ""
        try:
            by_year = self._unit_years(it)
        except Exception:  # noqa: BLE001 - a hint only
            return ""
        others = [y for y in sorted(by_year, reverse=True) if y != it.year]
        for y in others:
            d = by_year[y]
            sub = replace(it, year=y, years=(), year_rels=(), year_rel=None, what="figure", unit_doc=d, unit_docs=(d,))
            got = self._a_figure(sub, ctx, [d])
            if got and got[0].status == "answered" and got[0].value is not None:
                return f"{y}年的文件中有“{it.subjects[0].text}”。"
        return ""

    def _same_unit_that_year(self, it: Intent) -> Intent:
        """A unit carried from the last question (or named) with another year asked: that unit's
        document of that year when the store holds it ("财政局电费" then "去年呢" reads the stored
        2022 document, not an estimate from the 2023 narrative)."""
        if it.unit_doc is not None and it.unit_doc not in self.docs and it.unit_doc in self.all_docs \
                and len(it.unit_docs) <= 1:
            # the unit carried is read in the kind asked ("文旅局2026年预算…" then "那2025年决算呢"): its document of
            # that kind (and year), never every unit's
            unit = self.all_docs[it.unit_doc].unit_name
            same = [d for d in self.docs if self.docs[d].unit_name == unit and it.year in (None, self.docs[d].year)]
            if same:
                best = max(same, key=lambda d: (self.docs[d].year, d))
                return replace(it, unit_doc=best, unit_docs=(best,) if it.unit_docs else ())
            return it
        if it.unit_doc is None or it.unit_doc not in self.docs or it.year is None or len(it.unit_docs) > 1:
            return it
        here = self.docs[it.unit_doc]
        if here.year == it.year or (it.what == "yoy" and _CHANGE_WORDS.search(it.text)):
            return it
        same = [d for d in self.docs if self.docs[d].unit_name == here.unit_name and self.docs[d].year == it.year]
        if not same:
            return it
        return replace(it, unit_doc=max(same), unit_docs=(max(same),) if it.unit_docs else ())

    def _has_column(self, refs: list[RowRef], cols: tuple[str, ...]) -> bool:
        """Some row of the previous subject (in any table of its document) has one of ``cols``; a total row (合计)
        is its own table's whole, never another table's 合计."""
        for ref in refs:
            same = self.rows_where("r.label = ?", (ref.label,), [ref.doc]) if ref.label and not ref.is_total else [ref]
            for r in same or [ref]:
                if any(_col_score(c.column, c.group, x) > 0 for c in self.cells(r.id) for x in cols):
                    return True
        return False

    def _followup_year(self, it: Intent, ctx: Context, unit_doc: int | None) -> int | None:
        """The year a follow-up asks. A year it writes stands; a relative one (去年, 上年) counts from the latest
        year of the unit in scope (the unit carried from the turn before, not the store's latest unit), and from
        the year of the figure just given when that would be the same year: a follow-up that asks about another
        year never gets the year it follows. A follow-up that writes no year keeps the year the turn before
        named (2022年办公费 → 基本支出呢 is 2022's)."""
        prev = ctx.intent
        if it.years:
            return it.year
        if it.year_rel is None:
            if it.year is None and prev is not None and prev.years and prev.year_rel is None and prev.what != "yoy":
                return prev.year
            return it.year
        unit = self.docs[unit_doc].unit_name if unit_doc in self.docs else None
        years = [d.year for d in self.docs.values() if unit is None or d.unit_name == unit]
        if not years:
            return it.year
        year = max(years) + it.year_rel
        given = self._fig_year(ctx.figs[-1]) if ctx.figs else None
        if it.year_rel != 0 and given is not None and year == given:
            year = given + it.year_rel  # "那上年是多少" after a 2022 figure asks 2021
        return year

    def _subunit_choice(self, it: Intent) -> Mention | None:
        """The subject of ``it`` that names several subordinate units' rows (an abbreviation two of them fit)."""
        return next((m for m in it.subjects if sum(t in self.v.subunits for k, t in m.kinds if k == "row") > 1), None)

    def _subunit_chosen(self, it: Intent, pending: Intent) -> Intent | None:
        """"检验所" right after "“卫生所”可能是：…卫生监督所、…卫生检验所": the question asked before, with the
        unit now named in place of the words several units fitted; None when ``it`` names no one of them."""
        amb = self._subunit_choice(pending)
        named = [m for m in it.subjects if any(t in self.v.subunits for k, t in m.kinds if k == "row")]
        if amb is None or len(named) != 1 or len(it.subjects) != 1 or it.leftover or amb.text not in pending.question:
            return None
        chosen = {t for k, t in named[0].kinds if k == "row"}
        if not chosen or not chosen <= {t for k, t in amb.kinds if k == "row"}:
            return None
        again = parse(pending.question.replace(amb.text, named[0].text, 1), self.v)
        return again if again.what != "refuse" else None

    def _inherit(self, it: Intent, ctx: Context) -> Intent:
        if ctx.intent is None:
            return it
        subj = [m for m in it.subjects if not (m.has("gloss") and len(m.kinds) == 1 and it.what == "figure")]
        prev = ctx.intent
        t = it.text
        # "值多少钱" right after a count (有多少件): the same subject's money figure, not its count
        money_after_count = "数量" in prev.columns and not it.columns and not it.measure and \
            bool(re.search(r"多少钱|值多少|花了?多少|多少万|价值", t))
        if not it.subjects and not it.leftover and (it.followup or it.columns or it.year_rel is not None
                                                     or it.cues or it.measure or it.money_unit or money_after_count
                                                     or it.doc_kinds):  # "年初预算是多少" after a 决算 figure
            what = it.what
            # "合计呢" right after a turn about two figures (相差/哪个多) adds those two
            pair_turn = ctx.what in ("diff", "compare", "each", "sum", "ratio")
            # a bare "合计多少" right after two turns about two different subjects adds them (电费…, 水费呢)
            two_turns = len(ctx.figs) >= 2 and ctx.figs[-1].label != ctx.figs[-2].label and not it.columns \
                and not it.tables
            if what == "figure" and ("sum" in it.cues or ("total" in it.cues and (pair_turn or two_turns or re.search(
                    r"两者|二者|两项|它们|这两|两个|两年", t)))) and len(ctx.figs) >= 2:
                what = "sum"
            elif what == "figure" and ("diff" in it.cues or _DIFF_ASKED.search(t)) and len(ctx.figs) >= 2:
                what = "diff"
            elif what == "figure" and (re.search(r"(去年|上年|上一年|前一年)", t) or _DIFF_ASKED.search(t)) \
                    and not it.columns:
                what = "yoy"  # "多了多少" after one figure: its change (never the figure itself again)
            elif what == "figure" and "glossary" in it.cues:
                what = "glossary"  # "这笔钱是干什么用的": what the previous subject is for
            elif what in ("figure", "text") and prev.what in ("text",) and not it.columns:
                what = prev.what
            subjects = tuple(m for m in _parts_only(prev) if not (m.has("column") and not m.has(
                "row", "item", "alias", "stmt", "project", "total", "code")))
            if what in ("sum", "diff", "share") and len(ctx.figs) >= 2:
                subjects = ()
            if money_after_count:
                cols_in: tuple[str, ...] = ()
            elif what == "figure" and "total" in it.cues and not it.columns:
                cols_in = ("合计",)  # "总共多少钱" after 单价/数量: the item's amount
            else:
                cols_in = it.columns or (prev.columns if what == "figure" and not it.measure and not it.tables else ())
            unit_doc = it.unit_doc if it.unit_doc is not None else prev.unit_doc
            return replace(it, what=what, subjects=subjects,
                           tables=it.tables or (prev.tables if not it.columns else ()),
                           columns=cols_in, unit_doc=unit_doc, year=self._followup_year(it, ctx, unit_doc),
                           followup=True)
        colish = [m for m in it.subjects if m.has("column")]
        homeless = any(key(x) not in self.v.terms.get("home") for m in colish for x in m.targets("column"))
        # a column word narrows the previous subject when asked as a follow-up ("项目支出呢", "其中…"),
        # or when it has no meaning of its own; "人员经费" / "公用经费多少" alone are the unit's own totals
        if it.subjects and len(colish) == len(it.subjects) and (it.followup or homeless
                                                                or re.search(r"^(其中|那)", t)) \
                and it.what in ("figure", "text") and not it.leftover:
            subjects = tuple(m for m in prev.subjects if not (m.has("column") and not m.has(
                "row", "item", "alias", "stmt", "project", "total", "code")))
            cols = tuple(x for m in colish for x in m.targets("column"))
            inside = bool(_PART_OF_PREV.match(t))
            if inside and ctx.figs and not (subjects and self._has_column(ctx.refs[:1], cols)):
                return self._part_of_previous(it, ctx, cols)
            if inside and not ctx.figs and subjects:  # a turn about a subject whose figure was not given: no whole
                return replace(it, what="refuse", refuse_status="not_found", refuse=f"上一问没有给出“{subjects[0].text}”的数，"
                               f"“其中{'、'.join(cols)}”不能从整个文件里读；请问“{subjects[0].text}中的{cols[0]}是多少”")
            if subjects and not homeless and not self._has_column(ctx.refs[:1], cols):
                subjects = ()  # the previous row has no such column (因公出国费 has no 公用经费): stands alone
            if subjects:
                unit_doc = it.unit_doc if it.unit_doc is not None else prev.unit_doc
                return replace(it, what="figure", subjects=subjects, columns=cols, tables=it.tables, unit_doc=unit_doc,
                               year=self._followup_year(it, ctx, unit_doc), followup=True)
        if subj and re.search(r"呢[?？]?$", t) and len(t) <= 12 and it.what == "figure":
            # "多媒体教学设备呢" after "幼儿桌椅一套多少钱" asks the same thing of it: a unit price, never its total
            return replace(it, what=prev.what if prev.what in ("figure", "yoy", "text", "avg") else "figure",
                           columns=it.columns or prev.columns, tables=it.tables or prev.tables,
                           year=it.year if it.year is not None else prev.year,
                           unit_doc=it.unit_doc if it.unit_doc is not None else prev.unit_doc, followup=True)
        return it

    def _purpose_of_previous(self, it: Intent, ctx: Context) -> tuple[Answer, Context] | None:
        """"这笔钱是干什么用的" after a figure: what that figure's own subject is for — its 名词解释 entry, and the
        绩效目标 of the project it is the money of: the project named as the figure is, or the one project the
        narrative states with exactly that figure and the subject's name in its own (上年结转 86.50 万元 is
        预算管理一体化系统建设（上年结转）86.50 万元). Never another term's entry; None when neither is found."""
        f = ctx.figs[-1]
        doc = f.doc or (f.ref.doc if f.ref is not None else 0)
        if doc not in self.docs:
            return None
        label = re.sub(r"^(?:(?:19|20)[0-9]{2}年)?(?:预算|其中)?", "", f.label).strip()
        k = key(re.sub(r"[（(][0-9]+[)）]$", "", label))
        if len(k) < 2:
            return None
        d = self.docs[doc]
        parts: list[str] = []
        cites: list[Citation] = []
        said = self._said_for_what(doc, k, f.value) if f.value is not None else None
        if said is not None:  # the narrative says what this very money is: before any definition of the term
            parts.append(f"据“{said[0]}”：{said[1].rstrip('。')}。")
            cites.append(self.cite_section(doc, said[0]))
        gloss = [(t, df) for _, t, df in self._glossary_entries([doc]) if key(re.sub(r"[*“”\"]", "", t)) == k]
        if gloss:
            term, cite = self._glossary_cite(doc, gloss[0][0])
            parts.append(f"{term}：{gloss[0][1].strip().rstrip('。')}。")
            cites.append(cite)
        projects = [p for p in self.q("SELECT title, project, goal FROM tables WHERE kind = '绩效目标表' AND document_id = ?",
                                      (doc,)) if (p["goal"] or "").strip() and p["project"]]
        own = [p for p in projects if k in (key(p["project"]), key(re.sub(r"[（(][^）)]*[)）]$", "", p["project"])))]
        if not own and f.value is not None:
            said = {r["subject"] for r in self.q("SELECT subject FROM statements WHERE document_id = ? AND value IS NOT NULL "
                                                 "AND abs(value - ?) < 0.005", (doc, f.value))}
            own = [p for p in projects if p["project"] in said and k in key(p["project"]) and key(p["project"]) != k]
        if len(own) == 1:
            p = own[0]
            goal = _goal_text(p["goal"])
            whose = "" if key(p["project"]) in (k,) or not gloss else \
                f"这笔{fmt(f.value, f.unit)}{f.unit}是“{p['project']}”项目的钱，"
            parts.append(f"{whose}{p['project']}的绩效目标：{goal.rstrip('。')}。")
            cites.append(Citation(d.name, d.unit_name, d.year, p["title"], "绩效目标", ""))
        if not parts:
            return None
        return Answer(it.question, "answered", "".join(parts), None, None, tuple(cites)), Context(doc=doc)

    def _said_for_what(self, doc: int, k: str, value: float) -> tuple[str, str] | None:
        """(section, sentence) where the narrative states the subject ``k`` with this figure and goes on to say
        what the money is or is for ("上年结转86.50万元为2022年预算管理一体化系统建设项目未支付完毕的…资金"); a
        sentence that only states the amount ("上年结转86.50万元，2022年无上年结转") says nothing of it."""
        for s in self.q("SELECT s.subject, s.sentence, sec.path AS heading FROM statements s JOIN sections sec "
                        "ON sec.id = s.section_id WHERE s.document_id = ? AND s.value IS NOT NULL AND abs(s.value - ?) < 0.005 "
                        "ORDER BY s.id", (doc, value)):
            sent = s["sentence"] or ""
            if key(s["subject"] or "") != k:
                continue
            for m in re.finditer(re.escape(s["subject"]) + r"[^，,。；;]{0,8}?\d[\d,]*(?:\.\d+)?\s*(?:万元|元)", sent):
                if _FOR_WHAT.match(sent[m.end():]):
                    return s["heading"], re.sub(r"^\s*\d+[.、．]\s*", "", sent).strip()
        return None

    def _part_of_previous(self, it: Intent, ctx: Context, cols: tuple[str, ...]) -> Intent:
        """"其中项目支出多少" after a figure whose row has no such column: the column of the table whose total row
        prints that same figure as its whole (支出总计 → the 支出总表's 合计; 基本支出 → the 基本支出表's), when
        every such table gives the column one figure; else a refusal — a part is read inside the previous
        subject, never from the document's whole (电费 has no 项目支出 of its own)."""
        prev = ctx.figs[-1]
        doc = prev.doc or (prev.ref.doc if prev.ref is not None else 0)
        found: dict[str, float | None] = {}
        if prev.value is not None and doc in self.docs:
            for total in self.q("SELECT t.kind, r.id FROM rows r JOIN tables t ON t.id = r.table_id "
                                "WHERE t.document_id = ? AND r.is_total = 1 ORDER BY t.seq, r.seq", (doc,)):
                cells = self.cells(total["id"])
                whole = next((c for n in FINAL_COLUMNS + DEFAULT_COLUMNS for c in cells
                              if c.column == n and c.value is not None and not c.uncertain), None)
                part = [c for c in cells for x in cols if _col_score(c.column, c.group, x) >= 3 and not c.uncertain]
                if whole is not None and part and abs(whole.value - prev.value) < 0.005 and total["kind"] not in found:
                    found[total["kind"]] = part[0].value
        if found and len({round(v or 0.0, 6) for v in found.values()}) == 1:
            return replace(it, what="figure", subjects=(), columns=cols, tables=(next(iter(found)),),
                           unit_doc=doc if doc in self.docs else it.unit_doc, year=None, followup=True)
        col = "、".join(dict.fromkeys(cols))
        return replace(it, what="refuse", refuse_status="not_found",
                       refuse=f"文件只列出{prev.label}的数{fmt(prev.value, prev.unit)}{prev.unit}，没有单列其中的“{col}”")

    def _figure_answer(self, it: Intent, figs: list[Fig], ctx: Context) -> tuple[Answer, Context] | None:
        f = figs[0]
        if asks_non_money(it.text) and f.unit in MONEY:
            return None  # asked how many / how large: a money figure is not the answer
        text, value, unit = self._say(f, it)
        derivation = ""
        if f.ref is not None and f.ref.kind == "固定资产占用情况表" and f.column == "数量":
            unit = _unit_in(f.raw) or (it.measure or "")
            text = f"{f.ref.label}数量为{fmt(f.value)}{unit}"
        elif f.ref is not None and f.column == "数量":
            u = self._row_text(f.ref, "计量单位") or it.measure or ""
            text, unit = f"{f.ref.label}采购数量为{fmt(f.value)}{u}", u
        elif f.ref is None and f.column == "数量":
            text, value, unit = f"拟购置{f.label}{fmt(f.value)}{f.unit}", f.value, f.unit
            derivation = f"读自原文“{f.note}”" if f.note else ""
        elif f.ref is not None and f.column == "单价":
            text = f"{f.ref.label}单价{fmt(value, unit)}{unit}"
        doc = f.doc or (f.ref.doc if f.ref else 0)
        text += self._unit_note(doc, it) + "。"
        new = Context(figs=[f], refs=[f.ref] if f.ref else [], subject_keys=[m.key for m in it.subjects],
                      doc=doc, table_id=f.ref.table_id if f.ref else None, what="figure")
        return Answer(it.question, "answered", text, value, unit, f.cites, derivation=derivation), new

    def _row_text(self, ref: RowRef, column: str) -> str:
        for c in self.cells(ref.id):
            if _col_score(c.column, c.group, column) >= 2:
                return c.raw
        return ""

    def _a_figure(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        strong = [m for m in it.subjects if m.has("row", "item", "code", "alias", "belongs")
                  or (m.has("std") and not m.has("project"))]
        projects = [m for m in it.subjects if m.has("project") and not m.has("row", "item")]
        proc_cols = [c for c in it.columns if c in ("采购物品名称", "目录序号", "计量单位", "数量", "单价", "中小微企业份额", "预算资金",
                                                      "合计")]
        if projects and proc_cols and not strong and not re.search(r"指标|目标|控制|时限|时间|满意|率", it.text):
            got = self._procurement_by_project(it, projects[0], proc_cols, docs)
            if got:
                return got
        if projects and not strong and re.search(r"绩效目标|目标是什么|目标内容|目标有哪些", it.text):
            got = self._goal(it, projects[0], docs)
            if got:
                return got
        left = sum(len(x) for x in it.leftover)
        named = [m for m in it.subjects if not (m.has("column") and not m.has("row", "item", "alias", "stmt", "gloss"))]
        if (projects or left >= 3 or not named) and not (strong and left < 3):
            got = self._indicator(it, docs, ctx)
            if got:
                return got
        if sum(len(x) for x in it.leftover) >= 3:
            return None
        if any(len(lo) >= 2 and ((m.text + lo) in it.text or (m.text + "的" + lo) in it.text) for lo in it.leftover
               for m in it.subjects if not m.has("project")):
            return None  # "车辆维修多少", "经营收入的利润": an unknown word right after the subject asks about something else
        if not it.subjects and not it.columns and not it.tables:
            return None
        if it.codes and not it.columns and not re.search(r"多少|几", it.text) and re.search(r"是什么|哪个|什么科目|是啥", it.text):
            return self._a_text(it, ctx, docs)
        if len(it.columns) >= 2 and _CHOICE.search(it.text):
            got = self._column_choice(it, ctx, docs)
            if got is not None:
                return got
        halves = [c for c in it.columns if c in _COLUMN_PAIR]
        if len(halves) == 1 and _IS_COLUMN.search(it.text) and not _CHOICE.search(it.text):
            got = self._column_choice(replace(it, columns=(halves[0], _COLUMN_PAIR[halves[0]])), ctx, docs)
            if got is not None:  # "X决算数是多少？算基本支出吗": the figure, and how it splits
                return self._column_yes_no(halves[0], got)
        figs, stop = self.resolve(it, docs, ctx)
        if stop is not None:
            return stop, ctx
        if not figs and projects and not strong and not asks_non_money(it.text) and not it.leftover:
            # a project's budget as the 政府采购 table prints it (预算资金)
            got = self._procurement_by_project(it, projects[0], ["预算资金"], docs)
            if got:
                return got
        if not figs:
            if projects:
                return self._indicator(it, docs, ctx, loose=True)
            return None
        if all(g.column in _TEXT_COLUMNS and not g.value for g in figs) and not any(m.has("item", "code") for m in it.subjects):
            return None  # a name/code/unit column read as money would be a made-up 0.00万元
        uniq: dict[tuple, Fig] = {}
        for g in figs:
            uniq.setdefault((g.ref.id if g.ref else g.label, g.column, g.value), g)
        figs = list(uniq.values())
        if len(figs) > 1 and asks_non_money(it.text):
            return self._indicator(it, docs, ctx)
        if len(figs) == 2 and len(self._named(it)) == 2:
            inner = self._inner(it, figs)
            if inner is not None:
                if isinstance(inner[0], Answer):
                    return inner[0], ctx
                got = self._figure_answer(it, [inner[0]], ctx)
                return (replace(got[0], derivation=got[0].derivation or inner[0].note), got[1]) if got else None
        if len(figs) > 1:
            parts = []
            for g in figs:
                txt, _, _ = self._say(g, it)
                parts.append(txt)
            cites = tuple(dict.fromkeys(c for g in figs for c in g.cites))
            return (Answer(it.question, "answered", "；".join(parts) + "。", None, None, cites,
                           items=tuple(Item(g.label, g.value, g.unit) for g in figs)),
                    Context(figs=figs[-2:], refs=[g.ref for g in figs if g.ref], doc=figs[0].doc))
        f = figs[0]
        if f.value is None and f.raw:
            text = f"{f.ref.label if f.ref else f.label}的{f.column}是“{f.raw}”" if f.column else f"{f.label}：{f.raw}"
            new = Context(figs=[f], refs=[f.ref] if f.ref else [], doc=f.doc, table_id=f.ref.table_id if f.ref else None)
            return Answer(it.question, "answered", text + "。", None, None, f.cites), new
        whole = self._whole_for_part(it, f)
        if whole is not None:
            return whole, ctx
        got = self._figure_answer(it, figs, ctx)
        if got is None:
            # a count or size was asked in a unit ("多少人", "几天"): maybe an indicator says it
            return self._indicator(it, docs, ctx) if it.measure else None
        ans, new = got
        if it.codes and f.ref is not None and f.ref.code:
            ans = replace(ans, text=f"{it.codes[0]}是“{f.ref.label}”，" + ans.text)
        return ans, new

    def _whole_for_part(self, it: Intent, f: Fig) -> Answer | None:
        """"图书馆的收入预算": a row named before 的 and the whole after it, answered with the whole's own figure,
        drops the row — the document has no such breakdown (its whole is said, never given as the answer)."""
        named = sorted((m for m in it.subjects if m.how != "code"), key=lambda m: m.pos)
        for a, b in zip(named, named[1:]):
            if it.text[a.pos + len(a.text): b.pos] != "的" or not a.has("row", "std", "item") or a.has("total"):
                continue
            said = key(f.label)
            if said == b.key or (f.ref is not None and f.ref.is_total and a.key not in key(f.ref.label)):
                return Answer(it.question, "not_found", f"文件只有{b.text}的总数{fmt(f.value, f.unit)}{f.unit}，没有按“{a.text}”"
                              f"分开的数。", suggestions=tuple(self.suggest(it)), citations=f.cites)
        return None

    def _column_choice(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """"死亡抚恤是基本支出还是项目支出": the columns offered as a choice are each read for the subject, and
        the answer says which of them holds its figure — never the first column's 0 as if it were the answer."""
        figs: list[Fig] = []
        for col in it.columns:
            others = {key(c) for c in it.columns if c != col}
            subjects = tuple(m for m in it.subjects if not (m.has("column") and m.key in others))
            got, stop = self.resolve(replace(it, columns=(col,), subjects=subjects), docs, ctx)
            if stop is not None or len(got) != 1 or got[0].value is None or got[0].unit not in MONEY \
                    or _col_score(got[0].column, "", col) < 2:
                return None
            figs.append(got[0])
        if len({f.ref.id if f.ref else f.label for f in figs}) != 1:
            return None  # the columns were read on different rows: not one subject's choice
        held = [f for f in figs if f.value]
        name = figs[0].ref.label if figs[0].ref else figs[0].label
        if figs[0].ref is not None and figs[0].ref.code:
            name += f"（{figs[0].ref.code}）"
        parts = [self._say(f, it) for f in figs]
        said = "，".join(t for t, _, _ in parts)
        if len(held) == 1:
            f = held[0]
            text, value, unit = self._say(f, it)
            rest = "、".join(g.column for g in figs if g is not f)
            text = f"{name}是{f.column}：{text}；{rest}未安排。"
        elif not held:
            text, value, unit = f"{name}的{'、'.join(f.column for f in figs)}都没有安排：{said}。", 0.0, parts[0][2]
        else:
            text, value, unit = f"{name}两者都有：{said}。", None, None
        cites = tuple(dict.fromkeys(c for f in (held or figs) for c in f.cites))
        new = Context(figs=held[-2:] or figs[-1:], refs=[f.ref for f in figs if f.ref], doc=figs[0].doc, what="figure")
        return Answer(it.question, "answered", text, value, unit, cites,
                      items=tuple(Item(f.column, f.value, f.unit) for f in figs) if len(held) > 1 else ()), new

    def _column_yes_no(self, asked: str, got: tuple[Answer, Context]) -> tuple[Answer, Context]:
        """"算基本支出吗" of a subject: its whole figure (the value) and the answer for the column asked, from the
        same two columns a choice reads ("是，全部是基本支出" / "不全是：其中基本支出…、项目支出…")."""
        ans, ctx = got
        figs = [f for f in ctx.figs if f.value is not None]
        if ans.value is not None and figs and len(figs) == 1:  # one column holds it all
            f = figs[0]
            word = "是" if f.column == asked else "不是"
            return replace(ans, text=f"{word}。" + ans.text), ctx
        if ans.items and all(i.value is not None for i in ans.items):
            whole = round(sum(i.value for i in ans.items), 6)  # type: ignore[misc]
            unit = ans.items[0].unit
            head = f"不全是：合计{fmt(whole, unit)}{unit}，其中" + "、".join(
                f"{i.label}{fmt(i.value, i.unit)}{i.unit}" for i in ans.items) + "。"
            return replace(ans, text=head + ans.text, value=whole, unit=unit,
                           derivation=" + ".join(fmt(i.value, i.unit) for i in ans.items) + f" = {fmt(whole, unit)}"), ctx
        return got

    @staticmethod
    def _named(it: Intent) -> list[Mention]:
        """The subjects named, without the column words (价值, 几辆) that say which figure of them is asked."""
        return [m for m in it.subjects if not (m.has("column") and not m.has("row", "item", "alias", "std", "stmt", "total",
                                                                           "project", "code", "belongs"))]

    def _inner(self, it: Intent, figs: list[Fig]) -> tuple[Fig | Answer, None] | None:
        """"公共安全支出中的执法办案": a subject named inside another (A 中的/里的/当中 B) is the part — its figure
        inside the whole — or, when the store does not show it inside, a refusal; None when not so written."""
        whole, part = sorted(self._named(it), key=lambda m: m.pos)
        between = it.text[it.text.find(whole.text) + len(whole.text):it.text.rfind(part.text)] \
            if whole.text in it.text and part.text in it.text else "?"
        if not _INSIDE.fullmatch(between) or whole.has("column") or part.has("column") or whole.how == "code":
            return None
        fw, fp = figs if figs[0].label != figs[1].label else (None, None)
        if fw is None or fp is None or fw.value is None or fp.value is None:
            return None
        got = self._part_in(fp, fw, whole)
        if got is not None:
            got = replace(got, note=f"{got.label}是{fw.label}的一部分")
        if got is None:
            return Answer(it.question, "not_found", f"文件中看不出{fp.label}是{fw.label}的一部分，没有“{fw.label}中的"
                          f"{fp.label}”这个数。", citations=fw.cites + fp.cites, suggestions=tuple(self.suggest(it))), None
        return got, None

    def _goal(self, it: Intent, m: Mention, docs: list[int]) -> tuple[Answer, Context] | None:
        """A project's 绩效目标 sentence, quoted from its 绩效目标表."""
        projects = m.targets("project")
        rows = self.q(f"SELECT document_id, title, project, goal FROM tables WHERE kind = '绩效目标表' AND project IN "
                      f"({self._in(len(projects))}) AND document_id IN ({self._in(len(docs))})", [*projects, *docs])
        rows = [r for r in rows if (r["goal"] or "").strip()]
        if not rows:
            return None
        r = rows[0]
        d = self.docs[r["document_id"]]
        goal = _goal_text(r["goal"])
        cite = Citation(d.name, d.unit_name, d.year, r["title"], "绩效目标", "")
        return (Answer(it.question, "answered", f"{r['project']}的绩效目标：{goal}", None, None, (cite,)),
                Context(project=r["project"], doc=d.id, what="indicator"))

    def _procurement_by_project(self, it: Intent, m: Mention, cols: list[str], docs: list[int]) -> tuple[Answer, Context] | None:
        projects = m.targets("project")
        refs = self.rows_where(f"t.kind = '政府采购预算表' AND r.is_total = 0 AND r.group_name IN ({self._in(len(projects))})",
                               projects, docs)
        if not refs:
            return None
        ref = refs[0]
        fig = self.fig_of(ref, cols)
        if fig is None:
            return None
        if fig.value is None:
            text = f"{ref.group_name}采购的{fig.column}是“{fig.raw}”" if "名称" not in fig.column else \
                f"{ref.group_name}采购的物品是“{fig.raw}”"
            if len(refs) > 1:
                text += "（另有：" + "、".join(r.label for r in refs[1:]) + "）"
            return (Answer(it.question, "answered", text + "。", None, None, fig.cites),
                    Context(figs=[fig], refs=[ref], doc=ref.doc, table_id=ref.table_id))
        if fig.column == "预算资金" and fig.value is not None:
            v, u = self._convert(fig.value, fig.unit, it)
            text = f"{ref.group_name}的预算资金为{fmt(v, u)}{u}（政府采购预算表所列项目来源）{self._unit_note(ref.doc, it)}。"
            return (Answer(it.question, "answered", text, v, u, fig.cites),
                    Context(figs=[replace(fig, label=ref.group_name)], refs=[ref], doc=ref.doc, table_id=ref.table_id))
        return self._figure_answer(it, [fig], Context())

    def _item_project(self, it: Intent, m: Mention, docs: list[int], ctx: Context) -> tuple[Answer, Context] | None:
        """"课桌椅是哪个项目买的": the 政府采购 row's project (项目名称), never the item's money."""
        refs = [r for r in self.rows_where("r.label = ? AND t.kind = '政府采购预算表'", (m.targets("item")[0],), docs)
                if r.group_name]
        groups = list(dict.fromkeys(r.group_name for r in refs))
        if len(groups) != 1:
            return None
        r = refs[0]
        text = f"{r.label}由“{groups[0]}”安排采购（政府采购预算表的项目名称）{self._unit_note(r.doc, it)}。"
        return (Answer(it.question, "answered", text, None, None, (self.cite_row(r, "项目名称"),)),
                Context(refs=[r], doc=r.doc, table_id=r.table_id))

    def _item_funds(self, it: Intent, m: Mention, docs: list[int], ctx: Context) -> tuple[Answer, Context] | None:
        """"台式计算机用的什么资金": the 政府采购 row's funding columns that hold money, never its total alone."""
        refs = self.rows_where("r.label = ? AND t.kind = '政府采购预算表'", (m.targets("item")[0],), docs)
        if len(refs) != 1:
            return None
        r = refs[0]
        cells = self.q('SELECT "column", value FROM cells WHERE row_id = ? AND value IS NOT NULL AND value != 0 '
                       'ORDER BY col', [r.id])
        funds = [(c["column"], c["value"]) for c in cells if c["column"] in _FUND_COLUMNS]
        if not funds:
            return None
        unit = self.docs[r.doc].money_unit
        text = f"{r.label}的采购资金来源：" + "、".join(f"{col}{fmt(v, unit)}{unit}" for col, v in funds) + \
            f"（政府采购预算表）{self._unit_note(r.doc, it)}。"
        cites = tuple(self.cite_row(r, col) for col, _ in funds)
        return (Answer(it.question, "answered", text, None, None, cites,
                       items=tuple(Item(col, v, unit) for col, v in funds)), Context(refs=[r], doc=r.doc, table_id=r.table_id))

    def _a_text(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        projects = [m for m in it.subjects if m.has("project") and not m.has("row", "item")]
        if projects and re.search(r"绩效目标|目标是什么|目标内容|目标有哪些", it.text):
            got = self._goal(it, projects[0], docs)
            if got:
                return got
        if it.codes:
            refs = self.rows_where("r.code = ?", (it.codes[0],), docs)
            if refs:
                one = self._refs_of_one_doc(it, refs)
                if isinstance(one, Answer):
                    return one, ctx
                ordered = self._order(one or [], [], [], ctx)
                r = ordered[0]
                d = r.doc
                fig = self.fig_of(r)
                cls = f"{r.classification}" if r.classification else "科目"
                text = f"{r.code}是{cls}科目“{r.label}”"
                value = unit = None
                if fig is not None and fig.value is not None:
                    s, value, unit = self._say(fig, it)
                    text += f"，{s}"
                cites = [self.cite_row(x, fig.column if fig else "") for x in ordered[:3]]
                return (Answer(it.question, "answered", text + self._unit_note(d, it) + "。", value, unit, tuple(cites)),
                        Context(figs=[fig] if fig else [], refs=[r], doc=d, table_id=r.table_id))
            return None
        if it.numbers and it.subjects:
            # "上年结转的86.5万元是什么资金": a passage that states that figure, or nothing
            return self._names_what(it, self._a_reason(it, ctx, docs, need_marker=False))
        if it.subjects and _NATURE_ASKED.search(it.text):
            # "经营收入主要是什么收入": a passage saying what the money is (…收入主要为食堂对外服务收入), or on
            got = self._a_reason(it, ctx, docs, need_marker=False)
            if got and _NATURE_STATED.search(got[0].text):
                return got
        if it.columns:
            figs, stop = self.resolve(it, docs, ctx)
            if stop is not None:
                return stop, ctx
            if figs:
                return self._a_figure(it, ctx, docs)
        if it.numbers and it.subjects:
            got = self._names_what(it, self._a_reason(it, ctx, docs, need_marker=False))
            if got:
                return got
        got = self._indicator(it, docs, ctx)
        if got:
            return got
        if "when" in it.cues:
            return None  # "什么时候完成" is a date or a time limit, never the project's money
        if it.subjects and not it.leftover and not it.numbers:
            return self._a_figure(it, ctx, docs)
        return None

    @staticmethod
    def _names_what(it: Intent, got: tuple[Answer, Context] | None) -> tuple[Answer, Context] | None:
        """"那2套设备是什么设备": a passage that counts X ("设备（不含车辆）2套") answers "是什么X/哪些X" only when it
        names X too (X为/是/包括/：…, …等X) — never by restating the count."""
        asked = _WHAT_THING.search(it.text)
        if got is None or asked is None:
            return got
        thing = re.escape(asked.group(1) or asked.group(2))
        if not re.search(rf"{thing}\S{{0,8}}?\d+\s*(?:台（套）|台\(套\)|[套台个辆件项])", got[0].text) or \
                re.search(rf"{thing}(?:主要)?(?:为|是|系|包括|包含|有|即|[:：])|(?:等|如|即)\S{{0,2}}{thing}", got[0].text):
            return got
        return None  # the passage only counts the thing asked about

    def _a_when(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        return self._indicator(it, docs, ctx)

    def _a_code_of(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        subjects, _, tables = self._split(it)
        for m in subjects:
            refs = [r for r in self.rows_for_mention(m, docs) if r.code]
            if not refs:
                continue
            one = self._refs_of_one_doc(it, refs)
            if isinstance(one, Answer):
                return one, ctx
            refs = self._order(one or [], [], tables, ctx)
            d = refs[0].doc
            if "功能" in it.text:
                refs = [r for r in refs if r.classification == "功能分类"] or refs
            elif "经济" in it.text:
                refs = [r for r in refs if r.classification == "经济分类"] or refs
            codes = list(dict.fromkeys(r.code for r in refs))
            r = refs[0]
            cls = r.classification if len({x.classification for x in refs}) == 1 else ""
            text = f"“{r.label}”的{cls or ''}科目编码是{('、'.join(codes))}"
            fig = self.fig_of(r)
            if fig is not None and fig.value is not None:
                text += f"（预算{fmt(fig.value, fig.unit)}{fig.unit}）"
            return (Answer(it.question, "answered", text + "。", None, None,
                           tuple(self.cite_row(x) for x in refs[:3])),
                    Context(figs=[fig] if fig else [], refs=[r], doc=d, table_id=r.table_id))
        return None
