/**
 * A report as a stream of blocks in reading order: paragraphs, tables (as grids) and images.
 * Both the HTML page and the text form of a report become blocks, so everything downstream
 * (sections, tables, checks) has one code path.
 */

export interface Cell {
  /** cell text, whitespace squashed; block boundaries inside the cell become one space */
  text: string;
  /** first physical grid column the cell covers, and how many */
  col: number;
  span: number;
  /** a copy of a cell spanning down from an earlier row (rowspan) */
  carried: boolean;
  /** the cell holds an image and no text */
  image: boolean;
}

export interface Row {
  cells: Cell[];
}

export interface TableBlock {
  kind: 'table';
  rows: Row[];
  source: 'html' | 'text';
}

export interface ParaBlock {
  kind: 'para';
  text: string;
}

export interface ImageBlock {
  kind: 'image';
  src: string;
}

export type Block = TableBlock | ParaBlock | ImageBlock;

export function cellTexts(row: Row): string[] {
  return row.cells.map((c) => c.text);
}
