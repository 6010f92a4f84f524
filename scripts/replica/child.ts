/**
 * The replica in a process of its own (for the crawl benchmark and timing-sensitive tests): its CPU is not
 * the crawler's, and its request log's times are not delayed by the crawler's busy thread.
 *
 *   const r = await forkReplica({ only: [], bench: { reports: 1000, hosts: 10 } });
 *   r.registry;  await r.log();  await r.stats();  await r.close();
 *
 * Run as a child (by forkReplica): argv[2] is the ReplicaOptions as JSON; it sends `{ registry, sites }` once
 * listening, answers 'log' with `{ log }` and 'stats' with `{ requests, cpu }`, and exits on 'close'.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RegistryEntry } from '../../crawlers/registry.ts';
import type { LogEntry } from './log.ts';
import { startReplica, type ReplicaOptions } from './server.ts';

export interface ReplicaChild {
  registry: RegistryEntry[];
  /** site id → base URL */
  sites: Record<string, string>;
  log(): Promise<LogEntry[]>;
  stats(): Promise<{ requests: number; cpu: NodeJS.CpuUsage }>;
  close(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

export async function forkReplica(opts: ReplicaOptions): Promise<ReplicaChild> {
  const child = fork(SELF, [JSON.stringify(opts)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  let exited = false;
  child.once('exit', () => (exited = true));
  const next = <T>(key: string) => new Promise<T>((resolve, reject) => {
    if (exited) return reject(new Error('replica child has exited'));
    const on = (m: Record<string, unknown>) => {
      if (key in m) {
        child.off('message', on);
        child.off('exit', gone);
        resolve(m as T);
      }
    };
    const gone = (code: number | null) => reject(new Error(`replica child exited (${code})`));
    child.on('message', on);
    child.once('exit', gone);
  });
  const { registry, sites } = await next<{ registry: RegistryEntry[]; sites: Record<string, string> }>('registry');
  const ask = <T>(key: string, msg: string) => {
    const p = next<T>(key);
    child.send(msg);
    return p;
  };
  return {
    registry,
    sites,
    log: async () => (await ask<{ log: LogEntry[] }>('log', 'log')).log,
    stats: () => ask<{ requests: number; cpu: NodeJS.CpuUsage }>('requests', 'stats'),
    close: () => new Promise((resolve) => {
      if (exited) return resolve();
      child.once('exit', () => resolve());
      child.send('close');
    }),
  };
}

if (process.argv[1] === SELF && process.send) {
  const replica = await startReplica(JSON.parse(process.argv[2] ?? '{}') as ReplicaOptions);
  const sites = Object.fromEntries(Object.values(replica.sites).map((s) => [s.id, s.baseUrl]));
  process.send({ registry: replica.registry, sites });
  process.on('message', (m) => {
    if (m === 'log') process.send!({ log: replica.log.entries() });
    if (m === 'stats') process.send!({ requests: replica.log.size, cpu: process.cpuUsage() });
    if (m === 'close') void replica.close().then(() => process.exit(0));
  });
  // the parent gone: stop serving
  process.on('disconnect', () => void replica.close().then(() => process.exit(0)));
}
