/**
 * parseDocument for synchronous callers (the archive's derive step runs inside a write transaction): the
 * async readers run on a worker thread while this thread waits on a shared flag (Atomics.wait), then takes
 * the result off a message port without an event-loop turn. One worker is kept (unref'd) and reused;
 * a read that overruns the time limit ends the worker and is reported as not parsed.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { documentKind } from './detect.ts';
import type { DocumentInput, DocumentResult } from './index.ts';

export interface SyncRequest {
  flag: Int32Array;
  port: MessagePort | import('node:worker_threads').MessagePort;
  bytes: Uint8Array;
  input: DocumentInput;
}

const WORKER_URL = new URL('./sync-worker.mjs', import.meta.url);
/** A report file takes well under a second; a minute means the file is pathological. */
export const DOCUMENT_TIMEOUT_MS = 60_000;

let worker: Worker | null = null;

function getWorker(): Worker {
  if (!worker) {
    const w = new Worker(WORKER_URL);
    w.unref();
    w.on('error', () => {
      if (worker === w) worker = null;
    });
    w.on('exit', () => {
      if (worker === w) worker = null;
    });
    worker = w;
  }
  return worker;
}

/** parseDocument, blocking until it is done. Never throws. */
export function parseDocumentSync(bytes: Uint8Array, input: DocumentInput = {}, timeoutMs = DOCUMENT_TIMEOUT_MS): DocumentResult {
  const kind = documentKind(bytes, input.contentType, input.url);
  const w = getWorker();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  try {
    w.postMessage({ flag, port: port2, bytes: new Uint8Array(bytes), input: { contentType: input.contentType ?? null, url: input.url ?? null } }, [port2]);
    const waited = Atomics.wait(flag, 0, 0, timeoutMs);
    const msg = receiveMessageOnPort(port1);
    if (waited === 'timed-out' || !msg) {
      void w.terminate();
      worker = null;
      return { status: 'not_parsed', kind, reason: `reading the ${kind ?? 'document'} did not finish within ${timeoutMs / 1000} s` };
    }
    return msg.message as DocumentResult;
  } finally {
    port1.close();
  }
}
