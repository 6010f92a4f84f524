/** The six numbered sections of a report, found from their headings (一、 … 六、) in the block stream. */
import type { Block } from './blocks.ts';
import type { SectionKey } from './types.ts';
import { fold } from './normalize.ts';

const NUMERALS = '一二三四五六七八九十';
const HEADING = /^([一二三四五六七八九十]{1,2})\s*[、.．,，]\s*(.+)$/;

function numeral(s: string): number {
  if (s === '十') return 10;
  if (s.length === 2 && s[0] === '十') return 10 + NUMERALS.indexOf(s[1]) + 1;
  return NUMERALS.indexOf(s) + 1;
}

const SECTION_WORDS: Array<[RegExp, SectionKey]> = [
  [/复议|诉讼/, 'review_litigation'],
  [/依申请|收到和处理|申请情况|申请公开/, 'applications'],
  [/主动公开/, 'active'],
  [/问题|不足|改进/, 'problems'],
  [/其他需要报告|其他事项|其他/, 'other'],
  [/总体|概述|概况|基本情况|总述/, 'overview'],
];

export function sectionKeyOf(heading: string): SectionKey | null {
  for (const [re, key] of SECTION_WORDS) if (re.test(heading)) return key;
  return null;
}

export interface SectionSpan {
  number: number;
  heading: string;
  key: SectionKey | null;
  /** index of the heading block; the section runs to the next heading */
  start: number;
  end: number;
}

/** A top-level heading: "二、主动公开政府信息情况", short, numbered one past the previous heading. */
const STARTS_NUMBERED = /^[\s\u3000]*[一二三四五六七八九十]/;

function headingOf(text: string, expected: number): { number: number; title: string } | null {
  if (!STARTS_NUMBERED.test(text)) return null;
  const t = fold(text.length > 200 ? text.slice(0, 200) : text).trim();
  const m = t.match(HEADING);
  if (!m) return null;
  const number = numeral(m[1]);
  if (number < 1 || number > expected + 1 || number < expected) return null;
  const title = m[2].split(/[。；;]/)[0];
  if (title.length > 40 || (t.length > 60 && !/情况|概述|事项|问题/.test(title))) return null;
  return { number, title };
}

export function findSections(blocks: Block[]): SectionSpan[] {
  const spans: SectionSpan[] = [];
  let expected = 1;
  blocks.forEach((b, i) => {
    if (b.kind !== 'para') return;
    const h = headingOf(b.text, expected);
    if (!h) return;
    if (spans.length) spans[spans.length - 1].end = i;
    const heading = `${NUMERALS[h.number - 1] ?? h.number}、${h.title.replace(/\s+/g, '')}`;
    spans.push({ number: h.number, heading, key: sectionKeyOf(h.title), start: i, end: blocks.length });
    expected = h.number + 1;
  });
  const first = spans[0];
  if (first && first.number === 1 && !first.key && !spans.some((s) => s.key === 'overview')) first.key = 'overview';
  return spans;
}

/** Which section each block falls in (null before the first heading). */
export function sectionOfBlocks(blocks: Block[], spans: SectionSpan[]): Array<SectionKey | null> {
  const out: Array<SectionKey | null> = blocks.map(() => null);
  for (const s of spans) for (let i = s.start; i < s.end; i++) out[i] = s.key;
  return out;
}

export function sectionTexts(blocks: Block[], spans: SectionSpan[]): Partial<Record<SectionKey, string>> {
  const out: Partial<Record<SectionKey, string>> = {};
  for (const s of spans) {
    if (!s.key || out[s.key] !== undefined) continue;
    const paras: string[] = [];
    for (let i = s.start + 1; i < s.end; i++) {
      const b = blocks[i];
      if (b.kind === 'para') paras.push(b.text);
    }
    out[s.key] = paras.join('\n');
  }
  return out;
}
