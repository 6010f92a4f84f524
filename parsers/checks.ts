/** The arithmetic a report's tables must satisfy (the 勾稽关系). A failed check is data, not an error. */
import { APPLICATION_COLUMNS, RESULT_ROWS } from './labels.ts';
import { dotKey } from './tables/context.ts';
import type { CellValue, CheckResult } from './types.ts';

type Values = Record<string, CellValue>;

/** Operands of a check: null (blank) counts as 0; text such as "/" makes the check unevaluable. */
function operands(values: Values, keys: string[]): number[] | null {
  if (!keys.some((k) => typeof values[k] === 'number')) return null;
  const out: number[] = [];
  for (const k of keys) {
    const v = values[k];
    if (typeof v === 'string') return null;
    out.push(v ?? 0);
  }
  return out;
}

const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 1e6) / 1e6;
const show = (xs: number[]) => xs.join(' + ');

function equation(rule: string, left: number[], right: number[]): CheckResult {
  const l = sum(left);
  const r = sum(right);
  const ok = l === r;
  const lhs = left.length > 1 ? `${show(left)}` : `${l}`;
  const rhs = right.length > 1 ? `${show(right)}` : `${r}`;
  const detail = ok ? `${lhs} = ${rhs}` : `${lhs} = ${l} ≠ ${rhs}${right.length > 1 ? ` = ${r}` : ''}`;
  return { rule, ok, detail };
}

/** "row.column" key strings, built once: checks run on every report. */
const keyCache = new Map<string, string[]>();
function rowKeys(row: string): string[] {
  let keys = keyCache.get(row);
  if (!keys) keyCache.set(row, (keys = APPLICATION_COLUMNS.map((c) => dotKey(row, c))));
  return keys;
}

const BALANCE_ROWS = ['new_received', 'carried_over', 'total', 'carried_forward'];

export function applicationChecks(values: Values): CheckResult[] {
  const out: CheckResult[] = [];
  const rowsPresent = new Set<string>();
  for (const k of Object.keys(values)) rowsPresent.add(k.slice(0, k.indexOf('.')));
  const results = RESULT_ROWS.filter((row) => rowsPresent.has(row));
  const balance = BALANCE_ROWS.every((row) => rowsPresent.has(row));
  for (let c = 0; c < APPLICATION_COLUMNS.length; c++) {
    const col = APPLICATION_COLUMNS[c];
    if (balance) {
      const ops = operands(values, BALANCE_ROWS.map((row) => rowKeys(row)[c]));
      if (ops) out.push(equation(`applications.balance.${col}`, ops.slice(0, 2), ops.slice(2)));
    }
    if (rowsPresent.has('total') && results.length) {
      const keys = results.map((row) => rowKeys(row)[c]);
      keys.push(rowKeys('total')[c]);
      const ops = operands(values, keys);
      if (ops) out.push(equation(`applications.results.${col}`, ops.slice(0, -1), ops.slice(-1)));
    }
  }
  for (const row of rowsPresent) {
    const keys = rowKeys(row);
    if (!keys.every((k) => k in values)) continue;
    const ops = operands(values, keys);
    if (ops) out.push(equation(`applications.row.${row}`, ops.slice(0, -1), ops.slice(-1)));
  }
  return out;
}

export function reviewChecks(values: Values): CheckResult[] {
  const out: CheckResult[] = [];
  for (const g of ['review', 'suit_direct', 'suit_after_review']) {
    const keys = ['upheld', 'corrected', 'other', 'pending', 'total'].map((p) => `${g}_${p}`);
    if (!keys.every((k) => k in values)) continue;
    const ops = operands(values, keys);
    if (ops) out.push(equation(`review_litigation.${g}_total`, ops.slice(0, 4), ops.slice(4)));
  }
  return out;
}
