"""Choose the ghost text's settings for a model that learns the file (`08b_adapt`) on the tuning windows.

    python tools/tune_adapt.py '{"min_prob": 0.3}' '{"min_prob": 0.3, "line_prob": 0.9}' [--adapt 20 3e-4 4] [--blocks 2]
    python tools/tune_adapt.py '{}' --no-adapt            # the shipped model, for comparison

Types the first `--chars` characters of each tuning window one key at a time, asking `ghost` at
each cursor as `/v1/completions` does for the VS Code extension (`tools/tune_copy.py`: 10,000
characters before the cursor from a line start, the code below the window after it), in process
and on one thread. An `AdaptingCompleter` learns each window's file at its first request, inside
that request (`background=False`: a user who opens a file and reads it before typing; the server
learns in the background), then every setting types the window with the copy it learnt.
`min_prob` is the copy's word bar, `line_prob` its ghost text's bar for the rest of the line
(above 1: never); with `--no-adapt` they are the shipped model's.
Prints one JSON line per setting: keystrokes saved, precision, shown. Tune on `tune.json`;
report with `bench_editor.py` on `windows.json`.
"""
import argparse, json, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import torch
from bench_editor import below, type_windows, window, worth_asking
from tune_copy import window_args
from ssl4code.adapt import AdaptingCompleter
from ssl4code.complete import Completer
from ssl4code.evaluate import typing_windows


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('settings', nargs='+', help='JSON objects: "min_prob" (the copy\'s word bar) and "line_prob" (its bar for the rest of the line; above 1: never)')
    window_args(p)
    p.add_argument('--adapt', type=float, nargs=3, default=[AdaptingCompleter.STEPS, AdaptingCompleter.LR, AdaptingCompleter.ROWS],
                   metavar=('STEPS', 'LR', 'ROWS'))
    p.add_argument('--blocks', type=int, help="only the top BLOCKS blocks and the final LayerNorm learn (default: AdaptingCompleter's)")
    p.add_argument('--no-adapt', action='store_true', help='the shipped model alone')
    a = p.parse_args()
    torch.set_num_threads(1)
    windows, settings = typing_windows([a.windows], a.chars), [json.loads(s) for s in a.settings]
    completer = Completer()
    if not a.no_adapt:
        steps, lr, rows = a.adapt
        completer = AdaptingCompleter(completer, steps=int(steps), lr=lr, rows=int(rows), blocks=a.blocks, background=False)
    totals, t0 = [dict(chars=0, keys=0, shown=0, accepted=0) for _ in settings], time.time()
    for w in windows:
        for s, total in zip(settings, totals):
            if not a.no_adapt: completer.bars = (s.get('min_prob', AdaptingCompleter.MIN_PROB), s.get('line_prob', AdaptingCompleter.LINE_PROB))
            def suggest(text, end):
                after = below(text, end)
                def at(i):
                    prefix, suffix = window(text[:i] + after, i, a.context, 'lines')
                    if not worth_asking(suffix): return None
                    if not a.no_adapt:
                        completer.observe(prefix, suffix)          # learns the file at its first request
                        if completer.text is not None: completer.completer.word_bar, completer.completer.line_prob = completer.bars
                    got = completer.ghost(prefix, suffix, block=True, **({} if not a.no_adapt else s))
                    return got[0].text if got else None
                return at
            for k, v in type_windows([w], suggest).items(): total[k] += v
        print(f'{w[0]}: {time.time() - t0:.0f} s', file=sys.stderr, flush=True)
    for s, c in zip(settings, totals):
        print(json.dumps({**s, 'adapt': None if a.no_adapt else a.adapt, 'blocks': None if a.no_adapt else a.blocks, 'saved': round(1 - c['keys'] / c['chars'], 4),
                          'precision': round(c['accepted'] / max(1, c['shown']), 4), 'shown': c['shown']}), flush=True)


if __name__ == '__main__':
    main()
