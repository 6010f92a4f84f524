/**
 * A writer killed with SIGKILL in the middle of a burst of ingests, several times at random moments:
 * after each kill the archive opens, passes SQLite's integrity check, and every fetch it holds is whole
 * (its bytes, version, report, cells, search rows and events all there) — or absent.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFetch, openArchive } from '../../storage/index.ts';
import { ROOT } from '../helpers/fixtures.ts';
import { allPages, fetchOf, tempArchive } from './helpers.ts';
import { verifyArchive } from './invariants.ts';

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
