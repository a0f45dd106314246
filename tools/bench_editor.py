"""Benchmark the editor path: replay the VS Code extension's request stream through HTTP.

    python tools/fetch_heldout.py                       # once: data/heldout/windows.json
    python tools/bench_editor.py [--windows data/heldout/windows.json] [--out results/editor_path.json]

Starts `ssl4code serve` on a free port, as the extension starts it (the model reads the server's
default `--context` of the text sent; `--server-context` changes it), and types the held-out
windows one character per keystroke, as a user of the extension would, with the debounce off.
Each keystroke is sent the way the extension sends it (`vscode-extension/src`):

- `POST /v1/completions` with the extension's window: `--context` characters before the cursor
  (from a line start, `--window lines`, as the extension does now; or sliding by one character,
  `--window chars`, as it did before) and a quarter as many after it; no request when the rest
  of the line holds a word character (the extension's `worthAsking`); the extension's cache of
  earlier answers for the same text; `--typed-through` and `--client-trim` replay what the
  extension did before (its cache served the rest of a suggestion typed through without asking
  the server; it trimmed answers against the text after the cursor);
- `POST /autocomplete` with the whole text before the cursor (the seed's protocol).

The simulated user accepts the suggestion with one key when the text ahead starts with it, and
otherwise types one character. The text after the cursor is the code below the window (a new
line typed above existing code). Reports, per endpoint: keystrokes saved, precision (accepted /
shown), latency per request as the client sees it (p50, p99, max), requests sent; then the
server's peak resident memory and the time of cold 4,000-character prompts.

The server learns the file being edited in the background (`08b_adapt`; `--no-adapt` turns it
off). Typed back to back, a window's first keystrokes are answered by the shipped model while it
learns; `--settle` sends a window's first request and waits until the server has learnt the file
before typing it, as a user who opens a file and reads it first (the waits are reported);
`--pace` spaces the keystrokes as a person types them.
"""
import argparse, http.client, json, os, platform, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_serve import default_files, pct, start_server   # same server start-up as the HTTP benchmark
from ssl4code.evaluate import typing_windows


# ---- the extension's client side, in Python (vscode-extension/src/engine.ts, cache.ts, trim.ts)
def rest_of_line(s): return s.split('\n', 1)[0]

def worth_asking(suffix): return not any(ch.isalnum() or ch == '_' for ch in rest_of_line(suffix))

def window(text, i, chars, shape):
    "The extension's prefix and suffix at cursor `i`: `chars` before (from a line start for 'lines'), chars/4 after."
    start = max(0, i - chars)
    if shape == 'lines' and start > 0:
        nl = text.find('\n', start - 1, i)      # the first line that starts inside the window
        start = nl + 1 if nl >= 0 else start
    return text[start:i], text[i:i + max(1, chars // 4)]

def client_trim(text, suffix):
    "The trimming the extension did before the server owned it (trim.ts, `trimCompletion`)."
    rest, out = rest_of_line(suffix), text
    if rest.strip():
        out = rest_of_line(out)
        for k in range(min(len(out), len(rest)), 0, -1):
            if out.endswith(rest[:k]): out = out[:-k]; break
    out = out.rstrip()
    return out or None

class ClientCache:
    "cache.ts: answers by the last 256 characters of the prefix; with `typed_through`, typing through a suggestion serves its rest."
    KEY = 256
    def __init__(self, capacity=100, typed_through=False): self.capacity, self.entries, self.typed_through = capacity, {}, typed_through
    def key(self, prefix): return prefix[-self.KEY:]
    def set(self, prefix, choices):
        k = self.key(prefix); self.entries.pop(k, None); self.entries[k] = choices
        while len(self.entries) > self.capacity: self.entries.pop(next(iter(self.entries)))
    def get(self, prefix):
        k = self.key(prefix)
        if k in self.entries: self.set(k, self.entries[k]); return self.entries[k]
        if not self.typed_through: return None
        for old, choices in reversed(list(self.entries.items())):
            found = [c[j:] for c in choices for j in range(1, len(c))
                     if prefix.endswith(c[:j]) and self.key(old + c[:j]) == k]
            if found: self.set(k, found); return found
        return None


# ---- the simulated user
def post(conn, path, body):
    t0 = time.perf_counter()
    conn.request('POST', path, body=json.dumps(body).encode(), headers={'Content-Type': 'application/json'})
    r = conn.getresponse()
    data = json.loads(r.read())
    if r.status != 200: raise RuntimeError(f'{path} {r.status}: {data}')
    return data, time.perf_counter() - t0

def below(text, end):
    "The code after a window: from the line after its end (the user types a new line above it)."
    nl = text.find('\n', end)
    return '' if nl < 0 else text[nl:]

def type_windows(windows, suggest, opened=None):
    "Type `windows`; `suggest(text, end)` makes the function that gives the suggestion shown at each cursor; `opened(text, start, end)`, if given, runs before each window. Returns the counts."
    keys, chars, shown, accepted = 0, 0, 0, 0
    for name, text, start, end in windows:
        if opened: opened(text, start, end)
        at, i = suggest(text, end), start
        while i < end:
            top = at(i)
            keys += 1
            if top:
                shown += 1
                if text.startswith(top, i) and i + len(top) <= end: accepted += 1; i += len(top); continue
            i += 1
        chars += end - start
    return dict(chars=chars, keys=keys, shown=shown, accepted=accepted)

def type_completions(conn, windows, a):
    "Type through /v1/completions as the extension asks; returns the counts and the latencies."
    times = []
    def suggest(text, end):
        cache, doc_after, wait = ClientCache(typed_through=a.typed_through), below(text, end), pacer(a.pace)
        def at(i):
            wait()
            doc = text[:i] + doc_after
            prefix, suffix = window(doc, i, a.context, a.window)
            if not worth_asking(suffix): return None
            choices = cache.get(prefix)
            if choices is None:
                data, dt = post(conn, '/v1/completions', {'language': 'python', 'segments': {'prefix': prefix, 'suffix': suffix},
                                                          'user': 'bench-editor'})
                times.append(dt)
                choices = [c['text'] for c in data['choices']]
                cache.set(prefix, choices)
            top = choices[0] if choices else None
            return client_trim(top, suffix) if top and a.client_trim else top
        return at
    return dict(**type_windows(windows, suggest, settler(conn, a, 'completions')), requests=len(times)), times

def type_autocomplete(conn, windows, a):
    "Type through /autocomplete with the whole text before the cursor."
    times = []
    def suggest(text, end):
        wait = pacer(a.pace)
        def at(i):
            wait()
            data, dt = post(conn, '/autocomplete', {'prompt': text[:i]})
            times.append(dt)
            return data['prediction'][0] if data['prediction'] else None
        return at
    return dict(**type_windows(windows, suggest, settler(conn, a, 'autocomplete')), requests=len(times)), times

def pacer(seconds):
    "A function to call at each keystroke that sleeps so that keystrokes come `seconds` apart (none when 0)."
    due = [time.perf_counter()]
    def wait():
        if not seconds: return
        now = time.perf_counter()
        if now < due[0]: time.sleep(due[0] - now)
        due[0] = max(now, due[0]) + seconds
    return wait

def settler(conn, a, endpoint):
    "With `--settle`: before a window is typed, its first request (not timed) and a wait while the server learns the file (`a.waits`)."
    if not a.settle: return None
    def opened(text, start, end):
        if endpoint == 'completions':
            prefix, suffix = window(text[:start] + below(text, end), start, a.context, a.window)
            post(conn, '/v1/completions', {'language': 'python', 'segments': {'prefix': prefix, 'suffix': suffix}, 'user': 'bench-editor'})
        else: post(conn, '/autocomplete', {'prompt': text[:start]})
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 120:
            conn.request('GET', '/v1/health'); info = json.loads(conn.getresponse().read()).get('adapt')
            if not info or not info['learning']: break
            time.sleep(0.05)
        a.waits.append(time.perf_counter() - t0)
    return opened

def summary(counts, times):
    ms = lambda x: round(1000 * x, 2)
    return dict(**counts, saved=round(1 - counts['keys'] / max(1, counts['chars']), 4),
                precision=round(counts['accepted'] / max(1, counts['shown']), 4),
                p50_ms=ms(pct(times, .5)), p99_ms=ms(pct(times, .99)), max_ms=ms(max(times)))

def peak_rss_mb(pid):
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmHWM:'): return round(int(line.split()[1]) / 1024, 1)
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--windows', default='data/heldout/windows.json', help='held-out windows (tools/fetch_heldout.py)')
    p.add_argument('--checkpoint', help='model to serve (default: the shipped model)')
    p.add_argument('--endpoints', nargs='+', default=['completions', 'autocomplete'], choices=['completions', 'autocomplete'])
    p.add_argument('--context', type=int, default=10000, help="the extension's contextChars (default: 10000, the extension's)")
    p.add_argument('--window', choices=['lines', 'chars'], default='lines', help="the extension's window (default: lines)")
    p.add_argument('--client-trim', action='store_true', help='trim on the client as the extension did before')
    p.add_argument('--typed-through', action='store_true', help="the client's cache serves the rest of a suggestion typed through, without the server (as the extension did before)")
    p.add_argument('--server-context', type=int, help="the server's --context, the characters the model reads "
                   "(default: the server's own, as when the extension starts it)")
    p.add_argument('--max-windows', type=int, help='type only the first N windows')
    p.add_argument('--chars', type=int, help='type only the first N characters of each window')
    p.add_argument('--torch-threads', type=int, default=1)
    p.add_argument('--line-prob', type=float, help="the server's --line-prob (default: its own)")
    p.add_argument('--copy', type=float, help="the server's --copy, the copy cache's share (default: its own)")
    p.add_argument('--no-int8', action='store_true', help="serve with 32-bit weights (the server's --no-int8)")
    p.add_argument('--no-adapt', action='store_true', help="do not learn the file being edited (the server's --no-adapt)")
    p.add_argument('--settle', action='store_true', help='before typing a window, send its first request and wait while the server learns the file '
                   '(a user who opens a file and reads before typing); by default typing starts at once, back to back')
    p.add_argument('--pace', type=float, default=0.0, metavar='SECONDS', help='time between keystrokes (a person types a few characters a second; default: 0, back to back)')
    p.add_argument('--cold', type=int, default=10, help='cold 4,000-character prompts to time (default: 10)')
    p.add_argument('--out', help='write the results here (JSON)')
    a = p.parse_args()
    if not Path(a.windows).exists(): sys.exit(f"{a.windows} not found: run tools/fetch_heldout.py first")
    windows = typing_windows([a.windows], a.chars)[:a.max_windows]
    a.files, a.serve_args = None, (['--line-prob', str(a.line_prob)] if a.line_prob is not None else [])
    if a.copy is not None: a.serve_args += ['--copy', str(a.copy)]
    if a.no_int8: a.serve_args += ['--no-int8']
    if a.no_adapt: a.serve_args += ['--no-adapt']
    a.waits = []
    proc, port, _ = start_server(a)
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
    try:
        conn.request('GET', '/v1/health'); health = json.loads(conn.getresponse().read())
        results = {}
        for e in a.endpoints:
            counts, times = (type_completions if e == 'completions' else type_autocomplete)(conn, windows, a)
            results[e] = summary(counts, times)
            print(e, results[e], file=sys.stderr)
        cold = []
        for k, f in enumerate(default_files(a.cold, 4000)[:a.cold] if a.cold else []):
            src = f.read_text(encoding='utf-8')[:4000]
            cold.append(post(conn, '/v1/completions', {'segments': {'prefix': f'# cold {k}\n' + src, 'suffix': ''}})[1])
        res = dict(date=time.strftime('%Y-%m-%d'), command=' '.join(['python', *sys.argv]),
                   machine=dict(cpus=os.cpu_count(), processor=platform.processor() or platform.machine(),
                                load_avg_at_end=[round(x, 2) for x in os.getloadavg()]),
                   model=health['model'], checkpoint=health['checkpoint'], windows=a.windows, windows_count=len(windows),
                   window=a.window, client_trim=a.client_trim, typed_through=a.typed_through, context=a.context, server_context=health.get('context_chars'), int8=health.get('int8'), adapt=not a.no_adapt, settle=a.settle, pace_s=a.pace, line_prob=a.line_prob, copy=a.copy, results=results,
                   cold_4000_p50_ms=round(1000 * pct(cold, .5), 1) if cold else None,
                   cold_4000_max_ms=round(1000 * max(cold), 1) if cold else None, server_peak_rss_mb=peak_rss_mb(proc.pid),
                   settle_waits_s=dict(p50=round(pct(a.waits, .5), 2), max=round(max(a.waits), 2)) if a.waits else None)
        conn.request('GET', '/v1/health'); res['server_adapt'] = json.loads(conn.getresponse().read()).get('adapt')
        print(json.dumps(res, indent=1))
        if a.out: Path(a.out).write_text(json.dumps(res, indent=1) + '\n')
    finally:
        conn.close()
        proc.terminate()
        try: proc.wait(10)
        except Exception: proc.kill()


if __name__ == '__main__': main()
