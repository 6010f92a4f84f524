/**
 * (b) Night two: a nightly crawl finds exactly what changed, and unchanged reports cost a 304. A report
 * unlinked from its list but still served is delisted, not removed; listed again, it is relisted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalUrl, listChanges } from '../../storage/index.ts';
import type { NightSummary } from '../../scripts/replica/index.ts';
import { world, type World } from './helpers.ts';

const SITES = ['pingtan', 'hanweb', 'trs-wcm'] as const;
let w: World;
let night: NightSummary;
let night2Start: string;
let summary: Awaited<ReturnType<World['crawl']>>;

beforeAll(async () => {
  w = await world({ only: [...SITES] });
  const first = await w.crawl();
  expect(first.status).toBe('finished');
  w.replica.log.clear();
  night = w.replica.nextNight();
  night2Start = new Date().toISOString();
  summary = await w.crawl();
});
afterAll(async () => {
  await w?.close();
});

describe('night two', () => {
  it('the replica changed something on every portal', () => {
    for (const id of SITES) {
      const kinds = night.changes.filter((c) => c.site === id).map((c) => c.kind);
      expect(kinds, id).toContain('added');
      expect(kinds, id).toContain('edited');
      expect(kinds, id).toContain('deleted');
    }
  });

  it('finds exactly the added, edited and deleted reports', () => {
    const changes = listChanges(w.db, { since: night2Start, limit: 1000 });
    const byKind = (k: string) => changes.filter((c) => c.kind === k).map((c) => c.url).sort();
    const urls = (k: string) => night.changes.filter((c) => c.kind === k).map((c) => canonicalUrl(c.url)).sort();
    expect(byKind('new')).toEqual(urls('added'));
    expect(byKind('removed')).toEqual(urls('deleted'));
    // the family sites unlink one report each and keep serving it
    expect(urls('unlinked')).toHaveLength(2);
    expect(byKind('delisted')).toEqual(urls('unlinked'));
    const edited = changes.filter((c) => c.kind === 'numbers_changed' || c.kind === 'text_changed');
    expect([...new Set(edited.map((c) => c.url))].sort()).toEqual(urls('edited'));
    // the Pingtan edit changes numbers
    const pt = night.changes.find((c) => c.site === 'pingtan' && c.kind === 'edited')!;
    expect(edited.filter((c) => c.url === canonicalUrl(pt.url)).map((c) => c.kind)).toContain('numbers_changed');
    expect(changes.filter((c) => !['new', 'removed', 'numbers_changed', 'text_changed', 'delisted'].includes(c.kind))).toEqual([]);
    expect(summary.counts.new).toBe(urls('added').length);
    expect(summary.counts.removed).toBe(urls('deleted').length);
    expect(summary.counts.changed).toBe(edited.length);
    expect(summary.counts.delisted).toBe(2);
  });

  it('unchanged reports answered 304: no body sent for them on night two', () => {
    for (const id of SITES) {
      const site = w.replica.sites[id];
      const changed = new Set(night.changes.filter((c) => c.site === id).map((c) => new URL(c.url).pathname));
      const unchanged = site.reports().filter((d) => !changed.has(d.path));
      expect(unchanged.length).toBeGreaterThan(3);
      const log = w.replica.log.entries({ site: id });
      for (const d of unchanged) {
        const hits = log.filter((e) => e.path === d.path);
        expect(hits.length, `${id} ${d.path}`).toBe(1);
        expect(hits[0].status).toBe(304);
        expect(hits[0].bytes).toBe(0);
      }
      // the deleted report was asked for (and answered 404), the edited and new ones fetched with a body
      for (const c of night.changes.filter((x) => x.site === id)) {
        const hits = log.filter((e) => e.path === new URL(c.url).pathname);
        expect(hits.length, `${c.kind} ${c.url}`).toBe(1);
        expect(hits[0].status).toBe(c.kind === 'deleted' ? 404 : c.kind === 'unlinked' ? 304 : 200);
      }
    }
  });

  it('a third crawl with nothing changed finds nothing', async () => {
    const at = new Date().toISOString();
    const s = await w.crawl();
    expect(s.counts.new + s.counts.changed + s.counts.removed).toBe(0);
    expect(listChanges(w.db, { since: at })).toEqual([]);
  });

  it('a delisted report is still live, re-checked every night, and relisted when a list names it again', async () => {
    const unlinked = night.changes.filter((c) => c.kind === 'unlinked');
    const doc = (url: string) => w.db.prepare('SELECT status, delisted_since FROM documents WHERE url = ?').get(canonicalUrl(url)) as { status: string; delisted_since: string | null };
    for (const c of unlinked) expect(doc(c.url)).toMatchObject({ status: 'live', delisted_since: expect.any(String) });
    // the replica links the Hanweb one again
    const hw = unlinked.find((c) => c.site === 'hanweb')!;
    const set = (w.replica.sites.hanweb.site as unknown as { set: { docs: { status: string; title: string }[] } }).set;
    set.docs.find((d) => d.status === 'unlisted' && d.title === hw.title)!.status = 'live';
    w.replica.log.clear();
    const at = new Date().toISOString();
    const s = await w.crawl();
    expect(s.counts.relisted).toBe(1);
    expect(listChanges(w.db, { since: at }).map((c) => [c.kind, c.url])).toEqual([['relisted', canonicalUrl(hw.url)]]);
    expect(doc(hw.url).delisted_since).toBeNull();
    // the other is still delisted, and was re-checked (304)
    const other = unlinked.find((c) => c.site === 'trs-wcm')!;
    expect(doc(other.url).delisted_since).not.toBeNull();
    expect(w.replica.log.entries({ site: 'trs-wcm' }).filter((e) => e.path === new URL(other.url).pathname).map((e) => e.status)).toEqual([304]);
  });
});
