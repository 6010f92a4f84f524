// Entry of parseDocumentSync's worker: the parser modules are TypeScript, run through tsx's loader (a worker
// thread does not inherit the main thread's loader; storage/pool-worker.mjs does the same).
import { register } from 'tsx/esm/api';

register();
await import('./sync-worker.ts');
