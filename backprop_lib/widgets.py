"""The δ explorer: move a weight and watch every δ and gradient change.

``DeltaExplorer(net, x, y)`` is an ipywidgets widget (built on anywidget) that draws a
small network with the pre-activation z, the activation a and the error
δ = ∂C/∂z of every neuron, and every weight with its ∂C/∂w. Sliders and typed
fields change the weights, biases, input and target; selectors change the
activations and the cost; "Step backward" animates the backward pass in the order
backprop computes it (BP1 at the output, BP2 layer by layer, then BP3 and BP4);
clicking a neuron shows its equations with the current numbers. The reader can also
change the network's shape (units per hidden layer, hidden layers; fresh weights from
a seed) and train it by mini-batch gradient descent on a 2-D data set generated in
the page, watching δ of a chosen point and the mean |δ| of every layer as it learns.

What it can show (activations, costs, their rules, the synced state) is one
description, ``_explorer_spec.spec()``, derived from the core's registries and sent to
the front end; a network it cannot mirror exactly is refused, never replaced.

Where the arithmetic happens
----------------------------
The numbers on screen are computed in the browser, by ``explorer.js``, which
mirrors the numpy core (``Network.forward``/``backward``) line by line. That is
what keeps the explorer interactive on the book's static pages, where no kernel
runs. With a kernel (JupyterLab, Binder, Voila) every change is also sent to
Python, where this class rebuilds :attr:`DeltaExplorer.net` and
:attr:`DeltaExplorer.result` with the numpy core, so notebook code can read them
(and ``explorer.observe(callback, names="result")`` runs after each change). The
tests check that the two agree.

This is the only module of ``backprop_lib`` that imports ipywidgets/anywidget, and
it computes no derivative itself: it asks the core.

Limits
------
At most :data:`MAX_WEIGHT_LAYERS` = 4 weight layers (so at most 5 layers of neurons,
counting the input layer) and at most :data:`MAX_UNITS` = 6 units in every layer,
input and output included; one example at a time.
"""

from __future__ import annotations

import math
import numbers
from pathlib import Path

import numpy as np

try:
    import anywidget
    import traitlets as t
except ImportError as exc:  # the optional "widgets" extra is missing
    raise ImportError(
        "backprop_lib.widgets needs anywidget and ipywidgets, the library's optional "
        'widgets extra: pip install "backprop_lib[widgets]" '
        f"(missing: {exc.name or exc})"
    ) from exc

from ._checks import check_integer, check_positive_number, deprecated
from ._explorer_spec import (
    MAX_UNITS,
    MAX_WEIGHT_LAYERS,
    STATE_NAMES,
    spec,
    unsupported,
)
from .network import BackwardResult, Network

__all__ = ["MAX_UNITS", "MAX_WEIGHT_LAYERS", "DeltaExplorer", "ExplorerError"]

_SPEC = spec()
#: Derived from the core's registries (see ``_explorer_spec.spec``).
HIDDEN_ACTIVATIONS = tuple(_SPEC["hidden_activations"])
OUTPUT_ACTIVATIONS = tuple(_SPEC["output_activations"])
COSTS = tuple(_SPEC["costs"])
#: The traits that define the network and its example (sizes first).
_NETWORK_STATE = STATE_NAMES[1:]

_HERE = Path(__file__).resolve().parent


def _asset(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


class ExplorerError(t.TraitError, ValueError):
    """A value the explorer cannot show. A ``ValueError`` (and a ``TraitError``, so
    that traitlets rolls back a partly applied change)."""


def _one_example(value, n: int, argument: str) -> list[float]:
    """One example as a list of n finite floats; the error names ``argument``."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{argument} must be {n} number{'s' if n != 1 else ''}; got {value!r}"
        ) from None
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ExplorerError(
            f"{argument} must be one example: shape ({n},) or ({n}, 1); got shape "
            f"{arr.shape} (the explorer shows one example at a time)"
        )
    if not np.all(np.isfinite(arr)):
        raise ExplorerError(f"{argument} must be finite; got {arr.tolist()}")
    return [float(v) for v in arr]


def _matrix(value, shape: tuple[int, ...], argument: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ExplorerError(
            f"{argument} must be an array of numbers of shape {shape}"
        ) from None
    if arr.shape != shape:
        raise ExplorerError(f"{argument} must have shape {shape}; got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ExplorerError(f"{argument} must be finite")
    return arr


def _renamed(old: str, new: str, why: str) -> property:
    """A former trait name of DeltaExplorer: reading or writing it warns (pointing
    at the caller's line) and forwards to ``new``."""

    def get(self):
        deprecated(f"DeltaExplorer.{old}", f"DeltaExplorer.{new}")
        return getattr(self, new)

    def set_(self, value):
        deprecated(f"DeltaExplorer.{old}", f"DeltaExplorer.{new}")
        setattr(self, new, value)

    return property(get, set_, doc=f"Former name of :attr:`{new}` {why}.")


class DeltaExplorer(anywidget.AnyWidget):
    """Tweak a small network's weights and watch every δ and gradient change.

    Parameters
    ----------
    net : backprop_lib.Network
        The network to explore; at most 4 weight layers and at most 6 units per
        layer. It is copied (as float64): the explorer never changes ``net``.
    x, y : array_like
        One input, shape ``(n_0,)`` or ``(n_0, 1)``, and its target,
        ``(n_L,)`` or ``(n_L, 1)``.
    eta : float
        Learning rate of the "SGD step" button and of :meth:`sgd_step`.
    weight_range : float, optional
        The sliders run over ``[-weight_range, weight_range]``; typed values outside
        are clamped into it. Default: ``max(5, ceil(max |w|, |b|))``.
    value_range : float, optional
        Typed inputs and targets are clamped into ``[-value_range, value_range]``.
        Default: ``max(10, ceil(max |x|, |y|))``.
    cost_name : str, optional
        The cost to show ``net`` with (as the page's Cost menu chooses it); default
        ``net.cost_name``. ``cost=`` is its former name (deprecated).

    Attributes
    ----------
    net : Network
        The network as it is now (float64), rebuilt by the numpy core after every
        change, from the browser or from Python. Read it; to change the explorer,
        use :meth:`set_w`, :meth:`set_b`, or assign the synced traits
        (``weights``, ``biases``, ``x``, ``y``, ``activation``,
        ``output_activation``, ``cost_name``); to change the shape, assign ``sizes``,
        ``weights`` and ``biases`` together inside ``hold_trait_notifications()``
        (the page's shape editor sends them in one message).
    result : BackwardResult
        ``net.backward(x, y)``: the cost, every ``delta[ell]`` (BP1, BP2) and
        every ``grad_W[ell]``, ``grad_b[ell]`` (BP4, BP3), from the numpy core.
    message : str
        What Python has to tell the reader, shown in the page: why a change from
        the page was refused, "" once a change is accepted. ``error`` is its former
        name (deprecated: the book calls δ the error of a unit).

    Notes
    -----
    The synced traits use the book's layer numbers with index 0 left out:
    ``weights[ell - 1]`` is W^ell as nested lists (``weights[ell - 1][j][k]`` is
    ``net.W[ell][j, k]``), ``biases[ell - 1]`` is b^ell as a flat list. Everywhere
    else units are numbered from 1, as in the book's w^ell_jk: in :meth:`set_w`,
    :meth:`set_b`, ``selected`` and the widget's markup.

    Examples
    --------
    >>> import backprop_lib as bp
    >>> from backprop_lib.widgets import DeltaExplorer
    >>> explorer = DeltaExplorer(bp.Network([2, 3, 1], seed=1), [0.5, -1.0], [1.0])
    >>> explorer.set_w(2, 1, 2, 2.5)  # w^2_12 = 2.5 (units from 1, as in the book)
    >>> float(explorer.net.W[2][0, 1])
    2.5
    >>> explorer.result.delta[1].shape
    (3, 1)
    """

    _esm = _asset("explorer.js")
    _css = _asset("explorer.css")

    sizes = t.List(t.Int()).tag(sync=True)
    weights = t.List().tag(sync=True)
    biases = t.List().tag(sync=True)
    x = t.List(t.Float()).tag(sync=True)
    y = t.List(t.Float()).tag(sync=True)
    activation = t.Unicode("sigmoid").tag(sync=True)
    output_activation = t.Unicode("sigmoid").tag(sync=True)
    #: The cost's name (``Network.cost_name``); ``result.cost`` is its value.
    cost_name = t.Unicode("quadratic").tag(sync=True)
    eta = t.Float(0.5).tag(sync=True)
    weight_range = t.Float(5.0).tag(sync=True)
    value_range = t.Float(10.0).tag(sync=True)
    #: -1: every value shown; 0..L+2: the step of the backward-pass animation.
    step = t.Int(-1).tag(sync=True)
    #: [] or [ell, j] (j from 1): the neuron whose equations are shown.
    selected = t.List(t.Int()).tag(sync=True)
    #: What "reset" returns to.
    initial = t.Dict().tag(sync=True)
    #: A message from Python to show in the widget's ``[data-role=message]`` line
    #: ("" when all is well), e.g. why a change from the page was refused. (Not
    #: δ, which the book calls the error of a unit: that is ``result.delta``.)
    message = t.Unicode("").tag(sync=True)
    #: Milliseconds between the steps "Play" shows (the front end has no default
    #: of its own: this is the one place the interval is set).
    play_interval = t.Int(900, min=1).tag(sync=True)
    #: What the explorer can show (activations, costs, their rules, the state
    #: names), derived from the core's registries; the front end reads it.
    spec = t.Dict().tag(sync=True)
    #: The 2-D training data in the page ({} when none): ``name`` (a preset, or
    #: ``"own"`` once the reader has drawn or edited points), ``seed``, ``n``,
    #: ``classes`` (2 or 3), ``X`` (n points [x1, x2]), ``y`` (n labels 0, 1 or 2)
    #: and ``epoch``.
    dataset = t.Dict().tag(sync=True)

    net = t.Instance(Network, read_only=True)
    result = t.Instance(BackwardResult, read_only=True)

    def __init__(
        self,
        net,
        x,
        y,
        *,
        eta=0.5,
        weight_range=None,
        value_range=None,
        cost_name=None,
        **kwargs,
    ):
        if "cost" in kwargs:
            deprecated("DeltaExplorer(cost=...)", "DeltaExplorer(cost_name=...)")
            if cost_name is not None:
                raise TypeError("give cost_name only (cost is its former name)")
            cost_name = kwargs.pop("cost")
        if "error" in kwargs:
            deprecated("DeltaExplorer(error=...)", "DeltaExplorer(message=...)")
            if "message" in kwargs:
                raise TypeError("give message only (error is its former name)")
            kwargs["message"] = kwargs.pop("error")
        if not isinstance(net, Network):
            raise TypeError(
                "net must be a backprop_lib.Network, e.g. bp.Network([2, 3, 1]); "
                f"got {type(net).__name__}"
            )
        if cost_name is None:
            cost_name = net.cost_name
        sizes = list(net.sizes)
        if net.L > MAX_WEIGHT_LAYERS:
            raise ValueError(
                f"net has {net.L} weight layers (sizes {sizes}); the explorer shows "
                f"at most {MAX_WEIGHT_LAYERS} (input, up to "
                f"{MAX_WEIGHT_LAYERS - 1} hidden layers, output)"
            )
        if max(sizes) > MAX_UNITS:
            ell = int(np.argmax(sizes))
            raise ValueError(
                f"layer {ell} of net has {sizes[ell]} units (sizes {sizes}); the "
                f"explorer shows at most {MAX_UNITS} units per layer"
            )
        why = unsupported(net.activation, net.output_activation, cost_name, net.L)
        if why:
            raise ExplorerError(f"net: {why}; the explorer shows no other network")
        net64 = Network.from_params(
            net.W,
            net.b,
            activation=net.activation,
            output_activation=net.output_activation,
            cost=cost_name,
            dtype=np.float64,
        )
        xs = _one_example(x, sizes[0], "x")
        ys = _one_example(y, sizes[-1], "y")
        net64.backward(np.array(xs), np.array(ys))  # the core checks y against cost
        eta = check_positive_number(eta, "eta")
        params = np.concatenate([np.abs(a).ravel() for a in net64.W[1:] + net64.b[1:]])
        if weight_range is None:
            weight_range = max(5.0, float(math.ceil(params.max())))
        weight_range = check_positive_number(weight_range, "weight_range")
        if value_range is None:
            value_range = max(10.0, float(math.ceil(max(map(abs, xs + ys)))))
        value_range = check_positive_number(value_range, "value_range")
        hidden = net64.activation
        if hidden not in HIDDEN_ACTIVATIONS:
            # Only with no hidden layer (L = 1, checked above), where the hidden
            # activation is used by no layer: the one a hidden layer added in the
            # page starts with.
            hidden = HIDDEN_ACTIVATIONS[0]
        state = {
            "weights": [w.tolist() for w in net64.W[1:]],
            "biases": [b[:, 0].tolist() for b in net64.b[1:]],
            "x": xs,
            "y": ys,
            "activation": hidden,
            "output_activation": net64.output_activation,
            "cost_name": net64.cost_name,
        }
        self._sizes_fixed = False
        super().__init__(
            sizes=sizes,
            **state,
            eta=eta,
            weight_range=weight_range,
            value_range=value_range,
            initial={**state, "sizes": sizes, "eta": eta},
            spec=_SPEC,
            **kwargs,
        )
        self._sizes_fixed = True
        self._refresh()

    # former names, for one release: reading or writing them warns and forwards
    cost = _renamed(
        "cost", "cost_name", "(``.cost`` is a value elsewhere: ``result.cost``)"
    )
    error = _renamed(
        "error", "message", "(the book calls δ the error of a unit; this is the text)"
    )

    # ---------------------------------------------------------------- checks
    def _state(self, **override) -> dict:
        state = {name: getattr(self, name) for name in STATE_NAMES}
        state.update(override)
        return state

    def _build(self, state: dict) -> tuple[Network, BackwardResult]:
        """The network and its backward pass for a state; ExplorerError if invalid."""
        sizes = state["sizes"]
        L = len(sizes) - 1
        if state["activation"] not in HIDDEN_ACTIVATIONS:
            raise ExplorerError(
                f"activation must be one of {list(HIDDEN_ACTIVATIONS)}; "
                f"got {state['activation']!r}"
            )
        if state["output_activation"] not in OUTPUT_ACTIVATIONS:
            raise ExplorerError(
                f"output_activation must be one of {list(OUTPUT_ACTIVATIONS)}; "
                f"got {state['output_activation']!r}"
            )
        if state["cost_name"] not in COSTS:
            raise ExplorerError(
                f"cost_name must be one of {list(COSTS)}; got {state['cost_name']!r}"
            )
        if (
            not isinstance(state["weights"], (list, tuple))
            or len(state["weights"]) != L
        ):
            raise ExplorerError(f"weights must be a list of {L} matrices W^1..W^{L}")
        if not isinstance(state["biases"], (list, tuple)) or len(state["biases"]) != L:
            raise ExplorerError(f"biases must be a list of {L} vectors b^1..b^{L}")
        W = [
            _matrix(w, (sizes[ell], sizes[ell - 1]), f"weights[{ell - 1}] (W^{ell})")
            for ell, w in enumerate(state["weights"], start=1)
        ]
        b = [
            _matrix(v, (sizes[ell],), f"biases[{ell - 1}] (b^{ell})")
            for ell, v in enumerate(state["biases"], start=1)
        ]
        x = _one_example(state["x"], sizes[0], "x")
        y = _one_example(state["y"], sizes[-1], "y")
        try:
            net = Network.from_params(
                W,
                b,
                activation=state["activation"],
                output_activation=state["output_activation"],
                cost=state["cost_name"],
            )
            result = net.backward(np.array(x), np.array(y))
        except (TypeError, ValueError) as exc:
            raise ExplorerError(str(exc)) from None
        return net, result

    @t.validate(*_NETWORK_STATE)
    def _validate_state(self, proposal):
        name = proposal["trait"].name
        value = proposal["value"]
        try:
            self._build(self._state(**{name: value}))
        except ExplorerError as exc:
            raise ExplorerError(f"DeltaExplorer.{name}: {exc}") from None
        if name in ("x", "y"):
            return [float(v) for v in value]
        if name == "biases":
            return [[float(v) for v in np.ravel(bl)] for bl in value]
        if name == "weights":
            return [np.asarray(w, dtype=np.float64).tolist() for w in value]
        return value

    @t.validate("sizes")
    def _validate_sizes(self, proposal):
        """Sizes change together with the weights and biases (the page's
        architecture editor sends them in one message): checked with them."""
        value = [int(n) for n in proposal["value"]]
        if not 2 <= len(value) <= MAX_WEIGHT_LAYERS + 1 or not all(
            1 <= n <= MAX_UNITS for n in value
        ):
            raise ExplorerError(
                f"DeltaExplorer.sizes must list 2 to {MAX_WEIGHT_LAYERS + 1} layer "
                f"sizes, each 1..{MAX_UNITS}; got {value}"
            )
        if getattr(self, "_sizes_fixed", False):
            try:
                self._build(self._state(sizes=value))
            except ExplorerError as exc:
                raise ExplorerError(
                    f"DeltaExplorer.sizes: {exc} (change sizes, weights and biases "
                    "together, e.g. inside hold_trait_notifications())"
                ) from None
        return value

    @t.validate("step")
    def _validate_step(self, proposal):
        L = len(self.sizes) - 1
        value = proposal["value"]
        if not -1 <= value <= L + 2:
            raise ExplorerError(
                f"DeltaExplorer.step must be -1 (show all) or a step 0..{L + 2}; "
                f"got {value}"
            )
        return value

    @t.validate("selected")
    def _validate_selected(self, proposal):
        value = list(proposal["value"])
        if value and not (
            len(value) == 2
            and 0 <= value[0] < len(self.sizes)
            and 1 <= value[1] <= self.sizes[value[0]]
        ):
            raise ExplorerError(
                "DeltaExplorer.selected must be [] or [ell, j] with 0 <= ell <= L "
                f"and 1 <= j <= n_ell; got {value}"
            )
        return value

    @t.validate("eta", "weight_range", "value_range")
    def _validate_positive(self, proposal):
        value = proposal["value"]
        if not (math.isfinite(value) and value > 0):
            raise ExplorerError(
                f"DeltaExplorer.{proposal['trait'].name} must be a positive, finite "
                f"number; got {value!r}"
            )
        return value

    # ---------------------------------------------------------------- mirror
    @t.observe(*STATE_NAMES)
    def _on_state(self, change):
        if getattr(self, "_sizes_fixed", False):
            self._refresh()

    def _refresh(self) -> None:
        net, result = self._build(self._state())
        self.set_trait("net", net)
        self.set_trait("result", result)
        if self.message:
            self.message = ""

    def set_state(self, sync_data):
        """Apply a change from the browser; if Python refuses it, say so in the
        widget and send the Python state back, so the two never disagree."""
        try:
            super().set_state(sync_data)
        except t.TraitError as exc:
            self.message = str(exc)
            self.send_state()

    # ---------------------------------------------------------------- API
    # Units are counted from 1, as in the book's w^ell_jk, in `selected` and in the
    # page's markup: set_w and set_b follow that rule. (set_weight and set_bias,
    # which counted j and k from 0 as in numpy's net.W[ell][j, k], are deprecated.)
    def _unit(self, value, name: str, ell: int, prev: bool = False) -> int:
        n = self.sizes[ell - 1 if prev else ell]
        layer = ell - 1 if prev else ell
        return check_integer(value, name, 1, n, f"a unit of layer {layer}, from 1")

    def _layer(self, ell) -> int:
        L = len(self.sizes) - 1
        return check_integer(ell, "ell", 1, L, "a weight layer")

    @staticmethod
    def _finite(value, name: str) -> float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a real number; got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite; got {value!r}")
        return float(value)

    def set_w(self, ell: int, j: int, k: int, value: float) -> None:
        """Set the weight w^ell_jk, units j and k counted from 1 as in the book
        (it is ``net.W[ell][j - 1, k - 1]``)."""
        ell = self._layer(ell)
        j = self._unit(j, "j", ell)
        k = self._unit(k, "k", ell, prev=True)
        weights = [[row[:] for row in w] for w in self.weights]
        weights[ell - 1][j - 1][k - 1] = self._finite(value, "value")
        self.weights = weights

    def set_b(self, ell: int, j: int, value: float) -> None:
        """Set the bias b^ell_j, unit j counted from 1 as in the book (it is
        ``net.b[ell][j - 1, 0]``)."""
        ell = self._layer(ell)
        j = self._unit(j, "j", ell)
        biases = [bl[:] for bl in self.biases]
        biases[ell - 1][j - 1] = self._finite(value, "value")
        self.biases = biases

    def _counted_from_0(self, old: str, new: str, ell, j, k=None) -> tuple:
        """The former setters' part (set_weight, set_bias, which counted units from
        0): warn, naming ``new``; check ``ell`` and the units; give them back
        counted from 1."""
        deprecated(
            f"DeltaExplorer.{old}, counting units from 0,",
            f"{new}, counting them from 1 as the book and `selected` do",
            stacklevel=4,  # the caller of set_weight or set_bias
        )
        ell = self._layer(ell)
        units = (check_integer(j, "j", 0, self.sizes[ell] - 1) + 1,)
        if k is not None:
            units += (check_integer(k, "k", 0, self.sizes[ell - 1] - 1) + 1,)
        return (ell, *units)

    def set_weight(self, ell: int, j: int, k: int, value: float) -> None:
        """Deprecated: ``set_w(ell, j + 1, k + 1, value)`` (this counts j, k from 0)."""
        where = self._counted_from_0(
            "set_weight(ell, j, k, value)", "set_w(ell, j + 1, k + 1, value)", ell, j, k
        )
        self.set_w(*where, value)

    def set_bias(self, ell: int, j: int, value: float) -> None:
        """Deprecated: ``set_b(ell, j + 1, value)`` (this counts j from 0)."""
        where = self._counted_from_0(
            "set_bias(ell, j, value)", "set_b(ell, j + 1, value)", ell, j
        )
        self.set_b(*where, value)

    def sgd_step(self, eta=None) -> BackwardResult:
        """One gradient-descent step with the numpy core (``Network.sgd_step``),
        as the "SGD step" button does in the browser. Returns the backward pass
        taken before the step."""
        eta = self.eta if eta is None else check_positive_number(eta, "eta")
        net = self.net.copy()
        before = net.sgd_step(np.array(self.x), np.array(self.y), eta)
        with self.hold_sync(), self.hold_trait_notifications():
            self.weights = [w.tolist() for w in net.W[1:]]
            self.biases = [b[:, 0].tolist() for b in net.b[1:]]
        return before

    def training_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The data set the page trains on, as edited there, as the core's batches:
        ``X`` of shape (2, m), one example per column, and ``Y``: with two classes
        of shape (1, m), the labels 0 or 1; with three, of shape (3, m), one-hot
        columns (the targets of the softmax output)."""
        data = self.dataset
        if not data:
            raise ValueError(
                "no data set: choose one in the explorer's 'Data set' menu first"
            )
        labels = np.asarray(data["y"], dtype=np.int64)
        m = labels.size
        X = np.asarray(data["X"], dtype=np.float64).reshape(m, self.sizes[0]).T
        K = int(data.get("classes", 2))
        if m and (labels.min() < 0 or labels.max() >= K):
            raise ValueError(
                f"the data set's labels must be 0…{K - 1} for {K} classes; got "
                f"{sorted(set(labels.tolist()))}"
            )
        Y = labels[None, :].astype(np.float64) if K == 2 else np.eye(K)[labels].T
        if X.shape[0] != self.sizes[0] or Y.shape[0] != self.sizes[-1]:
            raise ValueError(
                f"the data set ({m} points of {X.shape[0]} inputs, {K} classes) does "
                f"not fit the network {self.sizes}"
            )
        return X, Y

    def training_cost(self) -> float:
        """The mean cost of the current network over the training data, computed
        by the numpy core (``Network.mean_cost``); the page shows the same number."""
        X, Y = self.training_data()
        if X.shape[1] == 0:
            raise ValueError("the data set is empty: add points in the page first")
        return float(self.net.mean_cost(X, Y))

    def reset(self) -> None:
        """Back to the weights, data and choices the explorer started with."""
        init = self.initial
        with self.hold_sync(), self.hold_trait_notifications():
            for name in (*STATE_NAMES, "eta"):
                setattr(self, name, init[name])
            self.step = -1

    def __repr__(self) -> str:
        return f"DeltaExplorer({self.net!r}, x={self.x}, y={self.y})"
