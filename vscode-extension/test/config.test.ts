import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULTS, readSettings, wantsDropdown, wantsInline } from '../src/config';

test('missing settings take their defaults', () => {
  assert.deepEqual(readSettings(() => undefined), DEFAULTS);
  assert.equal(DEFAULTS.serverUrl, 'http://127.0.0.1:7330');
});

test('invalid values fall back, numbers are clamped, the URL loses its trailing slash', () => {
  const values: Record<string, unknown> = {
    serverUrl: ' http://localhost:8080/ ', enable: 'yes', mode: 'popup', debounceMs: -5, contextChars: 1e9, timeoutMs: 'soon',
  };
  const s = readSettings((k) => values[k]);
  assert.equal(s.serverUrl, 'http://localhost:8080');
  assert.equal(s.enable, true);
  assert.equal(s.mode, 'inline');
  assert.equal(s.debounceMs, 0);
  assert.equal(s.contextChars, 100000);
  assert.equal(s.timeoutMs, DEFAULTS.timeoutMs);
});

test('mode and enable choose the providers', () => {
  assert.deepEqual([wantsInline(DEFAULTS), wantsDropdown(DEFAULTS)], [true, false]);
  const both = { ...DEFAULTS, mode: 'both' as const };
  assert.deepEqual([wantsInline(both), wantsDropdown(both)], [true, true]);
  const dropdown = { ...DEFAULTS, mode: 'dropdown' as const };
  assert.deepEqual([wantsInline(dropdown), wantsDropdown(dropdown)], [false, true]);
  const off = { ...both, enable: false };
  assert.deepEqual([wantsInline(off), wantsDropdown(off)], [false, false]);
});
