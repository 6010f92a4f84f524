/**
 * The national template's labels, and matching a printed label to its canonical key.
 * Every pattern runs on `labelKey(text)`: NFKC-folded (全角→半角), all spaces removed, so
 * "（三）不予公开", "(三)不予公开" and "( 三 ) 不 予 公 开" are one label.
 */
import { labelKey, memo } from './normalize.ts';

export const APPLICATION_COLUMNS = ['natural_person', 'commercial', 'research', 'social', 'legal', 'other', 'total'] as const;
export type ApplicationColumn = (typeof APPLICATION_COLUMNS)[number];

export const REVIEW_KEYS = [
  'review_upheld', 'review_corrected', 'review_other', 'review_pending', 'review_total',
  'suit_direct_upheld', 'suit_direct_corrected', 'suit_direct_other', 'suit_direct_pending', 'suit_direct_total',
  'suit_after_review_upheld', 'suit_after_review_corrected', 'suit_after_review_other', 'suit_after_review_pending', 'suit_after_review_total',
] as const;

/** Result rows of table 三, in page order; their sum is (七)总计. */
export const RESULT_ROWS = [
  'granted', 'partial',
  'denied_state_secret', 'denied_law_forbidden', 'denied_security', 'denied_third_party', 'denied_internal',
  'denied_process', 'denied_enforcement_file', 'denied_query_matter',
  'unavailable_not_held', 'unavailable_needs_creation', 'unavailable_unclear',
  'rejected_petition', 'rejected_repeat', 'rejected_publication', 'rejected_mass_repeat', 'rejected_confirm',
  'other_handling', 'other_overdue_correction', 'other_overdue_fee', 'other_other',
] as const;

export const APPLICATION_ROWS_2021 = [
  'new_received', 'carried_over', ...RESULT_ROWS.filter((r) => r !== 'other_handling'), 'total', 'carried_forward',
];
export const APPLICATION_ROWS_2019 = [
  'new_received', 'carried_over',
  ...RESULT_ROWS.filter((r) => !['other_overdue_correction', 'other_overdue_fee', 'other_other'].includes(r)),
  'total', 'carried_forward',
];

/** Group headings of table 三 ("(三)不予公开" …): they give context to "2.重复申请"-style sub-rows. */
export type AppGroup = 'denied' | 'unavailable' | 'rejected' | 'other_handling' | null;

const GROUPS: Array<[RegExp, Exclude<AppGroup, null>]> = [
  [/不予公开$|^\(三\)/, 'denied'],
  [/无法提供$|^\(四\)/, 'unavailable'],
  [/不予处理$|^\(五\)/, 'rejected'],
  [/其他处理$|^\(六\)/, 'other_handling'],
];

export const applicationGroup = memo((label: string): AppGroup => {
  const k = labelKey(label);
  for (const [re, g] of GROUPS) if (re.test(k)) return g;
  return null;
});

/** Specific row labels; the first match wins, so narrower patterns come first. */
const APPLICATION_ROW_PATTERNS: Array<[RegExp, string]> = [
  [/本年新收|新收.*申请/, 'new_received'],
  [/上年结转/, 'carried_over'],
  [/结转下年|下年度继续办理|结转下一年/, 'carried_forward'],
  [/部分公开/, 'partial'],
  [/予以公开/, 'granted'],
  [/国家秘密/, 'denied_state_secret'],
  [/法律行政法规禁止|其他法律|禁止公开/, 'denied_law_forbidden'],
  [/三安全一稳定|危及/, 'denied_security'],
  [/第三方/, 'denied_third_party'],
  [/内部事务/, 'denied_internal'],
  [/过程性/, 'denied_process'],
  [/执法案卷/, 'denied_enforcement_file'],
  [/查询事项/, 'denied_query_matter'],
  [/不掌握/, 'unavailable_not_held'],
  [/另行制作|没有现成/, 'unavailable_needs_creation'],
  [/仍不明确|补正后/, 'unavailable_unclear'],
  [/信访|举报投诉/, 'rejected_petition'],
  [/重复申请/, 'rejected_repeat'],
  [/出版物/, 'rejected_publication'],
  [/大量反复|反复申请/, 'rejected_mass_repeat'],
  [/确认或重新出具|重新出具/, 'rejected_confirm'],
  [/逾期不补正|不补正/, 'other_overdue_correction'],
  [/收费通知|缴纳费用/, 'other_overdue_fee'],
  [/总计|合计/, 'total'],
];

/**
 * Canonical row key of table 三 for a row whose label cells are `labels` (outermost first),
 * in the context of the last group heading seen. null when the row is not a known data row.
 */
/** The row a label names on its own, without group context. */
const specificRowKey = memo((label: string): string | null => {
  const k = labelKey(label);
  for (const [re, key] of APPLICATION_ROW_PATTERNS) if (re.test(k)) return key;
  return null;
});

export function applicationRowKey(labels: string[], group: AppGroup): string | null {
  for (let i = labels.length - 1; i >= 0; i--) {
    const k = labelKey(labels[i]);
    if (!k) continue;
    const specific = specificRowKey(labels[i]);
    if (specific) return specific;
    // "3.其他" under (六)其他处理; "(六)其他处理" alone is the 2019 single row
    if (/^\d\.?其他$|^其他$/.test(k) && (group === 'other_handling' || applicationGroup(labels[0]) === 'other_handling')) return 'other_other';
    if (/其他处理$/.test(k) && i === labels.length - 1) return 'other_handling';
  }
  return null;
}

const APPLICATION_COLUMN_PATTERNS: Array<[RegExp, ApplicationColumn]> = [
  [/自然人/, 'natural_person'],
  [/商业企业/, 'commercial'],
  [/科研机构/, 'research'],
  [/社会公益组织|公益组织/, 'social'],
  [/法律服务机构/, 'legal'],
  [/^其他$/, 'other'],
  [/^总计$|^合计$/, 'total'],
];

export const applicationColumnKey = memo((label: string): ApplicationColumn | null => {
  const k = labelKey(label);
  for (const [re, key] of APPLICATION_COLUMN_PATTERNS) if (re.test(k)) return key;
  return null;
});

// ---- table 二 -------------------------------------------------------------------------------

export type ActiveItem = 'art20_1' | 'art20_5' | 'art20_6' | 'art20_8' | 'art20_9';

const ITEM_BY_NUMERAL: Record<string, ActiveItem> = { 一: 'art20_1', 五: 'art20_5', 六: 'art20_6', 八: 'art20_8', 九: 'art20_9', '1': 'art20_1', '5': 'art20_5', '6': 'art20_6', '8': 'art20_8', '9': 'art20_9' };

/** "第二十条第（一）项" → art20_1 */
export const activeItem = memo((label: string): ActiveItem | null => {
  const m = labelKey(label).match(/第(?:二十|20)条第\(?([一五六八九1-9])\)?项/);
  return m ? ITEM_BY_NUMERAL[m[1]] ?? null : null;
});

const ACTIVE_ROWS: Array<[RegExp, string, ActiveItem]> = [
  [/^规章$|^规章\d*$/, 'rules', 'art20_1'],
  [/规范性文件/, 'normative', 'art20_1'],
  [/行政许可/, 'licensing', 'art20_5'],
  [/其他对外管理服务/, 'other_services', 'art20_5'],
  [/行政处罚/, 'penalty', 'art20_6'],
  [/行政强制/, 'coercion', 'art20_6'],
  [/行政事业性收费|事业性收费/, 'fees', 'art20_8'],
  [/政府集中采购|集中采购/, 'procurement', 'art20_9'],
];

export const activeRow = memo((label: string): { row: string; item: ActiveItem } | null => {
  const k = labelKey(label);
  for (const [re, row, item] of ACTIVE_ROWS) if (re.test(k)) return { row, item };
  return null;
});

const ACTIVE_COLUMNS: Array<[RegExp, string]> = [
  [/本年制发/, 'issued'],
  [/本年废止|废止件数/, 'repealed'],
  [/现行有效/, 'in_force'],
  [/本年新制作|新制作数量/, 'made'],
  [/本年新公开|新公开数量/, 'published'],
  [/对外公开总数/, 'total_published'],
  [/上一?年项目数/, 'prev_items'],
  [/增\/?减|增减/, 'change'],
  [/处理决定/, 'decisions'],
  [/收费金额/, 'amount_10k_yuan'],
  [/采购项目数/, 'items'],
  [/采购总金额|采购金额/, 'amount_yuan'],
];

export const activeColumnKey = memo((label: string): string | null => {
  const k = labelKey(label);
  for (const [re, key] of ACTIVE_COLUMNS) if (re.test(k)) return key;
  return null;
});

/** The columns each item has, by template, in page order. */
export const ACTIVE_DEFAULT_COLUMNS: Record<'2019' | '2021', Partial<Record<ActiveItem, string[]>>> = {
  '2021': {
    art20_1: ['issued', 'repealed', 'in_force'],
    art20_5: ['decisions'],
    art20_6: ['decisions'],
    art20_8: ['amount_10k_yuan'],
  },
  '2019': {
    art20_1: ['made', 'published', 'total_published'],
    art20_5: ['prev_items', 'change', 'decisions'],
    art20_6: ['prev_items', 'change', 'decisions'],
    art20_8: ['prev_items', 'change'],
    art20_9: ['items', 'amount_yuan'],
  },
};

export const ACTIVE_ROWS_BY_ITEM: Record<'2019' | '2021', Partial<Record<ActiveItem, string[]>>> = {
  '2021': { art20_1: ['rules', 'normative'], art20_5: ['licensing'], art20_6: ['penalty', 'coercion'], art20_8: ['fees'] },
  '2019': {
    art20_1: ['rules', 'normative'], art20_5: ['licensing', 'other_services'], art20_6: ['penalty', 'coercion'],
    art20_8: ['fees'], art20_9: ['procurement'],
  },
};

// ---- template markers -----------------------------------------------------------------------

const MARKERS_2021 = [/本年制发件数|本年制发/, /本年废止件数/, /现行有效件数/, /本年收费金额/, /逾期不补正/, /收费通知要求缴纳/];
const MARKERS_2019 = [/本年新制作数量/, /本年新公开数量/, /对外公开总数量/, /上一?年项目数量/, /第二十条第\(九\)项/, /政府集中采购/, /其他对外管理服务事项/, /采购总金额/];

export const templateVotes = memo((label: string): { v2019: number; v2021: number } => {
  const k = labelKey(label);
  return {
    v2019: MARKERS_2019.some((re) => re.test(k)) ? 1 : 0,
    v2021: MARKERS_2021.some((re) => re.test(k)) ? 1 : 0,
  };
});

// ---- which table a row belongs to ----------------------------------------------------------

const ROW_CLASS: Array<[RegExp, 'active' | 'applications' | 'review_litigation']> = [
  [/行政复议|行政诉讼|结果维持|结果纠正|尚未审结|复议后起诉|直接起诉/, 'review_litigation'],
  [/申请人情况|自然人|法人或其他组织|商业企业|科研机构|本年新收|上年结转|办理结果|予以公开|部分公开|不予公开|国家秘密|无法提供|不予处理|其他处理|结转下年|勾稽关系/, 'applications'],
  [/第(?:二十|20)条|信息内容|^规章|规范性文件|行政许可|其他对外管理服务|行政处罚|行政强制|事业性收费|集中采购|本年制发|本年新制作|处理决定数量/, 'active'],
];

type TableClass = 'active' | 'applications' | 'review_litigation';
const PRIORITY: TableClass[] = ['review_litigation', 'applications', 'active'];

const cellClass = memo((text: string): TableClass | null => {
  const k = labelKey(text);
  for (const [re, cls] of ROW_CLASS) if (re.test(k)) return cls;
  return null;
});

/** The table a row's own words place it in (review words outrank application words, which outrank active). */
export function rowTableClass(texts: string[]): TableClass | null {
  let best = PRIORITY.length;
  for (const t of texts) {
    const c = cellClass(t);
    if (c) best = Math.min(best, PRIORITY.indexOf(c));
  }
  return best < PRIORITY.length ? PRIORITY[best] : null;
}
