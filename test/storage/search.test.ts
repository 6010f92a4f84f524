/**
 * Chinese search over title, agency and body at every query length, checked against plain substring
 * search over what the parser read from the same real pages (20 Pingtan pages, 5 seed reports).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAnnualReport, parsePageDetailed } from '../../parsers/index.ts';
import { ingestFetch, search } from '../../storage/index.ts';
import type { Archive, SearchOptions } from '../../storage/index.ts';
import { allPages, editAfter, fetchOf, pingtanPage, type Page } from './helpers.ts';
import { tempArchive } from './helpers.ts';

interface Truth {
  url: string;
  title: string;
  agency: string;
  body: string;
  year: number | null;
  province: string | null;
}

describe('search', () => {
  let db: Archive;
  let cleanup: () => void;
  let truth: Truth[];
  const edited = editAfter(pingtanPage('97791').body, '全年发布政策文件解读96篇', '获得良好的传播效果', '获得意想不到的传播效果');

  beforeAll(() => {
    ({ db, cleanup } = tempArchive());
    const pages: Page[] = allPages();
    for (const p of pages) ingestFetch(db, fetchOf(p));
    // a second version of the 2024 report: search reads each document's latest report
    ingestFetch(db, fetchOf(pingtanPage('97791'), { body: edited }));
    truth = pages.flatMap((p) => {
      const body = p.id === '97791' ? edited : p.body;
      const d = parsePageDetailed({ body, url: p.url, headers: { 'content-type': p.contentType } });
      if (!isAnnualReport(d.report)) return [];
      return [{ url: p.url, title: d.report.title ?? '', agency: d.report.agency ?? '', body: d.contentText, year: d.report.year, province: p.unit.province ?? null }];
    });
  });
  afterAll(() => cleanup());

  /** Plain substring truth: every word in the title, the agency or the body. */
  const expected = (words: string[], filter: (t: Truth) => boolean = () => true) =>
    truth.filter((t) => filter(t) && words.every((w) => t.title.includes(w) || t.agency.includes(w) || t.body.includes(w))).map((t) => t.url).sort();
  const found = (q: string, opts: SearchOptions = {}) => search(db, q, { limit: 1000, ...opts }).map((h) => h.url).sort();

  it.each([
    ['民政', 2], ['局', 1], ['民政局', 3], ['政府信息公开', 6], ['晋江市民政局', 6], ['行政复议', 4], ['2019年', 5],
  ])('"%s" (%i characters) finds exactly the reports containing it', (q) => {
    const want = expected([q]);
    expect(want.length).toBeGreaterThan(0);
    expect(found(q)).toEqual(want);
  });

  it('finds the 民政 agencies of the seed reports by 2, 3 and 6 characters', () => {
    const seed = (n: string) => allPages().find((p) => p.id.startsWith(n))!.url;
    for (const q of ['民政', '民政局']) expect(found(q)).toEqual(expect.arrayContaining([seed('001'), seed('004')]));
    expect(found('江苏省民政厅')).toContain(seed('002'));
    expect(found('晋江市民政局')).toEqual(expect.arrayContaining([seed('004')]));
    expect(found('晋江市民政局')).not.toContain(seed('001'));
    // every report in the archive is a 政府信息公开 report
    expect(found('政府信息公开')).toHaveLength(truth.length);
  });

  it('combines words of different lengths (all must occur)', () => {
    expect(found('民政 救助 2023年')).toEqual(expected(['民政', '救助', '2023年']));
    expect(found('民政 救助 2023年').length).toBeGreaterThan(0);
    expect(found('民政局 平潭综合实验区')).toEqual(expected(['民政局', '平潭综合实验区']));
  });

  it('filters by province and year', () => {
    expect(found('民政', { province: '福建省' })).toEqual(expected(['民政'], (t) => t.province === '福建省'));
    expect(found('民政局', { province: '浙江省' })).toEqual(expected(['民政局'], (t) => t.province === '浙江省'));
    expect(found('政府信息公开', { year: 2024 })).toEqual([pingtanPage('97791').url]);
    expect(found('政府信息公开', { year: { from: 2019, to: 2020 } })).toEqual(expected(['政府信息公开'], (t) => t.year === 2019 || t.year === 2020));
    expect(found('民政', { province: '福建省', year: 2023 })).toEqual(expected(['民政'], (t) => t.province === '福建省' && t.year === 2023));
  });

  it('reads the latest version of each document unless asked for all', () => {
    expect(found('意想不到')).toEqual([pingtanPage('97791').url]);
    expect(found('获得良好的传播效果')).toEqual([]);
    expect(found('获得良好的传播效果', { allVersions: true })).toEqual([pingtanPage('97791').url]);
  });

  it('returns metadata and a snippet around the match; nonsense finds nothing', () => {
    const [hit] = search(db, '晋江市民政局', { year: 2023, limit: 1 });
    expect(hit).toMatchObject({ title: '晋江市民政局2023年政府信息公开工作年度报告', agency: '晋江市民政局', year: 2023, province: '福建省' });
    expect(hit.snippet).toContain('晋江市民政局');
    expect(found('鲲鹏')).toEqual([]);
    expect(found('，')).toEqual([]);
    expect(found('   ')).toEqual([]);
  });
});
