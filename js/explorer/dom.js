// Small DOM helpers: build elements, and write only what changed.

export const SVGNS = "http://www.w3.org/2000/svg";
let uid = 0;

/** A fresh id prefix for one view (ids must be unique in the page). */
export const newId = () => `bpx${++uid}-${Math.random().toString(36).slice(2, 8)}`;

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

export function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, String(v));
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

/** Write text or an attribute only when it changed: fewer DOM writes per slider move. */
export function put(el, text) {
  if (el.__text !== text) {
    el.__text = text;
    el.textContent = text;
  }
}

export function att(el, name, value) {
  const key = `__attr_${name}`;
  if (el[key] !== value) {
    el[key] = value;
    el.setAttribute(name, value);
  }
}

export const clone = (v) => JSON.parse(JSON.stringify(v));

export function sameNumbers(p, q) {
  return JSON.stringify(p) === JSON.stringify(q);
}

/** 0..1 on a log scale: 1e-5 → 0, 1 → 1 (δ and gradient magnitudes span decades). */
export function logScale(v) {
  const av = Math.abs(v);
  if (av === 0) return 0;
  return Math.min(1, Math.max(0, (Math.log10(av) + 5) / 5));
}

// Colours are the stylesheet's variables, so that they follow the page's light or
// dark theme (explorer.css): blue positive, red negative, grey zero.
export const signColour = (v) =>
  v > 0 ? "var(--bpx-pos)" : v < 0 ? "var(--bpx-neg)" : "var(--bpx-zero)";

/** Set a style property (a colour from a CSS variable) only when it changed. */
export function sty(el, name, value) {
  const key = `__style_${name}`;
  if (el[key] !== value) {
    el[key] = value;
    el.style.setProperty(name, value);
  }
}

// ------------------------------------------------------------------ the view
