/**
 * Child process for sigkill.test.ts: a minimal crawl loop — recover, lease, fetch, commit (with the links
 * a list page names) — until the frontier is empty or the process is killed.
 * Usage: node --import tsx test/crawlers/crawl-worker.ts <db> <run-id> [one|batch]
 *   one    commitFetch: one transaction per fetch, parsed on this thread (default)
 *   batch  CommitBatcher: up to 8 fetches per transaction (parsed on this thread: a worker's start-up is slow here)
 * Prints "ready", then "ok <frontier-id> <fetch-id>" after each commit (stdout to a pipe is synchronous
 * on Linux: a printed line was committed before it left), and "done" when nothing is left.
 */
import { CommitBatcher } from '../../crawlers/commit-batcher.ts';
import { commitFetch, type CommitOptions, type CommitResult } from '../../crawlers/commit.ts';
import { Fetcher } from '../../crawlers/fetcher.ts';
import { frontierCounts, lease, recoverInFlight, type FrontierItem } from '../../crawlers/frontier.ts';
import { openArchive } from '../../storage/index.ts';

const [dbPath, runArg, mode = 'one'] = process.argv.slice(2);
const runId = Number(runArg);
const db = openArchive(dbPath);
const recovered = recoverInFlight(db);
const fetcher = new Fetcher({
  allowedHosts: ['127.0.0.1'], allowPrivate: ['127.0.0.1'],
  globalConcurrency: 4, hostDefaults: { concurrency: 2, delayMs: 0 }, timeoutMs: 5000, retry: { baseMs: 10 },
});
const batcher = mode === 'batch' ? new CommitBatcher(db, { workers: 0, maxBatch: 8, maxDelayMs: 20 }) : null;
const commit = (item: FrontierItem, result: Awaited<ReturnType<Fetcher['fetch']>>, opts: CommitOptions): Promise<CommitResult> =>
  batcher ? batcher.submit(item, result, opts) : Promise.resolve(commitFetch(db, item, result, opts));
process.stdout.write(`ready ${recovered}\n`);

const SLOTS = 4;
const inFlight = new Set<Promise<void>>();

async function work(item: FrontierItem): Promise<void> {
  const result = await fetcher.fetch(item.requestUrl);
  const links = item.kind === 'list' && result.body
    ? [...result.body.toString('utf8').matchAll(/href="([^"]+)"/g)].map((m) => new URL(m[1], result.finalUrl).href)
    : [];
  const c = await commit(item, result, {
    discovered: links.map((url) => ({ url, kind: 'detail' as const, depth: item.depth + 1, discoveredFrom: item.url, runId, site: item.site })),
  });
  process.stdout.write(`ok ${item.id} ${c.final?.fetchId ?? 0}\n`);
}

for (;;) {
  if (inFlight.size < SLOTS) {
    for (const item of lease(db, { limit: SLOTS - inFlight.size, perHost: 2 })) {
      const p: Promise<void> = work(item).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  }
  if (inFlight.size === 0) {
    if (frontierCounts(db).queued === 0) break;
    await new Promise((r) => setTimeout(r, 20)); // something queued but not yet due
    continue;
  }
  await Promise.race(inFlight);
}
await batcher?.close();
process.stdout.write('done\n');
await fetcher.close();
db.close();
