/** Temporary archives for the crawler tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive, type Archive } from '../../storage/index.ts';

export interface TempArchive {
  db: Archive;
  path: string;
  dir: string;
  reopen(): Archive;
  cleanup(): void;
}

export function tempArchive(): TempArchive {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-crawl-'));
  const path = join(dir, 'nianbao.db');
  const t: TempArchive = {
    db: openArchive(path),
    path,
    dir,
    reopen() {
      if (t.db.open) t.db.close();
      t.db = openArchive(path);
      return t.db;
    },
    cleanup() {
      if (t.db.open) t.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

/** A small HTML page that is not a report (the parser stores it raw, 'not_a_report'). */
export function page(title: string, links: string[] = []): string {
  const items = links.map((l) => `<li><a href="${l}">${l}</a></li>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><ul>${items}</ul></body></html>`;
}
