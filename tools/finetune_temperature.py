"""An experiment: give a fine-tuned model back its modesty with a temperature fitted on the user's files.

    python tools/finetune_temperature.py RUN_OUT [--snapshot PATH] [--temperatures 1.1 1.2 ...]
                                         [--general-windows data/heldout/tune.json] [--results FILE]

RUN_OUT is the `--out` folder of tools/finetune_steps.py: its `run/` (the fine-tuning run on the tuning
files), `stop.json` (the files kept aside) and `snapshots/`. The question: fine-tuning on one project
makes the model surer of itself everywhere, so more suggestions pass the bar and fewer are right. A
single temperature T (logits / T; Guo et al. 2017) chosen by the loss on the files kept aside undoes
overconfidence without changing which token is likeliest. With no bias in the output layer, dividing
the final LayerNorm's weight and bias by T divides every logit by T, so a tempered model is an
ordinary checkpoint.

It fits T for the original and for the fine-tuned model on the kept-aside files (the loss at each
temperature of a grid), then types the tuning files, the kept-aside files and the general tuning
windows with the fine-tuned model at the fitted T and at each `--temperatures`. The project's reporting
files are never read.
"""
import argparse, json, multiprocessing, os, sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import torch

from ssl4code.checkpoint import DEFAULT_CHECKPOINT, load_checkpoint, save_checkpoint
from ssl4code.metrics import evaluate_dir

sys.path.insert(0, str(Path(__file__).parent))
from finetune_tune import _type, write_record     # keystrokes saved by one checkpoint, in a worker process; the record

GRID = [round(0.8 + 0.05 * i, 2) for i in range(25)]     # 0.8 ... 2.0


def tempered(model, t):
    "`model` (changed in place) whose logits are divided by `t`: the final LayerNorm scaled by 1 / t."
    with torch.no_grad():
        model.ln.weight.div_(t)
        model.ln.bias.div_(t)
    return model


def fit_temperature(path, data_dir):
    "(best T, {T: loss}) of checkpoint `path` on the valid split of `data_dir`."
    model, tok, _ = load_checkpoint(path)
    model.eval()
    losses, now = {}, 1.0
    for t in GRID:
        tempered(model, t / now)         # from temperature `now` to `t`
        now = t
        losses[t] = round(evaluate_dir(model, tok, data_dir, device='cpu')['loss'], 5)
    return min(losses, key=losses.get), losses


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('out', help='the --out folder of tools/finetune_steps.py')
    p.add_argument('--snapshot', help='the fine-tuned weights (default: the last snapshot)')
    p.add_argument('--temperatures', type=float, nargs='*', default=[], help='more temperatures to type with')
    p.add_argument('--general-windows', default='data/heldout/tune.json')
    p.add_argument('--general-chars', type=int, default=600)
    p.add_argument('--results', default='results/finetune_temperature_tuning.json')
    a = p.parse_args()
    out = Path(a.out)
    snaps = sorted((out/'snapshots').glob('step*.pt'), key=lambda f: int(f.stem[4:]))
    snap = Path(a.snapshot) if a.snapshot else snaps[-1]
    data = out/'run'/'data'                 # its valid split holds the files kept aside
    torch.set_num_threads(2)
    t0, loss0 = fit_temperature(DEFAULT_CHECKPOINT, data)
    t1, loss1 = fit_temperature(snap, data)
    print(f'fitted on the kept-aside files: original T={t0} (loss {loss0[t0]} vs {loss0[1.0]} at 1), '
          f'fine-tuned T={t1} (loss {loss1[t1]} vs {loss1[1.0]} at 1)', flush=True)
    temps = sorted({1.0, t1, *a.temperatures})
    paths = {'original': DEFAULT_CHECKPOINT}
    for t in temps:
        model, tok, ck = load_checkpoint(snap)
        paths[t] = out/f'tempered{t:g}.pt'
        save_checkpoint(paths[t], tempered(model, t), tok, {**ck.get('meta', {}), 'temperature': t})
    sets = {'tuning_files': (out/'run'/'heldout.json', None), 'kept_aside': (out/'stop.json', None),
            'general': (a.general_windows, a.general_chars)}
    load0 = os.getloadavg()
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context('spawn')) as pool:     # two cores, one thread each
        jobs = {(t, k): pool.submit(_type, path, w, n) for t, path in paths.items() for k, (w, n) in sets.items()}
        got = {k: f.result() for k, f in jobs.items()}
    rows = []
    for t in paths:
        row = {'model': 'original' if t == 'original' else 'fine-tuned', 'temperature': 1.0 if t == 'original' else t,
               **{k: got[t, k] for k in sets}}
        row['gain_points'] = round(100 * (got[t, 'tuning_files']['saved'] - got['original', 'tuning_files']['saved']), 2)
        row['general_cost_points'] = round(100 * (got['original', 'general']['saved'] - got[t, 'general']['saved']), 2)
        rows.append(row)
        print(json.dumps({k: row[k] for k in ('model', 'temperature', 'gain_points', 'general_cost_points')}
                         | {'precision': row['tuning_files']['precision'], 'general_precision': row['general']['precision']}), flush=True)
    write_record(a.results, 'finetune_temperature.py', load0, snapshot=str(snap), fitted={'original': t0, 'finetuned': t1},
                 kept_aside_loss={'original': loss0, 'finetuned': loss1}, rows=rows)


if __name__ == '__main__':
    main()
