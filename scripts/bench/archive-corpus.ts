/**
 * A varied stream of fetches for the archive benchmark, made from the real pages (20 Pingtan HTML pages,
 * 5 seed texts): what a national crawl's archive sees over many nights.
 *
 * Every document is one real page re-issued as another agency's report: another URL and site, the agency
 * name replaced wherever the page prints it, another year in its title, and its table numbers scaled.
 * Later versions of a document edit a few numbers, add a paragraph, or retitle it. Between them the
 * stream re-fetches unchanged pages (identical bytes, or bytes differing only in page chrome), gets 304s,
 * 404s (and pages coming back), server errors and timeouts.
 *
 * Deterministic (seeded), and cheap: a page is a fixed list of literal byte pieces and slots.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePageDetailed } from '../../parsers/index.ts';
import type { FetchInput, UnitInfo } from '../../storage/index.ts';
import { PINGTAN_DIR, SEEDS_DIR, pingtanPages, seedTexts } from './corpus.ts';

/** mulberry32: a small seeded PRNG (the corpus is the same on every run). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A cheap deterministic hash of small integers → [0, 1). */
function h01(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h = Math.imul(h ^ (x & 0xffff), 0x01000193);
    h = Math.imul(h ^ (x >>> 16), 0x01000193);
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

// --- agencies: real province/city names × common departments --------------------------------------------
const PLACES: Array<[province: string, city: string, counties: string[]]> = [
  ['北京市', '北京市', ['朝阳区', '海淀区', '丰台区', '通州区']],
  ['天津市', '天津市', ['和平区', '河西区', '滨海新区']],
  ['河北省', '石家庄市', ['长安区', '桥西区', '正定县']],
  ['河北省', '保定市', ['竞秀区', '涿州市', '定州市']],
  ['山西省', '太原市', ['小店区', '迎泽区', '清徐县']],
  ['内蒙古自治区', '包头市', ['昆都仑区', '青山区']],
  ['辽宁省', '沈阳市', ['和平区', '沈河区', '浑南区']],
  ['辽宁省', '大连市', ['中山区', '甘井子区', '金州区']],
  ['吉林省', '长春市', ['朝阳区', '南关区', '宽城区']],
  ['黑龙江省', '哈尔滨市', ['道里区', '南岗区', '香坊区']],
  ['上海市', '上海市', ['浦东新区', '黄浦区', '徐汇区', '闵行区']],
  ['江苏省', '南京市', ['玄武区', '秦淮区', '江宁区']],
  ['江苏省', '苏州市', ['姑苏区', '昆山市', '常熟市', '吴江区']],
  ['浙江省', '杭州市', ['上城区', '西湖区', '余杭区', '萧山区']],
  ['浙江省', '舟山市', ['定海区', '普陀区', '岱山县']],
  ['浙江省', '宁波市', ['海曙区', '鄞州区', '慈溪市']],
  ['安徽省', '合肥市', ['蜀山区', '包河区', '肥西县']],
  ['福建省', '福州市', ['鼓楼区', '仓山区', '平潭县', '闽侯县']],
  ['福建省', '泉州市', ['鲤城区', '晋江市', '石狮市', '南安市']],
  ['江西省', '南昌市', ['东湖区', '西湖区', '南昌县']],
  ['山东省', '济南市', ['历下区', '市中区', '章丘区']],
  ['山东省', '青岛市', ['市南区', '黄岛区', '即墨区']],
  ['河南省', '郑州市', ['金水区', '中原区', '新郑市']],
  ['湖北省', '武汉市', ['江岸区', '武昌区', '洪山区']],
  ['湖南省', '长沙市', ['芙蓉区', '岳麓区', '浏阳市']],
  ['广东省', '广州市', ['越秀区', '天河区', '番禺区', '白云区']],
  ['广东省', '深圳市', ['福田区', '南山区', '宝安区', '龙岗区']],
  ['广西壮族自治区', '南宁市', ['青秀区', '兴宁区', '武鸣区']],
  ['海南省', '海口市', ['龙华区', '美兰区']],
  ['重庆市', '重庆市', ['渝中区', '江北区', '万州区', '涪陵区']],
  ['四川省', '成都市', ['锦江区', '青羊区', '武侯区', '郫都区']],
  ['贵州省', '贵阳市', ['南明区', '云岩区', '花溪区']],
  ['云南省', '昆明市', ['五华区', '盘龙区', '官渡区']],
  ['陕西省', '西安市', ['新城区', '碑林区', '雁塔区', '临潼区']],
  ['甘肃省', '天水市', ['秦州区', '麦积区', '甘谷县']],
  ['甘肃省', '兰州市', ['城关区', '七里河区']],
  ['青海省', '西宁市', ['城东区', '城中区']],
  ['宁夏回族自治区', '银川市', ['兴庆区', '金凤区']],
  ['新疆维吾尔自治区', '乌鲁木齐市', ['天山区', '沙依巴克区']],
];
const DEPARTMENTS = [
  '人民政府', '人民政府办公室', '民政局', '教育局', '财政局', '人力资源和社会保障局', '自然资源局', '生态环境局',
  '住房和城乡建设局', '交通运输局', '水利局', '农业农村局', '商务局', '文化和旅游局', '卫生健康委员会', '应急管理局',
  '审计局', '市场监督管理局', '统计局', '医疗保障局', '公安局', '司法局', '发展和改革委员会', '林业局',
];

export interface Agency {
  name: string;
  site: string;
  unit: UnitInfo;
}

function agencyOf(n: number): Agency {
  const [province, city, counties] = PLACES[n % PLACES.length];
  const k = Math.floor(n / PLACES.length);
  const dept = DEPARTMENTS[k % DEPARTMENTS.length];
  const c = Math.floor(k / DEPARTMENTS.length) % (counties.length + 1);
  const county = c === 0 ? null : counties[c - 1];
  const place = county ?? city;
  const level = dept === '人民政府' ? (county ? 'county' : 'city') : 'department';
  return {
    name: place + dept,
    site: `www.p${n % PLACES.length}c${c}.gov.cn`,
    unit: { name: place + dept, province, city, county, level },
  };
}

/** How many distinct agencies the corpus draws from. */
export const AGENCY_COUNT = PLACES.reduce((n, [, , cs]) => n + DEPARTMENTS.length * (cs.length + 1), 0);

// --- page templates --------------------------------------------------------------------------------------
type Slot =
  | { kind: 'title' }
  | { kind: 'place' }
  | { kind: 'num'; i: number; value: number }
  | { kind: 'para' }
  | { kind: 'noise' };

interface Template {
  name: string;
  html: boolean;
  contentType: string;
  year: number | null;
  /** literal pieces (bytes) and slots, in page order */
  pieces: Array<Buffer | Slot>;
  nums: number;
  /** whether the page printed its own title (else the template adds a title line) */
  titled: boolean;
}

function findAll(s: string, needle: string): number[] {
  const out: number[] = [];
  if (!needle) return out;
  for (let i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length)) out.push(i);
  return out;
}

function makeTemplate(name: string, body: Buffer, url: string | null, contentType: string, places: string[]): Template {
  const html = contentType.startsWith('text/html');
  const s = body.toString('utf8');
  const { report } = parsePageDetailed({ body, url, headers: { 'content-type': contentType } });
  const title = report.title;
  const marks: Array<{ at: number; len: number; slot: Slot }> = [];
  const taken = (at: number, len: number) => marks.some((m) => at < m.at + m.len && m.at < at + len);
  const add = (at: number, len: number, slot: Slot) => {
    if (!taken(at, len)) marks.push({ at, len, slot });
  };
  if (title) for (const at of findAll(s, title)) add(at, title.length, { kind: 'title' });
  // a text without a title line gets one (the agency's own report title)
  else if (!html) add(0, 0, { kind: 'title' });
  for (const p of places) for (const at of findAll(s, p)) add(at, p.length, { kind: 'place' });
  // table numbers: a cell holding only digits
  let nums = 0;
  if (html) {
    const from = s.indexOf('<table');
    const to = s.lastIndexOf('</table>');
    if (from >= 0 && to > from) {
      for (const m of s.slice(from, to).matchAll(/>(\d{1,6})</g)) add(from + m.index + 1, m[1].length, { kind: 'num', i: nums++, value: Number(m[1]) });
    }
  } else {
    // " | " cells, and tab-per-line cells
    for (const m of s.matchAll(/(?<=\| *|^\t)(\d{1,6})(?= *(?:\||$))/gm)) add(m.index, m[1].length, { kind: 'num', i: nums++, value: Number(m[1]) });
  }
  // where an edit adds a paragraph: after the first paragraph of 一、总体情况
  const overview = s.indexOf('总体情况');
  if (overview >= 0) {
    const at = html ? s.indexOf('</p>', s.indexOf('</p>', overview) + 4) : s.indexOf('\n', s.indexOf('\n', overview) + 1);
    if (at > 0) add(html ? at + 4 : at + 1, 0, { kind: 'para' });
  }
  // page chrome that differs per fetch (a visit counter outside the content)
  if (html) {
    const end = s.lastIndexOf('</body>');
    if (end > 0) add(end, 0, { kind: 'noise' });
  }
  marks.sort((a, b) => a.at - b.at);
  const pieces: Array<Buffer | Slot> = [];
  let pos = 0;
  for (const m of marks) {
    pieces.push(Buffer.from(s.slice(pos, m.at), 'utf8'), m.slot);
    pos = m.at + m.len;
  }
  pieces.push(Buffer.from(s.slice(pos), 'utf8'));
  return { name, html, contentType, year: report.year, pieces, nums, titled: html || title !== null };
}

const SEED_PLACES: Record<string, string[]> = {
  '000': ['定海区民政局'],
  '001': ['天水市民政局'],
  '002': ['江苏省民政厅'],
  '003': ['定海区政务服务办', '区政务服务办'],
  '004': ['晋江市民政局'],
};

export function templates(): Template[] {
  const out: Template[] = [];
  for (const p of pingtanPages()) {
    const body = readFileSync(join(PINGTAN_DIR, p.path));
    out.push(makeTemplate(p.docid, body, p.url, 'text/html; charset=utf-8', ['平潭综合实验区管委会', '平潭综合实验区', '平潭县人民政府', '平潭县']));
  }
  for (const f of seedTexts()) {
    out.push(makeTemplate(f, readFileSync(join(SEEDS_DIR, f)), null, 'text/plain; charset=utf-8', SEED_PLACES[f.slice(0, 3)] ?? []));
  }
  return out;
}

// --- documents and their versions ------------------------------------------------------------------------
type Edit = 'numbers' | 'paragraph' | 'both' | 'retitle';

interface Doc {
  id: number;
  template: number;
  agency: number;
  year: number;
  url: string;
  edits: Edit[];
  /** counter shown in the page chrome (changes without changing the report) */
  views: number;
  removed: boolean;
}

const SENTENCES = [
  '全年通过政府网站主动公开政府信息{n}条，其中政策文件{m}件。',
  '本单位进一步完善依申请公开办理流程，共受理申请{n}件，均在法定期限内答复。',
  '组织开展政务公开专题培训{m}次，参训人员{n}人次。',
  '更新完善政府信息公开指南和目录，新增主动公开事项{m}项。',
  '加强政策解读，发布图文解读{m}篇、视频解读{n}期。',
];

function paragraph(doc: Doc, e: number, html: boolean): string {
  const t = SENTENCES[Math.floor(h01(doc.id, e, 7) * SENTENCES.length)]
    .replace('{n}', String(10 + Math.floor(h01(doc.id, e, 8) * 990)))
    .replace('{m}', String(1 + Math.floor(h01(doc.id, e, 9) * 60)));
  return html ? `<p style="text-indent: 2em;">（补充说明）${t}</p>` : `（补充说明）${t}\n`;
}

function numberAt(doc: Doc, slot: { i: number; value: number }, nums: number): number {
  // the agency's own numbers: the page's scaled
  const r = h01(doc.id, slot.i, 1);
  let v = slot.value === 0 ? (r < 0.8 ? 0 : Math.floor(r * 20)) : Math.round(slot.value * (0.4 + 1.2 * r));
  // each numbers edit corrects one to three cells
  doc.edits.forEach((e, k) => {
    if (e !== 'numbers' && e !== 'both') return;
    for (let t = 0; t < 3; t++) if (Math.floor(h01(doc.id, k, t, 2) * nums) === slot.i) v += 1 + Math.floor(h01(doc.id, k, t, 4) * 5);
  });
  return v;
}

export class Corpus {
  readonly templates = templates();
  private readonly docs: Doc[] = [];
  private readonly live: number[] = [];
  private readonly removed = new Set<number>();
  private readonly random: () => number;
  private clock = Date.parse('2025-01-01T00:00:00Z');

  constructor(seed = 20250101) {
    this.random = rng(seed);
  }

  get documents(): number {
    return this.docs.length;
  }

  body(doc: Doc, withNoise: boolean): Buffer {
    const t = this.templates[doc.template];
    const a = agencyOf(doc.agency);
    const retitled = doc.edits.filter((e) => e === 'retitle').length;
    const year = doc.year + retitled; // a retitle: the report was re-issued under its real year
    const title = `${a.name}${year}年政府信息公开工作年度报告`;
    const parts: Buffer[] = [];
    for (const p of t.pieces) {
      if (Buffer.isBuffer(p)) {
        parts.push(p);
        continue;
      }
      let text = '';
      if (p.kind === 'title') text = t.titled ? title : `${title}\n`;
      else if (p.kind === 'place') text = a.name;
      else if (p.kind === 'num') text = String(numberAt(doc, p, t.nums));
      else if (p.kind === 'para') doc.edits.forEach((e, k) => (e === 'paragraph' || e === 'both') && (text += paragraph(doc, k, t.html)));
      else if (p.kind === 'noise' && withNoise) text = `<div class="visits">访问量：${doc.views}</div>`;
      if (text) parts.push(Buffer.from(text, 'utf8'));
    }
    return Buffer.concat(parts);
  }

  private fetch(doc: Doc, over: Partial<FetchInput>, withNoise = false): FetchInput {
    this.clock += 1000 + Math.floor(this.random() * 4000);
    const t = this.templates[doc.template];
    const a = agencyOf(doc.agency);
    return {
      url: doc.url, site: a.site, requestedAt: this.clock, status: 200,
      headers: { 'content-type': t.contentType, 'last-modified': new Date(this.clock - 86_400_000).toUTCString() },
      body: over.status === undefined || over.status === 200 ? this.body(doc, withNoise) : null,
      elapsedMs: 50 + Math.floor(this.random() * 400), unit: a.unit, ...over,
    };
  }

  private pick(): Doc {
    return this.docs[this.live[Math.floor(this.random() * this.live.length)]];
  }

  private newDoc(): Doc {
    const id = this.docs.length;
    const template = Math.floor(this.random() * this.templates.length);
    const agency = Math.floor(this.random() * AGENCY_COUNT);
    const t = this.templates[template];
    const year = t.year !== null && t.year >= 2019 ? 2019 + Math.floor(this.random() * 7) : (t.year ?? 2015);
    const a = agencyOf(agency);
    const doc: Doc = {
      id, template, agency, year, url: `https://${a.site}/zwgk/zfxxgk/zfxxgknb/${year + 1}03/t${year + 1}0310_${100000 + id}.htm`,
      edits: [], views: Math.floor(this.random() * 1000), removed: false,
    };
    this.docs.push(doc);
    this.live.push(id);
    return doc;
  }

  /**
   * The next fetch. Mix (per fetch): 48 % a new document, 16 % an edited one (a new version), 18 % an
   * unchanged re-fetch, 3 % a re-fetch whose page chrome changed, 10 % 304, 2 % 404, 1 % a removed page
   * back, 2 % errors (500/503, timeouts, an unfollowed redirect).
   */
  next(): FetchInput {
    const r = this.random();
    if (this.docs.length < 20 || r < 0.48) return this.fetch(this.newDoc(), {});
    if (r < 0.64) {
      const doc = this.pick();
      const e = this.random();
      doc.edits.push(e < 0.5 ? 'numbers' : e < 0.85 ? 'paragraph' : e < 0.95 ? 'both' : 'retitle');
      if (this.templates[doc.template].nums === 0 && doc.edits.at(-1) === 'numbers') doc.edits[doc.edits.length - 1] = 'paragraph';
      return this.fetch(doc, {});
    }
    if (r < 0.82) return this.fetch(this.pick(), {});
    if (r < 0.85) {
      const doc = this.pick();
      doc.views += 1 + Math.floor(this.random() * 50);
      return this.fetch(doc, {}, true);
    }
    if (r < 0.95) return this.fetch(this.pick(), { status: 304, body: null });
    if (r < 0.97) {
      const k = Math.floor(this.random() * this.live.length);
      const doc = this.docs[this.live[k]];
      this.live[k] = this.live[this.live.length - 1];
      this.live.pop();
      this.removed.add(doc.id);
      return this.fetch(doc, { status: 404, body: Buffer.from('<html><body><h1>404</h1>页面不存在或已删除</body></html>') });
    }
    if (r < 0.98 && this.removed.size) {
      const id = this.removed.values().next().value as number;
      this.removed.delete(id);
      this.live.push(id);
      return this.fetch(this.docs[id], {});
    }
    const doc = this.pick();
    const e = this.random();
    if (e < 0.4) return this.fetch(doc, { status: 503, body: Buffer.from('<html><body>Service Unavailable</body></html>') });
    if (e < 0.6) return this.fetch(doc, { status: 500, body: Buffer.from('<html><body>Internal Server Error</body></html>') });
    if (e < 0.9) return this.fetch(doc, { status: null, body: null, error: 'ETIMEDOUT' });
    return this.fetch(doc, { status: 301, body: null, headers: { location: doc.url.replace('https:', 'http:') } });
  }
}
