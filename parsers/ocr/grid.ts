/**
 * The ruled grid of a table picture: ruling lines found as long dark runs, the atomic grid they
 * make, and merged cells where a rule between two atomic cells is missing (rowspan/colspan).
 */
import type { Gray } from './png.ts';

export interface Box { x0: number; y0: number; x1: number; y1: number }

export interface GridCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  /** inside of the cell, rules excluded */
  box: Box;
}

export interface Grid {
  rows: number;
  cols: number;
  cells: GridCell[];
}

export class GridError extends Error {}

const DARK = 160;
/** a rule is longer than any glyph stroke of body text (~12-16px type) */
const MIN_H_RUN = 30;
const MIN_V_RUN = 18;
/** share of a rule segment that must be dark for the rule to be there */
const RULE_COVER = 0.8;

const dark = (g: Gray, x: number, y: number) => g.data[y * g.width + x] < DARK;

function longestRun(n: number, isDark: (i: number) => boolean): number {
  let best = 0, run = 0;
  for (let i = 0; i < n; i++) {
    run = isDark(i) ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** Positions of rules: adjacent hit lines (a 2px rule) become one [from, to] band. */
function ruleBands(n: number, isRule: (i: number) => boolean): Array<[number, number]> {
  const bands: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    if (!isRule(i)) continue;
    const last = bands[bands.length - 1];
    if (last && last[1] >= i - 1) last[1] = i;
    else bands.push([i, i]);
  }
  return bands;
}

/** An image edge without a rule still bounds the table (a screenshot cropped at the border). */
function withEdges(bands: Array<[number, number]>, n: number): Array<[number, number]> {
  const out = bands.slice();
  if (!out.length || out[0][0] > 3) out.unshift([-1, -1]);
  if (out[out.length - 1][1] < n - 4) out.push([n, n]);
  return out;
}

function covered(n0: number, n1: number, isDark: (i: number) => boolean): boolean {
  let hits = 0, total = 0;
  for (let i = n0; i <= n1; i++, total++) if (isDark(i)) hits++;
  return total > 0 && hits / total >= RULE_COVER;
}

export function findGrid(g: Gray): Grid {
  const hBands = withEdges(ruleBands(g.height, (y) => longestRun(g.width, (x) => dark(g, x, y)) >= MIN_H_RUN), g.height);
  const vBands = withEdges(ruleBands(g.width, (x) => longestRun(g.height, (y) => dark(g, x, y)) >= MIN_V_RUN), g.width);
  const R = hBands.length - 1, C = vBands.length - 1;
  if (R < 1 || C < 2) throw new GridError(`no ruled table found (${R} row(s), ${C} column(s) of rules)`);
  const inside = (bands: Array<[number, number]>, i: number) => [bands[i][1] + 1, bands[i + 1][0] - 1] as const;
  // a rule is there if dark at any pixel of its band, along most of the segment
  const vRule = (c: number, r: number) => {
    const [y0, y1] = inside(hBands, r);
    const [b0, b1] = vBands[c];
    return b0 < 0 || b1 >= g.width || covered(y0, y1, (y) => { for (let x = b0; x <= b1; x++) if (dark(g, x, y)) return true; return false; });
  };
  const hRule = (r: number, c: number) => {
    const [x0, x1] = inside(vBands, c);
    const [b0, b1] = hBands[r];
    return b0 < 0 || b1 >= g.height || covered(x0, x1, (x) => { for (let y = b0; y <= b1; y++) if (dark(g, x, y)) return true; return false; });
  };
  // union-find over atomic cells
  const parent = Array.from({ length: R * C }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const join = (a: number, b: number) => { parent[find(a)] = find(b); };
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
    if (c + 1 < C && !vRule(c + 1, r)) join(r * C + c, r * C + c + 1);
    if (r + 1 < R && !hRule(r + 1, c)) join(r * C + c, (r + 1) * C + c);
  }
  const groups = new Map<number, { r0: number; r1: number; c0: number; c1: number; n: number }>();
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
    const k = find(r * C + c);
    const m = groups.get(k);
    if (!m) groups.set(k, { r0: r, r1: r, c0: c, c1: c, n: 1 });
    else { m.r0 = Math.min(m.r0, r); m.r1 = Math.max(m.r1, r); m.c0 = Math.min(m.c0, c); m.c1 = Math.max(m.c1, c); m.n++; }
  }
  const cells: GridCell[] = [];
  for (const m of groups.values()) {
    if (m.n !== (m.r1 - m.r0 + 1) * (m.c1 - m.c0 + 1)) throw new GridError(`merged cell at row ${m.r0}, column ${m.c0} is not a rectangle: the rules are not a table grid`);
    cells.push({
      row: m.r0, col: m.c0, rowSpan: m.r1 - m.r0 + 1, colSpan: m.c1 - m.c0 + 1,
      box: { x0: vBands[m.c0][1] + 1, y0: hBands[m.r0][1] + 1, x1: vBands[m.c1 + 1][0] - 1, y1: hBands[m.r1 + 1][0] - 1 },
    });
  }
  cells.sort((a, b) => a.row - b.row || a.col - b.col);
  return { rows: R, cols: C, cells };
}
