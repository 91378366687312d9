// Small fixes to the page chrome of "Backprop, derived" (see _ext/backprop_site.py).
// The download menu's .ipynb and .md entries open in a new tab, where a browser may
// show the raw JSON/text; ask the browser to save them instead.
document.addEventListener("DOMContentLoaded", () => {
  const links = document.querySelectorAll(
    "a.btn-download-notebook-button, a.btn-download-source-button"
  );
  for (const link of links) {
    link.setAttribute("download", "");
    link.removeAttribute("target");
  }
});

// The widget manager typesets widget labels with MathJax 2's `MathJax.Hub.Queue`;
// the site loads MathJax 3, which has no `Hub`, so every label threw a TypeError.
// Give MathJax 3 that one entry point. Labels use Jupyter's $...$ delimiters, and
// the site's MathJax knows only \(...\) and \[...\]: rewrite them first.
function jupyterToSphinxDelimiters(element) {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    node.data = node.data
      .replace(/\$\$([^$]+)\$\$/g, "\\[$1\\]")
      .replace(/\$([^$]+)\$/g, "\\($1\\)");
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const mathjax = window.MathJax;
  if (!mathjax || mathjax.Hub || !mathjax.startup) {
    return; // no math on this page, or a MathJax that has a Hub
  }
  mathjax.Hub = {
    Queue: (...jobs) => {
      for (const job of jobs) {
        if (Array.isArray(job) && job[0] === "Typeset" && job[2]) {
          jupyterToSphinxDelimiters(job[2]);
          mathjax.startup.promise.then(() => mathjax.typesetPromise([job[2]]));
        }
      }
    },
  };
});

// Accessible names that contain the visible text (WCAG 2.5.3, axe-core's
// label-content-name-mismatch). The theme's search field shows "Search Ctrl+K" but
// is named "Search": its name now comes from what it shows. The colour-mode button's
// icons carry titles ("Light", "Dark", ...) that count as its visible text but are
// not in its name "Color mode": the icons become decorative and the name says which
// mode is on.
function fixThemeControlNames() {
  for (const button of document.querySelectorAll(".search-button-field")) {
    if (button.textContent.trim()) {
      button.removeAttribute("aria-label");
    }
  }
  for (const button of document.querySelectorAll(".theme-switch-button")) {
    const name = () => {
      const mode = document.documentElement.dataset.mode || "auto";
      const label = { light: "light", dark: "dark", auto: "system setting" }[mode];
      button.setAttribute("aria-label", `Color mode: ${label || mode}`);
    };
    for (const icon of button.querySelectorAll("i")) {
      icon.removeAttribute("title");
      icon.setAttribute("aria-hidden", "true");
    }
    name();
    new MutationObserver(name).observe(document.documentElement, {
      attributes: true,
      attributeFilter: ["data-mode"],
    });
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", fixThemeControlNames);
} else {
  fixThemeControlNames();
}

// Printing: open folded <details> blocks (the theme's dropdowns) so that the
// paper shows their content; togglebutton does the same for its own toggles.
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details:not([open])")) {
    details.dataset.backpropPrintOpened = "true";
    details.open = true;
  }
});
window.addEventListener("afterprint", () => {
  for (const details of document.querySelectorAll("details[data-backprop-print-opened]")) {
    delete details.dataset.backpropPrintOpened;
    details.open = false;
  }
});

// Boxes that scroll sideways (wide display math, tables, outputs; see
// backprop-site.css): mark those whose content is wider than they are, and name
// the edges where it is cut, so the stylesheet fades that edge. Run again when
// MathJax has typeset, when widgets add output, on resize and on scroll.
const SCROLL_BOXES = [
  'mjx-container[display="true"]',
  ".bd-article .pst-scrollable-table-container",
  ".bd-article .table-wrapper",
  ".cell_output .output",
  ".backprop-figure-scroll",
].join(", ");
// the browser tests read the list from here (tests/test_site.py, _CUES_SETTLED)
window.backpropScrollBoxes = SCROLL_BOXES;

// The figures drawn by backprop_lib.draw (SVG) are drawn for the 688-px text column;
// shrunk to a phone's column their labels would be 5 or 6 px high. Each goes into a
// box of its own that scrolls sideways (its caption stays put), where the stylesheet
// shows it at the size the column shows it on a wide screen.
function wrapSvgFigures() {
  for (const img of document.querySelectorAll('.cell_output figure > img[src$=".svg"]')) {
    const box = document.createElement("div");
    box.className = "backprop-figure-scroll";
    img.before(box);
    box.append(img);
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", wrapSvgFigures);
} else {
  wrapSvgFigures();
}

function markCut(box) {
  const over = box.scrollWidth > box.clientWidth + 1;
  box.classList.toggle("backprop-scroll", over);
  if (!over) {
    delete box.dataset.cut;
    return;
  }
  const cut = [];
  if (box.scrollLeft > 1) cut.push("left");
  if (box.scrollLeft + box.clientWidth < box.scrollWidth - 1) cut.push("right");
  box.dataset.cut = cut.join(" ");
  if (!box.dataset.backpropWatched) {
    box.dataset.backpropWatched = "true";
    box.addEventListener("scroll", () => markCut(box), { passive: true });
    if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
  }
}

function markScrollBoxes() {
  // inline math longer than the line it sits in gets a box of its own
  for (const math of document.querySelectorAll('mjx-container:not([display="true"])')) {
    const parent = math.parentElement && math.parentElement.closest("p, li, div, td");
    if (!parent) continue;
    if (math.getBoundingClientRect().width > parent.clientWidth + 1) {
      math.classList.add("backprop-scroll"); // the stylesheet makes it a box
    }
    if (math.classList.contains("backprop-scroll")) markCut(math);
  }
  document.querySelectorAll(SCROLL_BOXES).forEach(markCut);
}

let markQueued = false;
function queueMarks() {
  if (markQueued) return;
  markQueued = true;
  requestAnimationFrame(() => {
    markQueued = false;
    markScrollBoxes();
  });
}

window.addEventListener("load", () => {
  queueMarks();
  const mathjax = window.MathJax;
  if (mathjax && mathjax.startup && mathjax.startup.promise) {
    mathjax.startup.promise.then(queueMarks);
  }
  const article = document.querySelector(".bd-article") || document.body;
  new MutationObserver(queueMarks).observe(article, { childList: true, subtree: true });
  window.addEventListener("resize", queueMarks);
});

// When the scripts from the content delivery networks could not load (no internet,
// a blocked site), the math shows as TeX source and the widgets are missing: say
// so once, at the top of the page, and point to the build that needs no internet.
// With JavaScript off altogether the <noscript> shows it itself.
function scriptsMissing() {
  const needsMath = document.querySelector(".math") !== null;
  const mathLoaded = window.MathJax && window.MathJax.version;
  const needsWidgets =
    document.querySelector('script[type="application/vnd.jupyter.widget-view+json"]') !==
    null;
  const widgetsLoaded = typeof window.require === "function";
  return (needsMath && !mathLoaded) || (needsWidgets && !widgetsLoaded);
}

window.addEventListener("load", () => {
  // the note's text is written once, by the site's extension, in a <noscript>
  const source = document.querySelector("noscript.backprop-offline-note");
  if (!source || !scriptsMissing() || document.querySelector(".backprop-noscript-note")) {
    return;
  }
  const holder = document.createElement("div");
  holder.innerHTML = source.textContent;
  source.after(...holder.childNodes);
});
