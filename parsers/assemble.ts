/** From blocks to the canonical tables, template, sections, checks and warnings — one path for HTML and text. */
import type { Block, Row } from './blocks.ts';
import { cellTexts } from './blocks.ts';
import { applicationChecks, reviewChecks } from './checks.ts';
import {
  ACTIVE_ROWS_BY_ITEM, APPLICATION_ROWS_2019, APPLICATION_ROWS_2021, rowTableClass, templateVotes,
} from './labels.ts';
import { narrativeChecks, narrativeFigures } from './narrative.ts';
import { findSections, sectionOfBlocks, sectionTexts } from './sections.ts';
import { mapActive } from './tables/active.ts';
import { mapApplications } from './tables/applications.ts';
import { mapReview } from './tables/review.ts';
import type { CanonicalReport, CellValue, ParseWarning, SectionKey, TableKey, Template } from './types.ts';

export const TABLE_KEYS: TableKey[] = ['active', 'applications', 'review_litigation'];

const TABLE_NAMES: Record<TableKey, string> = {
  active: '二、主动公开政府信息情况',
  applications: '三、收到和处理政府信息公开申请情况',
  review_litigation: '四、政府信息公开行政复议、行政诉讼情况',
};

export interface Assembled
  extends Pick<CanonicalReport, 'template' | 'sections' | 'section_headings' | 'tables' | 'raw' | 'checks' | 'warnings' | 'narrative'> {
  /** standard table rows or template labels were found */
  hasStandardTables: boolean;
  /** at least two of the standard section headings were found */
  hasStandardSections: boolean;
}

/** Rows of each standard table, in page order. A row's own words decide; otherwise it follows the row above. */
function rowsByTable(blocks: Block[], sectionOf: Array<SectionKey | null>): Record<TableKey, Row[]> {
  const out: Record<TableKey, Row[]> = { active: [], applications: [], review_litigation: [] };
  blocks.forEach((b, i) => {
    if (b.kind !== 'table') return;
    const decisive = b.rows.map((r) => rowTableClass(cellTexts(r)));
    const counts = new Map<TableKey, number>();
    for (const d of decisive) if (d) counts.set(d, (counts.get(d) ?? 0) + 1);
    const section = sectionOf[i];
    const fromSection = section === 'active' || section === 'applications' || section === 'review_litigation' ? section : null;
    let current: TableKey | null = fromSection ?? [...counts.entries()].sort((a, c) => c[1] - a[1])[0]?.[0] ?? null;
    b.rows.forEach((row, r) => {
      current = decisive[r] ?? current;
      if (current) out[current].push(row);
    });
  });
  return out;
}

function decideTemplate(rows: Row[], year: number | null, warnings: ParseWarning[]): Template {
  let v2019 = 0;
  let v2021 = 0;
  for (const row of rows) {
    for (const c of row.cells) {
      if (c.carried) continue;
      const v = templateVotes(c.text);
      v2019 += v.v2019;
      v2021 += v.v2021;
    }
  }
  if (v2019 && v2021) {
    const pick = v2021 > v2019 ? '2021' : v2019 > v2021 ? '2019' : year !== null && year >= 2021 ? '2021' : '2019';
    warnings.push({ code: 'TEMPLATE_MIXED', section: 'active', detail: `labels of both templates (2019: ${v2019}, 2021: ${v2021}); read as ${pick}` });
    return pick;
  }
  if (v2021) return '2021';
  if (v2019) return '2019';
  if (year === null) return 'unknown';
  if (year <= 2018) return 'pre2019';
  const pick = year >= 2021 ? '2021' : '2019';
  warnings.push({ code: 'TEMPLATE_FROM_YEAR', section: 'metadata', detail: `no template labels in the tables; ${pick} assumed from the report year ${year}` });
  return pick;
}

export interface AssembleContext {
  year: number | null;
  source: 'html' | 'text';
  hasAttachments: boolean;
  /** resolves the src of a table picture (TABLE_AS_IMAGE lists them for people to type in) */
  pageUrl?: string | null;
}

function resolveSrc(src: string, base: string | null | undefined): string {
  if (!base) return src;
  try {
    return new URL(src, base).toString();
  } catch {
    return src;
  }
}

export function assemble(blocks: Block[], ctx: AssembleContext): Assembled {
  const warnings: ParseWarning[] = [];
  const spans = findSections(blocks);
  const sectionOf = sectionOfBlocks(blocks, spans);
  const byTable = rowsByTable(blocks, sectionOf);
  const allRows = [...byTable.active, ...byTable.applications, ...byTable.review_litigation];
  const template = decideTemplate(allRows, ctx.year, warnings);

  const tables: Record<TableKey, Record<string, CellValue>> = { active: {}, applications: {}, review_litigation: {} };
  const raw: Record<string, string> = {};
  const seenRows: Partial<Record<TableKey, Set<string>>> = {};
  if (template === '2019' || template === '2021') {
    seenRows.active = mapActive(byTable.active, template, { values: tables.active, raw, warnings });
    seenRows.applications = mapApplications(byTable.applications, { values: tables.applications, raw, warnings });
    mapReview(byTable.review_litigation, { values: tables.review_litigation, raw, warnings });
  }

  const keys = new Set(spans.map((s) => s.key).filter(Boolean));
  const hasStandardSections = ['overview', 'active', 'applications', 'review_litigation', 'problems'].filter((k) => keys.has(k as SectionKey)).length >= 2;
  const hasStandardTables = TABLE_KEYS.some((t) => Object.keys(tables[t]).length > 0);

  if (template === '2019' || template === '2021') {
    for (const t of TABLE_KEYS) {
      if (Object.keys(tables[t]).length) {
        if (ctx.source === 'text') warnings.push({ code: 'TABLE_FROM_TEXT', section: t, detail: `${TABLE_NAMES[t]} read from the text form (cells split by separators), not from an HTML table` });
        continue;
      }
      if (byTable[t].length) {
        // rows were there but none could be read: the row warnings above say why
        warnings.push({ code: 'TABLE_MISSING', section: t, detail: `${TABLE_NAMES[t]}: a table with ${byTable[t].length} rows was found but no row could be read (see the row warnings)` });
        continue;
      }
      const span = spans.find((s) => s.key === t);
      const pictures = span ? blocks.slice(span.start, span.end).filter((b) => b.kind === 'image' || (b.kind === 'table' && b.rows.some((r) => r.cells.some((c) => c.image)))) : [];
      const images = pictures.length;
      const srcs = pictures.flatMap((b) => (b.kind === 'image' && b.src ? [resolveSrc(b.src, ctx.pageUrl)] : []));
      if (images) warnings.push({ code: 'TABLE_AS_IMAGE', section: t, detail: `${TABLE_NAMES[t]}: no table, ${images} image(s) in its section — the table is a picture${srcs.length ? `; images: ${srcs.join(' ')}` : ''}` });
      else if (ctx.hasAttachments) warnings.push({ code: 'TABLE_IN_ATTACHMENT', section: t, detail: `${TABLE_NAMES[t]}: no table on the page; the report's attachment may hold it` });
      else warnings.push({ code: 'TABLE_MISSING', section: t, detail: `${TABLE_NAMES[t]}: ${span ? 'the section heading is there but no table' : 'neither the section nor its table was found'}` });
    }
    rowsMissing(template, seenRows, tables, warnings);
  }

  const sections = sectionTexts(blocks, spans);
  const narrativeText = ['overview', 'applications', 'review_litigation', 'active'].map((k) => sections[k as SectionKey] ?? '').join('\n') ||
    blocks.filter((b) => b.kind === 'para').map((b) => (b.kind === 'para' ? b.text : '')).join('\n');
  const narrative = narrativeFigures(narrativeText);
  const checks = [...applicationChecks(tables.applications), ...reviewChecks(tables.review_litigation), ...narrativeChecks(narrative, tables)];
  for (const c of checks) {
    if (!c.ok && c.rule.startsWith('narrative.')) warnings.push({ code: 'NARRATIVE_MISMATCH', section: c.rule.split('.')[1] as TableKey, detail: `${c.rule.slice('narrative.'.length)}: ${c.detail}` });
  }
  return {
    template, sections, section_headings: spans.map((s) => s.heading), tables, raw, checks, warnings, narrative,
    hasStandardTables, hasStandardSections,
  };
}

/** Every `item.row` key of table 二, per template (built once). */
const activeRowKeys: Partial<Record<'2019' | '2021', string[]>> = {};

/** A table that was found but lacks rows of its template (a truncated page, a row typed as an image). */
function rowsMissing(
  template: '2019' | '2021',
  seen: Partial<Record<TableKey, Set<string>>>,
  tables: Record<TableKey, Record<string, CellValue>>,
  warnings: ParseWarning[],
): void {
  if (Object.keys(tables.applications).length) {
    const want = template === '2021' ? APPLICATION_ROWS_2021 : APPLICATION_ROWS_2019;
    const missing = want.filter((r) => !seen.applications?.has(r));
    // a 2019-layout (六) single row in a 2021 report, or the reverse, is not "missing"
    const alt = missing.filter((r) => !(r.startsWith('other_') && [...(seen.applications ?? [])].some((s) => s.startsWith('other_'))));
    if (alt.length) warnings.push({ code: 'ROWS_MISSING', section: 'applications', detail: `rows not found: ${alt.join(', ')}` });
  }
  if (Object.keys(tables.active).length) {
    const want = (activeRowKeys[template] ??= Object.entries(ACTIVE_ROWS_BY_ITEM[template]).flatMap(([item, rows]) => rows!.map((r) => `${item}.${r}`)));
    const missing = want.filter((r) => !seen.active?.has(r));
    if (missing.length) warnings.push({ code: 'ROWS_MISSING', section: 'active', detail: `rows not found: ${missing.join(', ')}` });
  }
}
