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
