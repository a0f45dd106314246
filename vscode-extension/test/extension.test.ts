// The VS Code glue, run against the stub in vscode-stub.ts and a real local HTTP server.
import * as stub from './vscode-stub';
stub.install();

import { after, before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TestServer, deadUrl, json, startServer } from './http-helper';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const ext = require('../src/extension') as typeof import('../src/extension');

let server: TestServer;
let answer: string[] = ['a + b'];

before(async () => {
  server = await startServer((_body, res) => json(res, 200, { id: 'cmpl-1', choices: answer.map((text, index) => ({ index, text })) }));
});
after(async () => server.close());

const subscriptions: { dispose(): unknown }[] = [];
function activate(settings: Record<string, unknown> = {}) {
  stub.reset();
  for (const [k, v] of Object.entries({ serverUrl: server.url, debounceMs: 0, ...settings })) stub.state.settings.set(k, v);
  ext.activate({ subscriptions } as never);
  return {
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
  const { item } = activate();
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
  const { inline } = activate();
  const { doc, pos } = cursorAtEnd(new stub.TextDocument('def add(a, b):\n    return |\n'));
  const items = await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, token() as never);
  assert.equal(items?.length, 1);
  assert.equal(items![0].insertText, 'a + b');
  assert.deepEqual(items![0].range, new stub.Range(pos, pos));
  assert.deepEqual(server.received[0].body, { language: 'python', segments: { prefix: 'def add(a, b):\n    return ', suffix: '\n' } });
});

test('the prefix sent is cut to contextChars', async () => {
  const { inline } = activate({ contextChars: 20 });
  const { doc, pos } = cursorAtEnd(new stub.TextDocument('# ' + 'x'.repeat(100) + '\nimport |'));
  await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, token() as never);
  const body = server.received[0].body as { segments: { prefix: string } };
  assert.equal(body.segments.prefix, 'x'.repeat(12) + '\nimport ');
});

test('no automatic ghost text in the middle of code, nor in dropdown mode, nor while the list is open', async () => {
  let { inline } = activate();
  let { doc, pos } = cursorAtEnd(new stub.TextDocument('x = |foo(1)\n'));
  assert.equal(await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, token() as never), undefined);
  ({ doc, pos } = cursorAtEnd(new stub.TextDocument('x = |\n')));
  const listOpen = { ...auto, selectedCompletionInfo: { text: 'foo' } };
  assert.equal(await inline.provideInlineCompletionItems(doc as never, pos as never, listOpen as never, token() as never), undefined);
  ({ inline } = activate({ mode: 'dropdown' }));
  assert.equal(await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, token() as never), undefined);
  assert.equal(server.received.length, 0);
});

test('dropdown: items start with the word being typed and replace it', async () => {
  answer = ['th.join(a, b)\n', 'th'];
  const { dropdown } = activate({ mode: 'dropdown' });
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
  const { dropdown } = activate();
  const { doc, pos } = cursorAtEnd(new stub.TextDocument('os.pa|'));
  assert.equal(await dropdown.provideCompletionItems(doc as never, pos as never, token() as never), undefined);
});

test('a down server: no items, status "unreachable", one warning', async () => {
  const { inline, item } = activate({ serverUrl: await deadUrl() });
  for (const text of ['x = |', 'x = 1|', 'x = 12|']) {
    const { doc, pos } = cursorAtEnd(new stub.TextDocument(text));
    assert.deepEqual(await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, token() as never), []);
  }
  assert.match(item.text, /unreachable/);
  assert.equal(stub.state.warnings.length, 1);
});

test('a cancelled token gives nothing', async () => {
  const { inline } = activate();
  const source = new stub.CancellationTokenSource();
  source.cancel();
  const { doc, pos } = cursorAtEnd(new stub.TextDocument('y = |'));
  const items = await inline.provideInlineCompletionItems(doc as never, pos as never, auto as never, source.token as never);
  assert.ok(!items || items.length === 0);
});
