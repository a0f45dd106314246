# Solutions to the exercises of nbs/05d_jupyter.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def held_back(text):
    offered = {c.text for c in comp(text, stop='word', n=3)}                  # the buttons
    considered = comp(text, stop='word', n=8, min_prob=0.001)                 # the table, down to the floor
    return [c.text for c in considered if c.text not in offered]
# 'for k in range(': each is below the bar of a word completion (min_prob 0.23), so none is offered

# %% Exercise 2
def to_insert(shown_for, text, suggestion):
    if not text.startswith(shown_for): return ''                              # edited, not just typed on
    typed = text[len(shown_for):]
    return suggestion[len(typed):] if suggestion.startswith(typed) and len(suggestion) > len(typed) else ''

# %% Exercise 3
load_ipython_extension(ip, comp)

def accept_tab(cell, offset):
    with provisionalcompleter(): got = list(ip.Completer.completions(cell, offset))
    if not got or got[0].type != 'ssl4code': return None
    c = got[0]
    return cell[:c.start] + c.text + cell[c.end:]
