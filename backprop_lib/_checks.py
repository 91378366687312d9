"""Input checks shared by the core: each raises an error that names the argument.

The point of these helpers is that a reader who passes the wrong thing sees what
was expected, in the book's terms, instead of a numpy broadcasting traceback or a
NaN three cells later.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np


def deprecated(old: str, new: str, stacklevel: int = 3) -> None:
    """Warn that ``old`` is a former name of ``new``; the one place renames warn.

    A renamed attribute or method keeps working for one release with a
    ``DeprecationWarning`` naming what to write instead, then goes.
    """
    warnings.warn(
        f"{old} is a former name: use {new} (the old name goes in the next release)",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def check_integer(
    value: object,
    argument: str,
    low: int | None = None,
    high: int | None = None,
    meaning: str = "",
) -> int:
    """An integer in ``low..high`` (either bound optional), or an error naming it.

    The one place where "an integer in a range" is checked: a bool is refused
    (``True`` is an int to Python, never a width or a count to a reader), and the
    message says what was expected, e.g. "epochs must be a positive integer; got 0".
    ``meaning`` is added in parentheses, e.g. "a number of units".
    """
    if low == 1 and high is None:
        expected = "a positive integer"
    elif low == 0 and high is None:
        expected = "a non-negative integer"
    elif low is not None and high is not None:
        expected = f"an integer between {low} and {high}"
    elif low is not None:
        expected = f"an integer of at least {low}"
    elif high is not None:
        expected = f"an integer of at most {high}"
    else:
        expected = "an integer"
    if meaning:
        expected += f" ({meaning})"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{argument} must be {expected}; got {type(value).__name__} {value!r}"
        )
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{argument} must be {expected}; got {value}")
    return int(value)


def check_sizes(sizes: object) -> tuple[int, ...]:
    """Validate layer sizes: a sequence of at least two positive integers."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(
            "sizes must be a list of layer widths such as [2, 3, 1] "
            f"(input layer first); got {type(sizes).__name__} {sizes!r}"
        )
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(
            "sizes must list at least two layers (the input and the output layer), "
            f"e.g. [2, 3, 1]; got {sizes!r}"
        )
    return tuple(
        check_integer(n, f"sizes[{i}]", 1, meaning="a number of units")
        for i, n in enumerate(sizes)
    )


def check_dtype(dtype: object) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"dtype must be np.float32 or np.float64; got {dtype!r}"
        ) from None
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be np.float32 or np.float64; got {dt}")
    return dt


def check_rng(seed: object) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (
        isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0
    ):
        return np.random.default_rng(seed)
    raise TypeError(
        "seed must be a non-negative integer, None, or a numpy Generator "
        f"(np.random.default_rng(...)); got {type(seed).__name__} {seed!r}"
    )


def check_positive_number(value: object, argument: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{argument} must be a positive number; "
            f"got {type(value).__name__} {value!r}"
        )
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{argument} must be a positive, finite number; got {value!r}")
    return value


def as_numeric_array(value: object, argument: str) -> np.ndarray:
    """``np.asarray`` insisting on real numbers; the error names ``argument``."""
    if value is None:
        raise TypeError(f"{argument} must be an array of numbers; got None")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(
            f"{argument} could not be read as a rectangular array of numbers ({exc})"
        ) from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{argument} must contain real numbers; got an array of dtype {arr.dtype}"
        )
    return arr


def as_columns(
    value: object, n: int, argument: str, layer: str, dtype: np.dtype
) -> tuple[np.ndarray, bool]:
    """Turn one example ``(n,)``/``(n, 1)`` or a batch ``(n, m)`` into ``(n, m)``.

    Returns the array (in ``dtype``) and whether the caller passed a single 1-D
    example. ``layer`` names the layer the rows must match, for the message.
    """
    arr = as_numeric_array(value, argument)
    hint = f"pass shape ({n},) for one example or ({n}, m) for m examples as columns"
    if arr.ndim == 1:
        if arr.shape[0] != n:
            raise ValueError(
                f"{argument} has shape {arr.shape} but the {layer} has {n} unit"
                f"{'s' if n != 1 else ''}; {hint}"
            )
        arr = arr.reshape(n, 1)
        one = True
    elif arr.ndim == 2:
        if arr.shape[0] != n:
            raise ValueError(
                f"{argument} has shape {arr.shape}: {arr.shape[0]} rows, but the "
                f"{layer} has {n} unit{'s' if n != 1 else ''}; {hint}"
            )
        if arr.shape[1] == 0:
            raise ValueError(f"{argument} has no examples (shape {arr.shape}); {hint}")
        one = False
    else:
        raise ValueError(
            f"{argument} must be 1-D or 2-D; got shape {arr.shape}; {hint}"
        )
    check_finite(arr, argument)
    return arr.astype(dtype, copy=False), one


def check_finite(arr: np.ndarray, argument: str) -> None:
    """Raise a ValueError naming ``argument`` and its first non-finite entry."""
    if not np.all(np.isfinite(arr)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"{argument} must be finite; entry {bad} is {arr[bad]!r}")
