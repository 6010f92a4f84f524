/** The crawler's public API (issue 4): fetcher, frontier, runs, and the commit that ties them to the archive. */
export {
  Fetcher, DEFAULT_USER_AGENT,
  type FetcherOptions, type FetchOptions, type FetchResult, type FetchKind, type RedirectHop, type RetrySettings, type Validators,
} from './fetcher.ts';
export type { Exchange, ExchangeFailure } from './http-exchange.ts';
export { HostLimiter, DEFAULT_HOST_SETTINGS, type HostSettings } from './host-limiter.ts';
export { RobotsCache, ROBOTS_AGENT, type RobotsOptions, type RobotsVerdict } from './robots.ts';
export { UrlPolicy, RefusedError, isPrivateAddress, type HostRules, type RefusalReason } from './url-policy.ts';
export { backoffMs, parseRetryAfter, isRetryableStatus, type BackoffOptions } from './retry.ts';
export {
  enqueue, lease, markDone, markFailed, markSkipped, release, recoverInFlight, getFrontierItem, frontierCounts, nextDueAt,
  StaleLeaseError, DEFAULT_FRONTIER_BACKOFF,
  type FrontierItem, type FrontierKind, type FrontierStatus, type EnqueueInput, type EnqueueOptions, type EnqueueSummary,
  type LeaseOptions, type FailOptions, type FrontierBackoff,
} from './frontier.ts';
export { startRun, getRun, findRunning, finishRun, addRunCounts, ZERO_COUNTS, type CrawlRun, type RunCounts, type RunMode, type RunStatus } from './runs.ts';
export { commitFetch, type CommitOptions, type CommitResult } from './commit.ts';
export { CommitBatcher, type CommitBatcherOptions } from './commit-batcher.ts';
export { listsComplete, recordListed, settleListing, REVISIT_DELISTED_DAYS, type ListingSettled } from './listing.ts';
export { archiveValidators } from './validators.ts';
