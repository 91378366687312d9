"""backprop_lib.notation: the Rosetta stone between textbook notations.

The table is checked against things written independently of it: the numpy core
(the code column must evaluate to the right numbers), a split-layer network built
here the way Hoey's note numbers its layers, finite differences, the sources'
equations as printed, and the table's own cells against each other (the input
layer's index, the output's symbol, translation round trips).
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib import notation as nt

LATEX = [c for c in nt.CONVENTIONS if c != "book_code"]
LAYERED = [
    "weight",
    "bias",
    "pre_activation",
    "activation",
    "error",
    "weight_gradient",
    "bias_gradient",
]


def plain(tex: str) -> str:
    """Strip spacing and sizing commands and braces, for comparing equations."""
    tex = re.sub(r"\\left|\\right|\\!|\\,|\s", "", tex)
    return tex.replace("{", "").replace("}", "")


# ---------------------------------------------------------------- the table is complete


@pytest.mark.parametrize("convention", nt.CONVENTIONS)
def test_every_quantity_renders_or_is_marked_no_equivalent(convention):
    for quantity in nt.QUANTITIES:
        e = nt.entry(quantity, convention)
        if e.available:
            text = nt.render(quantity, convention, layer=2)
            assert text and "<" not in text, (quantity, convention, text)
        else:
            assert e.kind == "none" and len(e.note) > 5, (quantity, convention)
            with pytest.raises(nt.NoEquivalentError, match=quantity):
                nt.render(quantity, convention)


def test_aliases_point_at_conventions():
    for alias, target in nt.ALIASES.items():
        assert target in nt.CONVENTIONS
        assert nt.render("weight", alias) == nt.render("weight", target)
    assert nt.render("activation", "poole_mackworth", 1) == nt.render(
        "activation", "hoey", 1
    )


# ---------------------------------------------------- the facts the chapter relies on


def test_bishops_a_is_nielsens_z_and_bishops_z_is_nielsens_a():
    assert nt.render("pre_activation", "bishop", layer=None) == "a_{j}"
    assert nt.render("pre_activation", "nielsen", layer=None) == "z_{j}"
    assert nt.translate("a_j", "bishop", "nielsen") == "z_{j}"
    assert nt.translate("z_j", "bishop", "nielsen") == "a_{j}"
    assert nt.translate("a^{(2)}_j", "goodfellow", "bishop") == "a^{(2)}_{j}"
    assert nt.translate("h^{(2)}_j", "goodfellow", "nielsen") == "a^{3}_{j}"


def test_input_layer_index_agrees_with_the_activation_cell():
    # Two cells written separately: "the input is layer n" and "activation of the
    # book's layer 0". They must name the same index.
    for c in LATEX:
        e = nt.entry("input_layer", c)
        if not e.available:
            continue
        shown = nt.render("activation", c, layer=0)
        index = re.search(r"\^\{\(?(-?\d+)\)?\}", shown).group(1)
        assert index == nt.render("input_layer", c), (c, shown)
    assert nt.render("input_layer", "nielsen") == "1"
    assert nt.render("input_layer", "book") == "0"


def test_output_cell_agrees_with_the_activation_of_layer_L():
    for c in ["book", "nielsen", "seed_000", "seed_002_answer"]:
        assert nt.render("activation", c, layer="L") == nt.render("output", c), c
    assert nt.translate(r"\hat{Y}(e)[j]", "hoey", "book") == "a^{L}_{j}"
    assert nt.translate(r"\mathit{output}^{L}[j]", "hoey", "book") == "a^{L}_{j}"


def test_sources_equations_as_printed():
    # Bishop (5.48): a_j = sum_i w_ji z_i (bias as w_j0), (5.53), (5.56).
    assert plain(nt.equation("forward", "bishop", layer=None, k="i")) == plain(
        r"a_j = \sum_i w_{ji} z_i + w_{j0}"
    )
    assert plain(nt.equation("BP4", "bishop", layer=None, k="i")) == plain(
        r"\frac{\partial E_n}{\partial w_{ji}} = z_i \delta_j"
    )
    assert plain(nt.equation("BP2", "bishop", layer=None)) == plain(
        r"\delta_j = h'(a_j) \sum_k w_{kj} \delta_k"
    )
    # Nielsen (BP2), with his numbering: delta^l from delta^{l+1}; the book's layer
    # l-1 is his l.
    assert plain(nt.equation("BP2", "nielsen", layer=r"\ell-1")) == plain(
        r"\delta^\ell_j = \sigma'(z^\ell_j) \sum_k w^{\ell+1}_{kj} \delta^{\ell+1}_k"
    )
    # Goodfellow et al., Algorithm 6.3: a^(k) = b^(k) + W^(k) h^(k-1).
    assert plain(nt.equation("forward", "goodfellow", layer="k", k="i")) == plain(
        r"a^{(k)}_j = \sum_i W^{(k)}_{j,i} h^{(k-1)}_i + b^{(k)}_j"
    )
    # Hoey eq. (1): output^L[j] = f^L(output^{L-1}[j]) and
    # output^{L-1}[j] = sum_i w^{L-1}_ji input^{L-1}[i], input^{L-1} = output^{L-2}.
    assert plain(nt.equation("forward", "hoey", layer="L", k="i")) == plain(
        r"\mathit{output}^{L-1}[j] = \sum_i w^{L-1}_{ji} \mathit{output}^{L-2}[i]"
        r" + w^{L-1}_{j0}"
    )
    assert nt.render("activation_function", "hoey", layer="L") == "f^{L}"
    # The seed-000 learner's network has no biases: the forward equation has none.
    assert "b" not in nt.equation("forward", "seed_000")


def test_the_002_answers_layer_shift():
    # a_k^l = sum_j W_kj^l z_j^l + b_k^l and z_k^{l+1} = h(a_k^l): the weighted input
    # that feeds the book's layer l+1 carries the answer's number l.
    assert nt.translate("a^{l}_k", "seed_002_answer", "book") == "z^{l+1}_{k}"
    assert nt.translate("z^{l+1}_k", "seed_002_answer", "book") == "a^{l+1}_{k}"
    assert nt.translate("W^{l}_{kj}", "seed_002_answer", "nielsen") == "w^{l+2}_{kj}"


# --------------------------------------------- the code column against the numpy core


@pytest.fixture(scope="module")
def numeric():
    rng = np.random.default_rng(7)
    net = bp.Network([3, 4, 2], activation="tanh", cost="quadratic", seed=3)
    x = rng.standard_normal(3)
    y = rng.standard_normal(2)
    return {
        "net": net,
        "trace": net.forward(x),
        "result": net.backward(x, y),
        "x": x,
        "y": y,
        "eta": 0.1,
    }


def test_code_column_evaluates_to_the_right_numbers(numeric):
    net, x, y = numeric["net"], numeric["x"], numeric["y"]
    ns = dict(numeric)

    def val(q, ell, j, k=0):
        return eval(nt.code(q, ell, j, k), {}, ns)

    # forward pass by hand, independently of the library
    a = [x]
    zs = [None]
    for ell in (1, 2):
        zs.append(net.W[ell] @ a[-1] + net.b[ell].ravel())
        a.append(np.tanh(zs[-1]))
    dW, db = bp.numerical_gradient(net, x, y)
    for ell in (1, 2):
        for j in range(net.W[ell].shape[0]):
            assert val("pre_activation", ell, j) == pytest.approx(zs[ell][j])
            assert val("activation", ell, j) == pytest.approx(a[ell][j])
            # delta = dC/dz = dC/db (BP3), by finite differences
            assert val("error", ell, j) == pytest.approx(db[ell][j, 0], abs=1e-7)
            assert val("bias_gradient", ell, j) == pytest.approx(
                db[ell][j, 0], abs=1e-7
            )
            for k in range(net.W[ell].shape[1]):
                assert val("weight_gradient", ell, j, k) == pytest.approx(
                    dW[ell][j, k], abs=1e-7
                )
            f, fp = (
                val("activation_function", ell, j),
                val("activation_derivative", ell, j),
            )
            z = zs[ell][j]
            assert f(np.array(z)) == pytest.approx(np.tanh(z))
            assert fp(np.array(z), np.tanh(np.array(z))) == pytest.approx(
                1 - np.tanh(z) ** 2
            )
    assert val("weight", 2, 1, 3) == net.W[2][1, 3]
    assert val("bias", 1, 2) == net.b[1][2, 0]
    assert val("output", "L", 1) == pytest.approx(a[2][1])
    assert val("cost", "L", 0) == pytest.approx(0.5 * np.sum((a[2] - y) ** 2))
    assert val("target", "L", 1) == y[1]
    assert eval(nt.code("output_layer"), {}, ns) == net.L == 2
    assert eval(nt.code("input_layer"), {}, ns) == 0


def test_code_rendering():
    assert nt.code("weight", 2, 0, 1) == "net.W[2][0, 1]"
    assert nt.code("error", r"\ell+1") == "result.delta[ell+1][j, 0]"
    assert nt.render("weight_gradient", "book_code", 1) == (
        r"\texttt{result.grad\_W[1][j, k]}"
    )


# --------------------------------------------- Hoey's numbering against a split network


def hoey_layers(net, x):
    """Hoey's network built here from his definitions: linear layer k computes
    output^k[j] = sum_i w^k_ji input^k[i] with input^k[0] = 1; activation layer
    k+1 applies f elementwise; input^k = output^{k-1}; input^0 = X(e)."""
    ws, outputs, inputs = {}, {}, {0: x}
    k = 0
    for ell in range(1, net.L + 1):
        w = np.hstack([net.b[ell], net.W[ell]])  # column 0 is the bias weight
        ws[k] = w
        outputs[k] = w @ np.concatenate([[1.0], inputs[k]])
        inputs[k + 1] = outputs[k]
        outputs[k + 1] = net.activation_of(ell).f(outputs[k])
        inputs[k + 2] = outputs[k + 1]
        k += 2
    return ws, inputs, outputs


def _index(text: str, head: str) -> int:
    return int(re.search(head + r"\^\{(-?\d+)\}", text).group(1))


def test_hoey_layer_numbers_match_a_split_network():
    net = bp.Network([2, 3, 3, 2], seed=5)
    x = np.array([0.3, -0.7])
    trace = net.forward(x)
    ws, inputs, outputs = hoey_layers(net, x)
    L_hoey = max(outputs)
    assert L_hoey == 2 * net.L - 1
    for ell in range(1, net.L + 1):
        k = _index(nt.render("weight", "hoey", ell), "w")
        np.testing.assert_array_equal(ws[k][:, 1:], net.W[ell])
        kb = _index(nt.render("bias", "hoey", ell, k="k"), "w")
        np.testing.assert_array_equal(ws[kb][:, 0], net.b[ell].ravel())
        kz = _index(nt.render("pre_activation", "hoey", ell), r"\\mathit\{output\}")
        np.testing.assert_allclose(outputs[kz], trace.z[ell].ravel())
        ka = _index(nt.render("activation", "hoey", ell), r"\\mathit\{output\}")
        np.testing.assert_allclose(outputs[ka], trace.a[ell].ravel())
    # the input: the book's a^0 is Hoey's input^0
    k0 = _index(nt.render("activation", "hoey", 0), r"\\mathit\{input\}")
    np.testing.assert_array_equal(inputs[k0], x)
    # relative to the output: the book's layer L-m is Hoey's L-2m (activation) and
    # L-2m-1 (linear)
    assert nt.render("activation", "hoey", "L-m") == r"\mathit{output}^{L-2m}[j]"
    assert nt.render("pre_activation", "hoey", "L-m") == r"\mathit{output}^{L-2m-1}[j]"
    for m in range(net.L):
        text = nt.render("activation", "hoey", f"L-{m}")
        sup = re.search(r"\^\{([^}]*)\}", text).group(1)  # "L", "L-2", ...
        index = L_hoey - int(sup[2:] or 0)
        assert index == L_hoey - 2 * m, text
        np.testing.assert_allclose(outputs[index], trace.a[net.L - m].ravel())


def test_hoey_error_and_cost_have_the_factor_two():
    # error(e, w) = sum_j (output^L[j] - Y[j])^2 = 2C, so dC/dz = (1/2) d error/dz.
    net = bp.Network([2, 3, 2], seed=2)
    x, y = np.array([0.2, 0.9]), np.array([0.1, 0.4])
    r = net.backward(x, y)
    error = float(np.sum((net.predict(x).ravel() - y) ** 2))
    assert error == pytest.approx(2 * r.cost)
    assert nt.render("cost", "hoey") == r"\tfrac{1}{2}\,\mathit{error}(e, w)"
    assert nt.render("error", "hoey", 2).startswith(r"\tfrac{1}{2}")


# ------------------------------------------------------------------------- translation


LAYERS = [1, 2, "L", "L-1", r"\ell", "L-m+1"]


@pytest.mark.parametrize("src", LATEX)
def test_translation_round_trips(src):
    for dst in LATEX:
        for q in LAYERED:
            if not (nt.entry(q, src).available and nt.entry(q, dst).available):
                continue
            for layer in LAYERS:
                expected = nt.render(q, dst, layer=layer)
                got = nt.translate(nt.render(q, src, layer=layer), src, dst)
                if q == "activation" and layer == "L" and got != expected:
                    # a^L is also "the output", which some sources spell differently
                    assert got == nt.render("output", dst), (src, dst)
                    continue
                assert got == expected, (q, src, dst, layer)


def test_translate_understands_loose_latex():
    assert nt.translate("w^3_{jk}", "nielsen", "book") == "w^{2}_{jk}"
    assert nt.translate("a_j^{(L-1)}", "bishop", "nielsen") == "z^{L-1}_{j}"
    assert nt.translate("$\\delta^l_j$", "nielsen", "book") == "\\delta^{l-1}_{j}"
    assert nt.translate("weight", "bishop", "nielsen") == nt.render("weight", "nielsen")
    # Hoey's generic weight w^k_lm: linear layer k is the book's layer k/2 + 1
    assert nt.translate("w^{k}_{lm}", "hoey", "book") == r"w^{\tfrac{k}{2}+1}_{lm}"


def test_bias_as_weight_zero():
    assert nt.translate("w^{(1)}_{j0}", "bishop", "nielsen") == "b^{2}_{j}"
    assert nt.translate("w^{2}_{j0}", "hoey", "book") == "b^{2}_{j}"


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "exc", "pattern"),
    [
        (
            lambda: nt.render("weigth", "nielsen"),
            ValueError,
            r"unknown quantity.*weight",
        ),
        (
            lambda: nt.render("weight", "nilsen"),
            ValueError,
            r"unknown convention.*bishop",
        ),
        (lambda: nt.render("weight", 3), TypeError, r"convention must be a string"),
        (lambda: nt.render("weight", "book", layer=0), ValueError, r"at least 1"),
        (lambda: nt.render("weight", "book", layer="L*2"), ValueError, r"affine"),
        (lambda: nt.render("weight", "book", layer=1.5), TypeError, r"layer must be"),
        (lambda: nt.render("weight", "book", j="jj"), ValueError, r"j must be one"),
        (lambda: nt.render("bias", "seed_000"), ValueError, r"no biases"),
        (lambda: nt.translate("q_j", "bishop", "book"), ValueError, r"not a symbol"),
        (
            lambda: nt.translate(r"\mathit{output}^{k}[j]", "hoey", "book"),
            ValueError,
            r"ambiguous",
        ),
        (lambda: nt.translate("x" * 500, "hoey", "book"), ValueError, r"too long"),
        (lambda: nt.equation("BP5", "book"), ValueError, r"unknown equation.*BP4"),
        (lambda: nt.equation("BP3", "seed_000"), ValueError, r"no biases"),
        (lambda: nt.table(conventions="bishop"), TypeError, r"lists of names"),
        (lambda: nt.table(quantities=["nope"]), ValueError, r"unknown quantity"),
    ],
)
def test_bad_input_is_named(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


# ------------------------------------------------------------------------- the table


def test_table_shows_every_cell():
    t = nt.table()
    md = t.markdown().splitlines()
    assert len(md) == 2 + len(nt.QUANTITIES)
    assert all(line.count("|") == len(nt.CONVENTIONS) + 2 for line in md)
    html = t._repr_html_()
    assert html.count("<tr>") == 1 + len(nt.QUANTITIES)
    assert r"\(a^{(\ell)}_{j}\)" in html  # Bishop's pre-activation
    assert "—" in t.markdown()  # a "no equivalent" cell
    assert "no biases" in t.notes()
    small = nt.table(["bishop", "nielsen"], ["pre_activation"], layer=None)
    assert small.cells == {
        ("pre_activation", "bishop"): "a_{j}",
        ("pre_activation", "nielsen"): "z_{j}",
    }


def test_notation_imports_nothing_heavy():
    # the package without its __init__ (which loads numpy for the core): notation
    # and the modules it imports, alone
    code = (
        "import sys, types, pathlib\n"
        "pkg = types.ModuleType('backprop_lib')\n"
        f"pkg.__path__ = [str(pathlib.Path(r'{nt.__file__}').parent)]\n"
        "sys.modules['backprop_lib'] = pkg\n"
        "import backprop_lib.notation as m\n"
        "assert m.render('pre_activation', 'bishop', layer=None) == 'a_{j}'\n"
        "bad = [x for x in ('numpy', 'sympy', 'ipywidgets') if x in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------- the chapters, as built


@pytest.mark.book
def test_chapters_answer_their_source_questions(built_book):
    # each source text has a section that says what it is (an anchor the book links
    # to), in words a reader understands: never a file number
    for page, anchor, what in [
        ("one-weight-deep", "one-weight-deep-question", "asked on a Q&amp;A site"),
        ("bishop-5-55", "bishop-5-55-question", "asked on a Q&amp;A site"),
        ("split-layers", "split-layers-hoey-note", "Hoey"),
        ("four-equations", "four-equations-lecture-note", "lecture note"),
        ("chain-rule", "chain-rule-k-copies", "reader of Nielsen"),
    ]:
        html = (built_book / "chapters" / f"{page}.html").read_text()
        assert f'id="{anchor}"' in html, page
        assert what in html, page
    notation = (built_book / "chapters" / "notation.html").read_text()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", notation))  # code is in spans
    for code_cell in [
        "trace.z[ell][j, 0]",
        "result.delta[ell][j, 0]",
        "net.W[ell][j, k]",
    ]:
        assert code_cell in text, code_cell


@pytest.mark.book
def test_counting_table_matches_an_independent_count(built_book):
    """The one-weight-deep chapter counts multiplications by running both methods;
    recount here by enumerating the paths and the recurrence's products."""
    import itertools
    import math

    html = (built_book / "chapters" / "one-weight-deep.html").read_text()
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.DOTALL):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        ]
        if len(cells) == 7 and cells[0].isdigit() and cells[1].isdigit():
            rows.append(cells[:6])
    assert len(rows) >= 15, "the counting table is missing"

    def number(text):
        return int(text.replace(",", ""))

    for width, L, counted, paths, rec_counted, rec in rows:
        width, L = int(width), int(L)
        sizes = [3] + [width] * (L - 1) + [2]
        # the recurrence: layer t's products dC/da^t * sigma', then one per weight
        assert (
            number(rec_counted)
            == number(rec)
            == sum(sizes[t] * (1 + sizes[t - 1]) for t in range(2, L + 1))
        )
        # the paths: 2m multiplications per path of m steps, every unit of every
        # hidden layer; enumerate the paths where that is cheap
        expected = 0
        for ell in range(1, L):
            n_paths = math.prod(sizes[ell + 1 :])
            if n_paths <= 5000:
                n_paths = sum(
                    1 for _ in itertools.product(*(range(n) for n in sizes[ell + 1 :]))
                )
            expected += sizes[ell] * n_paths * 2 * (L - ell)
        assert number(paths) == expected, (width, L)
        if counted.strip()[:1].isdigit():
            assert number(counted) == expected
