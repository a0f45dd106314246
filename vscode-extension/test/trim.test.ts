import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { firstLine, restOfLine, worthAsking } from '../src/trim';

test('automatic suggestions only where the rest of the line is empty or closing punctuation', () => {
  assert.equal(worthAsking(''), true);
  assert.equal(worthAsking('\nprint(x)'), true);
  assert.equal(worthAsking('):\n'), true);
  assert.equal(worthAsking(' "]'), true);
  assert.equal(worthAsking('foo)'), false);
  assert.equal(worthAsking(' + 1'), false);
});

test('line helpers', () => {
  assert.equal(restOfLine('ab\ncd'), 'ab');
  assert.equal(restOfLine('ab'), 'ab');
  assert.equal(firstLine('x = 1  \ny = 2'), 'x = 1');
});
