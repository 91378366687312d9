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
    third: cssColour(root, "--bpx-third", [46, 125, 79]),
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

/** The classes' names in the text alternatives, in the order of their colours. */
export const CLASS_NAMES = ["red", "blue", "green"];

/**
 * Decision regions under the data points: the predicted class's colour (a^L_1 ≥ ½
 * with one output unit, else the largest a^L_j), paler where the network is unsure.
 * Returns the share of the square predicted as each class.
 */
export function drawHeatmap(canvas, st, T, root) {
  const K = T.K || 2;
  const shares = new Array(K).fill(0);
  const ctx = canvas.getContext("2d");
  if (!ctx) return shares;
  const { pos, neg, third, bg } = canvasColours(root);
  const cols = [neg, pos, third];
  if (!canvas.__grid) {
    canvas.__grid = document.createElement("canvas");
    canvas.__grid.width = GRID;
    canvas.__grid.height = GRID;
  }
  const gctx = canvas.__grid.getContext("2d");
  const img = gctx.createImageData(GRID, GRID);
  const x = [0, 0];
  const ws = workspace(st);
  for (let r = 0; r < GRID; r++) {
    x[1] = SPAN - ((r + 0.5) / GRID) * 2 * SPAN;
    for (let c = 0; c < GRID; c++) {
      x[0] = ((c + 0.5) / GRID) * 2 * SPAN - SPAN;
      const a = output(st, ws, x);
      let cls;
      let t;
      if (a.length === 1) {
        const p = Math.min(1, Math.max(0, a[0]));
        cls = p >= 0.5 ? 1 : 0;
        t = 0.15 + 0.5 * Math.abs(2 * p - 1);
      } else {
        cls = 0;
        for (let j = 1; j < a.length; j++) if (a[j] > a[cls]) cls = j;
        // how sure: the winning probability, from 1/K (unsure) to 1
        t = 0.15 + 0.5 * Math.max(0, (a[cls] - 1 / K) / (1 - 1 / K));
      }
      shares[cls] += 1;
      const col = cols[cls];
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
    ctx.fillStyle = `rgb(${cols[T.labels[i]].join(",")})`;
    ctx.fill();
    ctx.stroke();
  }
  if (T.X.length) {
    const [u, v] = T.X[T.point];
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(px(u), py(v), W / 32, 0, 2 * Math.PI);
    ctx.stroke();
  }
  return shares.map((m) => m / (GRID * GRID));
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
  // drawn in a 480 × 480 frame, scaled to the canvas (240 CSS px: a 24 px font here is
  // 12 px on the page)
  ctx.setTransform(canvas.width / 480, 0, 0, canvas.height / 480, 0, 0);
  const W = 480;
  const H = 480;
  const left = 78; // room for the tick labels
  const right = 14;
  const { bg } = canvasColours(root);
  const light = bg[0] + bg[1] + bg[2] > 384;
  const palette = LAYER_COLOURS[light ? "light" : "dark"];
  const ink = light ? "#222" : "#eee";
  const grid = light ? "#999" : "#777";
  ctx.fillStyle = `rgb(${bg.join(",")})`;
  ctx.fillRect(0, 0, W, H);
  ctx.font = "24px sans-serif";
  const n = T.costs.length;
  const last = Math.max(1, n - 1);
  const xs = (i) => left + ((W - left - right) * i) / last;
  const cmax = Math.max(...T.costs, 1e-12);
  const all = T.deltas.flat().filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...all, 1)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...all, 1e-12))));
  // two panels: cost (top) and log10 mean |δ| (bottom), each with its axis and ticks
  const panels = [
    { top: 40, h: 150, lo: 0, hi: cmax, ticks: [0, cmax], label: (v) => fmtTick(v) },
    { top: 256, h: 150, lo, hi, ticks: [lo, hi], label: (v) => `1e${v}` },
  ];
  ctx.strokeStyle = grid;
  ctx.fillStyle = ink;
  ctx.lineWidth = 2;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const p of panels) {
    ctx.beginPath();
    ctx.moveTo(left, p.top);
    ctx.lineTo(left, p.top + p.h);
    ctx.lineTo(W - right, p.top + p.h);
    ctx.stroke();
    for (const t of p.ticks) {
      const y = p.top + p.h - ((t - p.lo) / (p.hi - p.lo || 1)) * p.h;
      ctx.fillText(p.label(t), left - 8, y);
    }
  }
  // the epoch axis, under the bottom panel
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.fillText("0", xs(0), 414);
  if (n > 1) ctx.fillText(String(n - 1), xs(n - 1) - 12, 414);
  ctx.fillText("epoch", (left + W) / 2, 446);
  ctx.textAlign = "left";
  ctx.fillText("mean cost", left + 8, 2);
  ctx.fillText("mean |δ| per layer", left + 8, 218);
  const line = (p, values, colour, log) => {
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 4;
    const ys = values.map((v) => {
      const u = log ? Math.log10(Math.max(v, 1e-12)) : v;
      const t = (u - p.lo) / (p.hi - p.lo || 1);
      return p.top + p.h - Math.min(1, Math.max(0, t)) * p.h;
    });
    if (values.length === 1) {
      // epoch 0 alone: a dot, and a dashed line ahead to where training will go
      ctx.beginPath();
      ctx.arc(xs(0), ys[0], 6, 0, 2 * Math.PI);
      ctx.fill();
      ctx.setLineDash([8, 8]);
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(xs(0), ys[0]);
      ctx.lineTo(W - right, ys[0]);
      ctx.stroke();
      ctx.setLineDash([]);
      return;
    }
    ctx.beginPath();
    ys.forEach((y, i) => {
      if (i === 0) ctx.moveTo(xs(i), y);
      else ctx.lineTo(xs(i), y);
    });
    ctx.stroke();
  };
  if (n === 0) {
    ctx.fillStyle = ink;
    ctx.textAlign = "center";
    ctx.fillText("no data points yet", (left + W) / 2, 100);
    return { palette, lo, hi, cmax };
  }
  line(panels[0], T.costs, ink, false);
  const L = T.deltas.length ? T.deltas[0].length : 0;
  for (let ell = 0; ell < L; ell++) {
    line(
      panels[1],
      T.deltas.map((d) => d[ell]),
      palette[ell % 4],
      true,
    );
  }
  if (n === 1) {
    ctx.fillStyle = ink;
    ctx.textAlign = "center";
    ctx.fillText("epoch 0: press Train", (left + W) / 2, 120);
  }
  return { palette, lo, hi, cmax };
}

/** A tick label: few digits. */
function fmtTick(v) {
  if (v === 0) return "0";
  const av = Math.abs(v);
  if (av >= 0.01 && av < 1000) return String(Number(v.toPrecision(2)));
  return v.toExponential(0);
}
