// Start-up logic: a server already there, none (we start one), and the ways a start fails.
// The started "server" is test/fake-serve.ts run by node (FAKE_SERVE chooses its behaviour).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Launcher, ServerManager, checkHealth, classifyExit, launchers } from '../src/server';
import { deadUrl, json, startServer } from './http-helper';

const FAKE = path.join(__dirname, 'fake-serve.js');
const fake = (label = 'fake'): Launcher => ({ command: process.execPath, args: [FAKE, 'serve'], label });

function manager(mode: string, extra: Partial<ConstructorParameters<typeof ServerManager>[0]> = {}) {
  const lines: string[] = [];
  const exits: string[] = [];
  const m = new ServerManager({ log: (l) => lines.push(l), onExit: (e) => exits.push(e), env: { ...process.env, FAKE_SERVE: mode }, startTimeoutMs: 10000, pollMs: 50, ...extra });
  return { m, lines, exits };
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function gone(pid: number, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

test('launchers: the pythonPath setting alone; else the Python extension\'s interpreter, then `ssl4code` on PATH', () => {
  const set = launchers({ pythonPath: '/opt/py/bin/python', selectedInterpreter: '/venv/bin/python' });
  assert.equal(set.length, 1);
  assert.equal(set[0].command, '/opt/py/bin/python');
  assert.deepEqual(set[0].args.slice(-1), ['serve']);
  assert.equal(set[0].args[0], '-c');
  assert.match(set[0].args[1], /from ssl4code\.core import main/);
  const chain = launchers({ selectedInterpreter: '/venv/bin/python' });
  assert.deepEqual(chain.map((l) => l.command), ['/venv/bin/python', 'ssl4code']);
  assert.deepEqual(chain[1].args, ['serve']);
  assert.deepEqual(launchers({}).map((l) => l.command), ['ssl4code']);
});

test('classifyExit tells not installed, port busy and a model that failed apart', () => {
  assert.equal(classifyExit('', 'ENOENT'), 'not-installed');
  assert.equal(classifyExit("ModuleNotFoundError: No module named 'ssl4code'"), 'not-installed');
  assert.equal(classifyExit('ssl4code serve: error: cannot listen on 127.0.0.1:7330: Address already in use'), 'port-busy');
  assert.equal(classifyExit('ssl4code serve: error: cannot load checkpoint x.pt'), 'model-failed');
  assert.equal(classifyExit('RuntimeError: Error(s) in loading state_dict'), 'model-failed');
  assert.equal(classifyExit(''), 'exited');
});

test('health: only a 200 JSON object counts (not a 403 from another service, nor nothing)', async () => {
  const ok = await startServer((_b, res) => json(res, 200, { model: 'm' }));
  const airplay = await startServer((_b, res) => { res.writeHead(403); res.end('Forbidden'); });
  try {
    assert.deepEqual(await checkHealth(ok.url), { model: 'm' });
    assert.equal(ok.received[0].url, '/v1/health');
    assert.equal(await checkHealth(airplay.url), undefined);
    assert.equal(await checkHealth(await deadUrl()), undefined);
  } finally {
    await ok.close();
    await airplay.close();
  }
});

test('server present: used as it is, nothing started', async () => {
  const server = await startServer((_b, res) => json(res, 200, { model: 'there' }));
  let spawned = 0;
  const { m } = manager('ok', { spawn: (() => { spawned++; throw new Error('must not spawn'); }) as never });
  try {
    const out = await m.ensure(server.url, [fake()], true);
    assert.deepEqual(out, { ok: true, url: server.url, started: false, health: { model: 'there' } });
    assert.equal(spawned, 0);
    assert.equal(m.pid, undefined);
  } finally {
    await server.close();
  }
});

test('server absent: started on a free port, healthy, its output logged; stop() ends it', async () => {
  const { m, lines } = manager('ok');
  const out = await m.ensure(await deadUrl(), [fake()], true);
  assert.ok(out.ok && out.started, JSON.stringify(out));
  assert.match(out.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(out.url, 'http://127.0.0.1:7330');
  assert.deepEqual(out.health, { model: 'fake', params: 1234, device: 'cpu' });
  const pid = m.pid!;
  assert.ok(alive(pid));
  assert.ok(lines.some((l) => l.includes('[server out] fake serve: argv') && l.includes('"--port"')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('server started on ' + out.url)), lines.join('\n'));
  assert.ok(await checkHealth(out.url));
  await m.stop();
  assert.ok(await gone(pid), 'the server still runs after stop()');
  assert.equal(await checkHealth(out.url), undefined);
  assert.equal(m.running, false);
});

test('absent and autoStart off: nothing started, says how to start it', async () => {
  const { m } = manager('ok');
  const out = await m.ensure(await deadUrl(), [fake()], false);
  assert.equal(out.ok, false);
  assert.match(!out.ok ? out.message : '', /ssl4code serve/);
  assert.equal(m.pid, undefined);
});

test('failing: not installed (no such program, or no module), tries the next launcher', async () => {
  const { m, lines } = manager('no-module');
  const missing: Launcher = { command: path.join(os.tmpdir(), 'no-such-python-here'), args: ['serve'], label: 'missing' };
  let out = await m.start([missing, fake('no module')]);
  assert.equal(out.ok, false);
  assert.equal(!out.ok && out.reason, 'not-installed');
  assert.match(!out.ok ? out.message : '', /missing: .*\n.*no module: .*No module named 'ssl4code'/s);
  assert.ok(lines.some((l) => l.includes("[server err] ModuleNotFoundError")), lines.join('\n'));
  // a working launcher after a missing one is used
  const ok = manager('ok');
  out = await ok.m.start([missing, fake('works')]);
  assert.ok(out.ok && out.started);
  await ok.m.stop();
});

test('failing: port busy (after one retry on another port), model failed to load, no answer in time', async () => {
  const busy = manager('port-busy');
  let out = await busy.m.start([fake()]);
  assert.equal(!out.ok && out.reason, 'port-busy');
  assert.equal(busy.lines.filter((l) => l.startsWith('starting:')).length, 2);
  const model = manager('model');
  out = await model.m.start([fake()]);
  assert.equal(!out.ok && out.reason, 'model-failed');
  assert.match(!out.ok ? out.message : '', /cannot load checkpoint broken\.pt/);
  const hang = manager('hang', { startTimeoutMs: 600 });
  out = await hang.m.start([fake()]);
  assert.equal(!out.ok && out.reason, 'timeout');
  assert.equal(hang.m.pid, undefined);  // the hung process was stopped
});

test('a started server that dies is reported once through onExit', async () => {
  const { m, exits } = manager('ok');
  const out = await m.start([fake()]);
  assert.ok(out.ok);
  const pid = m.pid!;
  process.kill(pid, 'SIGKILL');
  assert.ok(await gone(pid));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(exits.length, 1);
  assert.match(exits[0], /exited \(killed by SIGKILL\)/);
  assert.equal(m.url, undefined);
});

test('a `python` given by path gets `-c <code> serve --port N`', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssl4code-py-'));
  const python = path.join(dir, 'python');
  fs.writeFileSync(python, `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" "$@"\n`, { mode: 0o755 });
  const { m, lines } = manager('ok');
  try {
    const out = await m.start(launchers({ pythonPath: python }));
    assert.ok(out.ok, JSON.stringify(out));
    const argv = lines.find((l) => l.includes('fake serve: argv'))!;
    assert.match(argv, /\["-c","import sys; from ssl4code.core import main; sys.exit\(main\(\)\)","serve","--port","\d+"\]/);
  } finally {
    await m.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
