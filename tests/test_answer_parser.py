"""The answer grammar is read alike by Python (parse_answer) and by the page's
JavaScript (answer_parser.js): one corpus, the same verdicts, the same values."""

from __future__ import annotations

import json
import math
import random
import subprocess
from pathlib import Path

import pytest
import sympy as sp

from backprop_lib import _answer_grammar as G
from backprop_lib import symbolic as S
from backprop_lib.symbolic.sampling import _draw_params, _evaluate, _stand_ins

from .conftest import node_binary

ROOT = Path(__file__).resolve().parents[1]
CORPUS = json.loads((ROOT / "tests" / "answer_corpus.json").read_text("utf-8"))
NAMES = ["a", "y", "z", "w", "p", "q", "a_1", "a_2", "z_2", "y_2", "w2_11", "dC_da3"]
SYMS = {n: sp.Symbol(n) for n in NAMES}
# random strings over the grammar's alphabet, to find disagreements nobody wrote down
ALPHABET = "ayzw_12+-*/^().e' σexplnsigmtah,"


def _random_strings(n=400, seed=0):
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 14)))
            for _ in range(n)]  # fmt: skip


def _python_verdict(text, point_values, stand):
    try:
        expr = S.parse_answer(text, SYMS)
    except S.AnswerError as err:
        return {"text": text, "code": err.code, "position": err.position, "value": None}
    try:
        value = _evaluate(expr, stand, point_values)
    except (ArithmeticError, TypeError):
        value = None  # not finite at this point: only the verdict is compared
    return {"text": text, "code": "ok", "position": None, "value": value}


def test_the_corpus_is_classified_as_written():
    for text in CORPUS["accepted"]:
        S.parse_answer(text, SYMS)
    for text in CORPUS["refused"]:
        with pytest.raises(S.AnswerError):
            S.parse_answer(text, SYMS)


def test_python_and_javascript_parsers_agree(tmp_path):
    rng = random.Random(1)
    values = {SYMS[n]: rng.uniform(0.1, 0.9) for n in NAMES}
    params = {"sigma": _draw_params(rng)}
    stand = _stand_ins({"sigma": (S.sigma, S.sigma_prime)}, params)
    texts = CORPUS["accepted"] + CORPUS["refused"] + _random_strings()
    cases = [_python_verdict(t, values, stand) for t in texts]
    assert sum(c["code"] == "ok" for c in cases) > 40
    assert len({c["code"] for c in cases}) >= 10  # many kinds of refusal
    data = {
        "grammar": G.grammar(),
        "names": NAMES,
        "functions": G.function_table(),
        "point": {"values": {s.name: v for s, v in values.items()}, "params": params},
        "cases": [
            {
                **c,
                "value": c["value"]
                if c["value"] is None or math.isfinite(c["value"])
                else None,
            }
            for c in cases
        ],
    }
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    proc = subprocess.run(
        [node_binary(), "--test", str(ROOT / "tests/js/answers/parser.test.mjs")],
        env={"ANSWER_CORPUS": str(path), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# pass 3" in proc.stdout, proc.stdout[-2000:]


def test_default_functions_come_from_the_grammar():
    assert set(S.DEFAULT_FUNCTIONS) == set(G.FUNCTIONS)
    kinds = S.answers.function_kinds()
    assert {n: k for n, (k, _) in kinds.items()} == {
        n: k for n, (k, _) in G.FUNCTIONS.items()
    }
