import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FetchLike } from '../src/client';
import { DEFAULTS, Settings } from '../src/config';
import { EDITOR_ID, Engine, contextWindow, lineStart } from '../src/engine';
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

test('asks the server and shows its suggestions as they come (the server trims them)', async () => {
  const { fetch, calls } = fakeFetch(() => ['a + b', 'a + b', '  ', 'a - b']);
  const { engine, status } = makeEngine(fetch);
  const out = await engine.complete({ prefix: 'def add(a, b):\n    return ', suffix: '\n' });
  assert.deepEqual(out, ['a + b', 'a - b']);  // once each, nothing blank
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

test('the cache answers the same text again without the server; typing on asks it', async () => {
  const { fetch, calls } = fakeFetch((p) => [p === 'im' ? 'port collections' : 'rt os']);
  const { engine } = makeEngine(fetch);
  assert.deepEqual(await engine.complete({ prefix: 'im', suffix: '' }, { debounce: true }), ['port collections']);
  assert.deepEqual(await engine.complete({ prefix: 'im', suffix: '' }, { debounce: true }), ['port collections']);
  assert.equal(calls.length, 1);
  assert.deepEqual(await engine.complete({ prefix: 'impo', suffix: '' }, { debounce: true }), ['rt os']);
  assert.equal(calls.length, 2);
});

test('mid-line, the text is shown as the server sent it: the client does not trim it again', async () => {
  const { fetch } = fakeFetch(() => ['len(x)']);
  const { engine } = makeEngine(fetch);
  assert.deepEqual(await engine.complete({ prefix: 'print(', suffix: ')\n' }), ['len(x)']);  // not `len(x`
});

test('each request names this editor, so that the server can drop the older ones', async () => {
  const bodies: any[] = [];
  const fetch: FetchLike = async (_url, init) => {
    bodies.push(JSON.parse(init.body as string));
    return new Response(JSON.stringify({ id: 'cmpl-x', choices: [] }), { status: 200 });
  };
  const { engine } = makeEngine(fetch);
  await engine.complete({ prefix: 'a', suffix: '' });
  await engine.complete({ prefix: 'ab', suffix: '' });
  assert.equal(bodies.length, 2);
  assert.ok(EDITOR_ID.startsWith('vscode-'));
  assert.deepEqual(bodies.map((b) => b.user), [EDITOR_ID, EDITOR_ID]);
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

test('the window starts at a line start, which stays put while the cursor moves on', () => {
  const text = 'aaaa\nbbbb\ncccc';
  assert.equal(lineStart(text, 0, text.length), 0);
  assert.equal(lineStart(text, 5, text.length), 5);    // already a line start
  assert.equal(lineStart(text, 2, text.length), 5);    // mid-line: the next line
  assert.equal(lineStart(text, 7, text.length), 10);
  assert.equal(lineStart(text, 12, text.length), 12);  // no line start left before the cursor: as it is
  const starts = new Set([12, 13, 14].map((end) => lineStart(text, Math.max(0, end - 9), end)));
  assert.deepEqual([...starts], [5]);                  // three keystrokes, one window start
});
