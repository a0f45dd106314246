// HTTP client for `ssl4code serve`, Tabby's protocol:
//   POST /v1/completions {"language": "python", "segments": {"prefix", "suffix"}}
//   -> {"id": "cmpl-...", "choices": [{"index": 0, "text": "..."}]}

export interface CompletionRequest {
  prefix: string;
  suffix: string;
  user?: string;  // which editor asks: a newer request from it supersedes an older one on the server
  language?: string;
}

/** Why a request failed. `unreachable`: nothing answered (connection refused, DNS, reset);
 * `timeout`: no answer within the time limit; `http`: the server answered with an error status;
 * `bad-response`: the answer was not the JSON we expect. */
export type FailureKind = 'unreachable' | 'timeout' | 'http' | 'bad-response';

export class ServerError extends Error {
  constructor(readonly kind: FailureKind, message: string, readonly status?: number) {
    super(message);
    this.name = 'ServerError';
  }
}

/** Thrown when the caller cancelled the request (a newer keystroke): not a server problem. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  fetch?: FetchLike;
}

export function completionsUrl(serverUrl: string): string {
  return serverUrl.replace(/\/+$/, '') + '/v1/completions';
}

/** Asks the server for completions of `req.prefix`; resolves to the choices' texts, best first.
 * Aborts the HTTP request when `opts.signal` aborts (throws CancelledError) or after
 * `opts.timeoutMs` (throws ServerError 'timeout'). */
export async function fetchCompletions(serverUrl: string, req: CompletionRequest, opts: ClientOptions): Promise<string[]> {
  if (opts.signal?.aborted) throw new CancelledError();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; controller.abort(); }, opts.timeoutMs);
  const onAbort = () => controller.abort();
  opts.signal?.addEventListener('abort', onAbort);
  const body = JSON.stringify({ language: req.language ?? 'python', segments: { prefix: req.prefix, suffix: req.suffix }, ...(req.user ? { user: req.user } : {}) });
  try {
    let response: Response;
    let text: string;
    try {
      response = await (opts.fetch ?? fetch)(completionsUrl(serverUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        signal: controller.signal,
      });
      text = await response.text();
    } catch (err) {
      if (opts.signal?.aborted) throw new CancelledError();
      if (timedOut) throw new ServerError('timeout', `no answer from ${serverUrl} within ${opts.timeoutMs} ms`);
      throw new ServerError('unreachable', `cannot reach ${serverUrl}: ${describe(err)}`);
    }
    if (!response.ok) {
      throw new ServerError('http', `${serverUrl} answered ${response.status}: ${errorMessage(text)}`, response.status);
    }
    return parseChoices(text);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** The texts of `choices` in a /v1/completions answer, in order. */
export function parseChoices(text: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ServerError('bad-response', `the server's answer is not JSON: ${text.slice(0, 80)}`);
  }
  const choices = (json as { choices?: unknown })?.choices;
  if (!Array.isArray(choices)) throw new ServerError('bad-response', 'the server\'s answer has no "choices" list');
  return choices
    .map((c) => (c as { text?: unknown })?.text)
    .filter((t): t is string => typeof t === 'string');
}

function errorMessage(text: string): string {
  try {
    const json = JSON.parse(text) as { error?: unknown };
    if (typeof json?.error === 'string') return json.error;
  } catch { /* not JSON: show the start of the text */ }
  return text.slice(0, 120);
}

function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
}
