/** Schema versions: an old archive opens and upgrades; a newer one, or a foreign SQLite file, is refused untouched. */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { derive } from '../../storage/derive.ts';
import { putBlob } from '../../storage/blobs.ts';
import { loadCells, loadReport, REPORT_COLUMNS, reportColumns, unitColumns } from '../../storage/reports.ts';
import {
  exportRows, ingestFetch, migrate, MIGRATIONS, NotAnArchiveError, openArchive, SCHEMA_VERSION, SchemaTooNewError, schemaVersion, search,
} from '../../storage/index.ts';
import { FTS_AUTOMERGE } from '../../storage/migrations.ts';
import { allPages, fetchOf, FUJIAN_PINGTAN, pingtanPage, tempArchive } from './helpers.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function scratch() {
  const t = tempArchive();
  t.db.close();
  cleanups.push(t.cleanup);
  return t.path.replace(/nianbao\.db$/, 'scratch.db');
}

/** An archive as the first release wrote it: schema v1 only, one report in it. */
function makeV1Archive(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  expect(migrate(db, { to: 1 })).toEqual({ from: 0, to: 1 });
  const p = pingtanPage('97791');
  const at = '2025-03-11T00:00:00.000Z';
  const d = derive(p.body, { url: p.url, headers: {} });
  db.transaction(() => {
    const sha = putBlob(db, p.body);
    db.prepare(`INSERT INTO documents (id, url, site, status, status_since, first_seen, last_seen, province, level)
      VALUES (1, ?, 'www.pingtan.gov.cn', 'live', ?, ?, ?, '福建省', 'county')`).run(p.url, at, at, at);
    db.prepare(`INSERT INTO fetches (id, url, document_id, requested_at, status, headers, blob_sha256, elapsed_ms, outcome)
      VALUES (1, ?, 1, ?, 200, '{}', ?, 30, 'new_version')`).run(p.url, at, sha);
    db.prepare(`INSERT INTO versions (id, document_id, seq, blob_sha256, first_fetch_id, first_seen, parse_status, content_hash,
      prose_hash, values_hash, parser_version, normaliser_version) VALUES (1, 1, 1, ?, 1, ?, 'report', ?, ?, ?, ?, 1)`)
      .run(sha, at, d.contentHash, d.proseHash, d.valuesHash, d.parserVersion);
    db.prepare('UPDATE fetches SET version_id = 1').run();
    db.prepare('UPDATE documents SET current_version_id = 1').run();
    // the report row and cells as v1 stored them (sections as texts, cells keyed by their text)
    const cols = { ...reportColumns(d.report!, d.contentText), sections: JSON.stringify(d.report!.sections) };
    db.prepare(`INSERT INTO reports (version_id, parser_version, ${REPORT_COLUMNS.join(', ')}, unit_name, province, city, county, level)
      VALUES (1, @parser_version, ${REPORT_COLUMNS.map((c) => '@' + c).join(', ')}, @unit_name, @province, @city, @county, @level)`)
      .run({ ...cols, parser_version: d.parserVersion, ...unitColumns(FUJIAN_PINGTAN) });
    const cell = db.prepare('INSERT INTO report_cells (version_id, tbl, key, value, text, raw) VALUES (1, ?, ?, ?, ?, ?)');
    for (const c of d.cells) cell.run(c.table, c.key, typeof c.value === 'number' ? c.value : null, typeof c.value === 'string' ? c.value : null, c.raw);
    db.prepare("INSERT INTO changes (document_id, kind, at, fetch_id, new_version_id) VALUES (1, 'new', ?, 1, 1)").run(at);
  })();
  db.close();
}

describe('migrations', () => {
  it('are numbered 1…n in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('open a v1 archive and upgrade it: search and views work on the reports it already held', () => {
    const path = scratch();
    makeV1Archive(path);
    const db = openArchive(path);
    try {
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      // v2 indexed the existing report for both the trigram and the character index
      expect(search(db, '平潭').map((h) => h.versionId)).toEqual([1]);
      expect(search(db, '政府信息公开').map((h) => h.versionId)).toEqual([1]);
      expect(search(db, '平潭', { province: '福建省', year: 2024 })).toHaveLength(1);
      // v3 views read it
      const wide = [...exportRows(db, 'applications_wide')];
      expect(wide).toHaveLength(1);
      expect(wide[0]).toMatchObject({ year: 2024, new_received_total: 218, province: '福建省' });
      expect([...exportRows(db, 'recent_changes')].map((c) => c.kind)).toEqual(['new']);
    } finally {
      db.close();
    }
    // and opening again is a no-op
    const again = openArchive(path);
    expect(schemaVersion(again)).toBe(SCHEMA_VERSION);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    again.close();
  });

  it('v8 and v9 store the reports and cells already held more compactly, losing nothing', () => {
    const path = scratch();
    makeV1Archive(path);
    const p = pingtanPage('97791');
    const d = derive(p.body, { url: p.url, headers: {} });
    const db = openArchive(path);
    try {
      // v8: sections as offsets into the body
      const stored = JSON.parse((db.prepare('SELECT sections FROM reports').get() as { sections: string }).sections);
      expect(Object.values(stored).filter((v) => Array.isArray(v)).length).toBeGreaterThan(0);
      expect(Object.keys(stored)).toEqual(Object.keys(d.report!.sections));
      expect(loadReport(db, 1)!.sections).toEqual(d.report!.sections);
      // v9: cells by key number, read back whole (also through the report_cells view)
      expect(loadCells(db, 1)).toEqual(d.cells);
      expect(db.prepare('SELECT count(*) AS n FROM report_cells WHERE version_id = 1').get()).toEqual({ n: d.cells.length });
      expect(db.prepare('SELECT count(*) AS n FROM cell_keys').get()).toEqual({ n: new Set(d.cells.map((c) => `${c.table}.${c.key}`)).size });
    } finally {
      db.close();
    }
  });

  it('v11 merges the search indexes 16 segments at a time; what they held stays found and new reports join it', () => {
    const path = scratch();
    makeV1Archive(path);
    const db = openArchive(path);
    try {
      for (const index of ['reports_fts', 'reports_chars']) {
        expect(db.prepare(`SELECT v FROM ${index}_config WHERE k = 'automerge'`).get()).toEqual({ v: FTS_AUTOMERGE });
      }
      expect(FTS_AUTOMERGE).toBe(16);
      // the report indexed before the upgrade, and pages ingested after it, in many transactions (many segments)
      const pages = allPages().filter((p) => p.url !== pingtanPage('97791').url).slice(0, 12);
      for (const p of pages) ingestFetch(db, fetchOf(p));
      expect(search(db, '平潭').map((h) => h.versionId)).toContain(1);
      // the index finds exactly the reports whose stored text holds the word
      for (const word of ['政府信息公开', '平潭', '民政']) {
        const holding = db.prepare(`SELECT version_id FROM reports WHERE instr(coalesce(title, '') || char(10) || coalesce(agency, '') || char(10) || body, ?) > 0 ORDER BY version_id`).all(word).map((r) => (r as { version_id: number }).version_id);
        expect(holding.length).toBeGreaterThan(0);
        expect(search(db, word, { limit: 1000, allVersions: true }).map((h) => h.versionId).sort((a, b) => a - b)).toEqual(holding);
      }
      db.exec(`INSERT INTO reports_fts (reports_fts) VALUES ('integrity-check')`);
    } finally {
      db.close();
    }
  });

  it('refuse an archive with a newer schema, with a clear message, without modifying it', () => {
    const path = scratch();
    openArchive(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openArchive(path)).toThrow(SchemaTooNewError);
    expect(() => openArchive(path)).toThrow(
      `has schema version ${SCHEMA_VERSION + 1}, newer than this nianbao knows (${SCHEMA_VERSION}); it was written by a newer nianbao — upgrade nianbao to open it`,
    );
    expect(() => openArchive(path, { readonly: true })).toThrow(SchemaTooNewError);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    check.close();
  });

  it('refuse an SQLite file that is not a nianbao archive', () => {
    const path = scratch();
    const other = new Database(path);
    other.exec('CREATE TABLE notes (t TEXT)');
    other.close();
    expect(() => openArchive(path)).toThrow(NotAnArchiveError);
    const check = new Database(path);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'documents'").get()).toEqual({ n: 0 });
    check.close();
  });

  it('read-only opening needs an up-to-date archive and changes nothing', () => {
    const path = scratch();
    makeV1Archive(path);
    expect(() => openArchive(path, { readonly: true })).toThrow(/schema version 1, this nianbao needs/);
    openArchive(path).close();
    const ro = openArchive(path, { readonly: true });
    expect(search(ro, '民政')).toEqual([]);
    expect(search(ro, '平潭')).toHaveLength(1);
    ro.close();
  });
});
