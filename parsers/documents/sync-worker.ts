/** The worker of parseDocumentSync (sync.ts): reads one document per message, answers on its port, raises the flag. */
import { parentPort } from 'node:worker_threads';
import { parseDocument, type DocumentResult } from './index.ts';
import type { SyncRequest } from './sync.ts';

parentPort?.on('message', async (m: SyncRequest) => {
  let result: DocumentResult;
  try {
    result = await parseDocument(m.bytes, m.input);
  } catch (e) {
    result = { status: 'not_parsed', kind: null, reason: `document reader failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  m.port.postMessage(result);
  m.port.close();
  Atomics.store(m.flag, 0, 1);
  Atomics.notify(m.flag, 0);
});
