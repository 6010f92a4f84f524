/**
 * The replica's content: the real Pingtan pages and seed texts in ../shared, cut into report contents that
 * the family sites re-title and re-date, plus the non-report items a 年报 column also holds, and the edit
 * that nextNight() applies to a report.
 */
import { textBlocks } from '../../parsers/text-blocks.ts';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeHtml, innerOf } from './util.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DIR = process.env.NIANBAO_SHARED ?? resolve(ROOT, '..', 'shared');
export const PINGTAN_DIR = join(SHARED_DIR, 'fixtures', 'portals', 'pingtan');
export const SEEDS_DIR = join(SHARED_DIR, 'seeds');

/** One real page of the Pingtan column, as the manifest lists it. */
export interface PingtanPage {
  docid: string;
  title: string;
  /** list date (manifest `published`) */
  published: string;
  /** meta PubDate, 'YYYY-MM-DD HH:mm' */
  pubdate: string;
  /** served path: /zwgk/zfxxgk/zfxxgknb/YYYYMM/tYYYYMMDD_ID.htm */
  urlPath: string;
  html: string;
  isReport: boolean;
}

/** A report's content (the inside of the CMS content container) that a generated site can re-title. */
export interface Source {
  /** 'pingtan:97791' | 'seed:001_9f09e102a19e83ee' */
  id: string;
  year: number;
  /** names of the original publisher inside the content, replaced by the new agency (longest first) */
  names: string[];
  content: string;
  /** table 三 has a number nextNight() can edit */
  editable: boolean;
}

export interface Corpus {
  pingtan: PingtanPage[];
  /** report sources for the generated sites: Pingtan 2019–2025 and the seed texts */
  sources: Source[];
  byYear: Map<number, Source[]>;
  /** list page of the real column (_lists/index.html) */
  pingtanList: string;
}

const PINGTAN_NAMES = ['平潭综合实验区党工委管委会', '平潭综合实验区管委会', '平潭综合实验区'];
/** the publisher each seed names (from ../shared/seeds/expected) */
const SEED_NAMES: Record<string, string[]> = {
  '001_9f09e102a19e83ee': ['天水市民政局'],
  '002_4a426eea84ae44d6': ['江苏省民政厅'],
  '004_84e2449ff8fa4ecd': ['晋江市民政局'],
};

let cached: Corpus | null = null;

export function loadCorpus(): Corpus {
  if (cached) return cached;
  const manifest = JSON.parse(readFileSync(join(PINGTAN_DIR, 'manifest.json'), 'utf8')) as {
    entries: Array<{ path: string; docid: string; title: string; published: string; pubdate_meta: string; url: string }>;
  };
  const pingtan: PingtanPage[] = manifest.entries.map((e) => ({
    docid: e.docid,
    title: e.title,
    published: e.published,
    pubdate: e.pubdate_meta,
    urlPath: new URL(e.url).pathname,
    html: readFileSync(join(PINGTAN_DIR, e.path), 'utf8'),
    isReport: /报告$/.test(e.title),
  }));
  const sources: Source[] = [];
  for (const p of pingtan) {
    const year = Number(/(\d{4})年/.exec(p.title)?.[1]);
    if (!p.isReport || year < 2019) continue;
    const content = pingtanContent(p.html);
    sources.push({ id: `pingtan:${p.docid}`, year, names: PINGTAN_NAMES, content, editable: editReport(content, 'x') !== null });
  }
  for (const f of readdirSync(SEEDS_DIR).filter((x) => x.endsWith('.txt')).sort()) {
    const key = f.replace(/\.txt$/, '');
    const expected = JSON.parse(readFileSync(join(SEEDS_DIR, 'expected', `${key}.json`), 'utf8')) as { year: number; title: string | null };
    const content = seedToHtml(readFileSync(join(SEEDS_DIR, f), 'utf8'), expected.title);
    sources.push({ id: `seed:${key}`, year: expected.year, names: SEED_NAMES[key] ?? [], content, editable: editReport(content, 'x') !== null });
  }
  const byYear = new Map<number, Source[]>();
  for (const s of sources) byYear.set(s.year, [...(byYear.get(s.year) ?? []), s]);
  const pingtanList = readFileSync(join(PINGTAN_DIR, '_lists', 'index.html'), 'utf8');
  cached = { pingtan, sources, byYear, pingtanList };
  return cached;
}

/** The article body of a Pingtan page: inside div.TRS_Editor when there is one, else div.article_content. */
export function pingtanContent(html: string): string {
  const region = innerOf(html, /<div class="article_content[^"]*">/) ?? html;
  return (innerOf(region, /<div class=(?:"TRS_Editor"|TRS_Editor)>/) ?? region).trim();
}

/** Put the new publisher's name where the original one stood. */
export function renameIn(content: string, names: string[], agency: string): string {
  let out = content;
  for (const n of names) out = out.split(n).join(agency);
  return out;
}

/**
 * A seed text as the HTML a CMS would show: " | " rows become <table> rows cell for cell (as the parser's
 * text form reads them), other lines become paragraphs. Header lines (the "- 索引号: …" list, navigation
 * crumbs, the title and the 发布日期 line) are dropped: the page template prints those.
 */
export function seedToHtml(text: string, title: string | null): string {
  let lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (title) {
    const at = lines.findIndex((l) => l.trim() === title);
    if (at >= 0 && at < 20) lines = lines.slice(at + 1);
  }
  lines = lines.filter((l) => !/^- [^:：]{1,8}[:：]/.test(l) && !/^发布日期[:：]/.test(l.trim()));
  // the parser's own reader of the text form (" | " rows, tab-per-line cells), rendered back as HTML
  const out: string[] = [];
  for (const b of textBlocks(lines.join('\n'))) {
    if (b.kind === 'para') out.push(`<p>${escapeHtml(b.text)}</p>`);
    else if (b.kind === 'table') {
      out.push('<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse"><tbody>');
      for (const r of b.rows) out.push(`<tr>${r.cells.map((c) => `<td>${escapeHtml(c.text)}</td>`).join('')}</tr>`);
      out.push('</tbody></table>');
    }
  }
  return out.join('\n');
}

const TD = /<td\b[^>]*>([\s\S]*?)<\/td>/gi;
const textOf = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&nbsp;|&ensp;|&emsp;|&#160;|\s|\u00a0|\u3000/g, '');

/**
 * The edit of "night 2": the first number of table 三's 本年新收 row goes up by one, and the first real
 * paragraph gets a sentence. Null when the content has no such number.
 */
export function editReport(content: string, stamp: string): string | null {
  const label = content.indexOf('本年新收');
  if (label < 0) return null;
  TD.lastIndex = label;
  let out: string | null = null;
  for (let m = TD.exec(content); m; m = TD.exec(content)) {
    const t = textOf(m[1]);
    if (/[一二三四五六七八九十]、/.test(t)) break; // reached the next row's label
    if (!/^\d+$/.test(t)) continue;
    const inner = m[1];
    const at = inner.lastIndexOf(t);
    const bumped = inner.slice(0, at) + String(Number(t) + 1) + inner.slice(at + t.length);
    const start = m.index + m[0].indexOf(inner);
    out = content.slice(0, start) + bumped + content.slice(start + inner.length);
    break;
  }
  if (out === null) return null;
  const para = /<p\b[^>]*>((?:(?!<\/p>)[\s\S]){20,}?)<\/p>/gi;
  for (let m = para.exec(out); m; m = para.exec(out)) {
    if ((textOf(m[1]).match(/[\u4e00-\u9fff]/g) ?? []).length < 20) continue;
    const end = m.index + m[0].length - '</p>'.length;
    return `${out.slice(0, end)}本报告部分数据已于${stamp}更正。${out.slice(end)}`;
  }
  return out;
}

/** Items of a 年报 column that are not reports: a crawler must skip them. */
export function notices(region: string, unit: string, year: number): Array<{ title: string; content: string }> {
  const p = (s: string) => `<p style="text-indent: 2em;">${s}</p>`;
  return [
    {
      title: `关于做好${year}年度政府信息公开工作年度报告编制发布工作的通知`,
      content: [
        p(`各乡镇人民政府、${region}直各单位：`),
        p(`根据《中华人民共和国政府信息公开条例》规定，现就做好${year}年度政府信息公开工作年度报告编制和发布工作通知如下：`),
        p(`一、各单位应于${year + 1}年1月31日前向社会公布本单位${year}年度政府信息公开工作年度报告，并报送${unit}办公室备案。`),
        p('二、年度报告应严格按照国务院办公厅政府信息与政务公开办公室印发的格式模板编制，数据应当真实准确。'),
        p('特此通知。'),
        p(`${unit}办公室`),
        p(`${year}年12月10日`),
      ].join('\n'),
    },
    {
      title: `${region}${year + 1}年政务公开工作要点`,
      content: [
        p(`为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，结合${region}实际，制定本要点。`),
        p('一、围绕重点领域深化公开。二、加强政策解读回应。三、提升政务公开平台建设水平。四、强化组织保障。'),
      ].join('\n'),
    },
    {
      title: `${unit}政府信息公开指南`,
      content: [
        p(`为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。`),
        p('一、主动公开：公开的主要内容、公开形式与时限。二、依申请公开：申请方式、办理流程与答复期限。三、监督方式。'),
      ].join('\n'),
    },
  ];
}
