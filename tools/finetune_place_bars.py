"""An experiment: per-place bars (08_learn's calibration) for a fine-tuned model, learnt on the user's own files.

    python tools/finetune_place_bars.py RUN_OUT [--snapshot PATH] [--chars 3000] [--results FILE]

RUN_OUT is the `--out` folder of tools/finetune_steps.py. The simulated user types the files that
`finetune` kept aside (their first `--chars` characters) with the fine-tuned model, and
`place_thresholds` raises the bar at each cursor place (line start, after a dot, ...) where the
suggestions shown were rarely taken, losing at most 2 % of the characters accepted there. Then the
model types the tuning files and the general tuning windows with and without those bars. The
question: is the fine-tuned model's lost precision concentrated in some places, where the user's own
files could find it? The project's reporting files are never read.
"""
import argparse, json, multiprocessing, os, sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import torch

from ssl4code.complete import Completer
from ssl4code.learn import EventLog, heldout_windows, place_thresholds, read_events, record_typing

sys.path.insert(0, str(Path(__file__).parent))
from finetune_tune import _type, finetune_split, write_record     # keystrokes saved by one checkpoint, in a worker process; the record


def learn_bars(path, windows, log_path):
    "Per-place bars for word completions from the simulated user typing `windows` with checkpoint `path`."
    torch.set_num_threads(2)
    log_path.unlink(missing_ok=True)
    c = Completer(str(path))
    with EventLog(log_path) as log: record_typing(c, [windows], log)
    return place_thresholds(read_events(log_path), Completer.STOP_DEFAULTS['word']['min_prob'], stop='word', min_views=20)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('out', help='the --out folder of tools/finetune_steps.py')
    p.add_argument('--snapshot', help='the fine-tuned weights (default: the last snapshot)')
    p.add_argument('--chars', type=int, default=3000, help='characters typed per kept-aside file to learn the bars')
    p.add_argument('--general-windows', default='data/heldout/tune.json')
    p.add_argument('--general-chars', type=int, default=600)
    p.add_argument('--results', default='results/finetune_place_bars_tuning.json')
    a = p.parse_args()
    out = Path(a.out)
    snap = Path(a.snapshot) if a.snapshot else max((out/'snapshots').glob('step*.pt'), key=lambda f: int(f.stem[4:]))
    _, _, stop = finetune_split(out/'tune-src')      # the files finetune kept aside, found the way it found them
    load0 = os.getloadavg()
    bars = learn_bars(snap, heldout_windows(stop, out/f'stop{a.chars}.json', a.chars), out/'place_bars_events.jsonl')
    print('bars', {k: round(v, 3) for k, v in bars.items()}, flush=True)
    sets = {'tuning_files': (out/'run'/'heldout.json', None), 'general': (a.general_windows, a.general_chars)}
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context('spawn')) as pool:     # two cores, one thread each
        jobs = {(b, k): pool.submit(_type, snap, w, n, place_bars=bars if b else None) for b in (False, True) for k, (w, n) in sets.items()}
        got = {k: f.result() for k, f in jobs.items()}
    rows = [{'place_bars': b, **{k: got[b, k] for k in sets}} for b in (False, True)]
    for r in rows: print(json.dumps({k: (v['saved'], v['precision']) if isinstance(v, dict) else v for k, v in r.items()}), flush=True)
    write_record(a.results, 'finetune_place_bars.py', load0, snapshot=str(snap), kept_aside_files=len(stop), chars_per_file=a.chars,
                 bars={k: round(v, 4) for k, v in bars.items()}, rows=rows)


if __name__ == '__main__':
    main()
