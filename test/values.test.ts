/**
 * parseCell (parsers/values.ts) on cell texts as printed on the real pages and seeds, and the table
 * arithmetic (parsers/checks.ts) on tables typed from Pingtan 97791 (balanced) and 80595 (does not add up).
 */
import { describe, expect, it } from 'vitest';
import { applicationChecks, reviewChecks } from '../parsers/checks.ts';
import { APPLICATION_COLUMNS, REVIEW_KEYS } from '../parsers/labels.ts';
import type { CellValue, CheckResult } from '../parsers/types.ts';
import { isPlaceholder, isValueLike, parseCell } from '../parsers/values.ts';

describe('parseCell: blanks', () => {
  it('a blank cell is null, never 0', () => {
    for (const t of ['', ' ', '\u00a0', '\u00a0\u00a0\u00a0', '\u3000', ' \n\t ', '\u200b']) {
      expect(parseCell(t), JSON.stringify(t)).toEqual({ value: null, raw: null, nonNumeric: false });
    }
  });
  it('a blank money cell is null too', () => {
    expect(parseCell('', 'yuan').value).toBeNull();
    expect(parseCell('\u00a0', '10k_yuan', '10k_yuan').value).toBeNull();
  });
});

describe('parseCell: counts', () => {
  it('nbsp padding (80576 "0"+7×nbsp, 80629 nbsp+"0"+nbsp)', () => {
    expect(parseCell('0\u00a0')).toEqual({ value: 0, raw: null, nonNumeric: false });
    expect(parseCell('0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0').value).toBe(0);
    expect(parseCell('\u00a00\u00a0').value).toBe(0);
    expect(parseCell(' 217 ')).toEqual({ value: 217, raw: null, nonNumeric: false });
  });
  it('full-width digits: "１２" → 12', () => {
    expect(parseCell('１２').value).toBe(12);
    expect(parseCell('１２').nonNumeric).toBe(false);
    expect(parseCell('４５２９').value).toBe(4529);
  });
  it('signed changes keep their sign (seed 001: 行政许可 "+2", 行政处罚 "-3")', () => {
    expect(parseCell('+2').value).toBe(2);
    expect(parseCell('+2').raw).toBe('+2');
    expect(parseCell('-3').value).toBe(-3);
    expect(parseCell('－3').value).toBe(-3);
    expect(parseCell('−3').value).toBe(-3);
    expect(parseCell('＋2').value).toBe(2);
    expect(parseCell('-18').value).toBe(-18);
    expect(Object.is(parseCell('-0').value, 0)).toBe(true);
  });
  it('thousands separators: "1,234" → 1234', () => {
    expect(parseCell('1,234').value).toBe(1234);
    expect(parseCell('1，234').value).toBe(1234);
    expect(parseCell('1,234,567').value).toBe(1234567);
  });
  it('a count unit after the number is dropped ("5件")', () => {
    expect(parseCell('5件').value).toBe(5);
    expect(parseCell('5件').raw).toBe('5件');
  });
});

describe('parseCell: money', () => {
  it('"5.02万元" for a yuan key (seed 001 采购总金额) → 50200 exactly, printed text kept', () => {
    const p = parseCell('5.02万元', 'yuan');
    expect(p.value).toBe(50200);
    expect(p.raw).toBe('5.02万元');
    expect(p.nonNumeric).toBe(false);
  });
  it('万元 → 元 is exact where floating point is not (5.02 × 10000 is 50199.99999999999 in doubles)', () => {
    expect(parseCell('1.1万元', 'yuan').value).toBe(11000);
    expect(parseCell('0.5万元', 'yuan').value).toBe(5000);
    expect(parseCell('12.345万元', 'yuan').value).toBe(123450);
    expect(parseCell('3万', 'yuan').value).toBe(30000);
    // a 万元 header over a bare number in a yuan column
    expect(parseCell('5.02', 'yuan', '10k_yuan').value).toBe(50200);
  });
  it('"75394432.52元" for a yuan key (80576 采购总金额) → 75394432.52', () => {
    const p = parseCell('75394432.52元', 'yuan');
    expect(p.value).toBe(75394432.52);
    expect(p.raw).toBe('75394432.52元');
    // 80595 prints the amount and 元 in two spans; the grid joins them
    expect(parseCell('73802895.90元', 'yuan').value).toBe(73802895.9);
  });
  it('"18651.06" in a 万元 column (97791 本年收费金额（单位：万元）) → 18651.06, no raw needed', () => {
    expect(parseCell('18651.06', '10k_yuan', '10k_yuan')).toEqual({ value: 18651.06, raw: null, nonNumeric: false });
    expect(parseCell('18651.06万元', '10k_yuan').value).toBe(18651.06);
  });
  it('元 → 万元 for a 万元 key is exact too', () => {
    expect(parseCell('186510600元', '10k_yuan').value).toBe(18651.06);
    expect(parseCell('2800元', '10k_yuan').value).toBe(0.28);
    expect(parseCell('7.7元', '10k_yuan').value).toBe(0.00077);
    expect(parseCell('123456789.01元', '10k_yuan').value).toBe(12345.678901);
  });
});

describe('parseCell: text that is not a number is kept as printed', () => {
  it('"/" and "—" are the value, flagged nonNumeric', () => {
    expect(parseCell('/')).toEqual({ value: '/', raw: '/', nonNumeric: true });
    expect(parseCell('—')).toEqual({ value: '—', raw: '—', nonNumeric: true });
    expect(parseCell('——')).toEqual({ value: '——', raw: '——', nonNumeric: true });
    expect(parseCell('无')).toEqual({ value: '无', raw: '无', nonNumeric: true });
    expect(parseCell('/', 'yuan').value).toBe('/');
  });
  it('placeholders are value-like (they sit in value columns) and recognised as placeholders', () => {
    for (const t of ['/', '—', '——', '-', '无']) {
      expect(isValueLike(t), t).toBe(true);
      expect(isPlaceholder(t), t).toBe(true);
    }
    expect(isPlaceholder('0')).toBe(false);
    expect(isValueLike('0\u00a0')).toBe(true);
    expect(isValueLike('75394432.52元')).toBe(true);
    expect(isValueLike('规章')).toBe(false);
    expect(isValueLike('3.其他')).toBe(false);
  });
});

// ---- checks -----------------------------------------------------------------------------------

type Values = Record<string, CellValue>;

function table(rows: Record<string, CellValue[]>): Values {
  const out: Values = {};
  for (const [row, cells] of Object.entries(rows)) APPLICATION_COLUMNS.forEach((c, i) => (out[`${row}.${c}`] = cells[i]));
  return out;
}

const Z = [0, 0, 0, 0, 0, 0, 0];

/** Pingtan 97791 (2024 report, 2021 template), table 三 as printed: every check holds. */
const P97791 = {
  new_received: [217, 1, 0, 0, 0, 0, 218],
  carried_over: Z,
  granted: [71, 0, 0, 0, 0, 0, 71],
  partial: [29, 0, 0, 0, 0, 0, 29],
  denied_state_secret: [4, 0, 0, 0, 0, 0, 4],
  denied_law_forbidden: Z,
  denied_security: Z,
  denied_third_party: [3, 0, 0, 0, 0, 0, 3],
  denied_internal: [32, 0, 0, 0, 0, 0, 32],
  denied_process: Z,
  denied_enforcement_file: Z,
  denied_query_matter: Z,
  unavailable_not_held: [75, 0, 0, 0, 0, 0, 75],
  unavailable_needs_creation: Z,
  unavailable_unclear: Z,
  rejected_petition: Z,
  rejected_repeat: [1, 0, 0, 0, 0, 0, 1],
  rejected_publication: Z,
  rejected_mass_repeat: Z,
  rejected_confirm: Z,
  other_overdue_correction: [1, 0, 0, 0, 0, 0, 1],
  other_overdue_fee: Z,
  other_other: [1, 1, 0, 0, 0, 0, 2],
  total: [217, 1, 0, 0, 0, 0, 218],
  carried_forward: Z,
};

/** Pingtan 80595 (2020 report, 2019 template): the result rows do not add up to (七)总计. */
const P80595 = {
  new_received: [20, 0, 0, 0, 0, 1, 21],
  carried_over: Z,
  granted: [6, 0, 0, 0, 0, 1, 7],
  partial: [6, 0, 0, 0, 0, 0, 6],
  denied_state_secret: Z, denied_law_forbidden: Z, denied_security: Z, denied_third_party: Z,
  denied_internal: Z, denied_process: Z, denied_enforcement_file: Z, denied_query_matter: Z,
  unavailable_not_held: [4, 0, 0, 0, 0, 0, 4],
  unavailable_needs_creation: Z,
  unavailable_unclear: [3, 0, 0, 0, 0, 0, 3],
  rejected_petition: Z,
  rejected_repeat: [3, 0, 0, 0, 0, 0, 3],
  rejected_publication: Z, rejected_mass_repeat: Z, rejected_confirm: Z,
  other_handling: [4, 0, 0, 0, 0, 0, 4],
  total: [20, 0, 0, 0, 0, 1, 21],
  carried_forward: Z,
};

const byRule = (checks: CheckResult[]) => Object.fromEntries(checks.map((c) => [c.rule, c]));
const squashed = (s: string) => s.replace(/\s+/g, '');

describe('applicationChecks', () => {
  it('a balanced table (97791): every balance, result-sum and row check holds', () => {
    const checks = applicationChecks(table(P97791));
    const rules = byRule(checks);
    expect(checks.every((c) => c.ok)).toBe(true);
    for (const col of APPLICATION_COLUMNS) {
      expect(rules[`applications.balance.${col}`], col).toBeDefined();
      expect(rules[`applications.results.${col}`], col).toBeDefined();
    }
    for (const row of Object.keys(P97791)) expect(rules[`applications.row.${row}`], row).toBeDefined();
    expect(checks).toHaveLength(7 + 7 + Object.keys(P97791).length);
  });

  it('details spell out the arithmetic', () => {
    const rules = byRule(applicationChecks(table(P97791)));
    // 新收 + 结转 = 总计 + 结转下年
    expect(squashed(rules['applications.balance.total'].detail)).toBe('218+0=218+0');
    expect(squashed(rules['applications.balance.natural_person'].detail)).toBe('217+0=217+0');
    // the 2021 result rows, in page order
    expect(squashed(rules['applications.results.total'].detail)).toBe('71+29+4+0+0+3+32+0+0+0+75+0+0+0+1+0+0+0+1+0+2=218');
    expect(squashed(rules['applications.row.other_other'].detail)).toBe('1+1+0+0+0+0=2');
  });

  it('an unbalanced table (80595): results ≠ 总计 fails for 自然人 and 总计 only, and says by how much', () => {
    const checks = applicationChecks(table(P80595));
    const failed = checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.rule).sort()).toEqual(['applications.results.natural_person', 'applications.results.total']);
    const np = squashed(failed.find((c) => c.rule.endsWith('natural_person'))!.detail);
    // 6 + 6 + 4 + 3 + 3 + 4 = 26 against a printed 20 (the 2019 template has the single (六) row)
    expect(np.startsWith('6+6+0+0+0+0+0+0+0+0+4+0+3+0+3+0+0+0+4')).toBe(true);
    expect(np).toContain('26');
    expect(np).toContain('20');
    const total = squashed(failed.find((c) => c.rule.endsWith('.total'))!.detail);
    expect(total).toContain('27');
    expect(total).toContain('21');
    // the balance holds: 20 + 0 = 20 + 0, 21 + 0 = 21 + 0
    const rules = byRule(checks);
    expect(rules['applications.balance.total']).toMatchObject({ ok: true });
    expect(squashed(rules['applications.balance.total'].detail)).toBe('21+0=21+0');
    expect(rules['applications.results.other']).toMatchObject({ ok: true });
  });

  it('a wrong 结转下年 breaks the balance and the detail shows both sides', () => {
    const v = table({ ...P97791, carried_forward: [0, 0, 0, 0, 0, 0, 5] });
    const c = byRule(applicationChecks(v))['applications.balance.total'];
    expect(c.ok).toBe(false);
    const d = squashed(c.detail);
    expect(d).toContain('218+0');
    expect(d).toContain('218+5');
    expect(d).toContain('223');
  });

  it('a blank (null) cell counts as 0', () => {
    const v = table(P97791);
    for (const c of ['research', 'social', 'legal', 'other']) v[`new_received.${c}`] = null;
    const rules = byRule(applicationChecks(v));
    expect(rules['applications.row.new_received']).toMatchObject({ ok: true });
    expect(squashed(rules['applications.row.new_received'].detail)).toBe('217+1+0+0+0+0=218');
    expect(rules['applications.balance.research']).toMatchObject({ ok: true });
    // a blank that should have been a number still fails as 0
    v['total.total'] = null;
    const t = byRule(applicationChecks(v))['applications.balance.total'];
    expect(t.ok).toBe(false);
    expect(squashed(t.detail)).toContain('0+0');
  });

  it('a "/" makes the checks it is in unevaluable: they are absent, the others remain', () => {
    const v = table(P97791);
    v['carried_over.research'] = '/';
    v['granted.legal'] = '—';
    const rules = byRule(applicationChecks(v));
    expect(rules['applications.balance.research']).toBeUndefined();
    expect(rules['applications.row.carried_over']).toBeUndefined();
    expect(rules['applications.results.legal']).toBeUndefined();
    expect(rules['applications.row.granted']).toBeUndefined();
    expect(rules['applications.balance.legal']).toBeDefined();
    expect(rules['applications.results.research']).toBeDefined();
    expect(rules['applications.balance.total']).toMatchObject({ ok: true });
  });

  it('a column with no number at all, or a missing row, gives no check (nothing to compare)', () => {
    const v = table(P97791);
    for (const row of Object.keys(P97791)) v[`${row}.legal`] = null;
    let rules = byRule(applicationChecks(v));
    expect(rules['applications.balance.legal']).toBeUndefined();
    expect(rules['applications.results.legal']).toBeUndefined();
    const w = table(P97791);
    for (const c of APPLICATION_COLUMNS) delete w[`total.${c}`];
    rules = byRule(applicationChecks(w));
    expect(Object.keys(rules).filter((r) => r.startsWith('applications.balance.') || r.startsWith('applications.results.'))).toEqual([]);
    expect(rules['applications.row.new_received']).toMatchObject({ ok: true });
  });
});

describe('reviewChecks', () => {
  const review = (xs: CellValue[]) => Object.fromEntries(REVIEW_KEYS.map((k, i) => [k, xs[i]]));

  it('80613 (1 0 2 0 3 | 12 0 0 0 12 | 0 0 0 0 0): every total holds, details show the sums', () => {
    const checks = reviewChecks(review([1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]));
    expect(checks.map((c) => [c.rule, c.ok])).toEqual([
      ['review_litigation.review_total', true],
      ['review_litigation.suit_direct_total', true],
      ['review_litigation.suit_after_review_total', true],
    ]);
    expect(squashed(checks[0].detail)).toBe('1+0+2+0=3');
    expect(squashed(checks[1].detail)).toBe('12+0+0+0=12');
  });

  it('a total that does not add up (97791 复议 2 1 3 1 with 7 misprinted as 6) fails with the arithmetic', () => {
    const checks = byRule(reviewChecks(review([2, 1, 3, 1, 6, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19])));
    expect(checks['review_litigation.review_total'].ok).toBe(false);
    const d = squashed(checks['review_litigation.review_total'].detail);
    expect(d).toContain('2+1+3+1');
    expect(d).toContain('7');
    expect(d).toContain('6');
    expect(checks['review_litigation.suit_after_review_total']).toMatchObject({ ok: true });
    expect(squashed(checks['review_litigation.suit_after_review_total'].detail)).toBe('13+2+4+0=19');
  });

  it('null counts as 0; "/" removes that group\'s check', () => {
    const checks = byRule(reviewChecks(review([2, null, 3, 1, 6, '/', 0, 0, 0, 0, 13, 2, 4, 0, 19])));
    expect(checks['review_litigation.review_total']).toMatchObject({ ok: true });
    expect(squashed(checks['review_litigation.review_total'].detail)).toBe('2+0+3+1=6');
    expect(checks['review_litigation.suit_direct_total']).toBeUndefined();
    expect(checks['review_litigation.suit_after_review_total']).toMatchObject({ ok: true });
  });
});
