/** A worker of WorkWorkers (work-workers.ts: IngestPool and the crawler's CommitBatcher): the CPU work of a fetch — compress its bytes, parse them — and nothing else. */
import { parentPort } from 'node:worker_threads';
import type { Codec } from './blobs.ts';
import type { Derivation } from './derive.ts';
import { workFetch, type FetchPlan } from './ingest.ts';

export interface WorkRequest {
  id: number;
  url: string;
  headers: Record<string, string | string[]>;
  body: Uint8Array;
  compress: boolean;
  parse: boolean;
}

export interface WorkResponse {
  id: number;
  codec: Codec | null;
  data: Uint8Array | null;
  derivation: Derivation | null;
}

parentPort?.on('message', (m: WorkRequest) => {
  const body = Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
  const plan = { input: { url: m.url }, headers: m.headers, body, compress: m.compress, parse: m.parse } as FetchPlan;
  const work = workFetch(plan);
  const res: WorkResponse = { id: m.id, ...work };
  parentPort!.postMessage(res);
});
