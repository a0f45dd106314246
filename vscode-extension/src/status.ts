// What the status bar item shows, as a small state machine with no VS Code in it.

import { ServerError } from './client';

export type State = 'connecting' | 'starting' | 'ready' | 'loading' | 'unreachable' | 'error' | 'failed' | 'snoozed' | 'disabled';

export interface StatusView {
  state: State;
  text: string;      // status bar text; $(name) is a VS Code codicon
  tooltip: string;
}

/** The command a click on the status bar item runs in `state`: the server actions (start
 * server, show log...) when there is no server, else the on/off toggle. */
export function clickCommand(state: State): string {
  return state === 'failed' || state === 'unreachable' ? 'ssl4code.serverActions' : 'ssl4code.toggle';
}

export function viewOf(state: State, serverUrl: string, detail = ''): StatusView {
  const more = detail ? `\n${detail}` : '';
  switch (state) {
    case 'connecting':
      return { state, text: '$(loading~spin) ssl4code: connecting', tooltip: `ssl4code: looking for the server at ${serverUrl}…` };
    case 'starting':
      return { state, text: '$(loading~spin) ssl4code: starting', tooltip: `ssl4code: starting the server (ssl4code serve)…${more}` };
    case 'failed':
      return { state, text: '$(error) ssl4code: no server', tooltip: `ssl4code: no completion server${more}\nClick to start it or to see the log.` };
    case 'snoozed':
      return { state, text: '$(clock) ssl4code: snoozed', tooltip: `ssl4code: automatic completions snoozed ${detail}. Click to disable; run "ssl4code: Resume" to resume now.` };
    case 'ready':
      return { state, text: '$(check) ssl4code', tooltip: `ssl4code: ready (${serverUrl}). Click to disable.` };
    case 'loading':
      return { state, text: '$(loading~spin) ssl4code', tooltip: `ssl4code: asking ${serverUrl}…` };
    case 'unreachable':
      return { state, text: '$(debug-disconnect) ssl4code: unreachable', tooltip: `ssl4code: cannot reach the server at ${serverUrl}${more}\nClick to start the server (ssl4code serve) or to see the log.` };
    case 'error':
      return { state, text: '$(warning) ssl4code: error', tooltip: `ssl4code: the server at ${serverUrl} failed${more}\nClick to disable.` };
    case 'disabled':
      return { state, text: '$(circle-slash) ssl4code: off', tooltip: 'ssl4code: completions are disabled. Click to enable.' };
  }
}

/** Where the server stands: being looked for at activation, being started by us, answering,
 * or failed to start (with the reason in the tooltip). */
export type Phase = 'connecting' | 'starting' | 'up' | 'failed';

/** Tracks the server and requests and their outcomes. `render` gets every new view; `warn` gets a message the
 * first time the server turns out unreachable (not on every keystroke), and again only after
 * the server has answered in between or the settings changed. */
export class Status {
  private inFlight = 0;
  private outcome: 'ready' | 'unreachable' | 'error' = 'ready';
  private detail = '';
  private warned = false;
  private phase: Phase = 'connecting';
  private phaseDetail = '';
  private snoozeText = '';
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

  /** The server's phase (see Phase); `detail` goes into the tooltip. `up` also takes the URL the
   * server answers at, which may be one we started. */
  server(phase: Phase, detail = '', serverUrl?: string): void {
    this.phase = phase;
    this.phaseDetail = detail;
    if (serverUrl) this.serverUrl = serverUrl;
    if (phase === 'up') {
      this.outcome = 'ready';
      this.detail = '';
      this.warned = false;
    }
    this.update();
  }

  /** Snoozed (automatic completions paused) while `text` is not empty, e.g. "until 14:05". */
  snooze(text: string): void {
    this.snoozeText = text;
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
    this.phase = 'up';
    this.update();
  }

  cancelled(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.update();
  }

  failed(err: ServerError): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.detail = err.message;
    if (this.phase === 'connecting') this.phase = 'up';  // a request got an answer of sorts
    if (err.kind === 'unreachable') {
      this.outcome = 'unreachable';
      if (!this.warned && this.phase !== 'failed') {  // (a failed start was already reported)
        this.warned = true;
        this.warn(`ssl4code: cannot reach the completion server at ${this.serverUrl}. Start it (button, or "ssl4code serve"), or set ssl4code.serverUrl; completions resume when it answers.`);
      }
    } else {
      this.outcome = 'error';
    }
    this.update();
  }

  private compute(): StatusView {
    if (!this.enabled) return viewOf('disabled', this.serverUrl);
    if (this.snoozeText) return viewOf('snoozed', this.serverUrl, this.snoozeText);
    if (this.inFlight > 0) return viewOf('loading', this.serverUrl);
    if (this.phase === 'failed') return viewOf('failed', this.serverUrl, this.phaseDetail);
    if (this.phase === 'starting') return viewOf('starting', this.serverUrl, this.phaseDetail);
    if (this.phase === 'connecting') return viewOf('connecting', this.serverUrl);
    return viewOf(this.outcome, this.serverUrl, this.detail);
  }

  private update(): void {
    const next = this.compute();
    if (next.text === this.view.text && next.tooltip === this.view.tooltip) return;
    this.view = next;
    this.render(next);
  }
}
