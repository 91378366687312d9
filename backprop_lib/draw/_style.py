"""How the network figures look: colours, sizes, fonts and the text of their labels.

Colours are chosen to read on white and, inverted by the site's dark-mode rule
(_ext/static/figures.css), on the dark theme; the highlight is never the only cue
(it is also thicker).
"""

from __future__ import annotations

INK = "#1a1a1a"
FAINT = "#a0a0a0"
FILL = "#f3f3f3"
HIGHLIGHT = "#d95f02"  # orange: the paths, the unit or weight in question
BACK = "#5e3c99"  # purple: δ flowing back
LABEL_BOX_PAD = 0.12  # of the font size: the white box behind a label
LABEL_BOX = {
    "boxstyle": f"round,pad={LABEL_BOX_PAD}",
    "fc": "white",
    "ec": "none",
    "alpha": 1.0,
}

WIDTH = 6.5  # inches: the book's text column
# The text column of the site at 1280 px, in CSS pixels (1/96 inch); a wider figure
# is shown shrunk to it. Every text of a figure is at least MIN_TEXT_PX there.
COLUMN_PX = 688
MIN_TEXT_PX = 9
RADIUS = 0.27  # of a unit, in data units (vertical spacing of units is 1)
FONT = 9

# what a value is called in a label, in the order the labels list them
_SYMBOL = {"z": "z", "a": "a", "delta": r"\delta", "b": "b"}


def _fmt(v: float, digits: int) -> str:
    text = f"{v:.{digits}g}"
    return text.replace("-", "\u2212")  # a real minus sign


def _layer_name(ell: int, L: int) -> str:
    if ell == 0:
        return r"$\ell=0$ (input)"
    if ell == L:
        return rf"$\ell={L}=L$ (output)"
    return rf"$\ell={ell}$"


def _weight_tex(ell, j, k, net=None, digits=3, start=1) -> str:
    """The label of W[ell][j, k]; the units shown counted from ``start``."""
    name = rf"w^{{{ell}}}_{{{j + start}{k + start}}}"
    if net is None:
        return f"${name}$"
    return f"${name}={_fmt(float(net.W[ell][j, k]), digits)}$"


def _value_text(vals, ell, j, digits) -> str:
    lines = []
    for key, sym in _SYMBOL.items():
        per_layer = vals.get(key)
        if per_layer is None or per_layer[ell] is None:
            continue
        if ell == 0 and key != "a":
            continue
        lines.append(rf"${sym}={_fmt(float(per_layer[ell][j]), digits)}$")
    return "\n".join(lines)
