/** Report rows and their cells: written from a Derivation, read back as the canonical report. */
import type { CanonicalReport, CellValue, TableKey } from '../parsers/index.ts';
import type { Derivation } from './derive.ts';
import { TABLE_ORDER, type Cell } from './normalise.ts';
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

export function reportColumns(r: CanonicalReport, body: string): ReportColumns {
  const cellKeys = new Set(TABLE_ORDER.flatMap((t) => Object.keys(r.tables[t] ?? {}).map((k) => `${t}.${k}`)));
  const rawExtra = Object.fromEntries(Object.entries(r.raw).filter(([k]) => !cellKeys.has(k)));
  return {
    url: r.url, title: r.title, agency: r.agency, year: r.year, publish_date: r.publish_date, written_date: r.written_date,
    index_no: r.index_no, issuer: r.issuer, doc_no: r.doc_no, content_source: r.content_source,
    site_name: r.site.name, site_domain: r.site.domain, site_id_code: r.site.id_code, site_column: r.site.column,
    template: r.template, sections: json(r.sections), section_headings: json(r.section_headings), checks: json(r.checks),
    checks_failed: r.checks.filter((c) => !c.ok).length, warnings: json(r.warnings), attachments: json(r.attachments),
    narrative: json(r.narrative), raw_extra: json(rawExtra), body,
  };
}

const INSERT_REPORT = `INSERT INTO reports (version_id, parser_version, ${REPORT_COLUMNS.join(', ')},
  unit_name, province, city, county, level)
  VALUES (@version_id, @parser_version, ${REPORT_COLUMNS.map((c) => '@' + c).join(', ')},
  @unit_name, @province, @city, @county, @level)`;

export function unitColumns(u: UnitInfo | null | undefined) {
  return { unit_name: u?.name ?? null, province: u?.province ?? null, city: u?.city ?? null, county: u?.county ?? null, level: u?.level ?? null };
}

/** Insert the report and its cells for a version (the caller holds the transaction). */
export function insertReport(db: Archive, versionId: number, d: Derivation, unit: UnitInfo | null): void {
  if (!d.report) throw new Error('insertReport: the derivation is not a report');
  stmt(db, INSERT_REPORT).run({
    version_id: versionId, parser_version: d.parserVersion, ...reportColumns(d.report, d.contentText), ...unitColumns(unit),
  });
  const ins = stmt(db, 'INSERT INTO report_cells (version_id, tbl, key, value, text, raw) VALUES (?, ?, ?, ?, ?, ?)');
  for (const c of d.cells) {
    ins.run(versionId, c.table, c.key, typeof c.value === 'number' ? c.value : null, typeof c.value === 'string' ? c.value : null, c.raw);
  }
}

export function deleteReport(db: Archive, versionId: number): void {
  stmt(db, 'DELETE FROM reports WHERE version_id = ?').run(versionId); // cells cascade
}

interface CellRow {
  tbl: TableKey;
  key: string;
  value: number | null;
  text: string | null;
  raw: string | null;
}

export function loadCells(db: Archive, versionId: number): Cell[] {
  const rows = stmt(db, 'SELECT tbl, key, value, text, raw FROM report_cells WHERE version_id = ?').all(versionId) as CellRow[];
  const order = (t: TableKey) => TABLE_ORDER.indexOf(t);
  return rows
    .map((r) => ({ table: r.tbl, key: r.key, value: (r.value ?? r.text) as CellValue, raw: r.raw }))
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
    sections: parseJson(r.sections, {}), section_headings: parseJson(r.section_headings, []), tables, raw,
    checks: parseJson(r.checks, []), warnings: parseJson(r.warnings, []), attachments: parseJson(r.attachments, []),
    narrative: parseJson(r.narrative, {}),
  };
}
