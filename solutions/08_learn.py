# Solutions to the exercises of nbs/08_learn.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def log_session(path):
    with EventLog(path) as log:
        # only lengths, places and probabilities reach the file: no prefix, no suggestion text
        log.completion('cmpl-1', 'import os\nos.', '', [('path', 0.7), ('sep', 0.1)], 12.0, '/v1/completions', stop='word')
        log.completion('cmpl-2', 'import os\n', '', [('print(os.getcwd())', 0.05)], 15.0, '/v1/completions', stop='line')
        for e in ({'type': 'view', 'completion_id': 'cmpl-1', 'choice_index': 0},
                  {'type': 'select', 'completion_id': 'cmpl-1', 'choice_index': 0},
                  {'type': 'view', 'completion_id': 'cmpl-2', 'choice_index': 0},
                  {'type': 'dismiss', 'completion_id': 'cmpl-2', 'choice_index': 0}):
            log.append(validate_event(e))

# %% Exercise 2
def acceptance(events):
    shown = {}
    for e in events:
        key = (e.get('completion_id'), e.get('choice_index'))
        if e.get('type') in ('view', 'dismiss'): shown.setdefault(key, False)   # seen, taken unless a select says so
        elif e.get('type') == 'select': shown[key] = True                        # a select is also a showing
    return sum(shown.values()) / len(shown) if shown else None

# %% Exercise 3
def bar(rows, base=0.0, max_lost=0.02, max_prob=0.95):
    rows = sorted(rows)
    total = sum(n for _, ok, n in rows if ok)
    out, lost = base, 0
    for i, (p, ok, n) in enumerate(rows):          # hide rows[:i+1]
        lost += n if ok else 0
        nxt = rows[i + 1][0] if i + 1 < len(rows) else max_prob
        if lost > max_lost * total or nxt > max_prob: break
        out = max(out, nxt)
    return out
