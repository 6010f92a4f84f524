// Entry of CommitBatcher's worker threads: the modules are TypeScript, run through tsx's loader (a worker
// thread does not inherit the main thread's loader).
import { register } from 'tsx/esm/api';

register();
await import('./ingest-worker.ts');
