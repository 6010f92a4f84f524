/** Table 二 (proactive disclosure, 第二十条 items) → `<item>.<row>.<column>` keys. */
import type { Row } from '../blocks.ts';
import {
  ACTIVE_DEFAULT_COLUMNS, activeColumnKey, activeItem, activeRow, type ActiveItem,
} from '../labels.ts';
import { labelKey } from '../normalize.ts';
import type { Unit } from '../values.ts';
import { dotKey, fitValues, rowLabel, splitRow, storeCell, type TableOutput } from './context.ts';

/** Unit a header cell declares, e.g. "本年收费金额（单位：万元）". */
function headerUnit(text: string): Unit {
  const k = labelKey(text);
  if (/万元/.test(k)) return '10k_yuan';
  if (/\(?(?:单位:)?元\)?$/.test(k)) return 'yuan';
  return null;
}

const KEY_UNIT: Record<string, Unit> = { amount_10k_yuan: '10k_yuan', amount_yuan: 'yuan' };

export function mapActive(rows: Row[], template: '2019' | '2021', out: TableOutput): Set<string> {
  const seen = new Set<string>();
  let item: ActiveItem | null = null;
  let columns: string[] | null = null;
  let units: Unit[] = [];
  for (const row of rows) {
    const s = splitRow(row);
    const labels = s.labels.filter((l) => {
      const it = activeItem(l);
      if (it && it !== item) {
        item = it;
        columns = null;
      }
      return !it;
    });
    // a header row: 信息内容 | 本年制发件数 | …
    const headerCells = row.cells.filter((c) => !c.carried && activeColumnKey(c.text));
    if (headerCells.length || labels.some((l) => /^信息内容$/.test(labelKey(l)))) {
      const cells = row.cells.filter((c) => !c.carried && c.text !== '' && !/^信息内容$/.test(labelKey(c.text)) && !activeItem(c.text));
      const defaults = item ? ACTIVE_DEFAULT_COLUMNS[template][item] ?? [] : [];
      columns = cells.map((c, i) => activeColumnKey(c.text) ?? defaults[i] ?? `col${i + 1}`);
      units = cells.map((c) => headerUnit(c.text));
      continue;
    }
    if (!labels.length) {
      if (s.values.some((c) => c.text !== '')) {
        out.warnings.push({ code: 'VALUE_OUTSIDE_GRID', section: 'active', detail: `values without a row label: ${s.values.map((c) => c.text || '·').join(' ')}` });
      }
      continue;
    }
    const match = activeRow(labels[labels.length - 1]);
    if (!match) {
      if (s.values.some((c) => c.text !== '')) {
        out.warnings.push({ code: 'UNKNOWN_ROW_LABEL', section: 'active', detail: `row "${rowLabel(s)}" matches no template row` });
      }
      continue;
    }
    if (item !== match.item) {
      item = match.item;
      columns = null;
    }
    const cols: string[] = columns ?? ACTIVE_DEFAULT_COLUMNS[template][match.item] ?? [];
    const colUnits: Unit[] = columns ? units : [];
    const rowKey = dotKey(match.item, match.row);
    if (seen.has(rowKey)) {
      out.warnings.push({ code: 'DUPLICATE_ROW', section: 'active', detail: `row ${rowKey} appears again; the first one is kept` });
      continue;
    }
    seen.add(rowKey);
    if (!cols.length) continue;
    const fit = fitValues(s.values, cols, null);
    if (fit.status === 'mismatch') {
      out.warnings.push({ code: 'COLUMN_COUNT_MISMATCH', section: 'active', detail: `row ${rowKey} has ${s.values.length} value cells for columns ${cols.join(', ')}; values not read` });
      continue;
    }
    if (fit.status === 'short') {
      out.warnings.push({ code: 'COLUMNS_INCOMPLETE', section: 'active', detail: `row ${rowKey} has ${s.values.length} value cells for columns ${cols.join(', ')}` });
    }
    for (let i = 0; i < cols.length; i++) storeCell(out, 'active', dotKey(rowKey, cols[i]), fit.cells[i], KEY_UNIT[cols[i]] ?? null, colUnits[i] ?? null);
  }
  return seen;
}
