"""Money units: the factor to 万元 of a unit a table, a column or a figure is printed in.

Why: the store keeps every money figure in 万元 (docs/schema.md) whatever unit a table printed
it in, so an answer, a sum across tables and a comparison across years never mix 元 and 万元
(a table in 元 read as 万元 is 10 000× too large — the worst kind of wrong figure). The units are
data (``lexicon/money_units.tsv``); this module loads and validates them once per process.
"""
from __future__ import annotations

import functools
import math
import re
from types import MappingProxyType
from typing import Mapping

from ..errors import LexiconError
from ..lexicon import read_tsv

FILE = "money_units.tsv"
STORE_UNIT = "万元"
# a column whose figures are counts, never money (数量, 人数, 编制数…): never converted
NON_MONEY_COLUMN_RE = re.compile(r"数量|人数|编制|序号|面积|比例|%|％")


@functools.lru_cache(maxsize=4)
def factors(directory: str | None = None) -> Mapping[str, float]:
    """unit → how many 万元 one of it is (``元`` → 0.0001); validated, loaded once."""
    out: dict[str, float] = {}
    path = FILE if directory is None else f"{directory}/{FILE}"
    for line, row in read_tsv(FILE, ("unit", "in_wanyuan"), directory=directory):
        unit = row["unit"]
        try:
            f = float(row["in_wanyuan"])
        except ValueError:
            raise LexiconError(path, line, f"in_wanyuan {row['in_wanyuan']!r} is not a number") from None
        if not math.isfinite(f) or f <= 0:
            raise LexiconError(path, line, f"in_wanyuan must be a positive number, got {row['in_wanyuan']!r}")
        if not unit.endswith("元"):
            raise LexiconError(path, line, f"unit {unit!r} is not a money unit (…元)")
        if unit in out:
            raise LexiconError(path, line, f"unit {unit!r} listed twice")
        out[unit] = f
    if out.get(STORE_UNIT) != 1.0:
        raise LexiconError(path, None, f"{STORE_UNIT} must be listed with in_wanyuan 1")
    return MappingProxyType(out)


def factor(unit: str) -> float | None:
    """How many 万元 one ``unit`` is; None for a unit that is not a listed money unit."""
    return factors().get(unit.strip())


def is_money_word(unit: str) -> bool:
    """A 单位 value that names money (ends in 元): an unlisted one is an error, not a silent guess."""
    return unit.strip().endswith("元")


def suffix_unit(raw: str) -> str | None:
    """The money unit a cell writes after its figure (``95.00万元`` → 万元), or None."""
    s = raw.strip()
    for u in sorted(factors(), key=len, reverse=True):
        if s.endswith(u) and len(s) > len(u) and (s[-len(u) - 1].isdigit() or s[-len(u) - 1] in " )）"):
            return u
    return None
