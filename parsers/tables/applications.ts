/** Table 三 (applications received and how they were handled) → `<row>.<column>` keys. */
import type { Row } from '../blocks.ts';
import {
  APPLICATION_COLUMNS, applicationColumnKey, applicationGroup, applicationRowKey, type AppGroup,
} from '../labels.ts';
import { labelKey } from '../normalize.ts';
import { dotKey, fitValues, rowLabel, splitRow, storeCell, type HeaderColumns, type TableOutput } from './context.ts';

const TOP_ITEM = /^\((一|二|七)\)|^[一二三四]、/;

export function mapApplications(rows: Row[], out: TableOutput): Set<string> {
  const seen = new Set<string>();
  const header: HeaderColumns = new Map();
  let group: AppGroup = null;
  for (const row of rows) {
    const s = splitRow(row);
    for (const label of s.labels) {
      const g = applicationGroup(label);
      if (g) group = g;
      else if (TOP_ITEM.test(labelKey(label)) && !/办理结果/.test(labelKey(label))) group = null;
    }
    const hasValue = s.values.some((c) => c.text !== '');
    // a header row ("自然人 | 法人或其他组织 | 总计") names columns, not a row
    const headerRow = s.labels.some((l) => applicationColumnKey(l) && applicationColumnKey(l) !== 'total') || s.values.length === 0;
    const key = headerRow ? null : applicationRowKey(s.labels, group);
    if (!key) {
      let isHeader = false;
      for (const c of row.cells) {
        const col = applicationColumnKey(c.text);
        if (col && !c.carried) {
          isHeader = true;
          if (!header.has(col)) header.set(col, { col: c.col, span: c.span });
        }
      }
      if (hasValue && !isHeader) {
        out.warnings.push({ code: 'UNKNOWN_ROW_LABEL', section: 'applications', detail: `row "${rowLabel(s) || '(no label)'}" with values ${s.values.map((c) => c.text || '·').join(' ')} matches no template row` });
      }
      continue;
    }
    if (seen.has(key)) {
      if (hasValue) out.warnings.push({ code: 'DUPLICATE_ROW', section: 'applications', detail: `row ${key} appears again ("${rowLabel(s)}"); the first one is kept` });
      continue;
    }
    seen.add(key);
    const fit = fitValues(s.values, APPLICATION_COLUMNS, header.size ? header : null);
    if (fit.status === 'mismatch') {
      out.warnings.push({ code: 'COLUMN_COUNT_MISMATCH', section: 'applications', detail: `row ${key} has ${s.values.length} value cells for ${APPLICATION_COLUMNS.length} columns and the header does not place them; values not read: ${s.values.map((c) => c.text || '·').join(' ')}` });
      continue;
    }
    if (fit.status === 'short') {
      out.warnings.push({ code: 'COLUMNS_INCOMPLETE', section: 'applications', detail: `row ${key} has ${s.values.length} value cells for ${APPLICATION_COLUMNS.length} columns; the cells it lacks are left out, not read as blank` });
    }
    for (let i = 0; i < APPLICATION_COLUMNS.length; i++) storeCell(out, 'applications', dotKey(key, APPLICATION_COLUMNS[i]), fit.cells[i]);
  }
  flagBlankTotalColumn(seen, out);
  return seen;
}

/** A 总计 column blank in every row while other cells are filled means the columns were lost or shifted. */
function flagBlankTotalColumn(rows: Set<string>, out: TableOutput): void {
  if (rows.size < 3) return;
  let totals = 0;
  let others = 0;
  for (const r of rows) {
    if (out.values[dotKey(r, 'total')] !== null && out.values[dotKey(r, 'total')] !== undefined) totals++;
    for (const c of APPLICATION_COLUMNS) if (c !== 'total' && out.values[dotKey(r, c)] != null) others++;
  }
  if (totals === 0 && others > 0) {
    out.warnings.push({ code: 'COLUMNS_INCOMPLETE', section: 'applications', detail: `the 总计 column is blank in all ${rows.size} rows while ${others} other cells hold values: the columns of this table are incomplete and values may sit in the wrong column` });
  }
}
