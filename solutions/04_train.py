# Solutions to the exercises of nbs/04_train.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def continues(batches, i):
    (_, y0, _), (x1, _, _) = batches(i), batches(i + 1)
    return bool((x1[:, 0] == y0[:, -1]).all())   # the first input of i+1 is the last target of i

# %% Exercise 2
def resume_diff(model, dropout, forget=None, n=8):
    out = Path(tempfile.mkdtemp())
    kw = dict(steps=n, model_config={'dropout': dropout}, view=None)
    a = train(TINY, model, 'tiny', out=out/'a', **kw)
    train(TINY, model, 'tiny', out=out/'b', stop_at=n // 2, **kw)
    p = out/'b'/'checkpoint.pt'
    ck = torch.load(p, weights_only=True)
    mine = ck['train']['ranks'][0]
    if forget == 'rng': mine['rng']['torch'] = torch.Generator().manual_seed(123).get_state()   # other dropout masks
    if forget == 'state': mine['state'] = None   # the LSTM restarts its streams from a zero state
    torch.save(ck, p)
    b = train(TINY, out=out/'b', resume=True, view=None)
    wa, wb = a.raw.state_dict(), b.raw.state_dict()
    return max((wa[k] - wb[k]).abs().max().item() for k in wa)

# %% Exercise 3
def undo_fim(row):
    if row[:2] != [1, 2]: return row             # left to right already
    k = row.index(3)                             # <|fim_middle|>
    suffix, prefix_middle = row[2:k], row[k + 1:-1]   # the last token is the end of the middle
    return prefix_middle + suffix
