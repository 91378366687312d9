"""Machine checks, with SymPy, of every equation the book states.

This is the only part of ``backprop_lib`` that imports SymPy (install it with
``pip install "backprop_lib[symbolic]"``).

What is here
------------
* **Generic functions.** :func:`generic_activation` returns an undefined function
  σ whose derivative SymPy writes as another undefined function σ'. SymPy's own
  chain rule then differentiates any composition of them, and a proof that uses
  them holds for *every* differentiable activation. :func:`rest_of_network` does
  the same for a function of several arguments ("the rest of the network").
* **Symbolic networks.** :func:`symbolic_network` gives a symbol for every weight
  w^ℓ_jk, bias b^ℓ_j, input x_k and target y_j, and the pre-activations z^ℓ, the
  activations a^ℓ and the cost C as SymPy expressions.
* **Checks.** Each function in :data:`CHECKS` proves one equation and returns a
  :class:`CheckResult` (name, the statement in LaTeX, passed, the residual, what was
  checked). A proof has two parts: an *induction step*, one layer with a generic
  activation and the rest of the network an undefined function of the next layer's
  pre-activations, which holds for any depth and width; and a confirmation on
  small concrete networks by direct differentiation. Every check also accepts
  ``variant=...``: a named, deliberately wrong version of the equation (σ' left
  out, the transpose left out, ∂a_k/∂a_j taken as a Kronecker delta, …) that must
  fail.
* **Readers' answers.** :func:`parse_answer` reads a typed formula into a SymPy
  expression without ever evaluating Python; :func:`answer_matches` says whether
  it equals the expected one; :func:`answer_points` computes, for the answer boxes
  of the book's pages, the values a right answer and each tempting wrong one take
  at random points.

Where things are
----------------
``_results`` (what a check returns and how it is shown), ``_sympy`` (generic
functions, symbols, residuals and witnesses), ``network`` (the symbolic network),
``registry`` (:func:`registry.register`, :data:`CHECKS`, :data:`VARIANTS`,
:func:`check`, :func:`check_all`), the checks by source (``nielsen``, ``bishop``,
``split_layers``, ``softmax``) and ``answers`` (readers' answers). Everything a
chapter uses is importable from ``backprop_lib.symbolic`` itself.

How the full networks are compared
----------------------------------
The derivative SymPy computes by differentiating the whole nested expression, and
the one backprop assembles layer by layer, both contain the same sub-expressions
σ(z^ℓ_j) and σ'(z^ℓ_j), with z^ℓ_j itself a nested expression of the inputs. Each
such sub-expression is replaced by a fresh symbol (the same symbol on both sides),
which leaves two polynomials; they are equal if their expanded difference is 0.
Replacing equal sub-expressions by equal symbols cannot make unequal expressions
equal, so a zero here is a proof, and it costs a polynomial expansion instead of a
``simplify`` of a nested expression.
"""

from __future__ import annotations

try:
    import sympy  # noqa: F401
except ImportError as err:  # pragma: no cover - exercised in a subprocess
    raise ImportError(
        "backprop_lib.symbolic needs SymPy, which is not installed: run "
        '`pip install "backprop_lib[symbolic]"` (or `pip install sympy`)'
    ) from err

# The checks register themselves on import, in this order (the book's).
from . import nielsen, bishop, split_layers, softmax  # noqa: F401, I001
from ._results import CheckReport, CheckResult
from ._sympy import generic_activation, rest_of_network, sigma, sigma_prime
from .answers import (
    DEFAULT_FUNCTIONS,
    MAX_ANSWER_LENGTH,
    MAX_NESTING,
    AnswerError,
    answer_matches,
    parse_answer,
)
from .sampling import answer_points
from .bishop import (
    DEFAULT_GRAPH,
    DEFAULT_GRAPH_INPUTS,
    check_bishop_5_53,
    check_bishop_5_54,
    check_bishop_5_55,
    check_bishop_5_56,
    h,
    h_prime,
)
from .network import DEFAULT_FULL_NETWORKS, SymbolicNetwork, symbolic_network
from .nielsen import (
    check_BP1,
    check_BP2,
    check_BP3,
    check_BP4,
    check_chain_rule,
    check_layer_recurrence,
    check_sigmoid_shortcut,
)
from .registry import CHECKS, VARIANTS, Evidence, check, check_all, register, variants
from .softmax import check_softmax_cross_entropy
from .split_layers import check_split_layers

__all__ = [
    "CHECKS",
    "DEFAULT_FULL_NETWORKS",
    "DEFAULT_FUNCTIONS",
    "DEFAULT_GRAPH",
    "DEFAULT_GRAPH_INPUTS",
    "MAX_ANSWER_LENGTH",
    "MAX_NESTING",
    "VARIANTS",
    "AnswerError",
    "CheckReport",
    "CheckResult",
    "Evidence",
    "SymbolicNetwork",
    "answer_matches",
    "answer_points",
    "check",
    "check_BP1",
    "check_BP2",
    "check_BP3",
    "check_BP4",
    "check_all",
    "check_bishop_5_53",
    "check_bishop_5_54",
    "check_bishop_5_55",
    "check_bishop_5_56",
    "check_chain_rule",
    "check_layer_recurrence",
    "check_sigmoid_shortcut",
    "check_softmax_cross_entropy",
    "check_split_layers",
    "generic_activation",
    "h",
    "h_prime",
    "parse_answer",
    "register",
    "rest_of_network",
    "sigma",
    "sigma_prime",
    "symbolic_network",
    "variants",
]
