/** Walk a content region of an HTML page into blocks (paragraphs, tables, images). */
import type { AnyNode, Element } from 'domhandler';
import type { Block } from './blocks.ts';
import { squash } from './normalize.ts';
import { hasDescendant, isElement, isText } from './dom.ts';
import { gridFromTable, tableRows } from './html-grid.ts';

const BLOCK = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'header',
  'footer', 'blockquote', 'center', 'dd', 'dt', 'dl', 'pre', 'tr', 'td', 'th', 'form', 'main', 'aside',
  'table', 'tbody', 'thead', 'tfoot', 'hr', 'nav', 'address', 'figure', 'figcaption',
]);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'select', 'button', 'iframe', 'object', 'head', 'title', 'input', 'textarea', 'svg']);

type Frame = { node: AnyNode; exit: boolean };

/** A table that holds other tables is page layout, not data: walk into it instead of gridding it. */
function isLayoutTable(table: Element): boolean {
  if (hasDescendant(table, 'table')) return true;
  return tableRows(table).length === 0;
}

export function htmlBlocks(root: AnyNode): Block[] {
  const blocks: Block[] = [];
  let buf = '';
  const flush = () => {
    const text = squash(buf);
    if (text) blocks.push({ kind: 'para', text });
    buf = '';
  };
  const stack: Frame[] = [{ node: root, exit: false }];
  while (stack.length) {
    const { node, exit } = stack.pop()!;
    if (exit) {
      flush();
      continue;
    }
    if (isText(node)) {
      buf += node.data;
      continue;
    }
    if (!isElement(node)) {
      // documents and fragments have children but are not elements
      const kids = (node as { children?: AnyNode[] }).children;
      if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], exit: false });
      continue;
    }
    if (SKIP.has(node.name)) continue;
    if (node.name === 'img') {
      const src = node.attribs.src ?? node.attribs['data-src'] ?? '';
      flush();
      blocks.push({ kind: 'image', src });
      continue;
    }
    if (node.name === 'table' && !isLayoutTable(node)) {
      flush();
      const rows = gridFromTable(node);
      if (rows.some((r) => r.cells.length)) blocks.push({ kind: 'table', rows, source: 'html' });
      continue;
    }
    const block = BLOCK.has(node.name);
    if (block) {
      flush();
      stack.push({ node, exit: true });
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], exit: false });
  }
  flush();
  return blocks;
}
