import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { finetuneCommand, lastLine, readResult, runFinetune, withCheckpoint } from '../src/finetune';
import { launchers } from '../src/server';

test('finetune runs with the same Python as the server, and the server can take the new model', () => {
  const [py, script] = launchers({ selectedInterpreter: '/venv/bin/python' });
  const c = finetuneCommand(py, '/ws', '/out', 5);
  assert.equal(c.command, '/venv/bin/python');
  assert.deepEqual(c.args.slice(0, 2), py.args.slice(0, 2));
  assert.deepEqual(c.args.slice(2), ['finetune', '/ws', '--out', '/out', '--minutes', '5', '--memory']);
  assert.deepEqual(finetuneCommand(script, '/ws', '/out', 5), { command: 'ssl4code', args: ['finetune', '/ws', '--out', '/out', '--minutes', '5', '--memory'] });
  assert.deepEqual(withCheckpoint(script, '/out/model.pt').args, ['serve', '--checkpoint', '/out/model.pt']);
  assert.equal(withCheckpoint(script, undefined), script);
});

test('lastLine keeps the last state of a progress bar', () => {
  assert.equal(lastLine('train: 10%\rtrain: 20%\r\n'), 'train: 20%');
  assert.equal(lastLine('\n\n'), '');
});

// a stand-in for `python -c ... finetune WS --out OUT`: prints progress and writes finetune.json
const FAKE = `
const a = process.argv.slice(1), ws = a[a.indexOf("finetune") + 1], out = a[a.indexOf("--out") + 1];
const fs = require('fs'), path = require('path');
if (ws === 'fail') { console.error('ssl4code finetune: error: no usable Python files'); process.exit(2); }
process.stderr.write('typing 1/2\\rtyping 2/2\\n');
console.log('before: 30.0% keystrokes saved');
fs.writeFileSync(path.join(out, 'finetune.json'), JSON.stringify({ kept: ws === 'worse' ? 'original' : 'finetuned',
  before: { heldout: { saved: 0.3 } }, after: { heldout: { saved: ws === 'worse' ? 0.25 : 0.41 } } }));
`;

test('runFinetune follows the output and reads what was measured', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-'));
  const fake = { command: process.execPath, args: ['-e', FAKE, 'serve'], label: 'node' };
  const lines: string[] = [];
  const progress: string[] = [];
  const r = await runFinetune([fake], 'ws', out, 5, { onOutput: (l) => lines.push(l), onProgress: (l) => progress.push(l) });
  assert.equal(r.ok, true);
  assert.equal(r.kept, 'finetuned');
  assert.equal(r.model, path.join(out, 'model.pt'));
  assert.match(r.message, /30\.0% before, 41\.0% after/);
  assert.ok(lines.includes('typing 2/2') && lines.includes('before: 30.0% keystrokes saved'), lines.join('|'));
  assert.ok(progress.length > 0);
  const worse = await runFinetune([fake], 'worse', out, 5);
  assert.equal(worse.kept, 'original');
  assert.match(worse.message, /worse.*original model stays/);
  const failed = await runFinetune([fake], 'fail', out, 5);
  assert.equal(failed.ok, false);
  assert.match(failed.message, /exit code 2.*no usable Python files/);
});

test('a launcher that cannot run is skipped for the next one', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-'));
  const missing = { command: path.join(out, 'no-such-python'), args: ['serve'], label: 'missing' };
  const fake = { command: process.execPath, args: ['-e', FAKE, 'serve'], label: 'node' };
  const r = await runFinetune([missing, fake], 'ws', out, 5);
  assert.equal(r.ok, true);
  assert.equal((await runFinetune([missing], 'ws', out, 5)).ok, false);
  assert.equal(readResult(path.join(out, 'nothing')).ok, false);
});
