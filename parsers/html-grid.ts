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

function spanAttr(el: Element, name: string, max: number): number {
  const v = el.attribs[name];
  if (v === undefined) return 1;
  const n = parseInt(v, 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : 1;
}

/**
 * Expand a table into rows of logical cells. A cell spanning columns appears once per row (at its
 * first column, with its span); a cell spanning rows appears again in each lower row as `carried`.
 */
export function gridFromTable(table: Element): Row[] {
  const trs = tableRows(table).slice(0, MAX_ROWS);
  // carried[r] = cells spanning down into row r from above, by column (sparse: most rows have none)
  const carried: Array<Map<number, Cell> | undefined> = new Array(trs.length);
  const rows: Row[] = new Array(trs.length);
  for (let r = 0; r < trs.length; r++) {
    const cells: Cell[] = [];
    const down = carried[r];
    let col = 0;
    for (const td of trs[r].children) {
      if (!isElement(td) || (td.name !== 'td' && td.name !== 'th')) continue;
      if (down) col = placeCarried(down, cells, col);
      if (col >= MAX_COLS) break;
      const span = Math.min(spanAttr(td, 'colspan', MAX_COLSPAN), MAX_COLS - col);
      const rowspan = Math.min(spanAttr(td, 'rowspan', MAX_ROWS), trs.length - r);
      const { text, image } = cellText(td);
      const cell: Cell = { text, col, span, carried: false, image };
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
