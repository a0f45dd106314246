"""What learning a file costs in memory and time, on its own (`08b_adapt`).

    python tools/adapt_memory.py [--out results/adapt_memory.json]

Each variant runs in a fresh process set up as `ssl4code serve` sets itself up (glibc's malloc
tamed, one torch thread, the shipped model loaded and quantized to 8 bits, a first prompt read),
then learns one text (the first 12,500 characters of `ssl4code/complete.py`) in a thread, as the
server does, and quantizes the copy. A second thread samples the resident memory every 2 ms.
Reports the memory before learning, the peak (and how far above), what stays after it, and the
seconds.

Variants: `steps`, `blocks` (None: every weight learns; k: the top k blocks and the final LayerNorm) and
`torch_adam` (build a `torch.optim.Adam` first, as `adapt_model` did before it had its own step:
that import is what stays).
"""
import argparse, json, subprocess, sys, time
from pathlib import Path

VARIANTS = [dict(steps=40, blocks=None, torch_adam=True), dict(steps=40, blocks=None, torch_adam=False),
            dict(steps=40, blocks=4, torch_adam=False), dict(steps=40, blocks=2, torch_adam=False),
            dict(steps=40, blocks=1, torch_adam=False), dict(steps=80, blocks=2, torch_adam=False)]

CHILD = r'''
import json, sys, threading, time
import torch
from ssl4code.serve import _tame_malloc
_tame_malloc()
torch.set_num_threads(1)
from ssl4code.adapt import adapt_model, _give_back_memory
from ssl4code.checkpoint import int8_linears, load_checkpoint, DEFAULT_CHECKPOINT
from ssl4code.complete import Completer
v = json.loads(sys.argv[1])
Completer()('import os\n' * 200)                     # the server's model, 8 bits, a prompt read
weights, tok, _ = load_checkpoint(DEFAULT_CHECKPOINT)   # the 32-bit weights the server learns from
if v['torch_adam']: torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])
_give_back_memory()
def rss(): return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20
text = open(sys.argv[2]).read()[:12500]
peak, done = [0.0], threading.Event()
def watch():
    while not done.is_set(): peak[0] = max(peak[0], rss()); time.sleep(0.002)
base = rss(); threading.Thread(target=watch, daemon=True).start()
def learn():
    m = adapt_model(weights, tok, text, steps=v['steps'], lr=3e-4, rows=2, blocks=v['blocks'])
    int8_linears(m); del m; _give_back_memory()
t0 = time.time(); t = threading.Thread(target=learn); t.start(); t.join(); seconds = time.time() - t0
done.set(); time.sleep(0.01)
print(json.dumps(dict(base_mb=round(base), peak_mb=round(peak[0]), peak_above_mb=round(peak[0] - base), kept_mb=round(rss() - base), seconds=round(seconds, 1))))
'''


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out')
    a = p.parse_args()
    text = Path(__file__).parent.parent / 'ssl4code' / 'complete.py'
    rows = []
    for v in VARIANTS:
        out = subprocess.run([sys.executable, '-c', CHILD, json.dumps(v), str(text)],
                             capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        rows.append({**v, **json.loads(out)})
        print(json.dumps(rows[-1]), flush=True)
    if a.out:
        Path(a.out).write_text(json.dumps(dict(date=time.strftime('%Y-%m-%d'), command=' '.join(['python', *sys.argv]),
                                               rows=2, lr=3e-4, variants=rows), indent=1) + '\n')


if __name__ == '__main__': main()
