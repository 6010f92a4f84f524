/** HTML <table> → grid rows, with rowspan/colspan expanded onto physical columns. */
import type { AnyNode, Element } from 'domhandler';
import type { Cell, Row } from './blocks.ts';
import { squash } from './normalize.ts';
import { isElement, isText } from './dom.ts';

/** Limits that keep a hostile or broken table (colspan=10000) from exploding the grid. */
const MAX_COLSPAN = 64;
const MAX_ROWS = 2000;
const MAX_COLS = 128;

// td/th: the cells of a table nested in a cell ("1" | "2") stay two numbers, never "12"
const CELL_BLOCK = new Set(['p', 'div', 'br', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'td', 'th', 'ul', 'ol']);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'select', 'button']);

/** Text of a cell: inline runs joined as-is, block boundaries ("<p>1</p><p>2</p>") kept apart by a space. */
export function cellText(node: AnyNode): { text: string; image: boolean } {
  let out = '';
  let image = false;
  const stack: AnyNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (isText(n)) {
      out += n.data;
      continue;
    }
    if (!isElement(n)) continue;
    if (SKIP.has(n.name)) continue;
    if (n.name === 'img') image = true;
    if (CELL_BLOCK.has(n.name)) out += ' ';
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  const text = squash(out);
  return { text, image: image && text === '' };
}

function childElements(node: Element, names: Set<string>): Element[] {
  const out: Element[] = [];
  for (const c of node.children) if (isElement(c) && names.has(c.name)) out.push(c);
  return out;
}

const SECTIONS = new Set(['thead', 'tbody', 'tfoot']);
const TR = new Set(['tr']);

/** The <tr>s that belong to this table (not to a nested one). */
export function tableRows(table: Element): Element[] {
  const rows: Element[] = [];
  for (const c of table.children) {
    if (!isElement(c)) continue;
    if (c.name === 'tr') rows.push(c);
    else if (SECTIONS.has(c.name)) rows.push(...childElements(c, TR));
  }
  return rows;
}

/** A table as rows of cells before spans are expanded: what both the DOM and the markup reader produce. */
export interface CellSpec {
  text: string;
  image: boolean;
  rowspan: number;
  colspan: number;
}

/** A rowspan/colspan attribute value: a whole number ≥ 1, else 1 ("0", "abc", "-2" all mean one). */
export function spanValue(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const n = parseInt(raw, 10);
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

/** DOM <table> → grid rows (the grid model's tests and the DOM fallback use this). */
export function gridFromTable(table: Element): Row[] {
  return gridFromSpec(
    tableRows(table).slice(0, MAX_ROWS).map((tr) => {
      const cells: CellSpec[] = [];
      for (const td of tr.children) {
        if (!isElement(td) || (td.name !== 'td' && td.name !== 'th')) continue;
        cells.push({ ...cellText(td), rowspan: spanValue(td.attribs.rowspan), colspan: spanValue(td.attribs.colspan) });
      }
      return cells;
    }),
  );
}

/**
 * Expand rows of cells into logical cells on physical columns. A cell spanning columns appears once
 * per row (at its first column, with its span); a cell spanning rows appears again in each lower row
 * as `carried`.
 */
export function gridFromSpec(specRows: CellSpec[][]): Row[] {
  const n = Math.min(specRows.length, MAX_ROWS);
  // carried[r] = cells spanning down into row r from above, by column (sparse: most rows have none)
  const carried: Array<Map<number, Cell> | undefined> = new Array(n);
  const rows: Row[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const cells: Cell[] = [];
    const down = carried[r];
    let col = 0;
    for (const spec of specRows[r]) {
      if (down) col = placeCarried(down, cells, col);
      if (col >= MAX_COLS) break;
      const span = Math.min(spec.colspan, MAX_COLSPAN, MAX_COLS - col);
      const rowspan = Math.min(spec.rowspan, n - r);
      const cell: Cell = { text: spec.text, col, span, carried: false, image: spec.image };
      cells.push(cell);
      for (let i = 1; i < rowspan; i++) (carried[r + i] ??= new Map()).set(col, cell);
      col += span;
    }
    if (down) placeCarried(down, cells, col);
    rows[r] = { cells };
  }
  return rows;
}

/** Put the cells spanning down from above at `col` (and after), as copies marked `carried`. */
function placeCarried(down: Map<number, Cell>, cells: Cell[], col: number): number {
  let c = down.get(col);
  while (c) {
    cells.push({ text: c.text, col, span: c.span, carried: true, image: c.image });
    col += c.span;
    c = down.get(col);
  }
  return col;
}
