import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CancelledError } from '../src/client';
import { Latest, sleep } from '../src/debounce';

test('sleep waits the given time', async () => {
  const t0 = Date.now();
  await sleep(60);
  assert.ok(Date.now() - t0 >= 55);
});

test('sleep rejects as soon as its signal aborts', async () => {
  const controller = new AbortController();
  const t0 = Date.now();
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(sleep(5000, controller.signal), CancelledError);
  assert.ok(Date.now() - t0 < 1000);
  await assert.rejects(sleep(10, controller.signal), CancelledError);  // already aborted
});

test('Latest aborts the previous signal when a new one is handed out', () => {
  const latest = new Latest();
  const first = latest.next();
  assert.equal(first.aborted, false);
  const second = latest.next();
  assert.equal(first.aborted, true);
  assert.equal(second.aborted, false);
  latest.cancel();
  assert.equal(second.aborted, true);
});

test('Latest follows the external signal (VS Code\'s cancellation token)', () => {
  const latest = new Latest();
  const external = new AbortController();
  const signal = latest.next(external.signal);
  external.abort();
  assert.equal(signal.aborted, true);
  assert.equal(latest.next(external.signal).aborted, true);
});

test('a burst of keystrokes: only the last wait completes', async () => {
  const latest = new Latest();
  const outcomes = await Promise.all([0, 1, 2].map(async (i) => {
    const signal = latest.next();
    await new Promise((r) => setTimeout(r, 0));
    return sleep(30, signal).then(() => `done ${i}`, () => `cancelled ${i}`);
  }));
  assert.deepEqual(outcomes, ['cancelled 0', 'cancelled 1', 'done 2']);
});
