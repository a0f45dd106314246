"""Benchmark `ssl4code serve` as an editor uses it: simulated typing through HTTP.

    python tools/bench_serve.py [--checkpoint C] [--files F ...] [--chars 3000] [--torch-threads 1]

Starts `ssl4code serve` on a free port, then types Python files that are NOT in the training
corpus (by default files of Flask, Werkzeug and Jinja2 installed beside ssl4code: not in the
standard library, and tools/recipes/build_gpu_corpus.py leaves them out) one character per request,
accepting the top suggestion with one key when the text ahead starts with it, as an editor
user would. Every request sends the whole text
before the cursor (the server keeps the last --context characters). Reports latency per request
(p50, p90, p99, max, measured by the client, HTTP included), keystrokes saved, and the time of
cold 4,000-character prompts (text the server has never seen), then stops the server.
"""
import argparse, http.client, json, os, re, shutil, signal, statistics, subprocess, sys, threading, time
from pathlib import Path


def default_files(n=6, min_chars=4000):
    "Largish modules of web packages installed beside ssl4code: real code the model never saw."
    import importlib
    files = []
    for pkg in ('flask', 'werkzeug', 'jinja2'):
        try: root = Path(importlib.import_module(pkg).__file__).parent
        except ImportError: continue
        files += [f for f in sorted(root.rglob('*.py')) if f.stat().st_size >= min_chars]
    # spread the picks over the packages
    step = max(1, len(files) // n)
    return files[::step][:n]


def start_server(args):
    exe = shutil.which('ssl4code', path=str(Path(sys.executable).parent)) or shutil.which('ssl4code')
    cmd = ([exe] if exe else [sys.executable, '-c', 'import sys; from ssl4code.core import main; sys.exit(main())'])
    cmd += ['serve', '--port', '0', '--torch-threads', str(args.torch_threads)]
    context = getattr(args, 'server_context', args.context)    # None: the server's own default
    if context: cmd += ['--context', str(context)]
    if args.checkpoint: cmd += ['--checkpoint', args.checkpoint]
    cmd += getattr(args, 'serve_args', [])   # more `ssl4code serve` options (tools/bench_editor.py)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    port, lines, found = [None], [], threading.Event()
    def read():
        for line in proc.stdout:
            lines.append(line)
            m = re.search(r'listening on http://[\d.]+:(\d+)', line)
            if m: port[0] = int(m.group(1)); found.set()
    threading.Thread(target=read, daemon=True).start()
    if not found.wait(120):
        proc.kill()
        sys.exit('server did not start:\n' + ''.join(lines))
    return proc, port[0], lines


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--checkpoint', help='model to serve (default: the shipped model)')
    p.add_argument('--files', nargs='+', help='Python files to type (default: some Flask/Werkzeug/Jinja2 modules)')
    p.add_argument('--chars', type=int, default=3000, help='characters typed per file (default: 3000)')
    p.add_argument('--context', type=int, default=2000, help='server --context (default: 2000)')
    p.add_argument('--torch-threads', type=int, default=1, help='server --torch-threads (default: 1)')
    p.add_argument('--cold', type=int, default=10, help='cold 4,000-character prompts to time (default: 10)')
    p.add_argument('--json', help='also write the results to this JSON file')
    a = p.parse_args()
    files = [Path(f) for f in a.files] if a.files else default_files()
    proc, port, lines = start_server(a)
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)

    def complete(prompt):
        t0 = time.perf_counter()
        conn.request('POST', '/autocomplete', body=json.dumps({'prompt': prompt}).encode(),
                     headers={'Content-Type': 'application/json'})
        r = conn.getresponse()
        data = json.loads(r.read())
        dt = time.perf_counter() - t0
        if r.status != 200: raise RuntimeError(f'{r.status}: {data}')
        return data['prediction'], dt

    try:
        conn.request('GET', '/health'); health = json.loads(conn.getresponse().read())
        times, chars, keys, offered, accepted = [], 0, 0, 0, 0
        for f in files:
            text = f.read_text(encoding='utf-8')[:a.chars]
            i = 0
            while i < len(text):
                pred, dt = complete(text[:i])
                times.append(dt); keys += 1
                if pred:
                    offered += 1
                    if text.startswith(pred[0], i): accepted += 1; i += len(pred[0]); continue
                i += 1
            chars += len(text)
            print(f'{f}: {len(text)} chars, {len(times)} requests so far', file=sys.stderr)
        # cold prompts: 4,000 characters the server has not seen (different files, different offsets)
        cold, pool = [], [f for f in default_files(40, 9000) if f not in files] or files
        for k in range(a.cold):
            src = pool[k % len(pool)].read_text(encoding='utf-8')
            off = (k // len(pool)) * 4000
            prompt = src[off:off + 4000]
            if len(prompt) < 4000: prompt = (prompt + src)[:4000]
            cold.append(complete(f'# cold {k}\n' + prompt)[1])
        ms = lambda x: round(1000 * x, 2)
        res = {'model': health['model'], 'params': health['params'], 'checkpoint': health['checkpoint'],
               'files': [str(f) for f in files], 'requests': len(times),
               'p50_ms': ms(pct(times, .5)), 'p90_ms': ms(pct(times, .9)), 'p99_ms': ms(pct(times, .99)),
               'max_ms': ms(max(times)), 'mean_ms': ms(statistics.mean(times)),
               'keystrokes_saved': round(1 - keys / chars, 4), 'precision': round(accepted / max(1, offered), 4),
               'cold_4000_p50_ms': ms(pct(cold, .5)), 'cold_4000_max_ms': ms(max(cold)),
               'torch_threads': a.torch_threads, 'context': a.context, 'cpus': os.cpu_count(),
               'load_avg_at_end': [round(x, 2) for x in os.getloadavg()]}
        print(json.dumps(res, indent=1))
        if a.json: Path(a.json).write_text(json.dumps(res, indent=1))
    finally:
        conn.close()
        proc.send_signal(signal.SIGINT)
        try: proc.wait(10)
        except subprocess.TimeoutExpired: proc.kill()


if __name__ == '__main__':
    main()
