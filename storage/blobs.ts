/**
 * Content-addressed raw bytes: sha256 of the bytes as received → compressed bytes.
 *
 * Brotli quality 1 (text mode). Every new version of a page is a new blob, so compression is paid once per
 * version, on the ingest path. Measured on 300 pages of the archive benchmark (avg 116 KB of HTML/text,
 * CPU time of one core):
 *   gzip-6    13.0 % of original,  66 MB/s compress (1.8 ms a page)
 *   brotli-1  14.2 %,             310 MB/s           (0.4 ms)   ← chosen (since migration 6)
 *   brotli-3  13.0 %,             135 MB/s           (0.9 ms)   (the second choice)
 *   brotli-4  12.3 %,              90 MB/s           (1.3 ms)
 *   brotli-5  11.0 %,              52 MB/s           (2.3 ms)   (the first choice)
 * Re-measured on 400 pages of the 100,000-version stream (117 KB each): brotli-1 16.4 KB a page in 0.45 ms,
 * brotli-2 15.3 KB in 0.77 ms, brotli-3 14.9 KB in 0.98 ms, gzip-1 17.2 KB in 0.86 ms. Compression is a
 * sixth of a version's parallel CPU: 1.5 KB more a page buys back 0.5 ms of it. All decompress at ~0.3 ms
 * a page. The codec is stored per blob (and brotli's quality is not needed to decompress), so an archive
 * mixes qualities freely and a later change of mind needs no rewrite.
 */
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import type { Archive } from './types.ts';
import { sha256Hex } from './normalise.ts';
import { stmt } from './sql.ts';

export type Codec = 'br' | 'gzip' | 'identity';

export const BROTLI_QUALITY = 1;

export interface PreparedBlob {
  sha256: string;
  size: number;
  codec: Codec;
  /** null when the archive already holds these bytes (nothing to compress) */
  data: Buffer | null;
}

export function compress(bytes: Uint8Array): { codec: Codec; data: Buffer } {
  const data = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  // tiny or incompressible bodies (images, already-compressed PDFs) are kept as they are
  return data.length < bytes.length ? { codec: 'br', data } : { codec: 'identity', data: Buffer.from(bytes) };
}

export function decompress(codec: string, data: Buffer): Buffer {
  if (codec === 'br') return brotliDecompressSync(data);
  if (codec === 'gzip') return gunzipSync(data);
  if (codec === 'identity') return data;
  throw new Error(`unknown blob codec "${codec}"`);
}

export function hasBlob(db: Archive, sha256: string): boolean {
  return stmt(db, 'SELECT 1 FROM blobs WHERE sha256 = ?').get(sha256) !== undefined;
}

/** Hash and (unless already stored) compress, outside any transaction: CPU work holds no lock. */
export function prepareBlob(db: Archive, bytes: Uint8Array): PreparedBlob {
  const sha256 = sha256Hex(bytes);
  if (hasBlob(db, sha256)) return { sha256, size: bytes.length, codec: 'identity', data: null };
  const { codec, data } = compress(bytes);
  return { sha256, size: bytes.length, codec, data };
}

/** Store prepared bytes (idempotent). Compresses now if prepareBlob skipped it but the blob is gone. */
export function storeBlob(db: Archive, blob: PreparedBlob, bytes: Uint8Array): string {
  if (blob.data === null) {
    if (hasBlob(db, blob.sha256)) return blob.sha256;
    blob = { ...blob, ...compress(bytes) };
  }
  stmt(db, 'INSERT OR IGNORE INTO blobs (sha256, size, codec, data) VALUES (?, ?, ?, ?)').run(blob.sha256, blob.size, blob.codec, blob.data);
  return blob.sha256;
}

export function putBlob(db: Archive, bytes: Uint8Array): string {
  return storeBlob(db, prepareBlob(db, bytes), bytes);
}

/** The original bytes. With verify, throws if they do not hash to their address. */
export function getBlob(db: Archive, sha256: string, opts: { verify?: boolean } = {}): Buffer | null {
  const row = stmt(db, 'SELECT codec, data FROM blobs WHERE sha256 = ?').get(sha256) as { codec: string; data: Buffer } | undefined;
  if (!row) return null;
  const bytes = decompress(row.codec, row.data);
  if (opts.verify && sha256Hex(bytes) !== sha256) throw new Error(`blob ${sha256} is corrupt: its bytes hash to ${sha256Hex(bytes)}`);
  return bytes;
}
