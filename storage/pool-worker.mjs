// Entry of WorkWorkers' threads (work-workers.ts): the storage modules are TypeScript, run through tsx's loader
// (as scripts/bin/nianbao.js does for the CLI); a worker thread does not inherit the main thread's loader.
import { register } from 'tsx/esm/api';

register();
await import('./pool-worker.ts');
