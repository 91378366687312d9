"""The numpy core's answers for the front end's node:test files (tests/js/).

``python tests/js/reference.py OUT.json`` writes random networks, examples and
mini-batch schedules together with what ``backprop_lib``'s numpy core computes for
them (forward pass, BP1–BP4, SGD steps, refusals) and the spec Python sends the
page. The JavaScript tests run the explorer's kernel on the same inputs and compare.
``tests/test_widgets.py`` runs this and then ``node --test tests/js/``; run alone,
``tests/js/reference.mjs`` calls it with the repository's ``.venv`` Python.
"""

from __future__ import annotations

import json
import sys

import numpy as np

import backprop_lib as bp
from backprop_lib import _explorer_spec as spec_module
from backprop_lib.activations import ACTIVATIONS
from backprop_lib.costs import COSTS

SPEC = spec_module.spec()
HIDDEN = SPEC["hidden_activations"]
OUTPUT_COST = [
    (out, cost)
    for cost, rule in SPEC["costs"].items()
    for out in SPEC["output_activations"]
    if rule["output_activations"] is None or out in rule["output_activations"]
]


def network(c) -> bp.Network:
    return bp.Network.from_params(
        [np.array(w) for w in c["weights"]],
        [np.array(v) for v in c["biases"]],
        activation=c["activation"],
        output_activation=c["output_activation"],
        cost=c["cost_name"],
    )


def random_case(rng, hidden, out, cost, scale=1.5):
    L = int(rng.integers(1, 5))
    sizes = [int(n) for n in rng.integers(1, 6, size=L + 1)]
    if not ACTIVATIONS[out].elementwise:
        sizes[-1] = max(2, sizes[-1])
    W = [rng.normal(0, scale, (sizes[i + 1], sizes[i])) for i in range(L)]
    b = [rng.normal(0, scale, sizes[i + 1]) for i in range(L)]
    x = rng.normal(0, 2, sizes[0])
    y = rng.random(sizes[-1])
    target = SPEC["costs"][cost]["target"]
    if target and out in target["sum_to_one_with"]:
        y /= y.sum()
    elif target:
        y = np.round(y)
    return {
        "weights": [w.tolist() for w in W],
        "biases": [v.tolist() for v in b],
        "x": x.tolist(),
        "y": y.tolist(),
        "activation": hidden,
        "output_activation": out,
        "cost_name": cost,
    }


def magnitudes(net, r, y):
    """Each computed value's size without cancellation (|W||a| + |b| for z, the
    backward pass run on absolute values for δ): the scale of its rounding error,
    since the browser and numpy may sum in a different order, and exp/tanh may
    differ in the last bit. tanh' = 1 - a² loses up to ~|a|² units of rounding
    when a unit saturates (a → ±1), so that term joins its magnitude."""

    def prime_mag(ell):
        act = net.activation_of(ell)
        fp = np.abs(act.prime(z[ell], a[ell]))
        return fp + 2 * a[ell] ** 2 if act.name == "tanh" else fp

    L = net.L
    a, z = r.trace.a, r.trace.z
    zmag = [None] + [np.abs(net.W[ell]) @ np.abs(a[ell - 1]) + np.abs(net.b[ell])
                     for ell in range(1, L + 1)]  # fmt: skip
    out = net.activation_of(L)
    g = np.abs(a[L]) + np.abs(y.reshape(-1, 1))
    if not COSTS[net.cost_name].uses_output_prime:
        dmag = [g]
    elif out.elementwise:
        dmag = [g * prime_mag(L)]
    else:
        dmag = [a[L] * (g + np.sum(a[L] * g))]
    for ell in range(L - 1, 0, -1):
        dmag.insert(0, (np.abs(net.W[ell + 1]).T @ dmag[0]) * prime_mag(ell))
    return zmag, [None, *dmag]


def flat(v):
    return np.asarray(v, dtype=float).ravel().tolist()


def arithmetic_cases():
    """Every valid activation/cost choice, random sizes; some saturated."""
    rng = np.random.default_rng(2024)
    cases = [
        random_case(rng, hidden, out, cost)
        for hidden in HIDDEN
        for out, cost in OUTPUT_COST
        for _ in range(6)
    ]
    for c in cases[::5]:  # some saturated ones: large weights
        c["weights"] = [(np.array(w) * 8).tolist() for w in c["weights"]]
    out = []
    for c in cases:
        net = network(c)
        y = np.array(c["y"])
        r = net.backward(np.array(c["x"]), y)
        zmag, dmag = magnitudes(net, r, y)
        layers = []
        for ell in range(1, net.L + 1):
            a_prev = np.abs(r.trace.a[ell - 1])
            layers.append({
                "z": [flat(r.trace.z[ell]), flat(zmag[ell])],
                "a": [flat(r.trace.a[ell]), flat(zmag[ell] + 1)],
                "delta": [flat(r.delta[ell]), flat(dmag[ell])],
                "gb": [flat(r.grad_b[ell]), flat(dmag[ell])],
                "gW": [flat(r.grad_W[ell]), flat(dmag[ell] @ a_prev.T)],
            })  # fmt: skip
        out.append({"case": c, "cost": float(r.cost), "layers": layers})
    return out


def refusal_cases():
    """Networks the core refuses, and one it accepts; the front end must agree."""
    rng = np.random.default_rng(5)
    good = random_case(rng, "sigmoid", "softmax", "cross_entropy")
    bad = [
        {**good, "output_activation": "relu"},  # CE needs sigmoid/softmax
        {**good, "y": [1.5, *good["y"][1:]]},  # CE target outside [0, 1]
        {**good, "y": [0.0] * len(good["y"])},  # softmax+CE targets must sum to 1
        {**good, "activation": "softmax"},  # softmax only on the output
    ]
    one_out = random_case(rng, "tanh", "sigmoid", "quadratic")
    one_out["weights"][-1] = one_out["weights"][-1][:1]
    one_out["biases"][-1] = one_out["biases"][-1][:1]
    one_out["y"] = one_out["y"][:1]
    bad.append({**one_out, "output_activation": "softmax"})  # softmax over 1 unit
    out = []
    for c in [good, *bad]:
        try:
            network(c).backward(np.array(c["x"]), np.array(c["y"]))
            refused = False
        except ValueError:
            refused = True
        out.append({"case": c, "core_refuses": refused})
    return out


def narrowed_spec_cases():
    """A relu network and a cross-entropy one, and a spec that offers neither."""
    rng = np.random.default_rng(3)
    narrow = json.loads(json.dumps(SPEC))
    narrow["hidden_activations"].remove("relu")
    del narrow["costs"]["cross_entropy"]
    relu = random_case(rng, "relu", "sigmoid", "quadratic")
    n1 = len(relu["biases"][0])
    relu["weights"] = [relu["weights"][0], np.ones((1, n1)).tolist()]
    relu["biases"] = [relu["biases"][0], [0.0]]
    relu["y"] = [0.5]
    ce = random_case(rng, "tanh", "sigmoid", "cross_entropy")
    return {"narrow": narrow, "relu": relu, "cross_entropy": ce}


def training_cases():
    """Mini-batch SGD with the core: 16 random architectures with one sigmoid
    output on 2-D data (labels 0/1), and 4 with a softmax output over three
    classes (one-hot targets); batches drawn here, every step's cost and the final
    parameters recorded."""
    rng = np.random.default_rng(77)
    out = []
    for t in range(20):
        three = t >= 16
        L = int(rng.integers(1, 5))
        n_out = 3 if three else 1
        sizes = [2, *(int(v) for v in rng.integers(1, 7, size=L - 1)), n_out]
        m = 60
        X = rng.normal(0, 1, (m, 2))
        if three:
            labels = (np.arctan2(X[:, 1], X[:, 0]) // (2 * np.pi / 3)).astype(int) % 3
            Y = np.eye(3)[labels].tolist()
        else:
            rule = t % 4
            labels = [X[:, 0] + X[:, 1] > 0, X[:, 0] * X[:, 1] > 0,
                      np.hypot(X[:, 0], X[:, 1]) < 1, X[:, 0] > 0.3][rule]  # fmt: skip
            Y = labels.astype(int).tolist()
        c = {
            "weights": [rng.normal(0, sizes[i] ** -0.5, (sizes[i + 1], sizes[i]))
                        .tolist() for i in range(L)],
            "biases": [rng.normal(0, 1, sizes[i + 1]).tolist() for i in range(L)],
            "activation": HIDDEN[t % len(HIDDEN)] if not three else HIDDEN[t % 3],
            "output_activation": "softmax" if three else "sigmoid",
            "cost_name": "cross_entropy" if three
                         else ["quadratic", "cross_entropy"][t % 2],
            "X": X.tolist(),
            "Y": Y,
            "eta": float(rng.uniform(0.05, 0.6)),
        }  # fmt: skip
        batch = int(rng.choice([1, 7, 16, 60]))
        batches = []
        for _ in range(2):  # two epochs
            order = rng.permutation(m)
            batches += [order[s : s + batch].tolist() for s in range(0, m, batch)]
        net = network(c)
        Xc = X.T
        Yc = np.array(Y, dtype=float).reshape(m, -1).T
        aL = net.forward(Xc).a[-1]
        predicted = aL.argmax(axis=0) if three else (aL[0] >= 0.5).astype(int)
        before = {
            "cost": float(net.mean_cost(Xc, Yc)),
            "right": int(np.sum(predicted == np.asarray(labels, dtype=int))),
        }
        costs = [float(net.sgd_step(Xc[:, idx], Yc[:, idx], c["eta"]).cost)
                 for idx in batches]  # fmt: skip
        out.append({
            "case": c,
            "batches": batches,
            "costs": costs,
            "before": before,
            "weights": [net.W[ell].tolist() for ell in range(1, net.L + 1)],
            "biases": [flat(net.b[ell]) for ell in range(1, net.L + 1)],
        })  # fmt: skip
    return out


def multiclass_training_cases():
    """The playground's three-class training step (softmax output, cross-entropy:
    the spec's ``multiclass`` choice) against ``Network.sgd_step``: 30 random
    architectures, data sets (blobs at random centres, angular sectors, random
    labels) and batch sizes; every step's cost and the final parameters recorded."""
    rng = np.random.default_rng(303)
    multi = SPEC["multiclass"]
    K = 3
    out = []
    for t in range(30):
        L = int(rng.integers(1, 5))
        sizes = [2, *(int(v) for v in rng.integers(1, 7, size=L - 1)), K]
        m = int(rng.integers(5, 80))
        kind = t % 3
        if kind == 0:  # blobs around random centres
            labels = rng.integers(0, K, m)
            centres = rng.normal(0, 1, (K, 2))
            X = centres[labels] + rng.normal(0, 0.4, (m, 2))
        elif kind == 1:  # angular sectors
            X = rng.uniform(-1.5, 1.5, (m, 2))
            labels = (np.arctan2(X[:, 1], X[:, 0]) + np.pi) * K // (2 * np.pi)
            labels = np.minimum(labels.astype(int), K - 1)
        else:  # random labels: nothing to learn, the arithmetic must still agree
            X = rng.normal(0, 1, (m, 2))
            labels = rng.integers(0, K, m)
        Y = np.eye(K)[labels]
        c = {
            "weights": [rng.normal(0, sizes[i] ** -0.5, (sizes[i + 1], sizes[i]))
                        .tolist() for i in range(L)],
            "biases": [rng.normal(0, 1, sizes[i + 1]).tolist() for i in range(L)],
            "activation": HIDDEN[int(rng.integers(len(HIDDEN)))],
            "output_activation": multi["output_activation"],
            "cost_name": multi["cost_name"],
            "X": X.tolist(),
            "Y": Y.tolist(),
            "labels": labels.tolist(),
            "eta": float(rng.uniform(0.05, 1.0)),
        }  # fmt: skip
        batch = int(rng.integers(1, m + 1))
        batches = []
        for _ in range(3):  # three epochs
            order = rng.permutation(m)
            batches += [order[s : s + batch].tolist() for s in range(0, m, batch)]
        net = network(c)
        Xc, Yc = X.T, Y.T
        before = {
            "cost": float(net.mean_cost(Xc, Yc)),
            "right": int(np.sum(net.forward(Xc).a[-1].argmax(axis=0) == labels)),
        }
        costs = [float(net.sgd_step(Xc[:, idx], Yc[:, idx], c["eta"]).cost)
                 for idx in batches]  # fmt: skip
        out.append({
            "case": c,
            "batch": batch,
            "batches": batches,
            "costs": costs,
            "before": before,
            "weights": [net.W[ell].tolist() for ell in range(1, net.L + 1)],
            "biases": [flat(net.b[ell]) for ell in range(1, net.L + 1)],
        })  # fmt: skip
    return out


def equation_case():
    """A [2, 3, 2] sigmoid network: the numbers its layer-1, unit-2 panel shows."""
    rng = np.random.default_rng(11)
    c = random_case(rng, "sigmoid", "sigmoid", "quadratic")
    c.update(
        weights=[rng.normal(size=(3, 2)).tolist(), rng.normal(size=(2, 3)).tolist()],
        biases=[rng.normal(size=3).tolist(), rng.normal(size=2).tolist()],
        x=[0.5, -1.0],
        y=[1.0, 0.0],
    )
    net = network(c)
    r = net.backward(np.array(c["x"]), np.array(c["y"]))
    z1 = r.trace.z[1][1, 0]
    shown = [*net.W[2][:, 1], *r.delta[2][:, 0], r.delta[1][1, 0],
             bp.sigmoid_prime(z1), z1]  # fmt: skip
    return {"case": c, "shown": [float(v) for v in shown]}


def output_delta_checks():
    """For every cost and allowed output activation: is the core's δ^L = a^L − y?"""
    rng = np.random.default_rng(9)
    out = {}
    for out_act, cost in OUTPUT_COST:
        c = random_case(rng, "sigmoid", out_act, cost)
        r = network(c).backward(np.array(c["x"]), np.array(c["y"]))
        a_minus_y = r.trace.a[-1][:, 0] - np.array(c["y"])
        out[f"{cost}/{out_act}"] = bool(
            np.allclose(r.delta[-1][:, 0], a_minus_y, rtol=1e-12, atol=1e-15)
        )
    return out


def reference() -> dict:
    return {
        "spec": SPEC,
        "mirrored": {
            "activations": list(spec_module.MIRRORED_ACTIVATIONS),
            "costs": list(spec_module.MIRRORED_COSTS),
        },
        "arithmetic": arithmetic_cases(),
        "refusals": refusal_cases(),
        "narrowed": narrowed_spec_cases(),
        "training": training_cases(),
        "multiclass_training": multiclass_training_cases(),
        "equation": equation_case(),
        "output_delta_is_a_minus_y": output_delta_checks(),
    }


if __name__ == "__main__":
    text = json.dumps(reference())
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
