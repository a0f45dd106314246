"""Speed of ssl4code's four models: training and inference tokens per second.

    python tools/bench_models.py                       # all four models on the CPU (and CUDA when present)
    python tools/bench_models.py --models xl --steps 20
    python tools/bench_models.py --compare-labml       # + the seed's Transformer-XL (labml-nn 0.5.1)
    python tools/bench_models.py --models none --compare-labml --rounds 3
    python tools/bench_models.py --amp --compare-labml --labml-fp32   # CPU bf16 (AMX): ssl4code train --bf16

Reference size (all models): vocab 4096, batch 8, sequence 128, d_model 256;
LSTM 2 layers; RHN 1 layer of depth 4; Transformer and XL 4 layers, 4 heads, d_ff 1024,
Transformer context 128, XL mem_len 128; dropout 0.1.

train  = forward + backward + grad-norm clip (1.0) + AdamW step on [batch, seq] tokens, state carried
         (torch's fused AdamW, as `ssl4code train` uses; the seed's side gets the same).
score  = forward without gradients on [batch, seq] chunks, state carried (evaluating a stream).
decode = one token per call for each of `batch` streams, state carried (serving), after a full state.
Figures are tokens per second from the median step time (robust to other jobs on a shared machine).

--compare-labml runs the seed's XL (labml-nn 0.5.1 with labml 0.5.x) in a subprocess with another
Python that has those installed (--labml-python, or $LABML_PYTHON; default /tmp/labmlvenv/bin/python):
    python -m venv /tmp/labmlvenv && /tmp/labmlvenv/bin/pip install torch==2.13.0 labml-nn==0.5.1 'labml<0.6'
Both are measured at the same configuration, training step, thread count and in the same run,
each in a fresh process, alternating for --rounds rounds.

OpenMP runs with the environment's settings, as `ssl4code train` would. On a quiet machine the default
(threads spin a little before they sleep) is the fastest: OMP_WAIT_POLICY=PASSIVE made our XL's training
step 1.3-1.5x slower, the seed's 1.2x. On a machine shared with other jobs, spinning threads waiting for a
descheduled partner made every figure 2-10x slower and erratic: set OMP_WAIT_POLICY=PASSIVE there.
Both sides of the comparison inherit the same setting; the header prints it.
"""
import argparse, json, os, statistics, subprocess, sys, time

import torch
import torch.nn.functional as F

VOCAB, BATCH, SEQ = 4096, 8, 128
REFERENCE = {
    'lstm': dict(d_model=256, n_layers=2, dropout=0.1),
    'rhn': dict(d_model=256, n_layers=1, depth=4, dropout=0.1),
    'transformer': dict(d_model=256, n_layers=4, n_heads=4, d_ff=1024, context=128, dropout=0.1),
    'xl': dict(d_model=256, n_layers=4, n_heads=4, d_ff=1024, mem_len=128, dropout=0.1),
}


def sync(device):
    if device == 'cuda': torch.cuda.synchronize()


def timed(fn, steps, warmup, device):
    "Median seconds of `fn()` over `steps` calls after `warmup` calls."
    for _ in range(warmup): fn()
    ts = []
    for _ in range(steps):
        sync(device); t = time.perf_counter()
        fn()
        sync(device); ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def train_step_fn(forward, params, batch_fn, device, amp):
    "A closure running one training step; `forward(x, state) -> logits, state` with state carried."
    opt = torch.optim.AdamW(params, lr=1e-4, fused=True)
    box = {'state': None}
    def step():
        x, y = batch_fn()
        with torch.autocast(device, dtype=torch.bfloat16, enabled=amp):
            logits, box['state'] = forward(x, box['state'])
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
    return step


def bench_forward(forward, device, steps, warmup, amp, decode=True):
    "Training, scoring and decoding tokens/s for `forward(x, state) -> (logits, state)`."
    def batch():
        x = torch.randint(0, VOCAB, (BATCH, SEQ + 1), device=device)
        return x[:, :-1], x[:, 1:]
    res = {}
    params = forward.params
    res['train'] = BATCH * SEQ / timed(train_step_fn(forward, params, batch, device, amp), steps, warmup, device)
    forward.eval()
    box = {'state': None}
    def score():
        with torch.inference_mode(), torch.autocast(device, dtype=torch.bfloat16, enabled=amp):
            _, box['state'] = forward(batch()[0], box['state'])
    res['score'] = BATCH * SEQ / timed(score, steps, warmup, device)
    if decode:
        def one():
            with torch.inference_mode(), torch.autocast(device, dtype=torch.bfloat16, enabled=amp):
                _, box['state'] = forward(torch.randint(0, VOCAB, (BATCH, 1), device=device), box['state'])
        res['decode'] = BATCH / timed(one, 4 * steps, warmup, device)
    forward.train()
    return res


class Ours:
    "ssl4code model as `forward(x, state)`, detaching the carried state like the trainer."
    def __init__(self, name, device, **cfg):
        from ssl4code.models import create
        self.model = create(name, VOCAB, **cfg).to(device)
        self.params = list(self.model.parameters())
    def __call__(self, x, state):
        return self.model(x, self.model.detach_state(state))
    def train(self): self.model.train()
    def eval(self): self.model.eval()


class Labml:
    "The seed's XL: labml-nn 0.5.1 TransformerXL wrapped like its experiment (seq-first, memory merged)."
    def __init__(self, device, d_model, n_heads, d_ff, n_layers, mem_len, dropout):
        import labml.tracker
        if not hasattr(labml.tracker, 'debug'): labml.tracker.debug = lambda *a, **k: None
        from labml_nn.transformers.xl import TransformerXL, TransformerXLLayer, RelativeMultiHeadAttention
        from labml_nn.transformers.feed_forward import FeedForward
        from labml_nn.transformers.utils import subsequent_mask
        self.subsequent_mask, self.mem_len = subsequent_mask, mem_len
        layer = TransformerXLLayer(d_model=d_model, self_attn=RelativeMultiHeadAttention(n_heads, d_model, dropout),
                                   feed_forward=FeedForward(d_model, d_ff, dropout), dropout_prob=dropout)
        self.model = torch.nn.ModuleDict(dict(emb=torch.nn.Embedding(VOCAB, d_model),
                                              xl=TransformerXL(layer, n_layers),
                                              out=torch.nn.Linear(d_model, VOCAB))).to(device)
        self.params = list(self.model.parameters())

    def __call__(self, x, mem):
        x = x.t()
        m_len = len(mem[0]) if mem else 0
        mask = self.subsequent_mask(len(x)).to(x.device)
        if m_len: mask = torch.cat((mask.new_ones(len(x), m_len, 1), mask), 1)
        h, new = self.model['xl'](self.model['emb'](x), mem or [], mask)
        mem = [torch.cat((m, n), 0) for m, n in zip(mem, new)] if mem else new
        mem = [m[-self.mem_len:] for m in mem]
        return self.model['out'](h).transpose(0, 1), mem
    def train(self): self.model.train()
    def eval(self): self.model.eval()


def xl_compare_config():
    c = REFERENCE['xl']
    return dict(d_model=c['d_model'], n_heads=c['n_heads'], d_ff=c['d_ff'], n_layers=c['n_layers'],
                mem_len=c['mem_len'], dropout=c['dropout'])


def keep_freed_memory():
    "Ask glibc to keep freed memory instead of returning it to the OS (saves page faults on big tensors)."
    import ctypes
    libc = ctypes.CDLL('libc.so.6')
    libc.mallopt(-3, 1 << 30)   # M_MMAP_THRESHOLD
    libc.mallopt(-1, 1 << 30)   # M_TRIM_THRESHOLD


def worker(args):
    "One side of the XL comparison, in a fresh process: prints its figures as JSON."
    if args.keep_memory: keep_freed_memory()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    f = Labml('cpu', **xl_compare_config()) if args.worker == 'labml' else Ours('xl', 'cpu', **REFERENCE['xl'])
    res = bench_forward(f, 'cpu', args.steps, args.warmup, args.amp, decode=False)
    res['params'] = sum(p.numel() for p in f.params)
    print(json.dumps(res))


def run_worker(args, which):
    py = args.labml_python if which == 'labml' else sys.executable
    if not os.path.exists(py): return f'no labml Python at {py} (see --help)'
    cmd = [py, os.path.abspath(__file__), '--worker', which, '--threads', str(args.threads),
           '--steps', str(args.steps), '--warmup', str(args.warmup)] + (['--keep-memory'] if args.keep_memory else []) + (['--amp'] if amp_for(args, which) else [])
    env = dict(os.environ)
    if which == 'labml': env.pop('PYTHONPATH', None)
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode: return f'{which} run failed:\n' + p.stderr[-2000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def amp_for(args, which):
    "bf16 autocast for this side of the comparison? --amp: both, unless --labml-fp32 keeps the seed in fp32."
    return args.amp and not (which == 'labml' and args.labml_fp32)


def compare_labml(args):
    print(f"\nTransformer-XL, ours vs the seed's (labml-nn 0.5.1): CPU, {args.threads} threads, "
          f"vocab {VOCAB}, batch {BATCH}, seq {SEQ}, {xl_compare_config()}"
          + (', freed memory kept' if args.keep_memory else '') + ''.join(f", {w} {'bf16 autocast' if amp_for(args, w) else 'fp32'}" for w in ('labml', 'ours'))
          + f", OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}")
    ratios = []
    for r in range(args.rounds):
        lab, ours = run_worker(args, 'labml'), run_worker(args, 'ours')
        for res in (lab, ours):
            if isinstance(res, str): print(res); return 1
        ratios.append(ours['train'] / lab['train'])
        print(f'round {r+1}: labml-nn ({lab["params"]/1e6:.2f} M params) {fmt(lab)}')
        print(f'         ssl4code ({ours["params"]/1e6:.2f} M params) {fmt(ours)}')
        print(f'         training speed-up {ratios[-1]:.2f}x, scoring {ours["score"]/lab["score"]:.2f}x')
    print(f'median training speed-up over {args.rounds} rounds: {statistics.median(ratios):.2f}x')
    return 0


def fmt(res):
    return '  '.join(f'{k} {v:>9,.0f} tok/s' for k, v in res.items() if k != 'params')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--models', default='lstm,rhn,transformer,xl', help="comma-separated, or 'none' (default: all four)")
    ap.add_argument('--threads', type=int, default=2, help='torch CPU threads (default 2)')
    ap.add_argument('--steps', type=int, default=10, help='timed steps per figure (default 10)')
    ap.add_argument('--warmup', type=int, default=2, help='untimed steps first (default 2)')
    ap.add_argument('--device', default=None, help='cpu or cuda (default: cpu, and cuda too when present)')
    ap.add_argument('--compare-labml', action='store_true', help="also time the seed's XL (labml-nn 0.5.1) and ours at its configuration")
    ap.add_argument('--labml-python', default=os.environ.get('LABML_PYTHON', '/tmp/labmlvenv/bin/python'),
                    help='Python with labml-nn 0.5.1 installed (default $LABML_PYTHON or /tmp/labmlvenv/bin/python)')
    ap.add_argument('--rounds', type=int, default=2, help='alternating labml/ours rounds for --compare-labml (default 2)')
    ap.add_argument('--keep-memory', action='store_true',
                    help='keep freed memory in the process (glibc mallopt), for both sides: fewer page faults')
    ap.add_argument('--amp', action='store_true', help='run the CPU figures under bf16 autocast too (both sides of --compare-labml)')
    ap.add_argument('--labml-fp32', action='store_true',
                    help="with --amp: the seed's side stays in fp32 (how its figure in the issue was measured), ours in bf16")
    ap.add_argument('--worker', choices=['labml', 'ours'], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker: return worker(args)
    if args.keep_memory: keep_freed_memory()
    torch.set_num_threads(args.threads)
    devices = [args.device] if args.device else ['cpu'] + (['cuda'] if torch.cuda.is_available() else [])
    print(f'torch {torch.__version__}, {args.threads} CPU threads, vocab {VOCAB}, batch {BATCH}, seq {SEQ}, '
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}")
    for device in devices:
        amp = device == 'cuda' or args.amp
        for name in [m for m in args.models.split(',') if m not in ('', 'none')]:
            torch.manual_seed(0)
            f = Ours(name, device, **REFERENCE[name])
            res = bench_forward(f, device, args.steps, args.warmup, amp)
            print(f'{device:4} {name:11} {f.model.num_params()/1e6:5.2f} M params  {fmt(res)}'
                  + ('  (bf16 autocast)' if amp else '  (fp32)'), flush=True)
    if args.compare_labml: return compare_labml(args)
    return 0


if __name__ == '__main__':
    sys.exit(main())
