import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FetchLike } from '../src/client';
import { DEFAULTS, Settings } from '../src/config';
import { Engine, contextWindow } from '../src/engine';
import { Status } from '../src/status';

/** A fake fetch that answers `choices(prefix)` after `delayMs`, honouring the abort signal. */
function fakeFetch(choices: (prefix: string) => string[] | Error, delayMs = 0) {
  const calls: { prefix: string; suffix: string; signal: AbortSignal }[] = [];
  const fetch: FetchLike = (_url, init) => {
    const body = JSON.parse(init.body as string);
    const signal = init.signal as AbortSignal;
    calls.push({ ...body.segments, signal });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const out = choices(body.segments.prefix);
        if (out instanceof Error) return reject(out);
        resolve(new Response(JSON.stringify({ id: 'cmpl-x', choices: out.map((text, index) => ({ index, text })) }), { status: 200 }));
      }, delayMs);
      signal.addEventListener('abort', () => { clearTimeout(timer); reject(new DOMException('aborted', 'AbortError')); });
    });
  };
  return { fetch, calls };
}

function makeEngine(fetch: FetchLike, overrides: Partial<Settings> = {}) {
  const settings: Settings = { ...DEFAULTS, debounceMs: 30, ...overrides };
  const warnings: string[] = [];
  const status = new Status(settings.serverUrl, settings.enable, () => undefined, (m) => warnings.push(m));
  return { engine: new Engine(() => settings, status, fetch), status, warnings, settings };
}

test('asks the server and returns trimmed suggestions', async () => {
  const { fetch, calls } = fakeFetch(() => ['a + b\n\ndef other():', 'a + b\n']);
  const { engine, status } = makeEngine(fetch);
  const out = await engine.complete({ prefix: 'def add(a, b):\n    return ', suffix: '\n' });
  assert.deepEqual(out, ['a + b']);  // both choices trim to the same text: shown once
  assert.equal(calls.length, 1);
  assert.equal(status.state, 'ready');
});

test('debounce: in a burst of keystrokes only the last one reaches the server', async () => {
  const { fetch, calls } = fakeFetch((p) => [p.endsWith('imp') ? 'ort os' : 'xx']);
  const { engine } = makeEngine(fetch);
  const results = await Promise.all(['i', 'im', 'imp'].map(async (prefix, i) => {
    await new Promise((r) => setTimeout(r, i * 5));
    return engine.complete({ prefix, suffix: '' }, { debounce: true });
  }));
  assert.deepEqual(results, [[], [], ['ort os']]);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].prefix, 'imp');
});

test('a new keystroke aborts the request in flight', async () => {
  const { fetch, calls } = fakeFetch(() => ['x'], 200);
  const { engine, status } = makeEngine(fetch, { debounceMs: 0 });
  const first = engine.complete({ prefix: 'a', suffix: '' });
  await new Promise((r) => setTimeout(r, 20));
  const second = engine.complete({ prefix: 'ab', suffix: '' });
  assert.deepEqual(await first, []);
  assert.equal(calls[0].signal.aborted, true);
  assert.deepEqual(await second, ['x']);
  assert.equal(status.state, 'ready');
});

test('VS Code cancelling the request aborts it too', async () => {
  const { fetch, calls } = fakeFetch(() => ['x'], 200);
  const { engine } = makeEngine(fetch, { debounceMs: 0 });
  const token = new AbortController();
  const pending = engine.complete({ prefix: 'a', suffix: '' }, { signal: token.signal });
  await new Promise((r) => setTimeout(r, 20));
  token.abort();
  assert.deepEqual(await pending, []);
  assert.equal(calls[0].signal.aborted, true);
});

test('inline and dropdown requests do not cancel each other', async () => {
  const { fetch, calls } = fakeFetch(() => ['x'], 50);
  const { engine } = makeEngine(fetch, { debounceMs: 0 });
  const [inline, dropdown] = await Promise.all([
    engine.complete({ prefix: 'a', suffix: '' }, { lane: 'inline' }),
    engine.complete({ prefix: 'b', suffix: '' }, { lane: 'dropdown' }),
  ]);
  assert.deepEqual([inline, dropdown], [['x'], ['x']]);
  assert.equal(calls.length, 2);
});

test('the cache answers repeated prefixes and typing through, without the server', async () => {
  const { fetch, calls } = fakeFetch(() => ['port collections']);
  const { engine } = makeEngine(fetch);
  assert.deepEqual(await engine.complete({ prefix: 'im', suffix: '' }, { debounce: true }), ['port collections']);
  assert.deepEqual(await engine.complete({ prefix: 'im', suffix: '' }, { debounce: true }), ['port collections']);
  assert.deepEqual(await engine.complete({ prefix: 'impo', suffix: '' }, { debounce: true }), ['rt collections']);
  assert.deepEqual(await engine.complete({ prefix: 'import coll', suffix: '' }, { debounce: true }), ['ections']);
  assert.equal(calls.length, 1);
});

test('the cache keeps raw answers: trimming follows the current text after the cursor', async () => {
  const { fetch, calls } = fakeFetch(() => ['x)\n    pass']);
  const { engine } = makeEngine(fetch);
  assert.deepEqual(await engine.complete({ prefix: 'f(', suffix: '\n' }), ['x)\n    pass']);
  assert.deepEqual(await engine.complete({ prefix: 'f(', suffix: ')\n' }), ['x']);
  assert.equal(calls.length, 1);
});

test('disabled: nothing is asked', async () => {
  const { fetch, calls } = fakeFetch(() => ['x']);
  const { engine } = makeEngine(fetch, { enable: false });
  assert.deepEqual(await engine.complete({ prefix: 'a', suffix: '' }), []);
  assert.equal(calls.length, 0);
});

test('a down server: no suggestions, status unreachable, one warning for many keystrokes', async () => {
  const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
  const { fetch, calls } = fakeFetch(() => refused);
  const { engine, status, warnings } = makeEngine(fetch, { debounceMs: 0 });
  for (const prefix of ['a', 'ab', 'abc']) assert.deepEqual(await engine.complete({ prefix, suffix: '' }), []);
  assert.equal(calls.length, 3);
  assert.equal(status.state, 'unreachable');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /cannot reach/);
});

test('the context window: contextChars before the cursor, a quarter after', () => {
  assert.deepEqual(contextWindow(5000, 2000), { start: 3000, end: 5500 });
  assert.deepEqual(contextWindow(10, 2000), { start: 0, end: 510 });
});
