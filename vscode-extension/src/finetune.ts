// "ssl4code: Fine-tune on this workspace": run `ssl4code finetune WORKSPACE --out DIR --memory` with the
// Python that runs the server, follow its output, and read what it measured. Free of VS Code.

import { spawn as nodeSpawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Launcher } from './server';

/** The launcher's command, running `finetune` instead of `serve`; with a memory of the workspace's code, and the original model away from it. */
export function finetuneCommand(launcher: Launcher, workspace: string, out: string, minutes: number): { command: string; args: string[] } {
  const args = [...launcher.args];
  const i = args.lastIndexOf('serve');
  args.splice(i < 0 ? args.length : i, i < 0 ? 0 : 1, 'finetune', workspace, '--out', out, '--minutes', String(minutes), '--memory');
  return { command: launcher.command, args };
}

/** The launcher serving `checkpoint` (unchanged without one). */
export function withCheckpoint(launcher: Launcher, checkpoint?: string): Launcher {
  if (!checkpoint) return launcher;
  return { ...launcher, args: [...launcher.args, '--checkpoint', checkpoint], label: `${launcher.label}, model ${checkpoint}` };
}

/** The last non-empty line of `text` (progress bars rewrite their line with \r). */
export function lastLine(text: string): string {
  const lines = text.split(/[\r\n]+/).map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines[lines.length - 1] : '';
}

export interface FinetuneResult {
  ok: boolean;
  message: string;
  model?: string;        // RUN_DIR/model.pt: the better of the original and the fine-tuned model
  kept?: 'finetuned' | 'original';
  before?: number;       // keystrokes saved on the held-out files
  after?: number;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** What RUN_DIR/finetune.json says, as a result and a one-line message. */
export function readResult(out: string): FinetuneResult {
  try {
    const r = JSON.parse(fs.readFileSync(path.join(out, 'finetune.json'), 'utf8'));
    const before = r.before.heldout.saved as number, after = r.after.heldout.saved as number;
    const kept = r.kept === 'finetuned' ? 'finetuned' : 'original';
    const message = kept === 'finetuned'
      ? `keystrokes saved on held-out files of this workspace: ${pct(before)} before, ${pct(after)} after fine-tuning`
      : `fine-tuning made completion worse on held-out files (${pct(before)} -> ${pct(after)} keystrokes saved): the original model stays`;
    return { ok: true, message, model: path.join(out, 'model.pt'), kept, before, after };
  } catch (err) {
    return { ok: false, message: `cannot read ${path.join(out, 'finetune.json')}: ${String(err)}` };
  }
}

export interface RunOptions {
  onOutput?: (line: string) => void;   // every line of output (the output channel)
  onProgress?: (line: string) => void; // the latest line, for a progress notification
  signal?: AbortSignal;                // cancel: the process is stopped
  spawn?: typeof nodeSpawn;
}

/** Runs `ssl4code finetune` with the first launcher that can be run; resolves with what it measured. */
export async function runFinetune(launchers: Launcher[], workspace: string, out: string, minutes: number, opts: RunOptions = {}): Promise<FinetuneResult> {
  let last: FinetuneResult = { ok: false, message: 'no way to run ssl4code was found' };
  for (const launcher of launchers) {
    last = await runOne(finetuneCommand(launcher, workspace, out, minutes), out, opts);
    if (last.ok || !/^cannot run /.test(last.message)) return last;
  }
  return last;
}

function runOne(cmd: { command: string; args: string[] }, out: string, opts: RunOptions): Promise<FinetuneResult> {
  return new Promise((resolve) => {
    let output = '';
    const child = (opts.spawn ?? nodeSpawn)(cmd.command, cmd.args, {
      env: { ...process.env, PYTHONUNBUFFERED: '1' }, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true,
    });
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-20000);
      for (const line of text.split(/\n/)) if (line.trim()) opts.onOutput?.(lastLine(line));
      const now = lastLine(text);
      if (now) opts.onProgress?.(now);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const abort = () => child.kill('SIGTERM');
    opts.signal?.addEventListener('abort', abort);
    let done = false;
    const finish = (r: FinetuneResult) => {
      if (done) return;
      done = true;
      opts.signal?.removeEventListener('abort', abort);
      resolve(r);
    };
    child.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, message: `cannot run ${cmd.command}: ${err.code ?? err.message}` }));
    child.on('close', (code, signal) => {
      if (opts.signal?.aborted) finish({ ok: false, message: 'fine-tuning cancelled' });
      else if (code === 0) finish(readResult(out));
      else finish({ ok: false, message: `ssl4code finetune failed (${signal ? `killed by ${signal}` : `exit code ${code}`}): ${lastLine(output.split(/\n/).slice(-3).join('\n'))}` });
    });
  });
}
