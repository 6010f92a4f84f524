import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePage } from '/work/main/parsers/index.ts';
import { PINGTAN, SEEDS, APPLICATION_COLUMNS, flattenApplications, num, pingtanEntries, pingtanExpected, reviewObject, seedExpected, seedFiles } from '/work/main/test/helpers/fixtures.ts';
const only = process.argv[2];
function cmp(name: string, got: Record<string, unknown>, want: Record<string, unknown>) {
  for (const [k, v] of Object.entries(want)) if (got[k] !== v) console.log(`  ${name} ${k}: want ${v} got ${got[k]}`);
}
function run(label: string, r: any, exp: any) {
  if (only && !label.includes(only)) return;
  console.log('==', label, r.template, 'warnings:', r.warnings.map((w: any) => w.code + ':' + w.detail.slice(0, 160)).join(' | '));
  console.log('  failed checks:', r.checks.filter((c: any) => !c.ok).map((c: any) => c.rule + ' ' + c.detail).join(' | '));
  for (const k of ['title','agency','year','publish_date','template','written_date','index_no','issuer']) if (k in exp && exp[k] !== r[k]) console.log(`  ${k}: want ${exp[k]} got ${r[k]}`);
  if (exp.active) cmp('active', r.tables.active, Object.fromEntries(Object.entries(exp.active).map(([k, v]) => [k, num(v)])));
  if (exp.applications) {
    const want = flattenApplications(exp.applications);
    
    cmp('apps', r.tables.applications, want);
  }
  if (exp.review_litigation) cmp('review', r.tables.review_litigation, reviewObject(exp.review_litigation));
}
for (const e of pingtanEntries()) run(e.docid, parsePage({ body: readFileSync(join(PINGTAN, e.path)), url: e.url }), pingtanExpected(e));
for (const f of seedFiles()) run(f, parsePage({ body: readFileSync(join(SEEDS, f)) }, 'text'), seedExpected(f));
