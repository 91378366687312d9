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


_FIGURE_CLASS = None


def figure_class():
    """The Figure subclass every drawing uses: it shows itself as SVG.

    IPython asks an object for ``_repr_svg_``; a matplotlib Figure has none, so in a
    notebook it would be shown as PNG unless the chapter changed the inline
    backend's formats. This subclass answers with an SVG of itself, so the book's
    drawings are vector images on every page with no per-chapter setting (myst-nb
    prefers ``image/svg+xml`` over ``image/png`` when a cell offers both). The SVG
    is reproducible: no date, and fixed ids.
    """
    global _FIGURE_CLASS
    if _FIGURE_CLASS is None:
        import io

        pyplot()  # the one import of matplotlib, with its error message
        from matplotlib import rc_context
        from matplotlib.figure import Figure

        class BookFigure(Figure):
            """A matplotlib Figure that a notebook shows as SVG."""

            def to_svg(self) -> str:
                buffer = io.StringIO()
                # the same ids in every build (they are hashes salted with this)
                with rc_context({"svg.hashsalt": "backprop_lib"}):
                    self.savefig(
                        buffer,
                        format="svg",
                        transparent=True,
                        metadata={"Date": None, "Creator": None},
                    )
                return buffer.getvalue()

            def _repr_svg_(self) -> str:
                return self.to_svg()

        _FIGURE_CLASS = BookFigure
    return _FIGURE_CLASS
