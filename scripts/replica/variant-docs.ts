/**
 * The documents of a variant replica site (./variants.ts): a fixed column, built only from report pages whose
 * numbers were checked by hand (the Pingtan pages with an expected.json, the seed with expected applications),
 * re-titled for the site's agencies in the site's own title form, plus the non-reports a real column lists
 * beside them. Unlike generated.ts, nothing is random: the variant tests name every document.
 */
import { loadCorpus, renameIn } from './corpus.ts';
import type { GenDoc, Place } from './generated.ts';
import type { DocInfo } from './types.ts';
import { chinaTime, pad2 } from './util.ts';

/** Source id per report year; 2023 alternates between a Pingtan page and a seed text by agency. */
const HAND_CHECKED: Array<[number, string[]]> = [
  [2019, ['pingtan:80576']],
  [2022, ['pingtan:80629']],
  [2023, ['pingtan:87885', 'seed:004_84e2449ff8fa4ecd']],
  [2024, ['pingtan:97791']],
  [2025, ['pingtan:105587']],
];

/** A variant document: a generated document's fields without the night states (variant sites have no nights). */
export type VariantDoc = Pick<GenDoc, 'n' | 'title' | 'agency' | 'year' | 'isReport' | 'source' | 'published' | 'time' | 'content' | 'lastModified'>;

export interface VariantColumn {
  place: Place;
  /** agencies publishing in the column (full names) */
  agencies: string[];
  /** the site's title form(s) for a report */
  title(agency: string, year: number, i: number): string;
  /** non-report items listed in the column: title and body */
  noise: Array<{ title: string; content: string; published: string }>;
  /** first document id */
  idBase: number;
}

/** The column's documents, newest first (the list order). */
export function variantDocs(col: VariantColumn): VariantDoc[] {
  const { sources } = loadCorpus();
  const docs: Omit<VariantDoc, 'n'>[] = [];
  col.agencies.forEach((agency, a) => {
    HAND_CHECKED.forEach(([year, ids], k) => {
      const src = sources.find((s) => s.id === ids[a % ids.length]);
      if (!src) throw new Error(`variant replica: source ${ids[a % ids.length]} missing from the corpus`);
      const published = `${year + 1}-${pad2(1 + ((a + k) % 3))}-${pad2(5 + a * 3 + k)}`;
      const time = `${pad2(9 + a)}:${pad2(10 + k * 7)}`;
      docs.push({
        title: col.title(agency, year, a * HAND_CHECKED.length + k), agency, year, isReport: true, source: src.id, published, time,
        content: renameIn(src.content, src.names, agency), lastModified: chinaTime(published, time),
      });
    });
  });
  for (const x of col.noise) {
    docs.push({ title: x.title, agency: col.agencies[0], year: null, isReport: false, source: 'noise', published: x.published, time: '10:00',
      content: x.content, lastModified: chinaTime(x.published, '10:00') });
  }
  docs.sort((x, y) => (x.published + x.time).localeCompare(y.published + y.time));
  return docs.map((d, i) => ({ ...d, n: col.idBase + i * 7 })).reverse();
}

export function variantInfo(d: VariantDoc, baseUrl: string, path: string): DocInfo {
  return {
    url: baseUrl + path, path, title: d.title, agency: d.agency, year: d.year, isReport: d.isReport, source: d.source,
    published: d.published, status: 'live', edits: 0,
  };
}

/** Paragraphs as a content block. */
export const paras = (...ps: string[]): string => ps.map((p) => `<p>${p}</p>`).join('\n');

/**
 * What real 年报 columns list beside the reports (research/cms-families.md §7.2): the 解读 and 图解 of a
 * report, a 年度计划, a 工作总结, and the notice that announces a report. None of them is a report.
 */
export function noiseItems(unit: string, year: number): VariantColumn['noise'] {
  const report = `${unit}${year}年政府信息公开工作年度报告`;
  return [
    { title: `《${report}》政策解读`, published: `${year + 1}-03-28`,
      content: paras(`近日，${report}正式发布。现就报告的主要内容解读如下。`, '一、主动公开情况。二、依申请公开情况。三、下一步工作安排。') },
    { title: `图解：${report}`, published: `${year + 1}-03-29`, content: paras('<img src="tujie.jpg" alt="图解">') },
    { title: `${unit}${year + 1}年政务公开工作年度计划`, published: `${year + 1}-02-15`,
      content: paras('一、总体要求。二、重点任务：深化重点领域信息公开，加强政策解读。三、保障措施。') },
    { title: `${unit}${year}年度工作总结`, published: `${year}-12-30`,
      content: paras(`${year}年，${unit}在上级的正确领导下，认真履行职责，各项工作取得新进展。`) },
    { title: `关于公布${report}的通知`, published: `${year + 1}-03-20`,
      content: paras('各有关单位：', `现将${report}予以公布，全文见本网站政府信息公开年报栏目。`, '特此通知。') },
  ];
}
