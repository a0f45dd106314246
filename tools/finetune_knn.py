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
completer's bar). The project's reporting files are never read.
"""
import argparse, json, multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import torch
from torch import nn

from ssl4code.checkpoint import DEFAULT_CHECKPOINT, load_checkpoint
from ssl4code.complete import Completer
from ssl4code.evaluate import keystroke_eval
from ssl4code.learn import heldout_windows

sys.path.insert(0, str(Path(__file__).parent))
from finetune_tune import finetune_split, tuning_source, write_record


class KNNModel(nn.Module):
    "`model` whose next-token distributions are mixed with those of its `k` nearest keys in the datastore (`keys`, `values`)."
    def __init__(self, model, keys, values, lam, delta=float('inf'), temp=100.0, k=32):
        super().__init__()
        self.model, self.keys, self.values, self.k = model, keys, values, k
        self.lam, self.delta, self.temp = lam, delta, temp
        self.key_norms, self.hidden = (keys * keys).sum(1), None
        model.ln.register_forward_hook(self._keep)     # the final LayerNorm's output is what the head reads
        self.config, self.name = model.config, model.name

    def _keep(self, module, inputs, output): self.hidden = output
    def num_params(self): return self.model.num_params()
    def select_state(self, *a): return self.model.select_state(*a)
    def cat_states(self, *a): return self.model.cat_states(*a)
    def state_rows(self, *a): return self.model.state_rows(*a)

    def forward(self, ids, state=None):
        logits, state = self.model(ids, state)
        B, T, V = logits.shape
        at = slice(T - 1, T) if T > 16 else slice(0, T)   # reading a long prompt, the completer uses only its last position
        h = self.hidden[:, at].float().reshape(-1, self.keys.shape[1])
        dist = self.key_norms[None] - 2 * h @ self.keys.T + (h * h).sum(1, keepdim=True)
        d, i = dist.topk(self.k, largest=False)
        p_knn = torch.zeros(len(h), V).scatter_add_(1, self.values[i], (-d / self.temp).softmax(1))
        lam = self.lam * (d[:, :1] < self.delta).float()
        mixed = (1 - lam) * logits[:, at].float().reshape(-1, V).softmax(-1) + lam * p_knn
        out = logits.float().clone()
        out[:, at] = mixed.clamp_min(1e-20).log().reshape(B, -1, V)
        return out, state


def datastore(checkpoint, files, path, chunk=256):
    "Keys (hidden states) and values (next tokens) of the model of `checkpoint` reading `files`, saved to `path`."
    model, tok, _ = load_checkpoint(checkpoint)
    model.eval()
    got = {}
    model.ln.register_forward_hook(lambda m, i, o: got.__setitem__('h', o))
    keys, values, start = [], [], tok.token_to_id('<|file|>')
    with torch.inference_mode():
        for _, f, _ in files:
            ids = [start] + tok.encode(Path(f).read_text(encoding='utf-8'), add_special_tokens=False).ids
            for i in range(0, len(ids) - 1, chunk):      # windows of the model's training length, as it was trained
                y = torch.tensor(ids[i + 1:i + 1 + chunk])
                model(torch.tensor([ids[i:i + len(y)]]))
                keys.append(got['h'][0].float()); values.append(y)
    keys, values = torch.cat(keys).half(), torch.cat(values)
    torch.save((keys, values), path)
    return keys.shape


def type_with(checkpoint, store, setting, windows, chars):
    "Keystrokes saved typing `windows` with the model of `checkpoint` and the datastore `store` under `setting` (in a worker process, one thread)."
    torch.set_num_threads(1)
    s = dict(setting)
    min_prob, lam = s.pop('min_prob', None), s.pop('lam')
    model, tok, _ = load_checkpoint(checkpoint)
    if lam:
        keys, values = torch.load(store, weights_only=True)
        model = KNNModel(model.eval(), keys.float(), values, lam, **s)
    t0 = time.time()
    r = keystroke_eval(Completer(model=model, tokenizer=tok), [str(windows)], max_chars=chars, progress=False,
                       **({'min_prob': min_prob} if min_prob else {}))
    return {k: r[k] for k in ('chars', 'keys', 'saved', 'offered', 'accepted', 'precision', 'p50_ms', 'p99_ms')} | {'seconds': round(time.time() - t0)}


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
