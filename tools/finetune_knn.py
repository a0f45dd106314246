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
import torch.nn.functional as F

from ssl4code.checkpoint import DEFAULT_CHECKPOINT, load_checkpoint
from ssl4code.complete import Completer
from ssl4code.evaluate import keystroke_eval
from ssl4code.learn import heldout_windows

sys.path.insert(0, str(Path(__file__).parent))
from finetune_tune import finetune_split, tuning_source, write_record


class IVFIndex:
    """An inverted-file index of `keys` (Jégou et al. 2011): k-means splits them into `cells`; a query
    measures its distance to the cells' centres and then only to the keys of its `probe` nearest
    cells. Exact search reads the whole datastore (151 MB) for every step of the beam, which is
    what made the memory eight times slower; here a query reads about `probe / cells` of it."""
    def __init__(self, keys, cells=1024, iters=8, seed=0):
        g = torch.Generator().manual_seed(seed)
        sample = keys[torch.randperm(len(keys), generator=g)[:64 * cells]]
        centres = sample[:cells].clone()
        for _ in range(iters):                                   # Lloyd's k-means on a sample
            at = _nearest(sample, centres)
            sums = torch.zeros_like(centres).index_add_(0, at, sample)
            n = torch.bincount(at, minlength=cells)[:, None]
            centres = torch.where(n > 0, sums / n.clamp_min(1), centres)
        at = _nearest(keys, centres)
        self.order = at.argsort()                                 # the keys, cell by cell
        self.keys, self.centres = keys[self.order], centres
        self.norms = (self.keys * self.keys).sum(1)
        ends = torch.bincount(at, minlength=cells).cumsum(0)
        self.ranges = [slice(int(b), int(e)) for b, e in zip(torch.cat([ends.new_zeros(1), ends[:-1]]), ends)]   # a cell's keys are one slice: no copy

    def search(self, h, k, probe=16):
        "Squared distances and datastore positions of (about) the `k` nearest keys to each row of `h`."
        near = _sqdist(h, self.centres, (self.centres ** 2).sum(1)).topk(probe, largest=False).indices
        # The rows of one beam step share most of their cells: search the union once, as one product.
        cells = near.unique().tolist()
        pos = torch.cat([torch.arange(self.ranges[c].start, self.ranges[c].stop) for c in cells])
        d = torch.cat([_sqdist(h, self.keys[self.ranges[c]], self.norms[self.ranges[c]]) for c in cells], 1)
        d, i = d.topk(min(k, d.shape[1]), largest=False)
        return F.pad(d, (0, k - d.shape[1]), value=float('inf')), F.pad(self.order[pos[i]], (0, k - d.shape[1]))


def _sqdist(h, keys, norms): return norms[None] - 2 * h @ keys.T + (h * h).sum(1, keepdim=True)
def _nearest(x, centres, chunk=16384):
    norms = (centres ** 2).sum(1)
    return torch.cat([_sqdist(x[i:i + chunk], centres, norms).argmin(1) for i in range(0, len(x), chunk)])


class KNNModel(nn.Module):
    "`model` whose next-token distributions are mixed with those of its `k` nearest keys in the datastore (`keys`, `values`)."
    def __init__(self, model, keys, values, lam, delta=float('inf'), temp=100.0, k=32, index=None, probe=16):
        super().__init__()
        self.model, self.keys, self.values, self.k = model, keys, values, k
        self.lam, self.delta, self.temp, self.index, self.probe = lam, delta, temp, index, probe
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
        if not self.lam: return logits, state
        B, T, V = logits.shape
        at = slice(T - 1, T) if T > 16 else slice(0, T)   # reading a long prompt, the completer uses only its last position
        h = self.hidden[:, at].float().reshape(-1, self.keys.shape[1])
        if self.index is None: d, i = _sqdist(h, self.keys, self.key_norms).topk(self.k, largest=False)
        else: d, i = self.index.search(h, self.k, self.probe)
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


class Routed:
    """Completions from `project` (the fine-tuned model with its memory) where the code before the
    cursor looks like the project, else from `general` (the shipped model). How it looks: the mean
    distance from each of its last `n` tokens' hidden states (the project model's) to its nearest key
    in the memory, below `theta`. It is measured on the text before the cursor's line, which stays
    put while a line is typed, so once per line."""
    def __init__(self, general, project, knn, theta, n=64, bar=None):
        self.general, self.project, self.knn, self.theta, self.n, self.bar = general, project, knn, theta, n, bar
        self.seen, self.asked, self.to_project = {}, 0, 0

    def nearness(self, text):
        ids = self.project.tok.encode(text[-4000:], add_special_tokens=False).ids[-self.n:]
        if len(ids) < 8: return float('inf')            # too little to tell: the general model
        with torch.inference_mode(): self.knn.model(torch.tensor([ids]))
        d, _ = self.knn.index.search(self.knn.hidden[0].float(), 1, self.knn.probe)
        return d[:, 0].clamp_max(3000).mean().item()    # one far token (a new name) must not decide alone

    def __call__(self, prefix, suffix='', **options):
        head = prefix[:prefix.rfind('\n') + 1]
        if head not in self.seen:
            if len(self.seen) > 256: self.seen.clear()
            self.seen[head] = self.nearness(head) < self.theta
        self.asked += 1
        if not self.seen[head]: return self.general(prefix, suffix, **options)
        self.to_project += 1
        return self.project(prefix, suffix, **(options | ({'min_prob': self.bar} if self.bar else {})))


def type_with(checkpoint, store, setting, windows, chars):
    "Keystrokes saved typing `windows` with the model of `checkpoint` and the datastore `store` under `setting` (in a worker process, one thread)."
    torch.set_num_threads(1)
    s = dict(setting)
    min_prob, lam, theta = s.pop('min_prob', None), s.pop('lam'), s.pop('theta', None)
    model, tok, _ = load_checkpoint(checkpoint)
    built = None
    if lam or theta:
        keys, values = torch.load(store, weights_only=True)
        cells, t0 = s.pop('cells', 0), time.time()
        index = IVFIndex(keys.float(), cells) if cells else None
        built = round(time.time() - t0, 1)
        model = KNNModel(model.eval(), keys.float(), values, lam, index=index, **s)
    completer = Completer(model=model, tokenizer=tok)
    if theta: completer = Routed(Completer(), completer, model, theta, bar=min_prob)
    t0 = time.time()
    r = keystroke_eval(completer, [str(windows)], max_chars=chars, progress=False,
                       **({'min_prob': min_prob} if min_prob and not theta else {}))
    return ({k: r[k] for k in ('chars', 'keys', 'saved', 'offered', 'accepted', 'precision', 'p50_ms', 'p99_ms')}
            | {'seconds': round(time.time() - t0)} | ({'index_seconds': built} if built is not None else {})
            | ({'to_project': round(completer.to_project / max(1, completer.asked), 3)} if theta else {}))


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
