/** Shared by the archive commands: opening the archive from --db, and printing rows for people or machines. */
import { existsSync } from 'node:fs';
import { DEFAULT_DB_PATH, openArchive, type Archive } from '../../storage/index.ts';

export interface DbOption {
  db?: string;
}

export const DB_HELP = `archive file (default ${DEFAULT_DB_PATH})`;

/** Open for reading; a missing file is a clear error, not a new empty archive. */
export function openForReading(opts: DbOption): Archive {
  const path = opts.db ?? DEFAULT_DB_PATH;
  if (!existsSync(path)) throw new Error(`no archive at ${path} (run a crawl, or pass --db FILE)`);
  return openArchive(path, { readonly: true });
}

export function openForWriting(opts: DbOption): Archive {
  return openArchive(opts.db ?? DEFAULT_DB_PATH);
}

/** Display width: CJK characters take two columns. */
export function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

export const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
export const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Rows as an aligned text table (long cells cut at `maxWidth`). */
export function textTable(rows: Array<Record<string, unknown>>, maxWidth = 48): string {
  if (!rows.length) return '(no rows)\n';
  const cols = Object.keys(rows[0]);
  const cut = (s: string) => (width(s) > maxWidth ? [...s].slice(0, maxWidth - 1).join('') + '…' : s);
  const cells = rows.map((r) => cols.map((c) => cut(cell(r[c]).replace(/\s+/g, ' '))));
  const widths = cols.map((c, i) => Math.max(width(c), ...cells.map((r) => width(r[i]))));
  const line = (vals: string[]) => vals.map((v, i) => padEnd(v, widths[i])).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

export function csvLine(values: unknown[]): string {
  return values.map((v) => {
    const s = cell(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',');
}
