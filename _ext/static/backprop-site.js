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
