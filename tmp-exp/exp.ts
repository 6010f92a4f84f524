// throwaway: Chromium CPU per rendered report page under variants (not committed)
import { chromium } from 'playwright-core';
import { startReplica } from '../scripts/replica/index.ts';
import { chromiumUsage } from '../scripts/bench/proc-rss.ts';
import { LAUNCH_ARGS } from '../crawlers/browser/pool.ts';

const variant = process.argv[2] ?? 'base';
const n = Number(process.argv[3] ?? 30);
const r = await startReplica({ only: ['hanweb'] });
const urls = r.sites.hanweb.reports().map((d) => d.url);
const extra = process.env.EXTRA_ARGS ? process.env.EXTRA_ARGS.split(' ') : [];
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...LAUNCH_ARGS, ...extra] });
const [vw, vh] = (process.env.VP ?? '400x300').split('x').map(Number); const vp = variant.includes('vp') ? { viewport: { width: vw, height: vh } } : {};
const ctx = await b.newContext({ locale: 'zh-CN', serviceWorkers: 'block', ...vp });
if (variant.includes('block')) await ctx.route('**/*', (rt) => (['image', 'font', 'media', 'stylesheet'].includes(rt.request().resourceType()) ? rt.abort() : rt.continue()));
const reuse = variant.includes('reuse');
let page = reuse ? await ctx.newPage() : null;
const one = async (u: string) => {
  const p = reuse ? page! : await ctx.newPage();
  await p.goto(u, { waitUntil: 'load' });
  const html = await p.content();
  if (!reuse) await p.close();
  return html.length;
};
await one(urls[0]);
const k0 = chromiumUsage().cpuSeconds;
const c0 = process.cpuUsage();
const t0 = performance.now();
let bytes = 0;
for (let i = 0; i < n; i++) bytes += await one(urls[(i + 1) % urls.length]);
const s = (performance.now() - t0) / 1000;
const k = chromiumUsage().cpuSeconds - k0;
const c = process.cpuUsage(c0);
console.log(`${variant} ${extra.join(' ')}: ${n} pages ${s.toFixed(1)} s, Chromium ${((k * 1000) / n).toFixed(0)} ms/page, Node ${(((c.user + c.system) / 1000) / n).toFixed(0)} ms/page, ${urls.length} urls, html ${(bytes / n / 1024).toFixed(0)} KB`);
await b.close();
await r.close();
