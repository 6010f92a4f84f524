/**
 * httpGet (the crawl's own undici handler) against a local server: a body in many chunks comes back whole,
 * repeated headers as arrays like undici's request() gives them, an unwanted body is dropped (a large one
 * without reading it all), and an abort rejects with its reason.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { BodyTooLarge, httpGet, type GetProgress } from '../../crawlers/http-get.ts';
import { startServer, type TestServer } from './server.ts';

class Stop extends EventEmitter {
  aborted = false;
  reason: unknown;
  abort(reason: unknown) {
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function setup(): Promise<{ s: TestServer; agent: Agent }> {
  const s = await startServer('get');
  const agent = new Agent();
  open.push(s, agent);
  return { s, agent };
}

const get = (agent: Agent, url: string, extra: Partial<Parameters<typeof httpGet>[1]> = {}) => {
  const progress: GetProgress = { status: null, headers: {} };
  const p = httpGet(url, { dispatcher: agent, headers: { 'user-agent': 'test' }, maxBodyBytes: 1 << 20, signal: new Stop(), progress, ...extra });
  return { p, progress };
};

describe('httpGet', () => {
  it('gathers a chunked body whole, byte for byte, and reads repeated headers as arrays', async () => {
    const { s, agent } = await setup();
    const parts = [Buffer.from('<html>一'), Buffer.alloc(40_000, 0x61), Buffer.from('二</html>')];
    s.route('/p', async (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': ['a=1', 'b=2'] });
      for (const part of parts) await new Promise<void>((r) => res.write(part, () => r()));
      res.end();
    });
    const { p, progress } = get(agent, `${s.origin}/p?x=1`);
    const body = await p;
    expect(body!.equals(Buffer.concat(parts))).toBe(true);
    expect(progress.status).toBe(200);
    expect(progress.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(progress.headers['content-type']).toBe('text/html');
    expect(s.hits('/p')[0].headers['user-agent']).toBe('test');
  });

  it('drops a body nobody wants, a large one without reading it to the end', async () => {
    const { s, agent } = await setup();
    s.route('/small', (_q, res) => void res.writeHead(302, { location: '/x' }).end('moved'));
    s.route('/big', (_q, res) => void res.writeHead(302, { location: '/x' }).end(Buffer.alloc(1 << 20, 0x62)));
    const small = get(agent, `${s.origin}/small`, { wantBody: () => false });
    expect(await small.p).toBeNull();
    expect(small.progress.status).toBe(302);
    const big = get(agent, `${s.origin}/big`, { wantBody: () => false });
    expect(await big.p).toBeNull();
    expect(big.progress.headers.location).toBe('/x');
  });

  it('rejects a body over the limit, declared or streamed, and an aborted request with the reason', async () => {
    const { s, agent } = await setup();
    s.route('/declared', (_q, res) => void res.writeHead(200, { 'content-length': 5000 }).end(Buffer.alloc(5000)));
    s.route('/streamed', (_q, res) => void res.writeHead(200).end(Buffer.alloc(5000)));
    await expect(get(agent, `${s.origin}/declared`, { maxBodyBytes: 1000 }).p).rejects.toBeInstanceOf(BodyTooLarge);
    await expect(get(agent, `${s.origin}/streamed`, { maxBodyBytes: 1000 }).p).rejects.toBeInstanceOf(BodyTooLarge);
    s.route('/hang', () => undefined);
    const stop = new Stop();
    const hanging = get(agent, `${s.origin}/hang`, { signal: stop });
    setTimeout(() => stop.abort(new Error('enough')), 50);
    await expect(hanging.p).rejects.toThrow('enough');
  });
});
