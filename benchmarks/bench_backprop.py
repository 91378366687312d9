"""How fast is ``Network.backward``? Ratios against three references, in one run.

Run it with ``make bench`` (or ``python benchmarks/bench_backprop.py``). Not part of the
test suite: timings depend on the machine and on what else runs on it. What it prints:

(a) sizes [784, 30, 10], batch 10: ``backward`` against a per-example loop written in
    the style of Nielsen's ``network.py`` (``backprop`` per example, gradients summed
    as in ``update_mini_batch``). Target: ``backward`` at least 10x faster.
(b) sizes [784, 256, 256, 10], batch 128: ``backward`` against the bare matrix
    multiplies of the same shapes (forward W a, backward W^T δ and δ a^T, into
    preallocated outputs): the floor no implementation of BP1-BP4 can beat with these
    BLAS calls. Targets: ``backward(reuse=True)`` (what ``train`` runs) at most
    1.15x the floor, ``backward`` (fresh result arrays) at most 1.25x. Also the peak
    memory of one
    ``backward`` (tracemalloc) against the bytes of what it returns (z, a, δ, the
    gradients and the per-example costs). Target: at most 1.5x.
(c) PyTorch CPU autograd (forward, mean cost, ``.backward()``), float64 and float32,
    at both sizes, if ``import torch`` works; skipped otherwise. Target: faster than
    PyTorch in float64.

Every contender computes the same thing: the forward pass, the quadratic cost of a
sigmoid network, and the gradient of the mean cost with respect to every weight and
bias. Timings are medians over interleaved rounds (A B C A B C ...), so that load from
other processes hits all contenders alike; a ratio is the median of the per-round
ratios. BLAS (and PyTorch) run single-threaded.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

import backprop_lib as bp  # noqa: E402

try:  # belt and braces: also cap BLAS threads if numpy was loaded earlier
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
except ImportError:  # pragma: no cover
    pass


# --------------------------------------------------------------------------- (a)
def nielsen_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def nielsen_sigmoid_prime(z):
    return nielsen_sigmoid(z) * (1 - nielsen_sigmoid(z))


class NielsenLoop:
    """The per-example backprop of Nielsen's ``network.py``, in its own style.

    ``weights[i]``/``biases[i]`` are layers 1..L (Nielsen counts from 0); a mini-batch
    is a list of ``(x, y)`` column pairs. ``gradient`` returns the gradient of the
    mean quadratic cost, summing per-example gradients like ``update_mini_batch``.
    """

    def __init__(self, weights, biases):
        self.weights = weights
        self.biases = biases

    def backprop(self, x, y):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation = x
        activations = [x]
        zs = []
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = nielsen_sigmoid(z)
            activations.append(activation)
        delta = (activations[-1] - y) * nielsen_sigmoid_prime(zs[-1])
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        for ell in range(2, len(self.weights) + 1):
            z = zs[-ell]
            sp = nielsen_sigmoid_prime(z)
            delta = np.dot(self.weights[-ell + 1].transpose(), delta) * sp
            nabla_b[-ell] = delta
            nabla_w[-ell] = np.dot(delta, activations[-ell - 1].transpose())
        return (nabla_b, nabla_w)

    def gradient(self, mini_batch):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        m = len(mini_batch)
        return [nb / m for nb in nabla_b], [nw / m for nw in nabla_w]


# --------------------------------------------------------------------------- (b)
class MatmulFloor:
    """Only the matrix multiplies of one forward+backward pass, into fixed buffers."""

    def __init__(self, net, X):
        self.W = net.W
        m = X.shape[1]
        L = net.L
        dt = net.dtype
        self.a = [X] + [np.ones((n, m), dt) / n for n in net.sizes[1:]]
        self.z = [None] + [np.empty((n, m), dt) for n in net.sizes[1:]]
        self.d = [None] + [np.ones((n, m), dt) / n for n in net.sizes[1:]]
        self.g = [None] + [np.empty_like(net.W[ell]) for ell in range(1, L + 1)]
        self.L = L

    def run(self):
        W, a, z, d, g = self.W, self.a, self.z, self.d, self.g
        for ell in range(1, self.L + 1):  # forward: z = W a
            np.matmul(W[ell], a[ell - 1], out=z[ell])
        for ell in range(self.L - 1, 0, -1):  # BP2: W^T δ
            np.matmul(W[ell + 1].T, d[ell + 1], out=z[ell])
        for ell in range(1, self.L + 1):  # BP4: δ a^T
            np.matmul(d[ell], a[ell - 1].T, out=g[ell])

    def run_allocating(self):
        """The same products written plainly (``W @ a``), each into a new array that
        lives until the end of the call, as the arrays of a returned result do."""
        W, a, d = self.W, self.a, self.d
        kept = [W[ell] @ a[ell - 1] for ell in range(1, self.L + 1)]
        kept += [W[ell + 1].T @ d[ell + 1] for ell in range(self.L - 1, 0, -1)]
        kept += [d[ell] @ a[ell - 1].T for ell in range(1, self.L + 1)]
        return kept


# --------------------------------------------------------------------------- (c)
def torch_contender(net, X, Y):
    """PyTorch CPU autograd doing the same work, in the same dtype; None if absent."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    W = [None] + [
        torch.tensor(net.W[ell], requires_grad=True) for ell in range(1, net.L + 1)
    ]
    b = [None] + [
        torch.tensor(net.b[ell], requires_grad=True) for ell in range(1, net.L + 1)
    ]
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    params = W[1:] + b[1:]

    def run():
        for p in params:
            p.grad = None
        a = Xt
        for ell in range(1, net.L + 1):
            a = torch.sigmoid(torch.addmm(b[ell], W[ell], a))
        cost = 0.5 * ((a - Yt) ** 2).sum(dim=0).mean()
        cost.backward()
        return cost.detach(), [p.grad for p in W[1:]], [p.grad for p in b[1:]]

    return run


# --------------------------------------------------------------------------- timing
CLOCK = time.perf_counter  # --cpu: time.process_time


def time_per_call(fn, number):
    t0 = CLOCK()
    for _ in range(number):
        fn()
    return (CLOCK() - t0) / number


def interleaved(contenders, rounds, number):
    """Median seconds per call of each contender, and per-round times."""
    for fn in contenders.values():  # warm up
        time_per_call(fn, max(1, number // 4))
    times = {k: [] for k in contenders}
    for _ in range(rounds):
        for k, fn in contenders.items():
            times[k].append(time_per_call(fn, number))
    return times


def ratio(times, num, den):
    """Median over the rounds of the per-round ratio num/den."""
    return statistics.median(a / b for a, b in zip(times[num], times[den]))


def spread(times, num, den):
    """Quartiles of the per-round ratios, and the ratio of the best times."""
    ratios = sorted(a / b for a, b in zip(times[num], times[den]))
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    best = min(times[num]) / min(times[den])
    return f"quartiles {q1:.3g}–{q3:.3g}, ratio of the best times {best:.3g}x"


def fmt_us(seconds):
    return f"{seconds * 1e6:9.1f} µs"


def problem(sizes, m, dtype, seed=0):
    rng = np.random.default_rng(seed)
    net = bp.Network(sizes, activation="sigmoid", cost="quadratic", seed=1, dtype=dtype)
    X = rng.random((sizes[0], m)).astype(dtype)
    Y = np.eye(sizes[-1], dtype=dtype)[:, rng.integers(0, sizes[-1], m)]
    return net, X, Y


def rel(a, b):
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def max_grad_error(r1, r2, L):
    return max(
        max(rel(r1.grad_W[ell], r2.grad_W[ell]), rel(r1.grad_b[ell], r2.grad_b[ell]))
        for ell in range(1, L + 1)
    )


# --------------------------------------------------------------------------- main
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21, help="interleaved rounds")
    parser.add_argument("--quick", action="store_true", help="few rounds (smoke run)")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time the CPU this process uses (user + system, page faults included)"
        " instead of the wall clock: steadier on a machine other jobs load",
    )
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else args.rounds
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    verdicts = []

    print(
        f"numpy {np.__version__}, backprop_lib {bp.__version__}; medians of {rounds}"
        " interleaved rounds, single-threaded BLAS\n"
    )

    # (a) ---------------------------------------------------------------------
    net, X, Y = problem([784, 30, 10], 10, np.float64)
    loop = NielsenLoop(net.W[1:], net.b[1:])
    batch = [(X[:, [i]], Y[:, [i]]) for i in range(X.shape[1])]
    gb, gw = loop.gradient(batch)
    r = net.backward(X, Y)
    assert max(rel(gw[i], r.grad_W[i + 1]) for i in range(net.L)) < 1e-12
    assert max(rel(gb[i], r.grad_b[i + 1]) for i in range(net.L)) < 1e-12
    t = interleaved(
        {"backward": lambda: net.backward(X, Y), "loop": lambda: loop.gradient(batch)},
        rounds,
        100,
    )
    ra = ratio(t, "loop", "backward")
    print("(a) [784, 30, 10], batch 10, float64")
    print(f"    backward            {fmt_us(statistics.median(t['backward']))}")
    print(f"    Nielsen-style loop  {fmt_us(statistics.median(t['loop']))}")
    print(f"    loop / backward = {ra:.1f}x   (target >= 10x)")
    print(f"    ({spread(t, 'loop', 'backward')})\n")
    verdicts.append(("(a) loop / backward >= 10", ra, ra >= 10))

    # (b) ---------------------------------------------------------------------
    net, X, Y = problem([784, 256, 256, 10], 128, np.float64)
    floor = MatmulFloor(net, X)
    t = interleaved(
        {
            "backward": lambda: net.backward(X, Y),
            "reuse": lambda: net.backward(X, Y, reuse=True),
            "floor": floor.run,
            "floor_alloc": floor.run_allocating,
        },
        2 * rounds,
        5,
    )
    rb = ratio(t, "backward", "floor")
    rr = ratio(t, "reuse", "floor")
    ra_alloc = ratio(t, "backward", "floor_alloc")
    print("(b) [784, 256, 256, 10], batch 128, float64")
    print(f"    backward            {fmt_us(statistics.median(t['backward']))}")
    print(f"    backward(reuse=True){fmt_us(statistics.median(t['reuse']))}")
    print(f"    bare matmuls        {fmt_us(statistics.median(t['floor']))}")
    print(f"    bare matmuls, new arrays {fmt_us(statistics.median(t['floor_alloc']))}")
    print(f"    backward / floor = {rb:.3f}x   (target <= 1.25x; fresh result arrays)")
    print(
        f"    backward(reuse=True) / floor = {rr:.3f}x   (target <= 1.15x; what"
        " train() runs)"
    )
    print(
        f"    backward / matmuls into new arrays = {ra_alloc:.3f}x   (both pay for"
        " fresh memory)"
    )
    print(f"    ({spread(t, 'backward', 'floor')})")
    verdicts.append(("(b) backward / matmul floor <= 1.25", rb, rb <= 1.25))
    verdicts.append(("(b) backward(reuse=True) / floor <= 1.15", rr, rr <= 1.15))

    # Memory: a backward allocates everything it returns (with reuse=True, only the
    # first call does).
    fresh = net.copy()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    r = fresh.backward(X, Y)
    _, peak = tracemalloc.get_traced_memory()
    held = r.costs.nbytes + sum(
        arr.nbytes
        for ell in range(1, net.L + 1)
        for arr in (
            r.trace.z[ell],
            r.trace.a[ell],
            r.delta[ell],
            r.grad_W[ell],
            r.grad_b[ell],
        )
    )
    del r
    tracemalloc.reset_peak()
    before2, _ = tracemalloc.get_traced_memory()
    r = fresh.backward(X, Y, reuse=True)
    r = fresh.backward(X, Y, reuse=True)
    _, peak2 = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del r
    rm = (peak - before) / held
    print(
        f"    peak memory of one backward (fresh network) {(peak - before) / 1e6:.2f}"
        f" MB; it returns z, a, δ, gradients, costs: {held / 1e6:.2f} MB;"
        f" ratio {rm:.2f}x   (target <= 1.5x)"
    )
    print(
        "    two calls with reuse=True allocate "
        f"{(peak2 - before2) / 1e6:.2f} MB at their peak (the workspace)\n"
    )
    verdicts.append(("(b) peak memory / returned arrays <= 1.5", rm, rm <= 1.5))

    # (d) finite differences against backprop, as chapters/digits.md counts them
    net, X, Y = problem([64, 30, 10], 200, np.float64)
    t = interleaved(
        {
            "backward": lambda: net.backward(X, Y),
            "fd": lambda: bp.numerical_gradient(net, X, Y),
        },
        max(3, rounds // 7),
        1,
    )
    rd = ratio(t, "fd", "backward")
    counted = bp.multiply_adds(net.sizes)
    print("(d) [64, 30, 10], 200 examples, float64: one whole gradient")
    print(f"    backward            {fmt_us(statistics.median(t['backward']))}")
    print(f"    finite differences  {statistics.median(t['fd']):.3f} s")
    print(
        f"    finite differences / backward = {rd:,.0f}x measured; "
        f"{counted.finite_differences / counted.total:,.0f}x counted "
        "(bp.multiply_adds, multiply-adds)\n"
    )

    # float32 accuracy -------------------------------------------------------
    print(
        "float32 against float64 (same weights and data), relative error ‖g32 − g64‖"
        " / (‖g32‖ + ‖g64‖), worst parameter array:"
    )
    for sizes, m in (([784, 30, 10], 10), ([784, 256, 256, 10], 128)):
        net64, X64, Y64 = problem(sizes, m, np.float64)
        net32 = net64.copy(dtype=np.float32)
        err = max_grad_error(
            net32.backward(X64, Y64), net64.backward(X64, Y64), net64.L
        )
        print(f"    {sizes}, batch {m}: {err:.1e}")
    print()

    # (c) ---------------------------------------------------------------------
    for sizes, m, number in (([784, 30, 10], 10, 100), ([784, 256, 256, 10], 128, 5)):
        for dtype in (np.float64, np.float32):
            net, X, Y = problem(sizes, m, dtype)
            run_torch = torch_contender(net, X, Y)
            if run_torch is None:
                print("(c) PyTorch is not installed: skipped")
                break
            cost, gW, gb = run_torch()
            r = net.backward(X, Y)
            tol = 1e-12 if dtype == np.float64 else 1e-5
            assert abs(cost.item() - r.cost) <= tol * 10 * abs(r.cost)
            assert max(rel(gW[i].numpy(), r.grad_W[i + 1]) for i in range(net.L)) < tol
            t = interleaved(
                {
                    "backward": lambda n=net, x=X, y=Y: n.backward(x, y),
                    "torch": run_torch,
                },
                rounds,
                number,
            )
            rc = ratio(t, "torch", "backward")
            name = np.dtype(dtype).name
            print(f"(c) {sizes}, batch {m}, {name}")
            print(f"    backward            {fmt_us(statistics.median(t['backward']))}")
            print(f"    PyTorch autograd    {fmt_us(statistics.median(t['torch']))}")
            target = "   (target > 1x)" if dtype == np.float64 else ""
            print(f"    torch / backward = {rc:.2f}x{target}")
            print(f"    ({spread(t, 'torch', 'backward')})\n")
            if dtype == np.float64:
                verdicts.append(
                    (f"(c) torch / backward > 1, {sizes} {name}", rc, rc > 1)
                )
        else:
            continue
        break

    print("Targets:")
    for what, value, ok in verdicts:
        print(f"    {'met   ' if ok else 'MISSED'}  {what}: {value:.3g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
