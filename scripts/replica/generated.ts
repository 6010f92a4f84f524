/**
 * The documents of a generated replica column (Hanweb JCMS, TRS WCM, benchmark hosts): many agencies ×
 * report years, each report's content taken from a real page or seed text of the same year, re-titled and
 * re-dated; a few non-report items; reports held back for later nights. Same seed → same column.
 */
import { editReport, loadCorpus, notices, renameIn, type Source } from './corpus.ts';
import type { DocInfo, Family, RegistryEntry, SiteOptions } from './types.ts';
import { Rng, addDays, chinaTime, pad2 } from './util.ts';

/** The site clock: night 1 is the first crawl; night k is k-1 days later. */
export const NIGHT1 = '2026-04-01';
export const nightDate = (night: number): string => addDays(NIGHT1, night - 1);
export const nightTime = (night: number): Date => chinaTime(nightDate(night), '02:00');

export interface Place {
  province: string;
  city: string | null;
  county: string | null;
  level: 'province' | 'city' | 'county' | 'department';
  /** the place name agencies are prefixed with: '东岚市', '南屿县' */
  region: string;
  siteName: string;
  domain: string;
  idCode: string;
  /** organs publishing in the column, after the region name; the first is the government itself */
  departments?: string[];
}

export interface GeneratedOptions extends SiteOptions {
  /** how many agencies publish in the column (default 6) */
  agencies?: number;
  /** report years, inclusive (default [2019, 2025]) */
  years?: [number, number];
  /** non-report items in the column, 0–3 (default 3) */
  notices?: number;
  /** reports that only appear on later nights (default 2) */
  heldBack?: number;
  /** held-back reports published per nextNight() (default 2) */
  perNight?: number;
  /** detail pages show a 浏览次数 counter that changes every night (bytes change, content does not) */
  volatile?: boolean;
}

export const DEPARTMENTS = [
  '人民政府', '民政局', '教育局', '财政局', '卫生健康委员会', '生态环境局', '自然资源和规划局', '司法局', '发展和改革委员会',
  '人力资源和社会保障局', '住房和城乡建设局', '交通运输局', '农业农村局', '商务局', '文化和旅游局', '应急管理局', '市场监督管理局',
  '医疗保障局', '退役军人事务局', '统计局', '审计局', '水利局', '林业局', '城市管理局', '公安局', '科学技术局', '工业和信息化局',
  '民族宗教事务局', '体育局', '信访局', '人民政府办公室', '政务服务数据管理局',
];

export interface GenDoc {
  /** article / document id (unique per site) */
  n: number;
  title: string;
  agency: string;
  year: number | null;
  isReport: boolean;
  source: string;
  /** '' until published (held-back reports) */
  published: string;
  time: string;
  content: string;
  editable: boolean;
  lastModified: Date;
  status: 'live' | 'unlisted' | 'deleted' | 'pending';
  edits: number;
}

export interface NightEvent {
  kind: 'added' | 'edited' | 'deleted' | 'unlinked';
  doc: GenDoc;
}

/** The column's documents and their life across nights. */
export class DocSet {
  readonly docs: GenDoc[] = [];
  listModified: Date;
  night = 1;
  readonly agencies: string[];

  constructor(
    readonly seed: string,
    readonly place: Place,
    readonly opts: GeneratedOptions,
    idBase: number,
    /** share one content per source (benchmark hosts: cheap to build and serve) */
    readonly cheap = false,
  ) {
    const rng = new Rng(`${seed}/${place.region}/docs`);
    const { sources, byYear } = loadCorpus();
    const depts = place.departments ?? DEPARTMENTS;
    const nAgencies = Math.max(1, opts.agencies ?? 6);
    this.agencies = Array.from({ length: nAgencies }, (_, i) => {
      const d = depts[i % depts.length];
      return i < depts.length ? `${place.region}${d}` : `${place.region}第${Math.floor(i / depts.length) + 1}${d}`;
    });
    const [from, to] = opts.years ?? [2019, 2025];
    const reports: GenDoc[] = [];
    for (const agency of this.agencies) {
      const form = rng.next() < 0.6 ? '年度政府信息公开工作年度报告' : '年政府信息公开工作年度报告';
      for (let y = from; y <= to; y++) {
        const candidates = byYear.get(y) ?? sources.filter((s) => s.year === nearestYear(byYear, y));
        const src: Source = rng.pick(candidates);
        const content = cheap ? src.content : renameIn(src.content, src.names, agency);
        reports.push(this.doc({
          title: `${agency}${y}${form}`, agency, year: y, isReport: true, source: src.id, content, editable: src.editable,
          published: `${y + 1}-${pad2(rng.int(1, 3))}-${pad2(rng.int(1, 28))}`, time: `${pad2(rng.int(8, 17))}:${pad2(rng.int(0, 59))}`,
        }));
      }
    }
    // the last `heldBack` reports of the newest year wait for later nights
    const held = Math.min(opts.heldBack ?? 2, reports.length);
    const newest = reports.filter((d) => d.year === to);
    const pending = new Set(rng.shuffle(newest.length >= held ? newest : reports).slice(0, held));
    const items = reports.filter((d) => !pending.has(d));
    const unit = this.agencies[0];
    const noticeYear = Math.max(from, to - 1);
    notices(place.region, unit, noticeYear).slice(0, Math.max(0, Math.min(3, opts.notices ?? 3))).forEach((nt, i) => {
      items.push(this.doc({
        title: nt.title, agency: unit, year: null, isReport: false, source: 'notice', content: nt.content, editable: false,
        published: i === 0 ? `${noticeYear}-12-10` : `${noticeYear + 1}-0${i + 1}-${pad2(rng.int(10, 28))}`, time: '10:00',
      }));
    });
    // ids grow with publication order, as a CMS hands them out
    items.sort((a, b) => (a.published + a.time).localeCompare(b.published + b.time));
    let id = idBase;
    for (const d of items) d.n = id += rng.int(1, 40);
    for (const d of pending) {
      d.n = id += rng.int(1, 40);
      d.status = 'pending';
      d.published = '';
    }
    this.docs = [...items, ...pending];
    this.listModified = new Date(Math.max(...items.map((d) => d.lastModified.getTime())));
  }

  private doc(d: Omit<GenDoc, 'n' | 'lastModified' | 'status' | 'edits'>): GenDoc {
    return { ...d, n: 0, lastModified: chinaTime(d.published, d.time), status: 'live', edits: 0 };
  }

  /** Live documents, newest first (the column's list order). */
  live(): GenDoc[] {
    return this.docs
      .filter((d) => d.status === 'live')
      .sort((a, b) => (b.published + b.time).localeCompare(a.published + a.time) || b.n - a.n);
  }

  byId(n: number): GenDoc | undefined {
    return this.docs.find((d) => d.n === n);
  }

  /**
   * Night `night`: `perNight` held-back reports appear, one report is edited (table 三 number + a
   * paragraph), one is deleted, and one is unlinked from the list while its page is still served.
   */
  applyNight(night: number, prefer: { edit?: number[]; delete?: number[] } = {}): NightEvent[] {
    this.night = night;
    const at = nightTime(night);
    const rng = new Rng(`${this.seed}/${this.place.region}/night${night}`);
    const events: NightEvent[] = [];
    const before = this.live();
    for (const d of this.docs.filter((x) => x.status === 'pending').slice(0, this.opts.perNight ?? 2)) {
      d.status = 'live';
      d.published = nightDate(night);
      d.time = '01:30';
      d.lastModified = at;
      events.push({ kind: 'added', doc: d });
    }
    const pick = (pool: GenDoc[], preferred: number[] | undefined) =>
      pool.find((d) => preferred?.includes(d.n)) ?? (pool.length ? rng.pick(pool) : undefined);
    const editable = before.filter((d) => d.isReport && d.editable && d.edits === 0 && d.content.includes('本年新收'));
    const edited = pick(editable, prefer.edit);
    if (edited) {
      const next = editReport(edited.content, `${nightDate(night).replace(/-0?/, '年').replace(/-0?/, '月')}日`);
      if (next) {
        edited.content = next;
        edited.edits++;
        edited.lastModified = at;
        events.push({ kind: 'edited', doc: edited });
      }
    }
    const deletable = before.filter((d) => d.isReport && d !== edited && d.edits === 0);
    const deleted = pick(deletable, prefer.delete);
    if (deleted) {
      deleted.status = 'deleted';
      events.push({ kind: 'deleted', doc: deleted });
    }
    const unlinkable = before.filter((d) => d.isReport && d !== edited && d !== deleted && d.edits === 0);
    const unlinked = unlinkable.length ? rng.pick(unlinkable) : undefined;
    if (unlinked) {
      unlinked.status = 'unlisted';
      events.push({ kind: 'unlinked', doc: unlinked });
    }
    if (events.some((e) => e.kind !== 'edited')) this.listModified = at;
    return events;
  }

  info(d: GenDoc, url: string, path: string): DocInfo {
    return {
      url, path, title: d.title, agency: d.agency, year: d.year, isReport: d.isReport, source: d.source,
      published: d.published, status: d.status, edits: d.edits,
    };
  }

  /** A 浏览次数 that changes every night (only shown when opts.volatile). */
  hits(d: GenDoc): number {
    return (d.n % 997) + 13 * this.night * ((d.n % 7) + 1);
  }
}

function nearestYear(byYear: Map<number, Source[]>, y: number): number {
  let best = 2023;
  for (const k of byYear.keys()) if (Math.abs(k - y) < Math.abs(best - y)) best = k;
  return best;
}

/** A generated site's registry entry: its place, family and entry paths on this base URL, its host allowed. */
export function generatedEntry(
  site: { id: string; place: Place; family: Family; entryPaths: readonly string[] }, baseUrl: string, overrides: Record<string, unknown> = {},
): RegistryEntry {
  const { place } = site;
  return {
    id: `replica-${site.id}`, name: place.siteName, province: place.province, city: place.city, county: place.county,
    level: place.level, family: site.family, entryUrls: site.entryPaths.map((p) => baseUrl + p),
    overrides: { hosts: [new URL(baseUrl).host], ...overrides },
  };
}

/** Night N on a site's documents, as Site.nextNight reports it. */
export function nightChanges(set: DocSet, night: number, pathOf: (d: GenDoc) => string) {
  return set.applyNight(night).map((e) => ({ kind: e.kind, title: e.doc.title, path: pathOf(e.doc) }));
}
