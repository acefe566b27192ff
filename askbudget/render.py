"""Plain-text rendering of an Answer for the terminal (``ask`` and the REPL)."""
from __future__ import annotations

from .answer import Answer
from .plan import fmt


def render_text(answer: Answer, show_sql: bool = False) -> str:
    """The answer sentence, a list of items if any, its sources, suggestions, and optionally the SQL."""
    lines = [answer.text]
    if answer.interpretation:
        lines.append(f"（理解为：{answer.interpretation}）")
    if answer.items and len(answer.items) > 1:
        width = max(len(i.label) for i in answer.items)
        values = [fmt(i.value, i.unit) if i.value is not None else "" for i in answer.items]  # as the text has them
        vw = max(len(v) for v in values)
        for i, v in zip(answer.items, values):
            val = f"{v.rjust(vw)} {i.unit}" if v else ""
            lines.append(f"  {i.label.ljust(width, '　')}  {val}".rstrip())
    if answer.derivation and answer.derivation not in answer.text:
        lines.append(f"计算：{answer.derivation}")
    if answer.citations:
        lines.append("来源：")
        for c in answer.citations:
            where = f"{c.unit} {c.year}年" if c.year else c.unit
            lines.append(f"  - {c.label()}（{c.document}，{where}）")
    if answer.suggestions:
        lines.append("您可以这样问：")
        lines.extend(f"  - {s}" for s in answer.suggestions)
    if show_sql and answer.sql:
        lines.append("SQL：")
        lines.extend(f"  {l}" for l in answer.sql.splitlines())
    return "\n".join(lines)
