"""The values an answer is made of: Answer and Citation (frozen, comparable, JSON-ready)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["answered", "not_found", "ambiguous", "out_of_scope"]
STATUSES: tuple[str, ...] = ("answered", "not_found", "ambiguous", "out_of_scope")


@dataclass(frozen=True)
class Citation:
    """Where a figure or passage came from. A narrative citation names its section in ``table``."""

    document: str
    unit: str
    year: int | None
    table: str
    row: str = ""
    column: str = ""
    page: int | None = None  # the page it is printed on; None where the source has no pages
    kind: str = "预算"  # the document's kind: 预算 (budget) or 决算 (final accounts)

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "unit": self.unit, "year": self.year,
                "table": self.table, "row": self.row, "column": self.column, "page": self.page,
                "kind": self.kind}

    def label(self) -> str:
        # a 决算 figure is never mistaken for a budget one: the label names the kind when the title does not
        parts = [self.table if self.kind != "决算" or "决算" in self.table else f"{self.table}（{self.year}年决算）"]
        if self.row:
            parts.append(self.row)
        if self.column:
            parts.append(self.column)
        return " / ".join(parts) + (f"（第{self.page}页）" if self.page else "")


@dataclass(frozen=True)
class Item:
    """One line of a list or breakdown answer (for aligned tables and bar charts)."""

    label: str
    value: float | None = None
    unit: str = ""
    share: float | None = None  # percent of the total the list is about, where that helps

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "value": self.value, "unit": self.unit, "share": self.share}


@dataclass(frozen=True)
class Answer:
    """What the assistant says to one question.

    ``value`` is the figure the answer is about, in ``unit`` (None for text answers);
    ``items`` lists the lines of a list/breakdown answer; ``derivation`` says how a computed
    figure was derived (formula); ``sql`` is the SQL that produced it.
    """

    question: str
    status: Status
    text: str
    value: float | None = None
    unit: str | None = None
    citations: tuple[Citation, ...] = ()
    sql: str = ""
    suggestions: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    derivation: str = ""
    intent: str = ""  # a short readable form of the parsed intent (for debugging)
    interpretation: str = ""  # how the question was read, in Chinese: "电费 · 预算数 · 2023年 · <unit>"

    @property
    def answered(self) -> bool:
        return self.status == "answered"

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "status": self.status,
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "citations": [c.to_dict() for c in self.citations],
            "sql": self.sql,
            "suggestions": list(self.suggestions),
            "items": [i.to_dict() for i in self.items],
            "derivation": self.derivation,
            "interpretation": self.interpretation,
        }
