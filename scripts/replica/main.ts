/**
 * `npm run replica [-- options]`: start the replica portals, print their URLs, write the registry JSON,
 * and keep serving until Ctrl-C.
 *
 *   --seed S           same seed → same sites (default 1)
 *   --port P           first port: the sites get P, P+1, …, the control endpoint the next one (bench hosts: any
 *                      free ports; default: any free ports for all)
 *   --bench N/H        add N reports on H benchmark hosts (e.g. 10000/50)
 *   --bench-family F   trs-wcm | hanweb-jcms | mixed (default trs-wcm)
 *   --only a,b         start only these of pingtan, hanweb, trs-wcm, faults (and of gkmlpt, jpaas, waf412, waf521,
 *                      js-list, attachments: these start only when named)
 *   --registry FILE    where to write the registry (default data/replica-registry.json)
 *   --delay MS         delay every response of the family sites by MS
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { startReplica, type MainSiteId, type ReplicaOptions } from './server.ts';
import { writeRegistry } from './registry.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    port: { type: 'string' },
    bench: { type: 'string' },
    'bench-family': { type: 'string', default: 'trs-wcm' },
    only: { type: 'string' },
    registry: { type: 'string', default: 'data/replica-registry.json' },
    delay: { type: 'string' },
  },
});

const only = values.only?.split(',').map((s) => s.trim()) as MainSiteId[] | undefined;
const first = values.port ? Number(values.port) : undefined;
const ids: MainSiteId[] = (['pingtan', 'hanweb', 'trs-wcm', 'faults'] as MainSiteId[]).filter((id) => !only || only.includes(id));
const delayMs = values.delay ? Number(values.delay) : undefined;
const opts: ReplicaOptions = { seed: values.seed, only, sites: {}, control: first !== undefined ? first + ids.length : true };
ids.forEach((id, i) => {
  (opts.sites as Record<string, object>)[id] = { ...(first !== undefined ? { port: first + i } : {}), ...(delayMs && id !== 'faults' ? { delayMs } : {}) };
});
if (values.bench) {
  const [n, h] = values.bench.split('/').map(Number);
  opts.bench = { reports: n || 10_000, hosts: h || 50, family: values['bench-family'] as 'trs-wcm' | 'hanweb-jcms' | 'mixed' };
}

const replica = await startReplica(opts);
mkdirSync(dirname(values.registry), { recursive: true });
writeRegistry(values.registry, replica.registry);

const lines = Object.values(replica.sites).map((s) => {
  const reports = s.reports().length;
  return `${s.id.padEnd(10)} ${s.family.padEnd(12)} ${s.baseUrl.padEnd(24)} ${s.entryUrls[0] ?? ''}${reports ? `  (${reports} reports)` : ''}`;
});
const bench = lines.filter((l) => l.startsWith('bench-'));
console.log(lines.filter((l) => !l.startsWith('bench-')).join('\n'));
if (bench.length) console.log(`${bench.length} bench hosts, e.g.\n${bench.slice(0, 3).join('\n')}`);
console.log(`\nregistry  ${values.registry}`);
console.log(`control   ${replica.controlUrl}   (curl -X POST ${replica.controlUrl}/next-night · curl ${replica.controlUrl}/log?site=hanweb)`);
console.log('serving; Ctrl-C to stop');

const stop = () => {
  void replica.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
