/**
 * The text form of a report (attachment text, extracted Word/PDF, markdown) into blocks.
 * Tables come in three shapes: cells separated by " | " on one line (also markdown tables),
 * or one cell per tab-indented line with a blank line between rows (Word text export).
 */
import type { Block, Cell, Row } from './blocks.ts';
import { squash } from './normalize.ts';

const MD_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const HEADING = /^\s*[一二三四五六七八九十]+[、.．]/;

function rowOf(texts: string[]): Row {
  const cells: Cell[] = texts.map((t, i) => ({ text: squash(t), col: i, span: 1, carried: false, image: false }));
  return { cells };
}

function pipeCells(line: string): string[] {
  const parts = line.split('|');
  const trimmed = line.trim();
  if (trimmed.startsWith('|')) parts.shift();
  if (trimmed.endsWith('|') && parts.length > 1) parts.pop();
  return parts;
}

function isPipeRow(line: string): boolean {
  return line.includes('|') && pipeCells(line).length >= 2;
}

export function textBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let table: Row[] | null = null;
  let tabRow: string[] | null = null;
  let lastWasTab = false;

  const endTabRow = () => {
    if (tabRow && tabRow.length) {
      table ??= [];
      table.push(rowOf(tabRow));
    }
    tabRow = null;
  };
  const endTable = () => {
    endTabRow();
    if (table && table.length) blocks.push({ kind: 'table', rows: table, source: 'text' });
    table = null;
  };

  for (const line of lines) {
    if (MD_SEPARATOR.test(line) && line.includes('-')) continue;
    if (line.startsWith('\t')) {
      tabRow ??= [];
      tabRow.push(line.slice(1));
      lastWasTab = true;
      continue;
    }
    if (line.trim() === '') {
      endTabRow();
      lastWasTab = false;
      continue;
    }
    // a wrapped header cell ("本年新\n制作数量") continues the tab cell just above it
    if (lastWasTab && tabRow && tabRow.length && !HEADING.test(line)) {
      tabRow[tabRow.length - 1] += ' ' + line;
      continue;
    }
    lastWasTab = false;
    if (isPipeRow(line)) {
      endTabRow();
      table ??= [];
      table.push(rowOf(pipeCells(line)));
      continue;
    }
    endTable();
    const para = squash(line);
    if (para) blocks.push({ kind: 'para', text: para });
  }
  endTable();
  return blocks;
}
