/** Parsing one table cell into a canonical value. Blank is null, never 0. */
import { fold, labelKey, memo, noSpace } from './normalize.ts';

export type Unit = 'yuan' | '10k_yuan' | null;

export interface ParsedCell {
  /** number, null (blank) or the printed text when it is not a number */
  value: number | string | null;
  /** the cell as printed, when it carried more than a bare number (units, signs, dashes) */
  raw: string | null;
  /** true when the cell holds text that is not a number */
  nonNumeric: boolean;
}

const NUMBER = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;
/** Dashes and slashes agencies type for "nothing" or "not applicable". */
const PLACEHOLDER = /^(?:[/\\—–\-_~·.。…]+|无|空|不适用|\/)$/;

/** Shift a decimal string by `places` powers of ten without float error ("5.02", 4 → 50200; "7.7", -4 → 0.00077). */
function shiftDecimal(intPart: string, fracPart: string, places: number): number {
  let digits = intPart + fracPart;
  let point = intPart.length + places;
  if (point < 1) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  const padded = point >= digits.length ? digits + '0'.repeat(point - digits.length) : digits;
  const text = padded.slice(0, point) + (point < padded.length ? '.' + padded.slice(point) : '');
  return Number(text);
}

/**
 * Parse a cell for a key whose unit is `unit` (null for counts).
 * "5.02万元" for a yuan key → 50200; "+2" → 2; "－3" → -3; "１２" → 12; "" → null; "/" → "/".
 */
export function parseCell(text: string, unit: Unit = null, headerUnit: Unit = null): ParsedCell {
  return unit === null && headerUnit === null ? parseCount(text) : parseCellUncached(text, unit, headerUnit);
}

const parseCount = memo((text: string) => parseCellUncached(text, null, null));

function parseCellUncached(text: string, unit: Unit, headerUnit: Unit): ParsedCell {
  const printed = noSpace(text);
  if (printed === '') return { value: null, raw: null, nonNumeric: false };
  let s = fold(printed).replace(/[−－﹣]/g, '-').replace(/[＋﹢]/g, '+').replace(/，/g, ',');
  let cellUnit: Unit = null;
  const unitMatch = s.match(/(万元|万|元)$/);
  if (unitMatch) {
    cellUnit = unitMatch[1] === '元' ? 'yuan' : '10k_yuan';
    s = s.slice(0, -unitMatch[1].length);
  }
  s = s.replace(/(件|个|项|次|条|起|人次)$/, '');
  const m = s.match(NUMBER);
  if (!m) {
    return { value: printed, raw: printed, nonNumeric: true };
  }
  const sign = m[1] === '-' ? -1 : 1;
  const intPart = m[2].replace(/,/g, '');
  const frac = m[3] ?? '';
  let value: number;
  const from = cellUnit ?? headerUnit;
  if (unit && from && unit !== from) {
    value = shiftDecimal(intPart, frac, from === '10k_yuan' ? 4 : -4);
  } else {
    value = Number(frac ? `${intPart}.${frac}` : intPart);
  }
  value = sign * value;
  if (Object.is(value, -0)) value = 0;
  const bare = /^\d+(?:\.\d+)?$/.test(fold(printed));
  return { value, raw: bare ? null : printed, nonNumeric: false };
}

/** Is this cell text a value (number, blank, dash, amount) rather than a label? */
export const isValueLike = memo((text: string): boolean => {
  const s = labelKey(text).replace(/[−－﹣]/g, '-');
  if (s === '') return true;
  if (PLACEHOLDER.test(s)) return true;
  return /^[+-]?[\d,.]+(?:万元|万|元|件|个|项|次|条|起|%)?$/.test(s);
});

/** Is the cell text a placeholder dash/slash (kept raw, warned about)? */
export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(fold(noSpace(text)));
}
