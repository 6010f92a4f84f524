/**
 * Following report files (issue 5). A report page whose report is in its file — the parser's
 * BODY_IS_ATTACHMENT_LINK ("见附件" pages), or a report page with no table cells that links PDF/DOCX/DOC/WPS/OFD
 * files — has those files queued as frontier items of kind 'attachment' (same site, one hop deeper, discovered
 * from the page), and each file recorded in page_attachments (migration 10), in the transaction that commits
 * the page (settleFetch). A kill loses nothing: the page and its files' queue rows commit together.
 *
 * Policy: files of a page that HAS its tables are not fetched (bytes and politeness: the numbers are on the
 * page already); their list stays in the page's report (reports.attachments). A file is fetched once per run:
 * each run that settles its page (new version, same version or 304 alike — a portal often replaces the file
 * under an unchanged page) queues it again, and the fetch is conditional (ETag / Last-Modified), so an
 * unchanged file costs a 304. "Once per run" is frontier.ts's run-id revisit: a run resumed after a kill keeps
 * its id, so a file it already settled is not fetched twice. A file that answers 404/410 is removed like a
 * page (storage) and re-checked the next nights with its page.
 */
import { canonicalUrl } from '../storage/normalise.ts';
import { stmt } from '../storage/sql.ts';
import type { Archive, IngestResult } from '../storage/types.ts';
import { enqueue, type FrontierItem } from './frontier.ts';

/** File types a report can be in (the archive parses PDF/DOCX; DOC/WPS/OFD are kept raw with the reason). */
export const REPORT_FILE_TYPES: ReadonlySet<string> = new Set(['pdf', 'docx', 'doc', 'wps', 'ofd']);

export interface FollowOptions {
  /** whether a URL is on the page's site (registry hosts): files elsewhere are left alone */
  sameSite: (url: string) => boolean;
}

interface ReportRow {
  version_id: number;
  warnings: string;
  attachments: string;
  has_cells: number;
}

/** The page's files to follow: none unless its report is missing its tables. */
export function filesToFollow(row: ReportRow, sameSite: (url: string) => boolean): { url: string; type: string; title?: string }[] {
  const warnings = JSON.parse(row.warnings) as { code: string }[];
  const linkOnly = warnings.some((w) => w.code === 'BODY_IS_ATTACHMENT_LINK');
  if (!linkOnly && row.has_cells) return [];
  const files = JSON.parse(row.attachments) as { url: string; type: string; title?: string }[];
  return files.filter((f) => REPORT_FILE_TYPES.has(f.type) && sameSite(f.url));
}

/**
 * Inside settleFetch's transaction, after a detail page is stored: queue its report's files if the report
 * is in them. Returns how many files were queued or already known.
 */
export function followAttachments(db: Archive, item: FrontierItem, final: IngestResult | null, opts: FollowOptions & { runId?: number | null; now: Date | number }): number {
  if (item.kind !== 'detail' || !final?.documentId) return 0;
  // a 304 carries no version: the document's current one is what the page still is
  const versionId = final.versionId
    ?? (stmt(db, 'SELECT current_version_id AS v FROM documents WHERE id = ?').get(final.documentId) as { v: number | null } | undefined)?.v;
  if (!versionId) return 0;
  const row = stmt(db, `SELECT r.version_id, r.warnings, r.attachments,
      EXISTS (SELECT 1 FROM report_values c WHERE c.version_id = r.version_id) AS has_cells
    FROM reports r WHERE r.version_id = ?`).get(versionId) as ReportRow | undefined;
  if (!row) return 0;
  const files = filesToFollow(row, opts.sameSite);
  if (!files.length) return 0;
  const at = new Date(opts.now).toISOString();
  enqueue(db, files.map((f) => ({
    url: f.url, kind: 'attachment' as const, site: item.site, depth: item.depth + 1, discoveredFrom: item.url, runId: opts.runId ?? item.runId,
  })), { now: opts.now, revisit: true });
  const insert = stmt(db, `INSERT OR IGNORE INTO page_attachments (page_document_id, attachment_url, type, title, first_seen) VALUES (?, ?, ?, ?, ?)`);
  // a link fetched before through a redirect: the document is where it landed
  const landed = stmt(db, `SELECT d.url FROM frontier f JOIN fetches x ON x.id = f.fetch_id JOIN documents d ON d.id = x.document_id WHERE f.url = ?`);
  for (const f of files) {
    const url = canonicalUrl(f.url);
    insert.run(final.documentId, (landed.get(url) as { url: string } | undefined)?.url ?? url, f.type, f.title ?? null, at);
  }
  return files.length;
}

/** A file reached through a redirect (download.jsp?filename=… → the file): its pages link the URL it landed on. */
export function attachmentLanded(db: Archive, item: FrontierItem, finalUrl: string): void {
  if (item.kind !== 'attachment') return;
  stmt(db, `UPDATE OR IGNORE page_attachments SET attachment_url = ? WHERE attachment_url = ?`).run(canonicalUrl(finalUrl), item.url);
}
