"""A memory of the project instead of fine-tuning: the shipped model with a kNN-LM datastore (tuning data only).

    python tools/finetune_knn.py '{"lam": 0}' '{"delta": 250, "lam": 0.5}' '{"delta": 500, "lam": 0.7, "min_prob": 0.18}'
                                 [--package sqlglot==25.20.1] [--out runs/finetune-knn] [--results results/finetune_knn_tuning.json]

kNN-LM (Khandelwal et al. 2020, "Generalization through Memorization"): run the model once over
the project's files and keep, for every token, the model's last hidden state (the input of its
head) as a key and the token that came next as the value. While completing, the hidden state of
the cursor looks up its `k` nearest keys; their next tokens, weighted by softmax(-distance /
`temp`), make a second next-token distribution, mixed into the model's with a share `lam`. Here
the share is given only when the nearest key is closer than `delta` (squared L2 distance): far
from anything in the project, on general code, the model is left alone. `--checkpoint` takes
another model, e.g. one fine-tuned on the same files (its own hidden states become the keys).

The files are those of `tools/finetune_steps.py`: the datastore holds the files `finetune` trains
on there (four fifths of sqlglot's tuning four fifths, less the tenth it keeps aside), and each
setting types the same tuning files and general *tuning* windows, in process, one thread each, so
that the figures compare with `results/finetune_steps_*_tuning.json`. Setting keys: `lam` (0 is
the shipped model alone), `delta`, `temp` (default 100), `k` (default 32), `min_prob` (the
completer's bar), `cells` (the memory's cells; 1 searches every key), `probe`, and `theta` (a switch
to the shipped model where the code before the line is no nearer the project than that:
`ssl4code.memory.ProjectCompleter`). The project's reporting files are never read.

The memory is `ssl4code.memory`'s (`08a_memory`). The figures recorded before it existed
(`results/finetune_knn_*` and `results/finetune_memory_{index,bars,switch}_tuning.json`) came from
this tool's own copies at commit 8c6cfff: the same mixture and index; its switch measured
nearness with the beam's 8-cell search and a cap of 3,000 where the module uses each token's own
cell and a cap of six times `delta`.
"""
import argparse, json, multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import torch

from ssl4code.checkpoint import DEFAULT_CHECKPOINT, load_checkpoint
from ssl4code.complete import Completer
from ssl4code.evaluate import keystroke_eval
from ssl4code.learn import heldout_windows
from ssl4code.memory import Memory, MemoryModel, ProjectCompleter, read_project

sys.path.insert(0, str(Path(__file__).parent))
from finetune_tune import finetune_split, tuning_source, write_record


def datastore(checkpoint, files, path):
    "Keys, values and file numbers of the model of `checkpoint` reading `files`, saved to `path`."
    model, tok, _ = load_checkpoint(checkpoint)
    keys, values, numbers = read_project(model, tok, [text for _, _, text in files])   # the texts finetune reads
    torch.save((keys, values, numbers), path)
    return keys.shape


def type_with(checkpoint, store, setting, windows, chars):
    "Keystrokes saved typing `windows` with the model of `checkpoint` and the datastore `store` under `setting` (in a worker process, one thread)."
    torch.set_num_threads(1)
    s = dict(setting)
    min_prob, cells = s.pop('min_prob', None), s.pop('cells', 1024)
    s.setdefault('delta', float('inf'))    # no gate unless one is given
    model, tok, _ = load_checkpoint(checkpoint)
    completer, built = Completer(model=model, tokenizer=tok), None
    if s['lam'] or s.get('theta'):
        t0 = time.time()
        memory = Memory.index(*torch.load(store, weights_only=True), cells=cells, **({'probe': 1} if cells == 1 else {}) | s)
        built = round(time.time() - t0, 1)
        completer = Completer(model=MemoryModel(model, memory), tokenizer=tok)
        if s.get('theta'):
            memory.settings['min_prob'] = min_prob
            completer.word_bar = min_prob
            completer = ProjectCompleter(Completer(), completer)
    t0 = time.time()
    r = keystroke_eval(completer, [str(windows)], max_chars=chars, progress=False,
                       **({'min_prob': min_prob} if min_prob and not s.get('theta') else {}))
    switch = isinstance(completer, ProjectCompleter)
    return ({k: r[k] for k in ('chars', 'keys', 'saved', 'offered', 'accepted', 'precision', 'p50_ms', 'p99_ms')}
            | {'seconds': round(time.time() - t0)} | ({'index_seconds': built} if built is not None else {})
            | ({'to_project': round(completer.to_project / max(1, completer.asked), 3)} if switch else {}))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('settings', nargs='+', help='JSON objects, e.g. \'{"delta": 250, "lam": 0.5}\'')
    p.add_argument('--package', default='sqlglot==25.20.1')
    p.add_argument('--checkpoint', default=str(DEFAULT_CHECKPOINT), help='the model (default: the shipped one); its own hidden states are the keys')
    p.add_argument('--eval-chars', type=int, default=600)
    p.add_argument('--general-windows', default='data/heldout/tune.json')
    p.add_argument('--general-chars', type=int, default=600, help='characters typed per general window (0: type none)')
    p.add_argument('--out', default='runs/finetune-knn')
    p.add_argument('--results', default='results/finetune_knn_tuning.json')
    a = p.parse_args()
    settings = [json.loads(s) for s in a.settings]
    out, load0 = Path(a.out), os.getloadavg()
    tune, _ = tuning_source(a.package, out)
    trained, held, _ = finetune_split(tune)      # the files finetune trains on in tools/finetune_steps.py
    store = out/'datastore.pt'
    n, dims = datastore(a.checkpoint, trained, store)
    sets = {'tuning_files': (heldout_windows(held, out/'heldout.json', a.eval_chars), None)}
    if a.general_chars: sets['general'] = (a.general_windows, a.general_chars)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context('spawn')) as pool:     # two cores, one thread each
        jobs = {(i, k): pool.submit(type_with, a.checkpoint, store, s, w, c) for i, s in enumerate(settings) for k, (w, c) in sets.items()}
        got = {k: f.result() for k, f in jobs.items()}
    rows = [{'setting': s, **{k: got[i, k] for k in sets}} for i, s in enumerate(settings)]
    base = next((r for r in rows if not r['setting']['lam'] and 'min_prob' not in r['setting']), None)
    for r in rows:
        if base:
            r['gain_points'] = round(100 * (r['tuning_files']['saved'] - base['tuning_files']['saved']), 2)
            if 'general' in sets: r['general_cost_points'] = round(100 * (base['general']['saved'] - r['general']['saved']), 2)
        print(json.dumps({'setting': r['setting'], 'gain': r.get('gain_points'), 'cost': r.get('general_cost_points'),
                          'precision': r['tuning_files']['precision'], 'p50_ms': r['tuning_files']['p50_ms']}), flush=True)
    write_record(a.results, 'finetune_knn.py', load0, project=a.package, checkpoint=a.checkpoint,
                 datastore={'files': len(trained), 'tokens': n, 'key_dims': dims, 'bytes_fp16': n * dims * 2},
                 files={'tuning_files': len(held)}, rows=rows)


if __name__ == '__main__':
    main()
