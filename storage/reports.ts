/** Report rows and their cells: written from a Derivation, read back as the canonical report. */
import type { CanonicalReport, CellValue, TableKey } from '../parsers/index.ts';
import type { Derivation } from './derive.ts';
import { TABLE_ORDER, type Cell } from './normalise.ts';
import { searchKey, searchTokens, unitTokens, withUnit, type SearchTokens, type UnitField } from './ngrams.ts';
import { json, parseJson, stmt } from './sql.ts';
import type { Archive, UnitInfo } from './types.ts';

/** The reports columns derived from the parse (everything except version_id, parser_version and unit). */
export interface ReportColumns {
  url: string | null;
  title: string | null;
  agency: string | null;
  year: number | null;
  publish_date: string | null;
  written_date: string | null;
  index_no: string | null;
  issuer: string | null;
  doc_no: string | null;
  content_source: string | null;
  site_name: string | null;
  site_domain: string | null;
  site_id_code: string | null;
  site_column: string | null;
  template: string;
  sections: string;
  section_headings: string;
  checks: string;
  checks_failed: number;
  warnings: string;
  attachments: string;
  narrative: string;
  raw_extra: string;
  body: string;
}

export const REPORT_COLUMNS = [
  'url', 'title', 'agency', 'year', 'publish_date', 'written_date', 'index_no', 'issuer', 'doc_no', 'content_source',
  'site_name', 'site_domain', 'site_id_code', 'site_column', 'template', 'sections', 'section_headings', 'checks',
  'checks_failed', 'warnings', 'attachments', 'narrative', 'raw_extra', 'body',
] as const satisfies readonly (keyof ReportColumns)[];

/** Metadata compared by reparse (a parser that reads another title or year made a metadata change). */
export const METADATA_FIELDS = [
  'title', 'agency', 'year', 'publish_date', 'written_date', 'index_no', 'issuer', 'doc_no', 'content_source', 'template',
] as const satisfies readonly (keyof ReportColumns)[];

/**
 * The sections as stored (migration 6): a section's text is nearly always a piece of the body, so it is
 * stored as [start, end] offsets into the body (UTF-16 units) instead of a second copy (8 KB a report);
 * a text that is not found in the body is stored as it is.
 */
export function packSections(sections: CanonicalReport['sections'], body: string): string {
  const out: Record<string, string | [number, number]> = {};
  let from = 0;
  for (const [key, text] of Object.entries(sections)) {
    if (typeof text !== 'string') continue;
    let at = text ? body.indexOf(text, from) : -1;
    if (at < 0 && text) at = body.indexOf(text);
    if (at < 0) {
      out[key] = text;
      continue;
    }
    out[key] = [at, at + text.length];
    from = at + text.length;
  }
  return json(out);
}

/** The sections back from their stored form (either form: offsets into the body, or the texts). */
export function unpackSections(stored: string | null, body: string): CanonicalReport['sections'] {
  const packed: Record<string, string | [number, number]> = parseJson(stored, {});
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(packed)) out[key] = typeof v === 'string' ? v : body.slice(v[0], v[1]);
  return out;
}

/** The reports columns of a parse except the body (derive() makes them on the worker; the body is its contentText). */
export type ReportFields = Omit<ReportColumns, 'body'>;

export function reportFields(r: CanonicalReport, body: string): ReportFields {
  const cellKeys = new Set(TABLE_ORDER.flatMap((t) => Object.keys(r.tables[t] ?? {}).map((k) => `${t}.${k}`)));
  const rawExtra = Object.fromEntries(Object.entries(r.raw).filter(([k]) => !cellKeys.has(k)));
  return {
    url: r.url, title: r.title, agency: r.agency, year: r.year, publish_date: r.publish_date, written_date: r.written_date,
    index_no: r.index_no, issuer: r.issuer, doc_no: r.doc_no, content_source: r.content_source,
    site_name: r.site.name, site_domain: r.site.domain, site_id_code: r.site.id_code, site_column: r.site.column,
    template: r.template, sections: packSections(r.sections, body), section_headings: json(r.section_headings), checks: json(r.checks),
    checks_failed: r.checks.filter((c) => !c.ok).length, warnings: json(r.warnings), attachments: json(r.attachments),
    narrative: json(r.narrative), raw_extra: json(rawExtra),
  };
}

export function reportColumns(r: CanonicalReport, body: string): ReportColumns {
  return { ...reportFields(r, body), body };
}

// positional: binding by name costs a property lookup per column (0.05 ms a report)
const INSERT_REPORT = `INSERT INTO reports (version_id, parser_version, ${REPORT_COLUMNS.join(', ')},
  unit_name, province, city, county, level)
  VALUES (${Array(REPORT_COLUMNS.length + 7).fill('?').join(', ')})`;

export function unitColumns(u: UnitInfo | null | undefined) {
  return { unit_name: u?.name ?? null, province: u?.province ?? null, city: u?.city ?? null, county: u?.county ?? null, level: u?.level ?? null };
}

const CELL_CHUNK = 100;
const insertCellsSql = (n: number) =>
  `INSERT INTO report_values (version_id, key_id, value, text, raw) VALUES ${Array(n).fill('(?, ?, ?, ?, ?)').join(', ')}`;

/**
 * Cell key ids (migration 7), per connection. An id is cached only once its row is known to be committed:
 * cell_keys rows are never deleted, so a committed id never changes. A key this connection inserted inside
 * a transaction (the crawler ingests inside its own) is looked up again each time until it is settled
 * outside one, since that transaction may yet roll back.
 */
interface KeyCache {
  /** table → key → id; two lookups on the cell's own strings cost less than joining them into one key */
  committed: Map<string, Map<string, number>>;
  /** inserted by this connection in a transaction that may not have committed (keyName) */
  mine: Set<string>;
}
const keyCaches = new WeakMap<Archive, KeyCache>();
const keyName = (table: string, key: string) => `${table}\u0000${key}`;

function keyCache(db: Archive): KeyCache {
  let c = keyCaches.get(db);
  if (!c) keyCaches.set(db, (c = { committed: new Map(), mine: new Set() }));
  return c;
}

const committedId = (c: KeyCache, table: string, key: string) => c.committed.get(table)?.get(key);

function settle(c: KeyCache, table: string, key: string, id: number): void {
  let m = c.committed.get(table);
  if (!m) c.committed.set(table, (m = new Map()));
  m.set(key, id);
}

const selectKey = (db: Archive, table: string, key: string) =>
  stmt(db, 'SELECT id FROM cell_keys WHERE tbl = ? AND key = ?').get(table, key) as { id: number } | undefined;

function keyId(db: Archive, c: KeyCache, table: string, key: string): number {
  const hit = committedId(c, table, key);
  if (hit !== undefined) return hit;
  const name = keyName(table, key);
  const row = selectKey(db, table, key);
  if (row) {
    // not inserted by this connection's open transaction, so committed (other connections' uncommitted rows are invisible)
    if (!c.mine.has(name)) settle(c, table, key, row.id);
    return row.id;
  }
  const id = Number(stmt(db, 'INSERT INTO cell_keys (tbl, key) VALUES (?, ?)').run(table, key).lastInsertRowid);
  if (db.inTransaction) c.mine.add(name);
  else settle(c, table, key, id);
  return id;
}

/**
 * Number the cell keys of these derivations that no committed row has yet, in a transaction of their own,
 * and cache them. Writers call this before their transaction (inside one it does nothing): inside it every
 * key is then a cache hit.
 */
export function registerCellKeys(db: Archive, derivations: Iterable<Derivation | null>): void {
  if (db.inTransaction) return;
  const c = keyCache(db);
  // no transaction is open: what this connection inserted earlier is committed now, or was rolled back
  for (const name of c.mine) {
    const [table, key] = name.split('\u0000');
    const row = selectKey(db, table, key);
    if (row) settle(c, table, key, row.id);
  }
  c.mine.clear();
  const missing: Cell[] = [];
  for (const d of derivations) for (const cell of d?.cells ?? []) if (committedId(c, cell.table, cell.key) === undefined) missing.push(cell);
  if (!missing.length) return;
  const ids = db.transaction(() => missing.map((cell) => keyId(db, c, cell.table, cell.key))).immediate();
  missing.forEach((cell, i) => {
    settle(c, cell.table, cell.key, ids[i]);
    c.mine.delete(keyName(cell.table, cell.key));
  });
}

/**
 * Insert the report and its cells for a version (the caller holds the transaction). Cells go in 100 rows a
 * statement (half the cost of one statement a row). The report is queued for the search index; the caller
 * calls flushSearchIndex before it commits.
 */
export function insertReport(db: Archive, versionId: number, d: Derivation, unit: UnitInfo | null): void {
  const f = d.fields ?? (d.report ? reportFields(d.report, d.contentText) : null);
  if (d.status !== 'report' || !f) throw new Error('insertReport: the derivation is not a report');
  const u = unitColumns(unit);
  const args: unknown[] = [versionId, d.parserVersion];
  for (const c of REPORT_COLUMNS) args.push(c === 'body' ? d.contentText : f[c]);
  args.push(u.unit_name, u.province, u.city, u.county, u.level);
  stmt(db, INSERT_REPORT).run(args);
  const keys = keyCache(db);
  for (let i = 0; i < d.cells.length; i += CELL_CHUNK) {
    const end = Math.min(d.cells.length, i + CELL_CHUNK);
    const args: unknown[] = [];
    for (let j = i; j < end; j++) {
      const c = d.cells[j];
      args.push(versionId, keyId(db, keys, c.table, c.key), typeof c.value === 'number' ? c.value : null, typeof c.value === 'string' ? c.value : null, c.raw);
    }
    stmt(db, insertCellsSql(end - i)).run(args);
  }
}

/**
 * Index the reports queued since the last flush (migration 5: a trigger queues every inserted or re-titled
 * report). Writers call this last in their transaction: FTS5 writes its pending terms out at every statement
 * savepoint, and whenever a rowid is not above the last one, so indexing a whole batch together, after the
 * other writes and in rowid order, makes one index segment per batch instead of one per report (measured:
 * 0.34 instead of 1.6 ms per report). `known` holds tokens already made
 * (derive() makes them off the write lock); others are made from the stored row.
 */
export function flushSearchIndex(db: Archive, known?: ReadonlyMap<number, SearchTokens>): number {
  const queued = stmt(db, `SELECT q.version_id AS id, r.year, r.province, r.city, r.county, r.level
    FROM search_queue q JOIN reports r ON r.version_id = q.version_id`).all() as ({ id: number; year: number | null } & Record<UnitField, string | null>)[];
  const fts = stmt(db, 'INSERT INTO reports_fts (rowid, text) VALUES (?, ?)');
  const chars = stmt(db, 'INSERT INTO reports_chars (rowid, text) VALUES (?, ?)');
  // in rowid order: FTS5 writes out its pending terms whenever a rowid is not above the previous one
  queued.sort((a, b) => searchKey(a.year, a.id) - searchKey(b.year, b.id));
  for (const q of queued) {
    let t = known?.get(q.id);
    if (!t) {
      const r = stmt(db, 'SELECT title, agency, body FROM reports WHERE version_id = ?').get(q.id) as { title: string | null; agency: string | null; body: string };
      t = searchTokens(r.title, r.agency, r.body);
    }
    const key = searchKey(q.year, q.id);
    const unit = unitTokens(q);
    fts.run(key, withUnit(t.full, unit));
    chars.run(key, withUnit(t.header, unit));
  }
  stmt(db, 'DELETE FROM search_queue').run();
  return queued.length;
}

export function deleteReport(db: Archive, versionId: number): void {
  stmt(db, 'DELETE FROM reports WHERE version_id = ?').run(versionId); // cells cascade
}

type CellRow = [tbl: TableKey, key: string, value: number | null, text: string | null, raw: string | null];

export function loadCells(db: Archive, versionId: number): Cell[] {
  // rows as arrays: building an object per cell row cost more than the query
  const rows = stmt(db, `SELECT k.tbl, k.key, c.value, c.text, c.raw FROM report_values c JOIN cell_keys k ON k.id = c.key_id
    WHERE c.version_id = ?`).raw(true).all(versionId) as CellRow[];
  const order = (t: TableKey) => TABLE_ORDER.indexOf(t);
  return rows
    .map(([table, key, value, text, raw]) => ({ table, key, value: (value ?? text) as CellValue, raw }))
    .sort((a, b) => order(a.table) - order(b.table) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export type ReportRow = ReportColumns & { version_id: number; parser_version: string } & ReturnType<typeof unitColumns>;

export function loadReportRow(db: Archive, versionId: number): ReportRow | null {
  return (stmt(db, 'SELECT * FROM reports WHERE version_id = ?').get(versionId) as ReportRow | undefined) ?? null;
}

/** The canonical report a version was read as, rebuilt from its row and cells (the archive loses nothing). */
export function loadReport(db: Archive, versionId: number): CanonicalReport | null {
  const r = loadReportRow(db, versionId);
  if (!r) return null;
  const tables: CanonicalReport['tables'] = { active: {}, applications: {}, review_litigation: {} };
  const raw: Record<string, string> = parseJson(r.raw_extra, {});
  for (const c of loadCells(db, versionId)) {
    tables[c.table][c.key] = c.value;
    if (c.raw !== null) raw[`${c.table}.${c.key}`] = c.raw;
  }
  return {
    url: r.url, title: r.title, agency: r.agency, year: r.year, publish_date: r.publish_date, written_date: r.written_date,
    index_no: r.index_no, issuer: r.issuer, doc_no: r.doc_no, content_source: r.content_source,
    site: { name: r.site_name, domain: r.site_domain, id_code: r.site_id_code, column: r.site_column },
    template: r.template as CanonicalReport['template'],
    sections: unpackSections(r.sections, r.body), section_headings: parseJson(r.section_headings, []), tables, raw,
    checks: parseJson(r.checks, []), warnings: parseJson(r.warnings, []), attachments: parseJson(r.attachments, []),
    narrative: parseJson(r.narrative, {}),
  };
}
