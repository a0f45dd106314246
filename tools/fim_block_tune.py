"""Blocks as ghost text, on the tuning windows (tune.json; never report from them): at line starts, how often a block
(two lines or more) clears each `block_prob`, and how often it is the code's own block; chooses `Completer.BLOCK_PROB`.
The block search is the one `Completer.ghost(block=True)` runs (with the suffix), here for any model (issue 18).

    python tools/fim_block_tune.py CHECKPOINT|- [N_TASKS]        # '-': the shipped model
"""
import json, sys, time

import torch

from ssl4code.complete import Completer
from ssl4code.evaluate import block_end, line_tasks

torch.set_num_threads(1)
ckpt = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != '-' else None
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100
c = Completer(ckpt)
tasks = line_tasks(['/work/main/data/heldout/tune.json'], n, 0, 'line')
out = {'checkpoint': ckpt or 'shipped', 'fim': c.fim is not None, 'tasks': len(tasks), 'by_block_prob': {}}
for bp in [0.02, 0.05, 0.1, 0.15, 0.25]:
    blocks = right = 0
    times = []
    for prefix, target, after in tasks:
        whole = target + after
        k = block_end(whole, prefix[prefix.rfind('\n') + 1:], '', 8)
        truth = whole[:len(whole) if k is None else k].rstrip()
        t0 = time.perf_counter()
        b = c(prefix, after, n=1, stop='block', min_prob=bp)
        times.append(time.perf_counter() - t0)
        if b and '\n' in b[0].text:
            blocks += 1
            right += b[0].text.rstrip() == truth
    times.sort()
    out['by_block_prob'][bp] = dict(blocks_shown=blocks, blocks_right=right,
                                    p50_ms=round(1000 * times[len(times) // 2], 1), p90_ms=round(1000 * times[int(.9 * len(times))], 1))
    print(bp, out['by_block_prob'][bp], file=sys.stderr, flush=True)
print(json.dumps(out))
