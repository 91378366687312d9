"""The notation table as data: every quantity, and how each convention writes it.

Kept apart from the code that reads it (:mod:`backprop_lib.notation`), so that a
convention can be added or corrected without touching the renderer. Each column of
the table is a call of :func:`_convention` (plain dicts and tuples); a row's spec is
a template string (placeholders ``<L>``, ``<j>``, ``<k>``), ``None`` or
:func:`_none` for "no equivalent", or a dict of :class:`notation.Entry` fields.
"""

from __future__ import annotations

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
MIN_LAYER: dict[str, int] = {
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
# The conventions
# --------------------------------------------------------------------------------------


def _convention(name, title, source, cite, summary, out_map, rows, **options) -> dict:
    """One column of the table: a convention's description and its rows."""
    return {
        "name": name,
        "title": title,
        "source": source,
        "cite": cite,
        "summary": summary,
        "out_map": out_map,
        "rows": rows,
        "options": options,
    }


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


#: Every convention's column, in the order the book's tables show them.
TABLE: list[dict] = []

TABLE.append(
    _convention(
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

TABLE.append(
    _convention(
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

TABLE.append(
    _convention(
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

TABLE.append(
    _convention(
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

TABLE.append(
    _convention(
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
TABLE.append(
    _convention(
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

TABLE.append(
    _convention(
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

TABLE.append(
    _convention(
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
