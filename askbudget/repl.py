"""The interactive REPL: ``askbudget repl`` (and ``ask`` with no question).

Built on prompt_toolkit, imported only inside :func:`run_repl` so that importing this module (and the
one-shot ``ask``) stays fast. What a user gets:

* a conversation across turns (follow-ups such as 水费呢 go to the same Assistant);
* a history file in the user's data directory (``ASKBUDGET_DATA_HOME`` overrides it), Ctrl-R to
  search it, Ctrl-C to clear the line, Ctrl-D to leave;
* tab completion and grey as-you-type suggestions drawn from the store (subject names and codes,
  projects, indicators, procurement items, asset classes) and the commands;
* commands ``:help :sql :why :units [N] :reset :quit``;
* answers readable at a glance: the figure emphasised, sources on a dimmer line, lists as aligned
  tables with shares and text bars. Colour only on a terminal, never with ``NO_COLOR``.

When standard input is not a terminal (``echo 电费多少 | askbudget repl``) it reads lines and prints
plain text, with no escape codes, so it can be scripted.
"""
from __future__ import annotations

import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, TextIO

from .answer import Answer
from .safetext import clean

COMMANDS: dict[str, str] = {
    ":help": "这份帮助和可以问的问题示例",
    ":sql": "上一个回答所用的 SQL",
    ":why": "上一个回答的出处和算法",
    ":units": "库里的单位和年度；:units N 只问第 N 个，:units 0 不限",
    ":reset": "开始新对话（忘掉上文）",
    ":quit": "退出（也可以按 Ctrl-D）",
}
_ALIASES = {":q": ":quit", ":exit": ":quit", ":h": ":help", ":?": ":help", ":unit": ":units"}

# (style class, text) fragments: the renderer produces them, the terminal styles or drops them.
Fragments = list[tuple[str, str]]

STYLE_RULES: dict[str, str] = {
    "figure": "bold ansibrightcyan",
    "unit": "ansicyan",
    "dim": "ansibrightblack",
    "warn": "ansiyellow",
    "error": "ansired",
    "head": "bold",
    "bar": "ansiblue",
    "cmd": "ansigreen",
    "prompt": "ansicyan bold",
}


def data_home() -> Path:
    """Where the REPL keeps its history: ``$ASKBUDGET_DATA_HOME`` or the platform's user data dir."""
    env = os.environ.get("ASKBUDGET_DATA_HOME")
    if env:
        return Path(env)
    from .resources import user_dir

    return user_dir("data")


# --------------------------------------------------------------------------------------- rendering

def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def pad(text: str, cols: int, right: bool = False) -> str:
    gap = " " * max(0, cols - width(text))
    return gap + text if right else text + gap


def clip(text: str, cols: int) -> str:
    if width(text) <= cols:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > cols - 1:
            break
        out += ch
    return out + "…"


def fmt_value(value: float | None, unit: str | None = "") -> str:
    if value is None:
        return ""
    if unit in ("元", "万元", "亿元"):
        return f"{value:,.2f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _figure_spans(text: str, value: float) -> list[str]:
    """Ways the figure may be written in the answer text, longest first (to emphasise it in place)."""
    cands = {f"{value:,.2f}", f"{value:.2f}", f"{value:g}", f"{value:,}", str(value)}
    if float(value).is_integer():
        cands |= {str(int(value)), f"{int(value):,}"}
    return sorted((c for c in cands if c and c in text), key=len, reverse=True)


def render_answer(answer: Answer) -> Fragments:
    """An answer as styled fragments: the text with its figure emphasised, a table, then sources."""
    out: Fragments = []
    text = answer.text or ""
    if answer.status != "answered":
        out.append(("warn", text or "没有找到答案。"))
        out.append(("", "\n"))
    elif answer.value is not None and text:
        spans = _figure_spans(text, answer.value)
        if spans:
            i = text.index(spans[0])
            out += [("", text[:i]), ("figure", spans[0]), ("", text[i + len(spans[0]):] + "\n")]
        else:
            out += [("figure", fmt_value(answer.value, answer.unit)), ("unit", f" {answer.unit or ''}"),
                    ("", f"  {text}\n")]
    elif answer.value is not None:
        out += [("figure", fmt_value(answer.value, answer.unit)), ("unit", f" {answer.unit or ''}\n")]
    else:
        out.append(("", text + "\n"))
    if answer.items:
        out += render_items(answer.items)
    if answer.derivation:
        out.append(("dim", f"算法：{answer.derivation}\n"))
    if answer.citations:
        labels = source_labels(answer.citations)
        more = f" 等{len(labels)}处" if len(labels) > 4 else ""
        out.append(("dim", "来源：" + "；".join(labels[:4]) + more + "\n"))
    if answer.suggestions and answer.status != "answered":
        out.append(("dim", "可以试试："))
        out.append(("cmd", "  ·  ".join(answer.suggestions)))
        out.append(("", "\n"))
    return out


def source_labels(citations: Iterable[Any]) -> list[str]:
    """One label per cited table: ``表 / 行1、行2 / 列`` (rows and columns of that table, in order)."""
    groups: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for c in citations:
        rows, cols = groups.setdefault((c.document, c.table), ([], []))
        if c.row and c.row not in rows:
            rows.append(c.row)
        if c.column and c.column not in cols:
            cols.append(c.column)
    out: list[str] = []
    for (_, table), (rows, cols) in groups.items():
        parts = [table]
        if rows:
            parts.append("、".join(rows[:6]) + (f"等{len(rows)}行" if len(rows) > 6 else ""))
        if cols:
            parts.append("、".join(cols[:3]) + (f"等{len(cols)}列" if len(cols) > 3 else ""))
        label = " / ".join(parts)
        if label not in out:
            out.append(label)
    return out


def render_items(items: Iterable[Any], max_rows: int = 30) -> Fragments:
    """Aligned table: label, value, unit, share and a small text bar."""
    rows = list(items)
    shown = rows[:max_rows]
    labels = [clip(str(i.label), 28) for i in shown]
    values = [fmt_value(i.value, i.unit) for i in shown]
    lw = max((width(x) for x in labels), default=0)
    vw = max((width(x) for x in values), default=0)
    uw = max((width(i.unit or "") for i in shown), default=0)
    nums = [abs(i.value) for i in shown if isinstance(i.value, (int, float))]
    top = max(nums) if nums else 0.0
    out: Fragments = []
    for lab, val, it in zip(labels, values, shown):
        out.append(("", "  " + pad(lab, lw) + "  "))
        out.append(("head", pad(val, vw, right=True)))
        out.append(("dim", " " + pad(it.unit or "", uw)))
        if it.share is not None:
            out.append(("", f"  {it.share:5.1f}%"))
        if top and isinstance(it.value, (int, float)):
            n = max(1, round(12 * abs(it.value) / top)) if it.value else 0
            out.append(("bar", "  " + "█" * n))
        out.append(("", "\n"))
    if len(rows) > len(shown):
        out.append(("dim", f"  …… 另有 {len(rows) - len(shown)} 项\n"))
    return out


def plain(frags: Fragments) -> str:
    return "".join(t for _, t in frags)


def cleaned(frags: Fragments) -> Fragments:
    """The fragments with no escape sequence or control character in their text (a document's text is
    not the program's: only the styles, applied by the terminal layer, may colour the screen)."""
    return [(cls, clean(text)) for cls, text in frags]


# ------------------------------------------------------------------------------------------ session

@dataclass
class Session:
    """The REPL's state and commands, independent of the terminal (so it can be driven line by line)."""

    assistant: Any
    vocab: Any
    last: Answer | None = None
    unit: Any = None  # the UnitYear chosen with :units N, or None
    quit: bool = False
    _pinned_via_api: bool = field(default=False, repr=False)

    def handle(self, line: str) -> Fragments:
        """One line typed by the user → what to show."""
        text = line.strip()
        if not text:
            return []
        if text.startswith((":", "：")):
            return self.command(":" + text[1:])
        return self.ask(text)

    def ask(self, text: str) -> Fragments:
        question = text
        if self.unit is not None and not self._pinned_via_api:
            question = f"{self.scope_prefix()}{text}"  # the engine has no way to pin a unit: name it
        try:
            answer = self.assistant.ask(question)
        except Exception as e:  # an engine bug must not end the user's session
            from .errors import AskBudgetError

            msg = str(e) if isinstance(e, AskBudgetError) else f"内部错误：{type(e).__name__}"
            return [("error", f"出错了：{msg}\n")]
        self.last = answer
        return render_answer(answer)

    def command(self, text: str) -> Fragments:
        name, _, arg = text.partition(" ")
        name = _ALIASES.get(name.lower(), name.lower())
        arg = arg.strip()
        if name == ":quit":
            self.quit = True
            return []
        if name == ":help":
            return self.help()
        if name == ":sql":
            if self.last is None:
                return [("dim", "还没有回答过问题。\n")]
            return [("", (self.last.sql or "（上一个回答没有用到 SQL）") + "\n")]
        if name == ":why":
            return self.why()
        if name == ":units":
            return self.units(arg)
        if name == ":reset":
            self.assistant.reset()
            self.last = None
            return [("dim", "已开始新对话。\n")]
        return [("warn", f"没有这个命令：{name}。"), ("dim", "输入 :help 查看命令。\n")]

    def help(self) -> Fragments:
        out: Fragments = [("head", "用中文问单位预算公开里的数字和说明，例如：\n")]
        for q in self.vocab.examples or ("电费多少", "三公经费多少", "公用经费都包括哪些"):
            out += [("", "  "), ("cmd", q), ("", "\n")]
        out.append(("", "接着上一个问题追问也可以（“水费呢”“去年呢”）。\n"))
        out.append(("head", "命令：\n"))
        for c, h in COMMANDS.items():
            out += [("", "  "), ("cmd", pad(c, 8)), ("", f" {h}\n")]
        out.append(("dim", "Tab 补全科目、项目和指标名；Ctrl-R 搜索历史；Ctrl-C 清空这一行；Ctrl-D 退出。\n"))
        return out

    def why(self) -> Fragments:
        a = self.last
        if a is None:
            return [("dim", "还没有回答过问题。\n")]
        out: Fragments = []
        if a.interpretation:
            out.append(("dim", f"理解为：{a.interpretation}\n"))
        if a.derivation:
            out += [("head", "算法："), ("", a.derivation + "\n")]
        if a.citations:
            out.append(("head", "出处：\n"))
            for c in a.citations:
                where = "，".join(p for p in (f"{c.unit}" if c.unit else "", f"{c.year}年" if c.year else "",
                                              c.document) if p)
                out += [("", "  " + c.label()), ("dim", f"  （{where}）\n")]
        if not out:
            out.append(("dim", "上一个回答没有出处（没有给出数字）。\n"))
        return out

    def units(self, arg: str) -> Fragments:
        units = list(self.vocab.units)
        if arg:
            try:
                n = int(arg)
            except ValueError:
                return [("warn", f"请给出序号：:units 1 … :units {len(units)}，或 :units 0 不限。\n")]
            if n == 0:
                self._pin(None)
                return [("dim", "不限单位：问题按库里的全部单位回答。\n")]
            if not 1 <= n <= len(units):
                return [("warn", f"没有第 {n} 个；库里有 {len(units)} 个单位/年度。\n")]
            self._pin(units[n - 1])
            u = units[n - 1]
            return [("", "之后的问题只问："), ("head", f"{u.unit_name} {u.year or ''}年\n")]
        if not units:
            return [("warn", "库里没有文件。\n")]
        out: Fragments = [("head", "库里的单位和年度：\n")]
        for i, u in enumerate(units, 1):
            mark = " ← 当前" if self.unit == u else ""
            out += [("", f"  {i}. "), ("", f"{u.unit_name}"), ("dim", f"  {u.year or ''}年  {u.unit_code}  "
                                                                     f"（金额单位：{u.money_unit}）"),
                    ("cmd", mark), ("", "\n")]
        out.append(("dim", "输入 :units N 只问第 N 个，:units 0 不限。\n"))
        return out

    def scope_prefix(self) -> str:
        """How a question names the chosen unit (and year, when the store has several for it).

        The parenthetical of a unit name (``(本级)``) is dropped: the engine recognises the name without it.
        """
        u = self.unit
        if u is None:
            return ""
        name = re.sub(r"[(（][^)）]*[)）]", "", u.unit_name).strip() or u.unit_name
        years = {x.year for x in self.vocab.units if x.unit_code == u.unit_code and x.unit_name == u.unit_name}
        year = f"{u.year}年" if u.year and len(years) > 1 else ""
        return f"{name}{year}："

    def _pin(self, unit: Any) -> None:
        """Pass the chosen unit to the Assistant if it can take it, else name it in each question."""
        self.unit = unit
        setter = getattr(self.assistant, "set_scope", None)
        if callable(setter):
            try:
                setter(unit_code=unit.unit_code if unit else None, year=unit.year if unit else None)
                self._pinned_via_api = True
                return
            except TypeError:
                pass
        self._pinned_via_api = False


def _new_session(db_path: str, assistant: Any | None) -> Session:
    from .completion import load_vocabulary

    if assistant is None:
        from .assistant import Assistant

        assistant = Assistant(db_path)
    vocab = load_vocabulary(db_path, commands=list(COMMANDS) + [":units 0"])
    return Session(assistant, vocab)


# ----------------------------------------------------------------------------------------- terminal

def _run_lines(session: Session, stdin: TextIO, stdout: TextIO) -> int:
    """No terminal: read lines, print plain text (scriptable, no escape codes)."""
    for line in stdin:
        frags = cleaned(session.handle(line))
        if frags:
            stdout.write(plain(frags))
            stdout.flush()
        if session.quit:
            break
    return 0


def make_completer(vocab: Any) -> Any:
    """A prompt_toolkit Completer: commands after ':', else store names completing the word at the cursor."""
    from prompt_toolkit.completion import Completer, Completion

    from .completion import KIND_LABELS

    commands = list(COMMANDS) + [":units 0"]

    class StoreCompleter(Completer):
        def get_completions(self, document: Any, complete_event: Any) -> Iterable[Any]:
            before = document.text_before_cursor
            typed = before.lstrip()
            if typed.startswith((":", "：")):
                word = ":" + typed[1:]
                for c in commands:
                    if c.startswith(word) and c != word:
                        yield Completion(c, start_position=-len(typed), display_meta=COMMANDS.get(c, ""))
                return
            tail, hits = vocab.complete_tail(before, limit=12)
            for e in hits:
                meta = KIND_LABELS.get(e.kind, e.kind) + (f" · {e.detail}" if e.detail else "")
                yield Completion(e.text, start_position=-len(tail), display_meta=meta)

    return StoreCompleter()


def make_auto_suggest(vocab: Any) -> Any:
    """Grey text after the cursor: from history first, else the store's first name matching the word typed."""
    from prompt_toolkit.auto_suggest import AutoSuggest, AutoSuggestFromHistory, Suggestion

    class StoreSuggest(AutoSuggest):
        def __init__(self) -> None:
            self.history = AutoSuggestFromHistory()

        def get_suggestion(self, buffer: Any, document: Any) -> Any:
            s = self.history.get_suggestion(buffer, document)
            if s is not None:
                return s
            text = document.text_before_cursor
            if not text.strip() or text.lstrip().startswith((":", "：")) or not document.is_cursor_at_the_end:
                return None
            tail, hits = vocab.complete_tail(text, limit=1)
            if hits and tail:
                return Suggestion(hits[0].text[len(tail):])
            return None

    return StoreSuggest()


def run_repl(db_path: str | os.PathLike[str], *, input: Any = None, output: Any = None,
             assistant: Any | None = None, history_path: str | os.PathLike[str] | None = None) -> int:
    """Run the REPL on the store at ``db_path`` until :quit or Ctrl-D. Returns the exit status.

    ``input``/``output`` are prompt_toolkit Input/Output objects (tests pass a pipe input and a
    captured output); by default the process's terminal. ``assistant`` replaces the Assistant.
    """
    if input is None and (sys.stdin is None or sys.stdin.closed):
        print("error: standard input is closed: the REPL has no questions to read "
              "(ask \"电费多少\" answers one question)", file=sys.stderr)
        return 1
    session = _new_session(str(db_path), assistant)
    if input is None and output is None and not (sys.stdin.isatty() and sys.stdout is not None and sys.stdout.isatty()):
        return _run_lines(session, sys.stdin, sys.stdout or open(os.devnull, "w", encoding="utf-8"))

    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.history import FileHistory, History, InMemoryHistory
    from prompt_toolkit.shortcuts import print_formatted_text
    from prompt_toolkit.styles import Style

    vocab = session.vocab

    history: History
    try:
        hp = Path(history_path) if history_path else data_home() / "repl_history"
        hp.parent.mkdir(parents=True, exist_ok=True)
        history = FileHistory(str(hp))
    except OSError:
        history = InMemoryHistory()

    style = Style.from_dict({k: v for k, v in STYLE_RULES.items()})

    def show(frags: Fragments) -> None:
        if frags:
            styled = [(f"class:{cls}" if cls else "", text) for cls, text in cleaned(frags)]
            print_formatted_text(FormattedText(styled), end="", style=style, output=prompt.output)

    def toolbar() -> Any:
        scope = f"只问：{session.unit.unit_name} {session.unit.year or ''}年 · " if session.unit else ""
        return FormattedText([("", f" {scope}:help 帮助 · Tab 补全 · Ctrl-R 搜索历史 · Ctrl-D 退出 ")])

    prompt: Any = PromptSession(
        message=FormattedText([("class:prompt", "问> ")]),
        history=history,
        completer=make_completer(vocab),
        complete_while_typing=True,
        auto_suggest=make_auto_suggest(vocab),
        enable_history_search=False,  # Up/Down walk history; Ctrl-R searches it
        bottom_toolbar=toolbar,
        style=style,
        input=input,
        output=output,
    )
    n_docs = len(vocab.units)
    show([("head", "askbudget"), ("dim", f" · {n_docs} 份预算文件 · 输入问题，或 :help 看示例，Ctrl-D 退出\n")])
    while not session.quit:
        try:
            line = prompt.prompt()
        except KeyboardInterrupt:  # Ctrl-C: drop the line, keep the session
            continue
        except EOFError:  # Ctrl-D
            break
        show(session.handle(line))
    return 0


__all__ = ["run_repl", "render_answer", "render_items", "Session", "data_home", "COMMANDS", "make_completer",
           "make_auto_suggest"]
