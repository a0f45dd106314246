"""Build a bigger training corpus from the Python installed on this machine, for training on a GPU.

    python tools/recipes/build_gpu_corpus.py [--out data/big] [--heldout data/heldout] [SITE_DIR ...]

The stdlib corpus (about 2.9 M tokens) is enough for an hour of CPU; a GPU reads it hundreds of
times in minutes. This gathers the stdlib with its test suites plus the .py files of the installed
packages (each site-packages folder given, default: this Python's), with two kinds of leak kept
out, so that the held-out numbers stay honest:
- packages used for evaluation (the held-out packages of tools/fetch_heldout.py and the
  Flask/Werkzeug/Jinja2 sources of tools/bench_serve.py) are skipped wherever they are, vendored
  copies included;
- any other file that shares 3 or more long lines (30+ characters) with the held-out windows
  (windows.json and tune.json) is dropped.
The staged files are then passed to `ssl4code data` (cleaning, de-duplication, project split).
"""
import argparse, subprocess, sys, sysconfig, tempfile
from pathlib import Path

EVAL_PACKAGES = {'attr', 'attrs', 'boltons', 'more_itertools', 'requests', 'sortedcontainers', 'toolz', 'cytoolz',
                 'flask', 'werkzeug', 'jinja2',
                 'marshmallow', 'bottle', 'humanize', 'tinydb', 'cerberus', 'voluptuous'}   # fetch_heldout.py --fresh
SKIP = EVAL_PACKAGES | {'ssl4code', '__pycache__'}


def long_lines(text, min_len=30):
    return {s for s in (l.strip() for l in text.splitlines()) if len(s) >= min_len}


def heldout_lines(heldout):
    "Long lines of every held-out window (evaluation and tuning windows)."
    from ssl4code.evaluate import typing_windows
    paths = [heldout/'windows.json', heldout/'tune.json']
    for p in paths:
        if not p.exists(): sys.exit(f"{p} not found: run `python tools/fetch_heldout.py --out {heldout}` first")
    return set().union(*(long_lines(text[start:end]) for _, text, start, end in typing_windows(paths)))


def stage(site, dest, banned, max_shared=3):
    "Copy the .py files of `site` to `dest`, leaving out evaluation packages and files that overlap held-out text."
    from ssl4code.data import walk_folder
    kept = dropped = 0
    for path, data, reason in walk_folder(site):
        parts = path.split('/')
        if reason or SKIP & set(parts[:-1]) or parts[-1].startswith(('ssl4code', '__editable__')): continue
        if any(d.endswith(('.dist-info', '.egg-info')) for d in parts[:-1]): continue
        try: text = data.decode('utf-8')
        except UnicodeDecodeError: continue
        if len(long_lines(text) & banned) >= max_shared:
            dropped += 1
            continue
        q = dest/path
        q.parent.mkdir(parents=True, exist_ok=True)
        q.write_bytes(data)
        kept += 1
    return kept, dropped


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('sites', nargs='*', help='site-packages folders (default: this Python\'s purelib)')
    p.add_argument('--out', default='data/big', help='dataset folder to write')
    p.add_argument('--heldout', default='data/heldout', help='folder made by tools/fetch_heldout.py')
    p.add_argument('--valid-ratio', default='0.02', help='share of bytes for validation')
    a = p.parse_args()
    banned = heldout_lines(Path(a.heldout))
    sites = a.sites or [sysconfig.get_paths()['purelib']]
    with tempfile.TemporaryDirectory() as tmp:
        sources = ['stdlib']
        for i, site in enumerate(sites):
            dest = Path(tmp)/f'site{i}'
            kept, dropped = stage(Path(site), dest, banned)
            print(f'{site}: {kept:,} files staged, {dropped} dropped for sharing lines with held-out windows')
            sources.append(str(dest))
        cmd = ['ssl4code', 'data', *sources, '--stdlib-tests', '--valid-ratio', a.valid_ratio, '--out', a.out]
        sys.exit(subprocess.run(cmd).returncode)


if __name__ == '__main__':
    main()
