/**
 * A writer killed with SIGKILL in the middle of a burst of ingests, several times at random moments:
 * after each kill the archive opens, passes SQLite's integrity check, and every fetch it holds is whole
 * (its bytes, version, report, cells, search rows and events all there) — or absent.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentHashes, normaliseContent, valuesHash } from '../../storage/normalise.ts';
import { getBlob, ingestFetch, loadCells, openArchive } from '../../storage/index.ts';
import type { Archive } from '../../storage/index.ts';
import { ROOT } from '../helpers/fixtures.ts';
import { allPages, fetchOf, tempArchive } from './helpers.ts';

const KILLS = 4;
const SCRIPT = join(ROOT, 'test', 'storage', 'burst-writer.ts');

interface Run {
  delayMs: number;
  committed: number[];
}

/** Start a writer, let it ingest for `delayMs` after it is ready, SIGKILL it. */
function burstAndKill(dbPath: string, first: number, delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, dbPath, String(first)], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: number[] = [];
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timeout = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`writer never became ready: ${stderr}`))), 20_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') {
        clearTimeout(timeout);
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      } else if (line.startsWith('ok ')) committed.push(Number(line.slice(3)));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timeout);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
      else resolve({ delayMs, committed });
    });
  });
}

/** Every invariant a committed ingest leaves; any half-written fetch breaks one of them. */
function verifyArchive(db: Archive, committed: number[]): { fetches: number; versions: number } {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  db.exec("INSERT INTO reports_fts (reports_fts) VALUES ('integrity-check')");
  db.exec("INSERT INTO reports_chars (reports_chars) VALUES ('integrity-check')");

  const ids = new Set((db.prepare('SELECT id FROM fetches').all() as { id: number }[]).map((r) => r.id));
  for (const id of committed) expect(ids.has(id), `committed fetch ${id} lost`).toBe(true);

  const fetches = db.prepare('SELECT * FROM fetches').all() as Record<string, any>[];
  for (const f of fetches) {
    if (f.blob_sha256) expect(getBlob(db, f.blob_sha256, { verify: true }), `fetch ${f.id} bytes`).not.toBeNull();
    if (['new_version', 'same_version', 'not_modified'].includes(f.outcome)) {
      const v = db.prepare('SELECT document_id FROM versions WHERE id = ?').get(f.version_id) as { document_id: number } | undefined;
      expect(v?.document_id, `fetch ${f.id} version`).toBe(f.document_id);
    }
    if (f.outcome === 'new_version') {
      expect(db.prepare('SELECT 1 FROM versions WHERE first_fetch_id = ?').get(f.id), `fetch ${f.id} made its version`).toBeDefined();
    }
  }
  const versions = db.prepare('SELECT * FROM versions').all() as Record<string, any>[];
  for (const v of versions) {
    const r = db.prepare('SELECT title, body FROM reports WHERE version_id = ?').get(v.id) as { title: string | null; body: string } | undefined;
    expect(r !== undefined, `version ${v.id} report row`).toBe(v.parse_status === 'report');
    if (!r) continue;
    // the version row, the report row and every cell were written together
    expect(valuesHash(loadCells(db, v.id)), `version ${v.id} cells`).toBe(v.values_hash);
    expect(contentHashes(normaliseContent(r.title, r.body)).contentHash, `version ${v.id} body`).toBe(v.content_hash);
  }
  const docs = db.prepare(`SELECT d.id, d.current_version_id, v.document_id AS owner,
      (SELECT count(*) FROM changes c WHERE c.document_id = d.id AND c.kind = 'new') AS news,
      EXISTS (SELECT 1 FROM versions x JOIN reports r ON r.version_id = x.id WHERE x.document_id = d.id) AS has_report
    FROM documents d LEFT JOIN versions v ON v.id = d.current_version_id`).all() as Record<string, number>[];
  for (const d of docs) {
    expect(d.owner, `document ${d.id} current version`).toBe(d.id);
    expect(d.news, `document ${d.id} 'new' events`).toBe(d.has_report ? 1 : 0);
  }
  return { fetches: fetches.length, versions: versions.length };
}

describe('SIGKILL in the middle of a burst of ingests', () => {
  const { db: first, path, cleanup } = tempArchive();
  first.close();
  afterAll(() => cleanup());

  it(`leaves a whole archive after ${KILLS} kills at random moments`, async () => {
    const committed: number[] = [];
    const runs: Run[] = [];
    for (let k = 0; k < KILLS; k++) {
      const run = await burstAndKill(path, k * 1000, 100 + Math.floor(Math.random() * 500));
      runs.push(run);
      committed.push(...run.committed);
      const db = openArchive(path);
      try {
        verifyArchive(db, committed);
      } finally {
        db.close();
      }
    }
    // the writers really were writing when they died
    expect(committed.length, JSON.stringify(runs.map((r) => [r.delayMs, r.committed.length]))).toBeGreaterThan(KILLS);
    // and the archive goes on working: one more ingest after the last kill
    const db = openArchive(path);
    try {
      const page = allPages()[0];
      const r = ingestFetch(db, fetchOf(page, { url: `${page.url}?after=crash` }));
      expect(r.events.map((e) => e.kind)).toEqual(['new']);
      const { fetches, versions } = verifyArchive(db, [...committed, r.fetchId]);
      expect(fetches).toBeGreaterThanOrEqual(committed.length + 1);
      expect(versions).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  }, 60_000);
});
