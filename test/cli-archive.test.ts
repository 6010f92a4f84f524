/**
 * The archive commands as a journalist runs them: search, show, changes, export, query — on an archive
 * of real Pingtan pages where one report's number was edited on the second night and one was deleted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFetch, openArchive } from '../storage/index.ts';
import { runCli, type CliRun } from './helpers/cli.ts';
import { PINGTAN, pingtanEntries } from './helpers/fixtures.ts';

const DOCIDS = ['80576', '97791', '105587', '80787'];
const URL_2024 = pingtanEntries().find((e) => e.docid === '97791')!.url;
const URL_2019 = pingtanEntries().find((e) => e.docid === '80576')!.url;
let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-'));
  db = join(dir, 'a.db');
  const archive = openArchive(db);
  const unit = { name: '平潭综合实验区', province: '福建省', city: '平潭综合实验区', level: 'city' };
  for (const [night, at] of [[1, '2026-03-20T02:00:00Z'], [2, '2026-03-21T02:00:00Z']] as const) {
    for (const e of pingtanEntries().filter((x) => DOCIDS.includes(x.docid))) {
      let body: Buffer | null = readFileSync(join(PINGTAN, e.path));
      // night two: 2024's 本年新收 总计 218 (typed from the page) becomes 219; 2025's page is deleted
      if (night === 2 && e.docid === '97791') body = Buffer.from(body.toString('utf8').replace('<p style="text-indent: 0em;">218</p>', '<p style="text-indent: 0em;">219</p>'));
      if (night === 2 && e.docid === '105587') body = null;
      ingestFetch(archive, { url: e.url, requestedAt: at, status: body ? 200 : 404, headers: { 'content-type': 'text/html' }, body, elapsedMs: 1, unit });
    }
  }
  archive.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]): Promise<CliRun> => runCli([...args, '--db', db]);

describe('nianbao archive commands', () => {
  it('search finds a word in every report that has it (a deleted one too, marked removed) and filters by year', async () => {
    // 依申请 is in all four pages; 80787 is a letter, not a report, so three reports match
    const all = await cli('search', '依申请', '--json');
    expect(all.code).toBe(0);
    const hits = (JSON.parse(all.stdout) as Array<{ year: number; status: string }>).sort((a, b) => a.year - b.year);
    expect(hits.map((h) => `${h.year}:${h.status}`)).toEqual(['2019:live', '2024:live', '2025:removed']);
    const only = JSON.parse((await cli('search', '依申请', '--year', '2019', '--json')).stdout) as Array<{ url: string }>;
    expect(only.map((h) => h.url)).toEqual([URL_2019]);
  });

  it('show prints the tables, and the history with the cell diff', async () => {
    const r = await cli('show', URL_2024);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('平潭综合实验区2024年度政府信息公开工作年度报告');
    expect(r.stdout).toContain('applications.new_received.total: 218 → 219');
    const json = JSON.parse((await cli('show', URL_2024, '--json')).stdout);
    expect(json.report.tables.applications['new_received.total']).toBe(219);
    expect(json.versions).toHaveLength(2);
  });

  it('changes lists exactly the edit and the deletion of night two', async () => {
    const r = JSON.parse((await cli('changes', '--since', '2026-03-21', '--json')).stdout) as Array<{ kind: string; year: number }>;
    expect(r.map((c) => `${c.kind}:${c.year}`).sort()).toEqual(['numbers_changed:2024', 'removed:2025']);
    const removed = await cli('changes', '--kind', 'removed');
    expect(removed.stdout).toContain('平潭综合实验区2025年度政府信息公开工作年度报告');
    expect((await cli('changes', '--kind', 'bogus')).code).toBe(1);
  });

  it('export writes the applications_wide view as CSV with the page numbers', async () => {
    const r = await cli('export', '--format', 'csv', '--view', 'applications_wide');
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trim().split('\n');
    const cols = header.split(',');
    const row2019 = rows.map((l) => l.split(',')).find((c) => c[cols.indexOf('year')] === '2019')!;
    // 80576 expected.json: 本年新收 23, 予以公开 7, 部分公开 1
    expect(row2019[cols.indexOf('new_received_total')]).toBe('23');
    expect(row2019[cols.indexOf('granted_total')]).toBe('7');
    expect(row2019[cols.indexOf('partial_total')]).toBe('1');
    const nd = (await cli('export', '--format', 'ndjson', '--view', 'failed_checks')).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(nd.every((c) => c.year === 2024)).toBe(true);
  });

  it('query runs SELECTs and refuses writes', async () => {
    const r = await cli('query', 'SELECT count(*) AS n FROM documents', '--json');
    expect(JSON.parse(r.stdout)).toEqual([{ n: 4 }]);
    const w = await cli('query', 'DELETE FROM documents');
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/read-only/);
  });

  it('a missing archive is a clear error, not a new empty file', async () => {
    const r = await runCli(['search', '民政', '--db', join(dir, 'nope.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no archive at/);
  });
});
