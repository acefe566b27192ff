"""One bounded cache for the caches of a process: parses, conversation states, query results, answers.

Each holds at most ``size`` entries — or, given ``weight``, entries whose weights add up to at most
``size`` — and drops the least recently used first. Each call holds a lock, so one cache serves every
thread of a process (the web service's pooled Assistants share theirs).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    __slots__ = ("size", "total", "_items", "_weight", "_lock")

    def __init__(self, size: int, weight: Callable[[V], int] | None = None) -> None:
        self.size = max(1, int(size))
        self.total = 0  # the entries' weights added up (their count without ``weight``)
        self._items: OrderedDict[K, V] = OrderedDict()
        self._weight = weight
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> V | None:
        """The value kept for ``key`` (now the most recently used), or None."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` for ``key``, dropping the least recently used entries over the bound."""
        weigh = self._weight
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.total -= weigh(old) if weigh else 1
            self._items[key] = value
            self.total += weigh(value) if weigh else 1
            while self.total > self.size and self._items:
                _, dropped = self._items.popitem(last=False)
                self.total -= weigh(dropped) if weigh else 1

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.total = 0
