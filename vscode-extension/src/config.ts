// Settings of the extension, read through a getter so that tests need no VS Code.

export type Mode = 'inline' | 'dropdown' | 'both';

export interface Settings {
  serverUrl: string;
  enable: boolean;
  mode: Mode;
  debounceMs: number;
  contextChars: number;
  timeoutMs: number;
}

export const DEFAULTS: Settings = {
  serverUrl: 'http://127.0.0.1:5000',
  enable: true,
  mode: 'inline',
  debounceMs: 150,
  contextChars: 2000,
  timeoutMs: 3000,
};

const MODES: Mode[] = ['inline', 'dropdown', 'both'];

function clampNumber(value: unknown, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/** Reads the settings with `get(key)` (VS Code's `getConfiguration('ssl4code').get`);
 * a missing or invalid value falls back to its default, numbers are clamped to sane ranges. */
export function readSettings(get: (key: string) => unknown): Settings {
  const url = get('serverUrl');
  const mode = get('mode');
  const enable = get('enable');
  return {
    serverUrl: typeof url === 'string' && url.trim() ? url.trim().replace(/\/+$/, '') : DEFAULTS.serverUrl,
    enable: typeof enable === 'boolean' ? enable : DEFAULTS.enable,
    mode: MODES.includes(mode as Mode) ? (mode as Mode) : DEFAULTS.mode,
    debounceMs: clampNumber(get('debounceMs'), DEFAULTS.debounceMs, 0, 5000),
    contextChars: clampNumber(get('contextChars'), DEFAULTS.contextChars, 16, 100000),
    timeoutMs: clampNumber(get('timeoutMs'), DEFAULTS.timeoutMs, 100, 60000),
  };
}

export function wantsInline(s: Settings): boolean {
  return s.enable && (s.mode === 'inline' || s.mode === 'both');
}

export function wantsDropdown(s: Settings): boolean {
  return s.enable && (s.mode === 'dropdown' || s.mode === 'both');
}
