"""How long does ``backprop_lib.symbolic.check_all()`` take? Target: under 10 s.

Run it with ``python benchmarks/bench_symbolic.py``. Not part of the test suite:
timings depend on the machine and on what else runs on it. Each round runs in a fresh
Python process, so that nothing is cached (the checks cache the whole networks they
differentiate within one process); the time includes importing SymPy. What it prints:

* per round, the wall time of ``import`` + ``check_all()`` and of ``check_all()``
  alone, and the ratio of the latter to the 10 s target;
* for the last round, the time of each check;
* for contrast, the time of differentiating one fully expanded network of width 4
  at growing depth with a generic activation, the approach the proofs avoid
  (``--expanded``, slow: about 7x per added layer).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

TARGET_SECONDS = 10.0

_ROUND = r"""
import json, time
t0 = time.perf_counter()
from backprop_lib import symbolic as S
t1 = time.perf_counter()
report = S.check_all()
t2 = time.perf_counter()
print(json.dumps({
    "import": t1 - t0,
    "check_all": t2 - t1,
    "passed": report.passed,
    "per_check": {k: r.seconds for k, r in report.items()},
}))
"""

_EXPANDED = r"""
import sys, time
from backprop_lib import symbolic as S
sizes = [4] * int(sys.argv[1])
net = S.symbolic_network(sizes)
t0 = time.perf_counter()
for w in net.W[1]:
    import sympy as sp
    sp.diff(net.C, w)
print(time.perf_counter() - t0)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--expanded", action="store_true")
    args = parser.parse_args()
    results = []
    for i in range(args.rounds):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", _ROUND], capture_output=True, text=True, check=True
        )
        wall = time.perf_counter() - start
        r = json.loads(out.stdout)
        results.append(r)
        print(
            f"round {i + 1}: process {wall:5.2f} s, import {r['import']:4.2f} s, "
            f"check_all {r['check_all']:5.2f} s "
            f"(ratio to the {TARGET_SECONDS:.0f} s target: "
            f"{r['check_all'] / TARGET_SECONDS:.2f}), all passed: {r['passed']}"
        )
    median = statistics.median(r["check_all"] for r in results)
    print(
        f"median check_all: {median:.2f} s; "
        f"ratio to target {median / TARGET_SECONDS:.2f}"
    )
    print("per check (last round):")
    for name, seconds in results[-1]["per_check"].items():
        print(f"  {name:24s} {seconds:6.3f} s")
    if args.expanded:
        print("differentiating the expanded network w.r.t. every W[1] weight, width 4:")
        for depth in (2, 3, 4):
            out = subprocess.run(
                [sys.executable, "-c", _EXPANDED, str(depth)],
                capture_output=True,
                text=True,
                check=True,
            )
            print(f"  {depth} layers: {float(out.stdout):.2f} s")


if __name__ == "__main__":
    main()
