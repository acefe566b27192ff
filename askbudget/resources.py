"""Where things live: the shipped ``lexicon/`` and ``data/``, and the user's cache and data folders.

In a wheel they are packaged as ``askbudget/_lexicon`` and ``askbudget/_data``; in a source
checkout (or an editable install) they are the top-level ``lexicon/`` and ``data/`` folders.
"""
from __future__ import annotations

import os
import sys
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


def user_dir(kind: str) -> Path:
    """The user's ``"cache"`` or ``"data"`` folder for askbudget, where platformdirs puts it.

    On Linux and the other XDG systems the path is known (``$XDG_CACHE_HOME`` or ``~/.cache``,
    ``$XDG_DATA_HOME`` or ``~/.local/share``): computed here, since importing platformdirs costs the
    one-shot ``ask`` several milliseconds. macOS and Windows ask platformdirs.
    """
    if os.name == "posix" and sys.platform != "darwin":
        env = os.environ.get(f"XDG_{kind.upper()}_HOME", "").strip()
        base = env or os.path.expanduser("~/.cache" if kind == "cache" else "~/.local/share")
        return Path(base) / "askbudget"
    import platformdirs

    return Path(platformdirs.user_cache_dir("askbudget") if kind == "cache" else platformdirs.user_data_dir("askbudget"))
