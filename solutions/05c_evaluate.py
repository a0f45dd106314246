# Solutions to the exercises of nbs/05c_evaluate.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def oracle_for(text):
    def oracle(prefix, suffix='', **options):
        i = len(prefix)
        j = text.find('\n', i)
        j = len(text) if j < 0 else j
        return [Completion(text[i:j], 1.0)] if j > i else []    # at a line's end: nothing, not ''
    return oracle

# %% Exercise 2
class SlowSometimes:
    def __init__(self, completer, every=10, ms=50): self.completer, self.every, self.ms, self.calls = completer, every, ms, 0
    def __call__(self, prefix, suffix='', **options):
        self.calls += 1
        if self.calls % self.every == 0: time.sleep(self.ms / 1000)
        return self.completer(prefix, suffix, **options)

# %% Exercise 3
def sweep(bars):
    out = {}
    for b in bars:
        r = keystroke_eval(comp, [d], progress=False, min_prob=b)    # options go to each completer call
        out[b] = (r['saved'], r['precision'])
    return out

# %% Exercise 4
def zoo_code():
    # a long name the model never saw, used again and again: the word list completes it, the model cannot
    return ('zebra_population_count = 0\nfor zebra in herd:\n    zebra_population_count += 1\n'
            'print(zebra_population_count)\n')

# %% Exercise 5
def most_surprising(text, k=3):
    pieces, pos = [], 0
    for piece, p in comp.token_probs(text):
        pieces.append((p, pos, piece)); pos += len(piece)
    return [(pos, piece) for p, pos, piece in sorted(pieces)[:k]]
