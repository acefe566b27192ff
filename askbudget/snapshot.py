"""A conversation's state as plain JSON data, and back: ``Assistant.context`` / ``Assistant.restore``.

The follow-up state (plan.Context: the previous intent, its figures and rows) is made of frozen
dataclasses, tuples and frozensets. ``dump`` writes each dataclass as ``{"$": name, field: ...}``,
a tuple as ``{"$t": [...]}`` and a frozenset as ``{"$f": [...]}``; ``load`` rebuilds only the classes
listed here, so a snapshot that was tampered with can at worst be refused, never run code.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from .answer import Citation
from .errors import QueryError
from .parse import Intent, Mention
from .plan import Context, Fig, RowRef

_CLASSES: dict[str, type] = {c.__name__: c for c in (Context, Intent, Mention, Fig, RowRef, Citation)}
_MAX_DEPTH = 12


def dump(obj: Any, depth: int = 0) -> Any:
    """``obj`` as JSON-able data (dicts, lists, str, numbers, None)."""
    if depth > _MAX_DEPTH:
        raise QueryError("对话状态嵌套过深")
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if dataclasses.is_dataclass(obj) and type(obj).__name__ in _CLASSES:
        out: dict[str, Any] = {"$": type(obj).__name__}
        for f in dataclasses.fields(obj):
            out[f.name] = dump(getattr(obj, f.name), depth + 1)
        return out
    if isinstance(obj, tuple):
        return {"$t": [dump(x, depth + 1) for x in obj]}
    if isinstance(obj, frozenset):
        return {"$f": sorted((dump(x, depth + 1) for x in obj), key=repr)}
    if isinstance(obj, list):
        return [dump(x, depth + 1) for x in obj]
    raise QueryError(f"对话状态里有不能保存的值（{type(obj).__name__}）")


def load(data: Any, depth: int = 0) -> Any:
    """The object ``dump`` wrote; QueryError for anything it would not have written."""
    if depth > _MAX_DEPTH:
        raise QueryError("对话状态嵌套过深")
    if data is None or isinstance(data, (str, int, float, bool)):
        return data
    if isinstance(data, list):
        return [load(x, depth + 1) for x in data]
    if isinstance(data, dict):
        if "$t" in data and len(data) == 1 and isinstance(data["$t"], list):
            return tuple(load(x, depth + 1) for x in data["$t"])
        if "$f" in data and len(data) == 1 and isinstance(data["$f"], list):
            return frozenset(load(x, depth + 1) for x in data["$f"])
        cls = _CLASSES.get(str(data.get("$")))
        if cls is not None:
            names = {f.name for f in dataclasses.fields(cls)}
            kwargs = {k: load(v, depth + 1) for k, v in data.items() if k != "$"}
            if not set(kwargs) <= names:
                raise QueryError(f"对话状态有未知字段：{sorted(set(kwargs) - names)}")
            try:
                return cls(**kwargs)
            except TypeError as e:
                raise QueryError(f"对话状态不完整：{e}") from None
    raise QueryError("对话状态格式不对")
