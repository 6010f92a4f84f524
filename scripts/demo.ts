/**
 * `npm run demo`: the main job, offline. Until the crawler and archive land, it parses every bundled real
 * report (../shared) and prints one line each with its template, numbers found, failed checks and warnings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAnnualReport, parsePage } from '../parsers/index.ts';
import { PINGTAN_DIR, SEEDS_DIR, pingtanPages, seedTexts } from './bench/corpus.ts';

const inputs = [
  ...pingtanPages().map((p) => ({ name: `pingtan/${p.docid}`, body: readFileSync(join(PINGTAN_DIR, p.path)), url: p.url, form: 'html' as const })),
  ...seedTexts().map((f) => ({ name: `seed/${f.slice(0, 3)}`, body: readFileSync(join(SEEDS_DIR, f)), url: null, form: 'text' as const })),
];
let reports = 0;
for (const i of inputs) {
  const r = parsePage({ body: i.body, url: i.url }, i.form);
  const cells = Object.values(r.tables).reduce((n, t) => n + Object.keys(t).length, 0);
  const failed = r.checks.filter((c) => !c.ok);
  if (isAnnualReport(r)) reports++;
  const tag = isAnnualReport(r) ? r.template.padEnd(7) : 'NOT-RPT';
  console.log(`${i.name.padEnd(16)} ${tag} ${String(r.year ?? '----')}  ${String(cells).padStart(3)} cells  ${String(failed.length).padStart(2)} failed  ${String(r.warnings.length).padStart(2)} warn  ${r.agency ?? ''}  ${r.title ?? ''}`);
  for (const c of failed) console.log(`${' '.repeat(18)}✗ ${c.rule}: ${c.detail}`);
}
console.log(`\n${inputs.length} documents, ${reports} annual reports. Try: npx nianbao parse ../shared/fixtures/portals/pingtan/202503/*/page.html`);
