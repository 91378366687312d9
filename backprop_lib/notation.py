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

from ._notation_layers import _Layer
from ._notation_table import ALIASES, QUANTITIES, QUANTITY_LABELS, TABLE
from ._notation_table import MIN_LAYER as _MIN_LAYER

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


_CONVENTIONS: dict[str, _Convention] = {}


def _add(conv: _Convention) -> None:
    _CONVENTIONS[conv.name] = conv


for _spec in TABLE:
    _add(
        _conv(
            _spec["name"],
            _spec["title"],
            _spec["source"],
            _spec["cite"],
            _spec["summary"],
            _spec["out_map"],
            _spec["rows"],
            **_spec["options"],
        )
    )


#: The canonical convention names, in the order the book's tables show them.
CONVENTIONS: tuple[str, ...] = tuple(_CONVENTIONS)

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
