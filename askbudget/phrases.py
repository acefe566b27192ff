"""Find many literal phrases in a short text: the leftmost, longest one first, without a regex.

Why: the names of a store's units (1,000 units, several spellings each) were one regular expression
of thousands of alternatives; Python compiles that in seconds and tries every alternative at every
position of a question. A set lookup per (position, phrase length) costs microseconds, built in
milliseconds, and finds the same matches as the alternation sorted longest first.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator


class Phrases:
    """A set of literal phrases. ``finditer``/``sub`` behave like ``re`` with the alternation
    ``longest|…|shortest``: matches do not overlap, scanning left to right, the longest phrase
    starting at a position wins."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = frozenset(p for p in phrases if p)
        self._lengths = sorted({len(p) for p in self.phrases}, reverse=True)
        self._firsts = frozenset(p[0] for p in self.phrases)

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def match_at(self, text: str, i: int) -> str | None:
        """The longest phrase starting at ``text[i]``, or None."""
        if i >= len(text) or text[i] not in self._firsts:
            return None
        for n in self._lengths:
            piece = text[i:i + n]
            if len(piece) == n and piece in self.phrases:
                return piece
        return None

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, phrase) of each match, left to right."""
        i = 0
        while i < len(text):
            hit = self.match_at(text, i)
            if hit is None:
                i += 1
                continue
            yield i, i + len(hit), hit
            i += len(hit)

    def sub(self, repl: str | Callable[[str], str], text: str) -> str:
        out, last = [], 0
        for start, end, hit in self.finditer(text):
            out.append(text[last:start])
            out.append(repl(hit) if callable(repl) else repl)
            last = end
        out.append(text[last:])
        return "".join(out)
