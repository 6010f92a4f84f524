/** The views for people, checked against the hand-checked expected.json files of the real pages. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRows, EXPORT_VIEWS, ingestFetch, listChanges } from '../../storage/index.ts';
import type { Archive } from '../../storage/index.ts';
import { pingtanEntries, pingtanExpected, num, reviewObject } from '../helpers/fixtures.ts';
import { allPages, editAfter, fetchOf, pingtanPage, tempArchive } from './helpers.ts';

const entry = (docid: string) => pingtanEntries().find((e) => e.docid === docid)!;
const rows = (db: Archive, view: (typeof EXPORT_VIEWS)[number]) => [...exportRows(db, view)] as Record<string, any>[];

/** Sum of the total column over the listed rows of expected.json (rows it omits are printed 0 on the page). */
function sumTotals(apps: Record<string, Record<string, unknown>>, prefix: string): number {
  return Object.entries(apps).filter(([row]) => row.startsWith(prefix)).reduce((s, [, cols]) => s + Number(num(cols.total)), 0);
}

describe('views', () => {
  let db: Archive;
  let cleanup: () => void;

  beforeAll(() => {
    ({ db, cleanup } = tempArchive());
    for (const p of allPages()) ingestFetch(db, fetchOf(p));
    // the 2023 report gets a second version at the source (a reworded sentence; the numbers stay)
    const p = pingtanPage('87885');
    ingestFetch(db, fetchOf(p, { body: editAfter(p.body, '一、总体情况', '积极助力实验区经济社会发展', '全力助推实验区经济社会发展') }));
  });
  afterAll(() => cleanup());

  it('applications_wide: Pingtan 2024 (97791) has the hand-checked numbers of its expected.json', () => {
    const exp = pingtanExpected(entry('97791'));
    const apps = exp.applications as Record<string, Record<string, unknown>>;
    const review = reviewObject(exp.review_litigation) as Record<string, number>;
    const row = rows(db, 'applications_wide').find((r) => r.url === entry('97791').url)!;
    expect(row).toMatchObject({
      title: exp.title, agency: exp.agency, year: exp.year, template: exp.template, province: '福建省', level: 'county',
      new_received_total: apps.new_received.total, // 218
      new_received_natural_person: apps.new_received.natural_person, // 217
      new_received_organisations: 1,
      carried_over_total: apps.carried_over.total,
      granted_total: apps.granted.total, // 71
      partial_total: apps.partial.total, // 29
      denied_total: sumTotals(apps, 'denied_'), // 4 + 3 + 32
      unavailable_total: sumTotals(apps, 'unavailable_'), // 75
      rejected_total: sumTotals(apps, 'rejected_'), // 1
      other_handling_total: sumTotals(apps, 'other_'), // 1 + 2
      total_total: apps.total.total, // 218
      carried_forward_total: apps.carried_forward.total, // 0
      review_upheld: review.review_upheld,
      review_corrected: review.review_corrected,
      review_other: review.review_other,
      review_pending: review.review_pending,
      review_total: review.review_total, // 7
      suit_direct_total: review.suit_direct_total, // 0
      suit_after_review_total: review.suit_after_review_total, // 19
      suit_total: review.suit_direct_total + review.suit_after_review_total,
      checks_failed: 0,
    });
    expect(row.new_received_total).toBe(218);
    expect(row.denied_total).toBe(39);
  });

  it('applications_wide: every Pingtan report with tables matches its expected totals; pre-2019 reports have NULLs, not 0', () => {
    const wide = rows(db, 'applications_wide');
    for (const e of pingtanEntries()) {
      const exp = pingtanExpected(e);
      const row = wide.find((r) => r.url === e.url);
      if (exp.is_report === false) {
        expect(row).toBeUndefined();
        continue;
      }
      expect(row, e.docid).toBeDefined();
      const r = row!;
      if (exp.template === 'pre2019') {
        expect([r.new_received_total, r.denied_total, r.review_total]).toEqual([null, null, null]);
        continue;
      }
      expect(r.new_received_total, e.docid).toBe(num(exp.applications.new_received.total));
      expect(r.total_total, e.docid).toBe(num(exp.applications.total.total));
      expect(r.review_total, e.docid).toBe(reviewObject(exp.review_litigation).review_total);
    }
  });

  it('latest_reports: one row per report document, the newest version', () => {
    const latest = rows(db, 'latest_reports');
    expect(latest).toHaveLength(24); // 19 Pingtan reports (80787 is not one) + 5 seeds
    expect(new Set(latest.map((r) => r.document_id)).size).toBe(24);
    const r2023 = latest.find((r) => r.url === entry('87885').url)!;
    expect(r2023.version_seq).toBe(2);
    expect(r2023).toMatchObject({ year: 2023, status: 'live', province: '福建省', template: '2021', warning_codes: 'NARRATIVE_MISMATCH' });
  });

  it('failed_checks: one row per failed check, with agency, year, title and URL', () => {
    const failed = rows(db, 'failed_checks');
    const pingtan = failed.filter((f) => f.url.includes('pingtan'));
    // 2020 (80595): the page's own results rows do not add up; 2023 (87885): text says 393, table 470
    expect(pingtan.map((f) => [f.year, f.rule]).sort()).toEqual([
      [2020, 'applications.results.natural_person'],
      [2020, 'applications.results.total'],
      [2023, 'narrative.active.art20_1.normative.in_force'],
    ]);
    expect(pingtanExpected(entry('80595')).failed_checks).toEqual(['applications.results.natural_person', 'applications.results.total']);
    const f = pingtan.find((x) => x.year === 2023)!;
    expect(f).toMatchObject({ agency: '平潭综合实验区党工委管委会', title: '平潭综合实验区2023年度政府信息公开工作年度报告', url: entry('87885').url });
    expect(f.detail).toContain('393');
  });

  it('recent_changes: newest first, with the report they concern', () => {
    const recent = rows(db, 'recent_changes');
    expect(recent).toHaveLength(25);
    expect(recent.map((c) => c.kind)).toEqual(['text_changed', ...Array(24).fill('new')]);
    expect(recent[0]).toMatchObject({ url: entry('87885').url, year: 2023, agency: '平潭综合实验区党工委管委会' });
    expect(recent[1].url).toBe(allPages().at(-1)!.url);
    expect(listChanges(db, { kind: 'new', province: '甘肃省' }).map((c) => c.agency)).toEqual(['天水市民政局']);
  });

  it('report_counts: reports per province, level and year', () => {
    const counts = rows(db, 'report_counts');
    const fj2013 = counts.find((c) => c.province === '福建省' && c.level === 'county' && c.year === 2013)!;
    expect(fj2013.reports).toBe(3); // 80754, 80774, 80759
    expect(counts.reduce((s, c) => s + c.reports, 0)).toBe(24);
    expect(counts.find((c) => c.province === '福建省' && c.level === 'department' && c.year === 2023)!.reports).toBe(1); // 晋江市民政局
  });

  it('every view can be exported, and nothing else', () => {
    for (const v of EXPORT_VIEWS) expect(() => rows(db, v)).not.toThrow();
    expect(() => exportRows(db, 'blobs' as never)).toThrow(/unknown view/);
  });
});
