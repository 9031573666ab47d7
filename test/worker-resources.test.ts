/**
 * The browser a worker lends its scenarios: one context, reset between scenarios so that nothing of
 * one is visible to the next; or, with --fresh-context, a new context each time.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { releaseWorkerResources, scenarioBrowser } from '../src/runner/worker-resources.ts';

describe('the browser of a worker', () => {
  let origin = '';
  const server = createServer((request, response) => {
    response.writeHead(200, {
      'content-type': 'text/html',
      'cache-control': 'max-age=3600',
      ...(request.url === '/login' ? { 'set-cookie': 'session=s1; Path=/; HttpOnly' } : {}),
    });
    response.end(`<p>${request.url} ${request.headers.cookie ?? 'no cookie'}</p>`);
  });

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await releaseWorkerResources();
    server.close();
  });

  test('one context for every scenario, with no cookie, storage or extra page left from the last', async () => {
    const first = await scenarioBrowser({ withPage: true, fresh: false });
    assert.ok(first.page);
    await first.page.goto(`${origin}/login`);
    await first.page.evaluate("localStorage.setItem('left', 'behind')");
    const popup = await first.context.newPage();
    await popup.goto(`${origin}/popup`);
    assert.equal((await first.context.cookies()).length, 1);
    await first.release();

    const second = await scenarioBrowser({ withPage: true, fresh: false });
    assert.equal(second.context, first.context, 'the worker keeps its context');
    assert.equal(second.page, first.page, 'and its page');
    assert.deepEqual(second.context.pages(), [second.page], 'every other page is closed');
    assert.equal(second.page?.url(), 'about:blank');
    assert.deepEqual(await second.context.cookies(), []);
    await second.page?.goto(`${origin}/after`);
    assert.match((await second.page?.textContent('p')) ?? '', /no cookie/);
    assert.equal(await second.page?.evaluate("localStorage.getItem('left')"), null);
    await second.release();
  });

  test('--fresh-context: a new context per scenario, closed when it ends', async () => {
    const first = await scenarioBrowser({ withPage: true, fresh: true });
    const second = await scenarioBrowser({ withPage: false, fresh: true });
    assert.notEqual(first.context, second.context);
    assert.equal(second.page, undefined);
    let closed = false;
    first.context.on('close', () => {
      closed = true;
    });
    await first.release();
    assert.equal(closed, true);
    await second.release();
  });
});
