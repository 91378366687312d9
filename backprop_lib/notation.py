"""A Rosetta stone for backprop notation: one quantity, every textbook's symbol.

The same object goes by different names in different books. Bishop's ``a_j`` (the
weighted input of a unit) is Nielsen's ``z_j``; Nielsen numbers the input layer 1,
this book and its code number it 0; Hoey's note (following Poole & Mackworth) counts
linear and activation layers separately, so the book's layer ℓ is Hoey's linear
layer 2ℓ-2 followed by his activation layer 2ℓ-1. This module holds one table of
quantities × conventions and renders any quantity in any convention, with the layer
number translated:

>>> from backprop_lib import notation
>>> notation.render("pre_activation", "bishop", layer=None)
'a_{j}'
>>> notation.render("pre_activation", "nielsen", layer=None)
'z_{j}'
>>> notation.render("weight", "nielsen", layer=2)   # book layer 2 = Nielsen's 3
'w^{3}_{jk}'
>>> notation.translate("a_j", "bishop", "nielsen")
'z_{j}'
>>> notation.translate(r"\\mathit{output}^{L-2}[i]", "hoey", "book")
'a^{L-1}_{i}'

The ``layer`` argument is always a layer number *in the book's numbering* (input = 0,
output = L): an integer, or an affine expression in symbols such as ``r"\\ell"``,
``"L-m"``, ``"L-m+1"``. ``L`` always means the output layer, in every convention
(each convention's own output index is used, e.g. Goodfellow et al. call it ``l``).

Pure Python: no numpy, no SymPy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

__all__ = [
    "ALIASES",
    "CONVENTIONS",
    "CONVENTION_INFO",
    "EQUATIONS",
    "QUANTITIES",
    "QUANTITY_LABELS",
    "NoEquivalentError",
    "NotationTable",
    "code",
    "entry",
    "equation",
    "render",
    "table",
    "translate",
]


class NoEquivalentError(ValueError):
    """A convention has no symbol (and no expression) for the quantity asked for."""


# --------------------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------------------

#: Every quantity the table knows, with what it means in the book's words. The unit
#: letters are those of :func:`render`'s ``j`` and ``k``.
QUANTITIES: dict[str, str] = {
    "weight": "weight from unit k of layer ℓ-1 to unit j of layer ℓ",
    "bias": "bias of unit j of layer ℓ",
    "pre_activation": "weighted input (pre-activation) of unit j of layer ℓ",
    "activation": "output (activation) of unit j of layer ℓ",
    "error": "error of unit j of layer ℓ: ∂C/∂(its weighted input)",
    "weight_gradient": "∂C/∂(weight from unit k of layer ℓ-1 to unit j of layer ℓ)",
    "bias_gradient": "∂C/∂(bias of unit j of layer ℓ)",
    "cost": "cost of one example (the book's C = ½‖a^L − y‖² for the quadratic cost)",
    "activation_function": "activation function of layer ℓ",
    "activation_derivative": "derivative of the activation function of layer ℓ",
    "output": "output j of the network",
    "target": "target j (the desired output)",
    "learning_rate": "learning rate of gradient descent (book: w ← w − η ∂C/∂w)",
    "input_layer": "index of the input layer",
    "output_layer": "index of the output layer",
}

#: Short row labels for the tables (MyST Markdown, math in ``$...$``).
QUANTITY_LABELS: dict[str, str] = {
    "weight": r"weight, unit $k$ of layer $\ell-1$ to unit $j$ of layer $\ell$",
    "bias": r"bias of unit $j$",
    "pre_activation": "weighted input",
    "activation": "output of a unit",
    "error": r"error $\partial C/\partial z$",
    "weight_gradient": "gradient of a weight",
    "bias_gradient": "gradient of a bias",
    "cost": "cost of one example",
    "activation_function": "activation function",
    "activation_derivative": "its derivative",
    "output": r"network output $j$",
    "target": r"target $j$",
    "learning_rate": "learning rate",
    "input_layer": "index of the input layer",
    "output_layer": "index of the output layer",
}

# Quantities whose symbol carries a layer number, and the smallest book layer each
# exists for (the input layer has activations but no weights, biases or errors).
_MIN_LAYER = {
    "weight": 1,
    "bias": 1,
    "pre_activation": 1,
    "activation": 0,
    "error": 1,
    "weight_gradient": 1,
    "bias_gradient": 1,
    "activation_function": 1,
    "activation_derivative": 1,
}


# --------------------------------------------------------------------------------------
# Layer expressions: integers, or affine expressions such as "L-m+1"
# --------------------------------------------------------------------------------------

_OUT = "L"  # the symbol that means "the output layer" in a layer expression
_TERM = re.compile(r"([+-]?)(\d*)(\\[A-Za-z]+|[A-Za-z]?)")


@dataclass(frozen=True)
class _Layer:
    """An affine layer expression: ``sum(coef[s] * s) + const``, exact rationals."""

    coef: tuple[tuple[str, Fraction], ...] = ()
    const: Fraction = Fraction(0)

    @staticmethod
    def parse(value, argument: str = "layer", out_symbol: str = _OUT) -> _Layer:
        if isinstance(value, _Layer):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise TypeError(
                f"{argument} must be an int or a string such as 'l', 'L-m+1'; got"
                f" {type(value).__name__}"
            )
        if isinstance(value, int):
            return _Layer((), Fraction(value))
        text = value.replace(" ", "").replace("{", "").replace("}", "")
        if not text or len(text) > 40:
            raise ValueError(
                f"{argument} must be a short layer expression such as 'l', 'L-1' or "
                f"'L-m+1'; got {value!r}"
            )
        coef: dict[str, Fraction] = {}
        const = Fraction(0)
        pos = 0
        while pos < len(text):
            m = _TERM.match(text, pos)
            sign, digits, symbol = m.groups()
            if m.end() == pos or not (digits or symbol) or (pos > 0 and not sign):
                raise ValueError(
                    f"{argument}={value!r} is not an affine layer expression: write "
                    "terms like 'L', '2m', '1' joined by + and -, e.g. 'L-m+1'"
                )
            c = Fraction(int(digits) if digits else 1) * (-1 if sign == "-" else 1)
            if symbol:
                key = _OUT if symbol == out_symbol else symbol
                coef[key] = coef.get(key, Fraction(0)) + c
            else:
                const += c
            pos = m.end()
        return _Layer._make(coef, const)

    @staticmethod
    def _make(coef: dict, const: Fraction) -> _Layer:
        order = sorted((s for s in coef if coef[s] != 0), key=lambda s: s != _OUT)
        return _Layer(tuple((s, coef[s]) for s in order), Fraction(const))

    @property
    def is_number(self) -> bool:
        return not self.coef

    @property
    def is_integral(self) -> bool:
        return self.const.denominator == 1 and all(
            c.denominator == 1 for _, c in self.coef
        )

    def shift(self, offset: int) -> _Layer:
        return _Layer(self.coef, self.const + offset)

    def to_convention(self, amap, out_map) -> _Layer:
        """Book layer -> a convention's index ``alpha*e + beta``, with the book's L
        replaced by the convention's own output index ``(L_c - beta0)/alpha0``."""
        alpha, beta = amap
        alpha0, beta0 = out_map
        coef = {s: alpha * c for s, c in self.coef if s != _OUT}
        c_out = dict(self.coef).get(_OUT, Fraction(0))
        if c_out:
            coef[_OUT] = Fraction(alpha, alpha0) * c_out
        const = alpha * self.const + beta - Fraction(alpha * beta0, alpha0) * c_out
        return _Layer._make(coef, const)

    def to_book(self, amap, out_map) -> _Layer:
        """Inverse of :meth:`to_convention`."""
        alpha, beta = amap
        alpha0, beta0 = out_map
        c_out = dict(self.coef).get(_OUT, Fraction(0))
        coef = {s: c / alpha for s, c in self.coef if s != _OUT}
        if c_out:
            coef[_OUT] = c_out * Fraction(alpha0, alpha)
        const = (self.const - beta + c_out * beta0) / alpha
        return _Layer._make(coef, const)

    def format(self, out_symbol: str = _OUT, code: bool = False) -> str:
        parts = []
        for s, c in self.coef:
            name = out_symbol if s == _OUT else s
            if code:
                name = name.lstrip("\\")
            parts.append(_term(c, name, code))
        if self.const or not parts:
            parts.append(_term(self.const, "", code))
        text = "".join(parts)
        return text[1:] if text.startswith("+") else text


def _term(c: Fraction, name: str, code: bool) -> str:
    sign = "-" if c < 0 else "+"
    c = abs(c)
    if c.denominator != 1:
        if code:
            body = f"{c.numerator}*{name}/{c.denominator}" if name else str(c)
            body = body.replace("1*", "") if c.numerator == 1 and name else body
        else:
            num = f"{c.numerator}{name}" if c.numerator != 1 or not name else f"{name}"
            body = rf"\tfrac{{{num}}}{{{c.denominator}}}"
        return sign + body
    if not name:
        return sign + str(c.numerator)
    if c == 1:
        return sign + name
    return sign + str(c.numerator) + ("*" if code else "") + name


# --------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One cell of the table: how ``convention`` writes ``quantity``.

    ``template`` uses the placeholders ``<L>`` (the layer, already translated),
    ``<j>`` and ``<k>`` (unit letters). ``kind`` is ``"symbol"`` (the source has a
    name for it), ``"expression"`` (no name of its own, but it equals this
    expression in the source's symbols) or ``"none"`` (no equivalent; ``note``
    says why). ``layer_map`` ``(alpha, beta)`` turns the book's layer e into the
    convention's index ``alpha*e + beta``. ``alternatives`` are other spellings of
    the same quantity that :func:`translate` also recognises.
    """

    quantity: str
    convention: str
    template: str | None
    kind: str = "symbol"
    note: str = ""
    layer_map: tuple[int, int] = (1, 0)
    alternatives: tuple[tuple[str, tuple[int, int]], ...] = ()

    @property
    def available(self) -> bool:
        return self.kind != "none"


@dataclass(frozen=True)
class _Convention:
    name: str
    title: str
    source: str
    cite: str | None
    summary: str
    out_map: tuple[int, int]  # book L -> the convention's output index
    out_symbol: str = "L"
    superscript: str = "plain"  # "plain": w^{l}, "paren": w^{(l)}
    code: bool = False
    entries: dict = field(default_factory=dict)


def _conv(name, title, source, cite, summary, out_map, rows, **kw) -> _Convention:
    conv = _Convention(name, title, source, cite, summary, out_map, **kw)
    default_map = out_map
    for quantity, spec in rows.items():
        if quantity not in QUANTITIES:  # pragma: no cover - guards the table itself
            raise AssertionError(f"unknown quantity {quantity!r} in {name}")
        if spec is None or isinstance(spec, str):
            spec = {"template": spec}
        spec = dict(spec)
        if spec.get("template") is None:
            spec["kind"] = "none"
        spec.setdefault("layer_map", default_map)
        conv.entries[quantity] = Entry(quantity, name, **spec)
    missing = set(QUANTITIES) - set(conv.entries)
    if missing:  # pragma: no cover - guards the table itself
        raise AssertionError(f"{name} lacks {sorted(missing)}")
    return conv


def _none(note: str) -> dict:
    return {"template": None, "kind": "none", "note": note}


_NIELSEN_ROWS = {
    "weight": r"w^{<L>}_{<j><k>}",
    "bias": r"b^{<L>}_{<j>}",
    "pre_activation": r"z^{<L>}_{<j>}",
    "activation": r"a^{<L>}_{<j>}",
    "error": r"\delta^{<L>}_{<j>}",
    "weight_gradient": r"\frac{\partial C}{\partial w^{<L>}_{<j><k>}}",
    "bias_gradient": r"\frac{\partial C}{\partial b^{<L>}_{<j>}}",
    "cost": {"template": "C", "note": "$C_x$ for one example $x$; $C$ is their mean"},
    "activation_function": r"\sigma",
    "activation_derivative": r"\sigma'",
    "output": r"a^{L}_{<j>}",
    "target": {"template": r"y_{<j>}", "note": "$y = y(x)$, the desired output"},
    "learning_rate": r"\eta",
}

_CONVENTIONS: dict[str, _Convention] = {}


def _add(conv: _Convention) -> None:
    _CONVENTIONS[conv.name] = conv


_add(
    _conv(
        "book",
        "This book (prose)",
        "Nielsen's symbols, with the input numbered 0",
        "nielsen2015",
        "Nielsen's symbols; layers ℓ = 0..L, the input is layer 0, so the code's "
        "indices are the text's.",
        (1, 0),
        {
            **_NIELSEN_ROWS,
            "cost": {"template": "C", "note": "per example; the code averages a batch"},
            "input_layer": "0",
            "output_layer": "L",
        },
    )
)

_add(
    _conv(
        "book_code",
        "backprop_lib (code)",
        "the names in backprop_lib",
        None,
        "net = bp.Network(...); trace = net.forward(x); result = net.backward(x, y). "
        "Examples are columns: column 0 is the first example.",
        (1, 0),
        {
            "weight": "net.W[<L>][<j>, <k>]",
            "bias": "net.b[<L>][<j>, 0]",
            "pre_activation": "trace.z[<L>][<j>, 0]",
            "activation": "trace.a[<L>][<j>, 0]",
            "error": "result.delta[<L>][<j>, 0]",
            "weight_gradient": {
                "template": "result.grad_W[<L>][<j>, <k>]",
                "note": "of the cost averaged over the batch",
            },
            "bias_gradient": "result.grad_b[<L>][<j>, 0]",
            "cost": {
                "template": "result.cost",
                "note": "mean over the batch; `result.costs` holds each $C_x$",
            },
            "activation_function": "net.activation_of(<L>).f",
            "activation_derivative": {
                "template": "net.activation_of(<L>).prime",
                "note": "called as `prime(z, a)`",
            },
            "output": "trace.a[net.L][<j>, 0]",
            "target": "y[<j>]",
            "learning_rate": {"template": "eta", "note": "`net.sgd_step(x, y, eta)`"},
            "input_layer": "0",
            "output_layer": "net.L",
        },
        out_symbol="net.L",
        code=True,
    )
)

_add(
    _conv(
        "nielsen",
        "Nielsen (2015)",
        "Neural Networks and Deep Learning, ch. 2",
        "nielsen2015",
        "Layers 1..L: the input is layer 1, so the first weights are w^2. "
        "δ^l = ∂C/∂z^l; BP1–BP4.",
        (1, 1),
        {**_NIELSEN_ROWS, "input_layer": "1", "output_layer": "L"},
    )
)

_add(
    _conv(
        "bishop",
        "Bishop (2006)",
        "Pattern Recognition and Machine Learning, §5.1 and §5.3",
        "bishop2006",
        "a_j = Σ_i w_ji z_i is the weighted input and z_j = h(a_j) the output: the "
        "reverse of Nielsen's a and z. §5.3 drops layer numbers and names units i → j "
        "→ k; §5.1 writes the layer of a weight as w^{(1)}, w^{(2)}. We add (ℓ) to "
        "every symbol so that the layer stays visible.",
        (1, 0),
        {
            "weight": {
                "template": r"w^{(<L>)}_{<j><k>}",
                "note": (
                    "$w_{ji}$ joins unit $i$ to unit $j$: receiving unit first, "
                    "as in Nielsen"
                ),
            },
            "bias": {
                "template": r"w^{(<L>)}_{<j>0}",
                "note": "the weight from an extra unit with $z_0 = 1$ (§5.1)",
            },
            "pre_activation": {
                "template": r"a^{(<L>)}_{<j>}",
                "note": "his $a_j$ (eq. 5.48) is the book's $z_j$",
            },
            "activation": {
                "template": r"z^{(<L>)}_{<j>}",
                "note": "his $z_j = h(a_j)$ (eq. 5.49) is the book's $a_j$; "
                "inputs are $x_i$, outputs $y_k$",
            },
            "error": {"template": r"\delta^{(<L>)}_{<j>}", "note": "eq. 5.51"},
            "weight_gradient": {
                "template": r"\frac{\partial E_n}{\partial w^{(<L>)}_{<j><k>}}",
                "note": "eq. 5.53",
            },
            "bias_gradient": r"\frac{\partial E_n}{\partial w^{(<L>)}_{<j>0}}",
            "cost": {"template": "E_n", "note": "error of example $n$ (eq. 5.46)"},
            "activation_function": {
                "template": "h",
                "note": "$h$ for hidden units; outputs use $\\sigma$ or the identity",
            },
            "activation_derivative": r"h'",
            "output": r"y_{<j>}",
            "target": r"t_{<j>}",
            "learning_rate": {"template": r"\eta", "note": "§5.2.4"},
            "input_layer": {
                "template": "0",
                "note": "the inputs $x_i$ feed the weights $w^{(1)}$",
            },
            "output_layer": _none(
                "§5.3 numbers units, not layers; §5.1's network has 2 weight layers"
            ),
        },
        superscript="paren",
    )
)

_add(
    _conv(
        "goodfellow",
        "Goodfellow, Bengio & Courville (2016)",
        "Deep Learning, §6.5.4, Algorithms 6.3 and 6.4",
        "goodfellow2016",
        "a^{(k)} = b^{(k)} + W^{(k)} h^{(k-1)}, h^{(k)} = f(a^{(k)}), h^{(0)} = x: "
        "a is the weighted input (as in Bishop), h the output. Their layer letter is "
        "k and the depth is l, so their output layer is l.",
        (1, 0),
        {
            "weight": {
                "template": r"W^{(<L>)}_{<j>,<k>}",
                "note": "element $(j, k)$ of the matrix $W^{(k)}$",
            },
            "bias": r"b^{(<L>)}_{<j>}",
            "pre_activation": r"a^{(<L>)}_{<j>}",
            "activation": r"h^{(<L>)}_{<j>}",
            "error": {
                "template": r"\left(\nabla_{a^{(<L>)}} J\right)_{<j>}",
                "kind": "expression",
                "note": "no name of its own: the vector $g$ of Algorithm 6.4",
            },
            "weight_gradient": r"\left(\nabla_{W^{(<L>)}} J\right)_{<j>,<k>}",
            "bias_gradient": r"\left(\nabla_{b^{(<L>)}} J\right)_{<j>}",
            "cost": {
                "template": "J",
                "note": (
                    "$J = L(\\hat y, y) + \\lambda\\Omega(\\theta)$; the book's "
                    "$C$ is $J$ with $\\lambda = 0$"
                ),
            },
            "activation_function": "f",
            "activation_derivative": "f'",
            "output": r"\hat{y}_{<j>}",
            "target": r"y_{<j>}",
            "learning_rate": {"template": r"\epsilon", "note": "Algorithm 8.1"},
            "input_layer": "0",
            "output_layer": {"template": "l", "note": "the depth $l$"},
        },
        superscript="paren",
        out_symbol="l",
    )
)

# Hoey's note: linear layer k maps input^k (= output^{k-1}) to output^k; activation
# layer k+1 maps it on elementwise. input^0 = X(e); the output layer L is an
# activation layer. So the book's layer e is Hoey's linear layer 2e-2 (map (2, -2))
# and his activation layer 2e-1 (map (2, -1)); the book's L is his (L+1)/2.
_LIN, _ACT = (2, -2), (2, -1)
_add(
    _conv(
        "hoey",
        "Hoey; Poole & Mackworth (split layers)",
        "Hoey, Derivation of Backpropagation Equations (after Poole & Mackworth)",
        "hoey_backprop",
        "Linear and activation layers are numbered separately: the book's layer ℓ is "
        "the linear layer 2ℓ-2 followed by the activation layer 2ℓ-1, and the book's "
        "L is (L_H+1)/2. input^k = output^{k-1}; the bias is w_j0 with input^k[0] = 1; "
        "error(e, w) = Σ_j (output^L[j] − Y(e)[j])² has no ½.",
        _ACT,
        {
            "weight": {"template": r"w^{<L>}_{<j><k>}", "layer_map": _LIN},
            "bias": {
                "template": r"w^{<L>}_{<j>0}",
                "layer_map": _LIN,
                "note": "$\\mathit{input}^k[0] = 1$ for every linear layer",
            },
            "pre_activation": {
                "template": r"\mathit{output}^{<L>}[<j>]",
                "layer_map": _LIN,
                "note": "the linear layer's output, $= \\mathit{input}^{k+1}[j]$",
                "alternatives": ((r"\mathit{input}^{<L>}[<j>]", _ACT),),
            },
            "activation": {
                "template": r"\mathit{output}^{<L>}[<j>]",
                "layer_map": _ACT,
                "note": "the activation layer's output, $= \\mathit{input}^{k+1}[j]$; "
                "the network's input is $\\mathit{input}^0 = X(e)$",
                "alternatives": ((r"\mathit{input}^{<L>}[<j>]", (2, 0)),),
            },
            "error": {
                "template": (
                    r"\tfrac{1}{2}\,\partial\,\mathit{error}"
                    r"/\partial\,\mathit{output}^{<L>}[<j>]"
                ),
                "kind": "expression",
                "layer_map": _LIN,
                "note": (
                    "no name of its own; the $\\frac12$ undoes the missing "
                    "$\\frac12$ in his error"
                ),
            },
            "weight_gradient": {
                "template": (
                    r"\tfrac{1}{2}\,\partial\,\mathit{error}/\partial w^{<L>}_{<j><k>}"
                ),
                "kind": "expression",
                "layer_map": _LIN,
            },
            "bias_gradient": {
                "template": (
                    r"\tfrac{1}{2}\,\partial\,\mathit{error}/\partial w^{<L>}_{<j>0}"
                ),
                "kind": "expression",
                "layer_map": _LIN,
            },
            "cost": {
                "template": r"\tfrac{1}{2}\,\mathit{error}(e, w)",
                "kind": "expression",
                "note": (
                    "$\\mathit{error}(e, w) = \\sum_j (\\mathit{output}^L[j] - "
                    "Y(e)[j])^2 = 2C$"
                ),
            },
            "activation_function": {"template": r"f^{<L>}", "layer_map": _ACT},
            "activation_derivative": {"template": r"{f^{<L>}}'", "layer_map": _ACT},
            "output": {
                "template": r"\hat{Y}(e)[<j>]",
                "note": "$= \\mathit{output}^L[j]$",
                "alternatives": ((r"\mathit{output}^{L}[<j>]", _ACT),),
            },
            "target": r"Y(e)[<j>]",
            "learning_rate": {
                "template": r"\eta",
                "note": (
                    "after the note's $\\eta \\leftarrow 2\\eta$, the book's $\\eta$"
                ),
            },
            "input_layer": {"template": "0", "note": "$\\mathit{input}^0 = X(e)$"},
            "output_layer": {
                "template": "L",
                "note": "an activation layer; $2L - 1$ in the book's $L$",
            },
        },
    )
)

_add(
    _conv(
        "seed_000",
        "The one-weight-deep question",
        "a learner's question on a Q&A site: its own notation",
        None,
        "Nielsen-like, with layers in parentheses counted back from the output (L). "
        "No biases. As written, z_j^{(L)} = Σ_i w_ji^{(L)} a_i^{(L)}: the a should "
        "be a^{(L-1)}.",
        (1, 0),
        {
            "weight": {
                "template": r"w^{(<L>)}_{<j><k>}",
                "note": "from node $k$ of layer $(L-1)$ to node $j$ of layer $(L)$",
            },
            "bias": _none("the question's network has no biases"),
            "pre_activation": r"z^{(<L>)}_{<j>}",
            "activation": r"a^{(<L>)}_{<j>}",
            "error": {
                "template": r"\frac{\partial C_0}{\partial z^{(<L>)}_{<j>}}",
                "kind": "expression",
                "note": (
                    "never named; the question works with $\\partial C_0/\\partial a_j$"
                ),
            },
            "weight_gradient": r"\frac{\partial C_0}{\partial w^{(<L>)}_{<j><k>}}",
            "bias_gradient": _none("the question's network has no biases"),
            "cost": {"template": "C_0", "note": "the loss of one training sample"},
            "activation_function": r"g^{(<L>)}",
            "activation_derivative": r"{g^{(<L>)}}'",
            "output": r"a^{(L)}_{<j>}",
            "target": _none('not named ("e.g. $L_2$-loss")'),
            "learning_rate": _none("not used: the question stops at the gradient"),
            "input_layer": _none("not stated: layers are counted back from $(L)$"),
            "output_layer": "L",
        },
        superscript="paren",
    )
)

_add(
    _conv(
        "seed_002_answer",
        "The answer on eq. 5.55",
        "the accepted answer to a question on Bishop's eq. 5.55",
        None,
        "Keeps Bishop's letters, z for the output and a for the weighted input, "
        "and adds layer superscripts: the weighted input that feeds layer "
        "l+1 is numbered l (a_k^l = Σ W_kj^l z_j^l + b_k^l, z_k^{l+1} = h(a_k^l)).",
        (1, 0),
        {
            "weight": {
                "template": r"W^{<L>}_{<j><k>}",
                "layer_map": (1, -1),
                "note": (
                    "its Eq. 2 sums over $k$, the receiving unit; the sum must "
                    "run over $j$"
                ),
            },
            "bias": {"template": r"b^{<L>}_{<j>}", "layer_map": (1, -1)},
            "pre_activation": {
                "template": r"a^{<L>}_{<j>}",
                "layer_map": (1, -1),
                "note": "numbered one below the output it feeds (its Eq. 3)",
            },
            "activation": r"z^{<L>}_{<j>}",
            "error": {
                "template": r"\delta^{<L>}_{<j>}",
                "note": (
                    "$\\partial E/\\partial a_j^{l-1}$ in its Eq. 8, written "
                    "$\\partial E/\\partial a_j^{l}$ in its Eq. 1"
                ),
            },
            "weight_gradient": {
                "template": r"\frac{\partial E}{\partial W^{<L>}_{<j><k>}}",
                "layer_map": (1, -1),
            },
            "bias_gradient": {
                "template": r"\frac{\partial E}{\partial b^{<L>}_{<j>}}",
                "layer_map": (1, -1),
            },
            "cost": "E",
            "activation_function": {"template": "h", "note": "its Eq. 3"},
            "activation_derivative": "h'",
            "output": r"z^{L}_{<j>}",
            "target": {"template": r"t_{<j>}", "note": "its Eq. 7"},
            "learning_rate": _none("not used in the answer"),
            "input_layer": _none("not stated"),
            "output_layer": "L",
        },
    )
)

#: The canonical convention names, in the order the book's tables show them.
CONVENTIONS: tuple[str, ...] = tuple(_CONVENTIONS)

#: Other names accepted wherever a convention is asked for.
ALIASES: dict[str, str] = {
    "poole_mackworth": "hoey",
    "seed_004": "hoey",
    "seed_001": "nielsen",
    "seed_003": "nielsen",
    "seed_002_question": "bishop",
    "one_weight_question": "seed_000",
    "bishop_answer": "seed_002_answer",
    "prml": "bishop",
    "code": "book_code",
}

#: Title, source, citation key and a one-paragraph summary of each convention.
CONVENTION_INFO: dict[str, dict] = {
    c.name: {"title": c.title, "source": c.source, "cite": c.cite, "summary": c.summary}
    for c in _CONVENTIONS.values()
}


def _convention(name) -> _Convention:
    if not isinstance(name, str):
        raise TypeError(f"convention must be a string; got {type(name).__name__}")
    key = ALIASES.get(name, name)
    if key not in _CONVENTIONS:
        raise ValueError(
            f"unknown convention {name!r}; expected one of "
            f"{', '.join(CONVENTIONS)} (or an alias: {', '.join(ALIASES)})"
        )
    return _CONVENTIONS[key]


def _quantity(name) -> str:
    if not isinstance(name, str) or name not in QUANTITIES:
        raise ValueError(
            f"unknown quantity {name!r}; expected one of {', '.join(QUANTITIES)}"
        )
    return name


def entry(quantity: str, convention: str) -> Entry:
    """The table's cell for ``quantity`` in ``convention`` (see :class:`Entry`)."""
    return _convention(convention).entries[_quantity(quantity)]


# --------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------

_INDEX = re.compile(r"\\[A-Za-z]+|[A-Za-z]|\d+")


def _index(value, argument: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"{argument} must be a unit letter or an int; got {value!r}")
    text = str(value).strip()
    if not _INDEX.fullmatch(text):
        raise ValueError(
            f"{argument} must be one letter, a LaTeX command such as r'\\mu', or a "
            f"non-negative integer; got {value!r}"
        )
    return text


def _layer_text(e: Entry, conv: _Convention, layer, amap=None) -> str:
    """The convention's layer index for the book's ``layer``, formatted."""
    book = _Layer.parse(layer)
    low = _MIN_LAYER.get(e.quantity, 0)
    if book.is_number and book.const < low:
        raise ValueError(
            f"layer must be at least {low} for {e.quantity!r} (the input layer is 0); "
            f"got {layer!r}"
        )
    mapped = book.to_convention(amap or e.layer_map, conv.out_map)
    return mapped.format(conv.out_symbol, code=conv.code)


def _fill(template: str, L: str | None, j: str, k: str) -> str:
    text = template.replace("<j>", j).replace("<k>", k)
    if L is not None:
        text = text.replace("<L>", L)
    return text


def _drop_layer(template: str) -> str | None:
    for piece in ("^{(<L>)}", "^{<L>}"):
        if piece in template:
            return re.sub(r"\{([A-Za-z])\}'", r"\1'", template.replace(piece, ""))
    return None


def _check_available(e: Entry) -> None:
    if not e.available:
        raise NoEquivalentError(
            f"{_CONVENTIONS[e.convention].title} ({e.convention!r}) has no symbol "
            f"for {e.quantity!r}: {e.note}"
        )


def _render_entry(e: Entry, conv: _Convention, layer, j, k) -> str:
    _check_available(e)
    j, k = _index(j, "j"), _index(k, "k")
    template = e.template
    if "<L>" not in template:
        return template.replace("<j>", j).replace("<k>", k)
    if layer is None:
        bare = _drop_layer(template)
        if bare is None:
            raise ValueError(
                f"{e.convention!r} cannot write {e.quantity!r} without a layer; "
                "pass layer= (the book's layer number, e.g. 2 or 'L-1')"
            )
        return _fill(bare, None, j, k)
    L = _layer_text(e, conv, layer)
    # Hoey's output^{-1} does not exist: the input is input^0.
    if conv.name == "hoey" and e.quantity == "activation" and L.startswith("-"):
        alt, amap = e.alternatives[0]
        return _fill(alt, _layer_text(e, conv, layer, amap), j, k)
    return _fill(template, L, j, k)


def render(quantity: str, convention: str, layer=r"\ell", j="j", k="k") -> str:
    """How ``convention`` writes ``quantity``, as a LaTeX string.

    Parameters
    ----------
    quantity : str
        A key of :data:`QUANTITIES`, e.g. ``"pre_activation"``.
    convention : str
        A name in :data:`CONVENTIONS` or :data:`ALIASES`, e.g. ``"bishop"``.
    layer : int, str or None
        The layer *in the book's numbering* (input 0, output ``L``): an int, or an
        affine expression such as ``r"\\ell"``, ``"L-m"``, ``"L-m+1"``. It is
        translated into the convention's own numbering (Nielsen adds 1; Hoey's
        linear layer is ``2ℓ-2``, his activation layer ``2ℓ-1``). ``None`` leaves
        the layer out where the convention allows it (``a_j`` in Bishop §5.3).
    j, k : str or int
        Unit letters: the unit of layer ℓ, and (for weights) the unit of layer ℓ-1
        it is fed from.

    Returns
    -------
    str
        LaTeX (for ``"book_code"``: the Python expression inside ``\\texttt{}``).

    Raises
    ------
    ValueError
        Unknown quantity or convention (the message lists the valid names), a
        malformed layer or index; :class:`NoEquivalentError` (a ``ValueError``) when
        the convention has no symbol for the quantity.
    """
    conv = _convention(convention)
    e = conv.entries[_quantity(quantity)]
    text = _render_entry(e, conv, layer, j, k)
    if conv.code:
        escaped = text.replace("\\", "").replace("_", r"\_")
        return rf"\texttt{{{escaped}}}"
    return text


def code(quantity: str, layer="ell", j="j", k="k") -> str:
    """The Python expression in ``backprop_lib`` for ``quantity`` (book numbering).

    With ``net = bp.Network(...)``, ``trace = net.forward(x)``,
    ``result = net.backward(x, y)`` in scope the expression evaluates to the
    quantity for the first example, e.g. ``code("weight", 2, 0, 1)`` is
    ``"net.W[2][0, 1]"``.
    """
    conv = _CONVENTIONS["book_code"]
    return _render_entry(conv.entries[_quantity(quantity)], conv, layer, j, k)


# --------------------------------------------------------------------------------------
# Translation of a symbol from one convention to another
# --------------------------------------------------------------------------------------

_PRIORITY = (
    "bias_gradient",
    "bias",
    "weight_gradient",
    "weight",
    "error",
    "output",
    "pre_activation",
    "activation",
    "activation_derivative",
    "activation_function",
    "target",
    "cost",
    "learning_rate",
)
_GROUP = {
    "L": r"(?P<L>[^{}()\[\]]+?)",
    "j": r"(?P<j>\\[A-Za-z]+|[A-Za-z]|\d+)",
    "k": r"(?P<k>\\[A-Za-z]+|[A-Za-z]|\d+)",
}
_MAX_SYMBOL = 200


def _pattern(template: str, bare: bool) -> re.Pattern:
    if bare:
        template = _drop_layer(template) or template
    pieces = re.split(r"(<L>|<j>|<k>)", _normalise(template, keep=True))
    out = []
    for piece in pieces:
        if piece in ("<L>", "<j>", "<k>"):
            out.append(_GROUP[piece[1]])
        else:
            out.append(re.escape(piece))
    return re.compile("".join(out))


_SCRIPT = re.compile(r"([_^])(\\[A-Za-z]+|<[Ljk]>|[^{\\])")
_SWAP = re.compile(r"_(\{[^{}]*\})\^(\{(?:[^{}]|\{[^{}]*\})*\})")


def _normalise(text: str, keep: bool = False) -> str:
    """Canonical spelling: no spaces, braces around every sub/superscript, and the
    superscript before the subscript (``a_j^{(l)}`` -> ``a^{(l)}_{j}``)."""
    text = text.strip()
    if text.startswith("$") and text.endswith("$"):
        text = text.strip("$")
    text = re.sub(r"\s+", "", text) if not keep else text.replace(" ", "")
    text = text.replace(r"\,", "")
    text = _SCRIPT.sub(lambda m: f"{m.group(1)}{{{m.group(2)}}}", text)
    return _SWAP.sub(lambda m: f"^{m.group(2)}_{m.group(1)}", text)


def translate(symbol: str, from_: str, to: str) -> str:
    """Rewrite one symbol from convention ``from_`` into convention ``to``.

    ``symbol`` is a LaTeX symbol as ``from_`` writes it (``"a_j"``,
    ``r"w^{(2)}_{kj}"``, ``r"\\mathit{output}^{L-2}[i]"``) or a key of
    :data:`QUANTITIES`. Layer numbers are translated (Nielsen's ``w^3`` is the
    book's ``w^2``), unit letters are kept.

    Raises
    ------
    ValueError
        Unknown convention, a symbol that no quantity of ``from_`` matches (the
        message lists how ``from_`` writes things), or one that is ambiguous (Hoey's
        ``output^{k}`` is a weighted input for even k and an activation for odd k).
    """
    if not isinstance(symbol, str):
        raise TypeError(f"symbol must be a string; got {type(symbol).__name__}")
    src, dst = _convention(from_), _convention(to)
    if symbol in QUANTITIES:
        return render(symbol, dst.name)
    if len(symbol) > _MAX_SYMBOL:
        raise ValueError(f"symbol is too long ({len(symbol)} > {_MAX_SYMBOL} chars)")
    if src.code:
        raise ValueError("translate from 'book_code' is not supported; use code()")
    text = _normalise(symbol)
    candidates = []
    for quantity in _PRIORITY:
        e = src.entries[quantity]
        if not e.available:
            continue
        spellings = [(e.template, e.layer_map), *e.alternatives]
        for template, amap in spellings:
            for bare in (False, True):
                if bare and _drop_layer(template) is None:
                    continue
                m = _pattern(template, bare).fullmatch(text)
                if not m:
                    continue
                groups = m.groupdict()
                book_layer = None
                if groups.get("L") is not None:
                    try:
                        own = _Layer.parse(groups["L"], "layer", src.out_symbol)
                    except ValueError:
                        continue
                    book_layer = own.to_book(amap, src.out_map)
                candidates.append((quantity, book_layer, groups))
    if not candidates:
        known = ", ".join(
            _fill(src.entries[q].template, "ℓ", "j", "k")
            for q in _PRIORITY
            if src.entries[q].available
        )
        raise ValueError(
            f"{symbol!r} is not a symbol of {src.title} ({src.name!r}); its symbols "
            f"look like: {known}"
        )
    # Prefer a reading with a whole layer number (Hoey's output^{L-2} is an
    # activation, output^{L-1} a weighted input); in priority order otherwise.
    integral = [c for c in candidates if c[1] is None or c[1].is_integral]
    if not integral and {"pre_activation", "activation"} <= {c[0] for c in candidates}:
        raise ValueError(
            f"{symbol!r} is ambiguous in {src.name!r}: it is a weighted input if the "
            "layer index is even and an activation if it is odd; give a concrete "
            "layer such as 3 or L-1"
        )
    quantity, book_layer, groups = (integral or candidates)[0]
    return render(
        quantity,
        dst.name,
        layer=book_layer,
        j=groups.get("j") or "j",
        k=groups.get("k") or "k",
    )


# --------------------------------------------------------------------------------------
# Equations composed from the table
# --------------------------------------------------------------------------------------

#: Equations :func:`equation` can write in any convention (quadratic cost for BP1).
EQUATIONS: dict[str, str] = {
    "forward": "the weighted input of unit j: z = Σ_k w a + b",
    "BP1": "the output error for the quadratic cost",
    "BP2": "the error of layer ℓ from the error of layer ℓ+1",
    "BP3": "the gradient with respect to a bias",
    "BP4": "the gradient with respect to a weight",
}


def equation(name: str, convention: str, layer=r"\ell", j="j", k="k") -> str:
    """Write one of :data:`EQUATIONS` in ``convention``'s symbols, as LaTeX.

    The equation is assembled from the table's cells, so it is exactly as right as
    the table: ``equation("BP2", "bishop")`` gives Bishop's eq. 5.56 with layer
    superscripts added. ``layer`` is the book's layer (for BP1, the output layer L
    is used); ``layer=None`` writes it without layer numbers, as Bishop §5.3 does.
    Raises :class:`NoEquivalentError` if a symbol is missing (e.g. BP3 in
    a convention without biases) and ``ValueError`` for ``"book_code"``.
    """
    if name not in EQUATIONS:
        raise ValueError(
            f"unknown equation {name!r}; expected one of {', '.join(EQUATIONS)}"
        )
    conv = _convention(convention)
    if conv.code:
        raise ValueError(
            "equations are written in LaTeX conventions; for the code see "
            "backprop_lib.network.Network.backward (BP1-BP4)"
        )
    c = conv.name
    if layer is None:  # the source's own layer-free form (Bishop §5.3)
        below = above = None
    else:
        here = _Layer.parse(layer)
        below, above = here.shift(-1), here.shift(1)

    def r(q, lay=layer, jj=j, kk=k):
        return render(q, c, layer=lay, j=jj, k=kk)

    def apply(fn: str, arg: str) -> str:
        return rf"{fn}\!\left({arg}\right)"

    if name == "forward":
        rhs = rf"\sum_{{{k}}} {r('weight')}\, {r('activation', below, k)}"
        if conv.entries["bias"].available:
            rhs += f" + {r('bias')}"
        return f"{r('pre_activation')} = {rhs}"
    if name == "BP1":
        top = None if layer is None else "L"
        lhs = r("error", top)
        out = render("output", c, j=j)
        target = render("target", c, j=j)
        derivative = apply(r("activation_derivative", top), r("pre_activation", top))
        return f"{lhs} = \\left({out} - {target}\\right)\\, {derivative}"
    if name == "BP2":
        return (
            f"{r('error')} = "
            + apply(r("activation_derivative"), r("pre_activation"))
            + rf" \sum_{{{k}}} {r('weight', above, k, j)}\, {r('error', above, k)}"
        )
    if name == "BP3":
        return f"{r('bias_gradient')} = {r('error')}"
    return f"{r('weight_gradient')} = {r('activation', below, k)}\\, {r('error')}"


# --------------------------------------------------------------------------------------
# The table as a whole, for a notebook
# --------------------------------------------------------------------------------------


class NotationTable:
    """Quantities (rows) × conventions (columns), rendered; displays itself.

    In a notebook it shows as an HTML table (``_repr_html_``) with MathJax math; the
    book displays ``IPython.display.Markdown(t.markdown())`` so that the math is
    typeset by the page. ``t.cells[(quantity, convention)]`` is the LaTeX (or
    ``None`` where there is no equivalent).
    """

    def __init__(self, quantities, conventions, layer, j, k):
        self.quantities = list(quantities)
        self.conventions = [_convention(c).name for c in conventions]
        self.cells: dict[tuple[str, str], str | None] = {}
        for q in self.quantities:
            for c in self.conventions:
                conv = _CONVENTIONS[c]
                e = conv.entries[q]
                if not e.available:
                    self.cells[(q, c)] = None
                elif conv.code:
                    self.cells[(q, c)] = _render_entry(e, conv, layer, j, k)
                else:
                    self.cells[(q, c)] = render(q, c, layer=layer, j=j, k=k)

    def _cell(self, q: str, c: str, md: bool) -> str:
        text = self.cells[(q, c)]
        e = _CONVENTIONS[c].entries[q]
        if text is None:
            return "—"
        if _CONVENTIONS[c].code:
            return f"`{text}`" if md else f"<code>{_html_escape(text)}</code>"
        mark = "*" if e.kind == "expression" else ""
        if md:
            return f"${text}${mark}"
        return rf"\({_html_escape(text)}\){mark}"

    def markdown(self) -> str:
        """The table in (MyST) Markdown, math in ``$...$``."""
        head = ["quantity", *(_CONVENTIONS[c].title for c in self.conventions)]
        lines = [
            "| " + " | ".join(head) + " |",
            "|" + "---|" * len(head),
        ]
        for q in self.quantities:
            row = [QUANTITY_LABELS[q]] + [
                self._cell(q, c, md=True) for c in self.conventions
            ]
            lines.append("| " + " | ".join(row) + " |")
        return "\n".join(lines)

    def notes(self) -> str:
        """Markdown list of the notes and the "no equivalent" reasons."""
        out = []
        for c in self.conventions:
            conv = _CONVENTIONS[c]
            items = [
                f"{QUANTITY_LABELS[q]}: {conv.entries[q].note}"
                for q in self.quantities
                if conv.entries[q].note
            ]
            if items:
                out.append(f"- **{conv.title}**: " + "; ".join(items) + ".")
        return "\n".join(out)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_html_(self) -> str:
        head = "".join(
            f"<th>{_html_escape(_CONVENTIONS[c].title)}</th>" for c in self.conventions
        )
        rows = []
        for q in self.quantities:
            cells = "".join(
                f"<td>{self._cell(q, c, md=False)}</td>" for c in self.conventions
            )
            label = re.sub(r"\$([^$]*)\$", r"\\(\1\\)", QUANTITY_LABELS[q])
            rows.append(f"<tr><th>{label}</th>{cells}</tr>")
        return (
            '<table class="notation-table"><thead><tr><th>quantity</th>'
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def __repr__(self) -> str:
        return (
            f"NotationTable({len(self.quantities)} quantities × "
            f"{len(self.conventions)} conventions: {', '.join(self.conventions)})"
        )


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def table(
    conventions=None, quantities=None, layer=r"\ell", j="j", k="k"
) -> NotationTable:
    """The Rosetta stone: every quantity in every convention (or the ones asked for).

    Parameters
    ----------
    conventions, quantities : list of str, optional
        Columns and rows; default all of :data:`CONVENTIONS` and :data:`QUANTITIES`.
    layer, j, k
        As in :func:`render`.
    """
    if isinstance(conventions, str) or isinstance(quantities, str):
        raise TypeError("conventions and quantities must be lists of names, not a str")
    conventions = list(CONVENTIONS if conventions is None else conventions)
    quantities = [
        _quantity(q) for q in (QUANTITIES if quantities is None else quantities)
    ]
    if not conventions or not quantities:
        raise ValueError("conventions and quantities must not be empty")
    return NotationTable(quantities, conventions, layer, j, k)
