"""A scalar automatic-differentiation engine: backprop on any expression graph.

Readable, not fast: every number is a Python object, so it is for seeing how reverse
mode works and for checking the matrix-form backward pass, not for training. It needs
no numpy (``from backprop_lib.autodiff import Value`` loads only what
``import backprop_lib`` loads).

The pieces, in the order the chapter "Backprop as automatic differentiation" uses them:

* :data:`RULES`: each elementary operation, its forward rule and its *local
  derivatives* ∂out/∂input side by side, written once. Both modes read this table.
* :class:`Value` (reverse mode): ``Value(data, label=...)`` supports ``+ - * / **``
  (with numbers on either side), ``exp``, ``log``, ``tanh``, ``sigmoid`` and
  ``relu``. Each result remembers its inputs (``_prev``, an ordered tuple, so every
  traversal and drawing is the same on every run) and its rule. ``backward()``
  visits the graph in reverse topological order and *accumulates* ``+=`` into each
  input's ``.grad``: where a value feeds several operations its gradient is the sum
  of their contributions, the multivariable chain rule's sum over paths.
  ``backward_steps()`` runs the same sweep one node at a time.
* :class:`Dual` (forward mode): a number with a tangent, pushed through the same
  rules; one sweep gives the derivative of every output along one input direction.
* :func:`count_ops`: counts the rules the two modes apply, so the chapter's cost
  comparison is counted by the code, not asserted.
* :class:`ValueNetwork`, :func:`cost_function`: a ``backprop_lib.Network`` rebuilt
  from ``Value`` s (same W, b, activations and cost), to compare with
  ``Network.backward``.

What "scalar output" means here: ``backward()`` and :func:`gradient` differentiate
*one* ``Value`` (such as a cost C). A vector of outputs (the output layer of a
network, a list of Values) has a Jacobian, not a gradient: asking for its gradient
raises a TypeError that says so (take one output at a time, or sum them into a cost).

One job per module, everything above imported from this package: ``rules`` (the
table), ``ops`` (the operators both number types share), ``value`` (reverse mode),
``dual`` (forward mode), ``counting`` (:func:`count_ops`), ``derivatives``
(:func:`apply`, :func:`jacobian`, :func:`gradient`) and ``value_network``
(:class:`ValueNetwork`, :func:`cost_function` and the other network helpers).
"""

from .counting import OpCounts, count_ops
from .derivatives import apply, gradient, jacobian
from .dual import Dual
from .rules import RULES, Rule
from .value import Value, Vector
from .value_network import ELEMENTWISE as ELEMENTWISE  # not in __all__, as before
from .value_network import ValueNetwork, cost_function, flat_params, output_function

__all__ = [
    "RULES",
    "Dual",
    "OpCounts",
    "Rule",
    "Value",
    "ValueNetwork",
    "Vector",
    "apply",
    "cost_function",
    "count_ops",
    "flat_params",
    "gradient",
    "jacobian",
    "output_function",
]
