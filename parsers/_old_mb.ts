/**
 * Slimmed content markup → blocks (paragraphs, tables as grids, images), read as a token stream.
 * After `slimContent` a report body is small, regular markup — block tags, table tags with
 * rowspan/colspan, images — so a DOM is not needed; tables are kept as a small tree so that a table
 * holding another table can be read as page layout, and the HTML rules for unclosed cells and rows
 * (a <td> or <tr> closes the open one) are applied here.
 */
import { decodeHTML } from 'entities';
import type { Block } from './blocks.ts';
import { gridFromSpec, spanValue, type CellSpec } from './html-grid.ts';
import { squash } from './normalize.ts';

const BREAK = 0;
interface ImageItem {
  kind: 'image';
  src: string;
}
interface CellNode {
  rowspan: number;
  colspan: number;
  items: Item[];
}
interface TableNode {
  kind: 'table';
  rows: CellNode[][];
  /** holds another table: page layout, read cell by cell */
  layout: boolean;
}
type Item = string | typeof BREAK | ImageItem | TableNode;

/** One shape for every open context keeps property access monomorphic on this hot path. */
interface Context {
  kind: 'container' | 'table' | 'row' | 'cell';
  /** where text goes while this context is on top: the container's or cell's items, a table's parent */
  items: Item[];
  table: TableNode | null;
  cells: CellNode[] | null;
}
const context = (kind: Context['kind'], items: Item[], table: TableNode | null = null, cells: CellNode[] | null = null): Context => ({ kind, items, table, cells });

const TOKEN = /<(\/?)([a-zA-Z][\w:-]*)([^>]*)>|<!--[\s\S]*?(?:-->|$)|<[!?][^>]*>|([^<]+)|</g;
const BLOCK = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'header',
  'footer', 'blockquote', 'center', 'dd', 'dt', 'dl', 'pre', 'form', 'main', 'aside', 'hr', 'nav', 'address',
  'figure', 'figcaption', 'caption',
]);
/** Elements whose text is not page text. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'select', 'button', 'iframe', 'object', 'head', 'title', 'textarea', 'svg']);
const SPAN_ATTR = /\b(rowspan|colspan)\s*=\s*["']?\s*(-?\d+)/gi;
const SRC_ATTR = /\b(?:data-src|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

function tree(html: string): Item[] {
  const root: Item[] = [];
  const stack: Context[] = [context('container', root)];
  /** where text goes: the open cell, or (text between rows is moved out, as browsers do) the table's parent */
  const items = (): Item[] => {
    const top = stack[stack.length - 1];
    return top.kind !== 'row' ? top.items : stack[stack.length - 2].items;
  };
  const innermostTable = () => {
    for (let i = stack.length - 1; i > 0; i--) if (stack[i].kind === 'table') return i;
    return -1;
  };
  /** close contexts above the innermost table down to (and including) the first of `kind` */
  const closeTo = (kind: 'row' | 'cell' | 'table') => {
    const t = innermostTable();
    if (t < 0) return;
    for (let i = stack.length - 1; i >= t; i--) {
      if (stack[i].kind === kind) {
        stack.length = i;
        return;
      }
    }
  };
  let skipping: string | null = null;

  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); m; m = TOKEN.exec(html)) {
    const slash = m[1];
    const rawName = m[2];
    const attrs = m[3];
    const text = m[4];
    if (skipping) {
      if (slash && rawName?.toLowerCase() === skipping) skipping = null;
      continue;
    }
    if (text !== undefined || m[0] === '<') {
      const t = text ?? '<';
      items().push(t.includes('&') ? decodeHTML(t) : t);
      continue;
    }
    if (!rawName) continue; // comment, doctype
    const name = rawName.toLowerCase();
    if (SKIP.has(name)) {
      if (!slash && !attrs.trimEnd().endsWith('/')) skipping = name;
      continue;
    }
    switch (name) {
      case 'table': {
        if (slash) {
          closeTo('table');
          break;
        }
        const table: TableNode = { kind: 'table', rows: [], layout: false };
        for (const c of stack) if (c.table) c.table.layout = true;
        const parent = items();
        parent.push(table);
        stack.push(context('table', parent, table));
        break;
      }
      case 'tr': {
        const t = innermostTable();
        if (t < 0) break;
        stack.length = t + 1;
        if (!slash) {
          const cells: CellNode[] = [];
          stack[t].table!.rows.push(cells);
          stack.push(context('row', [], null, cells));
        }
        break;
      }
      case 'td':
      case 'th': {
        const t = innermostTable();
        if (t < 0) break;
        if (slash) {
          closeTo('cell');
          break;
        }
        closeTo('cell');
        let top = stack[stack.length - 1];
        if (top.kind !== 'row') {
          stack.length = t + 1;
          const cells: CellNode[] = [];
          stack[t].table!.rows.push(cells);
          top = context('row', [], null, cells);
          stack.push(top);
        }
        const cell: CellNode = { rowspan: 1, colspan: 1, items: [] };
        if (attrs) {
          // exec on the shared pattern: matchAll would clone the RegExp for every cell
          SPAN_ATTR.lastIndex = 0;
          for (let a = SPAN_ATTR.exec(attrs); a; a = SPAN_ATTR.exec(attrs)) cell[a[1].toLowerCase() as 'rowspan' | 'colspan'] = spanValue(a[2]);
        }
        top.cells!.push(cell);
        stack.push(context('cell', cell.items));
        break;
      }
      case 'img': {
        const src = attrs.match(SRC_ATTR);
        items().push({ kind: 'image', src: src ? decodeHTML(src[1] ?? src[2] ?? src[3]) : '' });
        break;
      }
      default:
        if (BLOCK.has(name)) items().push(BREAK);
    }
  }
  return root;
}

/** Text of a cell: runs joined as printed, block boundaries kept apart by a space. */
function cellSpec(cell: CellNode): CellSpec {
  let out = '';
  let image = false;
  for (const it of cell.items) {
    if (typeof it === 'string') out += it;
    else if (it === BREAK) out += ' ';
    else if (it.kind === 'image') image = true;
  }
  const text = squash(out);
  return { text, image: image && text === '', rowspan: cell.rowspan, colspan: cell.colspan };
}

function emit(items: Item[], blocks: Block[]): void {
  let buf = '';
  const flush = () => {
    const text = squash(buf);
    if (text) blocks.push({ kind: 'para', text });
    buf = '';
  };
  for (const it of items) {
    if (typeof it === 'string') buf += it;
    else if (it === BREAK) flush();
    else if (it.kind === 'image') {
      flush();
      blocks.push({ kind: 'image', src: it.src });
    } else {
      flush();
      if (it.layout || it.rows.length === 0) {
        for (const row of it.rows) for (const cell of row) emit(cell.items, blocks);
      } else {
        const rows = gridFromSpec(it.rows.map((r) => r.map(cellSpec)));
        if (rows.some((r) => r.cells.length)) blocks.push({ kind: 'table', rows, source: 'html' });
      }
    }
  }
  flush();
}

export function markupBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  emit(tree(html), blocks);
  return blocks;
}
