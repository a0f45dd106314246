"""Choose fine-tuning settings without looking at the project's held-out files.

    python tools/finetune_tune.py [--package sqlglot==25.20.1] [--minutes 3 | --steps N] [--lr 1e-3 3e-3] [--batch-size 8 16]
                                  [--blend 1.0 0.75 0.5 0.25 --general-windows data/heldout/tune.json]
                                  [--out runs/finetune-tune] [--results results/finetune_tuning.json]

`ssl4code finetune` holds out a fifth of a project's files (by a hash of their names) to report on.
This script takes only the other four fifths, the files `tools/bench_finetune.py` trains on, and
fine-tunes on them with each combination of settings, so that `finetune` holds out a fifth of
*those* (the tuning files). It records the validation loss curve on the tuning files and the
keystrokes saved on a few of them; the project's reporting files are never read.

With several `--blend` shares, each fine-tuned model is also averaged with the original
(`ssl4code.learn.blend_weights`) and every blend types the tuning files and the general *tuning*
windows (`--general-windows`, not the windows reported on). The rule then weighs forgetting: the
largest gain on the tuning files among the settings that cost at most `--max-cost` points of
keystrokes saved on the general windows (the issue's limit), or the smallest cost if none does.
`--steps` fixes the number of steps, so that the load of the machine does not change the result.
"""
import argparse, itertools, json, multiprocessing, os, platform, shutil, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import torch

from ssl4code.checkpoint import DEFAULT_CHECKPOINT, load_checkpoint, save_checkpoint
from ssl4code.evaluate import keystroke_eval
from ssl4code.complete import Completer
from ssl4code.learn import ThresholdCompleter, blend_weights, finetune, split_files, user_files
from ssl4code.memory import load_completer

sys.path.insert(0, str(Path(__file__).parent))
from fetch_heldout import fetch


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--package', default='sqlglot==25.20.1')
    p.add_argument('--minutes', type=float, default=3.0)
    p.add_argument('--steps', type=int, help='a fixed number of steps instead of --minutes')
    p.add_argument('--blend', type=float, nargs='+', default=[1.0], help='shares of the change to keep (learn.blend_weights)')
    p.add_argument('--general-windows', default='data/heldout/tune.json', help='general tuning windows, to measure forgetting')
    p.add_argument('--general-chars', type=int, default=600, help='characters typed per general window')
    p.add_argument('--eval-chars', type=int, default=600, help='characters typed per tuning file')
    p.add_argument('--eval-files', type=int, help='tuning files typed (default: 20 with several blends, else 5)')
    p.add_argument('--max-cost', type=float, default=1.0, help='points of general keystrokes saved a setting may cost')
    p.add_argument('--lr', type=float, nargs='+', default=[1e-3, 3e-3])
    p.add_argument('--batch-size', type=int, nargs='+', default=[8, 16])
    p.add_argument('--general', type=float, default=0.5)
    p.add_argument('--bf16', action='store_true', help='bf16 autocast on the CPU (fast with AMX or AVX-512 BF16)')
    p.add_argument('--out', default='runs/finetune-tune')
    p.add_argument('--results', default='results/finetune_tuning.json')
    a = p.parse_args()
    out = Path(a.out)
    tune, train = tuning_source(a.package, out)
    runs, load0 = [], os.getloadavg()
    for lr, bs in itertools.product(a.lr, a.batch_size):
        run = out/f'lr{lr:g}-bs{bs}'
        shutil.rmtree(run, ignore_errors=True)
        r = finetune([tune], run, minutes=None if a.steps else a.minutes, steps=a.steps, lr=lr, batch_size=bs, general=a.general,
                     eval_chars=a.eval_chars, eval_files=a.eval_files or (20 if len(a.blend) > 1 else 5), device='cpu', view='terminal', bf16=a.bf16)
        row = {'lr': lr, 'batch_size': bs, 'steps': r['steps'], 'kept_step': r['kept_step'], 'seconds': r['seconds'], 'valid_curve': r['curve'],
               'valid_loss_end': r['curve'][-1]['loss'] if r['curve'] else None,
               'saved_before': r['before']['heldout']['saved'], 'saved_after': r['after']['heldout']['saved'],
               'precision_after': r['after']['heldout']['precision']}
        if len(a.blend) > 1: row['blends'] = blends(run, r, a)
        runs.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != 'valid_curve'}), flush=True)
    if len(a.blend) > 1:
        options = [dict(lr=r['lr'], batch_size=r['batch_size'], **b) for r in runs for b in r['blends']]
        fine = [o for o in options if o['general_cost_points'] <= a.max_cost]
        best = max(fine, key=lambda o: o['gain_points']) if fine else min(options, key=lambda o: o['general_cost_points'])
        rule = (f'the largest gain in keystrokes saved on the tuning files among the settings that cost at most {a.max_cost:g} '
                f'points on the general tuning windows ({a.general_windows}, {a.general_chars} characters each)')
        chosen = {k: best[k] for k in ('lr', 'batch_size', 'blend')}
    else:
        best = min(runs, key=lambda r: r['valid_loss_end'])
        rule, chosen = 'lowest validation loss on the tuning files at the end of the budget', {'lr': best['lr'], 'batch_size': best['batch_size']}
    rec = {'date': time.strftime('%Y-%m-%d'), 'command': 'python tools/finetune_tune.py ' + ' '.join(sys.argv[1:]),
           'project': a.package, 'tuning_files': len(train), 'minutes_each': None if a.steps else a.minutes, 'steps_each': a.steps,
           'general': a.general, 'bf16': a.bf16,
           'machine': {'cpus': os.cpu_count(), 'torch_threads': torch.get_num_threads(), 'torch': torch.__version__,
                       'python': platform.python_version(), 'load_average_at_start': [round(x, 2) for x in load0],
                       'load_average_at_end': [round(x, 2) for x in os.getloadavg()]},
           'rule': rule, 'chosen': chosen, 'runs': runs}
    Path(a.results).write_text(json.dumps(rec, indent=1) + '\n')
    print(json.dumps(rec['chosen']))


def tuning_source(package, out):
    "(folder, files): the four fifths of `package`'s files that bench_finetune trains on, copied to `out`/tune-src."
    src = fetch(package, out/'src')
    train, _ = split_files(user_files([src]), 0.2, 0)          # exactly what bench_finetune trains on
    tune = out/'tune-src'
    shutil.rmtree(tune, ignore_errors=True)
    for name, f, _ in train:
        (tune/name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, tune/name)
    return tune, train

def finetune_split(folder):
    "(trained, tuning, kept aside): the files of `folder` as `finetune` (with `keep_best`) splits them: it trains on the first, reports on the second and chooses its step by the third."
    fit, held = split_files(user_files([folder]), 0.2, 0)
    _, stop = split_files(fit, 0.1, 1)
    return [f for f in fit if f not in stop], held, stop

def write_record(path, tool, load0, **fields):
    "Write the experiment record `fields` to `path`, with the date, the command that ran `tool` and the machine."
    rec = {'date': time.strftime('%Y-%m-%d'), 'command': f'python tools/{tool} ' + ' '.join(sys.argv[1:]), **fields,
           'machine': {'cpus': os.cpu_count(), 'torch': torch.__version__, 'python': platform.python_version(),
                       'load_average_at_start': [round(x, 2) for x in load0]}}
    Path(path).write_text(json.dumps(rec, indent=1) + '\n')

def _type(path, windows, chars, place_bars=None, **options):
    "Keystrokes saved typing `windows` with checkpoint `path` (and the memory.pt beside it, if any) and completer `options`, through word-mode `place_bars` when given (in a worker process, one thread)."
    completer = ThresholdCompleter(load_completer(path), place_bars, stop='word') if place_bars else load_completer(path)
    r = keystroke_eval(completer, [str(windows)], max_chars=chars, progress=False, **options)
    return {k: r[k] for k in ('chars', 'keys', 'saved', 'offered', 'accepted', 'precision')}

def blends(run, r, a):
    "Each blend of the run's fine-tuned model with the original, typing the tuning files and the general tuning windows."
    tuned_path = run/('model.pt' if r['kept'] == 'finetuned' else 'finetuned.pt')
    base, tok, _ = load_checkpoint(DEFAULT_CHECKPOINT)
    paths = {0.0: DEFAULT_CHECKPOINT, 1.0: tuned_path}
    for b in a.blend:
        if 0 < b < 1:
            tuned, _, ck = load_checkpoint(tuned_path)
            paths[b] = run/f'blend{b:g}.pt'
            save_checkpoint(paths[b], blend_weights(base, tuned, b), tok, {**ck.get('meta', {}), 'blend': b})
    jobs = {}
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context('spawn')) as pool:     # two cores, one thread each
        for b, path in paths.items():
            jobs[b, 'general'] = pool.submit(_type, path, a.general_windows, a.general_chars)
            if 0 < b < 1: jobs[b, 'project'] = pool.submit(_type, path, run/'heldout.json', None)
        got = {k: f.result() for k, f in jobs.items()}
    project = {0.0: r['before']['heldout'], 1.0: r['after']['heldout'], **{b: got[b, 'project'] for b in paths if 0 < b < 1}}
    out = []
    for b in sorted(b for b in paths if b > 0):
        out.append({'blend': b, 'project': project[b], 'general': got[b, 'general'],
                    'gain_points': round(100 * (project[b]['saved'] - project[0.0]['saved']), 2),
                    'general_cost_points': round(100 * (got[0.0, 'general']['saved'] - got[b, 'general']['saved']), 2)})
        print(json.dumps({k: out[-1][k] for k in ('blend', 'gain_points', 'general_cost_points')}), flush=True)
    return out


if __name__ == '__main__':
    main()
