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

test('typing on is a new question: only the same text is answered from the cache', () => {
  const cache = new CompletionCache();
  cache.set('def add(', ['a, b):']);
  assert.equal(cache.get('def add(a'), undefined);
  const long = '#'.repeat(KEY_CHARS + 50) + '\nimport ';
  cache.set(long, ['collections']);
  const window = long.slice(-KEY_CHARS - 10);       // a window that starts later, with the same end
  assert.deepEqual(cache.get(window), ['collections']);
  assert.equal(cacheKey(window).length, KEY_CHARS);
});
