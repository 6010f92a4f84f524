/**
 * Benchmark hosts: `N reports on H hosts`, each host a TRS WCM (GBK) or Hanweb JCMS column of its own
 * place, cheap to build and serve (one content per source, shared by every report built from it; pages
 * are assembled from pre-encoded parts).
 */
import { DEPARTMENTS, type Place } from './generated.ts';
import { HanwebSite } from './hanweb.ts';
import { TrsWcmSite } from './trs-wcm.ts';
import type { FaultRule } from './types.ts';

export interface BenchOptions {
  /** total reports across all hosts (default 10,000) */
  reports?: number;
  /** hosts (default 50) */
  hosts?: number;
  /** 'trs-wcm' (default), 'hanweb-jcms', or 'mixed' (alternating) */
  family?: 'trs-wcm' | 'hanweb-jcms' | 'mixed';
  /** list page size (TRS perPage / Hanweb perPage; default 20) */
  perPage?: number;
  /** report years per agency (default [2019, 2025]) */
  years?: [number, number];
  /** every bench host delays each response by this much */
  delayMs?: number;
  faults?: FaultRule[];
}

const A = ['东', '西', '南', '北', '青', '白', '金', '银', '云', '石', '长', '平', '安', '宁', '兴', '和', '丰', '永', '新', '清'];
const B = ['岚', '岭', '溪', '川', '原', '阳', '山', '湖', '桥', '港', '林', '泉'];
const PROVINCES = ['江苏省', '湖北省', '甘肃省', '浙江省', '山东省', '湖南省', '贵州省', '福建省'];

/** The i-th bench place: a distinct two-character county name. */
export function benchPlace(i: number): Place {
  const name = A[i % A.length] + B[Math.floor(i / A.length) % B.length] + (i >= A.length * B.length ? String(Math.floor(i / (A.length * B.length))) : '');
  const region = `${name}县`;
  return {
    province: PROVINCES[i % PROVINCES.length], city: `${name}市`, county: region, level: 'county', region,
    siteName: `${region}人民政府`, domain: `bench${i}.example.gov.cn`, idCode: String(4300000000 + i),
    departments: DEPARTMENTS,
  };
}

export function benchSites(seed: string, opts: BenchOptions = {}): Array<TrsWcmSite | HanwebSite> {
  const reports = Math.max(1, opts.reports ?? 10_000);
  const hosts = Math.max(1, Math.min(opts.hosts ?? 50, reports));
  const years = opts.years ?? [2019, 2025];
  const perAgency = years[1] - years[0] + 1;
  const sites: Array<TrsWcmSite | HanwebSite> = [];
  for (let i = 0; i < hosts; i++) {
    const share = Math.floor(reports / hosts) + (i < reports % hosts ? 1 : 0);
    const agencies = Math.ceil(share / perAgency);
    // trim the last agency's years so the host holds exactly `share` reports
    const place = benchPlace(i);
    const common = {
      agencies, years, notices: 1, heldBack: agencies * perAgency - share, perNight: 0, delayMs: opts.delayMs,
      faults: opts.faults, perPage: opts.perPage ?? 20,
    };
    const family = opts.family === 'mixed' ? (i % 2 ? 'hanweb-jcms' : 'trs-wcm') : opts.family ?? 'trs-wcm';
    const id = `bench-${String(i).padStart(3, '0')}`;
    sites.push(family === 'hanweb-jcms' ? new HanwebSite(id, seed, place, { ...common, groupSize: 3 }, true) : new TrsWcmSite(id, seed, place, common, true));
  }
  return sites;
}
