/**
 * ssl4code in JupyterLab: grey ghost text in notebook cells and file editors, Tab to accept.
 *
 * An inline completion provider (JupyterLab >= 4.1). It asks the ssl4code Jupyter server extension
 * (POST <base_url>/ssl4code/complete, under Jupyter's own authentication) for a completion of the
 * text at the cursor. In a notebook, the code cells above the current one are sent as context
 * before the cursor and the cells below as context after it.
 *
 * Requests are debounced while typing, and a newer request supersedes older ones: an older one
 * still waiting is dropped, one in flight is aborted, and a late answer is never shown.
 * Timings go to the browser console at debug level only.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  CompletionHandler,
  ICompletionProviderManager,
  IInlineCompletionContext,
  IInlineCompletionList,
  IInlineCompletionProvider,
  InlineCompletionTriggerKind
} from '@jupyterlab/completer';
import { URLExt } from '@jupyterlab/coreutils';
import { NotebookPanel } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';

/** What the server extension is sent: the text around the cursor, split by cells. */
export interface ICompletionRequest {
  /** The current cell (or file) up to the cursor. */
  prefix: string;
  /** The current cell (or file) after the cursor. */
  suffix: string;
  /** The code cells above the current one, top to bottom. */
  before: string[];
  /** The code cells below the current one, top to bottom. */
  after: string[];
  /** Identifies this browser tab, so the server can drop its superseded requests. */
  client: string;
  /** Increases with every request of this client. */
  seq: number;
  /** How many completions at most (JupyterLab cycles through them with Alt+] and Alt+[). */
  n: number;
}

/** Characters of context sent at most on each side (the model reads about 2000 before the cursor). */
const MAX_BEFORE = 8000;
const MAX_AFTER = 2000;
/** Wait this long after a keystroke before asking (an explicit Alt+\ asks at once). */
const DEBOUNCE_MS = 120;

const EMPTY: IInlineCompletionList = { items: [] };

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** The last `n` characters of the cells, the nearest cell last (cells beyond the limit are left out). */
function lastCells(cells: string[], n: number): string[] {
  const out: string[] = [];
  let size = 0;
  for (let i = cells.length - 1; i >= 0 && size < n; i--) {
    out.unshift(cells[i]);
    size += cells[i].length + 2;
  }
  return out;
}

/** The first `n` characters of the cells, the nearest cell first. */
function firstCells(cells: string[], n: number): string[] {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; i < cells.length && size < n; i++) {
    out.push(cells[i]);
    size += cells[i].length + 2;
  }
  return out;
}

/** The code cells above and below the active cell of a notebook; none for other editors. */
export function neighbourCells(widget: unknown): { before: string[]; after: string[] } {
  if (!(widget instanceof NotebookPanel)) {
    return { before: [], after: [] };
  }
  const notebook = widget.content;
  const active = notebook.activeCellIndex;
  const before: string[] = [];
  const after: string[] = [];
  notebook.widgets.forEach((cell, i) => {
    if (i === active || cell.model.type !== 'code') {
      return;
    }
    (i < active ? before : after).push(cell.model.sharedModel.getSource());
  });
  return { before: lastCells(before, MAX_BEFORE), after: firstCells(after, MAX_AFTER) };
}

/**
 * Whether the editor holds Python: in a notebook, its language (from its metadata; a cell's mimeType is
 * text/plain until the kernel has told its language); elsewhere (a file editor), the editor's mimeType.
 */
export function isPython(widget: unknown, mimeType: string | undefined): boolean {
  if (widget instanceof NotebookPanel) {
    const model = widget.content.model;
    const info = model?.getMetadata('language_info') as { name?: string } | undefined;
    const spec = model?.getMetadata('kernelspec') as { language?: string } | undefined;
    const language = info?.name ?? spec?.language;
    return !language || /python/i.test(language);
  }
  return /python/i.test(mimeType ?? '');
}

export class SSL4CodeInlineProvider implements IInlineCompletionProvider {
  readonly identifier = 'ssl4code';
  readonly name = 'ssl4code';

  private seq = 0;
  private inFlight: AbortController | null = null;
  private readonly client = Math.random().toString(36).slice(2);

  async fetch(
    request: CompletionHandler.IRequest,
    context: IInlineCompletionContext
  ): Promise<IInlineCompletionList> {
    const seq = ++this.seq;
    if (context.triggerKind !== InlineCompletionTriggerKind.Invoke) {
      await sleep(DEBOUNCE_MS);
      if (seq !== this.seq) {
        return EMPTY; // superseded while waiting: never sent
      }
    }
    if (!isPython(context.widget, request.mimeType)) {
      return EMPTY;
    }
    const { before, after } = neighbourCells(context.widget);
    const body: ICompletionRequest = {
      prefix: request.text.slice(0, request.offset),
      suffix: request.text.slice(request.offset),
      before,
      after,
      client: this.client,
      seq,
      n: 3
    };
    this.inFlight?.abort(); // an older request is of no use any more
    const abort = new AbortController();
    this.inFlight = abort;
    const t0 = performance.now();
    const settings = ServerConnection.makeSettings();
    const url = URLExt.join(settings.baseUrl, 'ssl4code', 'complete');
    let data: { completions?: { text: string; prob: number }[]; ms?: number; stale?: boolean };
    try {
      const response = await ServerConnection.makeRequest(
        url,
        { method: 'POST', body: JSON.stringify(body), signal: abort.signal },
        settings
      );
      data = await response.json();
      if (!response.ok) {
        console.warn('ssl4code: completion failed', response.status, data);
        return EMPTY;
      }
    } catch (err) {
      if (!abort.signal.aborted) {
        console.warn('ssl4code: completion request failed', err);
      }
      return EMPTY;
    } finally {
      if (this.inFlight === abort) {
        this.inFlight = null;
      }
    }
    if (seq !== this.seq || data.stale) {
      return EMPTY; // a newer request was made meanwhile: this answer is stale
    }
    const items = (data.completions ?? []).map(c => ({ insertText: c.text }));
    console.debug(
      `ssl4code: ${items.length} completion(s): model ${data.ms ?? '?'} ms, round trip ${Math.round(
        performance.now() - t0
      )} ms`
    );
    return { items };
  }
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'ssl4code:inline-completer',
  description: 'Ghost text from the ssl4code model (served by the ssl4code server extension).',
  autoStart: true,
  requires: [ICompletionProviderManager],
  activate: (app: JupyterFrontEnd, manager: ICompletionProviderManager): void => {
    manager.registerInlineProvider(new SSL4CodeInlineProvider());
    console.log('ssl4code: inline completion provider registered');
    // Have the server load the model now, so that the first keystroke need not wait for it
    // (JupyterLab gives a provider 5 s before it drops its answer).
    const settings = ServerConnection.makeSettings();
    const url = URLExt.join(settings.baseUrl, 'ssl4code', 'complete') + '?load=1';
    ServerConnection.makeRequest(url, { method: 'GET' }, settings).then(
      response => {
        if (!response.ok) {
          console.warn('ssl4code: the server extension answered', response.status);
        }
      },
      err => console.warn('ssl4code: the server extension is unreachable', err)
    );
  }
};

export default plugin;
