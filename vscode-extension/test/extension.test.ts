// The VS Code glue, run against the stub in vscode-stub.ts and a real local HTTP server.
import * as stub from './vscode-stub';
stub.install();

import { after, before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TestServer, deadUrl, json, startServer } from './http-helper';
import { EDITOR_ID } from '../src/engine';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const ext = require('../src/extension') as typeof import('../src/extension');

let server: TestServer;
let answer: string[] = ['a + b'];

before(async () => {
  server = await startServer((_body, res) => json(res, 200, { id: 'cmpl-1', choices: answer.map((text, index) => ({ index, text })) }));
});
after(async () => server.close());

const subscriptions: { dispose(): unknown }[] = [];
async function activate(settings: Record<string, unknown> = {}) {
  stub.reset();
  for (const [k, v] of Object.entries({ serverUrl: server.url, debounceMs: 0, ...settings })) stub.state.settings.set(k, v);
  const api = ext.activate({ subscriptions } as never);
  await api.ready;            // the start-up health check
  server.received.length = 0;
  return {
    api,
    inline: stub.state.inlineProviders[0] as InstanceType<typeof ext.InlineProvider>,
    dropdown: stub.state.completionProviders[0].provider as InstanceType<typeof ext.DropdownProvider>,
    item: stub.state.statusItems[0],
  };
}

function cursorAtEnd(doc: stub.TextDocument, marker = '|'): { doc: stub.TextDocument; pos: stub.Position } {
  const offset = doc.text.indexOf(marker);
  const clean = new stub.TextDocument(doc.text.replace(marker, ''));
  return { doc: clean, pos: clean.positionAt(offset) };
}

const auto = { triggerKind: stub.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined };
const token = () => new stub.CancellationTokenSource().token;

beforeEach(() => { answer = ['a + b']; server.received.length = 0; });

test('activation shows a ready status bar item that toggles completions', async () => {
  const { item } = await activate();
  assert.equal(item.visible, true);
  assert.equal(item.command, 'ssl4code.toggle');
  assert.match(item.text, /ssl4code/);
  assert.doesNotMatch(item.text, /off|unreachable/);
  await stub.commands.executeCommand('ssl4code.toggle');
  assert.equal(stub.state.settings.get('enable'), false);
  assert.match(item.text, /ssl4code: off/);
  await stub.commands.executeCommand('ssl4code.toggle');
  assert.doesNotMatch(item.text, /off/);
});

test('ghost text: an inline item at the cursor with the server\'s text', async () => {
  const { inline } = await activate();
  const { doc, pos } = cursorAtEnd(new stub.TextDocument('def add(a, b):\n    return |\n'));
  const items = await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, token() as never);
  assert.equal(items?.length, 1);
  assert.equal(items![0].insertText, 'a + b');
  assert.deepEqual(items![0].range, new stub.Range(pos, pos));
  assert.deepEqual(server.received[0].body, { language: 'python', segments: { prefix: 'def add(a, b):\n    return ', suffix: '\n' }, user: EDITOR_ID });
});

test('the prefix sent is cut to contextChars, from a line start', async () => {
  const { inline } = await activate({ contextChars: 20 });
  const { doc, pos } = cursorAtEnd(new stub.TextDocument('# ' + 'x'.repeat(100) + '\nimport |'));
  await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, token() as never);
  const body = server.received[0].body as { segments: { prefix: string } };
  assert.equal(body.segments.prefix, 'import ');  // the last 20 characters, from their first line start
});

test('no automatic ghost text in the middle of code, nor in dropdown mode, nor while the list is open', async () => {
  let { inline } = await activate();
  let { doc, pos } = cursorAtEnd(new stub.TextDocument('x = |foo(1)\n'));
  assert.equal(await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, token() as never), undefined);
  ({ doc, pos } = cursorAtEnd(new stub.TextDocument('x = |\n')));
  const listOpen = { ...auto, selectedCompletionInfo: { text: 'foo' } };
  assert.equal(await inline.provideInlineCompletionItems(doc as never, pos as never, listOpen as never, token() as never), undefined);
  ({ inline } = await activate({ mode: 'dropdown' }));
  assert.equal(await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, token() as never), undefined);
  assert.equal(server.received.length, 0);
});

test('dropdown: items start with the word being typed and replace it', async () => {
  answer = ['th.join(a, b)\n', 'th'];
  const { dropdown } = await activate({ mode: 'dropdown' });
  const { doc, pos } = cursorAtEnd(new stub.TextDocument('import os\nos.pa|\n'));
  const list = await dropdown.provideCompletionItems(doc as never, pos as never, token() as never);
  assert.ok(list);
  assert.equal(list.isIncomplete, true);
  assert.deepEqual(list.items.map((i) => i.label), ['path.join(a, b)', 'path']);
  const first = list.items[0];
  assert.equal(first.insertText, 'path.join(a, b)');
  assert.deepEqual(first.range, new stub.Range(new stub.Position(1, 3), pos));
  assert.equal(first.detail, 'ssl4code');
  assert.equal(first.preselect, true);
});

test('dropdown is off in inline mode', async () => {
  const { dropdown } = await activate();
  const { doc, pos } = cursorAtEnd(new stub.TextDocument('os.pa|'));
  assert.equal(await dropdown.provideCompletionItems(doc as never, pos as never, token() as never), undefined);
});

test('a down server (not started by us): no items, status "unreachable", one warning', async () => {
  const { inline, item } = await activate({ serverUrl: await deadUrl(), startServer: false });
  for (const text of ['x = |', 'x = 1|', 'x = 12|']) {
    const { doc, pos } = cursorAtEnd(new stub.TextDocument(text));
    assert.deepEqual(await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, token() as never), []);
  }
  assert.match(item.text, /unreachable/);
  assert.equal(stub.state.warnings.length, 1);
});

test('a cancelled token gives nothing', async () => {
  const { inline } = await activate();
  const source = new stub.CancellationTokenSource();
  source.cancel();
  const { doc, pos } = cursorAtEnd(new stub.TextDocument('y = |'));
  const items = await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, source.token as never);
  assert.ok(!items || items.length === 0);
});

// ---- start-up, notebooks, controls

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A `python` that runs test/fake-serve.js with the arguments the extension gives it. */
function fakePython(mode: string): { python: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssl4code-ext-'));
  const python = path.join(dir, 'python');
  fs.writeFileSync(python, `#!/bin/sh\nFAKE_SERVE=${mode} exec "${process.execPath}" "${path.join(__dirname, 'fake-serve.js')}" "$@"\n`, { mode: 0o755 });
  return { python, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

test('no server at serverUrl: the extension starts one, shows "ready" only then, uses it, stops it on deactivate', async () => {
  const { python, cleanup } = fakePython('ok');
  try {
    stub.reset();
    for (const [k, v] of Object.entries({ serverUrl: await deadUrl(), pythonPath: python, debounceMs: 0 })) stub.state.settings.set(k, v);
    const api = ext.activate({ subscriptions } as never);
    const item = stub.state.statusItems[0];
    assert.doesNotMatch(item.text, /check/);  // not "ready" before the health check
    const outcome = await api.ready;
    assert.ok(outcome?.ok && outcome.started, JSON.stringify(outcome));
    assert.match(item.text, /\$\(check\) ssl4code/);
    assert.equal(api.serverUrl(), outcome.url);
    const pid = api.manager.pid!;
    const inline = stub.state.inlineProviders[0] as InstanceType<typeof ext.InlineProvider>;
    const { doc, pos } = cursorAtEnd(new stub.TextDocument('x = |'));
    const items = await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, token() as never);
    assert.equal(items?.[0].insertText, 'from the started server');
    assert.ok(stub.state.output.some((l) => /server started on http:\/\/127\.0\.0\.1:\d+ \(pid \d+\)/.test(l)), stub.state.output.join('\n'));
    assert.ok(stub.state.output.some((l) => /\[server out\] listening on/.test(l)));
    assert.ok(stub.state.output.some((l) => /POST .*\/v1\/completions \(4\+0 chars\): 1 choice in \d+ ms/.test(l)), stub.state.output.join('\n'));
    await ext.deactivate();
    let alive = true;
    for (let i = 0; i < 100 && alive; i++) {
      try { process.kill(pid, 0); await new Promise((r) => setTimeout(r, 50)); } catch { alive = false; }
    }
    assert.equal(alive, false, 'the started server outlived deactivate()');
  } finally {
    cleanup();
  }
});

test('a server that cannot start: "no server" with the reason, a warning offering "Start server" / "Show log"', async () => {
  const { python, cleanup } = fakePython('model');
  try {
    stub.reset();
    for (const [k, v] of Object.entries({ serverUrl: await deadUrl(), pythonPath: python })) stub.state.settings.set(k, v);
    stub.state.warningAnswer = 'Show log';
    const api = ext.activate({ subscriptions } as never);
    const outcome = await api.ready;
    assert.equal(outcome?.ok, false);
    const item = stub.state.statusItems[0];
    assert.match(item.text, /no server/);
    assert.match(item.tooltip, /the model failed to load/);
    assert.match(item.tooltip, /cannot load checkpoint broken\.pt/);
    assert.equal(item.command, 'ssl4code.serverActions');
    assert.equal(stub.state.warnings.length, 1);
    assert.match(stub.state.warnings[0], /could not start the completion server: the model failed to load/);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(stub.state.outputShown, 1);  // "Show log" was clicked
    // the status bar item's menu: "Start server" tries again
    stub.state.quickPickAnswer = 'Start server';
    stub.state.warningAnswer = undefined;
    await stub.commands.executeCommand('ssl4code.serverActions');
    assert.ok(stub.state.executed.includes('ssl4code.startServer'));
    assert.equal(stub.state.output.filter((l) => l.includes('] starting: ')).length, 2);
    await ext.deactivate();
  } finally {
    cleanup();
  }
});

test('not installed: the message says so', async () => {
  stub.reset();
  for (const [k, v] of Object.entries({ serverUrl: await deadUrl(), pythonPath: path.join(os.tmpdir(), 'no-python-here') })) stub.state.settings.set(k, v);
  const api = ext.activate({ subscriptions } as never);
  await api.ready;
  assert.match(stub.state.statusItems[0].tooltip, /ssl4code is not installed/);
  assert.match(stub.state.warnings[0], /not installed/);
  await ext.deactivate();
});

test('notebook cell: earlier cells are the prefix, later cells the suffix', async () => {
  const { inline } = await activate();
  const nb = new stub.NotebookDocument([
    { text: 'import math\n' },
    { kind: stub.NotebookCellKind.Markup, text: '## Circles' },
    { text: 'def area(r):\n    return math.pi * r ** 2' },
    { text: 'total = ar' },
    { text: 'print(total)' },
  ]);
  stub.state.notebooks.push(nb);
  const cell = nb.cells[3].document;
  const items = await inline.provideInlineCompletionItems(cell as never, cell.positionAt(10) as never, auto as never, token() as never);
  assert.equal(items?.length, 1);
  assert.deepEqual(server.received[0].body, {
    language: 'python',
    segments: { prefix: 'import math\n\ndef area(r):\n    return math.pi * r ** 2\n\ntotal = ar', suffix: '\n\nprint(total)' },
    user: EDITOR_ID,
  });
});

test('snooze: no automatic requests until it ends; the manual trigger still asks', async () => {
  const { inline, item, api } = await activate();
  await stub.commands.executeCommand('ssl4code.snooze', 10);
  assert.match(item.text, /snoozed/);
  assert.ok(api.controls.snoozed());
  const { doc, pos } = cursorAtEnd(new stub.TextDocument('y = |'));
  assert.equal(await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, token() as never), undefined);
  assert.equal(server.received.length, 0);
  const invoke = { triggerKind: stub.InlineCompletionTriggerKind.Invoke, selectedCompletionInfo: undefined };
  const items = await inline.provideInlineCompletionItems(doc as never, pos as never, invoke as never, token() as never);
  assert.equal(items?.[0].insertText, 'a + b');
  await stub.commands.executeCommand('ssl4code.trigger');
  assert.ok(stub.state.executed.includes('editor.action.inlineSuggest.trigger'));
  // snooze asks for minutes when none are given; resume ends it
  stub.state.inputAnswer = '5';
  await stub.commands.executeCommand('ssl4code.snooze');
  assert.ok(api.controls.snoozedUntil > Date.now() + 4 * 60000 && api.controls.snoozedUntil <= Date.now() + 5 * 60000);
  await stub.commands.executeCommand('ssl4code.resume');
  assert.doesNotMatch(item.text, /snoozed/);
  const other = new stub.TextDocument('z = ');  // (not 'y = ', whose answer is cached)
  await inline.provideInlineCompletionItems(other as never, other.positionAt(4) as never, auto as never, token() as never);
  assert.equal(server.received.length, 2);
});

test('languages: Python only; other languages are never sent, and saying so', async () => {
  const { inline, dropdown } = await activate({ mode: 'both', languages: { javascript: true } });
  assert.equal(stub.state.infos.length, 1);
  assert.match(stub.state.infos[0], /completes python only; ignoring ssl4code.languages for javascript/);
  const js = new stub.TextDocument('const x = ', 'javascript');
  assert.equal(await inline.provideInlineCompletionItems(js as never, js.positionAt(10) as never, auto as never, token() as never), undefined);
  assert.equal(await dropdown.provideCompletionItems(js as never, js.positionAt(10) as never, token() as never), undefined);
  assert.equal(server.received.length, 0);
  stub.state.activeLanguage = 'javascript';
  await stub.commands.executeCommand('ssl4code.toggleLanguage');
  assert.match(stub.state.infos[1], /javascript is not supported/);
  // Python switched off and on again
  stub.state.activeLanguage = 'python';
  await stub.commands.executeCommand('ssl4code.toggleLanguage');
  assert.deepEqual(stub.state.settings.get('languages'), { python: false, javascript: true });
  const py = new stub.TextDocument('x = ');
  assert.equal(await inline.provideInlineCompletionItems(py as never, py.positionAt(4) as never, auto as never, token() as never), undefined);
  assert.equal(server.received.length, 0);
  await stub.commands.executeCommand('ssl4code.toggleLanguage');
  await inline.provideInlineCompletionItems(py as never, py.positionAt(4) as never, auto as never, token() as never);
  assert.equal(server.received.length, 1);
});

test('no pythonPath: the Python extension\'s selected interpreter runs the server', async () => {
  const { python, cleanup } = fakePython('ok');
  try {
    stub.reset();
    for (const [k, v] of Object.entries({ serverUrl: await deadUrl() })) stub.state.settings.set(k, v);
    stub.state.extensions.set('ms-python.python', {
      isActive: true,
      exports: { environments: { getActiveEnvironmentPath: () => ({ path: python }), resolveEnvironment: async () => undefined } },
    });
    const api = ext.activate({ subscriptions } as never);
    const outcome = await api.ready;
    assert.ok(outcome?.ok && outcome.started, JSON.stringify(outcome));
    assert.ok(stub.state.output.some((l) => l.includes(`starting: ${python} -c`) && l.includes("the Python extension's interpreter")), stub.state.output.join('\n'));
    await ext.deactivate();
  } finally {
    cleanup();
  }
});
