import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventReporter, eventsUrl } from '../src/events';
import { fetchCompletions } from '../src/client';
import { json, startServer } from './http-helper';

const settle = () => new Promise((r) => setTimeout(r, 300));

async function withServer(status = 200) {
  const server = await startServer((body, res) => {
    if (body?.segments) json(res, 200, { id: `cmpl-${body.segments.prefix.length}`, choices: [{ index: 0, text: 'a + b\n' }, { index: 1, text: 'a - b' }] });
    else json(res, status, status === 200 ? { success: true } : { success: false, error: 'no such route' });
  });
  let t = 1000;
  const reporter = new EventReporter(() => server.url, () => undefined, undefined, () => t);
  reporter.enabled = true;
  const ask = (prefix: string) => fetchCompletions(server.url, { prefix, suffix: '' }, { timeoutMs: 2000, fetch: reporter.fetch });
  return { server, reporter, ask, tick: (ms: number) => { t += ms; } };
}

const posted = (server: { received: { url: string; body: unknown }[] }) => server.received.filter((r) => r.url === '/v1/events').map((r) => r.body);

test('eventsUrl joins the server URL and the route', () => {
  assert.equal(eventsUrl('http://127.0.0.1:7330/'), 'http://127.0.0.1:7330/v1/events');
});

test('a shown suggestion that is accepted sends view then select, in Tabby\'s schema', async () => {
  const { server, reporter, ask, tick } = await withServer();
  try {
    assert.deepEqual(await ask('return '), ['a + b\n', 'a - b']);   // the wrapper passes the answer through
    const args = reporter.shown('return ', 'a + b');                  // trimmed by the engine: still choice 0
    assert.ok(args);
    const [id, index, viewId] = args;
    assert.deepEqual([id, index], ['cmpl-7', 0]);
    assert.deepEqual(reporter.shown('return ', 'a + b'), args);       // asked again, still on screen: one view
    tick(420);
    reporter.accepted(id, index, viewId);
    await settle();
    assert.deepEqual(posted(server), [
      { type: 'view', completion_id: 'cmpl-7', choice_index: 0, view_id: viewId },
      { type: 'select', completion_id: 'cmpl-7', choice_index: 0, view_id: viewId, elapsed: 420 },
    ]);
    for (const e of posted(server)) assert.ok(!JSON.stringify(e).includes('return'), 'no code in events');
  } finally { await server.close(); }
});

test('typed over or escaped: the suggestion on screen is dismissed', async () => {
  const { server, reporter, ask, tick } = await withServer();
  try {
    await ask('x = ');
    const [, , v1] = reporter.shown('x = ', 'a - b')!;
    tick(100);
    await ask('x = q');
    const [, , v2] = reporter.shown('x = q', 'a + b\n')!;     // another answer replaces it
    tick(50);
    reporter.nothingShown();                                   // nothing on screen now (Escape, or no answer)
    reporter.nothingShown();                                   // dismissed once only
    await settle();
    assert.deepEqual(posted(server), [
      { type: 'view', completion_id: 'cmpl-4', choice_index: 1, view_id: v1 },
      { type: 'dismiss', completion_id: 'cmpl-4', choice_index: 1, view_id: v1, elapsed: 100 },
      { type: 'view', completion_id: 'cmpl-5', choice_index: 0, view_id: v2 },
      { type: 'dismiss', completion_id: 'cmpl-5', choice_index: 0, view_id: v2, elapsed: 50 },
    ]);
    assert.notEqual(v1, v2);
  } finally { await server.close(); }
});

test('text from an unknown answer sends nothing; a server without /v1/events is asked only once', async () => {
  const { server, reporter, ask } = await withServer(404);
  try {
    assert.equal(reporter.shown('never asked', 'x'), undefined);
    await ask('y = ');
    reporter.shown('y = ', 'a + b');
    await settle();
    reporter.nothingShown();
    reporter.shown('y = ', 'a - b');
    await settle();
    assert.equal(posted(server).length, 1);
    assert.equal(reporter.sent.length, 3);
    reporter.reset();
    reporter.enabled = false;                 // a server started with --no-events says so in its health
    await ask('y = ');
    assert.ok(reporter.shown('y = ', 'a + b'));
    await settle();
    assert.equal(posted(server).length, 1);
  } finally { await server.close(); }
});
