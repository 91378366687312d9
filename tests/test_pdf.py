"""The whole book as one PDF (`make pdf`), read back with poppler's pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser

import pytest

from .conftest import source_of, toc_files

pytestmark = [pytest.mark.book, pytest.mark.browser]

# TeX that MathJax should have typeset
RAW_TEX = re.compile(r"\\frac|\\partial|\\delta|\$\$|\\\(|\\\[")


def pdf_text(pdf) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext not found: run `make chromium` (apt: poppler-utils)")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # MathJax's fonts give math italic letters (U+1D44E ...): read them as letters
    return unicodedata.normalize("NFKC", out)


# Sphinx's smart quotes print ' and " as typographic quotes
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def flat(text: str) -> str:
    """Whitespace collapsed, typographic quotes made plain."""
    return " ".join(text.translate(_QUOTES).split())


def title_of(name: str) -> str:
    """The chapter's title: the first level-1 heading of its source."""
    for line in source_of(name).read_text().splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{name} has no '# ' title")


def labelled_equations(name: str) -> int:
    """Display equations with a label (numbered): `$$ ... $$ (label)`, also inside a
    list item, and `{math}` directives with a `:label:`."""
    text = source_of(name).read_text()
    dollars = re.findall(r"^[ \t]*\$\$[ \t]*\([^)\n]+\)[ \t]*$", text, re.M)
    directives = re.findall(r"^[ \t]*[`:]{3,}\{math\}[^\n]*\n[ \t]*:label:", text, re.M)
    return len(dollars) + len(directives)


class _Pre(HTMLParser):
    """The text of the page's <pre> blocks (code and its printed output)."""

    def __init__(self):
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "pre"

    def handle_endtag(self, tag):
        self.depth -= tag == "pre" and self.depth > 0

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


@pytest.fixture(scope="module")
def text(book_pdf) -> str:
    return pdf_text(book_pdf)


def test_every_chapter_is_in_the_pdf_numbered_in_order(text):
    chapters = toc_files()[1:]
    found = flat(text)
    position = found.index("Contents")
    for number, name in enumerate(chapters, start=1):
        heading = f"Chapter {number}. {flat(title_of(name))}"
        assert heading in found, f"{name}: {heading!r} not in the PDF"
        at = found.index(heading, position)
        assert at > position, f"{name}: chapter out of order"
        position = at


def test_equations_are_numbered_and_typeset(text, book_pdf):
    """Labelled equations are numbered through the book, (1), (2), ..., each printed
    in its own chapter; the formulas are typeset (MathJax's glyphs, no TeX names)."""
    found = flat(text)
    chapters = toc_files()[1:]
    titles = [f"Chapter {i}. {flat(title_of(n))}" for i, n in enumerate(chapters, 1)]
    starts = [found.index(t, found.index("Contents") + 1) for t in titles]
    first = 1
    for i, name in enumerate(chapters):
        body = found[starts[i] : starts[i + 1] if i + 1 < len(starts) else None]
        count = labelled_equations(name)
        for number in range(first, first + count):
            assert f"({number})" in body, f"{name}: equation ({number}) not printed"
        first += count
    assert first > 1, "no numbered equation in the book"
    for symbol in ("δ", "σ", "∂"):
        assert symbol in found, f"no {symbol} in the PDF"


def test_no_raw_tex_outside_code(text, book_pdf):
    """Any TeX left in the PDF must be code or its printed output (a <pre>)."""
    page = book_pdf.parent / "_build" / "singlehtml" / "backprop-derived.html"
    parser = _Pre()
    parser.feed(page.read_text(encoding="utf-8"))
    # compared without whitespace and hyphens: a long printed line wraps where the
    # page ends, and the wrap may add or drop them
    code = re.sub(r"[\s\-\u2010\u2011\u2212]+", "", flat("".join(parser.parts)))
    raw = [
        line.strip()
        for line in text.splitlines()
        if RAW_TEX.search(line)
        and re.sub(r"[\s\-\u2010\u2011\u2212]+", "", flat(line)) not in code
    ]
    assert raw == [], f"raw TeX in the PDF's prose: {raw[:5]}"


# an exercise's body; a solution's body follows its `{solution-start}` block
_DIRECTIVE = re.compile(
    r"^```\{(exercise)\}[^\n]*\n(?P<body>.*?)(?=^```)"
    r"|^```\{(solution)-start\}[^\n]*\n.*?^```[ \t]*\n(?P<after>.*?)(?=^```)",
    re.M | re.S,
)
# math, code, roles; and what Sphinx's smart quotes rewrite (quotes, dashes, dots)
_INLINE = re.compile(r"\$[^$]*\$|`[^`]*`|\{[^}]*\}|['\"]|--|\.\.\.")


def plain_words(body: str) -> str:
    """The longest run of plain prose (no math, code or roles) in the directive's
    first paragraph, at most eight words: text the PDF must hold verbatim."""
    lines = [ln for ln in body.splitlines() if not ln.startswith(":")]
    paragraph = " ".join("\n".join(lines).strip().split("\n\n")[0].split())
    runs = [
        flat(r.replace("*", "")).strip(" ,.:;?!-") for r in _INLINE.split(paragraph)
    ]
    runs = [r for r in runs if not re.search(r"[\[\]<>|#\\]", r)]
    words = max(runs, key=lambda r: len(r.split()), default="").split()
    return " ".join(words[:8]) if len(words) >= 4 else ""


def words_only(text: str) -> str:
    """The words of two or more characters with a letter or digit in them, joined
    with no spaces or hyphens. pdftotext prints a raised or lowered math glyph from a
    nearby line (a prime, an index) as a token of its own inside the prose, and a
    word hyphenated at a line break loses its hyphen or its space."""
    words = [t for t in text.split() if len(t) > 1 and any(c.isalnum() for c in t)]
    return "".join(words).replace("-", "")


def test_every_exercise_and_its_solution_is_printed(text):
    """Solutions fold on the site (dropdowns); on paper every one is open."""
    found = flat(text)
    prose = words_only(found)
    exercises = solutions = 0
    for name in toc_files():
        for m in _DIRECTIVE.finditer(source_of(name).read_text()):
            kind = m.group(1) or m.group(3)
            exercises += kind == "exercise"
            solutions += kind == "solution"
            words = plain_words(m["body"] or m["after"])
            if words:
                assert words_only(words) in prose, f"{name}: {kind} {words!r} missing"
    assert found.count("Solution to Exercise") >= solutions, "folded solutions"
    assert found.count("Exercise") >= exercises + solutions
