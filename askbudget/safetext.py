"""Text that cannot drive a terminal: control characters and escape sequences out.

A document is text from elsewhere. An ESC sequence in it (``\\x1b[2J\\x1b[H`` clears the screen and
homes the cursor) would reach the terminal through ``ask`` and the REPL and could repaint the screen
with a figure the store does not hold; a bidi override (U+202E) would show ``00.59`` as ``95.00``.
So they are removed twice: from document text at ingest, and from everything the CLI and the REPL
print that did not come from the program itself (defence in depth: a store written by another tool).

    clean(text, keep="\\n\\t") -> str   escape sequences, C0/C1 controls, DEL and bidi controls out;
                                       the controls in ``keep`` stay
"""
from __future__ import annotations

import functools
import re

from . import lazyre

__all__ = ["clean"]

# CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), the C1 CSI, and two-character ESC sequences
_ESCAPES = lazyre.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]"
                          r"|\x1b[ -/]*[0-~]")
# controls that stand for white space become a space, so words they separated stay apart
_AS_SPACE = "\x0b\x1c\x1d\x1e\x1f\x85"
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]


@functools.lru_cache(maxsize=8)
def _table(keep: str) -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for i in (*range(0x20), 0x7F, *range(0x80, 0xA0), *_BIDI):
        if chr(i) not in keep:
            table[i] = " " if chr(i) in _AS_SPACE else None
    return table


@functools.lru_cache(maxsize=8)
def _any_control(keep: str) -> "re.Pattern[str]":
    """One of the characters ``_table(keep)`` removes or replaces."""
    return re.compile("[" + "".join(re.escape(chr(i)) for i in sorted(_table(keep))) + "]")


def clean(text: str, keep: str = "\n\t") -> str:
    """``text`` without escape sequences and control characters (except those in ``keep``)."""
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPES.sub("", text)
    if _any_control(keep).search(text) is None:
        return text  # almost every text: one scan in C instead of a table look-up per character
    return text.translate(_table(keep))
