/**
 * Child process of the crawl benchmark: serves the benchmark hosts (N reports on H hosts) so their CPU is
 * not counted as the crawler's. Sends `{ registry }` to the parent over IPC once listening, then
 * `{ requests }` when asked (`'stats'`), and exits on `'close'`.
 * Usage (by crawl-bench.ts): tsx scripts/bench/crawl-replica.ts <reports> <hosts> <family>
 */
import { startReplica } from '../replica/index.ts';

const [reports, hosts, family] = process.argv.slice(2);
const replica = await startReplica({
  only: [], bench: { reports: Number(reports), hosts: Number(hosts), family: family as 'trs-wcm' | 'hanweb-jcms' | 'mixed' },
});
process.send!({ registry: replica.registry });
process.on('message', (m) => {
  if (m === 'stats') process.send!({ requests: replica.log.size, cpu: process.cpuUsage() });
  if (m === 'close') void replica.close().then(() => process.exit(0));
});
