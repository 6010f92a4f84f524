/** A worker of CommitBatcher (commit-batcher.ts): the CPU work of a fetch (storage's workFetch: compress, parse). */
import { parentPort } from 'node:worker_threads';
import { workFetch, type FetchPlan, type FetchWork } from '../storage/ingest.ts';

export interface WorkJob {
  id: number;
  url: string;
  headers: Record<string, string | string[]>;
  body: Uint8Array;
  compress: boolean;
  parse: boolean;
}

export interface WorkDone extends FetchWork {
  id: number;
}

parentPort?.on('message', (m: WorkJob) => {
  const body = Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
  // workFetch reads only these fields of a plan
  const plan = { input: { url: m.url }, headers: m.headers, body, compress: m.compress, parse: m.parse } as FetchPlan;
  const done: WorkDone = { id: m.id, ...workFetch(plan) };
  parentPort!.postMessage(done);
});
