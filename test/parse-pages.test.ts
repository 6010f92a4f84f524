/**
 * Every real page the project has: the six Pingtan pages with shared expected.json, the fourteen whose
 * values we typed from the page (test/fixtures/pingtan-expected), and the five seed texts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePage, isAnnualReport } from '../parsers/index.ts';
import type { CanonicalReport } from '../parsers/index.ts';
import {
  PINGTAN, SEEDS, flattenApplications, num, pingtanEntries, pingtanExpected, reviewObject,
  seedExpected, seedFiles,
} from './helpers/fixtures.ts';

function expectActive(r: CanonicalReport, active: Record<string, unknown>) {
  const want = Object.fromEntries(Object.entries(active).map(([k, v]) => [k, num(v)]));
  expect(pick(r.tables.active, Object.keys(want))).toEqual(want);
}

function pick(o: Record<string, unknown>, keys: string[]) {
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

/** Every listed cell has its value (the shared files list only some columns of some rows). */
function expectApplications(r: CanonicalReport, apps: Record<string, Record<string, unknown>>) {
  const want = flattenApplications(apps);
  expect(pick(r.tables.applications, Object.keys(want))).toEqual(want);
}

describe('Pingtan 政府信息公开年报 column (real pages)', () => {
  for (const entry of pingtanEntries()) {
    const exp = pingtanExpected(entry);
    it(`${entry.docid} ${entry.title}`, () => {
      const body = readFileSync(join(PINGTAN, entry.path));
      const r = parsePage({ body, url: entry.url, headers: { 'content-type': 'text/html' } });
      const isReport = exp.is_report ?? true;
      expect(isAnnualReport(r)).toBe(isReport);
      expect(r.title).toBe(exp.title);
      expect(r.year).toBe(exp.year);
      expect(r.publish_date).toBe(exp.publish_date);
      expect(r.index_no).toBe(exp.index_no ?? null);
      if (isReport) {
        expect(r.agency).toBe(exp.agency);
        expect(r.template).toBe(exp.template);
      }
      expect(r.url).toBe(entry.url);
      if (exp.meta?.SiteName) expect(r.site.name).toBe(exp.meta.SiteName);
      if (exp.meta?.SiteIDCode) expect(r.site.id_code).toBe(exp.meta.SiteIDCode);
      if (exp.meta?.ColumnName) expect(r.site.column).toBe(exp.meta.ColumnName);
      if (exp.section_headings) expect(r.section_headings).toEqual(exp.section_headings);
      if (exp.overview_starts) expect((r.sections.overview ?? '').replace(/\s+/g, '')).toMatch(new RegExp(`^${escape(exp.overview_starts)}`));
      if (exp.template === 'pre2019' || !isReport) {
        // free-form reports have no canonical table values: nothing is invented
        expect(r.tables).toEqual({ active: {}, applications: {}, review_litigation: {} });
        return;
      }
      if (exp.active) expectActive(r, exp.active);
      if (exp.applications) expectApplications(r, exp.applications);
      if (exp.review_litigation) expect(pick(r.tables.review_litigation, Object.keys(reviewObject(exp.review_litigation)))).toEqual(reviewObject(exp.review_litigation));
      for (const [k, v] of Object.entries(exp.raw ?? {})) expect(r.raw[k]?.replace(/\s+/g, '')).toBe(String(v).replace(/\s+/g, ''));
      // the page's own arithmetic: every failed check must be one the page really fails
      const failed = r.checks.filter((c) => !c.ok && !c.rule.startsWith('narrative.')).map((c) => c.rule);
      expect(failed).toEqual(exp.failed_checks ?? []);
    });
  }
});

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('seed report texts', () => {
  for (const file of seedFiles()) {
    const exp = seedExpected(file);
    it(file, () => {
      const r = parsePage({ body: readFileSync(join(SEEDS, file)) }, 'text');
      expect(isAnnualReport(r)).toBe(true);
      for (const k of ['title', 'agency', 'year', 'publish_date', 'index_no', 'issuer', 'template', 'written_date'] as const) {
        if (k in exp) expect(r[k], k).toBe(exp[k]);
      }
      if (exp.active) expectActive(r, exp.active);
      if (exp.applications) expectApplications(r, exp.applications);
      if (exp.review_litigation) expect(pick(r.tables.review_litigation, Object.keys(reviewObject(exp.review_litigation)))).toEqual(reviewObject(exp.review_litigation));
      for (const t of exp.missing_tables ?? []) {
        expect(Object.keys(r.tables[t as 'active'])).toEqual([]);
        expect(r.warnings.some((w) => w.section === t && ['TABLE_MISSING', 'TABLE_AS_IMAGE'].includes(w.code))).toBe(true);
      }
      for (const [k, v] of Object.entries(exp.narrative_figures ?? {})) expect(r.narrative[k], k).toBe(v);
    });
  }
});

describe('a page whose CMS container is unknown (densest-text fallback)', () => {
  it('gives the same tables and metadata as the known-container path, on every Pingtan page', () => {
    for (const entry of pingtanEntries()) {
      const html = readFileSync(join(PINGTAN, entry.path), 'utf8');
      // rename every container marker the fast path knows, so only the DOM fallback can find the body
      const anonymous = html.replace(/TRS_Editor|trs_editor_view|article_content|article-content|UCAP-CONTENT|\bzoom\b/g, 'c0ntent');
      expect(anonymous).not.toMatch(/TRS_Editor|article_content/);
      const known = parsePage({ body: html, url: entry.url });
      const fallback = parsePage({ body: anonymous, url: entry.url });
      expect(fallback.tables, entry.docid).toEqual(known.tables);
      expect([fallback.title, fallback.year, fallback.agency, fallback.template, fallback.publish_date], entry.docid)
        .toEqual([known.title, known.year, known.agency, known.template, known.publish_date]);
      expect(fallback.section_headings, entry.docid).toEqual(known.section_headings);
    }
  });
});

describe('column pages are not reports', () => {
  it('the real Pingtan 政府信息公开年报 list page (10 report links) is recognised as a list', () => {
    const r = parsePage({ body: readFileSync(join(PINGTAN, '_lists', 'index.html')) });
    expect(isAnnualReport(r)).toBe(false);
    expect(r.warnings[0].detail).toMatch(/list of 10 report titles/);
    expect(r.tables).toEqual({ active: {}, applications: {}, review_litigation: {} });
  });

  it('a column named 政府信息公开年报 with one or two entries is not a report either', () => {
    const page = (entries: string[]) => `<html><head><title>政府信息公开年报</title></head><body><div class="article_content">
      <h1>政府信息公开年报</h1><ul>${entries.map((e, i) => `<li><a href="t${i}.html">${e}</a><span>2024-03-0${i + 1}</span></li>`).join('')}</ul></div></body></html>`;
    for (const entries of [['东岚市民政局2023年政府信息公开工作年度报告'], ['东岚市民政局2023年政府信息公开工作年度报告', '东岚市民政局2022年政府信息公开工作年度报告']]) {
      const r = parsePage({ body: page(entries) });
      expect(isAnnualReport(r), entries.join()).toBe(false);
    }
  });
});
