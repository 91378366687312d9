"""The one place in backprop_lib that imports matplotlib (lazily).

Every drawing function calls :func:`pyplot` when it runs, so ``import backprop_lib``
and ``import backprop_lib.draw`` never load matplotlib, and a reader without it gets
an ImportError that says what to install.
"""

from __future__ import annotations

import importlib

INSTALL_HINT = 'pip install "backprop_lib[draw]"  (or: pip install matplotlib)'


def pyplot():
    """Return ``matplotlib.pyplot``, or raise an ImportError naming the extra."""
    try:
        return importlib.import_module("matplotlib.pyplot")
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "backprop_lib.draw needs matplotlib, which is not installed. "
            f"Install it with: {INSTALL_HINT}"
        ) from exc
