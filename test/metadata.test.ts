/**
 * Metadata from the 信息索引 block shapes and <meta> conventions documented in
 * ../shared/research/cms-families.md §8 (gov.cn, Zhejiang/Jiangsu xxgk_table, Fujian index_box, Wuhan div.sub).
 */
import { describe, expect, it } from 'vitest';
import { parseHtml } from '../parsers/index.ts';
import { agencyFromTitle, yearFromTitle } from '../parsers/metadata.ts';
import { dateLine, findDate } from '../parsers/dates.ts';

const BODY = `<div id="zoom"><p>一、总体情况</p><p>${'本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开。'.repeat(8)}</p>
<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p>
<p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p></div>`;

function page(head: string, index: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8">${head}<title>某某市民政局2023年政府信息公开工作年度报告_某某市人民政府</title></head><body>${index}${BODY}</body></html>`;
}

describe('信息索引 block shapes', () => {
  it('gov.cn: <td><b>键：</b></td><td>值</td>', () => {
    const r = parseHtml(page('', `<table class="xxgk"><tr><td><b>索&ensp;引&ensp;号：</b></td><td>000014349/2024-00110</td>
      <td><b>主题分类：</b></td><td>综合政务</td></tr><tr><td><b>发文机关：</b></td><td>某某市民政局</td>
      <td><b>成文日期：</b></td><td>2024年01月18日</td></tr><tr><td><b>标　　题：</b></td>
      <td colspan="3">某某市民政局2023年政府信息公开工作年度报告</td></tr><tr><td><b>发文字号：</b></td><td></td>
      <td><b>发布日期：</b></td><td>2024年01月20日</td></tr></table>`));
    expect(r.index_no).toBe('000014349/2024-00110');
    expect(r.issuer).toBe('某某市民政局');
    expect(r.written_date).toBe('2024-01-18');
    expect(r.publish_date).toBe('2024-01-20');
    expect(r.title).toBe('某某市民政局2023年政府信息公开工作年度报告');
    expect(r.doc_no).toBeNull();
    expect(r.agency).toBe('某某市民政局');
    expect(r.year).toBe(2023);
  });

  it('Fujian index_box: <ul><li>键：<font>值</font></li>', () => {
    const r = parseHtml(page('', `<div class="index_box"><ul><li>索 引 号：<font>PZ00101-1700-2024-00095</font></li>
      <li>发布机构：<font>平潭综合实验区管委会办公室</font></li><li>生成日期：<font>2024-03-08</font></li>
      <li>文　　号：<font>岚综管办〔2024〕1号</font></li></ul></div>`));
    expect(r.index_no).toBe('PZ00101-1700-2024-00095');
    expect(r.issuer).toBe('平潭综合实验区管委会办公室');
    expect(r.written_date).toBe('2024-03-08');
    expect(r.doc_no).toBe('岚综管办〔2024〕1号');
  });

  it('Zhejiang/Jiangsu xxgk_table: <td>键</td><td>值</td> without colons, and <B>索 引 号:</B>', () => {
    const r = parseHtml(page('', `<table class="xxgk_table"><tr><td><B>索 引 号:</B></td><td>11330000002482871U/2024-12345</td>
      <td>分&nbsp;&nbsp;&nbsp; 类：</td><td>政务公开</td></tr><tr><td>发布机构</td><td>浙江省某某厅</td><td>成文日期</td><td>2024-01-15</td></tr></table>`));
    expect(r.index_no).toBe('11330000002482871U/2024-12345');
    expect(r.issuer).toBe('浙江省某某厅');
    expect(r.written_date).toBe('2024-01-15');
  });

  it('Wuhan div.sub: <li>label：value</li>, several pairs in one element', () => {
    const r = parseHtml(page('', `<div class="sub"><li>索引号：MB1234567/2024-00018 发布日期：2024-02-01</li></div>`));
    expect(r.index_no).toBe('MB1234567/2024-00018');
    expect(r.publish_date).toBe('2024-02-01');
  });

  it('meta tag names are matched case-insensitively; the index block outranks them', () => {
    const r = parseHtml(page(`<META NAME="articletitle" CONTENT="某某市民政局2023年政府信息公开工作年度报告"><meta name="pubdate" content="2024-01-22 09:06">
      <meta name="SITENAME" content="某某市人民政府"><meta name="siteidcode" content="3503000001"><meta name="ColumnName" content="政府信息公开年报,">
      <meta name="contentsource" content="某某市民政局">`, `<ul><li>发布日期：<span>2024-01-21</span></li></ul>`));
    expect(r.publish_date).toBe('2024-01-21');
    expect(r.site).toEqual({ name: '某某市人民政府', domain: null, id_code: '3503000001', column: '政府信息公开年报' });
    expect(r.content_source).toBe('某某市民政局');
  });

  it('publish date from the article header when there is no index block or meta', () => {
    const r = parseHtml(page('', `<div class="article_info"><span>来源：某某市民政局</span><span>发布时间：2024-02-05 10:00</span><span>浏览次数：123</span></div>`));
    expect(r.publish_date).toBe('2024-02-05');
    expect(r.content_source).toBe('某某市民政局');
  });
});

describe('titles, agencies, dates', () => {
  it('agency is the organ named before the year', () => {
    expect(agencyFromTitle('晋江市民政局2023年政府信息公开工作年度报告', [])).toBe('晋江市民政局');
    expect(agencyFromTitle('平潭县人民政府2012年政府信息公开工作年度报告', [])).toBe('平潭县人民政府');
    expect(agencyFromTitle('平潭综合实验区管委会2014年度政府信息公开工作年度报告', [])).toBe('平潭综合实验区管委会');
  });
  it('a bare place name takes the organ that extends it, else stays the place', () => {
    expect(agencyFromTitle('平潭综合实验区2019年度政府信息公开工作年度报告', ['平潭综合实验区党工委管委会'])).toBe('平潭综合实验区党工委管委会');
    expect(agencyFromTitle('某某镇2023年政府信息公开工作年度报告', ['某某县人民政府'])).toBe('某某镇');
    expect(agencyFromTitle('2023年政府信息公开工作年度报告', ['某某县人民政府'])).toBeNull();
  });
  it('year from the title, full-width digits included', () => {
    expect(yearFromTitle('天水市民政局２０１９年政府信息公开工作年度报告')).toBe(2019);
    expect(yearFromTitle('信息公开年报')).toBeNull();
    expect(yearFromTitle('某某县人民政府二〇二三年度政府信息公开工作年度报告')).toBe(2023);
  });
  it('dates as printed', () => {
    expect(findDate('2020-08-14 17:10')).toBe('2020-08-14');
    expect(findDate('2024年1月24 日')).toBe('2024-01-24');
    expect(findDate('2019/3/5')).toBe('2019-03-05');
    expect(dateLine('二〇二四年一月二十四日')).toBe('2024-01-24');
    expect(dateLine('2024年1月24 日')).toBe('2024-01-24');
    expect(dateLine('晋江市民政局')).toBeNull();
    expect(findDate('2024年13月40日')).toBeNull();
  });
});
