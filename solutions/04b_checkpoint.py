# Solutions to the exercises of nbs/04b_checkpoint.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def describe(path):
    model, _, ck = load_checkpoint(path)
    # num_params counts the tied matrix once; summing ck['weights'] would count it twice
    return {'model': ck['model'], 'params': model.num_params(), 'resumable': 'train' in ck,
            'step': ck['meta'].get('step')}

# %% Exercise 2
def half_report(model, tokenizer, ids):
    d = Path(tempfile.mkdtemp())
    full = save_checkpoint(d/'full.pt', model, tokenizer)
    half = save_checkpoint(d/'half.pt', model, tokenizer, half=True)
    copy = load_checkpoint(half)[0]                 # computed in float32 again after loading
    model.eval()
    with torch.no_grad(): a, b = model(ids)[0], copy(ids)[0]
    return (half.stat().st_size / full.stat().st_size, (a - b).abs().max().item(),
            (a.argmax(-1) == b.argmax(-1)).float().mean().item())

# %% Exercise 3
class Trap:
    def __init__(self, flag): self.flag = flag
    def __reduce__(self): return (os.mkdir, (str(self.flag),))   # unpickling calls os.mkdir(flag)

def save_booby_trapped(path, flag):
    torch.save({'format': 'ssl4code-checkpoint', 'version': 1, 'weights': Trap(flag)}, path)

# %% Exercise 4
def shipped_mb(name, preset, V=4096):
    model = models.create(name, V, **models.PRESETS[preset][name])
    with tempfile.TemporaryDirectory() as d:
        return save_checkpoint(Path(d)/'m.pt', model, tok, half=True).stat().st_size / 1e6   # about 2 bytes a parameter
