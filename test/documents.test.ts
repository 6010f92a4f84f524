/**
 * Report files: the DOCX and PDF made from a real page (scripts/fixtures/make-documents.ts) read into the same
 * canonical numbers as the page itself, and those are the hand-checked values. Other formats are recognised
 * and reported as not parsed, with the reason; broken files give a clear reason and never throw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePage, type CanonicalReport } from '../parsers/index.ts';
import { documentKind, parseDocument, type DocumentResult } from '../parsers/documents/index.ts';
import { runCli } from './helpers/cli.ts';
import { OWN_FIXTURES, PINGTAN, SEEDS, flattenApplications, num, reviewObject } from './helpers/fixtures.ts';

const DOCS = join(OWN_FIXTURES, 'documents');
const read = (f: string) => readFileSync(join(DOCS, f));

interface Source {
  name: string;
  /** the HTML version the documents were made from */
  html: string;
  expected: string;
  title: string | null;
}

const SOURCES: Source[] = [
  {
    name: 'pingtan-80576-2019',
    html: join(PINGTAN, '202001/80576_平潭综合实验区2019年度政府信息公开工作年度报告/page.html'),
    expected: join(PINGTAN, '202001/80576_平潭综合实验区2019年度政府信息公开工作年度报告/expected.json'),
    title: '平潭综合实验区2019年度政府信息公开工作年度报告',
  },
  {
    name: 'pingtan-87885-2023',
    html: join(PINGTAN, '202403/87885_平潭综合实验区2023年度政府信息公开工作年度报告/page.html'),
    expected: join(PINGTAN, '202403/87885_平潭综合实验区2023年度政府信息公开工作年度报告/expected.json'),
    title: '平潭综合实验区2023年度政府信息公开工作年度报告',
  },
  { name: 'seed-000', html: join(DOCS, 'seed-000.html'), expected: join(SEEDS, 'expected', '000_a69ef41056118676.json'), title: null },
];

function parsed(r: DocumentResult): CanonicalReport {
  if (r.status !== 'parsed') throw new Error(`not parsed: ${r.reason}`);
  return r.parse.report;
}

/** The hand-checked values of an expected file, in the report's keys. */
function expectedCells(file: string) {
  const exp = JSON.parse(readFileSync(file, 'utf8'));
  return {
    template: exp.template,
    active: Object.fromEntries(Object.entries(exp.active ?? {}).map(([k, v]) => [k, num(v)])),
    applications: flattenApplications(exp.applications ?? {}),
    review: exp.review_litigation ? reviewObject(exp.review_litigation) : {},
  };
}

const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));

describe('DOCX and PDF made from a real report page give the page\'s canonical numbers', () => {
  for (const s of SOURCES) {
    const html = parsePage({ body: readFileSync(s.html), headers: { 'content-type': 'text/html' } });
    const exp = expectedCells(s.expected);

    it(`${s.name}: the HTML version holds the hand-checked values`, () => {
      expect(html.template).toBe(exp.template);
      expect(pick(html.tables.active, Object.keys(exp.active))).toEqual(exp.active);
      expect(pick(html.tables.applications, Object.keys(exp.applications))).toEqual(exp.applications);
      expect(pick(html.tables.review_litigation, Object.keys(exp.review))).toEqual(exp.review);
    });

    for (const format of ['docx', 'pdf'] as const) {
      it(`${s.name}.${format}: same cells, raw text, checks and template as the page`, async () => {
        const r = parsed(await parseDocument(read(`${s.name}.${format}`)));
        expect(r.source_format).toBe(format);
        expect(r.template).toBe(html.template);
        expect(r.year).toBe(html.year);
        if (s.title) expect(r.title).toBe(s.title);
        expect(r.tables).toEqual(html.tables);
        expect(Object.keys(r.tables.applications).length).toBeGreaterThan(100);
        expect(r.raw).toEqual(html.raw);
        expect(r.checks.filter((c) => !c.rule.startsWith('narrative.'))).toEqual(html.checks.filter((c) => !c.rule.startsWith('narrative.')));
        expect(r.section_headings).toEqual(html.section_headings);
        // nothing the page reads without doubt is doubtful in the document
        const codes = (x: CanonicalReport) => x.warnings.map((w) => w.code).filter((c) => c !== 'YEAR_UNCERTAIN').sort();
        expect(codes(r)).toEqual(codes(html));
      });
    }
  }
});

describe('formats that are stored raw and not parsed', () => {
  for (const [file, kind] of [['sample.doc', 'doc'], ['sample.wps', 'wps'], ['sample.ofd', 'ofd']] as const) {
    it(`${file}: recognised as ${kind}, not parsed, with the reason`, async () => {
      const bytes = read(file);
      expect(documentKind(bytes, null, file)).toBe(kind);
      const r = await parseDocument(bytes, { url: `https://example.gov.cn/${file}` });
      expect(r).toMatchObject({ status: 'not_parsed', kind });
      if (r.status === 'not_parsed') expect(r.reason).toMatch(/not parsed/);
    });
  }

  it('an OLE2 file is told apart by its name or content type', () => {
    const bytes = read('sample.doc');
    expect(documentKind(bytes, 'application/msword', null)).toBe('doc');
    expect(documentKind(bytes, 'application/octet-stream', '/download.jsp?filename=report.wps')).toBe('wps');
    expect(documentKind(bytes, 'application/vnd.ms-excel', null)).toBe('xls');
  });

  it('magic numbers win over a wrong content type; a page is no document', () => {
    expect(documentKind(read('seed-000.pdf'), 'text/html', 'a.htm')).toBe('pdf');
    expect(documentKind(read('seed-000.docx'), 'application/octet-stream', null)).toBe('docx');
    expect(documentKind(read('seed-000.html'), 'application/pdf', 'a.pdf')).toBe(null);
  });
});

describe('broken files: a clear reason, nothing thrown', () => {
  it('a PDF cut short', async () => {
    const pdf = read('seed-000.pdf');
    const r = await parseDocument(pdf.subarray(0, 2000));
    expect(r.status).toBe('not_parsed');
    if (r.status === 'not_parsed') expect(r.reason).toMatch(/^a broken PDF file: \S/);
  });

  it('a PDF header with garbage after it', async () => {
    const r = await parseDocument(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x41)]));
    expect(r).toMatchObject({ status: 'not_parsed', kind: 'pdf' });
  });

  it('a DOCX cut short', async () => {
    const docx = read('seed-000.docx');
    const r = await parseDocument(docx.subarray(0, Math.floor(docx.length / 2)));
    expect(r.status).toBe('not_parsed');
    if (r.status === 'not_parsed') expect(r.reason).toMatch(/^a broken DOCX file: \S/);
  });

  it('parsePage refuses document bytes with the reason (it reads pages and text only)', () => {
    expect(() => parsePage({ body: read('seed-000.pdf') })).toThrow(/PDF/);
    expect(() => parsePage({ body: read('sample.doc') })).toThrow(/OLE2/);
  });
});

describe('nianbao parse FILE.pdf|FILE.docx', () => {
  it('prints the report JSON of a PDF, and refuses an OFD with the reason (exit 1)', async () => {
    const [pdf, ofd] = await Promise.all([
      runCli(['parse', join(DOCS, 'pingtan-87885-2023.pdf'), '--json']),
      runCli(['parse', join(DOCS, 'sample.ofd')]),
    ]);
    expect(pdf.code).toBe(0);
    const r = JSON.parse(pdf.stdout);
    const html = parsePage({ body: readFileSync(SOURCES[1].html) });
    expect(r.source_format).toBe('pdf');
    expect(r.tables).toEqual(html.tables);
    expect(ofd.code).toBe(1);
    expect(ofd.stderr).toMatch(/OFD.*not parsed/);
  }, 60_000);
});
