/** The human-readable form of a parsed report: metadata, the three tables aligned, checks and warnings. */
import type { CanonicalReport, CellValue } from '../../parsers/index.ts';

const APP_COLUMNS = ['natural_person', 'commercial', 'research', 'social', 'legal', 'other', 'total'];
const APP_HEAD = ['自然人', '商业企业', '科研机构', '社会公益', '法律服务', '其他', '总计'];

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;
const show = (v: CellValue | undefined) => (v === undefined ? '' : v === null ? '·' : String(v));

export function renderSummary(r: CanonicalReport, color: boolean): string {
  const red = (s: string) => (color ? `\x1b[31m${s}\x1b[0m` : s);
  const yellow = (s: string) => (color ? `\x1b[33m${s}\x1b[0m` : s);
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
  const lines: string[] = [];
  lines.push(bold(r.title ?? '(no title)'));
  const meta: Array<[string, string | number | null]> = [
    ['agency', r.agency], ['year', r.year], ['template', r.template], ['published', r.publish_date],
    ['written', r.written_date], ['索引号', r.index_no], ['issuer', r.issuer], ['文号', r.doc_no],
    ['source', r.content_source], ['site', r.site.name], ['url', r.url],
  ];
  for (const [k, v] of meta) if (v !== null && v !== undefined) lines.push(`  ${padEnd(k, 10)} ${v}`);
  if (r.section_headings.length) lines.push(`  sections   ${r.section_headings.join(' / ')}`);

  const active = Object.entries(r.tables.active);
  if (active.length) {
    lines.push('', bold('二、主动公开 (active)'));
    const w = Math.max(...active.map(([k]) => k.length));
    for (const [k, v] of active) lines.push(`  ${k.padEnd(w)}  ${padStart(show(v), 12)}`);
  }
  const apps = r.tables.applications;
  const rows = [...new Set(Object.keys(apps).map((k) => k.split('.')[0]))];
  if (rows.length) {
    lines.push('', bold('三、申请 (applications)'), `  ${' '.repeat(28)}${APP_HEAD.map((h) => padStart(h, 9)).join('')}`);
    for (const row of rows) lines.push(`  ${row.padEnd(28)}${APP_COLUMNS.map((c) => padStart(show(apps[`${row}.${c}`]), 9)).join('')}`);
  }
  const review = Object.entries(r.tables.review_litigation);
  if (review.length) {
    lines.push('', bold('四、复议诉讼 (review_litigation)'));
    for (const group of ['review', 'suit_direct', 'suit_after_review']) {
      lines.push(`  ${group.padEnd(18)} ${['upheld', 'corrected', 'other', 'pending', 'total'].map((p) => padStart(show(r.tables.review_litigation[`${group}_${p}`]), 7)).join('')}`);
    }
  }
  const failed = r.checks.filter((c) => !c.ok);
  lines.push('', bold(`checks: ${r.checks.length - failed.length} ok, ${failed.length} failed`));
  for (const c of failed) lines.push(red(`  ✗ ${c.rule}: ${c.detail}`));
  if (r.warnings.length) {
    lines.push('', bold(`warnings: ${r.warnings.length}`));
    for (const w of r.warnings) lines.push(yellow(`  ! ${w.code} [${w.section}] ${w.detail}`));
  }
  if (r.attachments.length) {
    lines.push('', bold('attachments'));
    for (const a of r.attachments) lines.push(`  ${a.type.padEnd(5)} ${a.url}${a.title ? `  ${a.title}` : ''}`);
  }
  return lines.join('\n') + '\n';
}
