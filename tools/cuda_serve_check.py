"""Check completion on a CUDA GPU: the shipped model's suggestions there match the CPU's.

    python tools/cuda_serve_check.py [FILE]     # needs a CUDA GPU; exits 1 if a check fails

- a few prompts: the same suggestions on both devices, probabilities within 1e-3 (TF32 off);
- typing FILE (default: this package's data.py, its first 1,500 characters) one request per
  keystroke on each device: the same keystrokes saved; the GPU's latency is printed;
- over HTTP when Flask is importable: `ssl4code serve --device cuda` answers /autocomplete.
"""
import json, os, socket, subprocess, sys, time, urllib.request
from pathlib import Path

import torch

sys.path.insert(0, '.')
from ssl4code.complete import Completer
from ssl4code.evaluate import type_text

PROMPTS = ['import os\nfor i in ra', 'import collections\nx = coll', 'if __name__ == ', 'for i in ',
           'class Foo:\n    def __init__(self, x):\n        self.x = x\n\n    def get(self):\n        return self.']


DEV = os.environ.get('CHECK_DEVICE', 'cuda')   # cpu: try the script itself on a machine without a GPU


def http_check():
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    cmd = [sys.executable, '-c', 'import sys; from ssl4code.core import main; sys.exit(main())',
           'serve', '--device', DEV, '--port', str(port)]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(120):
            try:
                req = urllib.request.Request(f'http://127.0.0.1:{port}/autocomplete', method='POST',
                                             data=json.dumps({'prompt': 'import collections\nx = coll'}).encode(),
                                             headers={'Content-Type': 'application/json'})
                return json.loads(urllib.request.urlopen(req, timeout=5).read())
            except OSError: time.sleep(0.5)
        return None
    finally:
        server.terminate()
        print(server.communicate(timeout=10)[0][-1500:])


def main():
    if DEV == 'cuda' and not torch.cuda.is_available(): sys.exit('no CUDA GPU here')
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    cpu, gpu = Completer(device='cpu'), Completer(device=DEV)
    failed = 0
    for p in PROMPTS:
        a, b = cpu(p), gpu(p)
        same = [c.text for c in a] == [c.text for c in b] and all(abs(x.prob - y.prob) < 1e-3 for x, y in zip(a, b))
        failed += not same
        print(f"{'ok  ' if same else 'FAIL'} {p[-30:]!r}: cpu {[(c.text, round(c.prob, 4)) for c in a]} "
              f"cuda {[(c.text, round(c.prob, 4)) for c in b]}")
    f = Path(sys.argv[1]) if len(sys.argv) > 1 else Path('ssl4code/data.py')
    text = f.read_text()[:1500]
    rc, rg = type_text(cpu, text), type_text(gpu, text)
    ms = sorted(rg['times'])
    same = (rc['keys'], rc['accepted']) == (rg['keys'], rg['accepted'])
    failed += not same
    print(f"{'ok  ' if same else 'FAIL'} typing {f} ({rc['chars']} chars): keys cpu {rc['keys']} cuda {rg['keys']}, "
          f"accepted cpu {rc['accepted']} cuda {rg['accepted']}; cuda p50 {1000 * ms[len(ms) // 2]:.1f} ms, "
          f"p99 {1000 * ms[int(0.99 * len(ms))]:.1f} ms")
    try: import flask, waitress  # noqa: F401
    except ImportError: print('skip HTTP: flask or waitress not installed')
    else:
        r = http_check()
        ok = bool(r and r.get('success') and r.get('prediction') and r['prediction'][0] == 'ections')
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} ssl4code serve --device {DEV}: {r}")
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
