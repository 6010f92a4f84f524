/**
 * Regression guard: the parser's output on every fixture (pages as bytes and as text, cut-short copies, pages
 * without container classes, report files) is unchanged since the digests were written. A failure means the
 * output changed: if that is an intended fix, bump PARSER_VERSION and rewrite the digests with
 * `npx tsx scripts/bench/parse-golden.ts digests` (and see `write`/`check` there to diff the outputs).
 * The hand-checked values in the other parser tests remain the truth; this only catches silent drift.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIGEST_FILE, digest, runInputs, staticInputs } from '../scripts/bench/parse-golden.ts';

describe('parser output on every fixture', () => {
  it('matches the committed digests, input by input', () => {
    const want: Record<string, string> = JSON.parse(readFileSync(DIGEST_FILE, 'utf8'));
    const got = Object.fromEntries([...runInputs(staticInputs({ documents: false }))].map(([k, v]) => [k, digest(v)]));
    expect(Object.keys(got).length).toBeGreaterThan(150);
    expect(got).toEqual(want);
  }, 60_000);
});
