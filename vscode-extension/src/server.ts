// Finding or starting the completion server, free of VS Code so that tests can run it.
//
// At activation the extension asks `GET <serverUrl>/v1/health`. When nothing healthy answers it
// starts `ssl4code serve --port <free port>` itself, with the first launcher that works (see
// `launchers`), waits until that server's /v1/health answers, and stops it on deactivation.

import { ChildProcess, spawn as nodeSpawn } from 'node:child_process';
import * as net from 'node:net';
import { FetchLike } from './client';

/** Why the server could not be started. */
export type StartFailure = 'not-installed' | 'port-busy' | 'model-failed' | 'exited' | 'timeout';

export const FAILURE_TEXT: Record<StartFailure, string> = {
  'not-installed': 'ssl4code is not installed for this Python',
  'port-busy': 'the port is already in use',
  'model-failed': 'the model failed to load',
  'exited': 'the server exited',
  'timeout': 'the server did not answer in time',
};

/** One way of running `ssl4code serve`: `command args... --port N`. */
export interface Launcher {
  command: string;
  args: string[];
  label: string;  // for the log and messages: where it came from
}

// `python -c` rather than `python -m ssl4code`: works with every version of the package.
const SERVE_CODE = 'import sys; from ssl4code.core import main; sys.exit(main())';

/** The launchers to try, in order: the `ssl4code.pythonPath` setting alone when set (the user
 * chose it); otherwise the Python extension's selected interpreter, then the `ssl4code` script
 * on PATH. */
export function launchers(opts: { pythonPath?: string; selectedInterpreter?: string; script?: string }): Launcher[] {
  const python = (path: string, label: string): Launcher => ({ command: path, args: ['-c', SERVE_CODE, 'serve'], label });
  if (opts.pythonPath) return [python(opts.pythonPath, `ssl4code.pythonPath (${opts.pythonPath})`)];
  const out: Launcher[] = [];
  if (opts.selectedInterpreter) out.push(python(opts.selectedInterpreter, `the Python extension's interpreter (${opts.selectedInterpreter})`));
  const script = opts.script ?? 'ssl4code';
  out.push({ command: script, args: ['serve'], label: `\`${script}\` on PATH` });
  return out;
}

/** What a failed start's output says: not installed, port busy, model failed, or just exited. */
export function classifyExit(output: string, spawnErrorCode?: string): StartFailure {
  if (spawnErrorCode === 'ENOENT' || spawnErrorCode === 'EACCES') return 'not-installed';
  if (/No module named '?ssl4code|ModuleNotFoundError: No module named|command not found|unknown command 'serve'/.test(output)) return 'not-installed';
  if (/cannot listen on|Address already in use|EADDRINUSE|address in use/i.test(output)) return 'port-busy';
  // `ssl4code serve` loads the model before it listens: an error before that is the model's
  if (/checkpoint|state_dict|torch|model|Traceback|error/i.test(output)) return 'model-failed';
  return 'exited';
}

/** The JSON of `GET <url>/v1/health` when it answers 200 with a JSON object; undefined otherwise
 * (nothing listens, another service answers, an error status, a timeout). */
export async function checkHealth(url: string, timeoutMs = 2000, fetchImpl?: FetchLike): Promise<Record<string, unknown> | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const r = await (fetchImpl ?? fetch)(url.replace(/\/+$/, '') + '/v1/health', { method: 'GET', signal: controller.signal });
    if (r.status !== 200) return undefined;
    const json = JSON.parse(await r.text());
    return json && typeof json === 'object' && !Array.isArray(json) ? json : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export type Outcome =
  | { ok: true; url: string; started: boolean; health: Record<string, unknown> }
  | { ok: false; reason: StartFailure; message: string };

export interface ManagerOptions {
  log: (line: string) => void;                 // the output channel
  onExit?: (message: string) => void;          // a server we started exited on its own
  onStarting?: (launcher: Launcher) => void;   // about to start a server
  fetch?: FetchLike;
  spawn?: typeof nodeSpawn;
  port?: () => Promise<number>;
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;                     // model load included
  pollMs?: number;
}

/** Owns at most one server process. `ensure` finds a healthy server or starts one; `stop` ends
 * the one it started (and only that one). */
export class ServerManager {
  private child?: ChildProcess;
  private stopping = false;
  url?: string;

  constructor(private readonly opts: ManagerOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** A healthy server at `configuredUrl`, or, when `autoStart`, one started with the first
   * launcher that works. */
  async ensure(configuredUrl: string, candidates: Launcher[], autoStart: boolean): Promise<Outcome> {
    const health = await checkHealth(configuredUrl, 2000, this.opts.fetch);
    if (health) {
      this.url = configuredUrl;
      this.opts.log(`server at ${configuredUrl} is healthy: ${describeHealth(health)}`);
      return { ok: true, url: configuredUrl, started: false, health };
    }
    this.opts.log(`no ssl4code server answers ${configuredUrl}/v1/health`);
    if (!autoStart) {
      return { ok: false, reason: 'exited', message: `no server answers at ${configuredUrl} (ssl4code.startServer is off: start it with "ssl4code serve")` };
    }
    return this.start(candidates);
  }

  /** Starts a server (stopping the one we started before, if any). Tries each launcher in turn
   * while the failure is "not installed"; retries once on another port when the port was taken. */
  async start(candidates: Launcher[]): Promise<Outcome> {
    await this.stop();
    let last: Outcome = { ok: false, reason: 'not-installed', message: 'no way to run ssl4code serve was found' };
    const tried: string[] = [];
    for (const launcher of candidates) {
      for (let attempt = 0; attempt < 2; attempt++) {
        last = await this.startOne(launcher);
        if (last.ok || last.reason !== 'port-busy') break;
      }
      if (last.ok || last.reason !== 'not-installed') return last;
      tried.push(`${launcher.label}: ${last.message}`);
    }
    if (!last.ok && tried.length > 1) {
      return { ok: false, reason: 'not-installed', message: `ssl4code serve could not be run:\n${tried.join('\n')}` };
    }
    return last;
  }

  private async startOne(launcher: Launcher): Promise<Outcome> {
    const port = await (this.opts.port ?? freePort)();
    const url = `http://127.0.0.1:${port}`;
    this.opts.onStarting?.(launcher);
    const args = [...launcher.args, '--port', String(port)];
    this.opts.log(`starting: ${launcher.command} ${args.map(quote).join(' ')}  (${launcher.label})`);
    let output = '';
    let spawnError: NodeJS.ErrnoException | undefined;
    let child: ChildProcess;
    try {
      child = (this.opts.spawn ?? nodeSpawn)(launcher.command, args, {
        env: { ...(this.opts.env ?? process.env), PYTHONUNBUFFERED: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return { ok: false, reason: classifyExit('', e.code ?? 'ENOENT'), message: `cannot run ${launcher.command}: ${e.message}` };
    }
    this.child = child;
    const onData = (stream: string) => (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-20000);
      for (const line of text.split(/\r?\n/)) if (line.trim()) this.opts.log(`[server ${stream}] ${line}`);
    };
    child.stdout?.on('data', onData('out'));
    child.stderr?.on('data', onData('err'));
    const exited = new Promise<string>((resolve) => {
      child.on('error', (err: NodeJS.ErrnoException) => { spawnError = err; resolve(`cannot run ${launcher.command}: ${err.code ?? err.message}`); });
      child.on('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit code ${code}`));
    });
    let gone: string | undefined;
    let ready = false;
    void exited.then((how) => {
      gone = how;
      if (this.child === child) {
        this.child = undefined;
        if (this.url === url) this.url = undefined;
        if (!this.stopping) {
          this.opts.log(`the server (pid ${child.pid}) exited: ${how}`);
          if (ready) this.opts.onExit?.(`the ssl4code server exited (${how}); see the "ssl4code" output`);
        }
      }
    });
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 120000);
    while (Date.now() < deadline) {
      if (gone !== undefined) {
        await new Promise((r) => setTimeout(r, 50));  // the rest of its output
        const reason = classifyExit(output, spawnError?.code);
        const tail = lastLines(output, 6);
        return { ok: false, reason, message: `${FAILURE_TEXT[reason]} (${launcher.label}: ${gone})${tail ? '\n' + tail : ''}` };
      }
      const health = await checkHealth(url, 1000, this.opts.fetch);
      if (health && gone === undefined) {
        ready = true;
        this.url = url;
        this.opts.log(`server started on ${url} (pid ${child.pid}): ${describeHealth(health)}`);
        return { ok: true, url, started: true, health };
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, this.opts.pollMs ?? 250))]);
    }
    await this.stop();
    return { ok: false, reason: 'timeout', message: `${FAILURE_TEXT.timeout}: no answer from ${url}/v1/health within ${Math.round((this.opts.startTimeoutMs ?? 120000) / 1000)} s (${launcher.label})` };
  }

  /** Stops the server we started: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.stopping = true;
    try {
      if (child.exitCode === null && child.signalCode === null) {
        const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        this.opts.log(`stopping the server (pid ${child.pid})`);
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await done;
        clearTimeout(timer);
      }
    } finally {
      if (this.child === child) this.child = undefined;
      this.url = undefined;
      this.stopping = false;
    }
  }

  /** Synchronous last resort for process exit: no waiting possible there. */
  killNow(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}

export function describeHealth(h: Record<string, unknown>): string {
  const parts = [h.model && `model ${h.model}`, typeof h.params === 'number' && `${(h.params as number).toLocaleString('en')} parameters`, h.device && `on ${h.device}`];
  return parts.filter(Boolean).join(', ') || 'ok';
}

function lastLines(text: string, n: number): string {
  return text.split(/\r?\n/).filter((l) => l.trim()).slice(-n).join('\n');
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
