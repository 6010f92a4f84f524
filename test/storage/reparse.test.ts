/**
 * reparse re-derives reports and cells from stored bytes. With the same parser nothing differs; with a
 * changed parser every difference is recorded as the parser's (parser_changes), never as a source change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePageDetailed, PARSER_VERSION } from '../../parsers/index.ts';
import type { PageInput } from '../../parsers/index.ts';
import { exportRows, ingestFetch, loadReport, reparse, search, showDocument } from '../../storage/index.ts';
import type { Archive } from '../../storage/index.ts';
import { allPages, editAfter, fetchOf, pingtanPage, tempArchive } from './helpers.ts';

const snapshot = (db: Archive) => ({
  cells: db.prepare('SELECT * FROM report_cells ORDER BY version_id, tbl, key').all(),
  reports: db.prepare('SELECT * FROM reports ORDER BY version_id').all().map((r: any) => ({ ...r, parser_version: undefined })),
  versions: db.prepare('SELECT id, parse_status, content_hash, prose_hash, values_hash FROM versions ORDER BY id').all(),
  changes: db.prepare('SELECT * FROM changes ORDER BY id').all(),
});

const url97791 = pingtanPage('97791').url;
const url80678 = pingtanPage('80678').url;

/** The "new parser" of the test: reads one more thousand in 97791's 新收 total, and no longer takes 80678 for a report. */
function changedParser(input: PageInput) {
  const d = parsePageDetailed(input);
  if (input.url === url97791) d.report.tables.applications['new_received.total'] = 1218;
  if (input.url === url80678) d.report.warnings.unshift({ code: 'NOT_A_REPORT', section: 'metadata', detail: 'test parser' });
  return d;
}

describe('reparse', () => {
  let db: Archive;
  let cleanup: () => void;
  let before: ReturnType<typeof snapshot>;

  beforeAll(() => {
    ({ db, cleanup } = tempArchive());
    for (const p of allPages()) ingestFetch(db, fetchOf(p));
    // history at the source: a second version of the 2024 report with one number edited
    const p = pingtanPage('97791');
    ingestFetch(db, fetchOf(p, { body: editAfter(p.body, '（一）予以公开', '>71<', '>72<') }));
    // and raw pages that are not reports
    ingestFetch(db, fetchOf(p, { url: 'https://www.pingtan.gov.cn/x.pdf', body: Buffer.from('%PDF-1.4 binary…') }));
    before = snapshot(db);
  });
  afterAll(() => cleanup());

  it('with the same parser reproduces every report and cell exactly, and records nothing', () => {
    const s = reparse(db);
    expect(s).toMatchObject({ versionsSeen: 27, versionsChanged: 0, parserVersion: PARSER_VERSION });
    expect(s.changes).toEqual({ numbers_changed: 0, text_changed: 0, status_changed: 0, metadata_changed: 0 });
    expect(snapshot(db)).toEqual(before);
    expect(db.prepare('SELECT count(*) AS n FROM parser_changes').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT versions_seen, versions_changed, finished_at IS NOT NULL AS done FROM reparse_runs').all())
      .toEqual([{ versions_seen: 27, versions_changed: 0, done: 1 }]);
  });

  it('stores the canonical report losslessly (loadReport equals a fresh parse of the stored bytes)', () => {
    for (const p of allPages()) {
      const want = parsePageDetailed({ body: p.body, url: p.url, headers: { 'content-type': p.contentType } }).report;
      const v = db.prepare(`SELECT v.id FROM versions v JOIN documents d ON d.id = v.document_id WHERE d.url = ? ORDER BY v.seq LIMIT 1`).get(p.url) as { id: number };
      const got = loadReport(db, v.id);
      if (want.warnings.some((w) => w.code === 'NOT_A_REPORT')) expect(got).toBeNull();
      else expect(got).toEqual(want);
    }
  });

  it('with a changed parser records the parser\'s differences apart from source changes', () => {
    const s = reparse(db, { parse: changedParser, parserVersion: 'test-2' });
    expect(s.changes).toEqual({ numbers_changed: 2, text_changed: 0, status_changed: 1, metadata_changed: 0 });
    const pc = db.prepare('SELECT run_id, d.url, version_id, old_parser_version, new_parser_version, kind, detail FROM parser_changes JOIN documents d ON d.id = document_id ORDER BY parser_changes.id').all() as any[];
    // both stored versions of the 2024 report (71 and 72 in 予以公开) are read with 1218
    expect(pc.map((c) => [c.url, c.kind, JSON.parse(c.detail)])).toEqual([
      [url80678, 'status_changed', { old: 'report', new: 'not_a_report', reason: 'NOT_A_REPORT: test parser' }],
      [url97791, 'numbers_changed', { cells: [{ table: 'applications', key: 'new_received.total', old: 218, new: 1218 }] }],
      [url97791, 'numbers_changed', { cells: [{ table: 'applications', key: 'new_received.total', old: 218, new: 1218 }] }],
    ]);
    expect(pc.every((c) => c.run_id === s.runId && c.old_parser_version === PARSER_VERSION && c.new_parser_version === 'test-2')).toBe(true);
    // the source history is untouched: the same events, no new ones
    expect(db.prepare('SELECT * FROM changes ORDER BY id').all()).toEqual(before.changes);
    // the archive now reads what the new parser reads
    const wide = [...exportRows(db, 'applications_wide')].find((r) => r.url === url97791)!;
    expect(wide.new_received_total).toBe(1218);
    expect(search(db, '平潭综合实验区2011年').map((h) => h.url)).toEqual([]);
    expect(db.prepare("SELECT count(*) AS n FROM reports WHERE parser_version <> 'test-2'").get()).toEqual({ n: 0 });
    const view = showDocument(db, url97791)!;
    expect(view.changes.map((c) => c.kind)).toEqual(['new', 'numbers_changed']);
    expect(view.parserChanges.map((c) => c.kind)).toEqual(['numbers_changed', 'numbers_changed']);
  });

  it('an ingest by the default parser re-derives a version made by another parser first: no source change', () => {
    const p = pingtanPage('97791');
    const r = ingestFetch(db, fetchOf(p, { body: editAfter(p.body, '（一）予以公开', '>71<', '>72<') }));
    expect(r.outcome).toBe('same_version');
    expect(r.events).toEqual([]);
    const latest = db.prepare(`SELECT run_id, kind, detail, new_parser_version FROM parser_changes ORDER BY id DESC LIMIT 1`).get() as any;
    expect(latest).toMatchObject({ run_id: null, kind: 'numbers_changed', new_parser_version: PARSER_VERSION });
    expect(JSON.parse(latest.detail)).toEqual({ cells: [{ table: 'applications', key: 'new_received.total', old: 1218, new: 218 }] });
  });

  it('reparsing with the default parser brings back exactly the original reports and cells', () => {
    // resumable: only what another parser made (the ingest above already re-derived one version)
    const s = reparse(db, { onlyStale: true });
    expect(s.versionsSeen).toBe(26);
    expect(s.changes).toEqual({ numbers_changed: 1, text_changed: 0, status_changed: 1, metadata_changed: 0 });
    const after = snapshot(db);
    expect(after.cells).toEqual(before.cells);
    expect(after.versions).toEqual(before.versions);
    expect(after.changes).toEqual(before.changes);
    expect(after.reports).toEqual(before.reports);
    expect(search(db, '平潭综合实验区2011年').map((h) => h.url)).toEqual([url80678]);
  });
});
