// VS Code glue: settings, output channel, status bar item, commands, the server it starts, and
// the two providers. The logic lives in the other modules, which tests run without VS Code.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ServerError } from './client';
import { Settings, SUPPORTED_LANGUAGES, languageEnabled, readSettings, unsupportedLanguages, wantsDropdown, wantsInline } from './config';
import { Context, Engine, contextWindow } from './engine';
import { EventReporter } from './events';
import { runFinetune, withCheckpoint } from './finetune';
import { CellText, notebookContext } from './notebook';
import { FAILURE_TEXT, Outcome, ServerManager, launchers } from './server';
import { Status, clickCommand } from './status';
import { firstLine, worthAsking } from './trim';

const WORD = /[A-Za-z_][A-Za-z0-9_]*/;

function readConfig(): Settings {
  const config = vscode.workspace.getConfiguration('ssl4code');
  return readSettings((key) => config.get(key));
}

/** The notebook cell `document` belongs to, as the list of cells and its index; undefined for
 * a plain file. */
function notebookCellOf(document: vscode.TextDocument): { cells: vscode.NotebookCell[]; index: number } | undefined {
  if (document.uri?.scheme !== 'vscode-notebook-cell') return undefined;
  const key = document.uri.toString();
  for (const notebook of vscode.workspace.notebookDocuments ?? []) {
    const cells = notebook.getCells();
    const index = cells.findIndex((c) => c.document === document || c.document.uri.toString() === key);
    if (index >= 0) return { cells, index };
  }
  return undefined;
}

/** The context window around the cursor, read from the document without copying all of it; in
 * a notebook cell the other cells count too (see notebook.ts). */
export function contextAt(document: vscode.TextDocument, position: vscode.Position, contextChars: number): Context {
  const cell = notebookCellOf(document);
  if (cell) {
    const texts: CellText[] = cell.cells.map((c) => ({
      kind: c.kind === vscode.NotebookCellKind.Code ? 'code' : 'markup',
      language: c.document.languageId,
      text: c.document.getText(),
    }));
    const offset = document.offsetAt(position);
    const text = document.getText();
    return notebookContext(texts, cell.index, text.slice(0, offset), text.slice(offset), contextChars);
  }
  const { start, end } = contextWindow(document.offsetAt(position), contextChars);
  const first = document.positionAt(start);
  // from a line start: the window keeps its first lines while the cursor moves on, and the
  // server's cache of model states reuses what it read for them
  const from = first.character > 0 && first.line < position.line ? new vscode.Position(first.line + 1, 0) : first;
  return {
    prefix: document.getText(new vscode.Range(from, position)),
    suffix: document.getText(new vscode.Range(position, document.positionAt(end))),
  };
}

/** An AbortSignal that aborts when VS Code cancels the request. */
function signalOf(token: vscode.CancellationToken): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}

/** What the user switched off for now: a snooze pauses automatic completions until a time. */
export class Controls {
  snoozedUntil = 0;
  snoozed(now = Date.now()): boolean {
    return now < this.snoozedUntil;
  }
}

export class InlineProvider implements vscode.InlineCompletionItemProvider {
  constructor(private readonly engine: Engine, private readonly settings: () => Settings, private readonly controls = new Controls(),
              private readonly events?: EventReporter) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const s = this.settings();
    if (!wantsInline(s) || !languageEnabled(s, document.languageId)) return undefined;
    if (context.selectedCompletionInfo) return undefined;  // the suggestion list is open: leave it alone
    const automatic = context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic;
    if (automatic && this.controls.snoozed()) return undefined;  // "ssl4code: Trigger" still works
    const ctx = contextAt(document, position, s.contextChars);
    if (automatic && !worthAsking(ctx.suffix)) return undefined;
    const { signal, dispose } = signalOf(token);
    try {
      const texts = await this.engine.complete(ctx, { signal, debounce: automatic, lane: 'inline' });
      if (token.isCancellationRequested) return undefined;
      const items = texts.map((text) => new vscode.InlineCompletionItem(text, new vscode.Range(position, position)));
      // events: the first item is the ghost text shown; its command runs when it is accepted
      const accept = items.length ? this.events?.shown(ctx.prefix, texts[0]) : this.events?.nothingShown();
      if (accept) items[0].command = { command: 'ssl4code.accepted', title: 'accepted', arguments: accept };
      return items;
    } finally {
      dispose();
    }
  }
}

export class DropdownProvider implements vscode.CompletionItemProvider {
  constructor(private readonly engine: Engine, private readonly settings: () => Settings, private readonly controls = new Controls()) {}

  async provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.CompletionList | undefined> {
    const s = this.settings();
    if (!wantsDropdown(s) || !languageEnabled(s, document.languageId) || this.controls.snoozed()) return undefined;
    const word = document.getWordRangeAtPosition(position, WORD);
    const start = word && word.start.isBefore(position) ? word.start : position;
    const typed = document.getText(new vscode.Range(start, position));
    const { signal, dispose } = signalOf(token);
    try {
      const texts = await this.engine.complete(contextAt(document, position, s.contextChars), { signal, lane: 'dropdown' });
      if (token.isCancellationRequested) return undefined;
      const labels = [...new Set(texts.map((t) => typed + firstLine(t)))].filter((l) => l.length > typed.length);
      const items = labels.map((label, i) => {
        const item = new vscode.CompletionItem(label, vscode.CompletionItemKind.Text);
        item.insertText = label;
        item.filterText = label;
        item.range = new vscode.Range(start, position);
        item.sortText = ' ' + String(i).padStart(3, '0');  // before other providers' items
        item.preselect = i === 0;
        item.detail = 'ssl4code';
        return item;
      });
      // incomplete: the answer depends on every character typed, so VS Code asks again
      return new vscode.CompletionList(items, true);
    } finally {
      dispose();
    }
  }
}

/** What `activate` returns (VS Code keeps it as the extension's exports; tests use it). */
export interface Api {
  /** Settles when the start-up check (and the server start, if any) is done. */
  ready: Promise<Outcome | undefined>;
  manager: ServerManager;
  controls: Controls;
  /** The URL requests go to now: the configured one, or the server we started. */
  serverUrl(): string;
}

let current: { manager: ServerManager; stopOnExit: () => void } | undefined;

/** The interpreter the Python extension has selected, if it is installed and says so. */
async function selectedInterpreter(): Promise<string | undefined> {
  try {
    const ext = vscode.extensions.getExtension('ms-python.python');
    if (!ext) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const api: any = ext.isActive ? ext.exports : await ext.activate();
    const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
    const active = api?.environments?.getActiveEnvironmentPath?.(resource);
    if (typeof active?.path === 'string' && active.path) {
      const resolved = await api.environments.resolveEnvironment?.(active).catch(() => undefined);
      return resolved?.executable?.uri?.fsPath ?? active.path;
    }
    const details = await api?.settings?.getExecutionDetails?.(resource);
    const cmd = details?.execCommand?.[0];
    return typeof cmd === 'string' && cmd ? cmd : undefined;
  } catch {
    return undefined;
  }
}

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function activate(context: vscode.ExtensionContext): Api {
  let settings = readConfig();
  const output = vscode.window.createOutputChannel('ssl4code');
  const log = (line: string) => {
    const t = new Date();
    const stamp = `${clock(t.getTime())}:${String(t.getSeconds()).padStart(2, '0')}.${String(t.getMilliseconds()).padStart(3, '0')}`;
    output.appendLine(`[${stamp}] ${line}`);
  };
  const item = vscode.window.createStatusBarItem('ssl4code.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'ssl4code';
  item.command = 'ssl4code.toggle';
  const controls = new Controls();

  const serverActions = async (message?: string) => {
    const start = 'Start server', show = 'Show log', off = 'Disable completions';
    const choice = message
      ? await vscode.window.showWarningMessage(message, start, show)
      : await vscode.window.showQuickPick([start, show, off], { placeHolder: 'ssl4code: no completion server' });
    if (choice === start) await vscode.commands.executeCommand('ssl4code.startServer');
    else if (choice === show) output.show(true);
    else if (choice === off) await vscode.commands.executeCommand('ssl4code.toggle');
  };

  const status = new Status(
    settings.serverUrl,
    settings.enable,
    (view) => {
      item.text = view.text;
      item.tooltip = view.tooltip;
      item.command = clickCommand(view.state);
    },
    (message) => { log(message); void serverActions(message); },
  );
  item.show();

  const manager = new ServerManager({
    log,
    onStarting: (launcher) => status.server('starting', `with ${launcher.label}`),
    onExit: (message) => {
      activeUrl = undefined;
      status.server('failed', message);
      void serverActions(`ssl4code: ${message}`);
    },
  });
  let activeUrl: string | undefined;
  const effective = (): Settings => ({ ...settings, serverUrl: activeUrl ?? settings.serverUrl });
  const events = new EventReporter(() => effective().serverUrl, log);
  const engine = new Engine(effective, status, events.fetch, log);
  let checkpoint = context.workspaceState?.get<string>('ssl4code.checkpoint');  // a model fine-tuned on this workspace
  if (checkpoint && !fs.existsSync(checkpoint)) checkpoint = undefined;

  // One start-up at a time: a later call waits for the earlier one.
  let chain: Promise<Outcome | undefined> = Promise.resolve(undefined);
  const connect = (force: boolean): Promise<Outcome | undefined> => {
    chain = chain.then(async () => {
      if (!settings.enable && !force) return undefined;
      status.server(force ? 'starting' : 'connecting');
      const candidates = launchers({ pythonPath: settings.pythonPath || undefined, selectedInterpreter: settings.pythonPath ? undefined : await selectedInterpreter() })
        .map((l) => withCheckpoint(l, checkpoint));
      const outcome = force ? await manager.start(candidates) : await manager.ensure(settings.serverUrl, candidates, settings.startServer);
      engine.reset();
      events.reset();
      events.enabled = outcome.ok && outcome.health?.events === true;   // the server records events (not with --no-events)
      if (outcome.ok) {
        activeUrl = outcome.url;
        status.server('up', '', outcome.url);
        // the end-to-end test reads this line (it reaches the browser console in code-server)
        console.log(`ssl4code: server ready at ${outcome.url}${outcome.started ? ` (started, pid ${manager.pid})` : ''}`);
      } else if (!force && !settings.startServer) {
        activeUrl = undefined;
        status.server('up', '', settings.serverUrl);  // expected to be run by the user: "unreachable"
        status.failed(new ServerError('unreachable', outcome.message));
      } else {
        activeUrl = undefined;
        log(`could not start the server: ${outcome.message}`);
        console.log(`ssl4code: server failed: ${outcome.reason}`);
        status.server('failed', `${FAILURE_TEXT[outcome.reason]}: ${outcome.message}`);
        void serverActions(`ssl4code: could not start the completion server: ${FAILURE_TEXT[outcome.reason]}. See "Show log".`);
      }
      return outcome;
    }).catch((err) => {
      log(`start-up failed: ${String(err)}`);
      status.server('failed', String(err));
      return undefined;
    });
    return chain;
  };

  const sayUnsupported = () => {
    const others = unsupportedLanguages(settings);
    if (others.length) {
      const message = `ssl4code completes ${SUPPORTED_LANGUAGES.join(', ')} only; ignoring ssl4code.languages for ${others.join(', ')}.`;
      log(message);
      void vscode.window.showInformationMessage(message);
    }
  };

  const toggle = async () => {
    const config = vscode.workspace.getConfiguration('ssl4code');
    const inWorkspace = config.inspect('enable')?.workspaceValue !== undefined;
    const target = inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update('enable', !settings.enable, target);
  };

  let snoozeTimer: ReturnType<typeof setTimeout> | undefined;
  const resume = () => {
    if (snoozeTimer) clearTimeout(snoozeTimer);
    snoozeTimer = undefined;
    controls.snoozedUntil = 0;
    status.snooze('');
  };
  const snooze = async (minutes?: unknown) => {
    let n = typeof minutes === 'number' ? minutes : Number.NaN;
    if (!Number.isFinite(n)) {
      const answer = await vscode.window.showInputBox({
        prompt: 'Snooze ssl4code\'s automatic completions for how many minutes?',
        value: '15',
        validateInput: (v: string) => (Number(v) > 0 ? undefined : 'a number of minutes, more than 0'),
      });
      if (answer === undefined) return;
      n = Number(answer);
    }
    if (!(n > 0)) return;
    resume();
    controls.snoozedUntil = Date.now() + n * 60000;
    snoozeTimer = setTimeout(resume, n * 60000);
    status.snooze(`until ${clock(controls.snoozedUntil)}`);
    log(`snoozed for ${n} min`);
  };

  const toggleLanguage = async () => {
    const language = vscode.window.activeTextEditor?.document.languageId;
    if (!language) return;
    if (!SUPPORTED_LANGUAGES.includes(language)) {
      void vscode.window.showInformationMessage(`ssl4code completes ${SUPPORTED_LANGUAGES.join(', ')} only: ${language} is not supported.`);
      return;
    }
    const config = vscode.workspace.getConfiguration('ssl4code');
    await config.update('languages', { ...settings.languages, [language]: !languageEnabled(settings, language) }, vscode.ConfigurationTarget.Global);
  };

  // "ssl4code: Fine-tune on this workspace": train on its files, then serve the result
  const finetune = async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!folder) { void vscode.window.showInformationMessage('ssl4code: open a folder to fine-tune on its Python files.'); return; }
    const base = context.globalStorageUri?.fsPath ?? path.join(os.tmpdir(), 'ssl4code');
    const out = path.join(base, 'finetune', new Date().toISOString().replace(/[:.]/g, '-'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const candidates = launchers({ pythonPath: settings.pythonPath || undefined, selectedInterpreter: settings.pythonPath ? undefined : await selectedInterpreter() });
    output.show(true);
    log(`fine-tuning on ${folder} into ${out}`);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'ssl4code: fine-tuning on this workspace', cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return runFinetune(candidates, folder, out, 5, { onOutput: (l) => log(`[finetune] ${l}`), onProgress: (l) => progress.report({ message: l.slice(0, 120) }), signal: controller.signal });
      });
    log(`fine-tuning: ${result.message}`);
    if (!result.ok || !result.model) { void vscode.window.showWarningMessage(`ssl4code: ${result.message}`); return; }
    checkpoint = result.model;
    await context.workspaceState?.update('ssl4code.checkpoint', checkpoint);
    const outcome = await connect(true);   // restart the server we manage with the new model
    const note = outcome?.ok ? `now serving ${checkpoint}` : `the server did not restart with ${checkpoint}: see "Show log"`;
    void (result.kept === 'finetuned' ? vscode.window.showInformationMessage(`ssl4code: ${result.message}; ${note}`)
      : vscode.window.showWarningMessage(`ssl4code: ${result.message}; ${note}`));
  };

  const stopOnExit = () => manager.killNow();
  if (current) process.removeListener('exit', current.stopOnExit);
  process.once('exit', stopOnExit);
  current = { manager, stopOnExit };

  const selector: vscode.DocumentSelector = SUPPORTED_LANGUAGES.map((language) => ({ language }));
  context.subscriptions.push(
    item,
    output,
    { dispose: () => { resume(); } },
    vscode.commands.registerCommand('ssl4code.toggle', toggle),
    vscode.commands.registerCommand('ssl4code.trigger', () => vscode.commands.executeCommand('editor.action.inlineSuggest.trigger')),
    vscode.commands.registerCommand('ssl4code.snooze', snooze),
    vscode.commands.registerCommand('ssl4code.resume', resume),
    vscode.commands.registerCommand('ssl4code.toggleLanguage', toggleLanguage),
    vscode.commands.registerCommand('ssl4code.startServer', () => connect(true)),
    vscode.commands.registerCommand('ssl4code.stopServer', async () => {
      await manager.stop();
      activeUrl = undefined;
      status.server('failed', 'stopped by the user');
    }),
    vscode.commands.registerCommand('ssl4code.showLog', () => output.show(true)),
    vscode.commands.registerCommand('ssl4code.serverActions', () => serverActions()),
    vscode.commands.registerCommand('ssl4code.accepted', (id: string, index: number, viewId: string) => events.accepted(id, index, viewId)),
    vscode.commands.registerCommand('ssl4code.finetune', finetune),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('ssl4code')) return;
      const before = settings;
      settings = readConfig();
      if (before.serverUrl !== settings.serverUrl || !settings.enable) engine.reset();
      status.configure(activeUrl ?? settings.serverUrl, settings.enable);
      console.log(`ssl4code: settings: enable=${settings.enable} mode=${settings.mode} serverUrl=${settings.serverUrl}`);
      if (JSON.stringify(before.languages) !== JSON.stringify(settings.languages)) sayUnsupported();
      const serverChanged = before.serverUrl !== settings.serverUrl || before.pythonPath !== settings.pythonPath || before.startServer !== settings.startServer;
      if (settings.enable && (serverChanged || (!before.enable && !activeUrl))) void connect(false);
    }),
    vscode.languages.registerInlineCompletionItemProvider(selector, new InlineProvider(engine, effective, controls, events)),
    vscode.languages.registerCompletionItemProvider(selector, new DropdownProvider(engine, effective, controls), '.'),
  );
  log(`activated; serverUrl ${settings.serverUrl}, startServer ${settings.startServer}`);
  sayUnsupported();
  const ready = settings.enable ? connect(false) : Promise.resolve(undefined);
  // the end-to-end test waits for this line (it reaches the browser console in code-server)
  console.log('ssl4code: activated');
  return { ready, manager, controls, serverUrl: () => activeUrl ?? settings.serverUrl };
}

/** Stops the server the extension started (VS Code waits for the promise, briefly). */
export async function deactivate(): Promise<void> {
  const c = current;
  current = undefined;
  if (!c) return;
  process.removeListener('exit', c.stopOnExit);
  await c.manager.stop();
}
