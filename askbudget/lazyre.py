"""Regular expressions compiled on first use: ``lazyre.compile(pattern)`` instead of ``re.compile``.

Compiling a pattern costs 0.05–1 ms (a ``[\\u4e00-\\u9fff]`` class alone about 1 ms); the modules of the
question path hold about a hundred, most of which a given question never reaches. Compiled at import,
they cost the one-shot ``ask`` some 10 ms before it reads a word; compiled lazily, each question pays
only for the patterns it uses, once per process. The object answers the ``re.Pattern`` methods the
code calls; pass ``.compiled`` where a real ``re.Pattern`` is required.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterator

__all__ = ["LazyPattern", "compile"]


class LazyPattern:
    """A ``re.Pattern`` that is compiled the first time it is used."""

    __slots__ = ("_source", "_flags", "_rx")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = pattern
        self._flags = flags
        self._rx: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        rx = self._rx
        if rx is None:  # two threads may both compile: harmless, the results are equal
            rx = self._rx = re.compile(self._source, self._flags)
        return rx

    @property
    def pattern(self) -> str:
        return self._source

    @property
    def flags(self) -> int:
        return self.compiled.flags

    @property
    def groups(self) -> int:
        return self.compiled.groups

    @property
    def groupindex(self) -> Any:
        return self.compiled.groupindex

    def search(self, string: str, *args: int) -> re.Match[str] | None:
        return self.compiled.search(string, *args)

    def match(self, string: str, *args: int) -> re.Match[str] | None:
        return self.compiled.match(string, *args)

    def fullmatch(self, string: str, *args: int) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, *args)

    def finditer(self, string: str, *args: int) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, *args)

    def findall(self, string: str, *args: int) -> list[Any]:
        return self.compiled.findall(string, *args)

    def split(self, string: str, maxsplit: int = 0) -> list[Any]:
        return self.compiled.split(string, maxsplit)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def subn(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> tuple[str, int]:
        return self.compiled.subn(repl, string, count)

    def __repr__(self) -> str:
        return f"lazyre.compile({self._source!r})"


def compile(pattern: str, flags: int = 0) -> LazyPattern:  # noqa: A001 - mirrors re.compile
    """A pattern compiled on its first use (same arguments as ``re.compile``)."""
    return LazyPattern(pattern, flags)
