"""Compare completers on held-out Python: the models (checkpoints) and two free baselines.

    python tools/fetch_heldout.py                      # once: pinned packages from PyPI -> data/heldout
    python tools/bench_quality.py runs/course/*/model.pt ssl4code/assets/default.pt \
        --out results/quality.json

For each checkpoint: parameters, tokens seen in training, training time, bits per character and
next-token accuracy on the held-out packages' sources, and, typing the windows of
data/heldout/windows.json one request per keystroke (the top suggestion accepted with one key
when it is right): keystrokes saved, precision (accepted / offered) and latency per request
(p50, p99; one torch thread, no HTTP). The same windows are typed with the editor's word-based
completion (`ssl4code.complete.WordCompleter`) and with Jedi's first completion when Jedi is
installed (`pip install jedi`; it is slow, so it types at most --jedi-chars of each window).
Results are written as JSON (with the machine and the command) and printed as a table.
"""
import argparse, json, os, platform, sys, time
from pathlib import Path

import torch

from ssl4code.core import atomic_path
from ssl4code.checkpoint import load_checkpoint
from ssl4code.complete import Completer, Completion, WordCompleter
from ssl4code.evaluate import keystroke_eval, typing_windows
from ssl4code.metrics import evaluate_text


class JediCompleter:
    "Jedi's first completion (static analysis), as an editor with Jedi would offer it."
    name, num_params = 'jedi', 0
    def __init__(self):
        import jedi
        self.jedi = jedi
    def __call__(self, prefix, suffix='', **options):
        line = prefix.count('\n') + 1
        col = len(prefix) - prefix.rfind('\n') - 1
        try: found = self.jedi.Script(prefix).complete(line, col)
        except Exception: return []          # Jedi fails on some half-typed code: then it offers nothing
        return [Completion(found[0].complete, 1.0)] if found and found[0].complete else []


def heldout_text(windows):
    "The held-out files, whole, joined as a corpus split is (for bpc and accuracy)."
    from ssl4code.data import FILE_SEP
    seen, parts = set(), []
    for name, text, _, _ in windows:
        if name not in seen: seen.add(name); parts.append(FILE_SEP + text)
    return ''.join(parts)


def typing(completer, args, max_chars=None, **options):
    r = keystroke_eval(completer, [args.windows], max_chars=max_chars, progress=sys.stderr.isatty(),
                       threads=args.threads, **options)
    return {k: r[k] for k in ('chars', 'keys', 'saved', 'offered', 'accepted', 'precision', 'p50_ms', 'p99_ms')}


def model_row(path, args, text):
    model, tok, ck = load_checkpoint(path, 'cpu')
    meta = ck.get('meta', {})
    torch.set_num_threads(args.threads)
    ev = evaluate_text(model, tok, text, max_tokens=args.eval_tokens)
    options = {k: v for k, v in dict(words=args.words, min_prob=args.min_prob, stop=args.stop).items() if v is not None}
    comp = Completer(model=model, tokenizer=tok)
    return dict(name=args.label.get(path) or f"{model.name} ({meta.get('preset', '?')})", checkpoint=path,
                model=model.name, params=model.num_params(), train_tokens=meta.get('tokens'),
                train_seconds=meta.get('seconds'), heldout_bpc=round(ev['bpc'], 4), heldout_acc=round(ev['acc'], 4),
                **typing(comp, args, **options))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('checkpoints', nargs='*', help='model.pt files to compare')
    p.add_argument('--windows', default='data/heldout/windows.json')
    p.add_argument('--label', action='append', default=[], metavar='PATH=NAME', help='name a checkpoint in the table')
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--eval-tokens', type=int, default=100_000, help='held-out tokens for bpc and accuracy')
    p.add_argument('--words', type=float, help="Completer's weight of the file's words (default: its own)")
    p.add_argument('--min-prob', type=float, help="Completer's min_prob (default: its own)")
    p.add_argument('--stop', choices=['word', 'line'], help="Completer's stop mode (default: its own)")
    p.add_argument('--no-baselines', action='store_true')
    p.add_argument('--jedi-chars', type=int, default=300, help='characters of each window Jedi types')
    p.add_argument('--out', help='write the results here (JSON)')
    args = p.parse_args()
    args.label = dict(x.split('=', 1) for x in args.label)
    if not Path(args.windows).exists(): sys.exit(f"{args.windows} not found: run tools/fetch_heldout.py first")
    windows = typing_windows([args.windows])
    text = heldout_text(windows)
    rows = []
    if not args.no_baselines:
        rows.append(dict(name='word completion (editor)', model='words', params=0, **typing(WordCompleter(), args)))
        try: rows.append(dict(name=f'Jedi (first {args.jedi_chars} chars of each window)', model='jedi', params=0,
                              **typing(JediCompleter(), args, max_chars=args.jedi_chars)))
        except ImportError: print('Jedi is not installed: no Jedi baseline', file=sys.stderr)
    for path in args.checkpoints:
        rows.append(model_row(path, args, text))
        print(rows[-1]['name'], {k: rows[-1][k] for k in ('saved', 'precision', 'p50_ms', 'p99_ms')}, file=sys.stderr)
    cols = ['name', 'params', 'train_tokens', 'heldout_bpc', 'heldout_acc', 'saved', 'precision', 'p50_ms', 'p99_ms']
    print(' | '.join(cols))
    for r in rows: print(' | '.join(str(r.get(c, '')) for c in cols))
    result = dict(date=time.strftime('%Y-%m-%d'), command=' '.join(['python', *sys.argv]),
                  machine=dict(cpus=os.cpu_count(), torch_threads=args.threads, torch=torch.__version__,
                               python=platform.python_version(), processor=platform.processor()),
                  windows=args.windows, windows_count=len(windows), heldout_chars=len(text), rows=rows)
    if args.out:
        with atomic_path(args.out) as tmp: tmp.write_text(json.dumps(result, indent=1))


if __name__ == '__main__': main()
