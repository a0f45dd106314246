"""Tune the completer's offer rules fast: record its candidates once, replay the typing under many rules.

    python tools/tune_completer.py record data/heldout/tune.json runs/tune_candidates.json.gz
    python tools/tune_completer.py replay runs/tune_candidates.json.gz --min-prob 0.21 0.23 0.25 0.29

`record` runs the completer (the shipped model unless --checkpoint) at every character of every
window, with the rules about where the cursor stands switched off, and keeps every candidate text
and its probability (what `_tidy` is given). It takes as long as typing the windows three times
(about 6 minutes for tune.json on one thread); `--min-prob` sets how far the beam search looks
(candidates are kept down to that probability, beams down to a third of it).

`replay` then types the windows again from the recording, in milliseconds per rule: the simulated
user accepts the top suggestion when the text ahead starts with it, otherwise types one character.
It prints keystrokes saved and precision for each `min_prob`, under three rules: the candidates
ranked by probability x (length - 1) with no regard to the cursor (the completer before
2026-11-26), the cursor rules added (`cursor_place`: nothing but what follows the indentation
while in it, twice `min_prob` after a space within a line), and the ranking by probability x
length (the completer now); then where the present rule's offers were right and wrong.
The replay is not exact: its probabilities come from a search whose beams went down to a third of
the recording's `--min-prob`, while the completer's go down to a third of its own `min_prob` (twice
that after a space), so it finds a little less and saves a little less. Compare rules with the replay, then
measure the chosen setting with `tools/bench_quality.py`.
"""
import argparse, gzip, json, os, sys, time

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch
import ssl4code.serve as serve
from ssl4code.core import atomic_path


def record(args):
    torch.set_num_threads(1)
    comp = serve.Completer(args.checkpoint, min_prob=args.min_prob)
    seen, tidy = {}, serve._tidy
    def spy(found, *a, **k):
        found = list(found)
        seen['cands'] = [(t, round(p, 5)) for t, p in found if t.strip() and p >= args.min_prob]
        return tidy(found, *a, **k)
    serve._tidy, serve.cursor_place = spy, lambda prefix: ''    # the raw candidates, everywhere
    out, t0 = [], time.time()
    for name, text, start, end in serve.typing_windows([args.windows]):
        cands = []
        for i in range(start, end):
            seen['cands'] = []
            comp(text[:i])
            cands.append(seen['cands'])
        out.append(dict(file=name, text=text[:end + 200], start=start, end=end, cands=cands))   # an accepted suggestion may run past the end
        print(f'{name}: {end - start} positions, {time.time() - t0:.0f} s', file=sys.stderr)
    with atomic_path(args.out) as tmp, gzip.open(tmp, 'wt') as f:
        json.dump(dict(windows=args.windows, checkpoint=comp.checkpoint, min_prob=args.min_prob, typed=out), f)


def rule(min_prob, cursor=True, by_length=True, min_len=2):
    "A function (candidates, text, i) -> the suggestion offered at position i, or None."
    def choose(cands, text, i):
        place = serve.cursor_place(text[:i]) if cursor else ''
        mp = 2 * min_prob if place == 'space' else min_prob
        ok = [(t, p) for t, p in cands if len(t) >= min_len and p >= mp and not (place == 'indent' and t[0].isspace())]
        if not ok: return None
        return max(ok, key=lambda tp: (tp[1] * (len(tp[0]) - (0 if by_length else 1)), tp[1]))[0]
    return choose


def replay(typed, choose, places=None):
    "Simulated typing from the recording; `places` (a dict) collects [offered, accepted] by cursor place."
    chars = keys = offered = accepted = 0
    for w in typed:
        text, start, end, i = w['text'], w['start'], w['end'], w['start']
        while i < end:
            c = choose(w['cands'][i - start], text, i)
            keys += 1
            if c:
                offered += 1
                right = text.startswith(c, i)
                if places is not None:
                    k = places.setdefault(serve.cursor_place(text[:i]) or 'elsewhere', [0, 0])
                    k[0] += 1; k[1] += right
                if right:
                    accepted += 1; i += len(c); continue
            i += 1
        chars += i - start
    return 100 * (1 - keys / chars), 100 * accepted / max(1, offered)


def show(args):
    with gzip.open(args.recording, 'rt') as f: rec = json.load(f)
    print(f"{rec['windows']}, {rec['checkpoint']}, recorded down to {rec['min_prob']}")
    rules = {'prob x (len - 1)': dict(cursor=False, by_length=False), '+ cursor rules': dict(by_length=False),
             '+ prob x len (now)': {}}
    print(f"{'min_prob':>8} " + ''.join(f'{name:>26}' for name in rules))
    for mp in args.min_prob:
        cells = [replay(rec['typed'], rule(mp, **kw)) for kw in rules.values()]
        print(f'{mp:>8} ' + ''.join(f'{f"{s:.2f} % at {p:.2f} %":>26}' for s, p in cells))
    for mp in args.min_prob:
        for name, kw in (('before', dict(cursor=False, by_length=False)), ('now', {})):
            places = {}
            replay(rec['typed'], rule(mp, **kw), places)
            print(f'min_prob {mp} {name:>6}: ' + ', '.join(f'{k} {n} offers {100 * a / n:.0f} % right'
                                                         for k, (n, a) in sorted(places.items())))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('record'); r.add_argument('windows'); r.add_argument('out')
    r.add_argument('--checkpoint'); r.add_argument('--min-prob', type=float, default=0.2)
    s = sub.add_parser('replay'); s.add_argument('recording')
    s.add_argument('--min-prob', type=float, nargs='+', default=[0.21, 0.23, 0.25, 0.27, 0.29])
    args = p.parse_args(argv)
    record(args) if args.cmd == 'record' else show(args)


if __name__ == '__main__':
    main()
