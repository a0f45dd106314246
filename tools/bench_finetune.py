"""Fine-tune the shipped model on a real project nobody here wrote, and measure what it gains and what it forgets.

    python tools/bench_finetune.py [--package sqlglot==25.20.1] [--minutes 10] [--out runs/finetune-bench]
                                   [--heldout data/heldout/windows.json] [--results results/finetune.json]

Downloads the package's wheel (`pip download --no-deps`), unpacks its .py files (tests excluded),
then runs `ssl4code finetune` on them (80/20 split of the files by a hash of their names) with
`--check` on the general held-out windows, and writes the figures, the command, the machine and
its load to RESULTS. The project must not be in the shipped model's training corpus: the
corpus of tools/recipes/build_gpu_corpus.py is the stdlib and the packages installed where it ran
(numpy, scipy, torch, IPython, botocore, pip ...), so pick one that is not a common dependency.
"""
import argparse, json, os, platform, sys, time
from pathlib import Path

import torch

from ssl4code.learn import finetune

sys.path.insert(0, str(Path(__file__).parent))
from fetch_heldout import fetch   # pinned wheels from PyPI, unpacked without their tests


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--package', default='sqlglot==25.20.1')
    p.add_argument('--minutes', type=float, default=10.0)
    p.add_argument('--lr', type=float, default=3e-4)
    p.add_argument('--general', type=float, default=0.5)
    p.add_argument('--eval-chars', type=int, default=1000)
    p.add_argument('--out', default='runs/finetune-bench')
    p.add_argument('--heldout', default='data/heldout/windows.json')
    p.add_argument('--results', default='results/finetune.json')
    p.add_argument('--batch-size', type=int, default=16)
    p.add_argument('--bf16', action='store_true', help='bf16 autocast on the CPU (fast with AMX or AVX-512 BF16)')
    p.add_argument('--blend', type=float, default=1.0, help='share of the change to keep (finetune --blend)')
    p.add_argument('--min-prob', type=float, help="the fine-tuned model's bar for word suggestions (finetune --min-prob)")
    p.add_argument('--keep-best', action='store_true', help='keep the step with the lowest loss on training files kept aside')
    p.add_argument('--memory', action='store_true', help='a memory of the project and a switch to the original model away from it (finetune --memory)')
    p.add_argument('--note', default='', help='what else ran on the machine, for the record')
    a = p.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    src = fetch(a.package, out/'src')
    load0, t0 = os.getloadavg(), time.time()
    r = finetune([src], out/'run', minutes=a.minutes, lr=a.lr, general=a.general, eval_chars=a.eval_chars, batch_size=a.batch_size,
                 check=[a.heldout], device='cpu', view='terminal', bf16=a.bf16,
                 blend=a.blend, min_prob=a.min_prob, keep_best=a.keep_best, memory=a.memory)
    load1 = os.getloadavg()
    general = str(a.heldout)
    result = {
        'date': time.strftime('%Y-%m-%d'),
        'command': 'python tools/bench_finetune.py ' + ' '.join(sys.argv[1:]),
        'equivalent': f'ssl4code finetune {src} --out {out/"run"} --minutes {a.minutes} --lr {a.lr} --general {a.general} '
                      f'--eval-chars {a.eval_chars} --batch-size {a.batch_size} --check {a.heldout} --device cpu' + (' --bf16' if a.bf16 else '')
                      + (f' --blend {a.blend}' if a.blend != 1 else '') + (f' --min-prob {a.min_prob}' if a.min_prob else '')
                      + (' --keep-best' if a.keep_best else '') + (' --memory' if a.memory else ''),
        'project': a.package, 'machine': {'cpus': os.cpu_count(), 'torch_threads_train': torch.get_num_threads(),
                                          'torch_threads_eval': 1, 'torch': torch.__version__, 'python': platform.python_version(),
                                          'load_average_at_start': [round(x, 2) for x in load0],
                                          'load_average_at_end': [round(x, 2) for x in load1],
                                          'note': a.note},
        'wall_seconds': round(time.time() - t0, 1),
        'batch_size': a.batch_size, 'bf16': a.bf16, 'blend': a.blend, 'min_prob': a.min_prob,
        **{k: r.get(k) for k in ('train_files', 'heldout_files', 'stop_files', 'general_files', 'tokens', 'steps', 'kept_step', 'seconds',
                                 'lr', 'general', 'kept', 'curve', 'curve_files', 'memory')},
        'before': {'heldout': r['before']['heldout'], 'general': r['before'][general]},
        'after': {'heldout': r['after']['heldout'], 'general': r['after'][general]},
    }
    gain = r['after']['heldout']['saved'] - r['before']['heldout']['saved']
    cost = r['before'][general]['saved'] - r['after'][general]['saved']
    result['goal'] = {'heldout_gain_points': round(100 * gain, 2), 'heldout_precision_after': r['after']['heldout']['precision'],
                      'general_cost_points': round(100 * cost, 2),
                      'met': gain >= 0.08 and r['after']['heldout']['precision'] >= 0.5 and cost <= 0.01}
    Path(a.results).write_text(json.dumps(result, indent=1) + '\n')
    print(json.dumps(result['goal']))


if __name__ == '__main__':
    main()
