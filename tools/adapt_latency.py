"""Where the slow keystrokes of a server that learns come from (`08b_adapt`), in process.

    python tools/adapt_latency.py VARIANT [--windows data/heldout/tune.json] [--max-windows 5] [--chars 150] [--pace 0.2]

Types the first `--chars` characters of the first `--max-windows` windows at `--pace` seconds a
keystroke, asking `ghost` as `/v1/completions` does for the extension (`tools/bench_editor.py`'s
window and suffix), with an `AdaptingCompleter` learning in its background thread as in the
server, and prints one JSON line: the latency's median, 99th percentile and largest, how many
requests came while it learnt, and those that came just after a switch of model.

VARIANT: `new` (as the library is), `nowarm` (the new copy's state cache starts empty), `nogate`
(learning never waits for a request), `noadapt` (the shipped model alone). A diagnosis, not the
benchmark: the numbers to report come from `tools/bench_editor.py` through HTTP.
"""
import argparse, json, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import torch
from bench_editor import below, pacer, type_windows, window, worth_asking
from ssl4code.adapt import AdaptingCompleter
from ssl4code.complete import Completer
from ssl4code.evaluate import typing_windows
from ssl4code.serve import _tame_malloc


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('variant', choices=['new', 'nowarm', 'nogate', 'noadapt'])
    p.add_argument('--windows', default='data/heldout/tune.json')
    p.add_argument('--max-windows', type=int, default=5)
    p.add_argument('--chars', type=int, default=150)
    p.add_argument('--pace', type=float, default=0.2)
    a = p.parse_args()
    _tame_malloc(); torch.set_num_threads(1)            # as `ssl4code serve` sets itself up
    windows = typing_windows([a.windows], a.chars)[:a.max_windows]
    completer = Completer()
    completer('import os\n')
    ac, swaps = completer, []
    if a.variant != 'noadapt':
        ac = AdaptingCompleter(completer)
        if a.variant == 'nowarm': ac._warm = lambda model: None
        if a.variant == 'nogate': ac.GIVE_WAY = 0
        use = ac._use
        def logged(*args, **kw): swaps.append(time.perf_counter()); return use(*args, **kw)
        ac._use = logged
    log = []
    def suggest(text, end):
        after, wait = below(text, end), pacer(a.pace)
        def at(i):
            wait()
            prefix, suffix = window(text[:i] + after, i, 10000, 'lines')
            if not worth_asking(suffix): return None
            learning = a.variant != 'noadapt' and ac.job is not None
            t = time.perf_counter(); got = ac.ghost(prefix, suffix); log.append((t, 1000 * (time.perf_counter() - t), learning))
            return got[0].text if got else None
        return at
    counts = type_windows(windows, suggest)
    if a.variant != 'noadapt': ac.stop()
    ms = sorted(d for _, d, _ in log)
    print(json.dumps(dict(variant=a.variant, command=' '.join(['python', *sys.argv]), requests=len(ms),
                          p50_ms=round(ms[len(ms) // 2], 1), p99_ms=round(ms[int(len(ms) * .99)], 1), max_ms=round(ms[-1], 1),
                          saved=round(1 - counts['keys'] / counts['chars'], 4), precision=round(counts['accepted'] / max(1, counts['shown']), 4),
                          while_learning=sum(l for _, _, l in log),
                          just_after_a_switch_ms=[round(d) for t, d, _ in log if any(0 < t - s < 0.25 for s in swaps)],
                          slowest_ms=[round(d) for d in ms[-12:]])), flush=True)


if __name__ == '__main__': main()
