/**
 * Figures a report states in its own words ("收到政府信息公开申请23件"), keyed like table cells.
 * They cross-check the tables, and stand in for them when the tables are images.
 */
import type { CellValue, CheckResult } from './types.ts';

export type Figures = Record<string, number>;

const N = '(\\d+)';
const UNIT = '(?:件|起|宗|条|份)';

/** [pattern, key]; the first capture group is the figure. */
const PATTERNS: Array<[RegExp, string]> = [
  [new RegExp(`(?:新?收到|接收|受理|接到)(?:各类|了)?(?:政府信息公开|信息公开|依申请公开)?(?:的)?申请(?:共计|共|合计|总计)?${N}${UNIT}`), 'applications.new_received.total'],
  [new RegExp(`上年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?${N}${UNIT}`), 'applications.carried_over.total'],
  [new RegExp(`(?<!不)予以公开${N}${UNIT}`), 'applications.granted.total'],
  [new RegExp(`(?<![及和与])部分公开${N}${UNIT}`), 'applications.partial.total'],
  [new RegExp(`不掌握(?:相关)?(?:政府)?信息${N}${UNIT}`), 'applications.unavailable_not_held.total'],
  [new RegExp(`结转(?:至|到)?(?:下一?年度?|\\d{4}年度?)(?:继续办理)?${N}${UNIT}`), 'applications.carried_forward.total'],
  [new RegExp(`行政复议(?:案件|申请)?(?:共计|共)?${N}${UNIT}`), 'review_litigation.review_total'],
  [new RegExp(`复议后(?:被)?(?:提起)?(?:的)?行政诉讼(?:案件)?(?:共计|共)?${N}${UNIT}`), 'review_litigation.suit_after_review_total'],
  [new RegExp(`(?<!复议后(?:被)?(?:提起)?)行政诉讼(?:案件)?(?:共计|共)?${N}${UNIT}`), 'review_litigation.suit_total'],
  [new RegExp(`现行有效(?:的)?(?:行政)?规范性文件(?:共)?${N}件`), 'active.art20_1.normative.in_force'],
  [new RegExp(`(?:制发|出台|印发)(?:了)?(?:行政)?规范性文件${N}件`), 'active.art20_1.normative.issued'],
];

export function narrativeFigures(text: string): Figures {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  const out: Figures = {};
  for (const [re, key] of PATTERNS) {
    const m = t.match(re);
    if (!m || key in out) continue;
    out[key] = Number(m[1]);
    const after = t.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 12);
    if (key === 'review_litigation.review_total' && /^[,，;；]?(?:结果)?均(?:为|被)?维持/.test(after)) {
      out['review_litigation.review_upheld'] = out[key];
    }
    if (key === 'review_litigation.suit_after_review_total' && /^[,，;；]?(?:目前)?(?:尚未审结|正在审理)/.test(after)) {
      out['review_litigation.suit_after_review_pending'] = out[key];
    }
  }
  if ('review_litigation.suit_after_review_total' in out && out['review_litigation.suit_total'] === out['review_litigation.suit_after_review_total']) {
    delete out['review_litigation.suit_total'];
  }
  return out;
}

type Tables = Record<'active' | 'applications' | 'review_litigation', Record<string, CellValue>>;

function tableValue(tables: Tables, key: string): number[] | null {
  const num = (table: keyof Tables, k: string) => {
    const v = tables[table][k];
    return typeof v === 'number' ? v : null;
  };
  if (key === 'review_litigation.suit_total') {
    const a = num('review_litigation', 'suit_direct_total');
    const b = num('review_litigation', 'suit_after_review_total');
    return a === null && b === null ? null : [(a ?? 0) + (b ?? 0)];
  }
  const [table, ...rest] = key.split('.') as [keyof Tables, ...string[]];
  const v = num(table, rest.join('.'));
  if (v === null) return null;
  // "收到申请75件" often counts the carried-over ones too
  if (key === 'applications.new_received.total') {
    const carried = num('applications', 'carried_over.total');
    return carried ? [v, v + carried] : [v];
  }
  return [v];
}

/** One check per figure the narrative states and the tables hold. */
export function narrativeChecks(figures: Figures, tables: Tables): CheckResult[] {
  const out: CheckResult[] = [];
  for (const [key, stated] of Object.entries(figures)) {
    const inTable = tableValue(tables, key);
    if (!inTable) continue;
    const ok = inTable.includes(stated);
    out.push({ rule: `narrative.${key}`, ok, detail: `text says ${stated}, table says ${inTable[0]}${inTable.length > 1 ? ` (or ${inTable.slice(1).join(', ')} with carried-over)` : ''}` });
  }
  return out;
}
