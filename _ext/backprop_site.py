"""Sphinx extension for the book's website (loaded from ``_config.yml``).

It does the small jobs the stock Jupyter Book 1 stack gets wrong or leaves out:

1. **Duplicate inline scripts.** Sphinx 7 adds an inline script registered after the
   builder starts (``app.add_js_file(None, body=...)``) twice to every page, once with
   filename ``None`` and once with ``""``. For sphinx-thebe's
   ``const THEBE_JS_URL = ...`` that is an uncaught ``SyntaxError: Identifier
   'THEBE_JS_URL' has already been declared`` on every page. We drop the duplicates.
2. **Alt text of figures made by code.** myst-nb gives an output image no ``alt``, so
   the HTML writer falls back to the file name (``../_images/3f2a...png``). Unless the
   chapter sets one (cell metadata ``mystnb: image: alt: ...``), we derive one from
   the figure's caption, else the titles the cell gives its plot
   (``ax.set_title("...")``), else the cell's leading comment, else the section.
3. **Widgets on the static page.** The widget manager first asks require.js for a
   module named ``anywidget`` next to the page (a 404 in the console), and looks for
   its own icon fonts in a folder next to the page (six more 404s): we tell
   require.js where both are before it loads. It also typesets widget labels with
   MathJax 2's ``MathJax.Hub.Queue``, a TypeError under the site's MathJax 3:
   ``static/backprop-site.js`` provides that entry point.
4. **Offline build** (``offline_site = True``, or ``BOOK_OFFLINE=1`` in the
   environment; ``make book-offline``). MathJax, require.js, the widget manager and
   the anywidget front end are served from ``_static/offline/`` instead of CDNs. They
   are installed from the npm registry at build time into ``.web_assets/`` (by
   ``_ext/webassets.py``, which pins the versions) and copied into the output; none
   of them is committed.
5. **Readers with a screen reader, a phone or a printer**
   (``static/backprop-site.js``/``.css``): the theme's search and colour-mode buttons
   get accessible names that contain their visible text; wide math, tables and
   outputs scroll in their own box at 390 px; a print stylesheet leaves out the
   site's chrome and unfolds solutions.
6. **The whole book as a PDF** (``make pdf``): the ``singlehtml`` build gets every
   chapter's widget state (myst-nb adds it per chapter page only) and the node
   writers extensions taught only the ``html`` builder. The sidebar links the PDF
   only in a build that has it (``book_pdf``, or ``_build/pdf/`` after ``make
   pdf``), which then copies it beside ``index.html``: no dead link.
7. **Readers whose scripts cannot load** (no internet, a blocked CDN): a note at the
   top of every page of the default build says so and points to the offline build
   (``OFFLINE_NOTE``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
from importlib.metadata import version
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

__version__ = "1.0"

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LOGGER = logging.getLogger(__name__)

# Where the offline assets go, relative to the output's _static folder.
OFFLINE = "offline"
OFFLINE_MATHJAX = f"{OFFLINE}/mathjax/tex-mml-chtml.js"
OFFLINE_REQUIREJS = f"{OFFLINE}/require.js"
OFFLINE_HTML_MANAGER = f"{OFFLINE}/html-manager/embed-amd.js"
OFFLINE_ANYWIDGET = f"{OFFLINE}/anywidget/index"  # require.js adds the ".js"

# The whole book as one PDF (`make pdf`, tools/build_pdf.py), beside index.html
PDF_NAME = "backprop-derived.pdf"

_IMAGE_FILE = re.compile(r"\.(png|jpe?g|gif|svg|webp|pdf)$", re.IGNORECASE)
_PLOT_TITLE = re.compile(
    r"(?:set_title|suptitle|\btitle)\(\s*(?:[rRfF]{0,2})(['\"])(?P<text>.+?)\1"
)


def book_pdf(config) -> Path | None:
    """The PDF of the whole book to put beside ``index.html`` and link from the
    sidebar, or None: ``book_pdf`` in the configuration, else the one ``make pdf``
    writes (``_build/pdf/backprop-derived.pdf``), if it exists."""
    path = (
        Path(config.book_pdf) if config.book_pdf else ROOT / "_build" / "pdf" / PDF_NAME
    )
    return path.resolve() if path.is_file() else None


def _offline_requested(config) -> bool:
    flag = os.environ.get("BOOK_OFFLINE", "").strip().lower()
    return bool(config.offline_site) or flag in {"1", "true", "yes", "on"}


def _webassets():
    """``webassets.py`` beside this file: the pinned npm versions, which the tests
    read too (the site build never imports from ``tests/``)."""
    path = HERE / "webassets.py"
    spec = importlib.util.spec_from_file_location("_backprop_webassets", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- configuration ---------------------------------------------------------------


def configure(app: Sphinx, config) -> None:
    """``config-inited``: switch the CDN URLs to local copies for the offline build."""
    # Without a default colour mode pydata-sphinx-theme logs a console error ("Got
    # invalid theme mode") on a reader's first visit. Light: the plots are drawn on
    # white. The reader can still switch.
    config.html_context.setdefault("default_mode", "light")
    # the book's title under the logo in the sidebar, not only in the tab's title
    logo = config.html_theme_options.setdefault("logo", {})
    logo.setdefault("text", config.html_title)
    logo.setdefault("alt_text", f"{config.html_title} - Home")
    # sphinx-book-theme has no top navbar; with pydata-sphinx-theme 0.17 an empty
    # `navbar_persistent` falls back to a search button, which brings back a whole
    # top bar duplicating the sidebar's search field
    config.html_theme_options.setdefault("navbar_persistent", [])
    # a link to the whole book as a PDF at the foot of the sidebar, only in a build
    # that has the PDF (`make pdf` makes it, then rebuilds the site with it)
    pdf = book_pdf(config)
    if pdf is not None:
        config.templates_path.append(str(HERE / "templates"))
        config.html_theme_options.setdefault(
            "primary_sidebar_end", ["backprop-pdf-link.html"]
        )
        config.html_context.setdefault("pdf_name", pdf.name)
        config.html_extra_path.append(str(pdf))
    if not _offline_requested(config):
        return
    config.offline_site = True
    config.mathjax_path = OFFLINE_MATHJAX
    config.nb_ipywidgets_js = {
        OFFLINE_REQUIREJS: {},
        # The CDN named here is only used for widget modules other than the
        # built-in ones and anywidget (which require.js finds locally): there are none.
        OFFLINE_HTML_MANAGER: {},
    }


def add_static_files(app: Sphinx) -> None:
    """``builder-inited``: our own small script, and the npm assets when offline."""
    if app.builder.format != "html":
        return
    share_html_node_handlers(app)
    app.config.html_static_path.append(str(HERE / "static"))
    app.add_js_file("backprop-site.js", defer="defer")
    app.add_css_file("backprop-site.css")
    app.add_css_file("figures.css")  # backprop_lib.draw's SVG figures in dark mode
    if app.config.offline_site:
        try:
            _webassets().ensure_web_assets()
        except FileNotFoundError as err:  # no npm on this machine
            raise RuntimeError(
                "the offline build needs npm to install MathJax, require.js and the "
                "widget front ends from the npm registry: install Node.js/npm"
            ) from err


def share_html_node_handlers(app: Sphinx) -> None:
    """Let the other HTML builders (``singlehtml``, for ``make pdf``) write the nodes
    that extensions taught only the ``html`` builder (myst-nb's hidden-cell node)."""
    handlers = app.registry.translation_handlers
    if app.builder.name == "html" or "html" not in handlers:
        return
    own = handlers.setdefault(app.builder.name, {})
    for node, visitors in handlers["html"].items():
        own.setdefault(node, visitors)


def copy_offline_assets(app: Sphinx, exception) -> None:
    """``build-finished``: copy MathJax, require.js and the widget front ends."""
    if exception or app.builder.format != "html" or not app.config.offline_site:
        return
    node_modules = _webassets().NODE_MODULES
    dest = Path(app.outdir) / "_static" / OFFLINE
    if dest.exists():
        shutil.rmtree(dest)
    skip_maps = shutil.ignore_patterns("*.map", "*.d.ts")
    shutil.copytree(node_modules / "mathjax" / "es5", dest / "mathjax")
    shutil.copytree(
        node_modules / "@jupyter-widgets" / "html-manager" / "dist",
        dest / "html-manager",
        ignore=skip_maps,
    )
    (dest / "anywidget").mkdir(parents=True)
    shutil.copy2(node_modules / "anywidget" / "dist" / "index.js", dest / "anywidget")
    shutil.copy2(node_modules / "requirejs" / "require.js", dest / "require.js")
    # their licences travel with them (require.js carries its own in its header)
    for name in ("mathjax", "@jupyter-widgets/html-manager", "anywidget"):
        licence = node_modules / name / "LICENSE"
        if licence.is_file():
            shutil.copy2(licence, dest / f"LICENSE.{name.rsplit('/', 1)[-1]}")
    LOGGER.info(f"offline assets copied to {dest}")


# -- alt text --------------------------------------------------------------------


def _has_meaningful_alt(image: nodes.image) -> bool:
    alt = (image.get("alt") or "").strip()
    if not alt or alt == image.get("uri"):
        return False
    return not _IMAGE_FILE.search(alt)


def _cell_source(image: nodes.image) -> str:
    for ancestor in _ancestors(image):
        if isinstance(ancestor, nodes.container) and "cell" in ancestor["classes"]:
            for block in ancestor.findall(nodes.literal_block):
                return block.astext()
    return ""


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def alt_text_for(image: nodes.image) -> str | None:
    """A description of an image made by a code cell, or None if none is found.

    In order: the caption of the figure holding it, the titles the cell gives its plot,
    the cell's leading comment lines, the title of the section it is in.
    """
    for ancestor in _ancestors(image):
        if isinstance(ancestor, nodes.figure):
            for caption in ancestor.findall(nodes.caption):
                return caption.astext()
    source = _cell_source(image)
    titles = [m["text"] for m in _PLOT_TITLE.finditer(source)]
    if titles:
        return "Plot: " + "; ".join(titles)
    comment = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            text = stripped.lstrip("#").strip()
            if text and not text.startswith(("!", "%", "noqa", "type:")):
                comment.append(text)
        elif stripped:
            break
    if comment:
        return " ".join(comment)
    for ancestor in _ancestors(image):
        if isinstance(ancestor, nodes.section) and ancestor.children:
            title = ancestor[0].astext()
            return f"Figure computed by the code in the section “{title}”"
    return None


def add_alt_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: give every image an alt text that says something."""
    for image in doctree.findall(nodes.image):
        if _has_meaningful_alt(image):
            continue
        alt = alt_text_for(image)
        if alt:
            image["alt"] = alt


# -- math in the text of {ref} links ----------------------------------------------


def _section_title(app: Sphinx, docname: str, labelid: str):
    """The title node of the section `labelid` of `docname`, or None."""
    try:
        doctree = app.env.get_doctree(docname)
    except FileNotFoundError:
        return None
    for node in doctree.findall(nodes.Element):
        if labelid in node.get("ids", ()):
            section = (
                node
                if isinstance(node, nodes.section)
                else node.next_node(
                    nodes.section, include_self=False, descend=False, siblings=True
                )
            )
            if section is not None and isinstance(section[0], nodes.title):
                return section[0]
    return None


def math_in_ref_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: a ``{ref}`` to a section whose title has math shows the
    title's math typeset, not its TeX source (Sphinx copies the title as plain text:
    "is \\sum_k \\frac{...}" in the link, and in what a screen reader reads)."""
    labels = app.env.domaindata.get("std", {}).get("labels", {})
    by_anchor = {(doc, labelid) for doc, labelid, _ in labels.values()}
    for inline in list(doctree.findall(nodes.inline)):
        if "std-ref" not in inline["classes"] or not isinstance(
            inline.parent, nodes.reference
        ):
            continue
        uri = inline.parent.get("refuri", "")
        page, _, labelid = uri.partition("#")
        # singlehtml: "#document-chapters/x#label" until it fixes its refuris
        labelid = labelid.rsplit("#", 1)[-1]
        target = docname
        if page:
            target = page.removesuffix(app.builder.out_suffix)
            target = str(Path(docname).parent / target) if "/" in docname else target
            target = os.path.normpath(target)
        if (target, labelid) not in by_anchor:
            target = next((d for d, lab in by_anchor if lab == labelid), None)
        title = _section_title(app, target, labelid) if target else None
        if title is None or not list(title.findall(nodes.math)):
            continue
        if inline.astext().strip() != title.astext().strip():
            continue  # the author wrote their own link text
        inline.children = []
        inline.extend(child.deepcopy() for child in title.children)


# -- per-page scripts ------------------------------------------------------------


def _script_key(js) -> tuple:
    attributes = getattr(js, "attributes", {}) or {}
    return (
        getattr(js, "filename", None) or "",
        getattr(js, "priority", 500),
        tuple(sorted((k, str(v)) for k, v in attributes.items())),
    )


def _widget_setup(app: Sphinx, context, manager: str) -> str:
    """Inline script for a page with widgets, run before require.js loads.

    A global ``require`` object defined before require.js loads is its configuration.
    It says where the anywidget front end is, and where the widget manager's own
    files are: the manager finds its icon fonts next to its require.js module id
    (``@jupyter-widgets/html-manager/dist/``), which would otherwise resolve to a
    folder next to the page that does not exist (six 404s per page).
    """
    if app.config.offline_site:
        # page-relative paths: require.js resolves them against the page's folder
        anywidget = context["pathto"](f"_static/{OFFLINE_ANYWIDGET}", 1)
    else:
        anywidget = (
            f"https://cdn.jsdelivr.net/npm/anywidget@{version('anywidget')}/dist/index"
        )
    folder = manager.rsplit("/", 1)[0]
    if "://" not in folder:
        folder = context["pathto"](folder, 1)
    paths = {"anywidget": anywidget, "@jupyter-widgets/html-manager/dist": folder}
    return f"var require = {{paths: {json.dumps(paths)}}};"


def fix_page_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """``html-page-context`` (after myst-nb and sphinx-thebe have added theirs)."""
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    manager = next(
        (
            js.filename
            for js in scripts
            if (getattr(js, "filename", None) or "").endswith("/embed-amd.js")
        ),
        None,
    )
    if manager is not None:
        app.add_js_file(None, body=_widget_setup(app, context, manager), priority=400)
    unique, seen = [], set()
    for js in scripts:
        key = _script_key(js)
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


# Markup other extensions write that fails axe-core's WCAG 2.1 A/AA rules:
#  - myst-nb's folded code cells name their summary "Toggle hidden content" although
#    it shows "Show code cell source" (label-content-name-mismatch): the summary's
#    visible text names it;
#  - docutils' citation list has role="list" but its entries role="doc-biblioentry",
#    a deprecated role that axe does not count as a list item (aria-required-children).
_ARIA_FIXES = (
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    (
        re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"'),
        r'\1 role="listitem"',
    ),
)


def accessible_markup(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: rewrite the markup listed in ``_ARIA_FIXES``."""
    body = context.get("body")
    if not isinstance(body, str):
        return
    for old, new in _ARIA_FIXES:
        body = old.sub(new, body)
    context["body"] = body


# At the top of every page, shown when the scripts from the CDNs cannot load: by the
# browser itself with JavaScript off (<noscript>), else by static/backprop-site.js,
# which reads its text from here.
OFFLINE_NOTE = (
    '<noscript class="backprop-offline-note"><div class="backprop-noscript-note" '
    'role="note">This page could not load the scripts it takes from the internet '
    "(MathJax for the math, the widget front end for the interactive figures), so "
    "formulas show as TeX source and interactive figures are missing. To read the "
    "book with no internet connection, build its offline copy with <code>make "
    "book-offline</code> (see the README) and open that copy&#8217;s "
    "<code>index.html</code>.</div></noscript>"
)


def offline_note(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: the note for readers whose scripts could not load
    (not in the offline build, which needs no network)."""
    body = context.get("body")
    if not isinstance(body, str) or app.config.offline_site:
        return
    context["body"] = OFFLINE_NOTE + body


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def add_book_widgets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """``html-page-context`` of the ``singlehtml`` build (``make pdf``): the one page
    holds every chapter's widgets, so it needs every chapter's widget state and the
    widget manager, which myst-nb adds per chapter page only."""
    if app.builder.name != "singlehtml" or pagename != app.config.root_doc:
        return
    from myst_nb.core.render import sanitize_script_content
    from myst_nb.sphinx_ import NbMetadataCollector

    header, state, scripts = None, {}, {}
    for docname in sorted(app.env.all_docs):
        for key, (uri, kwargs) in NbMetadataCollector.get_js_files(
            app.env, docname
        ).items():
            if kwargs.get("type") == WIDGET_STATE:
                data = json.loads(kwargs["body"])
                header = header or data
                state.update(data.get("state", {}))
            else:
                scripts.setdefault(key, (uri, kwargs))
    if not state:
        return
    body = sanitize_script_content(json.dumps({**header, "state": state}))
    app.add_js_file(None, type=WIDGET_STATE, body=body)
    for uri, kwargs in scripts.values():
        app.add_js_file(uri, **kwargs)


def setup(app: Sphinx) -> dict:
    app.add_config_value("offline_site", False, "env", types=[bool])
    app.add_config_value("book_pdf", "", "html", types=[str])
    app.connect("config-inited", configure, priority=100)
    app.connect("builder-inited", add_static_files)
    app.connect("doctree-resolved", add_alt_text)
    app.connect("doctree-resolved", math_in_ref_text)
    app.connect("html-page-context", accessible_markup)
    app.connect("html-page-context", offline_note)
    app.connect("html-page-context", add_book_widgets, priority=600)
    app.connect("html-page-context", fix_page_scripts, priority=900)
    app.connect("build-finished", copy_offline_assets)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
