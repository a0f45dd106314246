import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CancelledError, ServerError, completionsUrl, fetchCompletions, parseChoices } from '../src/client';
import { deadUrl, json, startServer } from './http-helper';

const req = { prefix: 'def add(a, b):\n    return ', suffix: '\n' };

test('sends a Tabby /v1/completions request and returns the choices in order', async () => {
  const server = await startServer((_body, res) => json(res, 200, { id: 'cmpl-1', choices: [{ index: 0, text: 'a + b' }, { index: 1, text: 'a - b' }] }));
  try {
    const choices = await fetchCompletions(server.url + '/', req, { timeoutMs: 2000 });
    assert.deepEqual(choices, ['a + b', 'a - b']);
    assert.equal(server.received.length, 1);
    assert.equal(server.received[0].method, 'POST');
    assert.equal(server.received[0].url, '/v1/completions');
    assert.deepEqual(server.received[0].body, { language: 'python', segments: { prefix: req.prefix, suffix: req.suffix } });
  } finally {
    await server.close();
  }
});

test('an error status becomes a ServerError "http" carrying the server\'s message', async () => {
  const server = await startServer((_body, res) => json(res, 400, { success: false, error: 'prefix too long' }));
  try {
    await assert.rejects(fetchCompletions(server.url, req, { timeoutMs: 2000 }), (err: unknown) => {
      assert.ok(err instanceof ServerError);
      assert.equal(err.kind, 'http');
      assert.equal(err.status, 400);
      assert.match(err.message, /prefix too long/);
      return true;
    });
  } finally {
    await server.close();
  }
});

test('an answer that is not the expected JSON is a "bad-response"', async () => {
  const server = await startServer((_body, res) => { res.writeHead(200); res.end('<html>oops</html>'); });
  try {
    await assert.rejects(fetchCompletions(server.url, req, { timeoutMs: 2000 }), { name: 'ServerError', kind: 'bad-response' });
  } finally {
    await server.close();
  }
  assert.throws(() => parseChoices('{"prediction": ["x"]}'), { kind: 'bad-response' });
  assert.deepEqual(parseChoices('{"choices": [{"text": "x"}, {"oops": 1}, {"text": ""}]}'), ['x', '']);
});

test('nobody listening is "unreachable", and fast', async () => {
  const url = await deadUrl();
  const t0 = Date.now();
  await assert.rejects(fetchCompletions(url, req, { timeoutMs: 5000 }), { name: 'ServerError', kind: 'unreachable' });
  assert.ok(Date.now() - t0 < 2000);
});

test('a server that does not answer in time gives "timeout" and the connection is dropped', async () => {
  const server = await startServer(() => { /* never answers */ });
  try {
    const t0 = Date.now();
    await assert.rejects(fetchCompletions(server.url, req, { timeoutMs: 200 }), { name: 'ServerError', kind: 'timeout' });
    const took = Date.now() - t0;
    assert.ok(took >= 190 && took < 2000, `took ${took} ms`);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(server.aborted, 1);
  } finally {
    await server.close();
  }
});

test('aborting the caller\'s signal cancels the request in flight', async () => {
  const server = await startServer(() => { /* never answers */ });
  try {
    const controller = new AbortController();
    const pending = fetchCompletions(server.url, req, { timeoutMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (err: unknown) => err instanceof CancelledError);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(server.aborted, 1);
    // an already aborted signal sends nothing
    await assert.rejects(fetchCompletions(server.url, req, { timeoutMs: 5000, signal: controller.signal }), CancelledError);
    assert.equal(server.received.length, 1);
  } finally {
    await server.close();
  }
});

test('completionsUrl tolerates trailing slashes', () => {
  assert.equal(completionsUrl('http://127.0.0.1:7330//'), 'http://127.0.0.1:7330/v1/completions');
});
