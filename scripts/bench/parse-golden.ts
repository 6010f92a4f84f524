/**
 * The parser's output on every fixture, to prove an optimisation changed nothing.
 *
 *   npx tsx scripts/bench/parse-golden.ts write [dir]    # write one JSON per input (default .bench/golden)
 *   npx tsx scripts/bench/parse-golden.ts check [dir]    # compare with what `write` wrote; exit 1 on a difference
 *   npx tsx scripts/bench/parse-golden.ts digests        # rewrite the committed digests (after a justified change)
 *   add --replica to also parse every page the replica portals serve (127.0.0.1, both nights)
 *
 * Inputs: the files under ../shared/fixtures, ../shared/seeds and test/fixtures (as bytes through the archive's
 * entry, parseFetchedDetailed, and pages also as a decoded string through parsePageDetailed), plus cut-short
 * copies of each page (the truncated-download and no-container paths). test/parse-golden.test.ts checks the
 * pages and texts against the committed digests in test/fixtures/parse-golden.json.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFetchedDetailed } from '../../parsers/fetched.ts';
import { parsePageDetailed } from '../../parsers/report.ts';
import type { PageInput } from '../../parsers/types.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED = resolve(ROOT, '..', 'shared');
const DIRS = [join(SHARED, 'fixtures'), join(SHARED, 'seeds'), join(ROOT, 'test', 'fixtures')];
/** files that are inputs to the parser (expected outputs, manifests and link lists are not) */
const INPUT_EXT = /\.(html?|txt|md|xml|pdf|docx?|wps|ofd)$/i;

export const DIGEST_FILE = join(ROOT, 'test', 'fixtures', 'parse-golden.json');

export interface GoldenInput {
  name: string;
  run: () => unknown;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : INPUT_EXT.test(f) && f !== 'README.md' ? [p] : [];
  });
}

/** What a parse gave, or the error it threw, as plain JSON. */
function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message };
  }
}

/** Every fixture file as inputs: bytes (archive entry), and for pages the decoded string and cut copies. */
export function staticInputs(opts: { documents?: boolean } = {}): GoldenInput[] {
  const out: GoldenInput[] = [];
  for (const dir of DIRS) {
    for (const path of walk(dir)) {
      const name = relative(ROOT, path);
      const bytes = readFileSync(path);
      const isDoc = /\.(pdf|docx?|wps|ofd)$/i.test(path);
      if (isDoc && opts.documents === false) continue;
      out.push({ name: `${name}#bytes`, run: () => parseFetchedDetailed({ body: bytes, url: 'https://example.gov.cn/a/b/page.html' }) });
      if (isDoc) continue;
      const text = bytes.toString('utf8');
      out.push({ name: `${name}#string`, run: () => parsePageDetailed({ body: text, url: null }) });
      if (!/\.html?$/i.test(path)) continue;
      for (const frac of [0.35, 0.6, 0.85]) {
        const cut = bytes.subarray(0, Math.floor(bytes.length * frac));
        out.push({ name: `${name}#cut${frac}`, run: () => parsePageDetailed({ body: cut, url: null }) });
      }
      // no known container class: the whole-page DOM path
      const plain = Buffer.from(bytes.toString('latin1').replace(/class="[^"]*"/g, '').replace(/id="[^"]*"/g, ''), 'latin1');
      out.push({ name: `${name}#noclass`, run: () => parsePageDetailed({ body: plain, url: null }) });
    }
  }
  return out;
}

export function digest(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 32);
}

export function runInputs(inputs: GoldenInput[]): Map<string, unknown> {
  return new Map(inputs.map((i) => [i.name, outcome(i.run)]));
}

/** Every page the replica portals serve, fetched on 127.0.0.1, night 1 then night 2; the ports normalised away. */
async function replicaOutputs(): Promise<Map<string, unknown>> {
  const { startReplica } = await import('../replica/index.ts');
  const r = await startReplica({ seed: 1, only: ['pingtan', 'hanweb', 'trs-wcm', 'gkmlpt', 'jpaas', 'attachments'] });
  const out = new Map<string, unknown>();
  try {
    const bases = Object.values(r.sites).map((s) => [s.baseUrl, `http://${s.id}.replica`] as const);
    const norm = (v: unknown) => {
      let s = JSON.stringify(v);
      for (const [b, n] of bases) s = s.split(b).join(n);
      return JSON.parse(s);
    };
    for (const night of [1, 2]) {
      if (night === 2) r.nextNight();
      for (const site of Object.values(r.sites)) {
        for (const d of site.docs()) {
          const res = await fetch(d.url, { redirect: 'follow' });
          if (res.status !== 200) continue;
          const body = new Uint8Array(await res.arrayBuffer());
          const input: PageInput = { body, url: d.url, headers: { 'content-type': res.headers.get('content-type') ?? undefined } as PageInput['headers'] };
          const parsed = outcome(() => parseFetchedDetailed(input)) as { report?: { attachments?: Array<{ url: string }> } };
          out.set(`replica/n${night}/${site.id}${d.path}`, norm(parsed));
          for (const a of parsed.report?.attachments ?? []) {
            if (!a.url.startsWith(site.baseUrl)) continue;
            const f = await fetch(a.url, { redirect: 'follow' });
            if (f.status !== 200) continue;
            const fb = new Uint8Array(await f.arrayBuffer());
            out.set(`replica/n${night}/${site.id}${a.url.slice(site.baseUrl.length)}`, norm(outcome(() =>
              parseFetchedDetailed({ body: fb, url: a.url, headers: { 'content-type': f.headers.get('content-type') ?? undefined } as PageInput['headers'] }))));
          }
        }
      }
    }
  } finally {
    await r.close();
  }
  return out;
}

async function main() {
  const [mode, dirArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const dir = resolve(dirArg ?? join(ROOT, '.bench', 'golden'));
  const outputs = mode === 'digests' ? new Map() : runInputs(staticInputs());
  if (mode !== 'digests' && process.argv.includes('--replica')) for (const [k, v] of await replicaOutputs()) outputs.set(k, v);
  const file = (name: string) => join(dir, name.replace(/[\\/#:]/g, '__') + '.json');
  if (mode === 'digests') {
    // the committed regression snapshot (pages and texts: the report files take seconds on the worker, and the replica needs ports)
    const d = Object.fromEntries([...runInputs(staticInputs({ documents: false }))].map(([k, v]) => [k, digest(v)]));
    writeFileSync(DIGEST_FILE, JSON.stringify(d, null, 1) + '\n');
    console.log(`wrote ${Object.keys(d).length} digests to ${relative(ROOT, DIGEST_FILE)}`);
  } else if (mode === 'write') {
    mkdirSync(dir, { recursive: true });
    for (const [k, v] of outputs) writeFileSync(file(k), JSON.stringify(v, null, 1));
    console.log(`wrote ${outputs.size} outputs to ${dir}`);
  } else if (mode === 'check') {
    let bad = 0;
    for (const [k, v] of outputs) {
      const f = file(k);
      const want = existsSync(f) ? readFileSync(f, 'utf8') : null;
      if (want !== JSON.stringify(v, null, 1)) {
        bad++;
        console.log(`DIFF ${k}${want === null ? ' (no golden output)' : ''}`);
        if (want !== null) writeFileSync(f.replace(/\.json$/, '.new.json'), JSON.stringify(v, null, 1));
      }
    }
    console.log(`${outputs.size - bad}/${outputs.size} identical`);
    process.exitCode = bad ? 1 : 0;
  } else {
    console.error('usage: parse-golden.ts write|check [dir] [--replica]');
    process.exitCode = 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
