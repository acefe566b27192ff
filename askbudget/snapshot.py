"""A conversation's state as plain JSON data, and back: ``Assistant.context`` / ``Assistant.restore``.

The follow-up state (plan.Context: the previous intent, its figures and rows) is made of frozen
dataclasses, tuples and frozensets. ``dump`` writes it positionally, as compact JSON: each container is
a list whose first item says what it is — a dataclass ``[class number, mask, values…]`` (the mask has a
bit for each field written, in the class's field order; a field that holds its default, most of an
Intent's, is left out), a tuple ``[6, …]``, a frozenset ``[7, …]`` (sorted) and a list ``[8, …]``;
anything else is a string, a number, a boolean or null. ``load`` rebuilds only the classes listed here
(a field left out takes its default), so a snapshot that was tampered with can at worst be refused,
never run code. The web service writes one into its token on every turn that changes the conversation,
so both walk the data with tables built once per class rather than asking ``dataclasses`` each time,
``dump`` walks a frozen value it dumped lately only once (most of a turn's state is the last one's),
and the positional form keeps the JSON (and its compression) small.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from .answer import Citation
from .errors import QueryError
from .parse import Intent, Mention
from .plan import Context, Fig, RowRef

_CLASS_LIST: tuple[type, ...] = (Context, Intent, Mention, Fig, RowRef, Citation)  # their numbers: never reorder
_CODES: dict[type, int] = {c: i for i, c in enumerate(_CLASS_LIST)}
_TUPLE, _FROZENSET, _LIST = 6, 7, 8
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


_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {c: _table(c) for c in _CLASS_LIST}
_NAMES: dict[type, tuple[str, ...]] = {c: tuple(n for n, _ in fs) for c, fs in _FIELDS.items()}


def dump(obj: Any, depth: int = 0) -> Any:
    """``obj`` as JSON-able data (lists, str, numbers, booleans, None)."""
    return _dump(obj, depth, [0])


# id -> (object, its dump) for the frozen values dumped lately: a conversation's next state holds mostly the
# very Intent, Mentions, rows and figures its last one held (and the parse cache hands out one Intent per
# question), so each is walked once, not on every turn. The object is kept, so its id stays its own;
# a value holding a list (mutable) is never kept. Cleared when full.
_MEMO: dict[int, tuple[Any, Any]] = {}
_MEMO_MAX = 4096
_FROZEN = frozenset(c for c in _CLASS_LIST if c.__dataclass_params__.frozen)  # type: ignore[attr-defined]


def _dump(obj: Any, depth: int, lists: list[int]) -> Any:
    """``dump``; ``lists[0]`` counts the lists written (a value holding one is not memoised)."""
    if depth > _MAX_DEPTH:
        raise QueryError("对话状态嵌套过深")
    if obj is None or isinstance(obj, _SCALARS):
        return obj
    kind = type(obj)
    fields = _FIELDS.get(kind)
    if fields is not None:
        hit = _MEMO.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        before = lists[0]
        out: list[Any] = [_CODES[kind], 0]
        mask = 0
        for bit, (name, default) in enumerate(fields):
            value = getattr(obj, name)
            if default is _REQUIRED or type(value) is not type(default) or value != default:
                mask |= 1 << bit
                out.append(_dump(value, depth + 1, lists))
        out[1] = mask
        if lists[0] == before and kind in _FROZEN:
            if len(_MEMO) >= _MEMO_MAX:
                _MEMO.clear()
            _MEMO[id(obj)] = (obj, out)
        return out
    if kind is tuple:
        return [_TUPLE, *(_dump(x, depth + 1, lists) for x in obj)]
    if kind is frozenset:
        return [_FROZENSET, *sorted((_dump(x, depth + 1, lists) for x in obj), key=repr)]
    if kind is list:
        lists[0] += 1
        return [_LIST, *(_dump(x, depth + 1, lists) for x in obj)]
    raise QueryError(f"对话状态里有不能保存的值（{kind.__name__}）")


def load(data: Any, depth: int = 0) -> Any:
    """The object ``dump`` wrote; QueryError for anything it would not have written."""
    if depth > _MAX_DEPTH:
        raise QueryError("对话状态嵌套过深")
    if data is None or isinstance(data, _SCALARS):
        return data
    if not isinstance(data, list) or not data or type(data[0]) is not int:
        raise QueryError("对话状态格式不对")
    tag = data[0]
    if tag == _TUPLE:
        return tuple(load(x, depth + 1) for x in data[1:])
    if tag == _FROZENSET:
        return frozenset(load(x, depth + 1) for x in data[1:])
    if tag == _LIST:
        return [load(x, depth + 1) for x in data[1:]]
    if not 0 <= tag < len(_CLASS_LIST) or len(data) < 2 or type(data[1]) is not int:
        raise QueryError("对话状态格式不对")
    cls = _CLASS_LIST[tag]
    names = _NAMES[cls]
    mask = data[1]
    if mask < 0 or mask >> len(names) or bin(mask).count("1") != len(data) - 2:
        raise QueryError("对话状态的字段与类不符")
    kwargs = {}
    for value in data[2:]:  # the fields of the mask's bits, lowest first
        low = mask & -mask
        mask ^= low
        kwargs[names[low.bit_length() - 1]] = load(value, depth + 1)
    try:
        return cls(**kwargs)
    except TypeError as e:
        raise QueryError(f"对话状态不完整：{e}") from None
