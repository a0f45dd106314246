"""Does fill-in-the-middle training cost left-to-right quality, and what is the suffix worth? (issue 18)

Evaluates course Transformers trained with and without `--fim-rate` (see `results/fim_course.json`
for the training commands) on the same held-out code: validation bits per character, line and
block completion with and without the suffix (`ssl4code.evaluate.completion_eval`), and word-mode
keystrokes saved (`keystroke_eval`), one thread each. Writes the figures, the commands and the
machine to OUT (a JSON file); `nbs/04_train.ipynb` plots them.

    python tools/fim_course.py --run fim0=runs/fim_course/fim0 --run fim0.5=runs/fim_course/fim0.5 \
        --data data/stdlib --windows /work/main/data/heldout/windows.json --out results/fim_course.json
"""
import argparse, json, os, platform, sys, time
from pathlib import Path

import torch

from ssl4code.checkpoint import load_checkpoint
from ssl4code.complete import Completer
from ssl4code.evaluate import completion_eval, keystroke_eval
from ssl4code.metrics import evaluate_dir


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--run', action='append', required=True, metavar='NAME=RUN_DIR_OR_CKPT')
    p.add_argument('--data', help='corpus folder whose valid split gives the bits per character')
    p.add_argument('--windows', required=True, help='held-out windows.json')
    p.add_argument('--tasks', type=int, default=200)
    p.add_argument('--keystroke-chars', type=int, default=600, help='characters typed per window (word mode)')
    p.add_argument('--train-command', action='append', default=[], help='the commands that trained the runs, recorded as given')
    p.add_argument('--no-bpc', action='store_true', help='skip the validation bits per character (a model of another corpus)')
    p.add_argument('--out', required=True)
    a = p.parse_args(argv)
    torch.set_num_threads(1)
    out = {'command': 'python tools/fim_course.py ' + ' '.join(sys.argv[1:]), 'train_commands': a.train_command,
           'date': time.strftime('%Y-%m-%d'), 'windows': a.windows, 'tasks': a.tasks,
           'machine': {'cpus': os.cpu_count(), 'torch_threads': 1, 'torch': torch.__version__,
                       'python': platform.python_version(), 'load_before': round(os.getloadavg()[0], 2)},
           'runs': {}}
    for spec in a.run:
        name, path = spec.split('=', 1)
        path = Path(path)
        ckpt = path/'model.pt' if path.is_dir() else path
        t0 = time.time()
        model, tok, ck = load_checkpoint(ckpt)
        meta = ck.get('meta', {})
        r = {'checkpoint': str(ckpt), 'fim_rate': meta.get('fim_rate', 0.0), 'params': model.num_params(),
             'steps': meta.get('step'), 'train_tokens': meta.get('tokens'), 'train_seconds': meta.get('seconds')}
        log = path/'log.jsonl' if path.is_dir() else None
        if log and log.exists():
            recs = [json.loads(l) for l in log.read_text().splitlines() if l.strip()]
            r['valid_curve'] = [(x['tokens'], x['bpc']) for x in recs if x['kind'] == 'valid']
        if not a.no_bpc:
            v = evaluate_dir(model, tok, a.data, 'valid', batch_size=8, seq_len=getattr(model.config, 'context', 256))
            r['valid'] = {k: round(x, 5) if isinstance(x, float) else x for k, x in v.items()}
        comp = Completer(str(ckpt))
        r.update(completion_eval(comp, [a.windows], a.tasks))
        ks = keystroke_eval(comp, [a.windows], max_chars=a.keystroke_chars, progress=False)
        ks.pop('per_file')
        r['keystrokes'] = ks
        r['eval_seconds'] = round(time.time() - t0, 1)
        out['runs'][name] = r
        print(name, json.dumps({k: v for k, v in r.items() if k != 'valid_curve'}), file=sys.stderr)
    out['machine']['load_after'] = round(os.getloadavg()[0], 2)
    Path(a.out).write_text(json.dumps(out, indent=1) + '\n')


if __name__ == '__main__':
    main()
