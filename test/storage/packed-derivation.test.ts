/** What a worker sends the writer (packDerivation) is the derivation the writer would have made itself. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { derive, packDerivation, unpackDerivation, type Derivation } from '../../storage/derive.ts';
import { allPages } from './helpers.ts';

const derivations = () => allPages().map((p) => derive(p.body, { url: p.url, headers: { 'content-type': p.contentType } }));

describe('packed derivations', () => {
  it('unpack to the same derivation but the report, through a structured clone, for every fixture page', () => {
    const ds = derivations();
    expect(ds.filter((d) => d.status === 'report' && d.cells.length > 50).length).toBeGreaterThan(10);
    for (const d of ds) {
      const sent = deserialize(serialize(packDerivation(d)));
      expect(sent.cells).toEqual([]);
      expect(unpackDerivation(sent)).toEqual({ ...d, report: null });
    }
  });

  it('keep cells JSON cannot carry exactly as they are', () => {
    const d = derivations().find((x) => x.status === 'report')!;
    for (const odd of [Number.NaN, -0, Number.POSITIVE_INFINITY]) {
      const withOdd: Derivation = { ...d, cells: [...d.cells, { table: 'active', key: 'odd', value: odd, raw: null }] };
      const packed = packDerivation(withOdd);
      expect(packed.cellsJson).toBeNull();
      expect(Object.is(unpackDerivation(deserialize(serialize(packed))).cells.at(-1)!.value, odd)).toBe(true);
    }
  });
});
