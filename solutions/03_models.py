# Solutions to the exercises of nbs/03_models.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def stream(model, ids, chunk):
    outs, state = [], None
    for i in range(0, ids.shape[1], chunk):
        logits, state = model(ids[:, i:i + chunk], state)   # the state carries everything before position i
        outs.append(logits)
    return torch.cat(outs, 1)

# %% Exercise 2
def reach(model, T=30):
    ids = torch.randint(0, V, (1, T), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        last = model(ids)[0][0, -1]
        far = 0
        for d in range(T):
            changed = ids.clone()
            changed[0, T - 1 - d] = (changed[0, T - 1 - d] + 1) % V
            if (model(changed)[0][0, -1] != last).any(): far = d   # any change at all: the token is within reach
    return far

print({name: reach(tiny(name)) for name in MODELS}, reach(tiny('transformer', context=5)))

# %% Exercise 3
@contextlib.contextmanager
def without_rotary():
    rotate = ssl4code.models.rotate
    ssl4code.models.rotate = lambda x, cos, sin: x   # the attention looks `rotate` up in the module when it runs
    try: yield
    finally: ssl4code.models.rotate = rotate
