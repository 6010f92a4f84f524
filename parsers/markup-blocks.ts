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

const BLOCK = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'header',
  'footer', 'blockquote', 'center', 'dd', 'dt', 'dl', 'pre', 'form', 'main', 'aside', 'hr', 'nav', 'address',
  'figure', 'figcaption', 'caption',
]);
/** Elements whose text is not page text. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'select', 'button', 'iframe', 'object', 'head', 'title', 'textarea', 'svg']);
const SPAN_ATTR = /\b(rowspan|colspan)\s*=\s*["']?\s*(-?\d+)/gi;
const SRC_ATTR = /\b(?:data-src|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

/** Where text goes: the open cell, or (text between rows is moved out, as browsers do) the table's parent. */
function itemsOf(stack: Context[]): Item[] {
  const top = stack[stack.length - 1];
  return top.kind !== 'row' ? top.items : stack[stack.length - 2].items;
}

function innermostTable(stack: Context[]): number {
  for (let i = stack.length - 1; i > 0; i--) if (stack[i].kind === 'table') return i;
  return -1;
}

/** Close contexts above the innermost table down to (and including) the first of `kind`. */
function closeTo(stack: Context[], kind: 'row' | 'cell' | 'table'): void {
  const t = innermostTable(stack);
  if (t < 0) return;
  for (let i = stack.length - 1; i >= t; i--) {
    if (stack[i].kind === kind) {
      stack.length = i;
      return;
    }
  }
}

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** [\w:-] */
const isNameChar = (c: number) => isLetter(c) || (c >= 48 && c <= 58) || c === 95 || c === 45;

/**
 * One token of the markup at `i`, by hand (a regex match per token allocates; this runs on every tag). The
 * rules are those of the pattern
 *   <(\/?)([a-zA-Z][\w:-]*)([^>]*)>  |  <!--[\s\S]*?(?:-->|$)  |  <[!?][^>]*>  |  ([^<]+)  |  <
 * tried in that order: a tag needs a '>' after its name, a comment runs to '-->' or the end, a lone '<' is text.
 */
interface Token {
  /** 0 text, 1 tag, 2 comment/doctype (ignored) */
  type: 0 | 1 | 2;
  end: number;
  text: string;
  slash: boolean;
  /** the tag name, lower-cased, if the reader acts on the tag; '' for any other tag */
  name: string;
  /** where the attributes are: html.slice(attrStart, end - 1) */
  attrStart: number;
}
const tok: Token = { type: 0, end: 0, text: '', slash: false, name: '', attrStart: 0 };

/** Tags the reader acts on, bucketed by length and first letter: a tag's name is matched in place, no slice. */
const KNOWN_TAGS = new Map<number, string[]>();
for (const name of [...BLOCK, ...SKIP, 'table', 'tr', 'td', 'th', 'img']) {
  const key = name.length * 128 + name.charCodeAt(0);
  KNOWN_TAGS.set(key, [...(KNOWN_TAGS.get(key) ?? []), name]);
}

/** The lower-case name of html[start, end) if the reader acts on that tag (in any ASCII case), else ''. */
function knownTag(html: string, start: number, end: number): string {
  const list = KNOWN_TAGS.get((end - start) * 128 + (html.charCodeAt(start) | 32));
  if (list === undefined) return '';
  outer: for (const name of list) {
    for (let k = 1; k < name.length; k++) {
      const c = html.charCodeAt(start + k);
      const want = name.charCodeAt(k);
      if (c !== want && !(want >= 97 && c === want - 32)) continue outer;
    }
    return name;
  }
  return '';
}

function nextToken(html: string, i: number): Token {
  const n = html.length;
  if (html.charCodeAt(i) !== 60 /* < */) {
    const lt = html.indexOf('<', i);
    tok.type = 0;
    tok.end = lt < 0 ? n : lt;
    tok.text = html.slice(i, tok.end);
    return tok;
  }
  const c1 = html.charCodeAt(i + 1);
  const slash = c1 === 47 /* / */ && isLetter(html.charCodeAt(i + 2));
  if (slash || isLetter(c1)) {
    const nameStart = slash ? i + 2 : i + 1;
    const gt = html.indexOf('>', nameStart);
    if (gt >= 0) {
      let j = nameStart + 1;
      while (j < gt && isNameChar(html.charCodeAt(j))) j++;
      tok.type = 1;
      tok.end = gt + 1;
      tok.slash = slash;
      tok.name = knownTag(html, nameStart, j);
      tok.attrStart = j;
      return tok;
    }
  } else if (c1 === 33 /* ! */ && html.startsWith('<!--', i)) {
    const close = html.indexOf('-->', i + 4);
    tok.type = 2;
    tok.end = close < 0 ? n : close + 3;
    return tok;
  } else if (c1 === 33 || c1 === 63 /* ? */) {
    const gt = html.indexOf('>', i + 2);
    if (gt >= 0) {
      tok.type = 2;
      tok.end = gt + 1;
      return tok;
    }
  }
  tok.type = 0;
  tok.end = i + 1;
  tok.text = '<';
  return tok;
}

function tree(html: string): Item[] {
  const root: Item[] = [];
  const stack: Context[] = [context('container', root)];
  let skipping: string | null = null;

  for (let i = 0; i < html.length; ) {
    const t = nextToken(html, i);
    i = t.end;
    if (skipping) {
      if (t.type === 1 && t.slash && t.name === skipping) skipping = null;
      continue;
    }
    if (t.type === 0) {
      itemsOf(stack).push(t.text.includes('&') ? decodeHTML(t.text) : t.text);
      continue;
    }
    if (t.type === 2) continue; // comment, doctype
    const { slash, name } = t;
    if (SKIP.has(name)) {
      if (!slash && !html.slice(t.attrStart, t.end - 1).trimEnd().endsWith('/')) skipping = name;
      continue;
    }
    switch (name) {
      case 'table': {
        if (slash) {
          closeTo(stack, 'table');
          break;
        }
        const table: TableNode = { kind: 'table', rows: [], layout: false };
        for (const c of stack) if (c.table) c.table.layout = true;
        const parent = itemsOf(stack);
        parent.push(table);
        stack.push(context('table', parent, table));
        break;
      }
      case 'tr': {
        const ti = innermostTable(stack);
        if (ti < 0) break;
        stack.length = ti + 1;
        if (!slash) {
          const cells: CellNode[] = [];
          stack[ti].table!.rows.push(cells);
          stack.push(context('row', [], null, cells));
        }
        break;
      }
      case 'td':
      case 'th': {
        const ti = innermostTable(stack);
        if (ti < 0) break;
        if (slash) {
          closeTo(stack, 'cell');
          break;
        }
        closeTo(stack, 'cell');
        let top = stack[stack.length - 1];
        if (top.kind !== 'row') {
          stack.length = ti + 1;
          const cells: CellNode[] = [];
          stack[ti].table!.rows.push(cells);
          top = context('row', [], null, cells);
          stack.push(top);
        }
        const cell: CellNode = { rowspan: 1, colspan: 1, items: [] };
        const attrs = html.slice(t.attrStart, t.end - 1);
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
        const src = html.slice(t.attrStart, t.end - 1).match(SRC_ATTR);
        itemsOf(stack).push({ kind: 'image', src: src ? decodeHTML(src[1] ?? src[2] ?? src[3]) : '' });
        break;
      }
      default:
        if (BLOCK.has(name)) itemsOf(stack).push(BREAK);
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

function pushPara(buf: string, blocks: Block[]): void {
  const text = squash(buf);
  if (text) blocks.push({ kind: 'para', text });
}

function emit(items: Item[], blocks: Block[]): void {
  let buf = '';
  for (const it of items) {
    if (typeof it === 'string') buf += it;
    else if (it === BREAK) {
      pushPara(buf, blocks);
      buf = '';
    } else if (it.kind === 'image') {
      pushPara(buf, blocks);
      buf = '';
      blocks.push({ kind: 'image', src: it.src });
    } else {
      pushPara(buf, blocks);
      buf = '';
      if (it.layout || it.rows.length === 0) {
        for (const row of it.rows) for (const cell of row) emit(cell.items, blocks);
      } else {
        const rows = gridFromSpec(it.rows.map((r) => r.map(cellSpec)));
        if (rows.some((r) => r.cells.length)) blocks.push({ kind: 'table', rows, source: 'html' });
      }
    }
  }
  pushPara(buf, blocks);
}

export function markupBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  emit(tree(html), blocks);
  return blocks;
}
