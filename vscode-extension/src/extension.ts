// VS Code glue: settings, status bar item, toggle command, and the two providers. The logic
// lives in the other modules, which tests run without VS Code.

import * as vscode from 'vscode';
import { Settings, readSettings, wantsDropdown, wantsInline } from './config';
import { Context, Engine, contextWindow } from './engine';
import { Status } from './status';
import { firstLine, worthAsking } from './trim';

const PYTHON: vscode.DocumentSelector = [{ language: 'python' }];
const WORD = /[A-Za-z_][A-Za-z0-9_]*/;

function readConfig(): Settings {
  const config = vscode.workspace.getConfiguration('ssl4code');
  return readSettings((key) => config.get(key));
}

/** The context window around the cursor, read from the document without copying all of it. */
export function contextAt(document: vscode.TextDocument, position: vscode.Position, contextChars: number): Context {
  const { start, end } = contextWindow(document.offsetAt(position), contextChars);
  return {
    prefix: document.getText(new vscode.Range(document.positionAt(start), position)),
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

export class InlineProvider implements vscode.InlineCompletionItemProvider {
  constructor(private readonly engine: Engine, private readonly settings: () => Settings) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const s = this.settings();
    if (!wantsInline(s)) return undefined;
    if (context.selectedCompletionInfo) return undefined;  // the suggestion list is open: leave it alone
    const automatic = context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic;
    const ctx = contextAt(document, position, s.contextChars);
    if (automatic && !worthAsking(ctx.suffix)) return undefined;
    const { signal, dispose } = signalOf(token);
    try {
      const texts = await this.engine.complete(ctx, { signal, debounce: automatic, lane: 'inline' });
      if (token.isCancellationRequested) return undefined;
      return texts.map((text) => new vscode.InlineCompletionItem(text, new vscode.Range(position, position)));
    } finally {
      dispose();
    }
  }
}

export class DropdownProvider implements vscode.CompletionItemProvider {
  constructor(private readonly engine: Engine, private readonly settings: () => Settings) {}

  async provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.CompletionList | undefined> {
    const s = this.settings();
    if (!wantsDropdown(s)) return undefined;
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

export function activate(context: vscode.ExtensionContext): void {
  let settings = readConfig();
  const item = vscode.window.createStatusBarItem('ssl4code.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'ssl4code';
  item.command = 'ssl4code.toggle';
  const status = new Status(
    settings.serverUrl,
    settings.enable,
    (view) => {
      item.text = view.text;
      item.tooltip = view.tooltip;
    },
    (message) => void vscode.window.showWarningMessage(message),
  );
  item.show();
  const engine = new Engine(() => settings, status);

  const toggle = async () => {
    const config = vscode.workspace.getConfiguration('ssl4code');
    const inWorkspace = config.inspect('enable')?.workspaceValue !== undefined;
    const target = inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update('enable', !settings.enable, target);
  };

  context.subscriptions.push(
    item,
    vscode.commands.registerCommand('ssl4code.toggle', toggle),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('ssl4code')) return;
      const before = settings;
      settings = readConfig();
      if (before.serverUrl !== settings.serverUrl || !settings.enable) engine.reset();
      status.configure(settings.serverUrl, settings.enable);
      console.log(`ssl4code: settings: enable=${settings.enable} mode=${settings.mode} serverUrl=${settings.serverUrl}`);
    }),
    vscode.languages.registerInlineCompletionItemProvider(PYTHON, new InlineProvider(engine, () => settings)),
    vscode.languages.registerCompletionItemProvider(PYTHON, new DropdownProvider(engine, () => settings), '.'),
  );
  // the end-to-end test waits for this line (it reaches the browser console in code-server)
  console.log('ssl4code: activated');
}

export function deactivate(): void {}
