/**
 * Report metadata. Precedence, per field, most trusted first:
 *   1. the page's 信息索引 block (索引号 / 发文机关 / 成文日期 … labels beside their values),
 *   2. the standard <meta> tags (ArticleTitle, PubDate, ContentSource, SiteName …),
 *   3. the page itself (the article header's 发布日期/时间/来源 line, the body's title line and
 *      closing date), and last the title (agency and year are read from it).
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { isElement, isText } from './dom.ts';
import type { Block } from './blocks.ts';
import { arabicDate, dateLine, findDate } from './dates.ts';
import { squash } from './normalize.ts';
import type { SiteInfo } from './types.ts';

export type IndexField = 'index_no' | 'issuer' | 'written_date' | 'publish_date' | 'doc_no' | 'title' | 'source';

const INDEX_LABELS: Array<[string[], IndexField]> = [
  [['索引号'], 'index_no'],
  [['发文机关', '发布机构', '发文机构', '发文单位', '发布单位', '公开主体'], 'issuer'],
  [['成文日期', '生成日期', '印发日期', '发文日期', '成文时间'], 'written_date'],
  [['发布日期', '发布时间', '公开日期', '公开时间'], 'publish_date'],
  [['发文字号', '文件编号', '文号'], 'doc_no'],
  [['标题', '文件名称', '名称'], 'title'],
  [['信息来源', '来源'], 'source'],
];
/** Any label of a 信息索引 block, including ones we do not keep (they end a value). */
const OTHER_LABELS = ['主题分类', '组配分类', '体裁分类', '分类', '有效性', '统一编号', '主题词', '公文种类', '联合发文单位', '实施日期', '废止日期', '浏览次数', '访问量', '字号', '时效'];

const spaced = (label: string) => label.split('').join('\\s*');
const ALL_LABELS = [...INDEX_LABELS.flatMap(([l]) => l), ...OTHER_LABELS].sort((a, b) => b.length - a.length);
const ANY_LABEL = new RegExp(`(?:${ALL_LABELS.map(spaced).join('|')})\\s*[:：]`);
const FIELD_RE: Array<[RegExp, IndexField]> = INDEX_LABELS.flatMap(([labels, field]) =>
  labels.map((l) => [new RegExp(`^[-*•·\\s]*${spaced(l)}\\s*[:：]?\\s*(.*)$`, 's'), field] as [RegExp, IndexField]),
);

/** Cut a value at the next label ("2020-08-14 发文字号：…") and drop placeholders. */
function cleanValue(v: string): string | null {
  const cut = v.split(ANY_LABEL)[0];
  const t = squash(cut).replace(/^[:：]\s*/, '');
  if (!t || t.length > 120 || /^[-—/无]+$/.test(t)) return null;
  return t;
}

export type IndexBlock = Partial<Record<IndexField, string>>;

const LABEL_AT = new RegExp(`(?:${ALL_LABELS.map(spaced).join('|')})\\s*[:：]`, 'g');

/** "索引号：X 发布日期：Y" → ["索引号：X", "发布日期：Y"] */
function segments(text: string): string[] {
  const starts = [...text.matchAll(LABEL_AT)].map((m) => m.index!);
  if (starts.length < 2) return [text];
  return starts.map((at, i) => text.slice(at, starts[i + 1] ?? text.length));
}

/** Read `label：value` pairs from short strings (element texts or lines), first one wins. */
export function readIndexPairs(entries: Array<{ text: string; next?: () => string | null }>): IndexBlock {
  const out: IndexBlock = {};
  for (const { text, next } of entries) {
    const whole = squash(text);
    if (!whole || whole.length > 160) continue;
    const parts = segments(whole);
    for (const t of parts) {
      for (const [re, field] of FIELD_RE) {
        const m = t.match(re);
        if (!m) continue;
        if (out[field] !== undefined) break;
        const follow = parts.length === 1 ? next : undefined;
        // "标题" must be a labelled pair, not a heading that happens to start with a label word
        const explicit = /^[-*•·\s]*[^:：]{1,12}[:：]/.test(t) || !!follow;
        if (!explicit) break;
        let value = cleanValue(m[1]);
        if (value === null && follow) {
          const n = follow();
          value = n === null ? null : cleanValue(n);
        }
        if (value !== null) out[field] = value;
        break;
      }
    }
  }
  return out;
}

const INDEX_ELEMENTS = new Set(['td', 'th', 'li', 'dt', 'dd', 'span', 'p', 'b', 'strong', 'label', 'em', 'font', 'div']);
const MAX_PAIR_TEXT = 160;
const HAS_LABEL = new RegExp(ALL_LABELS.map(spaced).join('|'));

/**
 * Text of a node, or null as soon as it exceeds `limit` characters or visits more than `4 × limit`
 * nodes (big containers cost nothing — also deep empty markup such as 20,000 nested <span>s).
 */
function boundedText(node: AnyNode, limit: number): string | null {
  let out = '';
  let visited = 0;
  const stack: AnyNode[] = [node];
  while (stack.length) {
    if (++visited > limit * 4) return null;
    const n = stack.pop()!;
    if (isText(n)) {
      out += n.data;
      if (out.length > limit) return null;
    } else if (isElement(n) && n.name !== 'script' && n.name !== 'style') {
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
  }
  return out;
}

function nextElement(node: AnyNode): Element | null {
  let n = node.next;
  while (n && !isElement(n)) n = n.next;
  return n as Element | null;
}

/** The 信息索引 block of an HTML page, wherever the CMS puts it: one walk over the elements. */
export function htmlIndexBlock($: CheerioAPI): IndexBlock {
  const entries: Array<{ text: string; next?: () => string | null }> = [];
  const stack: AnyNode[] = [$.root().get(0)!];
  while (stack.length) {
    const n = stack.pop()!;
    const kids = (n as { children?: AnyNode[] }).children;
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    if (!isElement(n) || !INDEX_ELEMENTS.has(n.name)) continue;
    const text = boundedText(n, MAX_PAIR_TEXT);
    if (text === null || !HAS_LABEL.test(text)) continue;
    entries.push({
      text,
      next: () => {
        // the value sits in the following sibling (<td>键：</td><td>值</td>), or after the label's parent
        let cur: AnyNode | null = n;
        for (let up = 0; up < 3 && cur; up++) {
          const sib = nextElement(cur);
          if (sib) return boundedText(sib, MAX_PAIR_TEXT * 2);
          cur = cur.parent;
        }
        return null;
      },
    });
  }
  return readIndexPairs(entries);
}

export function siteInfo(meta: Record<string, string>): SiteInfo {
  return {
    name: meta.sitename ?? null,
    domain: meta.sitedomain ?? null,
    id_code: meta.siteidcode ?? null,
    column: meta.columnname ? meta.columnname.replace(/[,，]$/, '') : null,
  };
}

/** The article header's "发布日期：2025-03-10 15:35" / "时间：…" / "来源：…" outside the body. */
export function headerLine(text: string): { date: string | null; source: string | null } {
  const t = squash(text);
  const dm = t.match(/(?:发布日期|发布时间|发文日期|日期|时间)\s*[:：]\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})/);
  const sm = t.match(/(?:信息来源|来源)\s*[:：]\s*([^\s:：|]{2,40})/);
  return { date: dm ? findDate(dm[1]) : null, source: sm ? sm[1] : null };
}

// ---- title, agency, year ------------------------------------------------------------------

const REPORT_TITLE = /信息公开.{0,8}(?:年度报告|年报|工作报告)|年度.{0,6}信息公开.{0,6}报告|信息公开年度报告/;

/** Pages about a report that are not it: 关于…的通知/函, and the 解读 / 图解 a column lists beside the report. */
const ABOUT_A_REPORT = /^关于|的(?:函|通知|批复|意见)$|^(?:图解|解读|一图读懂)|(?:政策)?解读$/;

/** A report's title names the report and its year; a column name ("政府信息公开年报") does not. */
export function titleLooksLikeReport(title: string | null): boolean {
  return !!title && REPORT_TITLE.test(title) && yearFromTitle(title) !== null && !ABOUT_A_REPORT.test(title);
}

/** Short body lines that read as report titles ("晋江市民政局2023年政府信息公开工作年度报告"), distinct. */
export function reportTitleLines(blocks: Block[], limit = 200): string[] {
  const out = new Set<string>();
  for (const b of blocks.slice(0, limit)) {
    if (b.kind !== 'para') continue;
    const t = b.text.replace(/\s+/g, '').replace(/^[-*•·]*(?:标题[:：])?/, '');
    if (t.length <= 60 && titleLooksLikeReport(t)) out.add(t);
  }
  return [...out];
}

/** The body's title line — unless the body lists several reports, as a column page does. */
export function titleFromBlocks(blocks: Block[]): string | null {
  const titles = reportTitleLines(blocks, 40);
  return titles.length >= 1 && titles.length < LIST_MIN_TITLES ? titles[0] : null;
}

/** A page with this many different report titles in its body is a list of reports, not one. */
export const LIST_MIN_TITLES = 3;

const ORGAN = /(?:局|委员会|委|办公室|办|厅|院|府|部|署|中心|室|馆|会|所|站|队|处|公司|集团|行|社|校|学|宫|台|团|组|司|庭)$/;

/** Agency from a title: the name before the year, when it names an organ rather than a place. */
export function agencyFromTitle(
  title: string | null,
  candidates: Array<string | null | undefined>,
): string | null {
  if (!title) return null;
  const m = title.replace(/\s+/g, '').match(/^(.*?)(?:关于)?\d{4}\s*年/);
  const prefix = m?.[1]?.replace(/^关于/, '') ?? '';
  if (!prefix) return null;
  if (ORGAN.test(prefix)) return prefix;
  // a bare place ("平潭综合实验区"): the organ whose name extends it — the site's owner, the issuer …
  for (const c of candidates) if (c && c !== prefix && c.startsWith(prefix) && ORGAN.test(c)) return c;
  return prefix;
}

/** Report year from the title ("2019年度…报告"), else from the body's own statements. */
export function yearFromTitle(title: string | null): number | null {
  if (!title) return null;
  // "二〇二三年度…报告" reads as 2023
  const m = arabicDate(title.normalize('NFKC')).match(/((?:19|20)\d{2})\s*年/);
  return m ? Number(m[1]) : null;
}

export function yearFromText(text: string): number | null {
  const t = text.normalize('NFKC');
  const explicit =
    t.match(/统计期限为\s*((?:19|20)\d{2})\s*年/) ??
    t.match(/((?:19|20)\d{2})\s*年度?(?:政府)?信息公开(?:工作)?(?:年度)?报告/) ??
    t.match(/((?:19|20)\d{2})\s*年度?(?:政府信息公开|政务公开)工作/);
  if (explicit) return Number(explicit[1]);
  const counts = new Map<number, number>();
  for (const m of t.matchAll(/((?:19|20)\d{2})\s*年/g)) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  let best: number | null = null;
  let bestN = 0;
  for (const [y, n] of counts) if (n > bestN) [best, bestN] = [y, n];
  return best;
}

/** The closing date under the signature, in the last few paragraphs. */
export function signingDate(blocks: Block[]): string | null {
  const paras = blocks.filter((b) => b.kind === 'para').slice(-8);
  for (let i = paras.length - 1; i >= 0; i--) {
    const p = paras[i];
    if (p.kind === 'para' && p.text.length <= 24) {
      const d = dateLine(p.text);
      if (d) return d;
    }
  }
  return null;
}
