/**
 * Following table pictures: a stored report whose standard table is only a picture (TABLE_AS_IMAGE; the
 * warning's detail ends "; images: <url> …") has those pictures queued, in the transaction that commits the
 * page (settleFetch), as frontier items of kind 'attachment' — the same kind as report files, because a
 * picture is fetched, validated, retried and stored exactly like one (and the frontier's kind CHECK stays);
 * what makes it a table picture is its table_pictures row (migration 13: page, table key, picture URL).
 * Same site only, one hop deeper; fetched again only when its page comes back as a new version.
 * After the picture's fetch is committed, crawlers/ocr-runner.ts reads it off the crawl thread.
 */
import type { TableKey } from '../parsers/types.ts';
import { canonicalUrl } from '../storage/normalise.ts';
import { stmt } from '../storage/sql.ts';
import type { Archive, IngestResult } from '../storage/types.ts';
import { enqueue, type FrontierItem } from './frontier.ts';

const TABLE_KEYS: ReadonlySet<string> = new Set(['active', 'applications', 'review_litigation']);

export interface TablePicture {
  table: TableKey;
  url: string;
}

/** The pictures a report's TABLE_AS_IMAGE warnings list, on the page's own site. */
export function tablePictures(warningsJson: string, sameSite: (url: string) => boolean): TablePicture[] {
  const warnings = JSON.parse(warningsJson) as { code: string; section?: string; detail?: string }[];
  const out: TablePicture[] = [];
  for (const w of warnings) {
    if (w.code !== 'TABLE_AS_IMAGE' || !w.section || !TABLE_KEYS.has(w.section)) continue;
    const i = w.detail?.indexOf('; images: ') ?? -1;
    if (i < 0) continue;
    for (const url of w.detail!.slice(i + '; images: '.length).split(/\s+/).filter(Boolean)) {
      if (sameSite(url)) out.push({ table: w.section as TableKey, url: canonicalUrl(url) });
    }
  }
  return out;
}

/**
 * Inside settleFetch's transaction, after a detail page is stored: queue the pictures of its picture
 * tables and record them. Returns how many pictures were queued or already known.
 */
export function followTablePictures(db: Archive, item: FrontierItem, final: IngestResult | null, opts: { sameSite: (url: string) => boolean; runId?: number | null; now: Date | number }): number {
  if (item.kind !== 'detail' || !final?.documentId) return 0;
  const row = stmt(db, `SELECT r.warnings FROM documents d JOIN reports r ON r.version_id = d.current_version_id WHERE d.id = ?`)
    .get(final.documentId) as { warnings: string } | undefined;
  if (!row || !row.warnings.includes('TABLE_AS_IMAGE')) return 0;
  const pictures = tablePictures(row.warnings, opts.sameSite);
  if (!pictures.length) return 0;
  enqueue(db, pictures.map((p) => ({
    url: p.url, kind: 'attachment' as const, site: item.site, depth: item.depth + 1, discoveredFrom: item.url, runId: opts.runId ?? item.runId,
  })), { now: opts.now, revisit: final.outcome === 'new_version' });
  const insert = stmt(db, `INSERT OR IGNORE INTO table_pictures (page_document_id, table_key, picture_url, first_seen) VALUES (?, ?, ?, ?)`);
  const at = new Date(opts.now).toISOString();
  for (const p of pictures) insert.run(final.documentId, p.table, p.url, at);
  return pictures.length;
}

/** Whether a URL is a table picture some page showed (its fetch is then read by OCR). */
export function isTablePicture(db: Archive, url: string): boolean {
  return stmt(db, `SELECT 1 FROM table_pictures WHERE picture_url = ? LIMIT 1`).get(canonicalUrl(url)) !== undefined;
}
