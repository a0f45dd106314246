"""What a step of the beam search costs on this CPU with the weights in 32 bits, bf16 and 8 bits.

    python tools/bench_step.py [--checkpoint C] [--out results/int8_step.json]

For each way of storing the weights: milliseconds per beam-search step (four beams, one new token
each, after a 255-token prompt), milliseconds to read 400 new tokens, and how far the model's
next-token distributions move from the 32-bit model's on the first 255 tokens of three files of
Python's standard library (fixed for a Python version, unlike this repository's) (the share of positions with the same most likely token, and the mean
KL divergence in nats). Partial 8-bit variants show which layers the time goes to. One thread.
"""
import argparse, copy, json, os, platform, sys, time
from pathlib import Path

import torch

from ssl4code.checkpoint import DEFAULT_CHECKPOINT, int8_linears, load_checkpoint

STDLIB = Path(argparse.__file__).parent
TEXTS = ['argparse.py', 'json/decoder.py', 'textwrap.py']


def time_ms(f, n):
    for _ in range(max(2, n // 10)): f()
    t0 = time.perf_counter()
    for _ in range(n): f()
    return round(1000 * (time.perf_counter() - t0) / n, 2)

def measure(model, ref, ids, steps):
    "Step and prefill times, and the distance of the next-token distributions from `ref`'s."
    with torch.inference_mode():
        lp = model(ids)[0].float().log_softmax(-1)
        _, state = model(ids[:1])
        x, rows = torch.randint(0, 1000, (4, 1)), model.select_state(state, torch.zeros(4, dtype=torch.long))
        step = time_ms(lambda: model(x, rows), steps)
        new = torch.randint(0, 1000, (1, 400))
        prefill = time_ms(lambda: model(new), 10)
    return dict(step_ms=step, prefill_400_ms=prefill, top1_agree=round((lp.argmax(-1) == ref.argmax(-1)).float().mean().item(), 4),
                kl_nats=round((ref.exp() * (ref - lp)).sum(-1).mean().item(), 5))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--checkpoint', default=str(DEFAULT_CHECKPOINT), help='model (default: the shipped one)')
    p.add_argument('--steps', type=int, default=300, help='steps to time (default: 300)')
    p.add_argument('--out', help='write the results here (JSON)')
    a = p.parse_args()
    torch.set_num_threads(1)
    model, tok, _ = load_checkpoint(a.checkpoint)
    ids = torch.tensor([tok.encode((STDLIB/f).read_text(encoding='utf-8')[:8000]).ids[:255] for f in TEXTS])
    with torch.inference_mode(): ref = model(ids)[0].float().log_softmax(-1)
    linears = [n for n, m in model.named_modules() if isinstance(m, torch.nn.Linear)]
    variants = {'32-bit': model, 'bf16': copy.deepcopy(model).to(torch.bfloat16), '8-bit (int8_linears)': int8_linears(model),
                '8-bit, the output layer only': int8_linears(model, ['head']),
                '8-bit, all but the output layer': int8_linears(model, [n for n in linears if n != 'head'])}
    rows = {}
    for name, m in variants.items():
        if m is None: print(f'{name}: this PyTorch cannot', file=sys.stderr); continue
        rows[name] = measure(m, ref, ids, a.steps)
        print(f"{name:34s} {rows[name]}", file=sys.stderr)
    res = dict(date=time.strftime('%Y-%m-%d'), command=' '.join(['python', *sys.argv]), checkpoint=a.checkpoint,
               machine=dict(cpus=os.cpu_count(), processor=platform.processor() or platform.machine(), torch=torch.__version__,
                            threads=1), weights_mb_32bit=round(sum(p.numel() for p in model.parameters()) * 4 / 2**20, 1), results=rows)
    print(json.dumps(res, indent=1))
    if a.out: Path(a.out).write_text(json.dumps(res, indent=1) + '\n')


if __name__ == '__main__': main()
