/** The browser path (issue 5): Chromium through playwright-core, used only where a site or a response needs it. */
export { BrowserPool, BrowserUnavailableError, CHROMIUM_PATH, LAUNCH_ARGS, siteOf } from './pool.ts';
export type { BrowserPoolOptions, BrowserCookie, RenderResult, SolveResult, PoolStats } from './pool.ts';
export { BrowserAssist, renderedExchange } from './assist.ts';
export type { BrowserHook, BrowserMode, SolveRecord } from './assist.ts';
export { detectChallenge } from './detect.ts';
export type { ChallengeKind } from './detect.ts';
export { browserForRun, browserModes, renderForList } from './run.ts';
export type { RunBrowser } from './run.ts';
