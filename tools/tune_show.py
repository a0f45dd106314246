"""Should ghost text be shown? Collect the word candidates the completer weighs at every cursor of
the tuning windows, then replay typing with rules that decide which one to show, if any.

    python tools/tune_show.py collect --out runs/show/tune.json.gz     # a few minutes, in process
    python tools/tune_show.py replay runs/show/tune.json.gz            # seconds: the rules compared
    python tools/tune_show.py collect --adapt 20 3e-4 4 [--blocks 2] --out runs/show/adapt.json.gz
    python tools/tune_show.py bars runs/show/tune.json.gz runs/show/adapt.json.gz   # saved and precision by bar

`collect` types nothing: the suggestion at a cursor depends only on the text before and after it
(`tools/bench_editor.py`'s window: 10,000 characters before the cursor from a line start, the code
below the window after it), so it asks `Completer` once per cursor (word mode, the shipped model,
one thread) and keeps every candidate with its probability, before any bar. `replay` then types
the windows as `bench_editor.py` does (accept with one key when the text ahead starts with the
suggestion) for each rule and bar, from the stored candidates, and prints keystrokes saved and
precision. Rules are fitted and compared with two folds over the windows: each half is typed with
the rule fitted on the other half. With `--adapt STEPS LR ROWS`, `collect` asks an
`AdaptingCompleter` (`08b_adapt`) that learns each window's file at its first cursor, before
typing (`background=False`); `bars` prints what today's rule gives at each bar.
"""
import argparse, gzip, json, math, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import torch
from bench_editor import below, window, worth_asking
from tune_copy import window_args
import ssl4code.complete as C
from ssl4code.evaluate import typing_windows


def collect(a, completer_for=None):
    "Store the candidates at every cursor; `completer_for(window)` gives the completer for a window (the shipped model's by default)."
    torch.set_num_threads(1)
    windows, out, seen = typing_windows([a.windows], a.chars), [], {}
    if completer_for is None and a.adapt:
        from ssl4code.adapt import AdaptingCompleter
        steps, lr, rows = a.adapt
        ac = AdaptingCompleter(C.Completer(), steps=int(steps), lr=lr, rows=int(rows), blocks=a.blocks, background=False)
        completer_for = lambda w: ac
    elif completer_for is None:
        shipped = C.Completer()
        completer_for = lambda w: shipped
    tidy = C._tidy
    def spy(found, suffix, n, min_prob, min_len=1, by_saving=False):
        if by_saving: seen['cands'], seen['bar'] = list(C._merged(found, suffix, min_len).items()), min_prob
        return tidy(found, suffix, n, min_prob, min_len, by_saving)
    C._tidy, t0 = spy, time.time()
    for w in windows:
        name, text, start, end = w
        completer, after, cursors = completer_for(w), below(text, end), []
        for i in range(start, end):
            prefix, suffix = window(text[:i] + after, i, a.context, 'lines')
            if not worth_asking(suffix): cursors.append(None); continue
            seen.clear()
            completer(prefix, suffix, stop='word')
            cands = sorted(((t, round(p, 5)) for t, p in seen.get('cands', []) if p >= a.floor), key=lambda c: -c[1])
            cursors.append(dict(bar=seen.get('bar'), cands=cands, line=prefix[prefix.rfind('\n') + 1:], rest=suffix.split('\n', 1)[0],
                                words=sorted(_file_words(prefix, cands))))
        out.append(dict(name=name, text=text[start:end], ahead=text[start:], cursors=cursors))
        print(f'{name}: {end - start} cursors, {time.time() - t0:.0f} s', file=sys.stderr, flush=True)
    C._tidy = tidy
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(a.out, 'wt') as f: json.dump(dict(windows=a.windows, chars=a.chars, context=a.context, floor=a.floor, typed=out), f)


def _file_words(prefix, cands):
    "The candidates whose identifier (with the word typed so far) the file before the cursor already holds."
    typed = C.typed_word(prefix)
    body = prefix[:len(prefix) - len(typed)]
    out = set()
    for t, _ in cands:
        w = typed + _ident(t)
        if len(w) >= 2 and w in body: out.add(t)
    return out

def _ident(t):
    k = 0
    while k < len(t) and (t[k].isalnum() or t[k] == '_'): k += 1
    return t[:k]


# ---- replay
def features(c, cur):
    "The features of candidate `c = (text, p)` at cursor `cur`, for a logistic rule."
    t, p = c
    p = min(max(p, 1e-4), 1 - 1e-4)
    line = cur['line']
    place = C.cursor_place(line)
    mid = bool(line) and (line[-1].isalnum() or line[-1] == '_')
    further = sum(q for u, q in cur['cands'] if len(u) > len(t) and u.startswith(t))   # mass that goes on past t
    other = max([q for u, q in cur['cands'] if not (u.startswith(t) or t.startswith(u))], default=0.0)
    return [1.0, math.log(p / (1 - p)), math.log(len(t)), float(place == 'space'), float(place == 'indent'), float(mid),
            math.log(1 + len(C.typed_word(line))), further / p, other, float(not all(ch.isalnum() or ch == '_' for ch in t)),
            float(t in cur['words']), float(t[:1] == ' ')]

KEYWORDS = ['def', 'class', 'import', 'from', 'return', 'if', 'for', 'self', 'while', 'with', 'elif', 'else', 'try', 'except',
            'raise', 'assert', 'yield', 'lambda']
PUNCT = '.( =,:[\'"'

def char_class(ch):
    "0 none, 1 letter, 2 digit, 3.. one of PUNCT, 12 other."
    if not ch: return 0
    if ch.isalpha() or ch == '_': return 1
    if ch.isdigit(): return 2
    return 3 + PUNCT.find(ch) if ch in PUNCT else 12

def rich_features(c, cur):
    "`features` and what comes before the cursor: the line's last character (alone and with log-odds), the candidate's first, the line's keyword."
    base, line = features(c, cur), cur['line']
    last, first = [0.0] * 13, [0.0] * 13
    last[char_class(line[-1:])], first[char_class(c[0][:1])] = 1.0, 1.0
    word = line.strip().split(' ')[0].split('(')[0].split('.')[0]
    return base + last + first + [float(word == k) for k in KEYWORDS] + [base[1] * x for x in last]

def right(text_ahead, t, room): return text_ahead.startswith(t) and len(t) <= room

def fit(rows, l2=1e-3):
    "Logistic regression by L-BFGS: weights of `features` for P(the candidate is right)."
    X = torch.tensor([r[0] for r in rows], dtype=torch.float64); y = torch.tensor([r[1] for r in rows], dtype=torch.float64)
    w = torch.zeros(X.shape[1], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w], max_iter=200, line_search_fn='strong_wolfe')
    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(X @ w, y) + l2 * (w[1:] ** 2).sum()
        loss.backward(); return loss
    opt.step(closure)
    return w.detach().tolist()

def rows_of(typed, features=features):
    "Training rows at every cursor (typed or not), one per candidate: (features, right)."
    out = []
    for w in typed:
        for i, cur in enumerate(w['cursors']):
            if not cur: continue
            for c in cur['cands']: out.append((features(c, cur), float(right(w['ahead'][i:], c[0], len(w['text']) - i))))
    return out

def choose_p(cur, bar):
    "Today's rule: among the candidates at or above the bar (twice as high after a space), the most characters expected."
    b = bar * (2 if C.cursor_place(cur['line']) == 'space' else 1)
    ok = [(t, p) for t, p in cur['cands'] if p >= b]
    return max(ok, key=lambda c: (c[1] * len(c[0]), c[1]))[0] if ok else None

def choose_q(w, key, features=features):
    def choose(cur, bar):
        ok = []
        for c in cur['cands']:
            z = sum(a * b for a, b in zip(w, features(c, cur)))
            q = 1 / (1 + math.exp(-z))
            if q >= bar: ok.append((c[0], q))
        return max(ok, key=key)[0] if ok else None
    return choose

def balanced(cur, t):
    "The ghost's mid-line rule (`Completer.ghost`): leave the line no less balanced."
    if t and cur['rest'].strip() and C._unmatched(cur['line'] + t + cur['rest']) > C._unmatched(cur['line'] + cur['rest']):
        t = t[:max(0, C._unclosed(t))]
    return t if t and t.strip() else None

def type_with(typed, choose, bar):
    keys = chars = shown = accepted = 0
    for w in typed:
        i, n = 0, len(w['text'])
        while i < n:
            cur = w['cursors'][i]
            t = balanced(cur, choose(cur, bar)) if cur else None
            keys += 1
            if t:
                shown += 1
                if right(w['ahead'][i:], t, n - i): accepted += 1; i += len(t); continue
            i += 1
        chars += n
    return dict(saved=round(1 - keys / chars, 4), precision=round(accepted / max(1, shown), 4), shown=shown)

def oracle(typed, floor):
    "Keystrokes saved by a user shown the longest right candidate of at least `floor`, and nothing when none is right."
    keys = chars = 0
    for w in typed:
        i, n = 0, len(w['text'])
        while i < n:
            cur, keys = w['cursors'][i], keys + 1
            ok = [t for t in (balanced(cur, t) for t, p in cur['cands'] if p >= floor) if t and right(w['ahead'][i:], t, n - i)] if cur else []
            i += max(map(len, ok)) if ok else 1
        chars += n
    return round(1 - keys / chars, 4)

def at_precision(curve, target):
    "The most saved by any bar whose precision is at least `target`."
    ok = [r for r in curve if r['precision'] >= target]
    return max(ok, key=lambda r: r['saved']) if ok else None

def replay(a):
    with gzip.open(a.data, 'rt') as f: d = json.load(f)
    typed = d['typed']
    halves = [typed[0::2], typed[1::2]]
    pbars = [round(0.14 + 0.01 * k, 2) for k in range(20)]
    qbars = [round(0.30 + 0.01 * k, 2) for k in range(35)]
    by_len = lambda c: (c[1] * len(c[0]), c[1])
    rules = {'logistic': (features, by_len), 'logistic, rich': (rich_features, by_len),
             'logistic, by len-1': (features, lambda c: (c[1] * (len(c[0]) - 1), c[1]))}
    report = dict(date=time.strftime('%Y-%m-%d'), command='python tools/tune_show.py ' + ' '.join(sys.argv[1:]),
                  collected_with=f"python tools/tune_show.py collect --windows {d['windows']} --chars {d['chars']} --context {d['context']} --floor {d['floor']}",
                  data=a.data, windows=d['windows'], chars=d['chars'], today=type_with(typed, choose_p, 0.23),
                  oracle={str(f): oracle(typed, f) for f in (0.02, 0.1, 0.2)}, folds=[])
    print('today, bar 0.23:', json.dumps(report['today']), '\noracle by floor:', json.dumps(report['oracle']), flush=True)
    for k, half in enumerate(halves):
        other, fold = halves[1 - k], dict(curves={}, weights={}, best={})
        fold['curves']['today'] = [dict(bar=b, **type_with(half, choose_p, b)) for b in pbars]
        for name, (f, key) in rules.items():
            w = fit(rows_of(other, f))
            fold['weights'][name] = [round(x, 3) for x in w]
            fold['curves'][name] = [dict(bar=b, **type_with(half, choose_q(w, key, f), b)) for b in qbars]
        for target in a.targets:
            fold['best'][str(target)] = {name: at_precision(curve, target) for name, curve in fold['curves'].items()}
            print(f'fold {k}, precision >= {target}:', json.dumps(fold['best'][str(target)]), flush=True)
        report['folds'].append(fold)
    if a.out: Path(a.out).write_text(json.dumps(report, indent=1) + '\n')

def bars(a):
    for path in a.data:
        with gzip.open(path, 'rt') as f: typed = json.load(f)['typed']
        for b in a.bars: print(json.dumps(dict(data=path, bar=b, **type_with(typed, choose_p, b))), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('collect')
    window_args(c)
    c.add_argument('--floor', type=float, default=0.02, help='candidates less likely than this are dropped')
    c.add_argument('--adapt', type=float, nargs=3, metavar=('STEPS', 'LR', 'ROWS'), help="learn each window's file first (08b_adapt)")
    c.add_argument('--blocks', type=int, help="with --adapt: only the top BLOCKS blocks and the final LayerNorm learn (default: AdaptingCompleter's)")
    c.add_argument('--out', required=True)
    r = sub.add_parser('replay')
    r.add_argument('data')
    r.add_argument('--targets', type=float, nargs='+', default=[0.5, 0.53])
    r.add_argument('--out')
    b = sub.add_parser('bars')
    b.add_argument('data', nargs='+')
    b.add_argument('--bars', type=float, nargs='+', default=[0.23, 0.26, 0.28, 0.3, 0.32, 0.35])
    a = p.parse_args()
    {'collect': collect, 'replay': replay, 'bars': bars}[a.cmd](a)


if __name__ == '__main__':
    main()
