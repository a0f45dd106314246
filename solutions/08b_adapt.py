# Solutions to the exercises of nbs/08b_adapt.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def unseen_gain(model, tok, text, share=0.7, steps=10):
    cut = text.rfind('\n', 0, int(share * len(text))) + 1       # the line start at or before the share
    first, second = text[:cut], text[cut:]
    return text_loss(model, tok, second) - text_loss(adapt_model(model, tok, first, steps=steps), tok, second)

import inspect
for steps in (0, 5, 10, 20):    # the routes gain a lot at once; the standard library, already read in training, little or less
    print(steps, round(unseen_gain(shipped, tok, ROUTES, steps=steps), 3), round(unseen_gain(shipped, tok, inspect.getsource(inspect)[:8000], steps=steps), 3))
