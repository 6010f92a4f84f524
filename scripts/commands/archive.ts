/**
 * The archive commands: search, show, changes, export, query, reparse. Each takes --db FILE and
 * works on an archive made by an older nianbao (openArchive migrates on write, refuses newer ones).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Command } from 'commander';
import {
  EXPORT_VIEWS, exportRows, listChanges, reparse, search, showDocument, type ChangeKind, type ExportView,
} from '../../storage/index.ts';
import { DB_HELP, csvLine, openForReading, openForWriting, padStart, textTable, type DbOption } from './archive-io.ts';
import { renderSummary } from './summary.ts';

const CHANGE_KINDS: ChangeKind[] = ['new', 'text_changed', 'numbers_changed', 'removed', 'restored', 'delisted', 'relisted'];

/** "2023" or "2019-2023" */
export function parseYears(text: string): number | { from: number; to: number } {
  const m = text.match(/^(\d{4})(?:\s*-\s*(\d{4}))?$/);
  if (!m) throw new Error(`--year takes YYYY or YYYY-YYYY, not "${text}"`);
  return m[2] ? { from: Number(m[1]), to: Number(m[2]) } : Number(m[1]);
}

function run(action: () => void): void {
  try {
    action();
  } catch (err) {
    process.stderr.write(`nianbao: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

export function registerArchiveCommands(program: Command): void {
  program
    .command('search')
    .description('full-text search over title, agency and body (Chinese, any length ≥ 1 character)')
    .argument('<words...>', 'words to find; all must match')
    .option('--province <p>', 'only this province')
    .option('--year <y>', 'report year, or a range 2019-2023')
    .option('--limit <n>', 'at most this many hits', '20')
    .option('--json', 'print JSON')
    .option('--db <file>', DB_HELP)
    .action((words: string[], o: DbOption & { province?: string; year?: string; limit: string; json?: boolean }) => run(() => {
      const db = openForReading(o);
      const hits = search(db, words.join(' '), { province: o.province, year: o.year ? parseYears(o.year) : undefined, limit: Number(o.limit) });
      if (o.json) return void process.stdout.write(JSON.stringify(hits, null, 2) + '\n');
      for (const h of hits) {
        process.stdout.write(`#${h.documentId}  ${h.year ?? '----'}  ${h.agency ?? ''}  ${h.title ?? ''}${h.status === 'removed' ? '  [removed]' : ''}\n    ${h.url}\n    ${h.snippet}\n`);
      }
      process.stdout.write(`${hits.length} hit(s)\n`);
    }));

  program
    .command('show')
    .description('one report: metadata, tables, checks, and its version history with the cell diffs')
    .argument('<id|url>', 'document id (from search) or URL')
    .option('--json', 'print JSON')
    .option('--db <file>', DB_HELP)
    .action((ref: string, o: DbOption & { json?: boolean }) => run(() => {
      const db = openForReading(o);
      const view = showDocument(db, /^\d+$/.test(ref) ? Number(ref) : ref);
      if (!view) throw new Error(`no document ${ref}`);
      if (o.json) return void process.stdout.write(JSON.stringify(view, null, 2) + '\n');
      const d = view.document;
      process.stdout.write(`document #${d.id}  ${d.status} since ${d.statusSince}  first seen ${d.firstSeen}, last seen ${d.lastSeen}, ${d.fetches} fetch(es)\n${d.url}\n\n`);
      process.stdout.write(view.report ? renderSummary(view.report, process.stdout.isTTY ?? false) : '(no version of this page could be read as a report)\n');
      process.stdout.write(`\nversions\n`);
      for (const v of view.versions) process.stdout.write(`  #${v.seq}  seen ${v.firstSeen}  ${v.parseStatus}${v.parseReason ? ` (${v.parseReason})` : ''}  parser ${v.parserVersion}  sha256 ${v.blobSha256.slice(0, 12)}\n`);
      process.stdout.write(`\nchanges at the source\n`);
      if (!view.changes.length) process.stdout.write('  (none)\n');
      for (const c of view.changes) process.stdout.write(`  ${c.at}  ${c.kind}${describeDetail(c.detail)}\n`);
      if (view.parserChanges.length) {
        process.stdout.write(`\nread differently by a newer nianbao parser (not changes of the report)\n`);
        for (const p of view.parserChanges) process.stdout.write(`  ${JSON.stringify(p)}\n`);
      }
    }));

  program
    .command('changes')
    .description('what changed at the source: new, text_changed, numbers_changed, removed, restored')
    .option('--since <date>', 'only changes at or after this date (YYYY-MM-DD or ISO time)')
    .option('--kind <k>', `one of ${CHANGE_KINDS.join(', ')}`)
    .option('--province <p>', 'only this province')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .option('--db <file>', DB_HELP)
    .action((o: DbOption & { since?: string; kind?: string; province?: string; limit: string; json?: boolean }) => run(() => {
      if (o.kind && !CHANGE_KINDS.includes(o.kind as ChangeKind)) throw new Error(`--kind must be one of ${CHANGE_KINDS.join(', ')}`);
      const db = openForReading(o);
      const rows = listChanges(db, { since: o.since, kind: o.kind as ChangeKind | undefined, province: o.province, limit: Number(o.limit) });
      if (o.json) return void process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      for (const c of rows) process.stdout.write(`${c.at}  ${c.kind.padEnd(15)} #${c.documentId}  ${c.year ?? '----'}  ${c.agency ?? ''}  ${c.title ?? c.url}${describeDetail(c.detail)}\n`);
      process.stdout.write(`${rows.length} change(s)\n`);
    }));

  program
    .command('export')
    .description(`export a view as CSV, JSON or NDJSON (views: ${EXPORT_VIEWS.join(', ')})`)
    .option('--format <f>', 'csv, json or ndjson', 'csv')
    .option('--view <name>', 'the view to export', 'applications_wide')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--db <file>', DB_HELP)
    .action((o: DbOption & { format: string; view: string; out?: string }) => run(() => {
      if (!['csv', 'json', 'ndjson'].includes(o.format)) throw new Error('--format must be csv, json or ndjson');
      const db = openForReading(o);
      const out: NodeJS.WritableStream | WriteStream = o.out ? createWriteStream(o.out) : process.stdout;
      let n = 0;
      let cols: string[] | null = null;
      if (o.format === 'json') out.write('[');
      for (const row of exportRows(db, o.view as ExportView)) {
        if (o.format === 'csv') {
          if (!cols) out.write(csvLine((cols = Object.keys(row))) + '\n');
          out.write(csvLine(cols.map((c) => row[c])) + '\n');
        } else if (o.format === 'ndjson') out.write(JSON.stringify(row) + '\n');
        else out.write((n ? ',\n' : '\n') + JSON.stringify(row));
        n++;
      }
      if (o.format === 'json') out.write('\n]\n');
      if (o.out) (out as WriteStream).end(() => process.stderr.write(`${n} row(s) of ${o.view} written to ${o.out}\n`));
    }));

  program
    .command('query')
    .description('run one read-only SQL statement (the views are documented in README)')
    .argument('<sql>', 'a SELECT (the connection is read-only: writes fail)')
    .option('--json', 'print JSON rows')
    .option('--csv', 'print CSV')
    .option('--db <file>', DB_HELP)
    .action((sql: string, o: DbOption & { json?: boolean; csv?: boolean }) => run(() => {
      const db = openForReading(o);
      const stmt = db.prepare(sql);
      if (!stmt.reader) throw new Error('query runs statements that return rows (SELECT, WITH, PRAGMA …); the archive is opened read-only');
      const rows = stmt.all() as Array<Record<string, unknown>>;
      if (o.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      else if (o.csv) {
        if (rows.length) process.stdout.write(csvLine(Object.keys(rows[0])) + '\n');
        for (const r of rows) process.stdout.write(csvLine(Object.values(r)) + '\n');
      } else process.stdout.write(textTable(rows));
    }));

  program
    .command('reparse')
    .description('re-derive reports and cells from the stored pages with this parser (no fetching)')
    .option('--stale-only', 'only the versions read by another parser version')
    .option('--db <file>', DB_HELP)
    .action((o: DbOption & { staleOnly?: boolean }) => run(() => {
      const db = openForWriting(o);
      const s = reparse(db, { onlyStale: o.staleOnly ?? false });
      process.stdout.write(`parser ${s.parserVersion}: ${s.versionsSeen} version(s) read, ${s.versionsChanged} read differently\n`);
      for (const [k, n] of Object.entries(s.changes)) if (n) process.stdout.write(`  ${padStart(String(n), 6)}  ${k}\n`);
      // OCR-derived values (storage/ocr-results.ts) are not re-read: they stay with their version, as they were
      const ocr = db.prepare(`SELECT count(*) AS n FROM ocr_tables WHERE status = 'accepted'`).get() as { n: number };
      if (ocr.n) process.stdout.write(`OCR-derived values kept as they were (not re-read): ${ocr.n} table picture(s), provenance 'ocr'\n`);
    }));
}

/** One line for a change's detail: the cell diffs of numbers_changed, the size of a text change. */
function describeDetail(detail: Record<string, unknown>): string {
  const cells = detail.cells as Array<{ table: string; key: string; old?: unknown; new?: unknown }> | undefined;
  if (cells?.length) return '\n' + cells.map((c) => `      ${c.table}.${c.key}: ${show(c.old)} → ${show(c.new)}`).join('\n');
  const removed = detail.removed as string[] | undefined;
  const added = detail.added as string[] | undefined;
  if (removed || added) {
    const lines = [...(removed ?? []).map((l) => `      - ${l}`), ...(added ?? []).map((l) => `      + ${l}`)];
    return '\n' + lines.slice(0, 8).join('\n') + (lines.length > 8 ? `\n      … ${lines.length - 8} more line(s)` : '');
  }
  if (detail.status) return `  (HTTP ${detail.status})`;
  return '';
}

const show = (v: unknown) => (v === undefined ? '∅' : v === null ? '·' : String(v));
