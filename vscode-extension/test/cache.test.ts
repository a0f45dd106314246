import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CompletionCache, KEY_CHARS, cacheKey } from '../src/cache';

test('exact hits and misses', () => {
  const cache = new CompletionCache(10);
  cache.set('import o', ['s']);
  assert.deepEqual(cache.get('import o'), ['s']);
  assert.equal(cache.get('import x'), undefined);
  cache.set('x = ', []);  // "nothing to suggest" is an answer too
  assert.deepEqual(cache.get('x = '), []);
});

test('least recently used entries go first', () => {
  const cache = new CompletionCache(2);
  cache.set('a', ['1']);
  cache.set('b', ['2']);
  cache.get('a');           // a is now more recent than b
  cache.set('c', ['3']);    // evicts b
  assert.equal(cache.size, 2);
  assert.deepEqual(cache.get('a'), ['1']);
  assert.equal(cache.get('b'), undefined);
  assert.deepEqual(cache.get('c'), ['3']);
});

test('typing through a suggestion serves the rest of it', () => {
  const cache = new CompletionCache();
  cache.set('def add(', ['a, b):', 'x):']);
  assert.deepEqual(cache.get('def add(a'), [', b):']);
  assert.deepEqual(cache.get('def add(a, b'), ['):']);
  assert.deepEqual(cache.get('def add(x'), ['):']);
  assert.equal(cache.get('def add(a, b):'), undefined);  // all typed: nothing left to suggest
  assert.equal(cache.get('def add(y'), undefined);       // typed something else
  assert.equal(cache.get('def sub(a'), undefined);       // other context
});

test('typing through works when the context window slides', () => {
  const cache = new CompletionCache();
  const long = '#'.repeat(KEY_CHARS + 50) + '\nimport ';
  cache.set(long, ['collections']);
  // the editor sends a window that starts later, but it ends with the same characters
  const window = (long + 'coll').slice(-KEY_CHARS - 10);
  assert.deepEqual(cache.get(window), ['ections']);
  assert.equal(cacheKey(window).length, KEY_CHARS);
});
