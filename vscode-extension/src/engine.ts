// The completion logic behind both providers, free of VS Code: window the document around the
// cursor, serve from the cache, debounce, cancel the older request, ask the server. The server
// trims its answers against the text after the cursor (one place does it): the client shows them.

import { CancelledError, FetchLike, ServerError, fetchCompletions } from './client';
import { CompletionCache } from './cache';
import { Settings } from './config';
import { Latest, sleep } from './debounce';
import { Status } from './status';

export interface Context {
  prefix: string;  // text before the cursor (already cut to the context window)
  suffix: string;  // text after the cursor (idem)
}

/** Offsets of the context window around the cursor at `offset`: `contextChars` characters
 * before it, a quarter as many after it (`end` may pass the end of the text). */
export function contextWindow(offset: number, contextChars: number): { start: number; end: number } {
  return { start: Math.max(0, offset - contextChars), end: offset + Math.max(1, Math.floor(contextChars / 4)) };
}

/** The first line start at or after `start` in `text` (before `limit`): a window that starts at a
 * line start keeps the same first lines while the cursor moves on, which the server's cache of
 * model states can reuse. */
export function lineStart(text: string, start: number, limit: number): number {
  if (start <= 0) return 0;
  const nl = text.indexOf('\n', start - 1);
  return nl >= 0 && nl < limit ? nl + 1 : start;
}

/** Identifies this editor's requests to the server, so that a newer request supersedes an older
 * one still waiting there. */
export const EDITOR_ID = `vscode-${Math.random().toString(36).slice(2, 10)}`;

export interface CompleteOptions {
  signal?: AbortSignal;  // VS Code's cancellation token, as a signal
  debounce?: boolean;    // wait settings.debounceMs first (ghost text); the dropdown asks at once
  lane?: string;         // a newer call cancels the older one of the same lane only
}

export class Engine {
  readonly cache = new CompletionCache(100);
  private readonly lanes = new Map<string, Latest>();

  constructor(
    private readonly settings: () => Settings,
    private readonly status: Status,
    private readonly fetchImpl?: FetchLike,
    private readonly log: (line: string) => void = () => undefined,  // the output channel
  ) {}

  /** Suggestions to show at the cursor, best first, trimmed and without duplicates; [] when
   * disabled, cancelled by a newer call, or when the server fails (the status says why). */
  async complete(ctx: Context, opts: CompleteOptions = {}): Promise<string[]> {
    const s = this.settings();
    if (!s.enable) return [];
    const cached = this.cache.get(ctx.prefix);
    if (cached) return this.shown(cached, ctx);
    const lane = opts.lane ?? 'default';
    if (!this.lanes.has(lane)) this.lanes.set(lane, new Latest());
    const signal = this.lanes.get(lane)!.next(opts.signal);
    try {
      if (opts.debounce) await sleep(s.debounceMs, signal);
    } catch {
      return [];
    }
    this.status.started();
    const t0 = Date.now();
    const what = `POST ${s.serverUrl}/v1/completions (${ctx.prefix.length}+${ctx.suffix.length} chars)`;
    try {
      const choices = await fetchCompletions(s.serverUrl, { language: 'python', user: EDITOR_ID, ...ctx }, {
        timeoutMs: s.timeoutMs,
        signal,
        fetch: this.fetchImpl,
      });
      this.cache.set(ctx.prefix, choices);
      this.status.succeeded();
      this.log(`${what}: ${choices.length} choice${choices.length === 1 ? '' : 's'} in ${Date.now() - t0} ms`);
      return this.shown(choices, ctx);
    } catch (err) {
      if (err instanceof ServerError) {
        this.status.failed(err);
        this.log(`${what}: failed after ${Date.now() - t0} ms: ${err.kind}: ${err.message}`);
      } else if (err instanceof CancelledError) this.status.cancelled();
      else {
        this.log(`${what}: failed after ${Date.now() - t0} ms: ${String(err)}`);
        this.status.failed(new ServerError('bad-response', String(err)));
      }
      return [];
    }
  }

  /** Forget cached answers (the server or its model may have changed). */
  reset(): void {
    for (const latest of this.lanes.values()) latest.cancel();
    this.cache.clear();
  }

  private shown(choices: string[], _ctx: Context): string[] {
    const out: string[] = [];
    for (const text of choices) if (text.trim() && !out.includes(text)) out.push(text);
    return out;
  }
}
