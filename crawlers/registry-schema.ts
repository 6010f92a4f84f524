/**
 * The registry entry type and its validation (crawlers/registry/README.md documents the fields). Entries are
 * data from JSON files: validateEntry turns one parsed value into a typed entry or throws a RegistryError that
 * names the file and the entry, so a typo in one province's file is found on load, not mid-crawl.
 */
import { isFamilyKnown, PLANNED_FAMILIES } from './families.ts';

export const LEVELS = ['national', 'province', 'city', 'county', 'department'] as const;
export type Level = (typeof LEVELS)[number];

/** What an entry URL points at: the 年报 column itself, the unit's 信息公开 platform page, or some other list column. */
export const COLUMN_KINDS = ['annual-report', 'platform', 'other'] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

/** Anti-bot / transport behaviour the research reports for a site (cms-families.md §6). */
export const CHALLENGES = ['riversafe-412', 'jiasule-521', 'edgeone', 'aliyun-waf', 'cookie-302', 'cloudflare-521', 'geo-block'] as const;
export type Challenge = (typeof CHALLENGES)[number];

export interface RegistryEntry {
  /** stable id; the archive's site key and the frontier's `site` */
  id: string;
  /** the unit (SiteName) */
  name: string;
  province: string;
  city: string | null;
  county: string | null;
  level: Level;
  /** an adapter id (crawlers/adapters/index.ts) or a planned family (PLANNED_FAMILIES) */
  family: string;
  /** where a crawl starts; empty only for an unverified entry (a unit known without a list URL) */
  entryUrls: string[];
  /** crawl knobs: hosts, delayMs, concurrency, maxDepth, maxListPages, family knobs read by the adapter */
  overrides: Record<string, unknown>;
  /** false: taken from research, never checked against the live site; absent counts as verified (replica) */
  verified?: boolean;
  /** where the facts come from (e.g. "cms-families.md §7.3") */
  source?: string;
  notes?: string;
  column?: ColumnKind;
  challenge?: Challenge;
  /** facts for whoever verifies the entry (list API ids, proxy paths, detail URL shapes); not read by adapters */
  hints?: Record<string, unknown>;
  /** other URLs the source gives for this unit (detail pages, list API calls): evidence, never crawled */
  sampleUrls?: string[];
}

/** overrides.browser: when the browser path is used for a site (crawlers/browser/assist.ts) */
const BROWSER_MODES: readonly string[] = ['always', 'challenge', 'never'];

export class RegistryError extends Error {
  constructor(readonly file: string, readonly entry: string, message: string) {
    super(`${file}: entry ${entry}: ${message}`);
    this.name = 'RegistryError';
  }
}

const KNOWN_KEYS = new Set(['id', 'name', 'province', 'city', 'county', 'level', 'family', 'entryUrls', 'overrides', 'verified',
  'source', 'notes', 'column', 'challenge', 'hints', 'sampleUrls']);
const NUMBER_KNOBS = ['delayMs', 'concurrency', 'maxDepth', 'maxListPages'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An absolute http(s) URL, or the reason it is not one. */
export function urlProblem(u: unknown): string | null {
  if (typeof u !== 'string') return `not a string: ${JSON.stringify(u)}`;
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return `not an absolute URL: ${u}`;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? null : `not http(s): ${u}`;
}

/** One parsed JSON value → a typed entry; `file` and `index` name it in errors. */
export function validateEntry(raw: unknown, file: string, index: number): RegistryEntry {
  const label = isObject(raw) && typeof raw.id === 'string' && raw.id ? `#${index} (${raw.id})` : `#${index}`;
  const fail = (msg: string): never => {
    throw new RegistryError(file, label, msg);
  };
  if (!isObject(raw)) return fail(`not an object: ${JSON.stringify(raw)?.slice(0, 80)}`);
  const unknown = Object.keys(raw).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length) fail(`unknown field(s) ${unknown.join(', ')}`);

  const str = (k: string, required: boolean): string | undefined => {
    const v = raw[k];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || !v.trim()) return fail(`"${k}" must be a non-empty string`);
    return v;
  };
  const orNull = (k: string): string | null => {
    const v = raw[k];
    if (v === undefined || v === null) return null;
    return typeof v === 'string' && v.trim() ? v : fail(`"${k}" must be a non-empty string or null`);
  };
  const oneOf = <T extends string>(k: string, allowed: readonly T[], required: boolean): T | undefined => {
    const v = raw[k];
    if (v === undefined && !required) return undefined;
    return allowed.includes(v as T) ? (v as T) : fail(`"${k}" must be one of ${allowed.join(' | ')}, not ${JSON.stringify(v)}`);
  };
  const bool = (k: string): boolean | undefined => {
    const v = raw[k];
    return v === undefined || typeof v === 'boolean' ? v : fail(`"${k}" must be true or false`);
  };
  const urls = (k: string, required: boolean): string[] | undefined => {
    const v = raw[k];
    if (v === undefined && !required) return undefined;
    if (!Array.isArray(v)) return fail(`"${k}" must be an array of URLs`);
    for (const u of v) {
      const p = urlProblem(u);
      if (p) fail(`"${k}": ${p}`);
    }
    return v as string[];
  };

  const id = str('id', true)!;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) fail(`"id" must be lower-case letters, digits and dashes: ${id}`);
  const family = str('family', true)!;
  if (!isFamilyKnown(family)) fail(`unknown family "${family}" (an adapter in crawlers/adapters/index.ts, or planned: ${PLANNED_FAMILIES.join(', ')})`);
  const verified = bool('verified');
  const entryUrls = urls('entryUrls', true)!;
  if (!entryUrls.length && verified !== false) fail('"entryUrls" is empty: only an unverified entry ("verified": false) may lack one');

  const overrides = raw.overrides ?? {};
  if (!isObject(overrides)) return fail('"overrides" must be an object');
  if (overrides.browser !== undefined && !BROWSER_MODES.includes(overrides.browser as string)) {
    fail(`"overrides.browser" must be one of ${BROWSER_MODES.join(', ')} (absent = automatic)`);
  }
  if (overrides.hosts !== undefined && (!Array.isArray(overrides.hosts) || !overrides.hosts.every((h) => typeof h === 'string' && h && !/[/\s]/.test(h)))) {
    fail('"overrides.hosts" must be an array of host or host:port strings');
  }
  for (const k of NUMBER_KNOBS) {
    const v = overrides[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) fail(`"overrides.${k}" must be a number ≥ 0`);
  }
  if (raw.hints !== undefined && !isObject(raw.hints)) fail('"hints" must be an object');

  const entry: RegistryEntry = {
    id,
    name: str('name', true)!,
    province: str('province', true)!,
    city: orNull('city'),
    county: orNull('county'),
    level: oneOf('level', LEVELS, true)!,
    family,
    entryUrls,
    overrides,
  };
  const optional: Partial<RegistryEntry> = {
    verified,
    source: str('source', false),
    notes: str('notes', false),
    column: oneOf('column', COLUMN_KINDS, false),
    challenge: oneOf('challenge', CHALLENGES, false),
    hints: raw.hints as Record<string, unknown> | undefined,
    sampleUrls: urls('sampleUrls', false),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (entry as unknown as Record<string, unknown>)[k] = v;
  return entry;
}
