/**
 * `nianbao parse <file>`: exit 0 for a parsed report (warnings included), 1 for unreadable input
 * (one-line reason on stderr), 3 for a readable document that is not an annual report.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { isAnnualReport, parsePage, UnreadableInput, type CanonicalReport } from '../../parsers/index.ts';
import { documentKind, parseDocument } from '../../parsers/documents/index.ts';
import { renderSummary } from './summary.ts';

export const EXIT_OK = 0;
export const EXIT_UNREADABLE = 1;
export const EXIT_NOT_A_REPORT = 3;

const MAX_INPUT = 64 * 1024 * 1024;

function formOf(file: string, forced?: string): 'html' | 'text' | undefined {
  if (forced === 'html' || forced === 'text') return forced;
  const ext = extname(file).toLowerCase();
  if (ext === '.html' || ext === '.htm' || ext === '.shtml') return 'html';
  if (ext === '.txt' || ext === '.md') return 'text';
  return undefined;
}

export async function parseCommand(file: string, opts: { url?: string; json?: boolean; form?: string }): Promise<number> {
  let report: CanonicalReport;
  try {
    const size = statSync(file).size;
    if (size > MAX_INPUT) throw new UnreadableInput(`file is ${size} bytes; the limit is ${MAX_INPUT}`);
    const body = readFileSync(file);
    if (!opts.form && documentKind(body, null, file)) {
      // a report file (PDF, DOCX; DOC/WPS/OFD are named and refused with the reason)
      const r = await parseDocument(body, { url: opts.url ?? null });
      if (r.status !== 'parsed') throw new UnreadableInput(r.reason);
      report = r.parse.report;
    } else report = parsePage({ body, url: opts.url ?? null }, formOf(file, opts.form));
  } catch (err) {
    const reason = err instanceof UnreadableInput ? err.message : (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    process.stderr.write(`nianbao parse: ${file}: ${reason}\n`);
    return EXIT_UNREADABLE;
  }
  process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : renderSummary(report, process.stdout.isTTY ?? false));
  if (!isAnnualReport(report)) {
    process.stderr.write(`nianbao parse: ${file}: not an annual report (${report.title ?? 'no title'})\n`);
    return EXIT_NOT_A_REPORT;
  }
  return EXIT_OK;
}
