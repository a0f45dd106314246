# Solutions to the exercises of nbs/05a_search.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
PROMPTS = ['x = self.optim', 'print(x, ', 'if a  ==', '    retur', 'x = "hé']

def fragments():
    "The fragment of each of `PROMPTS`, in order."
    # the space before a word is the first byte of its token; of a run of spaces, only the last goes with the word
    return ['optim', ' ', ' ==', ' retur', 'hé']

# %% Exercise 2
def fixed_table():
    Q = P.clone()
    Q[3, 5] = 3.0      # after ' self', '.a' now has 3 / 3.7 = 0.81, so ' self.a' gets 0.5 * 0.81 = 0.41 > 0.36
    return Q           # (or lower P[2, 3] below 0.4: then greedy takes ' 0' first)

# %% Exercise 3
def agreeing_scan(tbytes, frag):
    return [i for i, b in enumerate(tbytes) if b is not None and (b.startswith(frag) or frag.startswith(b))]

# %% Exercise 4
def cached_state(model, cache, ids):
    hit = cache.get(ids)
    start, logits, state = (0, None, None) if hit is None else hit
    if start < len(ids):           # an exact hit costs nothing; otherwise read only the tokens after the cached prefix
        out, state = model(torch.tensor([ids[start:]]), state)
        logits = out[0, -1]
        cache.put(ids, logits, state)
    return logits, state, len(ids) - start

# %% Exercise 5
def stepped(text, i, width=60, step=15):
    if i <= width: return text[:i]
    start = -((width - i) // step) * step     # the smallest multiple of `step` that leaves at most `width` characters
    return text[start:i]
