"""Choose the copy cache's settings (`copy`, `copy_chars` of `Completer`) on the tuning windows.

    python tools/tune_copy.py '{"copy": 0}' '{"copy": 0.5, "copy_chars": 20}' [--windows data/heldout/tune.json]

Types the first `--chars` characters of each tuning window one key at a time, asking
`Completer.ghost` at each cursor exactly as `/v1/completions` does for the VS Code extension
(`tools/bench_editor.py`: 10,000 characters before the cursor from a line start, a quarter as
many after, the code below the window as the text after the cursor, no request when the rest of
the line holds a word character), in process and on one thread, and accepts a suggestion when the
text ahead starts with it. Prints one JSON line per setting: keystrokes saved, precision, shown.
Tune on `tune.json`; report with `bench_editor.py` on `windows.json`.
"""
import argparse, json, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import torch
from bench_editor import below, type_windows, window, worth_asking
from ssl4code.complete import Completer
from ssl4code.evaluate import typing_windows


def type_ghost(completer, windows, context, **options):
    "Keystrokes saved, precision and suggestions shown typing `windows` through `completer.ghost` with `options`."
    def suggest(text, end):
        after = below(text, end)
        def at(i):
            prefix, suffix = window(text[:i] + after, i, context, 'lines')
            got = completer.ghost(prefix, suffix, block=True, **options) if worth_asking(suffix) else []
            return got[0].text if got else None
        return at
    c = type_windows(windows, suggest)
    return dict(saved=round(1 - c['keys'] / c['chars'], 4), precision=round(c['accepted'] / max(1, c['shown']), 4), shown=c['shown'])


def window_args(p):
    "The options that say what is typed: the tuning windows, how much of each, how much the client sends."
    p.add_argument('--windows', default='data/heldout/tune.json')
    p.add_argument('--chars', type=int, default=600, help='characters typed per window')
    p.add_argument('--context', type=int, default=10000, help="characters before the cursor the client sends")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('settings', nargs='+', help='JSON objects of Completer options, e.g. \'{"copy": 0.5}\'')
    window_args(p)
    a = p.parse_args()
    torch.set_num_threads(1)
    windows, completer = typing_windows([a.windows], a.chars), Completer()
    for s in a.settings:
        options, t0 = json.loads(s), time.time()
        r = type_ghost(completer, windows, a.context, **options)
        print(json.dumps({**options, **r, 'seconds': round(time.time() - t0)}), flush=True)


if __name__ == '__main__':
    main()
