"""The SymPy checks: every true statement passes, every wrong variant is rejected,
and the symbolic gradients agree with the numpy core."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

import backprop_lib as bp
from backprop_lib import symbolic as S

REQUIRED = [
    "chain_rule",
    "layer_recurrence",
    "BP1",
    "BP2",
    "BP3",
    "BP4",
    "bishop_5.53",
    "bishop_5.54",
    "bishop_5.55",
    "bishop_5.56",
    "split_layers",
    "softmax_cross_entropy",
]

# The wrong variants the issue and the API contract name explicitly.
REQUIRED_VARIANTS = {
    "chain_rule": {"k_copies"},
    "layer_recurrence": {"no_sum"},
    "BP1": {"no_sigma_prime"},
    "BP2": {"no_sigma_prime", "no_transpose"},
    "bishop_5.55": {"kronecker", "next_layer_only_for_softmax"},
    "split_layers": {"index_slip"},
}

ALL_VARIANTS = [(name, v) for name, vs in S.VARIANTS.items() for v in vs]


@pytest.fixture(scope="module")
def report():
    return S.check_all()


def test_check_all_has_every_required_check_and_all_pass(report):
    assert isinstance(report, dict)
    for name in REQUIRED:
        assert name in report, f"check_all() has no {name!r}"
    failed = {name: str(r) for name, r in report.items() if not r.passed}
    assert failed == {}
    assert report.passed


@pytest.mark.parametrize("name", list(S.CHECKS))
def test_each_result_is_structured(report, name):
    r = report[name]
    assert isinstance(r, S.CheckResult)
    assert r.name == name
    assert bool(r) is True and r.passed is True
    assert r.residual == 0
    assert isinstance(r.statement, str) and "=" in r.statement and "\\" in r.statement
    assert r.details
    md = r._repr_markdown_()
    assert r.statement in md and "holds" in md
    assert r.statement in r._repr_latex_()


def test_every_required_variant_exists():
    for name, required in REQUIRED_VARIANTS.items():
        assert required <= set(S.variants(name)), name


@pytest.mark.parametrize(("name", "variant"), ALL_VARIANTS)
def test_every_wrong_variant_is_rejected(name, variant):
    r = S.check(name, variant=variant)
    assert r.passed is False and not r
    assert r.variant == variant
    # the residual is a nonzero expression (or matrix with a nonzero entry)
    if isinstance(r.residual, sp.MatrixBase):
        assert any(e != 0 for e in r.residual)
    else:
        assert r.residual != 0
    # with concrete functions at a random point the two sides really differ
    assert r.witness is not None and r.witness > 1e-9
    md = r._repr_markdown_()
    assert "FAILS" in md


def test_diagonal_chain_rule_is_right_only_for_elementwise_activations():
    assert S.check("chain_rule", mapping="elementwise", variant="diagonal").passed
    assert not S.check("chain_rule", mapping="softmax", variant="diagonal").passed
    assert not S.check("chain_rule", mapping="general", variant="diagonal").passed
    assert S.check("chain_rule", mapping="softmax").passed


@pytest.mark.parametrize(("n_ell", "n_next"), [(1, 1), (2, 5), (4, 2)])
def test_induction_steps_hold_for_other_widths(n_ell, n_next):
    assert S.check("layer_recurrence", n_ell=n_ell, n_next=n_next).passed
    assert S.check("BP2", n_ell=n_ell, n_next=n_next, full_networks=()).passed
    assert S.check("bishop_5.56", n_j=n_ell, n_k=n_next).passed


def test_full_network_part_is_really_compared(monkeypatch):
    # Corrupt the directly differentiated δ^1 of one full network (doubling it):
    # the true statements BP2, BP3 and BP4 must now fail although their induction
    # step still holds, so the full-network comparison is not decoration.
    sizes = (2, 3, 2)
    full = dict(S.network._full(sizes))
    deltas = list(full["deltas"])
    deltas[1] = 2 * deltas[1]
    full["deltas"] = deltas
    monkeypatch.setitem(S.network._FULL_CACHE, sizes, full)
    for name in ("BP2", "BP3", "BP4"):
        r = S.check(name, full_networks=(sizes,))
        assert not r.passed, name
        # the induction step itself holds: the residual is the full network's
        assert S.check(name, full_networks=()).passed
        assert r.witness is not None and r.witness > 1e-9


def test_bishop_5_55_on_another_graph():
    graph = {3: (1,), 4: (1, 2), 5: (3, 4), 6: (3, 5), 7: (4, 5, 6)}
    assert S.check("bishop_5.55", graph=graph, graph_inputs=(1, 2)).passed
    bad = S.check(
        "bishop_5.55",
        variant="next_layer_only_for_softmax",
        graph=graph,
        graph_inputs=(1, 2),
    )
    assert not bad.passed


def test_bishop_5_54_pairs_one_by_one():
    for pair in (
        "linear_squared_error",
        "sigmoid_cross_entropy",
        "softmax_cross_entropy",
    ):
        assert S.check("bishop_5.54", pairs=(pair,)).passed
    assert not S.check("bishop_5.54", pairs=("sigmoid_squared_error",)).passed


def test_generic_activation_differentiates_to_its_prime():
    f, fp = S.generic_activation("sigma")
    z, w = sp.symbols("z w")
    assert sp.diff(f(w * z), z) == w * fp(w * z)
    # one class per name: building it again gives the same function
    assert S.generic_activation("sigma")[0] is f


# ------------------------------------------------------------ numbers vs numpy


@pytest.mark.parametrize(
    ("sizes", "activation", "output_activation", "cost"),
    [
        ([2, 3, 2], "sigmoid", None, "quadratic"),
        ([3, 2, 2], "tanh", None, "quadratic"),
        ([2, 3, 1], "tanh", "linear", "quadratic"),
        ([2, 2, 3], "sigmoid", "softmax", "cross_entropy"),
        ([2, 2, 2], "sigmoid", "sigmoid", "cross_entropy"),
    ],
)
def test_symbolic_gradients_match_the_numpy_core(
    sizes, activation, output_activation, cost
):
    rng = np.random.default_rng(7)
    net = bp.Network(
        sizes,
        activation=activation,
        output_activation=output_activation,
        cost=cost,
        seed=rng,
    )
    x = rng.standard_normal(sizes[0])
    if output_activation == "softmax":
        y = rng.dirichlet(np.ones(sizes[-1]))
    else:
        y = rng.random(sizes[-1])
    sym = S.symbolic_network(sizes, activation, output_activation, cost)
    result = net.backward(x, y)
    direct = sym.direct_gradients()
    assembled = sym.backprop()
    values = sym.substitutions(net, x, y)
    assert np.isclose(float(sym.C.xreplace(values)), result.cost)
    quantities = []
    for ell in range(1, net.L + 1):
        quantities += [direct["grad_W"][ell], direct["grad_b"][ell]]
        quantities += [assembled["grad_W"][ell], assembled["grad_b"][ell]]
        quantities += [assembled["delta"][ell]]
    values = iter(sym.evaluate(quantities, net, x, y))
    for ell in range(1, net.L + 1):
        for _ in ("direct", "BP1-BP4"):
            gW, gb = next(values), next(values)
            np.testing.assert_allclose(gW, result.grad_W[ell], rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(gb, result.grad_b[ell], rtol=1e-9, atol=1e-12)
        d = next(values)
        np.testing.assert_allclose(d, result.delta[ell], rtol=1e-9, atol=1e-12)


def test_symbolic_network_exposes_the_books_quantities():
    sym = S.symbolic_network([2, 3, 2])
    assert sym.W[1].shape == (3, 2) and sym.b[2].shape == (2, 1)
    assert sym.W[0] is None and sym.z[0] is None and sym.a[0] == sym.x
    assert sym.names["w2_13"] == sym.W[2][0, 2]
    assert str(sym.W[2][0, 2]) == "w^{2}_{13}"
    # z^1 = W^1 x + b^1, literally
    assert (
        sp.expand(
            sym.z[1][0]
            - (sym.W[1][0, 0] * sym.x[0] + sym.W[1][0, 1] * sym.x[1] + sym.b[1][0])
        )
        == 0
    )


# ------------------------------------------------------------------ bad input


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match="no check named"):
        S.check("BP5")
    with pytest.raises(ValueError, match="not a variant of check 'BP2'"):
        S.check("BP2", variant="k_copies")
    with pytest.raises(ValueError, match="n_ell must be an integer between 1 and 6"):
        S.check("BP2", n_ell=50)
    with pytest.raises(TypeError, match="sizes must be a list"):
        S.symbolic_network("2,3")
    with pytest.raises(ValueError, match="limited to"):
        S.symbolic_network([10, 10, 10])
    with pytest.raises(ValueError, match="activation='relu' is not available"):
        S.symbolic_network([2, 2], activation="relu")
    with pytest.raises(ValueError, match="needs output_activation"):
        S.symbolic_network([2, 2], activation="tanh", cost="cross_entropy")
    with pytest.raises(ValueError, match="index_slip"):
        S.check("split_layers", variant="index_slip", sizes=(2, 3, 2))
    with pytest.raises(ValueError, match="feed-forward order"):
        S.check("bishop_5.55", graph={3: (4,), 4: (1,)}, graph_inputs=(1,))


# ------------------------------------------------------------- the registry


def test_registry_derives_the_check_and_variant_lists():
    # one registration per check: the names, variants and statements agree
    assert list(S.VARIANTS) == list(S.CHECKS)
    for name in S.CHECKS:
        with pytest.raises(ValueError) as info:
            S.check(name, variant="not_a_variant")
        assert str(list(S.variants(name))) in str(info.value)
    with pytest.raises(ValueError, match="already registered"):
        S.register("BP1", "x = x")


def test_each_variant_states_its_own_equation():
    statements = {S.check("BP2", variant=v).statement for v in S.variants("BP2")}
    statements.add(S.check("BP2", full_networks=()).statement)
    assert len(statements) == 1 + len(S.variants("BP2"))


# ------------------------------------------------------- without SymPy


def test_import_without_sympy_names_the_extra_to_install():
    # A fresh interpreter in which `import sympy` fails, as on a machine without it.
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'sympy' or name.startswith('sympy.'):\n"
        "            raise ImportError('No module named ' + repr(name))\n"
        "sys.meta_path.insert(0, Block())\n"
        "import backprop_lib\n"
        "try:\n"
        "    import backprop_lib.symbolic\n"
        "except ImportError as err:\n"
        "    print(err)\n"
        "else:\n"
        "    print('imported')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert 'pip install "backprop_lib[symbolic]"' in out.stdout, out.stdout
