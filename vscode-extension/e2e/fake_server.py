"""A deterministic stand-in for `ssl4code serve`, for testing the VS Code extension only.

It speaks the HTTP API of ../../shared ARCHITECTURE (Tabby's `POST /v1/completions`, the seed's
`POST /autocomplete`, `GET /v1/health`, `GET /health`) but "completes" from a fixed table keyed
by the end of the prefix, so a test knows exactly what the editor must show. Every request is
appended as one JSON line to `--log`, so a test can check what the extension sent.

    python fake_server.py --port 7330 [--log requests.jsonl]
"""
import argparse, json, signal, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# end of the prefix -> completions, best first, as the real server sends them: trimmed against
# the text after the cursor (`print(|)` gets '"hello"', not '"hello")'); the extension shows them as they come
TABLE = [
    ('return ', ['a + b', 'a - b']),
    ('print(', ['"hello"']),
    ('result = ad', ['d(1, 2)']),
    ('import o', ['s']),
]


# a notebook cell that uses a name defined in an earlier cell: answered only when the earlier
# cell is in the prefix (the extension sends earlier cells as the prefix)
NOTEBOOK = ('def compute_average(', 'result = compute_av', ['erage([1, 2, 3])'])


def complete(prefix):
    needs, end, choices = NOTEBOOK
    if prefix.endswith(end):
        return choices if needs in prefix else []
    for end, choices in TABLE:
        if prefix.endswith(end):
            return choices
    for end, choices in TABLE:   # typed through a suggestion: its rest, as a real model would answer
        for c in choices:
            for k in range(1, len(c)):
                if prefix.endswith(end + c[:k]): return [c[k:]]
    return []


class Handler(BaseHTTPRequestHandler):
    log_path = None
    delay = 0.0

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self, body):
        if self.log_path:
            with open(self.log_path, 'a') as f:
                probe = bool(self.headers.get('X-SSL4CODE-E2E-PROBE'))  # the test asking, not the editor
                f.write(json.dumps({'time': time.time(), 'path': self.path, 'probe': probe, 'body': body}) + '\n')

    def do_GET(self):
        if self.path in ('/health', '/v1/health'):
            return self._send(200, {'model': 'fake', 'parameters': 0, 'device': 'cpu'})
        self._send(404, {'success': False, 'error': f'no route {self.path}'})

    def do_POST(self):
        try:
            body = json.loads(self.rfile.read(int(self.headers.get('Content-Length') or 0)) or b'{}')
        except ValueError:
            return self._send(400, {'success': False, 'error': 'body is not JSON'})
        self._record(body)
        if self.delay:
            time.sleep(self.delay)
        if self.path == '/v1/completions':
            segments = body.get('segments') if isinstance(body, dict) else None
            if not isinstance(segments, dict) or not isinstance(segments.get('prefix'), str):
                return self._send(400, {'success': False, 'error': 'segments.prefix (a string) is required'})
            choices = complete(segments['prefix'])
            return self._send(200, {'id': f'cmpl-fake-{int(time.time() * 1000)}',
                                    'choices': [{'index': i, 'text': t} for i, t in enumerate(choices)]})
        if self.path == '/autocomplete':
            prompt = body.get('prompt') if isinstance(body, dict) else None
            if not isinstance(prompt, str):
                return self._send(400, {'success': False, 'error': 'prompt (a string) is required'})
            choices = complete(prompt)
            return self._send(200, {'success': True, 'prediction': choices, 'probs': [0.5] * len(choices)})
        self._send(404, {'success': False, 'error': f'no route {self.path}'})


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--port', type=int, default=7330)
    p.add_argument('--log', default=None, help='append each request as a JSON line to this file')
    p.add_argument('--delay', type=float, default=0.0, help='seconds to wait before answering')
    args = p.parse_args(argv)
    Handler.log_path, Handler.delay = args.log, args.delay
    server = ThreadingHTTPServer(('127.0.0.1', args.port), Handler)
    print(f'fake ssl4code server on http://127.0.0.1:{args.port}', file=sys.stderr, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
