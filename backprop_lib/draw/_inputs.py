"""Checks of the network figures' arguments: each error names the argument."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .._checks import check_integer, check_sizes
from ..network import BackwardResult, ForwardTrace, Network
from ._style import _SYMBOL

MAX_UNITS = 12  # per layer: more does not fit the text column legibly
MAX_LAYERS = 8  # entries of sizes
MAX_PATHS = 4096


def _sizes_of(net) -> tuple:
    """Layer sizes of a Network or of a list of sizes, checked for drawing."""
    if isinstance(net, Network):
        sizes = tuple(net.sizes)
    else:
        try:
            sizes = check_sizes(net)
        except (TypeError, ValueError) as err:
            raise ValueError(
                f"net must be a Network or a list of layer sizes: {err}"
            ) from None
    if len(sizes) > MAX_LAYERS:
        raise ValueError(
            f"net has {len(sizes)} layers; a drawing fits at most {MAX_LAYERS} "
            "(input and output included) in the text column"
        )
    widest = max(sizes)
    if widest > MAX_UNITS:
        raise ValueError(
            f"net has a layer of {widest} units; a drawing fits at most {MAX_UNITS} "
            "per layer: draw a smaller network with the same shape"
        )
    return sizes


def _check_int(value, name: str, lo: int, hi: int, what: str) -> int:
    """The core's integer-range check (``check_integer``), raising a ValueError.

    Every bad argument of a drawing function is a ValueError, a wrong type included.
    """
    try:
        return check_integer(value, name, lo, hi, what)
    except TypeError as err:
        raise ValueError(str(err)) from None


def _check_unit(unit, sizes, name: str, first_layer: int = 0) -> tuple:
    L = len(sizes) - 1
    if not isinstance(unit, (tuple, list)) or len(unit) != 2:
        raise ValueError(f"{name} must be a pair (ell, j); got {unit!r}")
    ell = _check_int(unit[0], f"{name}[0] (the layer ell)", first_layer, L, "a layer")
    j = _check_int(
        unit[1], f"{name}[1] (the unit j)", 0, sizes[ell] - 1, f"a unit of layer {ell}"
    )
    return ell, j


def _check_weight(weight, sizes, name: str = "weight") -> tuple:
    L = len(sizes) - 1
    if not isinstance(weight, (tuple, list)) or len(weight) != 3:
        raise ValueError(
            f"{name} must be a triple (ell, j, k) naming w^ell_jk; got {weight!r}"
        )
    ell = _check_int(weight[0], f"{name}[0] (the layer ell)", 1, L, "a layer")
    j = _check_int(
        weight[1], f"{name}[1] (the receiving unit j)", 0, sizes[ell] - 1,
        f"a unit of layer {ell}",
    )  # fmt: skip
    k = _check_int(
        weight[2], f"{name}[2] (the sending unit k)", 0, sizes[ell - 1] - 1,
        f"a unit of layer {ell - 1}",
    )  # fmt: skip
    return ell, j, k


def _weights_to_label(weights, sizes, name: str = "weights") -> list:
    """The weights (ell, j, k) to label: True/"all", False/None, a layer, or a list."""
    L = len(sizes) - 1
    every = [
        (ell, j, k)
        for ell in range(1, L + 1)
        for j in range(sizes[ell])
        for k in range(sizes[ell - 1])
    ]
    if weights is True or (isinstance(weights, str) and weights == "all"):
        return every
    if weights is False or weights is None:
        return []
    if isinstance(weights, (int, np.integer)) and not isinstance(weights, bool):
        ell = _check_int(weights, name, 1, L, "a layer whose weights to label")
        return [w for w in every if w[0] == ell]
    if isinstance(weights, Iterable) and not isinstance(weights, str):
        return [_check_weight(w, sizes, f"{name}[{i}]") for i, w in enumerate(weights)]
    raise ValueError(
        f"{name} must be True (label every weight), False, a layer number or a list "
        f"of (ell, j, k); got {weights!r}"
    )


_VALUE_KEYS = tuple(_SYMBOL)  # the values a figure can write beside its units


def _values_of(values, net, sizes, show) -> dict:
    """{"z": [...], "a": [...], ...} as lists of 1-D arrays indexed by layer."""
    if isinstance(show, str):
        show = (show,)
    show = tuple(show)
    for s in show:
        if s not in _VALUE_KEYS:
            raise ValueError(
                f"show may list {', '.join(map(repr, _VALUE_KEYS))}; got {s!r}"
            )
    if values is None and "b" not in show:
        return {}
    table: dict = {}
    if isinstance(values, BackwardResult):
        table = {
            "z": values.trace.z,
            "a": values.trace.a,
            "delta": values.delta,
        }
    elif isinstance(values, ForwardTrace):
        table = {"z": values.z, "a": values.a}
    elif isinstance(values, dict):
        unknown = set(values) - set(_VALUE_KEYS)
        if unknown:
            raise ValueError(
                f"values may have the keys {', '.join(map(repr, _VALUE_KEYS))}; "
                f"got {sorted(unknown)!r}"
            )
        table = dict(values)
    elif values is not None:
        raise ValueError(
            "values must be a BackwardResult (net.backward(x, y)), a ForwardTrace "
            "(net.forward(x)) or a dict of per-layer lists; got "
            f"{type(values).__name__}"
        )
    if "b" in show:
        if not isinstance(net, Network):
            raise ValueError("show=('b',) needs a Network, not a list of sizes")
        table.setdefault("b", net.b)
    out: dict = {}
    for key in show:
        if key not in table:
            continue
        layers = list(table[key])
        if len(layers) != len(sizes):
            raise ValueError(
                f"values[{key!r}] has {len(layers)} layers but the network has "
                f"{len(sizes)} (index 0 is the input layer)"
            )
        per_layer = []
        for ell, arr in enumerate(layers):
            if arr is None:
                per_layer.append(None)
                continue
            col = np.asarray(arr, dtype=float)
            col = col.reshape(col.shape[0], -1)[:, 0] if col.ndim else col.reshape(1)
            if col.shape[0] != sizes[ell]:
                raise ValueError(
                    f"values[{key!r}][{ell}] has {col.shape[0]} entries but layer "
                    f"{ell} has {sizes[ell]} units"
                )
            per_layer.append(col)
        out[key] = per_layer
    return out


def _check_start(start) -> int:
    if start not in (0, 1) or isinstance(start, bool):
        raise ValueError(
            "start must be 1 (units numbered from 1, as in the book's formulas) or 0 "
            f"(from 0, as in the code's W[ell][j, k]); got {start!r}"
        )
    return int(start)


def _check_layer_names(layer_names, sizes):
    if layer_names is None:
        return None
    if isinstance(layer_names, str) or len(layer_names) != len(sizes):
        raise ValueError(
            f"layer_names must list one caption per layer ({len(sizes)}); "
            f"got {layer_names!r}"
        )
    return [str(name) for name in layer_names]
