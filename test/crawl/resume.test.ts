/** A backfill stopped by a signal is left 'interrupted' and the next backfill of the same sites resumes it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestReports, world, type World } from './helpers.ts';

let w: World;
beforeAll(async () => {
  w = await world({ only: ['trs-wcm'] });
});
afterAll(async () => {
  await w?.close();
});

describe('stop and resume', () => {
  it('stops cleanly on abort, resumes the same run, fetches nothing twice', async () => {
    const ac = new AbortController();
    let n = 0;
    const first = await w.crawl({
      mode: 'backfill', signal: ac.signal,
      onEvent: (e) => {
        if (e.event === 'fetched' && ++n === 8) ac.abort();
      },
    });
    expect(first.status).toBe('interrupted');
    expect(latestReports(w.db).length).toBeLessThan(w.replica.sites['trs-wcm'].reports().length);
    const second = await w.crawl({ mode: 'backfill' });
    expect(second.resumed).toBe(true);
    expect(second.runId).toBe(first.runId);
    expect(second.status).toBe('finished');
    expect(latestReports(w.db).length).toBe(w.replica.sites['trs-wcm'].reports().length);
    expect(w.db.prepare('SELECT url, count(*) AS n FROM fetches GROUP BY url HAVING n > 1').all()).toEqual([]);
    expect(w.db.prepare(`SELECT count(*) AS n FROM frontier WHERE status <> 'done'`).get()).toEqual({ n: 0 });
  });
});
