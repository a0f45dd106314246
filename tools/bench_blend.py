"""Blend a finished fine-tuning run with the original model, and type the run's held-out files and general windows.

    python tools/bench_finetune.py --out runs/finetune-bench ...         # first: the run, and its figures at blend 1
    python tools/bench_blend.py runs/finetune-bench/run [--blend 0.25 0.5 0.75] [--general data/heldout/windows.json]
                                [--results results/finetune_blend.json]
    # choosing the blend, on tuning data only (the run of tools/finetune_tune.py and the general *tuning* windows):
    python tools/bench_blend.py runs/finetune-blend/lr0.003-bs16 --general data/heldout/tune.json --general-chars 600 \\
                                --choose 1.0 --results results/finetune_blend_tuning.json

Each blend keeps a share of the fine-tuning's change to the weights (`ssl4code.learn.blend_weights`,
the same as `ssl4code finetune --blend`). The original model is blend 0, the fine-tuned one blend 1;
their figures on the run's held-out files come from its `finetune.json` (and on the general windows
too when the run checked them); everything else is typed here by the same simulated user, with
one thread per worker, two workers. With `--choose MAX_COST` the record also names the blend with
the largest gain among those that cost at most MAX_COST points of keystrokes saved on the general
windows (the issue's limit is 1) and are no less precise on the held-out files than the original:
a choice to make on tuning data, never on the data reported on.

`--min-prob` also tries other bars for word suggestions with each blend (`finetune --min-prob`,
kept in the checkpoint): a model tuned on one project is surer of itself, and at the usual bar
it shows more wrong guesses. `default` is the completer's own bar. The original always keeps its
default bar: it is the model as users have it.
"""
import argparse, json, multiprocessing, os, platform, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from finetune_tune import _type     # keystrokes saved by one checkpoint, in a worker process

from ssl4code.checkpoint import load_checkpoint, save_checkpoint
from ssl4code.learn import blend_weights

KEEP = ('chars', 'keys', 'saved', 'offered', 'accepted', 'precision')


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('run', help='a finetune RUN_DIR whose model.pt (or finetuned.pt) is the fine-tuned model')
    p.add_argument('--blend', type=float, nargs='+', default=[0.25, 0.5, 0.75])
    p.add_argument('--general', default='data/heldout/windows.json')
    p.add_argument('--general-chars', type=int, help='type only the first N characters of each general window')
    p.add_argument('--min-prob', nargs='+', default=[None], type=lambda s: None if s == 'default' else float(s),
                   help="bars for word suggestions to try with each blend ('default': the completer's)")
    p.add_argument('--model', help="the fine-tuned checkpoint, when not the run's own model.pt (a snapshot of tools/finetune_steps.py)")
    p.add_argument('--choose', type=float, metavar='MAX_COST', help='name the best blend that costs at most MAX_COST points')
    p.add_argument('--results', default='results/finetune_blend.json')
    a = p.parse_args()
    run = Path(a.run)
    rep = json.loads((run/'finetune.json').read_text())
    tuned_path = Path(a.model) if a.model else run/('model.pt' if rep['kept'] == 'finetuned' else 'finetuned.pt')
    base, tok, _ = load_checkpoint(rep['checkpoint'])
    paths = {0.0: Path(rep['checkpoint']), 1.0: tuned_path}
    for b in a.blend:
        tuned, _, ck = load_checkpoint(tuned_path)
        paths[b] = run/f'blend{b:g}.pt'
        save_checkpoint(paths[b], blend_weights(base, tuned, b), tok, {**ck.get('meta', {}), 'blend': b})
    checked = next((k for k in rep['before'] if k != 'heldout' and Path(k).resolve() == Path(a.general).resolve()), None)
    known = {}
    for b, side in ((0.0, 'before'), (1.0, 'after')):
        if side == 'after' and (rep.get('min_prob') or a.model): continue    # another bar, or another model, than those tried here
        known[(b, None), 'heldout'] = {k: rep[side]['heldout'][k] for k in KEEP}
        if checked and a.general_chars is None: known[(b, None), 'general'] = {k: rep[side][checked][k] for k in KEEP}
    configs = [(0.0, None)] + [(b, m) for b in sorted(paths) if b > 0 for m in a.min_prob]
    load0, t0 = os.getloadavg(), time.time()
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context('spawn')) as pool:     # two cores, one thread each
        jobs = {(c, s): pool.submit(_type, paths[c[0]], w, n, **({'min_prob': c[1]} if c[1] else {})) for c in configs
                for s, w, n in (('heldout', run/'heldout.json', None), ('general', a.general, a.general_chars)) if (c, s) not in known}
        got = {**known, **{k: f.result() for k, f in jobs.items()}}
    rows = [{'blend': b, 'min_prob': m, 'heldout': got[(b, m), 'heldout'], 'general': got[(b, m), 'general']} for b, m in configs]
    for r in rows:
        r['gain_points'] = round(100 * (r['heldout']['saved'] - rows[0]['heldout']['saved']), 2)
        r['general_cost_points'] = round(100 * (rows[0]['general']['saved'] - r['general']['saved']), 2)
        r['met'] = r['gain_points'] >= 8 and r['heldout']['precision'] >= 0.5 and r['general_cost_points'] <= 1
        print(json.dumps({k: r[k] for k in ('blend', 'min_prob', 'gain_points', 'general_cost_points', 'met')} | {'precision': r['heldout']['precision']}), flush=True)
    out = {'date': time.strftime('%Y-%m-%d'), 'command': 'python tools/bench_blend.py ' + ' '.join(sys.argv[1:]),
           'run': str(run), 'model': str(tuned_path), 'run_settings': {k: rep[k] for k in ('steps', 'seconds', 'lr', 'general', 'train_files', 'heldout_files')},
           'general_windows': a.general, 'general_chars': a.general_chars,
           'machine': {'cpus': os.cpu_count(), 'torch': torch.__version__, 'python': platform.python_version(),
                       'load_average_at_start': [round(x, 2) for x in load0],
                       'load_average_at_end': [round(x, 2) for x in os.getloadavg()], 'wall_seconds': round(time.time() - t0, 1)},
           'rows': rows}
    if a.choose is not None:
        fine = [r for r in rows if r['blend'] > 0 and r['general_cost_points'] <= a.choose
                and r['heldout']['precision'] >= rows[0]['heldout']['precision']]
        out['rule'] = (f'the largest gain on the held-out files among the blends (and bars) that cost at most {a.choose:g} points '
                       'on the general windows and are at least as precise on the held-out files as the original')
        best = max(fine, key=lambda r: r['gain_points']) if fine else None
        out['chosen'] = best and {'blend': best['blend'], 'min_prob': best['min_prob']}
        print(json.dumps({'chosen': out['chosen']}))
    Path(a.results).write_text(json.dumps(out, indent=1) + '\n')


if __name__ == '__main__':
    main()
