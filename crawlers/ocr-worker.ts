/**
 * The OCR worker thread: reads one table picture at a time (parsers/ocr, tesseract synchronously — seconds
 * of CPU) so the crawl thread never waits for it. Replies with the outcome, or the error (not a PNG, no grid).
 */
import { parentPort } from 'node:worker_threads';
import { decodePng, ocrTableRaster, tesseractAvailable, type Gray } from '../parsers/ocr/index.ts';
import type { OcrJob, OcrReply } from './ocr-runner.ts';

const refused = (id: number, e: unknown): OcrReply => ({ id, status: 'refused', reason: e instanceof Error ? e.message : String(e) });

export function readPicture(job: OcrJob, available: () => boolean = tesseractAvailable): OcrReply {
  // a file that is not a PNG is refused whether or not tesseract is here
  let gray: Gray;
  try {
    gray = decodePng(job.png);
  } catch (e) {
    return refused(job.id, e);
  }
  if (!available()) return { id: job.id, status: 'not_run', reason: 'tesseract (with chi_sim and eng) is not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim' };
  try {
    const o = ocrTableRaster(gray, job.table, job.source);
    if (!o.ok) return { id: job.id, status: 'refused', reason: o.reason, checks: o.checks };
    const values = Object.fromEntries(Object.entries(o.cells).map(([k, c]) => [k, c.value]));
    return { id: job.id, status: 'accepted', reason: null, values, warning: o.warning, checks: o.checks };
  } catch (e) {
    // a picture with no ruled grid: refused, with why
    return refused(job.id, e);
  }
}

parentPort?.on('message', (job: OcrJob) => parentPort!.postMessage(readPicture(job)));
