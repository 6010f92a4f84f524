/**
 * Registry validation on load: a malformed file fails with an error naming the file and the entry; the replica
 * portals' registry (written the way the crawl tests write it) still loads unchanged.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRegistry, RegistryError } from '../../crawlers/registry.ts';
import { world } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'nianbao-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = {
  id: 'x-good', name: '某市人民政府', province: '福建省', city: '某市', county: null, level: 'city', family: 'generic',
  entryUrls: ['http://127.0.0.1:9/zfxxgknb/'], overrides: {},
};

let n = 0;
/** a registry directory holding one file whose second entry is `bad` */
function withBad(bad: unknown): { dir: string; file: string } {
  const d = join(dir, `case${++n}`);
  mkdirSync(d);
  const file = join(d, 'fujian.json');
  writeFileSync(file, JSON.stringify([good, bad]));
  return { dir: d, file };
}

function loadError(registryDir: string): RegistryError {
  try {
    loadRegistry(registryDir);
  } catch (err) {
    expect(err).toBeInstanceOf(RegistryError);
    return err as RegistryError;
  }
  throw new Error('loaded without an error');
}

describe('a malformed registry file', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no family', { family: undefined }, /"family" must be a non-empty string/],
    ['an unknown family', { family: 'dedecms' }, /unknown family "dedecms".*planned: gkmlpt/],
    ['a relative entry URL', { entryUrls: ['/col/col1/index.html'] }, /"entryUrls": not an absolute URL: \/col\/col1/],
    ['a non-http entry URL', { entryUrls: ['ftp://h.gov.cn/'] }, /not http\(s\): ftp:/],
    ['no entry URL while verified', { entryUrls: [] }, /only an unverified entry/],
    ['a bad level', { level: 'township' }, /"level" must be one of national \| province/],
    ['an unknown field', { verfied: false }, /unknown field\(s\) verfied/],
    ['a host with a path', { overrides: { hosts: ['h.gov.cn/x'] } }, /"overrides.hosts" must be/],
    ['a negative delay', { overrides: { delayMs: -1 } }, /"overrides.delayMs" must be a number/],
    ['an unknown challenge', { challenge: 'captcha' }, /"challenge" must be one of riversafe-412/],
    ['bad sample URLs', { verified: false, entryUrls: [], sampleUrls: ['x'] }, /"sampleUrls": not an absolute URL: x/],
  ];
  for (const [what, change, message] of cases) {
    it(`with ${what} names the file and the entry`, () => {
      const { dir: d, file } = withBad({ ...good, id: 'x-bad', ...change });
      const err = loadError(d);
      expect(err.message.startsWith(`${file}: entry #1 (x-bad): `)).toBe(true);
      expect(err.message).toMatch(message);
      expect([err.file, err.entry]).toEqual([file, '#1 (x-bad)']);
    });
  }

  it('that is not an object, or not JSON, is named too', () => {
    expect(loadError(withBad('just text').dir).message).toMatch(/fujian\.json: entry #1: not an object/);
    const d = join(dir, 'broken');
    mkdirSync(d);
    writeFileSync(join(d, 'hebei.json'), '[{"id": "x",]');
    expect(loadError(d).message).toMatch(/hebei\.json: entry -: not readable JSON/);
  });

  it('reusing an id of another file names both files', () => {
    const d = join(dir, 'dup');
    mkdirSync(d);
    writeFileSync(join(d, 'a.json'), JSON.stringify([good]));
    writeFileSync(join(d, 'b.json'), JSON.stringify([{ ...good, name: '另一个' }]));
    const err = loadError(d);
    expect(err.message).toBe(`${join(d, 'b.json')}: entry #0 (x-good): duplicate id, already used in ${join(d, 'a.json')}`);
  });

  it('loads when every entry is valid, unverified entries without a URL and planned families included', () => {
    const d = join(dir, 'fine');
    mkdirSync(d);
    const lead = { ...good, id: 'x-lead', family: 'gkmlpt', entryUrls: [], verified: false, source: 'research', hints: { sid: '2' } };
    writeFileSync(join(d, 'fujian.json'), JSON.stringify([good, lead]));
    expect(loadRegistry(d)).toEqual([good, lead]);
  });
});

describe('the replica portals\' registry', () => {
  it('still loads, entry for entry', async () => {
    const w = await world();
    try {
      const loaded = loadRegistry(w.registryDir);
      expect(loaded.length).toBe(w.replica.registry.length);
      expect(loaded.length).toBeGreaterThan(3);
      for (const e of w.replica.registry) expect(loaded.find((x) => x.id === e.id)).toEqual(e);
    } finally {
      await w.close();
    }
  });
});
