// What the status bar item shows, as a small state machine with no VS Code in it.

import { ServerError } from './client';

export type State = 'ready' | 'loading' | 'unreachable' | 'error' | 'disabled';

export interface StatusView {
  state: State;
  text: string;      // status bar text; $(name) is a VS Code codicon
  tooltip: string;
}

export function viewOf(state: State, serverUrl: string, detail = ''): StatusView {
  const more = detail ? `\n${detail}` : '';
  switch (state) {
    case 'ready':
      return { state, text: '$(check) ssl4code', tooltip: `ssl4code: ready (${serverUrl}). Click to disable.` };
    case 'loading':
      return { state, text: '$(loading~spin) ssl4code', tooltip: `ssl4code: asking ${serverUrl}…` };
    case 'unreachable':
      return { state, text: '$(debug-disconnect) ssl4code: unreachable', tooltip: `ssl4code: cannot reach the server at ${serverUrl}. Start it with: ssl4code serve${more}\nClick to disable.` };
    case 'error':
      return { state, text: '$(warning) ssl4code: error', tooltip: `ssl4code: the server at ${serverUrl} failed${more}\nClick to disable.` };
    case 'disabled':
      return { state, text: '$(circle-slash) ssl4code: off', tooltip: 'ssl4code: completions are disabled. Click to enable.' };
  }
}

/** Tracks requests and their outcomes. `render` gets every new view; `warn` gets a message the
 * first time the server turns out unreachable (not on every keystroke), and again only after
 * the server has answered in between or the settings changed. */
export class Status {
  private inFlight = 0;
  private outcome: 'ready' | 'unreachable' | 'error' = 'ready';
  private detail = '';
  private warned = false;
  private view: StatusView;

  constructor(
    private serverUrl: string,
    private enabled: boolean,
    private readonly render: (view: StatusView) => void,
    private readonly warn: (message: string) => void,
  ) {
    this.view = this.compute();
    render(this.view);
  }

  get state(): State {
    return this.view.state;
  }

  configure(serverUrl: string, enabled: boolean): void {
    if (serverUrl !== this.serverUrl) {
      this.outcome = 'ready';
      this.detail = '';
      this.warned = false;
    }
    this.serverUrl = serverUrl;
    this.enabled = enabled;
    this.update();
  }

  started(): void {
    this.inFlight++;
    this.update();
  }

  succeeded(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.outcome = 'ready';
    this.detail = '';
    this.warned = false;
    this.update();
  }

  cancelled(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.update();
  }

  failed(err: ServerError): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.detail = err.message;
    if (err.kind === 'unreachable') {
      this.outcome = 'unreachable';
      if (!this.warned) {
        this.warned = true;
        this.warn(`ssl4code: cannot reach the completion server at ${this.serverUrl} (start it with "ssl4code serve", or set ssl4code.serverUrl). Completions resume when it answers.`);
      }
    } else {
      this.outcome = 'error';
    }
    this.update();
  }

  private compute(): StatusView {
    if (!this.enabled) return viewOf('disabled', this.serverUrl);
    if (this.inFlight > 0) return viewOf('loading', this.serverUrl);
    return viewOf(this.outcome, this.serverUrl, this.detail);
  }

  private update(): void {
    const next = this.compute();
    if (next.text === this.view.text && next.tooltip === this.view.tooltip) return;
    this.view = next;
    this.render(next);
  }
}
