/**
 * Bad input, through the public API (parsePage) and through the CLI process
 * (`tsx scripts/cli.ts parse <file> --json`): empty, binary, PDF/ZIP, not a report, truncated, 5 MB,
 * an extra column, GBK without a charset, 20,000 unclosed <span>s. The bad pages are made at test time
 * from the real Pingtan 2024 page (97791); the numbers asserted are typed from that page's HTML.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAnnualReport, parsePage, UnreadableInput } from '../parsers/index.ts';
import type { CanonicalReport, CellValue } from '../parsers/index.ts';
import { APPLICATION_COLUMNS, PINGTAN, ROOT, pingtanEntries } from './helpers/fixtures.ts';

function realPage(docid: string): string {
  const e = pingtanEntries().find((x) => x.docid === docid)!;
  return readFileSync(join(PINGTAN, e.path), 'utf8');
}

const HTML = realPage('97791');
const parseString = (html: string): CanonicalReport => parsePage({ body: Buffer.from(html, 'utf8') });

// ---- what the 97791 page prints (typed from its HTML) -------------------------------------------

const Z = [0, 0, 0, 0, 0, 0, 0];
/** Table 三, rows in page order. */
const APPS: Array<[string, number[]]> = [
  ['new_received', [217, 1, 0, 0, 0, 0, 218]],
  ['carried_over', Z],
  ['granted', [71, 0, 0, 0, 0, 0, 71]],
  ['partial', [29, 0, 0, 0, 0, 0, 29]],
  ['denied_state_secret', [4, 0, 0, 0, 0, 0, 4]],
  ['denied_law_forbidden', Z],
  ['denied_security', Z],
  ['denied_third_party', [3, 0, 0, 0, 0, 0, 3]],
  ['denied_internal', [32, 0, 0, 0, 0, 0, 32]],
  ['denied_process', Z],
  ['denied_enforcement_file', Z],
  ['denied_query_matter', Z],
  ['unavailable_not_held', [75, 0, 0, 0, 0, 0, 75]],
  ['unavailable_needs_creation', Z],
  ['unavailable_unclear', Z],
  ['rejected_petition', Z],
  ['rejected_repeat', [1, 0, 0, 0, 0, 0, 1]],
  ['rejected_publication', Z],
  ['rejected_mass_repeat', Z],
  ['rejected_confirm', Z],
  ['other_overdue_correction', [1, 0, 0, 0, 0, 0, 1]],
  ['other_overdue_fee', Z],
  ['other_other', [1, 1, 0, 0, 0, 0, 2]],
  ['total', [217, 1, 0, 0, 0, 0, 218]],
  ['carried_forward', Z],
];
const APPS_FLAT: Record<string, number> = Object.fromEntries(
  APPS.flatMap(([row, cells]) => APPLICATION_COLUMNS.map((c, i) => [`${row}.${c}`, cells[i]])),
);
const ACTIVE: Record<string, number> = {
  'art20_1.rules.issued': 0, 'art20_1.rules.repealed': 0, 'art20_1.rules.in_force': 0,
  'art20_1.normative.issued': 62, 'art20_1.normative.repealed': 33, 'art20_1.normative.in_force': 440,
  'art20_5.licensing.decisions': 4529,
  'art20_6.penalty.decisions': 1100, 'art20_6.coercion.decisions': 65,
  'art20_8.fees.amount_10k_yuan': 18651.06,
};
const REVIEW: Record<string, number> = {
  review_upheld: 2, review_corrected: 1, review_other: 3, review_pending: 1, review_total: 7,
  suit_direct_upheld: 0, suit_direct_corrected: 0, suit_direct_other: 0, suit_direct_pending: 0, suit_direct_total: 0,
  suit_after_review_upheld: 13, suit_after_review_corrected: 2, suit_after_review_other: 4, suit_after_review_pending: 0, suit_after_review_total: 19,
};

/** The whole page read right: every value of the three tables, as printed. */
function expectAllNumbers(r: CanonicalReport) {
  expect(r.tables.applications).toEqual(APPS_FLAT);
  expect(r.tables.active).toEqual(ACTIVE);
  expect(r.tables.review_litigation).toEqual(REVIEW);
}

/** Nothing invented: every value present is the page's value for that key. */
function expectNoWrongValue(values: Record<string, CellValue>, truth: Record<string, number>) {
  for (const [k, v] of Object.entries(values)) expect(v, k).toBe(truth[k]);
}

// ---- page surgery ---------------------------------------------------------------------------------

/** [start, end) of the n-th <table>…</table> of the page (the page has no nested tables). */
function tableSpan(html: string, n: number): [number, number] {
  let at = -1;
  for (let i = 0; i <= n; i++) at = html.indexOf('<table', at + 1);
  return [at, html.indexOf('</table>', at) + '</table>'.length];
}

/** Rewrite each <tr> of table 三 (the page's second table) with `edit(rowHtml, index)`. */
function editTable3Rows(html: string, edit: (tr: string, i: number) => string): string {
  const [s, e] = tableSpan(html, 1);
  const rows = html.slice(s, e).split('</tr>');
  const last = rows.pop()!;
  return html.slice(0, s) + rows.map((tr, i) => edit(tr, i)).join('</tr>') + '</tr>' + last + html.slice(e);
}

/** Cut the page just after the first value cell (自然人) of the row labelled `label` in table 三. */
function cutAfterFirstValue(html: string, label: string, extra = 0): string {
  const [s] = tableSpan(html, 1);
  const at = html.indexOf(label, s);
  const labelEnd = html.indexOf('</td>', at) + '</td>'.length;
  return html.slice(0, html.indexOf('</td>', labelEnd) + '</td>'.length + extra);
}

const PARA = '<p style="text-indent: 2em;">平潭综合实验区持续深化政务公开，推动政府信息公开工作规范化、标准化、信息化建设。</p>\n';
const NAV = '<div class="nav"><ul><li><a href="/zwgk/">政务公开</a></li><li><a href="/xwzx/">新闻中心</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>\n';

/** 97791 with ~2.6 MB of navigation markup before the body and ~2.6 MB of paragraphs inside it. */
function bigPage(html: string): string {
  const body = html.indexOf('>', html.indexOf('<body')) + 1;
  const withNav = html.slice(0, body) + NAV.repeat(Math.ceil(2.6e6 / Buffer.byteLength(NAV))) + html.slice(body);
  const five = withNav.lastIndexOf('<p', withNav.indexOf('五、存在的主要问题'));
  return withNav.slice(0, five) + PARA.repeat(Math.ceil(2.6e6 / Buffer.byteLength(PARA))) + withNav.slice(five);
}

/** 97791 re-encoded as GBK, with its only charset declaration (<meta charset="utf-8" …>) removed. */
function gbkPage(html: string): Buffer {
  const noCharset = html.replace(/\scharset="utf-8"/i, '');
  return iconv.encode(noCharset, 'gbk');
}

const SPANS = '<span>'.repeat(20_000);

// ---- API ------------------------------------------------------------------------------------------

describe('parsePage: unreadable input', () => {
  it('the real page itself reads completely (the baseline for every case below)', () => {
    expectAllNumbers(parseString(HTML));
  });

  it('an empty file is UnreadableInput saying so', () => {
    for (const body of [new Uint8Array(), Buffer.alloc(0), '', '  \n\t ']) {
      expect(() => parsePage({ body })).toThrow(UnreadableInput);
      expect(() => parsePage({ body })).toThrow(/empty/i);
    }
  });

  it('binary bytes are UnreadableInput', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
    expect(() => parsePage({ body: bytes })).toThrow(UnreadableInput);
    expect(() => parsePage({ body: bytes })).toThrow(/binary/i);
    // NUL-padded text is binary too
    expect(() => parsePage({ body: Buffer.from('<html>\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0</html>', 'latin1') })).toThrow(UnreadableInput);
  });

  it('a PDF or a ZIP (DOCX/OFD) is UnreadableInput naming the type', () => {
    const pdf = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
    expect(() => parsePage({ body: pdf, url: 'https://example.gov.cn/nb.pdf' })).toThrow(UnreadableInput);
    expect(() => parsePage({ body: pdf })).toThrow(/PDF/);
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00]);
    expect(() => parsePage({ body: zip })).toThrow(UnreadableInput);
    expect(() => parsePage({ body: zip })).toThrow(/ZIP/);
  });
});

describe('parsePage: readable but wrong or broken pages', () => {
  it('a page that is not a report (the Pingtan list page): NOT_A_REPORT, no table values', () => {
    const r = parsePage({ body: readFileSync(join(PINGTAN, '_lists', 'index.html')) });
    expect(isAnnualReport(r)).toBe(false);
    expect(r.warnings.some((w) => w.code === 'NOT_A_REPORT')).toBe(true);
    expect(r.tables).toEqual({ active: {}, applications: {}, review_litigation: {} });
    expect(r.checks.filter((c) => !c.rule.startsWith('narrative.'))).toEqual([]);
  });

  it('a news article is not a report either', () => {
    const r = parseString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>平潭召开政务公开工作推进会</title></head>
      <body><div class="article_content"><h1>平潭召开政务公开工作推进会</h1>${'<p>会议要求各部门进一步提高认识，压实责任，扎实推进政务公开各项工作落地见效。</p>'.repeat(10)}</div></body></html>`);
    expect(isAnnualReport(r)).toBe(false);
    expect(r.tables).toEqual({ active: {}, applications: {}, review_litigation: {} });
  });

  it('truncated in the middle of table 三 (after 2.重复申请 | 1): values before the cut right, nothing invented', () => {
    const r = parseString(cutAfterFirstValue(HTML, '2.重复申请'));
    const apps = r.tables.applications;
    expectNoWrongValue(apps, APPS_FLAT);
    // every row before the cut is complete
    const before = APPS.slice(0, APPS.findIndex(([row]) => row === 'rejected_repeat'));
    for (const [row, cells] of before) APPLICATION_COLUMNS.forEach((c, i) => expect(apps[`${row}.${c}`], `${row}.${c}`).toBe(cells[i]));
    // the cut row: the one cell that was printed; the six that were cut are absent, not blank
    expect(apps['rejected_repeat.natural_person']).toBe(1);
    for (const c of APPLICATION_COLUMNS.slice(1)) expect(`rejected_repeat.${c}` in apps, c).toBe(false);
    // the rows after the cut are absent and reported
    for (const row of ['rejected_publication', 'other_other', 'total', 'carried_forward']) expect(`${row}.total` in apps, row).toBe(false);
    const missing = r.warnings.find((w) => w.code === 'ROWS_MISSING' && w.section === 'applications');
    expect(missing?.detail).toMatch(/total/);
    expect(missing?.detail).toMatch(/carried_forward/);
    // tables 二 (before the cut) read right; table 四 (after it) is missing and says so
    expect(r.tables.active).toEqual(ACTIVE);
    expect(r.tables.review_litigation).toEqual({});
    expect(r.warnings.some((w) => w.section === 'review_litigation')).toBe(true);
    // no check fails because of cells the page never delivered
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    // and the cut itself is named
    expect(r.warnings.find((w) => w.code === 'INPUT_TRUNCATED')?.section).toBe('input');
  });

  it('a whole page is not called truncated', () => {
    expect(parseString(HTML).warnings.map((w) => w.code)).not.toContain('INPUT_TRUNCATED');
  });

  it('truncated inside a tag or inside a label: no crash, nothing invented', () => {
    for (const cut of [cutAfterFirstValue(HTML, '2.重复申请', 18), HTML.slice(0, HTML.indexOf('2.重复申请', tableSpan(HTML, 1)[0]) + 4)]) {
      const r = parseString(cut);
      expectNoWrongValue(r.tables.applications, APPS_FLAT);
      expect(r.tables.applications['rejected_petition.total']).toBe(0);
      expect(r.warnings.some((w) => w.code === 'ROWS_MISSING')).toBe(true);
      expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    }
  });

  it('a 5 MB page (navigation and paragraphs padded in): same numbers', () => {
    const big = bigPage(HTML);
    expect(Buffer.byteLength(big)).toBeGreaterThan(5_000_000);
    const r = parseString(big);
    expectAllNumbers(r);
    expect(r.section_headings).toEqual(parseString(HTML).section_headings);
  });

  it('a 备注 column of numbers added to table 三: every row refused with COLUMN_COUNT_MISMATCH, never a wrong number', () => {
    const page = editTable3Rows(HTML, (tr, i) => (i === 0 ? `${tr}<td rowspan="3"><p>备注</p></td>` : i >= 3 ? `${tr}<td><p>${i}</p></td>` : tr));
    const r = parseString(page);
    expectNoWrongValue(r.tables.applications, APPS_FLAT);
    for (const [row] of APPS) {
      const read = APPLICATION_COLUMNS.every((c) => r.tables.applications[`${row}.${c}`] === APPS_FLAT[`${row}.${c}`]);
      const refused = r.warnings.some((w) => w.code === 'COLUMN_COUNT_MISMATCH' && w.section === 'applications' && w.detail.includes(`row ${row} `));
      expect(read || refused, row).toBe(true);
    }
    expect(r.warnings.some((w) => w.code === 'COLUMN_COUNT_MISMATCH')).toBe(true);
    expect(r.tables.active).toEqual(ACTIVE);
    expect(r.tables.review_litigation).toEqual(REVIEW);
  });

  it('a 备注 column of text, filled in some rows only: blank rows read right, filled ones refused', () => {
    const page = editTable3Rows(HTML, (tr, i) => (i === 0 ? `${tr}<td rowspan="3"><p>备注</p></td>` : i >= 3 ? `${tr}<td><p>${i % 4 === 0 ? '已办结' : '&nbsp;'}</p></td>` : tr));
    const r = parseString(page);
    expectNoWrongValue(r.tables.applications, APPS_FLAT);
    APPS.forEach(([row], n) => {
      const read = APPLICATION_COLUMNS.every((c) => r.tables.applications[`${row}.${c}`] === APPS_FLAT[`${row}.${c}`]);
      const refused = r.warnings.some((w) => w.code === 'COLUMN_COUNT_MISMATCH' && w.detail.includes(`row ${row} `));
      // data rows are the table's <tr> no. 3…; a blank 备注 (trailing blank cell) must not cost the row
      if ((n + 3) % 4 !== 0) expect(read, row).toBe(true);
      else expect(read || refused, row).toBe(true);
    });
  });

  it('a blank 备注 column between 其他 and 总计: the header places the columns, 总计 stays 总计', () => {
    const page = editTable3Rows(HTML, (tr, i) => {
      if (i === 0) return tr.replace('colspan="7"', 'colspan="8"');
      if (i === 1) return tr.replace(/(<td[^>]*rowspan="2"[^>]*>(?:(?!<td)[\s\S])*总计)/, '<td rowspan="2"><p>备注</p></td>$1');
      if (i < 3) return tr;
      const lastTd = tr.lastIndexOf('<td');
      return `${tr.slice(0, lastTd)}<td><p>&nbsp;</p></td>${tr.slice(lastTd)}`;
    });
    expect(page).toContain('<td rowspan="2"><p>备注</p></td>');
    const r = parseString(page);
    expect(r.tables.applications).toEqual(APPS_FLAT);
    expect(r.warnings.filter((w) => w.section === 'applications')).toEqual([]);
  });

  it('a GBK page with no charset anywhere: decoded by detection, same numbers as the UTF-8 page', () => {
    const bytes = gbkPage(HTML);
    expect(bytes.includes('charset')).toBe(false);
    expect(bytes.equals(Buffer.from(HTML, 'utf8'))).toBe(false);
    const r = parsePage({ body: bytes });
    const utf8 = parseString(HTML);
    expect(r.title).toBe('平潭综合实验区2024年度政府信息公开工作年度报告');
    expect(r.title).toBe(utf8.title);
    expectAllNumbers(r);
    expect(r.tables).toEqual(utf8.tables);
    expect(r.section_headings).toEqual(utf8.section_headings);
    // a header that lies ("utf-8") does not break it either
    expectAllNumbers(parsePage({ body: bytes, headers: { 'content-type': 'text/html; charset=utf-8' } }));
  });

  it('20,000 unclosed <span>s in the body: no stack overflow, same numbers', () => {
    const page = HTML.replace(/<div class=TRS_Editor>/, `$&${SPANS}`);
    expect(page.length).toBeGreaterThan(HTML.length);
    expectAllNumbers(parseString(page));
  });

  it('20,000 unclosed <span>s inside a value cell: the value is still read', () => {
    const page = HTML.replace('<p style="text-indent: 0em;">217</p>', `<p style="text-indent: 0em;">${SPANS}217</p>`);
    expect(page.length).toBeGreaterThan(HTML.length);
    const r = parseString(page);
    expect(r.tables.applications['new_received.natural_person']).toBe(217);
    expectAllNumbers(r);
  });

  it('a document that is nothing but 20,000 unclosed <span>s: no crash, no values', () => {
    for (const page of [
      `<html><head><title>x</title></head><body>${SPANS}平潭综合实验区2024年度政府信息公开工作年度报告`,
      `${HTML}${SPANS}x`,
    ]) {
      const r = parseString(page);
      expect(r).toBeDefined();
      expectNoWrongValue(r.tables.applications, APPS_FLAT);
    }
  });
});

// ---- CLI ------------------------------------------------------------------------------------------

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function cli(file: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, ['scripts/cli.ts', 'parse', file, '--json'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 50_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run at most two CLI processes at a time (each one starts tsx). */
async function runAll(files: Record<string, string>): Promise<Record<string, Run>> {
  const names = Object.keys(files);
  const out: Record<string, Run> = {};
  const worker = async () => {
    for (let name = names.shift(); name !== undefined; name = names.shift()) out[name] = await cli(files[name]);
  };
  await Promise.all([worker(), worker()]);
  return out;
}

describe('CLI: nianbao parse <file> --json on the same bad input', () => {
  let dir = '';
  let runs: Record<string, Run> = {};
  const json = (name: string): CanonicalReport => JSON.parse(runs[name].stdout);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nianbao-bad-input-'));
    const files: Record<string, [string, Buffer | string]> = {
      empty: ['empty.html', ''],
      binary: ['blob.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256))],
      pdf: ['report.html', Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1')],
      notReport: ['list.html', readFileSync(join(PINGTAN, '_lists', 'index.html'))],
      truncated: ['truncated.html', cutAfterFirstValue(HTML, '2.重复申请')],
      gbk: ['gbk.html', gbkPage(HTML)],
      big: ['big.html', bigPage(HTML)],
    };
    const paths: Record<string, string> = {};
    for (const [name, [file, body]] of Object.entries(files)) {
      paths[name] = join(dir, file);
      writeFileSync(paths[name], body);
    }
    runs = await runAll(paths);
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('empty file: exit 1, the reason on stderr, nothing on stdout', () => {
    expect(runs.empty.code).toBe(1);
    expect(runs.empty.stderr).toMatch(/empty/i);
    expect(runs.empty.stdout).toBe('');
  });

  it('binary bytes: exit 1, "binary" on stderr', () => {
    expect(runs.binary.code).toBe(1);
    expect(runs.binary.stderr).toMatch(/binary/i);
  });

  it('a PDF (even named .html): exit 1, the type named on stderr', () => {
    expect(runs.pdf.code).toBe(1);
    expect(runs.pdf.stderr).toMatch(/PDF/);
  });

  it('not a report: exit 3, JSON with NOT_A_REPORT and no table values', () => {
    expect(runs.notReport.code).toBe(3);
    const r = json('notReport');
    expect(r.warnings.some((w) => w.code === 'NOT_A_REPORT')).toBe(true);
    expect(r.tables).toEqual({ active: {}, applications: {}, review_litigation: {} });
  });

  it('truncated page: exit 0, the values before the cut, ROWS_MISSING, the cut cells absent', () => {
    expect(runs.truncated.code).toBe(0);
    const r = json('truncated');
    expectNoWrongValue(r.tables.applications, APPS_FLAT);
    expect(r.tables.applications['new_received.total']).toBe(218);
    expect(r.tables.applications['rejected_repeat.natural_person']).toBe(1);
    expect('rejected_repeat.total' in r.tables.applications).toBe(false);
    expect(r.warnings.some((w) => w.code === 'ROWS_MISSING' && w.section === 'applications')).toBe(true);
    expect(r.tables).toEqual(parseString(cutAfterFirstValue(HTML, '2.重复申请')).tables);
  });

  it('GBK page without a charset: exit 0, same numbers as the UTF-8 page', () => {
    expect(runs.gbk.code).toBe(0);
    const r = json('gbk');
    expect(r.title).toBe('平潭综合实验区2024年度政府信息公开工作年度报告');
    expectAllNumbers(r);
  });

  it('5 MB page: exit 0, same numbers', () => {
    expect(runs.big.code).toBe(0);
    expectAllNumbers(json('big'));
  });
});
