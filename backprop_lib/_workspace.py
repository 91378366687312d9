"""Where the arrays of a backward pass come from: ``new(shape)`` for ``backprop``.

Kept apart from the algorithm (``network.backprop``), which only ever asks
``new(shape)`` for an array to write a result into. What it gets is decided here:
fresh memory (:func:`_fresh`), or arrays handed out again (:class:`_Workspace`), which
saves the page faults of fresh memory on large batches (``make bench`` measures it).
"""

from __future__ import annotations

import functools
import sys

import numpy as np


def _fresh(dtype):
    """``new(shape)`` handing out new arrays: what ``backward`` uses by default."""
    return functools.partial(np.empty, dtype=dtype)


def _references(arrays) -> int:
    """The largest reference count among ``arrays`` (0 for none)."""
    return max(map(sys.getrefcount, arrays), default=0)


# the count of an array that nothing but one list refers to, counted as above
_UNSHARED = _references([np.empty(0)])


class _Workspace:
    """A network's own arrays, handed out again by later passes.

    Why bother: a backward pass at sizes [784, 256, 256, 10], batch 128, returns about
    3.8 MB of new arrays. The C allocator gives freed memory of that size back to the
    operating system and asks for it again on the next call, and every fresh 4 KiB page
    costs a page fault when first written: about 750 faults, over a millisecond per
    call on our machines, as long as a third of the arithmetic itself.

    ``arrays(dtype)`` (``backward(..., reuse=True)``) returns a ``new(shape)`` that
    hands out, call by call, the same arrays as in the previous pass (a new one where
    the shape changed). The passes ask for their arrays in the same order every time,
    so the i-th call of one pass gets the array of the i-th call of the last. The
    price is aliasing: the next pass overwrites the arrays of the previous result.

    ``recycled(dtype)`` (the default) hands out only arrays nothing else refers to:
    those of an earlier result that has since been dropped, else new ones. A result
    the caller keeps, or any view into one of its arrays, keeps its arrays out of
    reach, so it never changes; a loop that drops each result (``r = net.backward(...)``
    over and over) runs on two sets of arrays that take turns.
    """

    __slots__ = ("_arrays", "_turns")

    def __init__(self):
        self._arrays: list = []
        self._turns: list = [[], []]

    def arrays(self, dtype):
        return self._hand_out(self._arrays, dtype)

    def recycled(self, dtype):
        for kept in self._turns:
            if _references(kept) <= _UNSHARED:  # no result refers to these any more
                return self._hand_out(kept, dtype)
        # both sets belong to results still alive: leave the older to its result
        self._turns = [self._turns[1], []]
        return self._hand_out(self._turns[1], dtype)

    @staticmethod
    def _hand_out(kept, dtype):
        count = 0

        def new(shape):
            nonlocal count
            if count < len(kept):
                arr = kept[count]
                if arr.shape != shape or arr.dtype != dtype:
                    arr = kept[count] = np.empty(shape, dtype)
            else:
                arr = np.empty(shape, dtype)
                kept.append(arr)
            count += 1
            return arr

        return new
