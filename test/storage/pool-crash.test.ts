/**
 * SIGKILL while an IngestPool is writing (a worker thread parsing, batches of fetches committed together):
 * after each kill the archive opens whole — every fetch whose promise had resolved is there, every fetch is
 * whole or absent, and the v5 structures (latest reports, search indexes) agree with the reports.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFetch, openArchive } from '../../storage/index.ts';
import { ROOT } from '../helpers/fixtures.ts';
import { allPages, fetchOf, tempArchive } from './helpers.ts';
import { verifyArchive } from './invariants.ts';

const KILLS = 3;
const SCRIPT = join(ROOT, 'test', 'storage', 'pool-writer.ts');

function runAndKill(dbPath: string, first: number, delayMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, dbPath, String(first)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: number[] = [];
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timeout = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`writer never became ready: ${stderr}`))), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') {
        clearTimeout(timeout);
        // the worker needs a moment to load the parser; kill while batches are being committed
        const kill = () => (committed.length >= 20 ? child.kill('SIGKILL') : setTimeout(kill, 50));
        setTimeout(kill, delayMs);
      } else if (line.startsWith('ok ')) committed.push(Number(line.slice(3)));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timeout);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
      else resolve(committed);
    });
  });
}

describe('SIGKILL while an IngestPool writes', () => {
  const { db: first, path, cleanup } = tempArchive();
  first.close();
  afterAll(() => cleanup());

  it(`leaves a whole archive after ${KILLS} kills`, async () => {
    const committed: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      committed.push(...(await runAndKill(path, k * 1000, 200 + Math.floor(Math.random() * 800))));
      const db = openArchive(path);
      try {
        verifyArchive(db, committed);
      } finally {
        db.close();
      }
    }
    expect(committed.length).toBeGreaterThan(KILLS * 20);
    const db = openArchive(path);
    try {
      const page = allPages()[0];
      const r = ingestFetch(db, fetchOf(page, { url: `${page.url}?after=crash` }));
      expect(r.events.map((e) => e.kind)).toEqual(['new']);
      verifyArchive(db, [...committed, r.fetchId]);
    } finally {
      db.close();
    }
  }, 120_000);
});
