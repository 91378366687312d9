"""The answer box (backprop_lib.answer_box): its Python side, its self-check when it
is built, and its judge (answer_parser.js, run by Node) against the kernel's path on
the same answers. The boxes of the book's pages are tested in Chromium in
tests/test_answers_browser.py."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from backprop_lib import answer_box as AB
from backprop_lib import symbolic as S
from backprop_lib.answer_box import AnswerBox, answer_box

from .conftest import node_binary

ROOT = Path(__file__).resolve().parents[1]
z_1, z_2, p, q = sp.symbols("z_1 z_2 p q")
TWO_PATHS = {"z_1": z_1, "z_2": z_2, "p": p, "q": q}


def two_paths_box(**kwargs):
    args = {
        "label": "∂C/∂z₁ =",
        "solution": "p*z_2 + q",
        "equivalent": ["q + z_2*p"],
        "tempting": {"2*p*z_2": "two paths, not two copies."},
    }
    return answer_box("ex-two-paths", p * z_2 + q, TWO_PATHS, **{**args, **kwargs})


def softmax_box():
    a1 = sp.exp(z_1) / (sp.exp(z_1) + sp.exp(z_2))
    a2 = 1 - a1
    return answer_box(
        "ex-softmax", sp.diff(a1, z_2), {"a_1": a1, "a_2": a2}, label="∂a₁/∂z₂ =",
        solution="-a_1*a_2", equivalent=["a_1*(a_1 - 1)"],
        tempting={"0": "full Jacobian.", "a_1*a_2": "the sign."},
    )  # fmt: skip


def sigma_box():
    z = sp.symbols("z_1:4")
    y = sp.symbols("y_1:4")
    a = [S.sigma(zk) for zk in z]
    C = sum((ak - yk) ** 2 for ak, yk in zip(a, y)) / 2
    return answer_box(
        "ex-sigma", sp.diff(C, z[1]), {"a_2": a[1], "y_2": y[1], "z_2": z[1]},
        label="∂C/∂z₂ =", solution="(a_2 - y_2)*sigma'(z_2)",
        equivalent=["sigma'(z_2)*(sigma(z_2) - y_2)"],
        tempting={"3*(a_2 - y_2)*sigma'(z_2)": "k copies."},
    )  # fmt: skip


def number_box():
    return answer_box(
        "ex-number", sp.Rational("0.046958916745"), label="δ =", digits=4,
        solution="0.04696", equivalent=["0.251365070*0.186815602"],
        tempting={"0.251365070": "the slope is missing."},
    )  # fmt: skip


def test_the_box_checks_its_own_exercise_when_built():
    box = two_paths_box()
    kinds = [(e["kind"], e["verdict"]) for e in box.examples]
    assert kinds == [
        ("solution", "right"),
        ("equivalent", "right"),
        ("tempting", "wrong"),
        ("unknown", "unreadable"),
        ("syntax", "unreadable"),
    ]
    with pytest.raises(ValueError, match="solution answer '2\\*p\\*z_2' is wrong"):
        two_paths_box(solution="2*p*z_2", tempting={})
    with pytest.raises(ValueError, match="equals the expected one"):
        two_paths_box(tempting={"z_2*p + q": "not tempting at all."})
    with pytest.raises(ValueError, match=r"cannot read|Could not read"):
        two_paths_box(tempting={"p +* q": "unreadable."})
    with pytest.raises(ValueError, match="needs a one-sentence hint"):
        two_paths_box(tempting={"p": ""})
    with pytest.raises(ValueError, match="label must be a non-empty string"):
        two_paths_box(label="")
    with pytest.raises(ValueError, match="digits must be an integer from 1 to 15"):
        two_paths_box(digits=0)


def test_kernel_verdicts_and_hints():
    box = two_paths_box()
    assert box.check("q + p*z_2")[0] == "right"
    assert box.check("2*p*z_2") == ("wrong", "two paths, not two copies.")
    assert box.check("q")[0] == "wrong"
    verdict, message = box.check("r + 1")
    assert verdict == "unreadable" and "unknown name 'r'" in message
    assert box.verdict == "" and box.answer == ""  # nothing judged before a check
    nb = number_box()
    assert nb.check("0.04696")[0] == "right"  # 4 significant digits
    assert nb.check("0.0470")[0] == "wrong"
    assert nb.check("0.2514") == ("wrong", "the slope is missing.")


def test_the_page_receives_grammar_points_and_no_python_objects():
    box = sigma_box()
    spec = box.spec
    json.dumps(spec)  # plain data
    assert spec["grammar"]["max_length"] == S.MAX_ANSWER_LENGTH
    assert spec["mode"] == "expression" and len(spec["points"]) == 8
    assert set(spec["points"][0]["params"]) == {"sigma"}
    assert spec["needs"] == {"y_2": True}
    assert "Symbols: a_2, y_2, z_2" in box.hint
    assert number_box().spec["mode"] == "number"
    assert number_box().spec["rtol"] == pytest.approx(5e-4)


def test_the_front_end_is_one_module_with_the_parser_inlined():
    esm = AnswerBox._esm
    assert "export function judge" in esm and "export default" in esm
    assert "import {" not in esm
    assert "eval(" not in esm and "Function(" not in esm
    assert "innerHTML" not in esm


def test_the_page_and_the_kernel_agree(tmp_path):
    """The judge the page runs (answer_parser.js, in Node) and the kernel's path
    (box.check: parse_answer + answer_matches) give the same verdict on each box's
    examples and on other right, wrong and unreadable answers."""
    extra = {
        "ex-two-paths": ["p*z_2 + q + 0", "(p*z_2^2 + q*z_2)/z_2", "p*z_2", "q", "p +",
                         "constructor", "__proto__", "9^9^9^9", "(" * 30, "a" * 10_000,
                         "<b>p</b>", "p*z_2 + q + 1e-3"],
        "ex-softmax": ["-a_1*(1 - a_1)", "a_1^2 - a_1", "-a_2*(1 - a_2)", "a_1", "1"],
        "ex-sigma": ["(sigma(z_2) - y_2)*sigma'(z_2)", "(a_2 - y_2)*a_2*(1 - a_2)",
                     "(a_2 - y_2)*sigma(z_2)", "a_2*sigma'(z_2)"],
        "ex-number": ["0.0469589", "0.047", "4.696e-2", "-0.04696", "1/0", "x"],
    }  # fmt: skip
    boxes = [two_paths_box(), softmax_box(), sigma_box(), number_box()]
    cases = []
    for box in boxes:
        texts = [e["text"] for e in box.examples] + extra[box.exercise]
        cases.append({"spec": box.spec, "texts": texts})
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    proc = subprocess.run(
        [node_binary(), str(ROOT / "tests" / "js" / "judge_cli.mjs"), str(path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    page = json.loads(proc.stdout)
    disagree = []
    for box, case, verdicts in zip(boxes, cases, page):
        for text, (verdict, message) in zip(case["texts"], verdicts):
            kernel, hint = box.check(text)
            if verdict != kernel:
                disagree.append((box.exercise, text[:40], kernel, verdict, message))
            if kernel == "wrong" and hint in {t["hint"] for t in box.spec["tempting"]}:
                assert hint in message, (text, message)
    assert disagree == []


def test_the_layering_rule():
    """Only the widget modules import ipywidgets/anywidget, only `symbolic` imports
    SymPy; the core imports neither (tests/test_errors.py checks sys.modules)."""
    widget_modules = {"widgets.py", "answer_box.py"}
    for path in sorted((ROOT / "backprop_lib").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        }
        rel = path.relative_to(ROOT / "backprop_lib")
        if imported & {"anywidget", "ipywidgets", "traitlets"}:
            assert rel.name in widget_modules and len(rel.parts) == 1, rel
        if "sympy" in imported:
            assert rel.parts[0] == "symbolic", rel


def test_importing_the_answer_box_leaves_sympy_until_a_box_is_built():
    code = "import sys, backprop_lib.answer_box\nprint('sympy' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_the_grammar_module_needs_only_the_standard_library():
    for name in ("_answer_grammar.py", "_answer_parser.py"):
        tree = ast.parse((ROOT / "backprop_lib" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert node.module.split(".")[0] in sys.stdlib_module_names | {
                    "__future__"
                }, (name, node.module)
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] in sys.stdlib_module_names


def test_answer_box_is_documented_in_the_module():
    assert "answer_box(" in AB.__doc__ and "box.verdict" in AB.__doc__
