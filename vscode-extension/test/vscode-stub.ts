// A small stand-in for the `vscode` module: just what src/extension.ts uses, with state the
// tests can inspect. `install()` makes `require('vscode')` return this module.

import Module = require('module');

export class Position {
  constructor(readonly line: number, readonly character: number) {}
  isBefore(other: Position): boolean {
    return this.line < other.line || (this.line === other.line && this.character < other.character);
  }
}

export class Range {
  constructor(readonly start: Position, readonly end: Position) {}
}

export class InlineCompletionItem {
  constructor(readonly insertText: string, readonly range?: Range) {}
}

export enum CompletionItemKind { Text = 0 }
export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum InlineCompletionTriggerKind { Invoke = 0, Automatic = 1 }
export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }
export enum NotebookCellKind { Markup = 1, Code = 2 }

export class Uri {
  constructor(readonly scheme: string, readonly path: string, readonly fragment = '') {}
  toString(): string { return `${this.scheme}:${this.path}${this.fragment ? '#' + this.fragment : ''}`; }
}

export class CompletionItem {
  insertText?: string;
  filterText?: string;
  range?: Range;
  sortText?: string;
  preselect?: boolean;
  detail?: string;
  constructor(readonly label: string, readonly kind?: CompletionItemKind) {}
}

export class CompletionList {
  constructor(readonly items: CompletionItem[], readonly isIncomplete: boolean) {}
}

type Listener<T> = (e: T) => void;

export class CancellationTokenSource {
  private listeners: Listener<void>[] = [];
  token = {
    isCancellationRequested: false,
    onCancellationRequested: (fn: Listener<void>) => {
      this.listeners.push(fn);
      return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== fn); } };
    },
  };
  cancel(): void {
    this.token.isCancellationRequested = true;
    for (const l of this.listeners) l();
  }
}

/** A text document over a string, with VS Code's offset/position arithmetic. */
export class TextDocument {
  constructor(readonly text: string, readonly languageId = 'python', readonly uri = new Uri('file', '/tmp/demo.py')) {}
  offsetAt(p: Position): number {
    const lines = this.text.split('\n');
    let offset = 0;
    for (let i = 0; i < p.line; i++) offset += lines[i].length + 1;
    return Math.min(this.text.length, offset + p.character);
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, Math.max(0, Math.min(offset, this.text.length))).split('\n');
    return new Position(before.length - 1, before[before.length - 1].length);
  }
  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  getWordRangeAtPosition(p: Position, regex: RegExp): Range | undefined {
    const line = this.text.split('\n')[p.line];
    const re = new RegExp(regex.source, 'g');
    for (let m = re.exec(line); m; m = re.exec(line)) {
      if (m.index <= p.character && p.character <= m.index + m[0].length) {
        return new Range(new Position(p.line, m.index), new Position(p.line, m.index + m[0].length));
      }
    }
    return undefined;
  }
}

/** A notebook: its cells' documents have the `vscode-notebook-cell` scheme. */
export class NotebookDocument {
  readonly cells: { kind: NotebookCellKind; document: TextDocument }[];
  constructor(cells: { kind?: NotebookCellKind; text: string; language?: string }[], path = '/tmp/demo.ipynb') {
    this.cells = cells.map((c, i) => ({
      kind: c.kind ?? NotebookCellKind.Code,
      document: new TextDocument(c.text, c.language ?? (c.kind === NotebookCellKind.Markup ? 'markdown' : 'python'), new Uri('vscode-notebook-cell', path, `cell${i}`)),
    }));
  }
  getCells() { return this.cells; }
}

// ---- state the tests look at
export const state = {
  settings: new Map<string, unknown>(),
  statusItems: [] as StatusBarItem[],
  warnings: [] as string[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  inlineProviders: [] as unknown[],
  completionProviders: [] as { provider: unknown; triggers: string[] }[],
  configListeners: [] as Listener<{ affectsConfiguration(s: string): boolean }>[],
  infos: [] as string[],
  output: [] as string[],
  outputShown: 0,
  notebooks: [] as NotebookDocument[],
  extensions: new Map<string, unknown>(),
  warningAnswer: undefined as string | undefined,  // the button a warning's buttons "click"
  inputAnswer: undefined as string | undefined,
  quickPickAnswer: undefined as string | undefined,
  executed: [] as string[],
  activeLanguage: undefined as string | undefined,
};

export function reset(): void {
  state.settings.clear();
  state.statusItems.length = 0;
  state.warnings.length = 0;
  state.commands.clear();
  state.inlineProviders.length = 0;
  state.completionProviders.length = 0;
  state.configListeners.length = 0;
  state.infos.length = 0;
  state.output.length = 0;
  state.outputShown = 0;
  state.notebooks.length = 0;
  state.extensions.clear();
  state.warningAnswer = undefined;
  state.inputAnswer = undefined;
  state.quickPickAnswer = undefined;
  state.executed.length = 0;
  state.activeLanguage = undefined;
}

export class StatusBarItem {
  text = '';
  tooltip = '';
  name = '';
  command = '';
  visible = false;
  constructor(readonly id: string) {}
  show(): void { this.visible = true; }
  hide(): void { this.visible = false; }
  dispose(): void { this.visible = false; }
}

const disposable = { dispose: () => undefined };

function setSetting(key: string, value: unknown): void {
  state.settings.set(key, value);
  for (const l of state.configListeners) l({ affectsConfiguration: (s: string) => `ssl4code.${key}`.startsWith(s) });
}

export const workspace = {
  getConfiguration(section: string) {
    return {
      get: (key: string) => state.settings.get(key),
      inspect: (key: string) => ({ key: `${section}.${key}`, workspaceValue: undefined }),
      update: async (key: string, value: unknown) => setSetting(key, value),
    };
  },
  get notebookDocuments() { return state.notebooks; },
  workspaceFolders: undefined,
  onDidChangeConfiguration(fn: Listener<{ affectsConfiguration(s: string): boolean }>) {
    state.configListeners.push(fn);
    return disposable;
  },
};

export const window = {
  createStatusBarItem(id: string) {
    const item = new StatusBarItem(id);
    state.statusItems.push(item);
    return item;
  },
  async showWarningMessage(message: string, ..._items: string[]) {
    state.warnings.push(message);
    return state.warningAnswer;
  },
  async showInformationMessage(message: string) {
    state.infos.push(message);
    return undefined;
  },
  async showInputBox() { return state.inputAnswer; },
  async showQuickPick() { return state.quickPickAnswer; },
  createOutputChannel(_name: string) {
    return { appendLine: (line: string) => { state.output.push(line); }, show: () => { state.outputShown++; }, dispose: () => undefined };
  },
  get activeTextEditor() {
    return state.activeLanguage ? { document: new TextDocument('', state.activeLanguage) } : undefined;
  },
};

export const commands = {
  registerCommand(id: string, fn: (...args: unknown[]) => unknown) {
    state.commands.set(id, fn);
    return disposable;
  },
  async executeCommand(id: string, ...args: unknown[]) {
    state.executed.push(id);
    return state.commands.get(id)?.(...args);
  },
};

export const extensions = {
  getExtension(id: string) { return state.extensions.get(id); },
};

export const languages = {
  registerInlineCompletionItemProvider(_selector: unknown, provider: unknown) {
    state.inlineProviders.push(provider);
    return disposable;
  },
  registerCompletionItemProvider(_selector: unknown, provider: unknown, ...triggers: string[]) {
    state.completionProviders.push({ provider, triggers });
    return disposable;
  },
};

/** Makes `require('vscode')` load this module. */
export function install(): void {
  const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = M._resolveFilename;
  M._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return __filename;
    return original.call(this, request, ...rest);
  };
}
