/**
 * The label matcher (parsers/labels.ts) on label strings as printed on the real pages and seeds:
 * Pingtan 80576/80595 (2019 template), 80613/97791 (2021), seeds 000–004 (half-width brackets, wrapped cells).
 */
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { cellText } from '../parsers/html-grid.ts';
import {
  activeColumnKey, activeItem, activeRow, applicationColumnKey, applicationGroup, applicationRowKey,
  rowTableClass, templateVotes, type AppGroup,
} from '../parsers/labels.ts';

const RESULTS = '三、本年度办理结果';

/** Text of the first cell of an HTML row, as the grid reads it. */
function cell(html: string): string {
  const $ = cheerio.load(`<table><tr>${html}</tr></table>`, { xml: { xmlMode: false, decodeEntities: true } });
  return cellText($('td').get(0)!).text;
}

describe('applicationRowKey: every row of table 三 as the 2021 page prints it (80613, rowspan copies included)', () => {
  // [labels outermost first, the group heading in force, canonical row]
  const rows: Array<[string[], AppGroup, string]> = [
    [['一、本年新收政府信息公开申请数量'], null, 'new_received'],
    [['二、上年结转政府信息公开申请数量'], null, 'carried_over'],
    [[RESULTS, '（一）予以公开'], null, 'granted'],
    [[RESULTS, '（二）部分公开（区分处理的，只计这一情形，不计其他情形）'], null, 'partial'],
    [[RESULTS, '（三）不予公开', '1.属于国家秘密'], 'denied', 'denied_state_secret'],
    [[RESULTS, '（三）不予公开', '2.其他法律行政法规禁止公开'], 'denied', 'denied_law_forbidden'],
    [[RESULTS, '（三）不予公开', '3.危及“三安全一稳定”'], 'denied', 'denied_security'],
    [[RESULTS, '（三）不予公开', '4.保护第三方合法权益'], 'denied', 'denied_third_party'],
    [[RESULTS, '（三）不予公开', '5.属于三类内部事务信息'], 'denied', 'denied_internal'],
    [[RESULTS, '（三）不予公开', '6.属于四类过程性信息'], 'denied', 'denied_process'],
    [[RESULTS, '（三）不予公开', '7.属于行政执法案卷'], 'denied', 'denied_enforcement_file'],
    [[RESULTS, '（三）不予公开', '8.属于行政查询事项'], 'denied', 'denied_query_matter'],
    [[RESULTS, '（四）无法提供', '1.本机关不掌握相关政府信息'], 'unavailable', 'unavailable_not_held'],
    [[RESULTS, '（四）无法提供', '2.没有现成信息需要另行制作'], 'unavailable', 'unavailable_needs_creation'],
    [[RESULTS, '（四）无法提供', '3.补正后申请内容仍不明确'], 'unavailable', 'unavailable_unclear'],
    [[RESULTS, '（五）不予处理', '1.信访举报投诉类申请'], 'rejected', 'rejected_petition'],
    [[RESULTS, '（五）不予处理', '2.重复申请'], 'rejected', 'rejected_repeat'],
    [[RESULTS, '（五）不予处理', '3.要求提供公开出版物'], 'rejected', 'rejected_publication'],
    [[RESULTS, '（五）不予处理', '4.无正当理由大量反复申请'], 'rejected', 'rejected_mass_repeat'],
    [[RESULTS, '（五）不予处理', '5.要求行政机关确认或重新出具已获取信息'], 'rejected', 'rejected_confirm'],
    [[RESULTS, '（六）其他处理', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'], 'other_handling', 'other_overdue_correction'],
    [[RESULTS, '（六）其他处理', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'], 'other_handling', 'other_overdue_fee'],
    [[RESULTS, '（六）其他处理', '3.其他'], 'other_handling', 'other_other'],
    [[RESULTS, '（七）总计'], null, 'total'],
    [['四、结转下年度继续办理'], null, 'carried_forward'],
  ];
  for (const [labels, group, key] of rows) {
    it(`${labels[labels.length - 1]} → ${key}`, () => {
      expect(applicationRowKey(labels, group)).toBe(key);
    });
  }
});

describe('applicationRowKey: the sub-row numbers only mean something under their group', () => {
  it('"2.重复申请" under (五)不予处理 → rejected_repeat, with or without the rowspan copies', () => {
    expect(applicationRowKey(['2.重复申请'], 'rejected')).toBe('rejected_repeat');
    expect(applicationRowKey([RESULTS, '（五）不予处理', '2.重复申请'], 'rejected')).toBe('rejected_repeat');
    // "4.无正当理由大量反复申请" is not a 重复申请
    expect(applicationRowKey(['4.无正当理由大量反复申请'], 'rejected')).toBe('rejected_mass_repeat');
  });

  it('"3.其他" is other_other under (六)其他处理 — from the group in force or from its own first label', () => {
    expect(applicationRowKey(['3.其他'], 'other_handling')).toBe('other_other');
    expect(applicationRowKey(['（六）其他处理', '3.其他'], null)).toBe('other_other');
    // seed 000 prints it half-width, in a row of its own
    expect(applicationRowKey(['3.其他'], applicationGroup('(六)其他处理'))).toBe('other_other');
  });

  it('"3.其他" anywhere else is not a row', () => {
    expect(applicationRowKey(['3.其他'], null)).toBeNull();
    expect(applicationRowKey(['3.其他'], 'rejected')).toBeNull();
    expect(applicationRowKey([RESULTS, '3.其他'], 'denied')).toBeNull();
  });

  it('"(六)其他处理" alone is the single row of the 2019 template (80576, seeds 001/004)', () => {
    expect(applicationRowKey([RESULTS, '（六）其他处理'], null)).toBe('other_handling');
    expect(applicationRowKey(['（六）其他处理'], 'rejected')).toBe('other_handling');
    expect(applicationRowKey(['(六)其他处理'], 'other_handling')).toBe('other_handling');
  });

  it('wrapped and split labels still match (97791 "…行政机关 不再处理…", 80595 "5.要求行政机"+"关确认…")', () => {
    expect(applicationRowKey([RESULTS, '（六）其他处理', '1.申请人无正当理由逾期不补正、行政机关 不再处理其政府信息公开申请'], 'other_handling')).toBe('other_overdue_correction');
    expect(applicationRowKey([RESULTS, '（六）其他处理', '2.申请人逾期未按收费通知要求缴纳费用、 行政机关不再处理其政府信息公开申请'], 'other_handling')).toBe('other_overdue_fee');
    expect(applicationRowKey(['三、本 年 度办 理结果', '（七）总计'], null)).toBe('total');
  });

  it('header and heading cells are not data rows', () => {
    expect(applicationRowKey(['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）'], null)).toBeNull();
    expect(applicationRowKey(['申请人情况'], null)).toBeNull();
    expect(applicationRowKey([RESULTS], null)).toBeNull();
    expect(applicationRowKey([RESULTS, '（三）不予公开'], 'denied')).toBeNull();
  });
});

describe('full-width, half-width and spaced variants are one label', () => {
  it('（三）不予公开 / (三)不予公开 / ( 三 ) 不 予 公 开', () => {
    for (const v of ['（三）不予公开', '(三)不予公开', '( 三 ) 不 予 公 开', '（三）\u00a0不予公开', '（三）\u3000不予公开']) {
      expect(applicationGroup(v), v).toBe('denied');
    }
  });

  it('every group heading, both bracket widths', () => {
    expect(applicationGroup('（四）无法提供')).toBe('unavailable');
    expect(applicationGroup('(四)无法提供')).toBe('unavailable');
    expect(applicationGroup('（五）不予处理')).toBe('rejected');
    expect(applicationGroup('(五)不予处理')).toBe('rejected');
    expect(applicationGroup('（六）其他处理')).toBe('other_handling');
    expect(applicationGroup('(六)其他处理')).toBe('other_handling');
    // 80595 prints "（三）" and "不予公开" in two <p> of one cell
    expect(applicationGroup('（三） 不予公开')).toBe('denied');
    expect(applicationGroup('（一）予以公开')).toBeNull();
    expect(applicationGroup(RESULTS)).toBeNull();
  });

  it('row labels in full-width, half-width and spaced forms', () => {
    expect(applicationRowKey(['(二)部分公开(区分处理的,只计这一情形,不计其他情形)'], null)).toBe('partial');
    expect(applicationRowKey(['( 一 ) 予 以 公 开'], null)).toBe('granted');
    expect(applicationRowKey(['３．其他'], 'other_handling')).toBe('other_other');
    expect(applicationRowKey(['2. 重 复 申 请'], 'rejected')).toBe('rejected_repeat');
    expect(applicationRowKey(['3.危及"三安全一稳定"'], 'denied')).toBe('denied_security');
    expect(applicationRowKey(['(七)总计'], null)).toBe('total');
  });
});

describe('applicationColumnKey', () => {
  it('the header cells of 80576, 80613 (two <p>) and 97791 (padded <p>s)', () => {
    const cases: Array<[string, string | null]> = [
      ['自然人', 'natural_person'],
      ['商业企业', 'commercial'], ['商业 企业', 'commercial'],
      ['科研机构', 'research'], ['科研 机构', 'research'],
      ['社会公益组织', 'social'], ['社会 公益 组织', 'social'],
      ['法律服务机构', 'legal'], ['法律 服务 机构', 'legal'],
      ['其他', 'other'],
      ['总计', 'total'], ['总 计', 'total'],
    ];
    for (const [label, key] of cases) expect(applicationColumnKey(label), label).toBe(key);
  });
  it('group and note cells name no column ("法人或其他组织" is not 其他)', () => {
    for (const label of ['法人或其他组织', '申请人情况', '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '3.其他', '（七）总计', '']) {
      expect(applicationColumnKey(label), label).toBeNull();
    }
  });
});

describe('table 二 labels', () => {
  it('activeItem: 第二十条第（一）项 / 第二十条第(一)项 / 第20条第(1)项', () => {
    expect(activeItem('第二十条第（一）项')).toBe('art20_1');
    expect(activeItem('第二十条第(一)项')).toBe('art20_1');
    expect(activeItem('第20条第(1)项')).toBe('art20_1');
    expect(activeItem('第２０条第（１）项')).toBe('art20_1');
    expect(activeItem('第 二十 条 第（ 一 ）项')).toBe('art20_1');
    expect(activeItem('第二十条第（五）项')).toBe('art20_5');
    expect(activeItem('第二十条第(六)项')).toBe('art20_6');
    expect(activeItem('第二十条第（八）项')).toBe('art20_8');
    expect(activeItem('第二十条第(九)项')).toBe('art20_9');
    expect(activeItem('第20条第(5)项')).toBe('art20_5');
  });
  it('activeItem: other articles and items are not table 二 items', () => {
    for (const label of ['第二十一条第（一）项', '第十九条', '第二十条第（二）项', '第20条第(12)项', '信息内容', '规章']) {
      expect(activeItem(label), label).toBeNull();
    }
  });

  it('activeRow: "规范性文件" (2019) and "行政规范性文件" (2021) are one row', () => {
    expect(activeRow('规范性文件')).toEqual({ row: 'normative', item: 'art20_1' });
    expect(activeRow('行政规范性文件')).toEqual({ row: 'normative', item: 'art20_1' });
    expect(activeRow('规章')).toEqual({ row: 'rules', item: 'art20_1' });
    expect(activeRow('规 章')).toEqual({ row: 'rules', item: 'art20_1' });
    expect(activeRow('行政许可')).toEqual({ row: 'licensing', item: 'art20_5' });
    expect(activeRow('其他对外管理服务事项')).toEqual({ row: 'other_services', item: 'art20_5' });
    expect(activeRow('行政处罚')).toEqual({ row: 'penalty', item: 'art20_6' });
    expect(activeRow('行政强制')).toEqual({ row: 'coercion', item: 'art20_6' });
    expect(activeRow('行政事业性收费')).toEqual({ row: 'fees', item: 'art20_8' });
    expect(activeRow('政府集中采购')).toEqual({ row: 'procurement', item: 'art20_9' });
    expect(activeRow('信息内容')).toBeNull();
  });

  it('activeColumnKey: "本年新<br>制作数量" after cellText, and the other headers of both templates', () => {
    const made = cell('<td><p><span>本年新</span><span><br/></span><span>制作数量</span></p></td>');
    expect(made).toBe('本年新 制作数量');
    expect(activeColumnKey(made)).toBe('made');
    expect(activeColumnKey(cell('<td><p>本年新</p><p>公开数量</p></td>'))).toBe('published');
    // seed 004 (Word text export) wraps the cell over two lines; the text form joins them with a space
    expect(activeColumnKey('本年新 制作数量')).toBe('made');
    const cases: Array<[string, string]> = [
      ['本年新制作数量', 'made'], ['本年新公开数量', 'published'], ['对外公开总数量', 'total_published'],
      ['上一年项目数量', 'prev_items'], ['本年增/减', 'change'], ['本年增／减', 'change'], ['处理决定数量', 'decisions'],
      ['采购项目数量', 'items'], ['采购总金额', 'amount_yuan'],
      ['本年制发件数', 'issued'], ['本年废止件数', 'repealed'], ['现行有效件数', 'in_force'], ['本年处理决定数量', 'decisions'],
      ['本年收费金额（单位：万元）', 'amount_10k_yuan'], ['本年收费金额(单位:万元)', 'amount_10k_yuan'],
    ];
    for (const [label, key] of cases) expect(activeColumnKey(label), label).toBe(key);
  });
  it('activeColumnKey: label cells and a truncated "本年新" (seed 001) name no column', () => {
    for (const label of ['信息内容', '规章', '第二十条第（一）项', '本年新']) expect(activeColumnKey(label), label).toBeNull();
  });
});

describe('templateVotes', () => {
  const v = (label: string) => templateVotes(label);
  it('2021 markers', () => {
    for (const label of ['本年制发件数', '本年废止件数', '现行有效件数', '本年收费金额（单位：万元）', '本年收费金额(单位:万元)',
      '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请']) {
      expect(v(label), label).toEqual({ v2019: 0, v2021: 1 });
    }
  });
  it('2019 markers, "本年新<br>制作数量" included', () => {
    for (const label of [cell('<td><span>本年新</span><br><span>制作数量</span></td>'), '本年新公开数量', '对外公开总数量', '上一年项目数量',
      '第二十条第（九）项', '第二十条第(九)项', '政府集中采购', '其他对外管理服务事项', '采购总金额']) {
      expect(v(label), label).toEqual({ v2019: 1, v2021: 0 });
    }
  });
  it('labels common to both templates vote for neither', () => {
    for (const label of ['规章', '规范性文件', '行政许可', '行政处罚', '处理决定数量', '第二十条第（一）项', '（七）总计', '自然人', '结果维持']) {
      expect(v(label), label).toEqual({ v2019: 0, v2021: 0 });
    }
  });
});

describe('rowTableClass: which table a row belongs to', () => {
  it('classifies rows by their own words', () => {
    expect(rowTableClass(['行政复议', '行政诉讼'])).toBe('review_litigation');
    expect(rowTableClass(['结 果 维 持', '结 果 纠 正', '其 他 结 果', '尚 未 审 结', '总 计'])).toBe('review_litigation');
    expect(rowTableClass(['一、本年新收政府信息公开申请数量', '217', '1', '0', '0', '0', '0', '218'])).toBe('applications');
    expect(rowTableClass([RESULTS, '（三）不予公开', '1.属于国家秘密', '4'])).toBe('applications');
    expect(rowTableClass(['第二十条第（一）项'])).toBe('active');
    expect(rowTableClass(['行政规范性文件', '62', '33', '440'])).toBe('active');
    expect(rowTableClass(['0', '1', '1', '0', '2'])).toBeNull();
  });
});
