"""backprop_lib: the companion library of *Backprop, derived*.

Readable, not clever: the code uses the book's symbols (``W[ell]``, ``b[ell]``,
``delta[ell]``) and its docstrings name the equations they implement (BP1–BP4).

Importing the package loads numpy only. The SymPy checks live in
``backprop_lib.symbolic`` and the widgets in ``backprop_lib.widgets``; import those
explicitly when you need them.
"""

from .activations import (
    ACTIVATIONS,
    Activation,
    exp_cap,
    get_activation,
    sigmoid,
    sigmoid_prime,
)
from .cost_model import CostModel, multiply_adds
from .costs import COSTS, Cost, get_cost
from .gradient_check import (
    GradCheckResult,
    gradcheck,
    numerical_gradient,
    relative_error,
)
from .network import BackwardResult, ForwardTrace, Network
from .stacked import StackedHistory, train_together
from .training import regularised_cost, train

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "COSTS",
    "Activation",
    "BackwardResult",
    "Cost",
    "CostModel",
    "ForwardTrace",
    "GradCheckResult",
    "Network",
    "StackedHistory",
    "exp_cap",
    "get_activation",
    "get_cost",
    "gradcheck",
    "multiply_adds",
    "numerical_gradient",
    "regularised_cost",
    "relative_error",
    "sigmoid",
    "sigmoid_prime",
    "train",
    "train_together",
]
