"""Where the shipped data lives: ``lexicon/`` and ``data/``.

In a wheel they are packaged as ``askbudget/_lexicon`` and ``askbudget/_data``; in a source
checkout (or an editable install) they are the top-level ``lexicon/`` and ``data/`` folders.
"""
from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _first(*candidates: Path) -> Path:
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[-1]


def lexicon_dir() -> Path:
    return _first(_PKG / "_lexicon", _PKG.parent / "lexicon")


def data_dir() -> Path:
    return _first(_PKG / "_data", _PKG.parent / "data")
