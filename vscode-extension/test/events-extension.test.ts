// The extension's event hooks, against the VS Code stub and a server whose health says it records events.
import * as stub from './vscode-stub';
stub.install();

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { json, startServer } from './http-helper';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const ext = require('../src/extension') as typeof import('../src/extension');

const auto = { triggerKind: stub.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined };

async function run(records: boolean) {
  let n = 0;
  const server = await startServer((body, res) => {
    if (body?.segments) json(res, 200, { id: `cmpl-${++n}`, choices: [{ index: 0, text: 'a + b' }] });
    else if (typeof body === 'object' && body?.type) json(res, 200, { success: true });
    else json(res, 200, { success: true, model: 'transformer', events: records });   // GET /v1/health
  });
  try {
    stub.reset();
    stub.state.settings.set('serverUrl', server.url);
    stub.state.settings.set('debounceMs', 0);
    const api = ext.activate({ subscriptions: [] } as never);
    await api.ready;
    const inline = stub.state.inlineProviders[0] as InstanceType<typeof ext.InlineProvider>;
    const ask = async (text: string) => {
      const doc = new stub.TextDocument(text);
      return inline.provideInlineCompletionItems(doc as never, doc.positionAt(text.length) as never, auto as never, new stub.CancellationTokenSource().token as never);
    };
    const first = await ask('def add(a, b):\n    return ');
    const second = await ask('def sub(a, b):\n    return ');      // the first was typed over
    const command = second![0].command as unknown as { command: string; arguments: unknown[] };
    await stub.commands.executeCommand(command.command, ...command.arguments);   // what VS Code runs on Tab
    await new Promise((r) => setTimeout(r, 300));
    await ext.deactivate();
    return { first, events: server.received.filter((r) => r.url === '/v1/events').map((r) => r.body as Record<string, unknown>) };
  } finally {
    await server.close();
  }
}

test('ghost text shown, typed over, then the next one accepted: view, dismiss, view, select', async () => {
  const { first, events } = await run(true);
  assert.equal((first![0].command as unknown as { command: string }).command, 'ssl4code.accepted');
  assert.deepEqual(events.map((e) => [e.type, e.completion_id, e.choice_index]),
    [['view', 'cmpl-1', 0], ['dismiss', 'cmpl-1', 0], ['view', 'cmpl-2', 0], ['select', 'cmpl-2', 0]]);
  assert.equal(events[0].view_id, events[1].view_id);
  assert.notEqual(events[0].view_id, events[2].view_id);
  assert.ok(!JSON.stringify(events).includes('return'));   // ids and times only, never code
});

test('a server that records no events (its health says so) gets none', async () => {
  const { events } = await run(false);
  assert.deepEqual(events, []);
});
