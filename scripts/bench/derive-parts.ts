/**
 * The storage part of a version's worker-side work, per stage, on pages parsed once beforehand (the parse
 * itself is not measured): normalised lines, content hashes, cells + values hash, search tokens, the
 * report row's fields, brotli. CPU per version (process.cpuUsage, one thread), least over the rounds.
 *
 *   npx tsx scripts/bench/derive-parts.ts [pages=400] [rounds=5] [golden.json]
 *
 * With a file name, writes what each stage produced (hashes of it) there, or compares with it when it
 * exists: a faster stage must produce the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAnnualReport } from '../../parsers/index.ts';
import { parseFetchedDetailed } from '../../parsers/fetched.ts';
import { compress } from '../../storage/blobs.ts';
import { contentHashes, normaliseContent, reportCells, valuesHash } from '../../storage/normalise.ts';
import { searchTokens } from '../../storage/ngrams.ts';
import { reportFields } from '../../storage/reports.ts';
import { Corpus } from './archive-corpus.ts';

const pages = Number(process.argv[2] ?? 400);
const rounds = Number(process.argv[3] ?? 5);
const goldenFile = process.argv[4];

const corpus = new Corpus();
const items: { body: Buffer; title: string | null; agency: string | null; text: string; report: ReturnType<typeof parseFetchedDetailed>['report'] }[] = [];
const seen = new Set<string>();
while (items.length < pages) {
  const f = corpus.next();
  if (f.status !== 200 || !f.body) continue;
  const body = Buffer.from(f.body);
  const h = createHash('sha256').update(body).digest('hex');
  if (seen.has(h)) continue;
  seen.add(h);
  const p = parseFetchedDetailed({ body, url: f.url, headers: f.headers ?? {} });
  if (!isAnnualReport(p.report)) continue;
  items.push({ body, title: p.report.title, agency: p.report.agency, text: p.contentText, report: p.report });
}

const cpu = (f: () => void) => {
  const t = process.cpuUsage();
  f();
  const c = process.cpuUsage(t);
  return (c.user + c.system) / 1000;
};
const stages: Record<string, (it: (typeof items)[number]) => unknown> = {
  'normaliseContent': (it) => normaliseContent(it.title, it.text),
  'contentHashes': (it) => contentHashes(normaliseContent(it.title, it.text)),
  'reportCells+valuesHash': (it) => valuesHash(reportCells(it.report)),
  'searchTokens': (it) => searchTokens(it.title, it.agency, it.text),
  'reportFields': (it) => reportFields(it.report, it.text),
  'compress': (it) => compress(it.body),
};
const out: Record<string, string> = {};
let total = 0;
for (const [name, f] of Object.entries(stages)) {
  const h = createHash('sha256');
  for (const it of items) {
    const v = f(it);
    h.update(typeof v === 'string' ? v : v instanceof Object && 'data' in v ? (v as { data: Buffer }).data : JSON.stringify(v));
  }
  out[name] = h.digest('hex');
  let best = Infinity;
  for (let r = 0; r < rounds; r++) best = Math.min(best, cpu(() => { for (const it of items) f(it); }));
  const ms = best / items.length;
  if (name !== 'normaliseContent') total += ms;
  console.log(`${name.padEnd(24)} ${ms.toFixed(3)} ms CPU per version`);
}
const bytes = items.reduce((a, it) => a + compress(it.body).data.length, 0);
console.log(`total (contentHashes includes normaliseContent) ${total.toFixed(3)} ms; compressed ${(bytes / items.length / 1024).toFixed(2)} KB of ${(items.reduce((a, it) => a + it.body.length, 0) / items.length / 1024).toFixed(1)} KB a page`);
if (goldenFile) {
  if (existsSync(goldenFile)) {
    const g = JSON.parse(readFileSync(goldenFile, 'utf8')) as Record<string, string>;
    for (const k of Object.keys(out)) console.log(`${k}: ${g[k] === out[k] ? 'same output' : 'DIFFERENT output'}`);
  } else writeFileSync(goldenFile, JSON.stringify(out, null, 1));
}
