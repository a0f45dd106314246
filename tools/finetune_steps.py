"""Follow one fine-tuning run step by step, on tuning data only: keystrokes saved, precision and forgetting.

    python tools/finetune_steps.py [--package sqlglot==25.20.1] [--minutes 10] [--lr 1e-3] [--batch-size 16] [--bf16] [--warmup N]
                                   [--every 2] [--general-windows data/heldout/tune.json] [--out runs/finetune-steps]
                                   [--results results/finetune_steps_tuning.json]

Like tools/finetune_tune.py it takes only the four fifths of the project that tools/bench_finetune.py
trains on, so `finetune` holds out a fifth of *those* (the tuning files) and keeps a tenth of the
rest aside to choose its best step by validation loss (`keep_best`). At every validation a snapshot of the
weights is saved; afterwards every `--every`-th snapshot, the last, the one finetune kept and the
original (step 0) type the tuning files,
the files kept aside and the general *tuning* windows. The question it answers: does the step with
the lowest validation loss also save the most keystrokes, and when does forgetting set in?
The project's reporting files are never read.
"""
import argparse, json, multiprocessing, os, platform, shutil, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import torch

from ssl4code.checkpoint import DEFAULT_CHECKPOINT, save_checkpoint
import ssl4code.learn as learn
from ssl4code.learn import finetune, heldout_windows
from ssl4code.train import TrainConfig
from ssl4code.monitor import TerminalView

sys.path.insert(0, str(Path(__file__).parent))
from finetune_tune import _type, finetune_split, tuning_source     # keystrokes saved by one checkpoint, in a worker process; the tuning files


class Snapshots:
    "A trainer view that saves the weights at every validation."
    def __init__(self, folder): self.folder, self.paths = Path(folder), {}
    def start(self, trainer): self.trainer = trainer; self.folder.mkdir(parents=True, exist_ok=True)
    def log(self, r):
        if r['kind'] != 'valid': return
        self.paths[r['step']] = self.folder/f"step{r['step']}.pt"
        save_checkpoint(self.paths[r['step']], self.trainer.raw, self.trainer.tokenizer, {'step': r['step'], 'valid_loss': r['loss']})
    def end(self): pass


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--package', default='sqlglot==25.20.1')
    p.add_argument('--minutes', type=float, default=10.0)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--batch-size', type=int, default=16)
    p.add_argument('--general', type=float, default=0.5)
    p.add_argument('--bf16', action='store_true')
    p.add_argument('--warmup', type=int, help="steps of learning-rate warm-up (default: finetune's, 10)")
    p.add_argument('--every', type=int, default=2, help='type with every N-th snapshot (and the last)')
    p.add_argument('--eval-chars', type=int, default=600)
    p.add_argument('--general-windows', default='data/heldout/tune.json')
    p.add_argument('--general-chars', type=int, default=600)
    p.add_argument('--out', default='runs/finetune-steps')
    p.add_argument('--results', default='results/finetune_steps_tuning.json')
    return p.parse_args()


def main():
    a = parse_args()
    out = Path(a.out)
    tune, _ = tuning_source(a.package, out)
    run = out/'run'
    shutil.rmtree(run, ignore_errors=True)
    snaps = Snapshots(out/'snapshots')
    if a.warmup:    # finetune fixes its warm-up; this question needs another
        learn.TrainConfig = lambda **kw: TrainConfig(**{**kw, 'warmup': a.warmup})
    load0 = os.getloadavg()
    r = finetune([tune], run, minutes=a.minutes, lr=a.lr, batch_size=a.batch_size, general=a.general, eval_chars=a.eval_chars,
                 device='cpu', view=[TerminalView(), snaps], bf16=a.bf16, keep_best=True)
    # the files finetune kept aside, found the way it found them
    _, _, stop = finetune_split(tune)
    stop_windows = heldout_windows(stop, out/'stop.json', a.eval_chars)
    steps = sorted(snaps.paths)
    paths = {0: DEFAULT_CHECKPOINT, **{s: snaps.paths[s] for i, s in enumerate(steps) if (i + 1) % a.every == 0 or s == steps[-1]}}
    if r['kept_step'] in snaps.paths: paths[r['kept_step']] = snaps.paths[r['kept_step']]
    sets = {'tuning_files': (run/'heldout.json', None), 'kept_aside': (stop_windows, None),
            'general': (a.general_windows, a.general_chars)}
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context('spawn')) as pool:     # two cores, one thread each
        jobs = {(s, k): pool.submit(_type, path, w, n) for s, path in paths.items() for k, (w, n) in sets.items()}
        got = {k: f.result() for k, f in jobs.items()}
    curve = {c['step']: c['loss'] for c in r['curve']}
    rows = []
    for s in sorted(paths):
        row = {'step': s, 'valid_loss': curve.get(s), **{k: got[s, k] for k in sets}}
        row['gain_points'] = round(100 * (got[s, 'tuning_files']['saved'] - got[0, 'tuning_files']['saved']), 2)
        row['general_cost_points'] = round(100 * (got[0, 'general']['saved'] - got[s, 'general']['saved']), 2)
        rows.append(row)
        print(json.dumps({k: row[k] for k in ('step', 'valid_loss', 'gain_points', 'general_cost_points')}
                         | {'precision': row['tuning_files']['precision'], 'kept_aside_saved': row['kept_aside']['saved']}), flush=True)
    rec = {'date': time.strftime('%Y-%m-%d'), 'command': 'python tools/finetune_steps.py ' + ' '.join(sys.argv[1:]),
           'project': a.package, 'lr': a.lr, 'warmup': a.warmup or 10, 'batch_size': a.batch_size, 'general': a.general, 'bf16': a.bf16,
           'minutes': a.minutes, 'steps': r['steps'], 'kept_step_by_loss': r['kept_step'],
           'files': {'trained_on': r['train_files'], 'tuning_files': r['heldout_files'], 'kept_aside': r['stop_files']},
           'machine': {'cpus': os.cpu_count(), 'torch': torch.__version__, 'python': platform.python_version(),
                       'load_average_at_start': [round(x, 2) for x in load0],
                       'load_average_at_end': [round(x, 2) for x in os.getloadavg()]},
           'valid_curve': r['curve'], 'rows': rows}
    Path(a.results).write_text(json.dumps(rec, indent=1) + '\n')
    return a


def run_variant(trainer, tool, env, **extra):
    "`main` with `learn.Trainer` replaced by `trainer` (for the experiment tools); the record names `tool`, its `env` and `extra`."
    learn.Trainer = trainer
    a = main()
    rec = json.loads(Path(a.results).read_text())
    rec['command'] = f"{env} python tools/{tool} " + ' '.join(sys.argv[1:])
    Path(a.results).write_text(json.dumps(rec | extra, indent=1) + '\n')


if __name__ == '__main__':
    main()
