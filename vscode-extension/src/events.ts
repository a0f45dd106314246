// What the user did with a suggestion, reported to the server in Tabby's schema:
//   POST /v1/events {"type": "view" | "select" | "dismiss", "completion_id", "choice_index", "view_id", "elapsed"}
// A suggestion shown (view) is then either accepted (select) or, when the user types over it,
// presses Escape or moves on, dismissed. Events carry ids and times only, never code. Free of
// VS Code, so tests run it with node.

import { FetchLike } from './client';

export type EventType = 'view' | 'select' | 'dismiss';

export interface CompletionEvent {
  type: EventType;
  completion_id: string;
  choice_index: number;
  view_id: string;
  elapsed?: number;
}

/** An answer of /v1/completions: its id and the choices' texts, in order. */
interface Answer {
  id: string;
  texts: string[];
}

/** The ghost text on screen now, waiting to be accepted or dismissed. */
interface Shown {
  id: string;
  index: number;
  viewId: string;
  since: number;
}

export function eventsUrl(serverUrl: string): string {
  return serverUrl.replace(/\/+$/, '') + '/v1/events';
}

/** Remembers which answer each prompt got (through `fetch`, a wrapper of the engine's fetch),
 * tracks the suggestion on screen, and posts view / select / dismiss to the server. */
export class EventReporter {
  private readonly answers = new Map<string, Answer>();  // by prompt prefix; the newest 50, in memory only
  private current?: Shown;
  private views = 0;
  private off = false;  // the server has no /v1/events (an older ssl4code): stop asking
  /** Post events: on when the server's /v1/health says it records them (`"events": true`). */
  enabled = false;
  readonly sent: CompletionEvent[] = [];

  constructor(
    private readonly serverUrl: () => string,
    private readonly log: (line: string) => void = () => undefined,
    private readonly baseFetch: FetchLike = (url, init) => fetch(url, init),
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** A fetch for the engine: passes everything through, and notes the id and choices of each
   * /v1/completions answer for the prompt it answered. */
  readonly fetch: FetchLike = async (url, init) => {
    const response = await this.baseFetch(url, init);
    if (url.endsWith('/v1/completions') && response.ok) {
      try {
        const prefix = JSON.parse(String(init.body)).segments.prefix as string;
        const json = JSON.parse(await response.clone().text());
        if (typeof json?.id === 'string' && Array.isArray(json.choices)) {
          this.answers.delete(prefix);
          this.answers.set(prefix, { id: json.id, texts: json.choices.map((c: { text?: unknown }) => String(c?.text ?? '')) });
          if (this.answers.size > 50) this.answers.delete(this.answers.keys().next().value as string);
        }
      } catch { /* not an answer we understand: the engine reports it */ }
    }
    return response;
  };

  /** The answer's id and choice index behind `text`, shown at the prompt `prefix` (the engine
   * may have trimmed the choice against the text after the cursor). */
  lookup(prefix: string, text: string): { id: string; index: number } | undefined {
    const answer = this.answers.get(prefix);
    if (!answer) return undefined;
    let index = answer.texts.indexOf(text);
    if (index < 0) index = answer.texts.findIndex((t) => t.startsWith(text) || text.startsWith(t));
    return index < 0 ? undefined : { id: answer.id, index };
  }

  /** Ghost text `text` is on screen at `prefix`: a view (and the dismissal of what it replaces).
   * Returns the arguments for the accept command, or undefined when the answer is unknown. */
  shown(prefix: string, text: string): [string, number, string] | undefined {
    const ref = this.lookup(prefix, text);
    if (this.current && ref && this.current.id === ref.id && this.current.index === ref.index) {
      return [ref.id, ref.index, this.current.viewId];   // the same suggestion asked for again: one view
    }
    this.nothingShown();
    if (!ref) return undefined;
    const viewId = `view-${++this.views}-${Math.random().toString(36).slice(2, 8)}`;
    this.current = { id: ref.id, index: ref.index, viewId, since: this.now() };
    this.post({ type: 'view', completion_id: ref.id, choice_index: ref.index, view_id: viewId });
    return [ref.id, ref.index, viewId];
  }

  /** The user accepted the suggestion (the inline item's command runs). */
  accepted(id: string, index: number, viewId: string): void {
    const elapsed = this.current?.viewId === viewId ? this.now() - this.current.since : undefined;
    if (this.current?.viewId === viewId) this.current = undefined;
    this.post({ type: 'select', completion_id: id, choice_index: index, view_id: viewId, ...(elapsed !== undefined ? { elapsed } : {}) });
  }

  /** No suggestion on screen any more (typed over, Escape, another answer): dismiss the last one. */
  nothingShown(): void {
    const c = this.current;
    if (!c) return;
    this.current = undefined;
    this.post({ type: 'dismiss', completion_id: c.id, choice_index: c.index, view_id: c.viewId, elapsed: this.now() - c.since });
  }

  /** Forget the answers (another server or model). */
  reset(): void {
    this.nothingShown();
    this.answers.clear();
    this.off = false;
  }

  private post(event: CompletionEvent): void {
    this.sent.push(event);
    if (this.sent.length > 100) this.sent.shift();
    if (this.off || !this.enabled) return;
    const url = eventsUrl(this.serverUrl());
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 2000);
    void this.baseFetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(event),
      signal: controller.signal,
    }).then((r) => {
      if (r.status === 404 || r.status === 405) {
        this.off = true;
        this.log(`${url} answered ${r.status}: this server records no events; not sending more`);
      } else if (!r.ok) this.log(`${url} answered ${r.status} to a ${event.type} event`);
    }).catch(() => { /* the server is gone or busy: an event is not worth an error */ })
      .finally(() => clearTimeout(timer));
  }
}
