import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { firstLine, repeatsSuffix, restOfLine, trimCompletion, worthAsking } from '../src/trim';

test('at the end of a line a multi-line suggestion is kept, without trailing whitespace', () => {
  assert.equal(trimCompletion('\n    return a + b\n\n', '\n'), '\n    return a + b');
  assert.equal(trimCompletion('a + b', ''), 'a + b');
});

test('a multi-line suggestion stops before a new top-level statement', () => {
  assert.equal(trimCompletion('\n    return a + b\n\ndef sub(a, b):\n    return a - b\n', '\n'), '\n    return a + b');
  assert.equal(trimCompletion('os\nimport sys\n', ''), 'os');
  assert.equal(trimCompletion('x\nclass A:\n    pass', ''), 'x');
  assert.equal(trimCompletion('\n    def inner(self):', ''), '\n    def inner(self):');  // nested def stays
});

test('mid-line: at most the rest of the line, without what the line already has', () => {
  assert.equal(trimCompletion('a, b)\n    return a', ')\nrest'), 'a, b');
  assert.equal(trimCompletion('"key"]', ']'), '"key"');
  assert.equal(trimCompletion('name):', '):'), 'name');
  assert.equal(trimCompletion('x', ')'), 'x');
});

test('a suggestion that only repeats the text after the cursor is dropped', () => {
  assert.equal(trimCompletion(')', ')'), undefined);
  assert.equal(trimCompletion('):', '):\n'), undefined);
  assert.equal(trimCompletion('\n    return x', '\n    return x\n'), undefined);  // repeats the line below
  assert.equal(repeatsSuffix('self', '\n    self.x = 1\n'), false);              // only part of a line
  assert.equal(trimCompletion('self', '\n    self.x = 1\n'), 'self');
});

test('nothing but whitespace is no suggestion', () => {
  assert.equal(trimCompletion('', '\n'), undefined);
  assert.equal(trimCompletion('   \n  ', '\n'), undefined);
  assert.equal(trimCompletion('\n', ')'), undefined);
});

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
