"""What the δ explorer can show: one description, derived from the core's registries.

``DeltaExplorer`` (``widgets.py``) sends :func:`spec` to its front end
(``explorer.js``), which builds its selectors and its validity checks from it, so the
lists of activations and costs, the rules tying them together and the names of the
synced state are written once. This module needs numpy only (no widget library), so
the tests of the front end's arithmetic run without the ``widgets`` extra.

What is written here, and why:

* :data:`MIRRORED_ACTIVATIONS`, :data:`MIRRORED_COSTS`: the names whose arithmetic
  ``explorer.js`` implements (its ``IMPLEMENTED`` export; a test checks they agree).
  An activation or cost registered in the core but missing here is not offered, and a
  network that uses one is refused (:func:`unsupported`): the explorer never shows
  another network in its place.
* Each cost's BP1 rule (``output_delta``), derived from the core: ``"a_minus_y"``
  when the core's cost computes δ^L without f'(z^L) (the output activation's
  Jacobian cancels: δ^L = a^L − y), else ``"chain_rule"`` (δ^L = J_f(z^L)^T ∇_a C).
  The front end's kernel reads it instead of hard-coding which cost cancels; a test
  checks the rule against the core's δ^L for every allowed output activation.
* :data:`COST_TARGETS`: the target domain of each cost, as data the front end can
  read. The core states the same rule as code (``Cost.check_target``); a test probes
  the core at and around these bounds and tolerance.
"""

from __future__ import annotations

from .activations import ACTIVATIONS
from .costs import COSTS
from .costs import TARGET_TOL as _CORE_TARGET_TOL

__all__ = [
    "COST_TARGETS",
    "MAX_HIDDEN_LAYERS",
    "MAX_UNITS",
    "MAX_WEIGHT_LAYERS",
    "MIRRORED_ACTIVATIONS",
    "MIRRORED_COSTS",
    "PLAYGROUND_CLASSES",
    "STATE_NAMES",
    "TARGET_TOL",
    "multiclass_output",
    "output_delta",
    "spec",
    "unsupported",
]

#: Most weight layers (L) an explorer shows: input, up to 3 hidden, output.
MAX_WEIGHT_LAYERS = 4
#: Most hidden layers (the reader can add and remove them in the page).
MAX_HIDDEN_LAYERS = MAX_WEIGHT_LAYERS - 1
#: Most units in any one layer (input and output included).
MAX_UNITS = 6

#: Activations and costs whose arithmetic explorer.js implements (its IMPLEMENTED).
MIRRORED_ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear", "softmax")
MIRRORED_COSTS = ("quadratic", "cross_entropy")

#: How many classes the playground's data sets may have (its "Classes" menu).
PLAYGROUND_CLASSES = (2, 3)

#: The synced traits that together define the network and its example.
STATE_NAMES = (
    "sizes",
    "weights",
    "biases",
    "x",
    "y",
    "activation",
    "output_activation",
    "cost_name",
)

#: How far from 1 a probability vector's sum may be: the core's tolerance, sent.
TARGET_TOL = _CORE_TARGET_TOL

#: Each cost's target domain: None (any finite number) or the closed interval
#: [lo, hi], and the output activations with which each target must sum to 1.
COST_TARGETS: dict[str, dict | None] = {
    "quadratic": None,
    "cross_entropy": {"lo": 0.0, "hi": 1.0, "sum_to_one_with": ["softmax"]},
}


def spec() -> dict:
    """The explorer's contract with its front end, as JSON-ready data.

    Activations and costs come from the core's registries (``ACTIVATIONS``,
    ``COSTS``), in registry order, restricted to those the front end implements.
    """
    acts = [name for name in ACTIVATIONS if name in MIRRORED_ACTIVATIONS]
    costs = [name for name in COSTS if name in MIRRORED_COSTS]
    return {
        "activations": {
            name: {
                "hidden": bool(ACTIVATIONS[name].hidden_ok),
                "elementwise": bool(ACTIVATIONS[name].elementwise),
                # a non-elementwise activation (softmax) over one unit is constant
                "min_units": 1 if ACTIVATIONS[name].elementwise else 2,
            }
            for name in acts
        },
        "hidden_activations": [n for n in acts if ACTIVATIONS[n].hidden_ok],
        "output_activations": acts,
        "costs": {
            name: {
                "output_activations": (
                    None
                    if COSTS[name].output_activations is None
                    else list(COSTS[name].output_activations)
                ),
                "target": COST_TARGETS[name],
                "output_delta": output_delta(name),
            }
            for name in costs
        },
        "target_tol": TARGET_TOL,
        "classes": list(PLAYGROUND_CLASSES),
        "multiclass": multiclass_output(),
        "state": list(STATE_NAMES),
        "max_units": MAX_UNITS,
        "max_hidden_layers": MAX_HIDDEN_LAYERS,
    }


def output_delta(cost: str) -> str:
    """The BP1 rule of ``cost`` as the front end's kernel names it (see above)."""
    return "chain_rule" if COSTS[cost].uses_output_prime else "a_minus_y"


def multiclass_output() -> dict:
    """The output layer the playground uses for more than two classes, derived from
    the core's registries: the first output activation that is not elementwise (its
    units share one probability vector: softmax) and the first cost allowed with it
    whose BP1 rule is δ^L = a^L − y and whose targets must sum to 1 with it (one-hot
    labels: cross-entropy). ``{"output_activation": ..., "cost_name": ...}``, keyed
    by the names of the explorer's state."""
    for act in ACTIVATIONS:
        if act not in MIRRORED_ACTIVATIONS or ACTIVATIONS[act].elementwise:
            continue
        for cost in COSTS:
            allowed = COSTS[cost].output_activations
            target = COST_TARGETS.get(cost)
            if (
                cost in MIRRORED_COSTS
                and (allowed is None or act in allowed)
                and output_delta(cost) == "a_minus_y"
                and target is not None
                and act in target["sum_to_one_with"]
            ):
                return {"output_activation": act, "cost_name": cost}
    raise RuntimeError(
        "no mirrored output activation and cost give class probabilities"
    )


def unsupported(activation: str, output_activation: str, cost: str, L: int):
    """Why the explorer cannot mirror this choice exactly, or None if it can.

    ``activation`` matters only when the network has a hidden layer (L > 1).
    """
    s = spec()
    if L > 1 and activation not in s["hidden_activations"]:
        return (
            f"hidden activation {activation!r} cannot be shown by the explorer; it "
            f"shows {s['hidden_activations']}"
        )
    if output_activation not in s["output_activations"]:
        return (
            f"output activation {output_activation!r} cannot be shown by the "
            f"explorer; it shows {s['output_activations']}"
        )
    if cost not in s["costs"]:
        shown = list(s["costs"])
        return f"cost {cost!r} cannot be shown by the explorer; it shows {shown}"
    return None
