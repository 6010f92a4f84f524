/**
 * A PDF page's text items and ruling lines → blocks (paragraphs and table grids), like a page gives.
 *
 * Plain PDF text loses a table's cells ("cells come out space-separated, one row per line", a wrapped
 * label splits its row, a rowspan label lands on a row of its own). Tables in agency PDFs are ruled, so
 * the rules are read as a lattice: the distinct x of the vertical rules and y of the horizontal rules
 * cut the table into bands; a missing rule between two bands merges them (colspan/rowspan); every text
 * item goes to the cell under its centre. Text outside the rules is joined into paragraphs; a line whose
 * items stand far apart is a row of an unruled table and is handed to the text-form reader as " | " cells.
 *
 * Coordinates here are top-down (y grows down the page), in PDF points.
 */
import type { Block, TableBlock } from '../blocks.ts';
import { gridFromSpec, type CellSpec } from '../html-grid.ts';
import { squash } from '../normalize.ts';
import { textBlocks } from '../text-blocks.ts';

export interface PdfTextItem {
  str: string;
  /** left edge and baseline */
  x: number;
  y: number;
  width: number;
  /** font size */
  size: number;
}

/** A thin filled or stroked rectangle: a table rule. */
export interface PdfRule {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PdfPageContent {
  width: number;
  height: number;
  items: PdfTextItem[];
  rules: PdfRule[];
}

/** Rules closer than this (points) are one line; collapsed borders of neighbouring cells are drawn twice. */
const SNAP = 2.5;
/** A rule is at most this thick. */
const THIN = 2.5;

const isHorizontal = (r: PdfRule) => r.y1 - r.y0 <= THIN && r.x1 - r.x0 > THIN;
const isVertical = (r: PdfRule) => r.x1 - r.x0 <= THIN && r.y1 - r.y0 > THIN;

/** The point a text item is placed by: its horizontal middle, a third of its size above the baseline. */
const centreX = (t: PdfTextItem) => t.x + t.width / 2;
const centreY = (t: PdfTextItem) => t.y - t.size * 0.35;

/** Sorted positions with near-equal ones merged (their mean). */
function snap(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last[last.length - 1] <= SNAP) last.push(v);
    else out.push([v]);
  }
  return out.map((g) => g.reduce((s, v) => s + v, 0) / g.length);
}

class UnionFind {
  private readonly parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]];
    return i;
  }
  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }
}

/** Rules that touch each other form one table. */
function ruleClusters(rules: PdfRule[]): PdfRule[][] {
  const lines = rules.filter((r) => isHorizontal(r) || isVertical(r));
  lines.sort((a, b) => a.y0 - b.y0);
  const uf = new UnionFind(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const a = lines[i];
    // sorted by top: once a rule starts below this one's bottom, none after it can touch it
    for (let j = i + 1; j < lines.length && lines[j].y0 - SNAP <= a.y1; j++) {
      const b = lines[j];
      if (a.x0 - SNAP <= b.x1 && b.x0 - SNAP <= a.x1) uf.union(i, j);
    }
  }
  const groups = new Map<number, PdfRule[]>();
  lines.forEach((r, i) => {
    const k = uf.find(i);
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(r);
  });
  return [...groups.values()];
}

export interface Lattice {
  /** column and row boundaries */
  xs: number[];
  ys: number[];
  rows: CellSpec[][];
}

/** Join the text items of one cell (or one line): lines top to bottom, items left to right. */
function joinItems(items: PdfTextItem[]): string {
  const lines = groupLines(items);
  return squash(lines.map((l) => lineText(l, false)).join(''));
}

/** A cluster of rules as a table grid, with the text items that fall inside it (removed from `items`). */
function latticeOf(cluster: PdfRule[], items: Set<PdfTextItem>): Lattice | null {
  const hs = cluster.filter(isHorizontal);
  const vs = cluster.filter(isVertical);
  const xs = snap(vs.map((r) => (r.x0 + r.x1) / 2));
  const ys = snap(hs.map((r) => (r.y0 + r.y1) / 2));
  if (xs.length < 2 || ys.length < 2) return null;
  const nr = ys.length - 1;
  const nc = xs.length - 1;
  const vAt = (k: number, y: number) => vs.some((r) => Math.abs((r.x0 + r.x1) / 2 - xs[k]) <= SNAP && r.y0 - SNAP <= y && y <= r.y1 + SNAP);
  const hAt = (k: number, x: number) => hs.some((r) => Math.abs((r.y0 + r.y1) / 2 - ys[k]) <= SNAP && r.x0 - SNAP <= x && x <= r.x1 + SNAP);
  const uf = new UnionFind(nr * nc);
  for (let r = 0; r < nr; r++) {
    const ym = (ys[r] + ys[r + 1]) / 2;
    for (let c = 0; c < nc; c++) {
      const xm = (xs[c] + xs[c + 1]) / 2;
      if (c + 1 < nc && !vAt(c + 1, ym)) uf.union(r * nc + c, r * nc + c + 1);
      if (r + 1 < nr && !hAt(r + 1, xm)) uf.union(r * nc + c, (r + 1) * nc + c);
    }
  }
  // each merged cell: its band extents
  const extent = new Map<number, { r0: number; r1: number; c0: number; c1: number; items: PdfTextItem[] }>();
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      const k = uf.find(r * nc + c);
      const e = extent.get(k);
      if (!e) extent.set(k, { r0: r, r1: r, c0: c, c1: c, items: [] });
      else {
        e.r0 = Math.min(e.r0, r); e.r1 = Math.max(e.r1, r);
        e.c0 = Math.min(e.c0, c); e.c1 = Math.max(e.c1, c);
      }
    }
  }
  const band = (edges: number[], v: number) => {
    for (let i = 0; i + 1 < edges.length; i++) if (v >= edges[i] && v < edges[i + 1]) return i;
    return -1;
  };
  for (const t of items) {
    const r = band(ys, centreY(t));
    const c = band(xs, centreX(t));
    if (r < 0 || c < 0) continue;
    items.delete(t);
    if (t.str.trim()) extent.get(uf.find(r * nc + c))!.items.push(t);
  }
  const rows: CellSpec[][] = Array.from({ length: nr }, () => []);
  const cells = [...extent.values()].sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0);
  for (const e of cells) {
    rows[e.r0].push({ text: joinItems(e.items), image: false, rowspan: e.r1 - e.r0 + 1, colspan: e.c1 - e.c0 + 1 });
  }
  return { xs, ys, rows };
}

/** Items on one baseline (within half their size), each line left to right; lines top to bottom. */
function groupLines(items: PdfTextItem[]): PdfTextItem[][] {
  const sorted = [...items].sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: PdfTextItem[][] = [];
  for (const t of sorted) {
    const line = lines[lines.length - 1];
    if (line && Math.abs(t.y - line[0].y) <= Math.max(1, Math.min(t.size, line[0].size) * 0.5)) line.push(t);
    else lines.push([t]);
  }
  for (const l of lines) l.sort((a, b) => a.x - b.x);
  return lines;
}

/** A gap this many font sizes wide between two items is a column gap, not a word space. */
const COLUMN_GAP = 2;

function lineText(line: PdfTextItem[], cells: boolean): string {
  let out = '';
  let end: number | null = null;
  for (const t of line) {
    if (!t.str.trim()) continue;
    if (end !== null && cells && t.x - end > t.size * COLUMN_GAP) out += ' | ';
    else if (end !== null && t.x - end > t.size * 0.25 && /[\w.%]$/.test(out) && /^[\w.%]/.test(t.str)) out += ' ';
    out += t.str;
    end = t.x + t.width;
  }
  return out.trim();
}

interface Line {
  text: string;
  x: number;
  end: number;
  y: number;
  size: number;
}

const HEADING = /^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])/;

/** Lines → text with one line per paragraph: a wrapped line (the one above reached the right margin) is joined. */
function paragraphText(lines: Line[], m: { left: number; right: number }): string {
  const out: string[] = [];
  let prev: Line | null = null;
  for (const l of lines) {
    const continues = prev !== null && !l.text.includes(' | ') && !prev.text.includes(' | ') && !HEADING.test(l.text) &&
      prev.end >= m.right - prev.size * 1.5 && l.x <= m.left + l.size * 0.5 && l.y - prev.y <= l.size * 2.2;
    if (continues) out[out.length - 1] += l.text;
    else out.push(l.text);
    prev = l;
  }
  return out.join('\n');
}

type Piece = { y: number; line: Line } | { y: number; table: TableBlock };

export interface LayoutResult {
  blocks: Block[];
  /** tables read from ruling lines, and rows read from column gaps (no rules) */
  ruledTables: number;
  textRows: number;
}

/**
 * The pages as one long page: each page's content (from its topmost to its bottommost mark; clip and page
 * boxes do not count) placed right below the previous page's. A table that runs over a page break has its
 * vertical rules joined across it, so a row the break cut in two (no rule at the break) is one row again,
 * and a wrapped paragraph one paragraph.
 */
export function stackPages(pages: PdfPageContent[]): PdfPageContent {
  const items: PdfTextItem[] = [];
  const rules: PdfRule[] = [];
  let offset = 0;
  let width = 0;
  let openEnds: PdfRule[] = [];
  let tail: PdfTextItem[] = [];
  for (const p of pages) {
    const thin = p.rules.filter((r) => isHorizontal(r) || isVertical(r));
    const tops = [...p.items.map((t) => t.y - t.size), ...thin.map((r) => r.y0)];
    const bottoms = [...p.items.map((t) => t.y + t.size * 0.3), ...thin.map((r) => r.y1)];
    if (!tops.length) continue;
    const top = Math.min(...tops);
    const shift = offset - top;
    const placedItems = p.items.map((t) => ({ ...t, y: t.y + shift }));
    items.push(...placedItems);
    const placed = p.rules.map((r) => ({ ...r, y0: r.y0 + shift, y1: r.y1 + shift }));
    rules.push(...placed);
    const verticals = placed.filter(isVertical);
    if (verticals.length) {
      // the previous page's table goes on here when both sides of the break hold only text that sits inside
      // the columns (the rest of a cut row); a heading between two tables crosses a column line
      const firstTop = Math.min(...verticals.map((r) => r.y0));
      const starts = verticals.filter((r) => r.y0 <= firstTop + SNAP);
      const head = placedItems.filter((t) => t.str.trim() && t.y <= firstTop + t.size * 0.3);
      if (openEnds.length && starts.length && insideColumns(tail, openEnds) && insideColumns(head, starts)) {
        for (const v of starts) for (const e of openEnds) if (Math.abs((e.x0 + e.x1) / 2 - (v.x0 + v.x1) / 2) <= SNAP) e.y1 = v.y0;
      }
      const lastBottom = Math.max(...verticals.map((r) => r.y1));
      openEnds = verticals.filter((r) => r.y1 >= lastBottom - SNAP);
      tail = placedItems.filter((t) => t.str.trim() && t.y - t.size * 0.7 >= lastBottom);
    } else {
      openEnds = [];
      tail = [];
    }
    offset += Math.max(...bottoms) - top;
    width = Math.max(width, p.width);
  }
  return { width, height: offset, items, rules };
}

/** Does every text item lie between two of these vertical lines (none crosses one, none is outside)? */
function insideColumns(texts: PdfTextItem[], lines: PdfRule[]): boolean {
  const xs = lines.map((r) => (r.x0 + r.x1) / 2);
  const left = Math.min(...xs);
  const right = Math.max(...xs);
  return texts.every((t) => t.x >= left - SNAP && t.x + t.width <= right + SNAP && !xs.some((x) => t.x + SNAP < x && x < t.x + t.width - SNAP));
}

/** Pages in reading order → blocks. */
export function layoutBlocks(pages: PdfPageContent[]): LayoutResult {
  const flow = stackPages(pages);
  const pieces: Piece[] = [];
  let ruledTables = 0;
  const items = new Set(flow.items);
  for (const cluster of ruleClusters(flow.rules)) {
    const lattice = latticeOf(cluster, items);
    if (!lattice || !lattice.rows.some((r) => r.some((c) => c.text))) continue;
    ruledTables++;
    pieces.push({ y: lattice.ys[0], table: { kind: 'table', rows: gridFromSpec(lattice.rows), source: 'html' } });
  }
  const lines = groupLines([...items].filter((t) => t.str.trim())).map((l): Line => ({
    text: lineText(l, true), x: l[0].x, end: l[l.length - 1].x + l[l.length - 1].width, y: l[0].y, size: Math.max(...l.map((t) => t.size)),
  })).filter((l) => l.text);
  const margins = lines.length ? { left: Math.min(...lines.map((l) => l.x)), right: Math.max(...lines.map((l) => l.end)) } : { left: 0, right: 0 };
  for (const line of lines) pieces.push({ y: line.y, line });
  pieces.sort((a, b) => a.y - b.y);
  const blocks: Block[] = [];
  let run: Line[] = [];
  let textRows = 0;
  const flush = () => {
    if (!run.length) return;
    for (const b of textBlocks(paragraphText(run, margins))) {
      if (b.kind === 'table') textRows += b.rows.length;
      blocks.push(b);
    }
    run = [];
  };
  for (const p of pieces) {
    if ('line' in p) run.push(p.line);
    else {
      flush();
      blocks.push(p.table);
    }
  }
  flush();
  return { blocks, ruledTables, textRows };
}
