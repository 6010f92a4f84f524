/**
 * OcrRunner: reads the crawl's stored table pictures (crawlers/table-pictures.ts) with OCR on a worker
 * thread, one at a time, after their fetch is committed — outside every write transaction, never on the
 * crawl loop — and stores each outcome with its page's report version (storage/ocr-results.ts).
 *
 *   const ocr = new OcrRunner(db);   ocr.poke();   …   await ocr.drain();   await ocr.close();
 *
 * What is to read comes from the archive (pendingPictures), not from memory: a run killed mid-OCR, or one
 * without tesseract, leaves the pictures stored and the next run's first poke() reads them. Without tesseract
 * the outcome is recorded as 'not_run' with the reason (and read again by a run that has it).
 */
import { Worker } from 'node:worker_threads';
import type { CheckResult, ParseWarning, TableKey } from '../parsers/types.ts';
import { getBlob } from '../storage/blobs.ts';
import { pendingPictures, recordOcrOutcome, reuseOcrOutcome, type OcrStatus, type PendingPicture } from '../storage/ocr-results.ts';
import type { Archive } from '../storage/types.ts';

export interface OcrJob {
  id: number;
  png: Uint8Array;
  table: TableKey;
  source: string;
}

export interface OcrReply {
  id: number;
  status: OcrStatus;
  reason: string | null;
  values?: Record<string, number>;
  warning?: ParseWarning;
  checks?: CheckResult[];
}

export interface OcrRunnerOptions {
  /** false: record every picture as not read, with this reason (tests without tesseract; default: ask the worker) */
  available?: boolean;
  /** the worker entry (default ocr-worker.mjs) */
  entry?: URL;
  onOutcome?: (p: PendingPicture, status: OcrStatus, reason: string | null) => void;
}

const WORKER_URL = new URL('./ocr-worker.mjs', import.meta.url);
const key = (p: PendingPicture) => `${p.versionId} ${p.table} ${p.pictureUrl}`;

export class OcrRunner {
  private worker: Worker | null = null;
  private readonly queue: PendingPicture[] = [];
  private readonly known = new Set<string>();
  private busy: PendingPicture | null = null;
  private idle: (() => void)[] = [];
  private nextId = 1;
  private closed = false;
  private failure: unknown = null;
  private firstPoke = true;

  constructor(private readonly db: Archive, private readonly opts: OcrRunnerOptions = {}) {}

  /** Queue every stored picture table with no outcome yet (the first call also retries 'not_run' ones). */
  poke(): void {
    if (this.closed) return;
    const retryNotRun = this.firstPoke && this.opts.available !== false;
    this.firstPoke = false;
    for (const p of pendingPictures(this.db, { retryNotRun })) {
      if (this.known.has(key(p))) continue;
      this.known.add(key(p));
      this.queue.push(p);
    }
    this.pump();
  }

  /** Resolves when every queued picture has its outcome stored. */
  drain(): Promise<void> {
    if (!this.busy && !this.queue.length) return this.failure ? Promise.reject(this.failure) : Promise.resolve();
    return new Promise((resolve, reject) => this.idle.push(() => (this.failure ? reject(this.failure) : resolve())));
  }

  /** Stop: the picture being read is left unread (a later run reads it), the worker ends. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
    this.busy = null;
    for (const f of this.idle.splice(0)) f();
  }

  private pump(): void {
    while (!this.busy && this.queue.length && !this.closed) {
      const p = this.queue.shift()!;
      const now = Date.now();
      try {
        if (reuseOcrOutcome(this.db, p, now)) continue;
        if (this.opts.available === false) {
          this.store(p, { id: 0, status: 'not_run', reason: 'OCR not available in this run (tesseract not installed or OCR turned off)' });
          continue;
        }
        const png = p.sha256 ? getBlob(this.db, p.sha256) : null;
        if (!png) {
          this.store(p, { id: 0, status: 'refused', reason: 'the picture is not stored' });
          continue;
        }
        this.send(p, png);
      } catch (e) {
        this.failure ??= e;
      }
    }
    if (!this.busy && !this.queue.length) for (const f of this.idle.splice(0)) f();
  }

  private send(p: PendingPicture, png: Uint8Array): void {
    const w = this.ensureWorker();
    const job: OcrJob = { id: this.nextId++, png, table: p.table, source: p.pictureUrl };
    this.busy = p;
    w.ref();
    w.postMessage(job);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.opts.entry ?? WORKER_URL);
    w.on('message', (r: OcrReply) => {
      const b = this.busy;
      this.busy = null;
      w.unref();
      if (b && !this.closed) {
        try {
          this.store(b, r);
        } catch (e) {
          this.failure ??= e;
        }
      }
      this.pump();
    });
    const died = (why: string) => {
      if (this.worker !== w) return;
      this.worker = null;
      const b = this.busy;
      this.busy = null;
      // the picture stays unread (no outcome stored): a later run reads it again
      if (b) this.opts.onOutcome?.(b, 'not_run', why);
      this.pump();
    };
    w.on('error', (e) => died(`OCR worker failed: ${e.message}`));
    w.on('exit', (code) => died(`OCR worker exited (${code})`));
    this.worker = w;
    return w;
  }

  private store(p: PendingPicture, r: OcrReply): void {
    recordOcrOutcome(this.db, {
      versionId: p.versionId, table: p.table, pictureUrl: p.pictureUrl, pictureSha256: p.sha256, status: r.status, reason: r.reason,
      values: r.values, warning: r.warning ?? null, checks: r.checks, at: Date.now(),
    });
    this.opts.onOutcome?.(p, r.status, r.reason);
  }
}
