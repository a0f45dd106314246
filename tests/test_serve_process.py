"""`ssl4code serve` as a real process: both protocols, bad inputs, concurrent clients.

Starts the server on a free port (`--port 0`; the port is read from its first lines of output)
with the model shipped in the package, and stops it at the end.
"""
import http.client, json, os, re, shutil, signal, subprocess, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

STARTUP_S = 60


def _command():
    exe = shutil.which('ssl4code', path=str(Path(sys.executable).parent)) or shutil.which('ssl4code')
    if exe: return [exe]
    return [sys.executable, '-c', 'import sys; from ssl4code.core import main; sys.exit(main())']


class Server:
    "A running `ssl4code serve` process and a way to talk to it."
    def __init__(self, *args):
        env = dict(os.environ, PYTHONUNBUFFERED='1')
        self.proc = subprocess.Popen(_command() + ['serve', '--port', '0', *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=env)
        self.lines, self.port = [], None
        found = threading.Event()
        def read():
            for line in self.proc.stdout:
                self.lines.append(line)
                m = re.search(r'listening on http://([\d.]+):(\d+)', line)
                if m: self.host, self.port = m.group(1), int(m.group(2)); found.set()
        threading.Thread(target=read, daemon=True).start()
        if not found.wait(STARTUP_S):
            self.stop()
            raise RuntimeError('server did not start:\n' + ''.join(self.lines))

    def request(self, method, path, body=None, headers=None):
        "(status, headers, parsed JSON or raw text) of one request on a fresh connection."
        conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=30)
        try:
            if isinstance(body, (dict, list)): body = json.dumps(body).encode()
            elif isinstance(body, str): body = body.encode()
            conn.request(method, path, body=body, headers={'Content-Type': 'application/json', **(headers or {})})
            r = conn.getresponse()
            raw = r.read()
            try: data = json.loads(raw)
            except ValueError: data = raw.decode('utf-8', 'replace')
            return r.status, dict(r.getheaders()), data
        finally: conn.close()

    def post(self, path, body, **kw): return self.request('POST', path, body, **kw)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try: self.proc.wait(10)
            except subprocess.TimeoutExpired: self.proc.kill(); self.proc.wait()


@pytest.fixture(scope='module')
def server():
    s = Server('--threads', '8')
    try: yield s
    finally: s.stop()


def test_listens_on_localhost_by_default(server):
    assert server.host == '127.0.0.1'


@pytest.mark.parametrize('path', ['/health', '/v1/health'])
def test_health(server, path):
    status, _, data = server.request('GET', path)
    assert status == 200 and data['success'] is True
    assert data['model'] in ('lstm', 'rhn', 'transformer', 'xl') and data['params'] > 0 and data['device'] == 'cpu'
    assert data['int8'] is True     # the server a user starts runs the model with 8-bit weights on a CPU
    assert set(data['adapt']) >= {'adapted', 'learning', 'files', 'errors'}   # and learns the file being edited


def test_learns_the_file_being_edited(server):
    src = (Path(json.__file__).parent/'decoder.py').read_text()[:6000]
    body = {'segments': {'prefix': src, 'suffix': ''}}
    assert server.post('/v1/completions', body)[0] == 200
    t0, info = time.time(), None
    while time.time() - t0 < 120:           # a copy of the model learns the file in the background
        info = server.request('GET', '/health')[2]['adapt']
        if info['adapted']: break
        time.sleep(0.5)
    assert info['adapted'] and info['files'] >= 1 and info['errors'] == 0 and info['last_seconds'] > 0
    status, _, data = server.post('/v1/completions', {'segments': {'prefix': src + '\n\ndef scan', 'suffix': ''}})
    assert status == 200 and server.request('GET', '/health')[2]['adapt']['adapted']      # the same file: the copy answers
    assert server.post('/v1/completions', {'segments': {'prefix': 'import os\n', 'suffix': ''}})[0] == 200
    assert server.request('GET', '/health')[2]['adapt']['adapted'] is False               # another file: the shipped model


def test_autocomplete(server):
    status, headers, data = server.post('/autocomplete', {'prompt': 'import collections\nx = coll'})
    assert status == 200 and headers['Content-Type'].startswith('application/json')
    assert data['success'] is True and data['prediction'][0] == 'ections'
    assert len(data['prediction']) == len(data['probs']) >= 1
    # best first: by the keystrokes each is expected to save, probability x (length - 1)
    gains = [p * (len(t) - 1) for t, p in zip(data['prediction'], data['probs'])]
    assert all(0 < p <= 1 for p in data['probs']) and gains == sorted(gains, reverse=True)
    # mid-word: only the rest of the word is predicted
    status, _, data = server.post('/autocomplete', {'prompt': 'import os\nfor i in ra'})
    assert status == 200 and data['prediction'][0] == 'nge('


def test_tabby_completions(server):
    body = {'language': 'python', 'segments': {'prefix': 'import collections\nx = coll', 'suffix': '\n'}}
    status, _, data = server.post('/v1/completions', body)
    assert status == 200 and data['id'].startswith('cmpl-')
    assert data['choices'] and data['choices'][0]['index'] == 0
    assert data['choices'][0]['text'].startswith('ections')
    assert all('\n' not in c['text'] for c in data['choices'])
    status, _, data = server.post('/v1/completions', {'language': 'rust', 'segments': {'prefix': 'fn main() {'}})
    assert status == 200 and data['choices'] == []


def test_long_prompt_is_cut_not_refused(server):
    prompt = 'x = 1\n' * 50_000 + 'import collections\ny = coll'
    status, _, data = server.post('/autocomplete', {'prompt': prompt})
    assert status == 200 and data['success'] is True and data['prediction']


BAD = [
    ('/autocomplete', b'{"prompt": ', 400, 'not valid JSON'),
    ('/autocomplete', b'{"prompt": "\xff\xfe"}', 400, 'not valid UTF-8'),
    ('/autocomplete', b'[1, 2]', 400, 'JSON object'),
    ('/autocomplete', b'{}', 400, "missing 'prompt'"),
    ('/autocomplete', b'{"prompt": 3}', 400, "'prompt' must be a string"),
    ('/autocomplete', b'{"prompt": null}', 400, "missing 'prompt'"),
    ('/autocomplete', b'{"prompt": "x \\ud800"}', 400, 'lone surrogate'),
    ('/autocomplete', b'{"prompt": "x", "stop": "page"}', 400, "'stop'"),
    ('/v1/completions', b'{"segments": "x"}', 400, "'segments'"),
    ('/v1/completions', b'{"segments": {"prefix": ["x"]}}', 400, "'segments.prefix' must be a string"),
    ('/autocomplete', b'{"prompt": "' + b'x' * 1_100_000 + b'"}', 413, 'larger than'),
]


@pytest.mark.parametrize('path,body,status,message', BAD)
def test_bad_requests_get_clear_json_errors(server, path, body, status, message):
    got, headers, data = server.post(path, body)
    assert got == status and headers['Content-Type'].startswith('application/json')
    assert data['success'] is False and message in data['error']


def test_wrong_method_and_path_are_json(server):
    for method, path, status in [('GET', '/autocomplete', 405), ('GET', '/nowhere', 404)]:
        got, _, data = server.request(method, path)
        assert got == status and data['success'] is False and 'Traceback' not in json.dumps(data)


def test_no_cors_headers_by_default(server):
    _, headers, _ = server.post('/autocomplete', {'prompt': 'x = '}, headers={'Origin': 'http://evil.example'})
    assert not any(k.lower().startswith('access-control') for k in headers)


def test_eight_concurrent_clients(server):
    prompts = [f'import os\n\ndef f{i}(x):\n    for i in ' + 'ra'[:i % 3] for i in range(8)]
    prompts += ['class Foo:\n    def __init__(self', 'if __name__ == ', 'import collections\nx = coll', 'x = [i for i in ']
    expected = {p: server.post('/autocomplete', {'prompt': p})[2] for p in prompts}

    def client(k):
        out = []
        for j in range(6):
            p = prompts[(k + j) % len(prompts)]
            out.append((p, server.post('/autocomplete', {'prompt': p})))
            if j == 2: out.append((None, server.post('/autocomplete', b'{"prompt": ')))
            if j == 4:
                out.append((None, server.post('/v1/completions', {'segments': {'prefix': p, 'suffix': ''}})))
        return out

    t0 = time.time()
    with ThreadPoolExecutor(8) as ex: results = [r for rs in ex.map(client, range(8)) for r in rs]
    assert time.time() - t0 < 30
    for p, (status, _, data) in results:
        if p is None:
            assert status in (200, 400)
            assert ('choices' in data) if status == 200 else data['error'] == 'the request body is not valid JSON'
        else:
            assert status == 200 and data['prediction'] == expected[p]['prediction']
            assert all(abs(a - b) < 2e-3 for a, b in zip(data['probs'], expected[p]['probs']))
    assert server.proc.poll() is None
    assert server.request('GET', '/health')[0] == 200


def test_port_in_use_is_a_clear_error(server):
    out = subprocess.run(_command() + ['serve', '--port', str(server.port)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and 'cannot listen on 127.0.0.1' in out.stderr and 'Traceback' not in out.stderr


def test_cors_when_asked():
    s = Server('--cors', 'http://localhost:8888', '--no-adapt')
    try:
        assert s.request('GET', '/health')[2]['adapt'] is None
        _, headers, _ = s.post('/autocomplete', {'prompt': 'x = '}, headers={'Origin': 'http://localhost:8888'})
        assert headers.get('Access-Control-Allow-Origin') == 'http://localhost:8888'
        _, headers, _ = s.post('/autocomplete', {'prompt': 'x = '}, headers={'Origin': 'http://evil.example'})
        assert 'Access-Control-Allow-Origin' not in headers
    finally: s.stop()
