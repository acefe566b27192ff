"""A conversation's state as plain JSON data, and back: ``Assistant.context`` / ``Assistant.restore``.

The follow-up state (plan.Context: the previous intent, its figures and rows) is made of frozen
dataclasses, tuples and frozensets. ``dump`` writes each dataclass as ``{"$": name, field: ...}``,
leaving out the fields that hold their default (most of an Intent's), a tuple as ``{"$t": [...]}``
and a frozenset as ``{"$f": [...]}``; ``load`` rebuilds only the classes listed here (a field left
out takes its default), so a snapshot that was tampered with can at worst be refused, never run
code. The web service dumps and loads one on every turn, so both walk the data with tables built
once per class rather than asking ``dataclasses`` each time.
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
_REQUIRED = object()  # a field without a default: always written
_SCALARS = (str, int, float, bool)


def _table(cls: type) -> tuple[tuple[str, Any], ...]:
    """(name, default) of each field of ``cls``; the default is ``_REQUIRED`` where there is none."""
    out = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()  # compared with, never handed out
        else:
            default = _REQUIRED
        out.append((f.name, default))
    return tuple(out)


_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {c: _table(c) for c in _CLASSES.values()}
_NAMES: dict[type, frozenset[str]] = {c: frozenset(n for n, _ in fs) for c, fs in _FIELDS.items()}


def dump(obj: Any, depth: int = 0) -> Any:
    """``obj`` as JSON-able data (dicts, lists, str, numbers, None)."""
    if depth > _MAX_DEPTH:
        raise QueryError("对话状态嵌套过深")
    if obj is None or isinstance(obj, _SCALARS):
        return obj
    fields = _FIELDS.get(type(obj))
    if fields is not None:
        out: dict[str, Any] = {"$": type(obj).__name__}
        for name, default in fields:
            value = getattr(obj, name)
            if default is _REQUIRED or type(value) is not type(default) or value != default:
                out[name] = dump(value, depth + 1)
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
    if data is None or isinstance(data, _SCALARS):
        return data
    if isinstance(data, list):
        return [load(x, depth + 1) for x in data]
    if isinstance(data, dict):
        if len(data) == 1:
            if isinstance(data.get("$t"), list):
                return tuple(load(x, depth + 1) for x in data["$t"])
            if isinstance(data.get("$f"), list):
                return frozenset(load(x, depth + 1) for x in data["$f"])
        cls = _CLASSES.get(str(data.get("$")))
        if cls is not None:
            kwargs = {k: load(v, depth + 1) for k, v in data.items() if k != "$"}
            if not _NAMES[cls].issuperset(kwargs):
                raise QueryError(f"对话状态有未知字段：{sorted(set(kwargs) - _NAMES[cls])}")
            try:
                return cls(**kwargs)
            except TypeError as e:
                raise QueryError(f"对话状态不完整：{e}") from None
    raise QueryError("对话状态格式不对")
