"""Work this process did before, kept by what identifies its input (a digest, not the text itself):
the live preview reads every source again at each save, and most are unchanged."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """At most ``limit`` results, all forgotten at once when full (a session's sources, each
    edited many times over, stay far below it)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.results: dict[K, V] = {}

    def get(self, key: K, work: Callable[[], V]) -> V:
        """The result kept for ``key``, or ``work()``'s, kept now."""
        if key not in self.results:
            if len(self.results) >= self.limit:
                self.results.clear()
            self.results[key] = work()
        return self.results[key]
