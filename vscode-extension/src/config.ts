// Settings of the extension, read through a getter so that tests need no VS Code.

export type Mode = 'inline' | 'dropdown' | 'both';

export interface Settings {
  serverUrl: string;
  enable: boolean;
  mode: Mode;
  debounceMs: number;
  contextChars: number;
  timeoutMs: number;
  startServer: boolean;   // start `ssl4code serve` when nothing answers at serverUrl
  pythonPath: string;     // the Python that runs it ('' = the Python extension's, else `ssl4code` on PATH)
  languages: Record<string, boolean>;  // on/off per VS Code language id; only 'python' is supported
}

/** The languages the model completes. Others are never sent to the server. */
export const SUPPORTED_LANGUAGES = ['python'];

export const DEFAULTS: Settings = {
  serverUrl: 'http://127.0.0.1:7330',
  enable: true,
  mode: 'inline',
  debounceMs: 150,
  contextChars: 10000,
  timeoutMs: 3000,
  startServer: true,
  pythonPath: '',
  languages: { python: true },
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
    startServer: typeof get('startServer') === 'boolean' ? (get('startServer') as boolean) : DEFAULTS.startServer,
    pythonPath: typeof get('pythonPath') === 'string' ? (get('pythonPath') as string).trim() : DEFAULTS.pythonPath,
    languages: readLanguages(get('languages')),
  };
}

function readLanguages(value: unknown): Record<string, boolean> {
  const out = { ...DEFAULTS.languages };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** Whether completions are asked for in a document of `languageId`: the language must be
 * supported (Python) and switched on in `ssl4code.languages`. */
export function languageEnabled(s: Settings, languageId: string): boolean {
  return SUPPORTED_LANGUAGES.includes(languageId) && s.languages[languageId] !== false;
}

/** Languages switched on in the settings that the model does not support (to say so). */
export function unsupportedLanguages(s: Settings): string[] {
  return Object.entries(s.languages).filter(([k, v]) => v && !SUPPORTED_LANGUAGES.includes(k)).map(([k]) => k);
}

export function wantsInline(s: Settings): boolean {
  return s.enable && (s.mode === 'inline' || s.mode === 'both');
}

export function wantsDropdown(s: Settings): boolean {
  return s.enable && (s.mode === 'dropdown' || s.mode === 'both');
}
