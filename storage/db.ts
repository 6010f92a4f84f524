/** Opening an archive: pragmas, SQL functions the schema needs, and migrations. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, SCHEMA_VERSION, SchemaTooNewError, schemaVersion } from './migrations.ts';
import { ngramText, unitTokens, withUnit } from './ngrams.ts';
import { flushSearchIndex, packSections, unpackSections } from './reports.ts';
import type { Archive } from './types.ts';

export const DEFAULT_DB_PATH = './data/nianbao.db';

/** PRAGMA application_id of a nianbao archive ("NBao"), so another SQLite file is never migrated by mistake. */
export const APPLICATION_ID = 0x4e42616f;

export class NotAnArchiveError extends Error {
  override name = 'NotAnArchiveError';
}

export interface OpenOptions {
  readonly?: boolean;
  /**
   * NORMAL (default): in WAL mode a killed process never loses a committed transaction and the file never
   * corrupts; a power cut may lose the last few commits, which the crawler's frontier refetches.
   * FULL: fsync every commit, for archives on machines that lose power.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** milliseconds to wait for another connection's write lock */
  busyTimeoutMs?: number;
}

const CJK = /([\p{Script=Han}\u3000-\u303f\uff00-\uffef])/gu;

/** Text for the unicode61 character index: every CJK character its own token (see migrations v2). */
export function spacedCjk(text: string | null): string | null {
  return text === null ? null : text.normalize('NFKC').replace(CJK, ' $1 ');
}

function registerFunctions(db: Archive): void {
  db.function('nianbao_spaced', { deterministic: true }, (t: unknown) => spacedCjk(t === null || t === undefined ? null : String(t)));
  // the search indexes' text (migration 5): nianbao_search_text(title, agency, body, province, city, county, level)
  const str = (t: unknown) => (t === null || t === undefined ? null : String(t));
  db.function('nianbao_search_text', { deterministic: true }, (title: unknown, agency: unknown, body: unknown, province: unknown, city: unknown, county: unknown, level: unknown) =>
    withUnit(ngramText(str(title), str(agency), str(body)), unitTokens({ province: str(province), city: str(city), county: str(county), level: str(level) })));
  // migration 6: sections stored as offsets into the body (reports.ts packSections); takes either form
  db.function('nianbao_pack_sections', { deterministic: true }, (sections: unknown, body: unknown) =>
    packSections(unpackSections(str(sections), str(body) ?? ''), str(body) ?? ''));
}

/**
 * Open (or create) an archive and bring its schema up to date. Refuses a file that is not a nianbao
 * archive and one written by a newer nianbao (SchemaTooNewError), without touching either.
 */
export function openArchive(path: string = DEFAULT_DB_PATH, opts: OpenOptions = {}): Archive {
  const memory = path === ':memory:' || path === '';
  if (!memory && !opts.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  try {
    checkIdentity(db, path);
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
    }
    db.pragma('foreign_keys = ON');
    registerFunctions(db);
    if (opts.readonly) {
      const v = schemaVersion(db);
      if (v !== SCHEMA_VERSION) {
        throw new Error(`archive ${path} has schema version ${v}, this nianbao needs ${SCHEMA_VERSION}; open it once for writing to upgrade it`);
      }
    } else {
      migrate(db);
      if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
      // reports a writer committed without indexing them (every nianbao writer indexes before it commits)
      if (db.prepare('SELECT 1 FROM search_queue LIMIT 1').get()) db.transaction(() => flushSearchIndex(db)).immediate();
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function checkIdentity(db: Archive, path: string): void {
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) throw new SchemaTooNewError(version, SCHEMA_VERSION, path);
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== 0 && appId !== APPLICATION_ID) {
    throw new NotAnArchiveError(`${path} is an SQLite file of another application (application_id ${appId}), not a nianbao archive`);
  }
  if (version === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").get() as { n: number };
    if (tables.n > 0) throw new NotAnArchiveError(`${path} already holds tables but no nianbao schema version; refusing to add the archive's tables to it`);
  }
}
