"""Choose fine-tuning settings without looking at the project's held-out files.

    python tools/finetune_tune.py [--package sqlglot==25.20.1] [--minutes 3] [--lr 1e-3 3e-3] [--batch-size 8 16]
                                  [--out runs/finetune-tune] [--results results/finetune_tuning.json]

`ssl4code finetune` holds out a fifth of a project's files (by a hash of their names) to report on.
This script takes only the other four fifths, the files `tools/bench_finetune.py` trains on, and
fine-tunes on them with each combination of settings, so that `finetune` holds out a fifth of
*those* (the tuning files). It records the validation loss curve on the tuning files and the
keystrokes saved on a few of them; the project's reporting files are never read.
"""
import argparse, itertools, json, os, platform, shutil, sys, time
from pathlib import Path

import torch

from ssl4code.learn import finetune, split_files, user_files

sys.path.insert(0, str(Path(__file__).parent))
from fetch_heldout import fetch


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--package', default='sqlglot==25.20.1')
    p.add_argument('--minutes', type=float, default=3.0)
    p.add_argument('--lr', type=float, nargs='+', default=[1e-3, 3e-3])
    p.add_argument('--batch-size', type=int, nargs='+', default=[8, 16])
    p.add_argument('--general', type=float, default=0.5)
    p.add_argument('--out', default='runs/finetune-tune')
    p.add_argument('--results', default='results/finetune_tuning.json')
    a = p.parse_args()
    out = Path(a.out)
    src = fetch(a.package, out/'src')
    train, _ = split_files(user_files([src]), 0.2, 0)          # exactly what bench_finetune trains on
    tune = out/'tune-src'
    shutil.rmtree(tune, ignore_errors=True)
    for name, f, _ in train:
        (tune/name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, tune/name)
    runs, load0 = [], os.getloadavg()
    for lr, bs in itertools.product(a.lr, a.batch_size):
        run = out/f'lr{lr:g}-bs{bs}'
        shutil.rmtree(run, ignore_errors=True)
        r = finetune([tune], run, minutes=a.minutes, lr=lr, batch_size=bs, general=a.general, eval_chars=600, eval_files=5,
                     device='cpu', view='terminal')
        row = {'lr': lr, 'batch_size': bs, 'steps': r['steps'], 'valid_curve': r['curve'],
               'valid_loss_end': r['curve'][-1]['loss'] if r['curve'] else None,
               'saved_before': r['before']['heldout']['saved'], 'saved_after': r['after']['heldout']['saved'],
               'precision_after': r['after']['heldout']['precision']}
        runs.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != 'valid_curve'}), flush=True)
    best = min(runs, key=lambda r: r['valid_loss_end'])
    rec = {'date': time.strftime('%Y-%m-%d'), 'command': 'python tools/finetune_tune.py ' + ' '.join(sys.argv[1:]),
           'project': a.package, 'tuning_files': len(train), 'minutes_each': a.minutes, 'general': a.general,
           'machine': {'cpus': os.cpu_count(), 'torch_threads': torch.get_num_threads(), 'torch': torch.__version__,
                       'python': platform.python_version(), 'load_average_at_start': [round(x, 2) for x in load0],
                       'load_average_at_end': [round(x, 2) for x in os.getloadavg()]},
           'rule': 'lowest validation loss on the tuning files at the end of the budget',
           'chosen': {'lr': best['lr'], 'batch_size': best['batch_size']}, 'runs': runs}
    Path(a.results).write_text(json.dumps(rec, indent=1) + '\n')
    print(json.dumps(rec['chosen']))


if __name__ == '__main__':
    main()
