/**
 * gridFromTable / cellText on the hard layouts of the real Pingtan pages. The tables are copied from the
 * pages into test/fixtures/layouts/ (presentational attributes removed; a test below checks that each copy
 * grids exactly like the table on the real page). Every expected text and number is typed from the HTML.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import { describe, expect, it } from 'vitest';
import type { Row } from '../parsers/blocks.ts';
import { markupBlocks } from '../parsers/markup-blocks.ts';
import { slimContent } from '../parsers/slim.ts';
import { cellText, gridFromTable } from '../parsers/html-grid.ts';
import { labelKey } from '../parsers/normalize.ts';
import { OWN_FIXTURES, PINGTAN, pingtanEntries } from './helpers/fixtures.ts';

const OPTS = { xml: { xmlMode: false, decodeEntities: true } } as const;

function tables(html: string): Element[] {
  const $ = cheerio.load(html, OPTS);
  return $('table').toArray() as Element[];
}

function layout(name: string): Row[] {
  return gridFromTable(tables(readFileSync(join(OWN_FIXTURES, 'layouts', name), 'utf8'))[0]);
}

function realPage(docid: string): string {
  const e = pingtanEntries().find((x) => x.docid === docid)!;
  return readFileSync(join(PINGTAN, e.path), 'utf8');
}

/** [text, col, span, carried] of each cell: compact and readable in a failure diff. */
const shape = (row: Row) => row.cells.map((c) => [c.text, c.col, c.span, c.carried] as const);
const texts = (row: Row) => row.cells.map((c) => c.text);

/** The cells of a row tile the physical columns 0…width-1 without gaps or overlaps. */
function expectTiles(row: Row, width: number) {
  let col = 0;
  for (const c of row.cells) {
    expect(c.col).toBe(col);
    expect(c.span).toBeGreaterThanOrEqual(1);
    col += c.span;
  }
  expect(col).toBe(width);
}

function cellOf(html: string): { text: string; image: boolean } {
  const $ = cheerio.load(`<table><tr>${html}</tr></table>`, OPTS);
  return cellText($('td, th').get(0)!);
}

const HEAD_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';

describe('fixture copies grid exactly like the tables on the real pages', () => {
  const cases: Array<[string, string, number]> = [
    ['80576-table2.html', '80576', 0],
    ['80576-table3.html', '80576', 1],
    ['80613-table3.html', '80613', 1],
    ['80613-table4.html', '80613', 2],
    ['80629-table4.html', '80629', 2],
  ];
  for (const [file, docid, index] of cases) {
    it(`${file} = <table> no. ${index + 1} of ${docid}`, () => {
      expect(layout(file)).toEqual(gridFromTable(tables(realPage(docid))[index]));
    });
  }
});

describe('80576 (2019 report) table 三: the vertical label 三、本年度办理结果 split into two rowspan=10 cells', () => {
  const rows = layout('80576-table3.html');

  it('has 26 rows, each tiling the 10 physical columns', () => {
    expect(rows).toHaveLength(26);
    for (const r of rows) expectTiles(r, 10);
  });

  it('three header rows: the rowspan=3 corner cell is carried down, 自然人/总计 (rowspan=2) too', () => {
    expect(shape(rows[0])).toEqual([[HEAD_NOTE, 0, 3, false], ['申请人情况', 3, 7, false]]);
    expect(shape(rows[1])).toEqual([
      [HEAD_NOTE, 0, 3, true], ['自然人', 3, 1, false], ['法人或其他组织', 4, 5, false], ['总计', 9, 1, false],
    ]);
    expect(shape(rows[2])).toEqual([
      [HEAD_NOTE, 0, 3, true], ['自然人', 3, 1, true], ['商业企业', 4, 1, false], ['科研机构', 5, 1, false],
      ['社会公益组织', 6, 1, false], ['法律服务机构', 7, 1, false], ['其他', 8, 1, false], ['总计', 9, 1, true],
    ]);
  });

  it('一、本年新收: "0"+7×nbsp and nbsp+"0" in separate spans read as "0"', () => {
    expect(shape(rows[3])).toEqual([
      ['一、本年新收政府信息公开申请数量', 0, 3, false],
      ['23', 3, 1, false], ['0', 4, 1, false], ['0', 5, 1, false], ['0', 6, 1, false],
      ['0', 7, 1, false], ['0', 8, 1, false], ['23', 9, 1, false],
    ]);
  });

  it('the first 三、本年度办理结果 cell covers (一)…(三)8, the second (四)1…(七)', () => {
    const at = (r: number) => rows[r].cells[0];
    expect(shape(rows[5]).slice(0, 3)).toEqual([
      ['三、本年度办理结果', 0, 1, false], ['（一）予以公开', 1, 2, false], ['7', 3, 1, false],
    ]);
    for (let r = 6; r <= 14; r++) expect([at(r).text, at(r).col, at(r).carried]).toEqual(['三、本年度办理结果', 0, true]);
    // the split: row 15 starts a new, non-carried cell with the same words
    expect(shape(rows[15]).slice(0, 4)).toEqual([
      ['三、本年度办理结果', 0, 1, false], ['（四）无法提供', 1, 1, false], ['1.本机关不掌握相关政府信息', 2, 1, false], ['7', 3, 1, false],
    ]);
    for (let r = 16; r <= 24; r++) expect([at(r).text, at(r).col, at(r).carried]).toEqual(['三、本年度办理结果', 0, true]);
    // 四、结转下年度继续办理 is below both: nothing is carried into it
    expect(rows[25].cells.some((c) => c.carried)).toBe(false);
    expect(shape(rows[25])[0]).toEqual(['四、结转下年度继续办理', 0, 3, false]);
    // exactly two real cells and eighteen copies
    const all = rows.flatMap((r) => r.cells).filter((c) => c.text === '三、本年度办理结果');
    expect(all.filter((c) => !c.carried)).toHaveLength(2);
    expect(all.filter((c) => c.carried)).toHaveLength(18);
  });

  it('group cells (三)不予公开 rowspan=8 and (四)无法提供 rowspan=3 are carried under their own rows only', () => {
    expect(shape(rows[7]).slice(0, 3)).toEqual([
      ['三、本年度办理结果', 0, 1, true], ['（三）不予公开', 1, 1, false], ['1.属于国家秘密', 2, 1, false],
    ]);
    expect(shape(rows[14]).slice(0, 3)).toEqual([
      ['三、本年度办理结果', 0, 1, true], ['（三）不予公开', 1, 1, true], ['8.属于行政查询事项', 2, 1, false],
    ]);
    expect(shape(rows[17]).slice(0, 3)).toEqual([
      ['三、本年度办理结果', 0, 1, true], ['（四）无法提供', 1, 1, true], ['3.补正后申请内容仍不明确', 2, 1, false],
    ]);
    expect(shape(rows[18]).slice(1, 3)).toEqual([['（五）不予处理', 1, 1, false], ['1.信访举报投诉类申请', 2, 1, false]]);
  });

  it('a label split over two spans is one text: "2.没有现成信"+"息需要另行制作"', () => {
    expect(rows[16].cells[2].text).toBe('2.没有现成信息需要另行制作');
  });

  it('(六)其他处理 and (七)总计: nbsp-padded zeros', () => {
    expect(texts(rows[23])).toEqual(['三、本年度办理结果', '（六）其他处理', '0', '0', '0', '0', '0', '0', '0']);
    expect(texts(rows[24])).toEqual(['三、本年度办理结果', '（七）总计', '23', '0', '0', '0', '0', '0', '23']);
    expect(rows[24].cells[1]).toMatchObject({ col: 1, span: 2, carried: false });
  });
});

describe('80613 (2021 report) table 三: 自然人 over two columns with a blank cell under it', () => {
  const rows = layout('80613-table3.html');

  it('has 28 rows, each tiling the 11 physical columns', () => {
    expect(rows).toHaveLength(28);
    for (const r of rows) expectTiles(r, 11);
  });

  it('header: 自然人 colspan=2 above a blank cell and the first half of 商业企业 (colspan=2)', () => {
    expect(shape(rows[0])).toEqual([[HEAD_NOTE, 0, 3, false], ['申请人情况', 3, 8, false]]);
    expect(shape(rows[1])).toEqual([
      [HEAD_NOTE, 0, 3, true], ['自然人', 3, 2, false], ['法人或其他组织', 5, 5, false], ['总计', 10, 1, false],
    ]);
    expect(shape(rows[2])).toEqual([
      [HEAD_NOTE, 0, 3, true], ['', 3, 1, false], ['商业 企业', 4, 2, false], ['科研 机构', 6, 1, false],
      ['社会公益组织', 7, 1, false], ['法律服务机构', 8, 1, false], ['其他', 9, 1, false], ['总计', 10, 1, true],
    ]);
    // the <font>&nbsp;</font> cell is blank, not an image, and "商业"/"企业" in two <p> is one label
    expect(rows[2].cells[1].image).toBe(false);
    expect(labelKey(rows[2].cells[2].text)).toBe('商业企业');
  });

  it('data rows: the commercial value spans the same two columns as its header', () => {
    expect(shape(rows[3])).toEqual([
      ['一、本年新收政府信息公开申请数量', 0, 3, false], ['64', 3, 1, false], ['0', 4, 2, false], ['0', 6, 1, false],
      ['2', 7, 1, false], ['0', 8, 1, false], ['4', 9, 1, false], ['70', 10, 1, false],
    ]);
    // (二)部分公开 总计 cell: <font>&nbsp;</font><font>5</font>
    expect(texts(rows[6])).toEqual(['三、本年度办理结果', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '5', '0', '0', '0', '0', '0', '5']);
  });

  it('三、本年度办理结果 rowspan=22 reaches (七)总计 and stops before 四、结转', () => {
    for (let r = 6; r <= 26; r++) expect(rows[r].cells[0]).toMatchObject({ text: '三、本年度办理结果', col: 0, span: 1, carried: true });
    expect(shape(rows[26])).toEqual([
      ['三、本年度办理结果', 0, 1, true], ['（七）总计', 1, 2, false], ['63', 3, 1, false], ['0', 4, 2, false],
      ['0', 6, 1, false], ['2', 7, 1, false], ['0', 8, 1, false], ['4', 9, 1, false], ['69', 10, 1, false],
    ]);
    expect(texts(rows[27])).toEqual(['四、结转下年度继续办理', '1', '0', '0', '0', '0', '0', '1']);
    expect(rows[27].cells.some((c) => c.carried)).toBe(false);
  });

  it('(六)其他处理 rowspan=3 over the three 2021 sub-rows', () => {
    expect(texts(rows[23]).slice(0, 3)).toEqual(['三、本年度办理结果', '（六）其他处理', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请']);
    expect(shape(rows[25]).slice(0, 4)).toEqual([
      ['三、本年度办理结果', 0, 1, true], ['（六）其他处理', 1, 1, true], ['3.其他', 2, 1, false], ['1', 3, 1, false],
    ]);
  });
});

describe('table 四 headers split one character per <p>', () => {
  it('80613: 结/果/纠/正 over <p>, <span> and <br>; rowspan=2 headers carried into the second header row', () => {
    const rows = layout('80613-table4.html');
    expect(rows).toHaveLength(4);
    for (const r of rows) expectTiles(r, 15);
    expect(shape(rows[0])).toEqual([['行政复议', 0, 5, false], ['行政诉讼', 5, 10, false]]);
    expect(shape(rows[1])).toEqual([
      ['结 果 维 持', 0, 1, false], ['结 果 纠 正', 1, 1, false], ['其 他 结 果', 2, 1, false], ['尚 未 审 结', 3, 1, false],
      ['总 计', 4, 1, false], ['未经复议直接起诉', 5, 5, false], ['复议后起诉', 10, 5, false],
    ]);
    expect(rows[2].cells.slice(0, 5).map((c) => [c.text, c.col, c.carried])).toEqual([
      ['结 果 维 持', 0, true], ['结 果 纠 正', 1, true], ['其 他 结 果', 2, true], ['尚 未 审 结', 3, true], ['总 计', 4, true],
    ]);
    expect(rows[2].cells.slice(5).map((c) => labelKey(c.text))).toEqual([
      '结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计',
    ]);
    expect(texts(rows[3])).toEqual(['1', '0', '2', '0', '3', '12', '0', '0', '0', '12', '0', '0', '0', '0', '0']);
    expect(rows[3].cells.map((c) => c.col)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('80629: every value is nbsp + digit + nbsp in three <span>s', () => {
    const rows = layout('80629-table4.html');
    expect(rows).toHaveLength(4);
    for (const r of rows) expectTiles(r, 15);
    expect(texts(rows[3])).toEqual(['0', '1', '1', '0', '2', '1', '0', '0', '0', '1', '0', '0', '0', '0', '0']);
    expect(labelKey(texts(rows[1])[4])).toBe('总计');
  });
});

describe('80576 (2019 report) table 二', () => {
  const rows = layout('80576-table2.html');
  it('"本年新<br/>制作数量" keeps its parts apart by one space; a bare <td>0</td> reads as "0"', () => {
    expect(texts(rows[1])).toEqual(['信息内容', '本年新 制作数量', '本年新 公开数量', '对外公开总数量']);
    expect(texts(rows[2])).toEqual(['规章', '0', '0', '0']);
    expect(shape(rows[0])).toEqual([['第二十条第（一）项', 0, 4, false]]);
  });
  it('colspan=2 value cells (本年增/减, 采购总金额) sit at their physical column', () => {
    expect(shape(rows[rows.length - 1])).toEqual([['政府集中采购', 0, 1, false], ['135', 1, 1, false], ['75394432.52元', 2, 2, false]]);
    expect(shape(rows[rows.length - 4])).toEqual([['行政事业性收费', 0, 1, false], ['35', 1, 1, false], ['0', 2, 2, false]]);
  });
});

describe('cellText', () => {
  it('inline runs join as-is, blocks (<p>, <br>, <div>) are one space apart', () => {
    expect(cellOf('<td><p><span>本年新</span><span><br/></span><span>制作数量</span></p></td>').text).toBe('本年新 制作数量');
    expect(cellOf('<td><p><span>2.没有现成信</span><span>息需要另行制作</span></p></td>').text).toBe('2.没有现成信息需要另行制作');
    expect(cellOf('<td><p><span>结</span></p><p><span>果</span><span><br></span><span>纠</span></p><p><span>正</span></p></td>').text).toBe('结 果 纠 正');
    expect(cellOf('<td><div>1</div><div>2</div></td>').text).toBe('1 2');
  });
  it('nbsp padding in separate spans disappears: "&nbsp;"+"0"+"&nbsp;" is "0"', () => {
    expect(cellOf('<td><p><span>&nbsp;</span><span>0</span><span>&nbsp;</span><span></span></p></td>').text).toBe('0');
    expect(cellOf('<td><p><span>0</span><span>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</span></p></td>').text).toBe('0');
    expect(cellOf('<td><p><span><font face="Calibri">&nbsp;</font></span><span><o:p></o:p></span></p></td>').text).toBe('');
  });
  it('script/style are not text; an image-only cell is flagged, an image beside text is not', () => {
    expect(cellOf('<td>1<script>var x = 2;</script><style>p{}</style></td>').text).toBe('1');
    expect(cellOf('<td><p><img src="t.png"></p></td>')).toEqual({ text: '', image: true });
    expect(cellOf('<td><img src="t.png">12</td>')).toEqual({ text: '12', image: false });
  });
});

describe('broken and hostile tables', () => {
  it('colspan=10000 and rowspan=999 past the table end are clamped; the grid stays small', () => {
    const [t] = tables(`<table><tr><td colspan="10000">甲</td><td>乙</td></tr>
      <tr><td rowspan="999">丙</td><td>1</td></tr><tr><td>2</td></tr></table>`);
    const rows = gridFromTable(t);
    expect(rows).toHaveLength(3);
    const width = (r: Row) => r.cells.reduce((n, c) => Math.max(n, c.col + c.span), 0);
    for (const r of rows) expect(width(r)).toBeLessThanOrEqual(128);
    expect(rows[0].cells[0]).toMatchObject({ text: '甲', col: 0, carried: false });
    expect(rows[0].cells[0].span).toBeLessThanOrEqual(128);
    // rowspan=999 fills the two rows the table has, and nothing more
    expect(shape(rows[1])).toEqual([['丙', 0, 1, false], ['1', 1, 1, false]]);
    expect(shape(rows[2])).toEqual([['丙', 0, 1, true], ['2', 1, 1, false]]);
  });

  it('a whole table of huge spans does not explode', () => {
    const tr = `<tr>${'<td colspan="10000" rowspan="999">0</td>'.repeat(200)}</tr>`;
    const [t] = tables(`<table>${tr.repeat(300)}</table>`);
    const t0 = Date.now();
    const rows = gridFromTable(t);
    // 300 rows × 200 cells of colspan=10000 rowspan=999, unclamped, would be billions of grid slots
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(rows.length).toBeLessThanOrEqual(300);
    for (const r of rows) for (const c of r.cells) expect(c.col + c.span).toBeLessThanOrEqual(128);
  });

  it('nonsense span attributes count as 1', () => {
    const [t] = tables('<table><tr><td colspan="0">a</td><td colspan="-3">b</td><td colspan="abc">c</td><td rowspan="0">d</td><td colspan=" 2 ">e</td><td>f</td></tr></table>');
    expect(shape(gridFromTable(t)[0])).toEqual([
      ['a', 0, 1, false], ['b', 1, 1, false], ['c', 2, 1, false], ['d', 3, 1, false], ['e', 4, 2, false], ['f', 6, 1, false],
    ]);
  });

  it('rows without <tbody>, <th> cells and <thead>/<tbody> sections are all read, in order', () => {
    const [t] = tables('<table><thead><tr><th>信息内容</th><th>本年制发件数</th></tr></thead><tbody><tr><td>规章</td><td>0</td></tr></tbody><tr><td>行政规范性文件</td><td>62</td></tr></table>');
    expect(gridFromTable(t).map(texts)).toEqual([['信息内容', '本年制发件数'], ['规章', '0'], ['行政规范性文件', '62']]);
  });

  it('a nested table: its rows are not the outer table\'s rows, and its cells do not run together', () => {
    const [outer, inner] = tables(`<table><tr><td>第二十条第（一）项</td><td><table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table></td></tr>
      <tr><td>规章</td><td>0</td></tr></table>`);
    const rows = gridFromTable(outer);
    expect(rows).toHaveLength(2);
    expect(rows[0].cells).toHaveLength(2);
    expect(rows[0].cells[1].col).toBe(1);
    // "1" and "2" are two cells: never the number 12
    expect(rows[0].cells[1].text.split(' ')).toEqual(['1', '2', '3', '4']);
    expect(texts(rows[1])).toEqual(['规章', '0']);
    expect(gridFromTable(inner).map(texts)).toEqual([['1', '2'], ['3', '4']]);
  });

  it('markupBlocks treats a table holding a table as layout and grids the inner one', () => {
    const blocks = markupBlocks(`<div><table><tr><td><p>三、收到和处理政府信息公开申请情况</p><table><tr><td>自然人</td><td>总计</td></tr><tr><td>5</td><td>5</td></tr></table></td></tr></table></div>`);
    const grids = blocks.filter((b) => b.kind === 'table');
    expect(grids).toHaveLength(1);
    expect(grids[0].kind === 'table' && grids[0].rows.map(texts)).toEqual([['自然人', '总计'], ['5', '5']]);
    expect(blocks[0]).toEqual({ kind: 'para', text: '三、收到和处理政府信息公开申请情况' });
  });

  it('a row of cells that are all carried from above is kept, carried', () => {
    const [t] = tables('<table><tr><td rowspan="2">a</td><td rowspan="2">b</td></tr><tr></tr><tr><td>c</td><td>d</td></tr></table>');
    const rows = gridFromTable(t);
    expect(rows.map(shape)).toEqual([
      [['a', 0, 1, false], ['b', 1, 1, false]],
      [['a', 0, 1, true], ['b', 1, 1, true]],
      [['c', 0, 1, false], ['d', 1, 1, false]],
    ]);
  });
});

describe('markupBlocks (the token-stream reader of slimmed content) agrees with the DOM grid', () => {
  it('on every table of every real Pingtan page', () => {
    for (const e of pingtanEntries()) {
      const html = readFileSync(join(PINGTAN, e.path), 'utf8');
      // a table holding another table is layout; every other table is data and is gridded
      const dataTables = tables(html).filter((t) => !holdsTable(t)).map(gridFromTable).filter((rows) => rows.some((r) => r.cells.length));
      const fromMarkup = markupBlocks(slimContent(html)).filter((b) => b.kind === 'table');
      expect(fromMarkup.map((b) => b.kind === 'table' && b.rows), e.docid).toEqual(dataTables);
    }
  });

  it('closes an unclosed cell at the next <td> and an unclosed row at the next <tr>, as browsers do', () => {
    const [t] = markupBlocks('<table><tr><td rowspan=2>三、本年度办理结果<td>(一)予以公开<td>7<tr><td>(二)部分公开<td>1</table>').filter((b) => b.kind === 'table');
    expect(t.kind === 'table' && t.rows.map((r) => r.cells.map((c) => `${c.text}@${c.col}${c.carried ? '^' : ''}`))).toEqual([
      ['三、本年度办理结果@0', '(一)予以公开@1', '7@2'],
      ['三、本年度办理结果@0^', '(二)部分公开@1', '1@2'],
    ]);
  });

  it('keeps text outside any table, entities decoded, and skips script text', () => {
    const blocks = markupBlocks('<p>一、总体情况&nbsp;</p><script>var a = "<p>x</p>";</script><p>共&lt;10&gt;件</p><img src="t.png">');
    expect(blocks).toEqual([{ kind: 'para', text: '一、总体情况' }, { kind: 'para', text: '共<10>件' }, { kind: 'image', src: 't.png' }]);
  });
});

function holdsTable(t: Element): boolean {
  return cheerio.load(t, OPTS, false)('table').length > 1;
}
