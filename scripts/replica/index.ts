/** The replica portal server (issue 4): CMS-family replicas on 127.0.0.1 for tests, benchmarks and the demo. */
export { startReplica } from './server.ts';
export type { Replica, ReplicaOptions, SiteHandle, MainSiteId } from './server.ts';
export { RequestLog } from './log.ts';
export type { LogEntry, LoggedHeaders, SiteStats } from './log.ts';
export { registryJson, writeRegistry } from './registry.ts';
export type { BenchOptions } from './bench.ts';
export type { FaultsOptions } from './faults.ts';
export type { HanwebOptions } from './hanweb.ts';
export type { TrsWcmOptions } from './trs-wcm.ts';
export type { TrsFujianOptions } from './trs-fujian.ts';
export { NIGHT1, nightDate } from './generated.ts';
export type * from './types.ts';
export { HARD_SITE_IDS } from './hard-sites.ts';
export type { HardSiteId, HardSitesOptions } from './hard-sites.ts';
export { ChallengeSite, wafHash } from './challenge.ts';
