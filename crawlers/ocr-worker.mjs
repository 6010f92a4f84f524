// Entry of the OCR worker thread (ocr-runner.ts): the OCR modules are TypeScript, run through tsx's loader
// (a worker thread does not inherit the main thread's loader), as storage/pool-worker.mjs does.
import { register } from 'tsx/esm/api';

register();
await import('./ocr-worker.ts');
