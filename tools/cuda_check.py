"""Check the four models on a CUDA GPU: the same contract as the CPU tests, plus bf16 autocast.

    python tools/cuda_check.py            # needs a CUDA GPU; exits 1 if any check fails
    python tools/cuda_check.py cpu        # the same checks on the CPU (to try the script itself)

For each of LSTM, RHN, Transformer and Transformer-XL (small configs, fp32 with TF32 off unless stated):
- incremental: the sequence whole, in chunks of 7 and one token at a time (state carried) give the
  same logits within 1e-4 (XL: its memory holds the whole sequence);
- cpu=cuda: the same weights give the same logits on the CPU and the GPU within 1e-4;
- rows: selecting rows of a state equals running those rows alone, within 1e-4;
- bf16: under bf16 autocast the logits stay within 5% (relative norm) of fp32, gradients are finite;
- overfit: 300 AdamW (fused, lr 1e-2) steps under bf16 autocast on one batch (a pattern repeated) bring the loss under 0.5.
"""
import sys, time
import torch
import torch.nn.functional as F

sys.path.insert(0, '.')
from ssl4code.models import create

V, B, T = 512, 3, 40
CONFIGS = {
    'lstm': dict(d_model=64, n_layers=2),
    'rhn': dict(d_model=64, depth=3),
    'transformer': dict(d_model=64, n_layers=2, n_heads=4, d_ff=128, context=64),
    'xl': dict(d_model=64, n_layers=2, n_heads=4, d_ff=128, mem_len=64),
}


def run_chunks(model, ids, size):
    state, out = None, []
    for i in range(0, ids.shape[1], size):
        logits, state = model(ids[:, i:i + size], state)
        out.append(logits)
    return torch.cat(out, 1)


def check(name, where):
    torch.manual_seed(0)
    dev = torch.device(where)
    model = create(name, vocab_size=V, dropout=0.0, **CONFIGS[name]).to(dev).eval()
    ids = torch.randint(0, V, (B, T), device=dev)
    res = {}
    with torch.no_grad():
        whole, state = model(ids)
        res['incremental'] = max((run_chunks(model, ids, n) - whole).abs().max().item() for n in (7, 1))
        cpu = model.to('cpu')
        res['cpu=cuda'] = (cpu(ids.cpu())[0] - whole.cpu()).abs().max().item()
        model.to(dev)
        prefix, rest = ids[:, :T // 2], ids[:, T // 2:]
        _, st = model(prefix)
        rows = torch.tensor([2, 0])
        picked, _ = model(rest[rows], model.select_state(st, rows))
        alone, _ = model(rest[rows], model(prefix[rows])[1])
        res['rows'] = (picked - alone).abs().max().item()
    with torch.autocast(dev.type, dtype=torch.bfloat16):
        low, _ = model(ids)
    res['bf16'] = ((low.float() - whole).norm() / whole.norm()).item()
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2, fused=dev.type == 'cuda')
    rep = ids[:, :8].repeat(1, 5)   # a short pattern repeated: learnable by every model
    x, y = rep[:, :-1], rep[:, 1:]
    t0 = time.time()
    for _ in range(300):
        with torch.autocast(dev.type, dtype=torch.bfloat16):
            loss = F.cross_entropy(model(x)[0].float().reshape(-1, V), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        finite = all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None)
        opt.step()
    res['overfit'] = loss.item() if finite else float('nan')
    res['seconds'] = time.time() - t0
    ok = (res['incremental'] < 1e-4 and res['cpu=cuda'] < 1e-4 and res['rows'] < 1e-4
          and res['bf16'] < 0.05 and res['overfit'] < 0.5)
    return res, ok


def main():
    where = sys.argv[1] if len(sys.argv) > 1 else 'cuda'
    if where == 'cuda':
        if not torch.cuda.is_available(): sys.exit('no CUDA GPU here')
        torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
        print(f'{torch.cuda.get_device_name()} · torch {torch.__version__} · bf16: {torch.cuda.is_bf16_supported()}')
    print(f"{'model':12} {'incremental':>11} {'cpu=cuda':>9} {'rows':>9} {'bf16 err':>9} {'overfit':>8}  result")
    failed = 0
    for name in CONFIGS:
        try: res, ok = check(name, where)
        except Exception as e:
            print(f'{name:12} raised {type(e).__name__}: {e}')
            failed += 1
            continue
        failed += not ok
        print(f"{name:12} {res['incremental']:11.1e} {res['cpu=cuda']:9.1e} {res['rows']:9.1e} {res['bf16']:9.4f} "
              f"{res['overfit']:8.4f}  {'ok' if ok else 'FAIL'}")
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
