/** Table 四 (administrative review and litigation): fifteen numbers in page order. */
import type { Cell, Row } from '../blocks.ts';
import { REVIEW_KEYS } from '../labels.ts';
import { labelKey } from '../normalize.ts';
import { fitValues, splitRow, storeCell, type TableOutput } from './context.ts';

const HEADER_WORD = /行政复议|行政诉讼|结果维持|结果纠正|其他结果|尚未审结|总计|直接起诉|复议后起诉|维持|纠正/;

export function mapReview(rows: Row[], out: TableOutput): boolean {
  let collected: Cell[] = [];
  let done = false;
  for (const row of rows) {
    const s = splitRow(row);
    const isHeader = s.labels.some((l) => HEADER_WORD.test(labelKey(l)));
    const hasValue = s.values.some((c) => c.text !== '');
    if (isHeader || !hasValue) continue;
    if (done) {
      out.warnings.push({ code: 'VALUE_OUTSIDE_GRID', section: 'review_litigation', detail: `an extra row of values after the fifteen: ${s.values.map((c) => c.text || '·').join(' ')}` });
      continue;
    }
    // a table split in two (复议 | 诉讼) continues on the next value row
    collected = collected.concat(s.values);
    if (collected.filter((c) => c.text !== '').length >= 1 && collected.length >= REVIEW_KEYS.length) done = true;
  }
  if (!collected.length) return false;
  const fit = fitValues(collected, REVIEW_KEYS, null);
  if (fit.status === 'mismatch') {
    out.warnings.push({ code: 'COLUMN_COUNT_MISMATCH', section: 'review_litigation', detail: `${collected.length} value cells for ${REVIEW_KEYS.length} columns; values not read: ${collected.map((c) => c.text || '·').join(' ')}` });
    return false;
  }
  if (fit.status === 'short') {
    out.warnings.push({ code: 'COLUMNS_INCOMPLETE', section: 'review_litigation', detail: `${collected.length} value cells for ${REVIEW_KEYS.length} columns; read left to right` });
  }
  REVIEW_KEYS.forEach((k, i) => storeCell(out, 'review_litigation', k, fit.cells[i]));
  return true;
}
