"""A dict that computes a missing value on first use and keeps at most ``limit`` of them.

The hot paths (clause tokens, topic hits of a token, sentiment weight of a
token, HMM runs of unknown characters) read such a dict with
``map(memo.__getitem__, keys)``: a hit is a dict lookup done in C, and
only a miss calls Python. Memory stays bounded however long the input.
"""

from __future__ import annotations

from typing import Callable

__all__ = ["BoundedMemo"]


class BoundedMemo(dict):
    """``memo[key]`` is ``compute(key)``, remembered for at most ``limit`` keys.

    ``keep(key)``, when given, decides which keys are worth remembering.

    Examples
    --------
    >>> lengths = BoundedMemo(len, limit=2)
    >>> [lengths[w] for w in ("好", "好评", "不错哦", "好")]
    [1, 2, 3, 1]
    >>> len(lengths)
    2
    """

    def __init__(self, compute: Callable, limit: int, keep: Callable | None = None):
        super().__init__()
        self._compute = compute
        self._limit = limit
        self._keep = keep

    def __missing__(self, key):
        value = self._compute(key)
        if len(self) < self._limit and (self._keep is None or self._keep(key)):
            self[key] = value
        return value
