/**
 * The `attachments` portal (issue 5): a generic-friendly 年报 column whose reports live in their files. It
 * starts only when named in startReplica({ only: ['attachments'] }) (hard-sites.ts), like the hard portals.
 *
 *   /xxgk/ndbg/index.html                     the list (one page, <a title> links)
 *   …/202403/t20240308_87885.html             (a) a page that is only a link to its PDF  (link-only-87885.html)
 *   …/202001/t20200120_80576.html             (b) a page that is only a link to its DOCX (pingtan-80576-2019.docx),
 *                                                 through /xxgk/ndbg/download.jsp?filename=… (302 to the file)
 *   …/202201/t20220118_doc.html               (c) a link to a DOC (sample.doc)
 *   …/202301/t20230117_wps.html                   a link to a WPS (sample.wps)
 *   …/202403/t20240308_87885_images.html      (d) a report whose tables are pictures (image-tables-87885.html + PNGs):
 *                                                 the crawler fetches the PNGs and reads them with OCR (table-pictures.test.ts)
 *   …/202403/t20240309_87885_copy.html        (e) the real HTML report 87885 that also attaches a PDF copy
 *
 * Files come from test/fixtures/documents (made from real pages, see its README) and the shared pingtan
 * fixtures; each is served with its proper Content-Type, ETag and Last-Modified (conditional GET → 304).
 * The pages never change. Night 2 replaces the DOCX of (b) in place (same URL, new bytes): the first number of
 * table 三's 本年新收 row goes up by one (fileEdit). Night 3 deletes the PDF of (a) (404).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PINGTAN_DIR } from './corpus.ts';
import type { DocInfo, PageReply, RegistryEntry, ReplicaRequest, Site, SiteOptions } from './types.ts';
import { robotsOf } from './util.ts';
import { editZipEntry } from './zip-edit.ts';

const DOCS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'documents');
const PAGE_87885 = join(PINGTAN_DIR, '202403', '87885_平潭综合实验区2023年度政府信息公开工作年度报告', 'page.html');

export const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  wps: 'application/vnd.ms-works',
  png: 'image/png',
};

const COLUMN = '/xxgk/ndbg/';
const SITE_NAME = '东屿县人民政府';
const PUBLISHED = new Date('2024-03-10T02:00:00Z');

/** One report page of the column, and what it is for the tests. */
export interface AttachmentPage {
  /** (a)…(e) as in the header */
  role: 'pdf' | 'docx' | 'doc' | 'wps' | 'images' | 'html+pdf';
  path: string;
  title: string;
  published: string;
  year: number;
  /** the file the page links to (images: the pictures) */
  files: string[];
  /** the link on the page, when it is a download URL that redirects to the file */
  link?: string;
  /** where its hand-checked values are (the fixture the page or its file was made from), if known */
  source: string | null;
}

const T87885 = '平潭综合实验区2023年度政府信息公开工作年度报告';
const T80576 = '平潭综合实验区2019年度政府信息公开工作年度报告';

export const ATTACHMENT_PAGES: readonly AttachmentPage[] = [
  { role: 'pdf', path: `${COLUMN}202403/t20240308_87885.html`, title: T87885, published: '2024-03-08', year: 2023, files: [`${COLUMN}202403/P020240301_pingtan-87885-2023.pdf`], source: 'pingtan:87885' },
  { role: 'docx', path: `${COLUMN}202001/t20200120_80576.html`, title: T80576, published: '2020-01-20', year: 2019, files: [`${COLUMN}202001/P020200120_pingtan-80576-2019.docx`], link: `${COLUMN}download.jsp?filename=P020200120_pingtan-80576-2019.docx`, source: 'pingtan:80576' },
  { role: 'doc', path: `${COLUMN}202201/t20220118_doc.html`, title: '东屿县2021年度政府信息公开工作年度报告', published: '2022-01-18', year: 2021, files: [`${COLUMN}202201/P020220118_report.doc`], source: null },
  { role: 'wps', path: `${COLUMN}202301/t20230117_wps.html`, title: '东屿县2022年度政府信息公开工作年度报告', published: '2023-01-17', year: 2022, files: [`${COLUMN}202301/P020230117_report.wps`], source: null },
  { role: 'images', path: `${COLUMN}202403/t20240308_87885_images.html`, title: `${T87885}（图片版）`, published: '2024-03-08', year: 2023, files: [1, 2, 3].map((i) => `${COLUMN}202403/image-tables-87885-table${i}.png`), source: 'pingtan:87885' },
  { role: 'html+pdf', path: `${COLUMN}202403/t20240309_87885_copy.html`, title: `${T87885}（附PDF）`, published: '2024-03-09', year: 2023, files: [`${COLUMN}202403/P020240309_87885_copy.pdf`], source: 'pingtan:87885' },
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const fileName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** The night-2 file edit on a DOCX's document.xml: table 三's 本年新收 row, its first number, plus one. */
export function bumpNewReceived(xml: string): string {
  const label = xml.indexOf('本年新收');
  const next = xml.indexOf('二、', label);
  const m = label < 0 ? null : /(<w:t\b[^>]*>)(\d+)(<\/w:t>)/.exec(xml.slice(label));
  if (!m || (next >= 0 && label + m.index > next)) throw new Error('DOCX has no 本年新收 number to edit');
  const at = label + m.index + m[1].length;
  return xml.slice(0, at) + String(Number(m[2]) + 1) + xml.slice(at + m[2].length);
}

/** A "见附件" page: the report's title, its date and one link to its file, nothing else. */
function linkOnlyPage(title: string, published: string, file: string, ext: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="ArticleTitle" content="${esc(title)}"><meta name="SiteName" content="${SITE_NAME}"><meta name="PubDate" content="${published} 10:00">
</head><body><div class="article"><h1>${esc(title)}</h1><div class="info">发布时间：${published}</div>
<div class="content"><p>附件：<a href="${file}">${esc(title)}.${ext}</a></p></div></div></body></html>`;
}

export class AttachmentsSite implements Site {
  readonly family = 'generic' as const;
  readonly name = SITE_NAME;
  readonly robots: string | null;
  readonly entryPaths = [`${COLUMN}index.html`];
  private readonly files = new Map<string, { body: Buffer | string; type: string }>();

  constructor(readonly id: string, readonly options: SiteOptions = {}) {
    this.robots = robotsOf(options.robots);
    const doc = (name: string) => readFileSync(join(DOCS, name));
    const [a, b, c, w, d, e] = ATTACHMENT_PAGES;
    // (a) the fixture page, its link pointed at this column's copy of the PDF
    const linkOnly = readFileSync(join(DOCS, 'link-only-87885.html'), 'utf8').replace(/href="[^"]*P020240301_pingtan-87885-2023\.pdf"/, `href="${a.files[0]}"`);
    this.add(a.path, linkOnly);
    this.add(a.files[0], doc('pingtan-87885-2023.pdf'));
    // (b), (c): made link-only pages
    this.add(b.path, linkOnlyPage(b.title, b.published, b.link!.replace(/&/g, '&amp;'), 'docx'));
    this.add(b.files[0], doc('pingtan-80576-2019.docx'));
    this.add(c.path, linkOnlyPage(c.title, c.published, c.files[0], 'doc'));
    this.add(c.files[0], doc('sample.doc'));
    this.add(w.path, linkOnlyPage(w.title, w.published, w.files[0], 'wps'));
    this.add(w.files[0], doc('sample.wps'));
    // (d) the picture tables (relative <img src> beside the page)
    this.add(d.path, doc('image-tables-87885.html'));
    for (const f of d.files) this.add(f, doc(fileName(f)));
    // (e) the real page with a PDF copy attached below its body
    const html = readFileSync(PAGE_87885, 'utf8').replace(/<\/body>/i, `<p>附件：<a href="${e.files[0]}">${T87885}.pdf</a></p></body>`);
    this.add(e.path, html);
    this.add(e.files[0], doc('pingtan-87885-2023.pdf'));
    this.add(this.entryPaths[0], this.list());
  }

  private add(path: string, body: Buffer | string): void {
    this.files.set(path, { body, type: CONTENT_TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream' });
  }

  handle(req: ReplicaRequest): PageReply | null {
    // a Hanweb-style download link: 302 to the file in its month's folder
    const name = req.path === `${COLUMN}download.jsp` ? req.query.get('filename') : null;
    const target = name ? ATTACHMENT_PAGES.flatMap((p) => p.files).find((f) => fileName(f) === name) : undefined;
    if (target) return { status: 302, body: '', headers: { Location: target } };
    const f = this.files.get(req.path);
    return f ? { body: f.body, type: f.type, lastModified: PUBLISHED } : null;
  }

  docs(baseUrl: string): DocInfo[] {
    return ATTACHMENT_PAGES.map((p) => ({
      url: baseUrl + p.path, path: p.path, title: p.title, agency: p.source ? '平潭综合实验区党工委管委会' : SITE_NAME,
      year: p.year, isReport: true, source: p.source ?? `attachments:${p.role}`, published: p.published, status: 'live', edits: 0,
    }));
  }

  nextNight(night: number) {
    const [a, b] = ATTACHMENT_PAGES;
    if (night === 2) {
      const file = this.files.get(b.files[0])!;
      file.body = editZipEntry(file.body as Buffer, 'word/document.xml', (xml) => Buffer.from(bumpNewReceived(xml.toString('utf8'))));
      return [{ kind: 'edited' as const, title: `${b.title}.docx`, path: b.files[0] }];
    }
    if (night === 3) {
      this.files.delete(a.files[0]);
      return [{ kind: 'deleted' as const, title: `${a.title}.pdf`, path: a.files[0] }];
    }
    return [];
  }

  registryEntry(baseUrl: string): RegistryEntry {
    return {
      id: `replica-${this.id}`, name: SITE_NAME, province: '福建省', city: '东屿市', county: '东屿县', level: 'county',
      family: 'generic', entryUrls: this.entryPaths.map((p) => baseUrl + p), overrides: { hosts: [new URL(baseUrl).host] },
    };
  }

  private list(): string {
    const items = ATTACHMENT_PAGES.map((p) => `<li><a href="${p.path}" title="${esc(p.title)}">${esc(p.title)}</a><span>${p.published}</span></li>`).join('\n');
    return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>政府信息公开年报 - ${SITE_NAME}</title><meta name="SiteName" content="${SITE_NAME}"></head>
<body>
<div class="crumb">当前位置：首页 &gt; 信息公开 &gt; <a href="${COLUMN}index.html">政府信息公开年报</a></div>
<ul class="list">
${items}
</ul>
</body></html>`;
  }
}
