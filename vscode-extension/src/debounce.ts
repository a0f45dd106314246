// Debouncing: wait a little after a keystroke; a newer keystroke cancels the wait
// (and the request that would follow it).

import { CancelledError } from './client';

/** Resolves after `ms` milliseconds; rejects with CancelledError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    if (ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Hands out one AbortSignal per call of `next()` and aborts the previous one: only the
 * latest keystroke's wait and request stay alive. `external` (VS Code's cancellation token,
 * as a signal) aborts the new one too. */
export class Latest {
  private current?: AbortController;

  next(external?: AbortSignal): AbortSignal {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    if (external?.aborted) controller.abort();
    else external?.addEventListener('abort', () => controller.abort(), { once: true });
    return controller.signal;
  }

  cancel(): void {
    this.current?.abort();
    this.current = undefined;
  }
}
