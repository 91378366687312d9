// The training plots, drawn on canvases: the decision regions with the data points,
// and the cost and mean |δ| per layer by epoch.

import { output, workspace } from "./kernel.js";

export const SPAN = 2; // the heat map shows [−SPAN, SPAN]²
const GRID = 40;

/** The page's colours for the canvases, read again only when the theme changes. */
function canvasColours(root) {
  const key = `${document.documentElement.dataset.theme}|${document.body.dataset.jpThemeLight}`;
  if (root.__colours && root.__colours.key === key) return root.__colours;
  root.__colours = {
    key,
    pos: cssColour(root, "--bpx-pos", [31, 95, 168]),
    neg: cssColour(root, "--bpx-neg", [192, 57, 43]),
    bg: bgColour(root),
  };
  return root.__colours;
}

function cssColour(root, name, fallback) {
  const v = getComputedStyle(root).getPropertyValue(name).trim();
  const m = /^#([0-9a-f]{6})$/i.exec(v);
  if (!m) return fallback;
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function bgColour(root) {
  const probe = getComputedStyle(root).backgroundColor;
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?/.exec(probe);
  if (m && (m[4] === undefined || Number(m[4]) > 0)) return [+m[1], +m[2], +m[3]];
  return [255, 255, 255];
}

/** Decision regions under the data points; returns the share predicted class 1. */
export function drawHeatmap(canvas, st, T, root) {
  const ctx = canvas.getContext("2d");
  if (!ctx) return 0;
  const { pos, neg, bg } = canvasColours(root);
  if (!canvas.__grid) {
    canvas.__grid = document.createElement("canvas");
    canvas.__grid.width = GRID;
    canvas.__grid.height = GRID;
  }
  const gctx = canvas.__grid.getContext("2d");
  const img = gctx.createImageData(GRID, GRID);
  let ones = 0;
  const x = [0, 0];
  const ws = workspace(st);
  for (let r = 0; r < GRID; r++) {
    x[1] = SPAN - ((r + 0.5) / GRID) * 2 * SPAN;
    for (let c = 0; c < GRID; c++) {
      x[0] = ((c + 0.5) / GRID) * 2 * SPAN - SPAN;
      const p = Math.min(1, Math.max(0, output(st, ws, x)[0]));
      if (p >= 0.5) ones += 1;
      const col = p >= 0.5 ? pos : neg;
      const t = 0.15 + 0.5 * Math.abs(2 * p - 1);
      const o = 4 * (r * GRID + c);
      img.data[o] = bg[0] + t * (col[0] - bg[0]);
      img.data[o + 1] = bg[1] + t * (col[1] - bg[1]);
      img.data[o + 2] = bg[2] + t * (col[2] - bg[2]);
      img.data[o + 3] = 255;
    }
  }
  gctx.putImageData(img, 0, 0);
  const W = canvas.width;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(canvas.__grid, 0, 0, W, W);
  const fg = bg[0] + bg[1] + bg[2] > 384 ? "#000" : "#fff";
  const px = (u) => ((u + SPAN) / (2 * SPAN)) * W;
  const py = (v) => ((SPAN - v) / (2 * SPAN)) * W;
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = fg;
  for (let i = 0; i < T.X.length; i++) {
    const [u, v] = T.X[i];
    ctx.beginPath();
    ctx.arc(px(u), py(v), W / 70, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${(T.Y[i] ? pos : neg).join(",")})`;
    ctx.fill();
    ctx.stroke();
  }
  const [u, v] = T.X[T.point];
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.arc(px(u), py(v), W / 32, 0, 2 * Math.PI);
  ctx.stroke();
  return ones / (GRID * GRID);
}

/** The palette of the per-layer lines (light page, dark page). */
const LAYER_COLOURS = {
  light: ["#1f5fa8", "#c0392b", "#2e7d4f", "#7a4fb3"],
  dark: ["#7cb4ff", "#ff8a80", "#6fdc9c", "#c9a7ff"],
};

/**
 * The cost by epoch (top) and mean |δ| per layer on a log scale (bottom). Returns
 * what the key under the chart needs: the palette and the decades shown.
 */
export function drawCurves(canvas, T, root) {
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  // drawn in a 480 × 480 frame, scaled to the canvas
  ctx.setTransform(canvas.width / 480, 0, 0, canvas.height / 480, 0, 0);
  const W = 480;
  const H = 480;
  const { bg } = canvasColours(root);
  const light = bg[0] + bg[1] + bg[2] > 384;
  const palette = LAYER_COLOURS[light ? "light" : "dark"];
  ctx.fillStyle = `rgb(${bg.join(",")})`;
  ctx.fillRect(0, 0, W, H);
  ctx.strokeStyle = light ? "#999" : "#666";
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(0, 240);
  ctx.lineTo(W, 240);
  ctx.stroke();
  const n = T.costs.length;
  const xs = (i) => 12 + ((W - 24) * i) / Math.max(1, n - 1);
  const panel = (top, h, values, lo, hi, colour, log) => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 4;
    ctx.beginPath();
    values.forEach((v, i) => {
      const u = log ? Math.log10(Math.max(v, 1e-12)) : v;
      const t = (u - lo) / (hi - lo || 1);
      const y = top + h - Math.min(1, Math.max(0, t)) * h;
      if (i === 0) ctx.moveTo(xs(i), y);
      else ctx.lineTo(xs(i), y);
    });
    ctx.stroke();
  };
  const cmax = Math.max(...T.costs, 1e-12);
  panel(16, 208, T.costs, 0, cmax, light ? "#222" : "#eee", false);
  const all = T.deltas.flat().filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...all, 1)));
  const hi = Math.ceil(Math.log10(Math.max(...all, 1e-12)));
  const L = T.deltas.length ? T.deltas[0].length : 0;
  for (let ell = 0; ell < L; ell++) {
    panel(
      256,
      208,
      T.deltas.map((d) => d[ell]),
      lo,
      hi,
      palette[ell % 4],
      true,
    );
  }
  return { palette, lo, hi, cmax };
}
