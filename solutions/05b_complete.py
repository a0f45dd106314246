# Solutions to the exercises of nbs/05b_complete.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def bar(prefix, min_prob):
    # twice as likely right after a space within a line; a probability never needs to pass 1
    return min(1.0, 2 * min_prob) if cursor_place(prefix) == 'space' else min_prob

# %% Exercise 2
BLOCKS = [('total = 0\n    for x in xs:\n        total += x\n    return total\nprint(f(1))\n', '    '),
          ('import os\nx = 1\nclass A:\n    pass\n', ''),
          ('\n    b()\nelse:\n    c()\nd = 1\n', 'if a:'),
          ('x += 1\n    x += 1\n    y = 2\n', '    ')]

def kept():
    return ['total = 0\n    for x in xs:\n        total += x\n    return total',   # a dedent below the cursor's line
            'import os\nx = 1',                                                   # a new top-level statement
            '\n    b()\nelse:\n    c()',                                          # back to the level of `if a:` (not `else`)
            'x += 1']                                                             # a repeated line

# %% Exercise 3
def new_name_prompt():
    # the model has memorised five snippets: `giraffe_height` is in none of them
    return 'giraffe_height = 3\nfor i in range(10):\n    gir'

# %% Exercise 4
def spm(prefix, suffix):
    return (PRE, SUF) + tuple(tok.encode(suffix).ids) + (MID,) + fim.prompt_ids(prefix)[0]

def psm(prefix, suffix):
    # the prefix comes before the suffix: every key changes the prompt before the suffix, which is read again
    return (PRE,) + fim.prompt_ids(prefix)[0] + (SUF,) + tuple(tok.encode(suffix).ids) + (MID,)

# %% Exercise 5
def ghost_lengths(prefix, probs):
    return [len(g[0].text) if (g := comp.ghost(prefix, line_prob=p)) else 0 for p in probs]
