/**
 * The one call the crawler makes per request: ingestFetch stores the fetch and its bytes, decides
 * whether the content is a new version, stores the report and cells, and records change events —
 * all in ONE transaction, so a killed crawler leaves each fetch either whole or absent.
 *
 * CPU work (hashing, compressing, parsing) happens before the transaction, so the write lock is held
 * for milliseconds; the decision itself is re-made inside the transaction on fresh state.
 *
 * ingestBatch stores many fetches in one transaction with exactly the results (outcomes, versions, events)
 * that ingesting them one by one in the same order gives; the batch commits whole or not at all. The work
 * before the lock is split into planFetch (reads the archive: are these bytes stored? already the current
 * version?) and workFetch (pure CPU: compress, parse), so it can run on other threads (pool.ts).
 */
import { compress, hasBlob, storeBlob, type Codec, type PreparedBlob } from './blobs.ts';
import { diffCells, diffLines, lastReportVersion, markRemoved, recordChange } from './changes.ts';
import { DEFAULT_DERIVER, derive, packDerivation, unpackDerivation, type Derivation, type Deriver, type PackedDerivation } from './derive.ts';
import type { SearchTokens } from './ngrams.ts';
import { canonicalUrl, NORMALISER_VERSION, sha256Hex } from './normalise.ts';
import { rememberVersion, versionCells, versionLines } from './recent-versions.ts';
import { isStale, rederiveVersion } from './reparse.ts';
import { flushSearchIndex, insertReport, registerCellKeys } from './reports.ts';
import { isoTime, json, stmt } from './sql.ts';
import type { Archive, ChangeEvent, FetchInput, FetchOutcome, IngestResult, ParseStatus, UnitInfo } from './types.ts';

export interface IngestOptions {
  /** the parser in use; tests inject one. Default: parsers/ at PARSER_VERSION */
  deriver?: Deriver;
}

interface DocumentRow {
  id: number;
  status: 'live' | 'removed';
  current_version_id: number | null;
  unit_name: string | null;
  province: string | null;
  city: string | null;
  county: string | null;
  level: string | null;
}

interface VersionRow {
  id: number;
  seq: number;
  parse_status: ParseStatus;
  content_hash: string;
  prose_hash: string;
  values_hash: string | null;
  parser_version: string;
  normaliser_version: number;
}

const isSuccess = (s: number | null): s is number => s !== null && s >= 200 && s < 300;

function normaliseHeaders(h: FetchInput['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

function getDocument(db: Archive, url: string): DocumentRow | undefined {
  return stmt(db, 'SELECT id, status, current_version_id, unit_name, province, city, county, level FROM documents WHERE url = ?').get(url) as DocumentRow | undefined;
}

function getVersion(db: Archive, id: number): VersionRow {
  return stmt(db, 'SELECT id, seq, parse_status, content_hash, prose_hash, values_hash, parser_version, normaliser_version FROM versions WHERE id = ?').get(id) as VersionRow;
}

/** Have these exact bytes already been found to be this (up-to-date) version? Then there is nothing to parse. */
function knownAsVersion(db: Archive, sha256: string, version: VersionRow, deriver: Deriver): boolean {
  if (isStale(version, deriver)) return false;
  return stmt(db, 'SELECT 1 FROM fetches WHERE blob_sha256 = ? AND version_id = ? LIMIT 1').get(sha256, version.id) !== undefined;
}

/** Registry facts given with a fetch update the document and its reports; absent fields are left alone. */
function applyUnit(db: Archive, doc: DocumentRow, unit: UnitInfo): DocumentRow {
  const next = {
    unit_name: unit.name !== undefined ? unit.name : doc.unit_name,
    province: unit.province !== undefined ? unit.province : doc.province,
    city: unit.city !== undefined ? unit.city : doc.city,
    county: unit.county !== undefined ? unit.county : doc.county,
    level: unit.level !== undefined ? unit.level : doc.level,
  };
  const same = (Object.keys(next) as (keyof typeof next)[]).every((k) => next[k] === doc[k]);
  if (same) return doc;
  const args = [next.unit_name, next.province, next.city, next.county, next.level];
  stmt(db, 'UPDATE documents SET unit_name = ?, province = ?, city = ?, county = ?, level = ? WHERE id = ?').run(...args, doc.id);
  stmt(db, `UPDATE reports SET unit_name = ?, province = ?, city = ?, county = ?, level = ?
    WHERE version_id IN (SELECT id FROM versions WHERE document_id = ?)`).run(...args, doc.id);
  return { ...doc, ...next };
}

function unitOf(doc: DocumentRow): UnitInfo {
  return { name: doc.unit_name, province: doc.province, city: doc.city, county: doc.county, level: doc.level };
}

function siteOf(input: FetchInput): string | null {
  if (input.site) return input.site;
  try {
    return new URL(input.url).host;
  } catch {
    return null;
  }
}

/** A fetch read and checked against the archive (planFetch), before its CPU work. */
export interface FetchPlan {
  input: FetchInput;
  /** requestedAt as ISO UTC */
  at: string;
  /** canonicalUrl(input.url): the document */
  url: string;
  headers: Record<string, string | string[]>;
  body: Buffer | null;
  /** sha256 of the body (null without a body) */
  sha256: string | null;
  /** a 2xx with a non-empty body */
  hasContent: boolean;
  /** the body is not stored yet: compress it */
  compress: boolean;
  /** the body is not known to be the document's current version: parse it */
  parse: boolean;
}

/** The CPU work of a plan (workFetch): compressed bytes and the derivation, when the plan asked for them. */
export interface FetchWork {
  codec: Codec | null;
  data: Buffer | null;
  derivation: Derivation | PackedDerivation | null;
}

export type PreparedFetch = FetchPlan & FetchWork;

/** Validate a fetch and decide what CPU work it needs, from the archive's committed state. Throws on a bad time. */
export function planFetch(db: Archive, input: FetchInput, opts: IngestOptions = {}): FetchPlan {
  const deriver = opts.deriver ?? DEFAULT_DERIVER;
  const at = isoTime(input.requestedAt);
  const url = canonicalUrl(input.url);
  const headers = normaliseHeaders(input.headers);
  const body = input.body ? Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength) : null;
  const sha256 = body ? sha256Hex(body) : null;
  const hasContent = isSuccess(input.status) && body !== null && body.length > 0;
  let parse = false;
  if (hasContent) {
    // parse unless these bytes are already known to be the current version
    const doc = getDocument(db, url);
    const current = doc?.current_version_id ? getVersion(db, doc.current_version_id) : null;
    parse = !current || !knownAsVersion(db, sha256!, current, deriver);
  }
  return { input, at, url, headers, body, sha256, hasContent, compress: sha256 !== null && !hasBlob(db, sha256), parse };
}

/** The plan's CPU work. Pure (no archive): runs on any thread; its derivation packed (packDerivation) unless it stays on this one. */
export function workFetch(plan: FetchPlan, deriver: Deriver = DEFAULT_DERIVER, forAnotherThread = true): FetchWork {
  const packed = plan.compress && plan.body ? compress(plan.body) : null;
  const made = plan.parse ? derive(plan.body!, { url: plan.input.url, headers: plan.headers }, deriver) : null;
  // packed for the structured clone to the writer thread (nothing to gain on this one)
  const derivation = made && forAnotherThread ? packDerivation(made) : made;
  return { codec: packed?.codec ?? null, data: packed?.data ?? null, derivation };
}

/** planFetch then workFetch, on this thread. */
export function prepareFetch(db: Archive, input: FetchInput, opts: IngestOptions = {}): PreparedFetch {
  const plan = planFetch(db, input, opts);
  return { ...plan, ...workFetch(plan, opts.deriver, false) };
}

/**
 * Store one fetch and everything that follows from it. Never throws for what a server sends. For many
 * fetches, ingestBatch (one transaction) or IngestPool (pool.ts: parsing on other cores) are faster.
 */
export function ingestFetch(db: Archive, input: FetchInput, opts: IngestOptions = {}): IngestResult {
  return commitFetches(db, [prepareFetch(db, input, opts)], opts)[0];
}

/**
 * Store fetches in order, in ONE transaction: each gets the result ingestFetch would give it at its place
 * in the sequence, and after a crash either the whole batch is there or none of it. All CPU work is done
 * before the write lock is taken.
 */
export function ingestBatch(db: Archive, inputs: readonly FetchInput[], opts: IngestOptions = {}): IngestResult[] {
  const prepared = inputs.map((i) => prepareFetch(db, i, opts));
  return commitFetches(db, prepared, opts);
}

/**
 * Commit prepared fetches, in order, in one transaction (a savepoint when the caller already holds one).
 * Every decision is re-made here on fresh state; a fetch prepared without a parse that turns out to need
 * one is parsed here.
 */
export function commitFetches(db: Archive, prepared: readonly PreparedFetch[], opts: IngestOptions = {}): IngestResult[] {
  const deriver = opts.deriver ?? DEFAULT_DERIVER;
  const derivations = prepared.map((p) => (p.derivation ? unpackDerivation(p.derivation) : null));
  registerCellKeys(db, derivations);
  return db.transaction((): IngestResult[] => {
    const tokens = new Map<number, SearchTokens>();
    const results = prepared.map((p, i) => commitOne(db, p, derivations[i], deriver, tokens));
    flushSearchIndex(db, tokens);
    return results;
  }).immediate();
}

function commitOne(db: Archive, p: PreparedFetch, worked: Derivation | null, deriver: Deriver, tokens: Map<number, SearchTokens>): IngestResult {
  const { input, at, url, headers, body, hasContent } = p;
  let derivation = worked;
  const blob: PreparedBlob | null = p.sha256 === null ? null
    : { sha256: p.sha256, size: body!.length, codec: p.codec ?? 'identity', data: p.data };
  const sha = blob ? storeBlob(db, blob, body!) : null;
  let doc = getDocument(db, url);
  const events: ChangeEvent[] = [];
  const status = input.status;

  let outcome: FetchOutcome;
  if (status === null) outcome = 'network_error';
  else if (status === 304) outcome = 'not_modified';
  else if (status === 404 || status === 410) outcome = 'gone';
  else if (isSuccess(status)) outcome = hasContent ? 'same_version' : 'no_body';
  else if (status >= 300 && status < 400) outcome = 'redirect';
  else outcome = 'http_error';

  // a document exists from its first successful fetch with content
  if (!doc && outcome === 'same_version') {
    const id = Number(stmt(db, `INSERT INTO documents (url, site, status, status_since, first_seen, last_seen) VALUES (?, ?, 'live', ?, ?, ?)`)
      .run(url, siteOf(input), at, at, at).lastInsertRowid);
    doc = { id, status: 'live', current_version_id: null, unit_name: null, province: null, city: null, county: null, level: null };
  }
  if (doc && input.unit) doc = applyUnit(db, doc, input.unit);

  // content: is it the current version? (re-derive the stored side first if another parser made it)
  let current = doc?.current_version_id ? getVersion(db, doc.current_version_id) : null;
  if (doc && outcome === 'same_version') {
    if (current && isStale(current, deriver)) {
      rederiveVersion(db, current.id, deriver, { runId: null, at });
      current = getVersion(db, current.id);
    }
    const known = current !== null && knownAsVersion(db, sha!, current, deriver);
    if (!known) {
      derivation ??= derive(body!, { url: input.url, headers }, deriver);
      const same = current !== null && current.parse_status === derivation.status &&
        current.content_hash === derivation.contentHash && current.values_hash === derivation.valuesHash;
      if (!same) outcome = 'new_version';
    }
  }

  // a fetch of the current version names it at once (a new version's id is only known after the fetch row)
  const sameVersionId = outcome === 'same_version' || outcome === 'not_modified' ? current?.id ?? null : null;
  const fetchId = Number(stmt(db, `INSERT INTO fetches (url, document_id, requested_at, status, headers, blob_sha256, elapsed_ms, error, outcome, version_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(input.url, doc?.id ?? null, at, status, json(headers), sha,
    input.elapsedMs ?? null, input.error ?? null, outcome, sameVersionId).lastInsertRowid);

  if (!doc) return { fetchId, documentId: null, versionId: null, outcome, events };

  if (outcome === 'gone') {
    if (doc.status === 'live') {
      const ev = markRemoved(db, doc.id, at, fetchId, { status });
      if (ev) events.push(ev);
    }
    return { fetchId, documentId: doc.id, versionId: null, outcome, events };
  }
  if (outcome !== 'same_version' && outcome !== 'new_version' && outcome !== 'not_modified') {
    return { fetchId, documentId: doc.id, versionId: null, outcome, events };
  }

  // only a removed document's return needs it (the restored event), and it must be read before the new version
  const reportBefore = doc.status === 'removed' ? lastReportVersion(db, doc.id) : null;
  let versionId = current?.id ?? null;
  if (outcome === 'new_version') {
    const d = derivation!;
    versionId = Number(stmt(db, `INSERT INTO versions (document_id, seq, blob_sha256, first_fetch_id, first_seen, parse_status, parse_reason,
      charset, content_hash, prose_hash, values_hash, parser_version, normaliser_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(doc.id, (current?.seq ?? 0) + 1, sha, fetchId, at, d.status, d.reason, d.charset, d.contentHash, d.proseHash,
        d.valuesHash, d.parserVersion, NORMALISER_VERSION).lastInsertRowid);
    if (d.status === 'report') {
      insertReport(db, versionId, d, unitOf(doc));
      rememberVersion(db, versionId, d);
      if (d.search) tokens.set(versionId, d.search);
    }
    // it answered (it is there), with new content
    stmt(db, 'UPDATE documents SET last_seen = ?, current_version_id = ? WHERE id = ?').run(at, versionId, doc.id);
    stmt(db, 'UPDATE fetches SET version_id = ? WHERE id = ?').run(versionId, fetchId);
  } else {
    // it answered: it is there
    stmt(db, 'UPDATE documents SET last_seen = ? WHERE id = ?').run(at, doc.id);
  }
  if (doc.status === 'removed') {
    stmt(db, "UPDATE documents SET status = 'live', status_since = ? WHERE id = ?").run(at, doc.id);
    if (reportBefore !== null) {
      events.push(recordChange(db, { documentId: doc.id, kind: 'restored', at, fetchId, oldVersionId: reportBefore, newVersionId: versionId, detail: { status } }));
    }
  }
  // a page that came back different: restored first, then what changed
  if (outcome === 'new_version') events.push(...contentEvents(db, doc.id, current, versionId!, derivation!, { at, fetchId, deriver }));
  return { fetchId, documentId: doc.id, versionId, outcome, events };
}

/**
 * The events a new version makes. Numbers are compared with the last version read as a report; text with
 * the version just before. Table rows only moving with their numbers is a numbers change, not also text.
 */
function contentEvents(
  db: Archive, documentId: number, prev: VersionRow | null, versionId: number, d: Derivation,
  ctx: { at: string; fetchId: number; deriver: Deriver },
): ChangeEvent[] {
  const base = { documentId, at: ctx.at, fetchId: ctx.fetchId, newVersionId: versionId };
  const lastReport = lastReportVersion(db, documentId, versionId);
  // the last report's values hash (prev was re-derived already when stale, see commitOne)
  let lastValues = prev?.values_hash ?? null;
  if (lastReport !== null && lastReport !== prev?.id) {
    let v = getVersion(db, lastReport);
    if (isStale(v, ctx.deriver)) {
      rederiveVersion(db, lastReport, ctx.deriver, { runId: null, at: ctx.at });
      v = getVersion(db, lastReport);
    }
    lastValues = v.values_hash;
  }
  const events: ChangeEvent[] = [];
  if (d.status === 'report') {
    if (lastReport === null) return [recordChange(db, { ...base, kind: 'new', oldVersionId: null, detail: {} })];
    // the same values hash is the same cells: no need to read them back
    const cells = lastValues !== null && lastValues === d.valuesHash ? [] : diffCells(versionCells(db, lastReport, lastValues), d.cells);
    if (cells.length) events.push(recordChange(db, { ...base, kind: 'numbers_changed', oldVersionId: lastReport, detail: { cells } }));
    if (prev && prev.parse_status !== 'report') {
      events.push(recordChange(db, { ...base, kind: 'text_changed', oldVersionId: prev.id, detail: { parse_status: { old: prev.parse_status, new: 'report' } } }));
    } else if (prev && (prev.prose_hash !== d.proseHash || (cells.length === 0 && prev.content_hash !== d.contentHash))) {
      const text = diffLines(versionLines(db, prev.id, prev.content_hash), d.lines);
      events.push(recordChange(db, { ...base, kind: 'text_changed', oldVersionId: prev.id, detail: { ...text } }));
    }
  } else if (prev?.parse_status === 'report') {
    // the page is still there but no longer reads as a report (a notice, an error page, a PDF)
    events.push(recordChange(db, { ...base, kind: 'text_changed', oldVersionId: prev.id, detail: { parse_status: { old: 'report', new: d.status }, reason: d.reason } }));
  }
  return events;
}
