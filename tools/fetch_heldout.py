"""Fetch held-out Python for evaluation: pinned pure-Python packages from PyPI, none in the training corpus.

    python tools/fetch_heldout.py [--out data/heldout]

The training corpus is the standard library; these packages are not part of it and ssl4code does
not depend on them. Each is downloaded as its pinned wheel (`pip download --no-deps`), and its
.py files (tests excluded) are unpacked to OUT/<package>/. Then `windows.json` lists the evaluation
windows: from each package, up to --per-package of its larger modules (spread evenly over the
sorted file list), and in each a window of --chars characters starting at a line start a third of
the way in, so that the text before the window is there as context, as in an editor. `tune.json` has windows of the
same files two thirds of the way in, which do not overlap them: tune the completer's settings
on those, and report on `windows.json`.
Running it again with the same pins gives the same windows.

`--fresh` fetches six other packages (FRESH_PINS) and writes `fresh.json`, windows a third of the
way into their modules: code typed by nobody while choosing, for when `windows.json` has been
looked at too often (99_experiments says which results used which).
"""
import argparse, json, shutil, subprocess, sys, tempfile, zipfile
from pathlib import Path

PINS = ['attrs==23.2.0', 'boltons==23.1.1', 'more-itertools==10.2.0', 'requests==2.31.0',
        'sortedcontainers==2.4.0', 'toolz==0.12.1']
# pinned on 2026-12-06 before any of their code was read: packages that neither the project's environment
# nor a usual GPU image installs, so that the shipped model's corpus (the stdlib and the installed packages of
# tools/recipes/build_gpu_corpus.py, which now skips them too) is unlikely to hold them
FRESH_PINS = ['marshmallow==3.21.1', 'bottle==0.12.25', 'humanize==4.9.0', 'tinydb==4.8.0', 'cerberus==1.3.5',
              'voluptuous==0.14.2']


def fetch(pin, out):
    "Download the wheel of `pin` and unpack its non-test .py files under `out`/<name>; returns the folder."
    name = pin.split('==')[0]
    dest = out/name
    if dest.exists(): return dest
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, '-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '-q', '-d', tmp, pin]
        if subprocess.run(cmd).returncode: sys.exit(f"could not download {pin} (is PyPI reachable?)")
        wheel, = Path(tmp).glob('*.whl')
        part = Path(tmp)/'unpacked'
        with zipfile.ZipFile(wheel) as z:
            for m in z.namelist():
                if m.endswith('.py') and '/tests/' not in f'/{m}' and not Path(m).name.startswith('test_'):
                    z.extract(m, part)
        shutil.move(str(part), str(dest))    # whole or not at all
    return dest


def windows(out, per_package, chars, min_chars, at=1/3, pins=PINS):
    "Windows `{file, start, end}` (paths relative to `out`) starting at the first line start past `at` of each file of the `pins`' packages."
    found = []
    for pin in pins:
        files = sorted(f for f in (out/pin.split('==')[0]).rglob('*.py') if f.stat().st_size >= min_chars
                       and not any(part.endswith('.data') for part in f.parts))   # a wheel's script copy of a module
        step = max(1, len(files) // per_package)
        for f in files[::step][:per_package]:
            text = f.read_text(encoding='utf-8').replace('\r\n', '\n')
            start = text.find('\n', int(len(text) * at)) + 1
            end = min(len(text), start + chars)
            found.append(dict(file=str(f.relative_to(out)), start=start, end=end))
    return found


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='data/heldout', help='folder for the sources and windows.json')
    p.add_argument('--per-package', type=int, default=4, help='modules per package')
    p.add_argument('--chars', type=int, default=1500, help='characters typed per window')
    p.add_argument('--min-chars', type=int, default=6000, help='skip modules smaller than this')
    p.add_argument('--fresh', action='store_true', help='fetch FRESH_PINS instead and write fresh.json')
    a = p.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    pins, sets = (FRESH_PINS, [('fresh.json', 1/3)]) if a.fresh else (PINS, [('windows.json', 1/3), ('tune.json', 2/3)])
    per_package = a.per_package + 2 if a.fresh else a.per_package    # some fresh packages are a single module
    for pin in pins: print('fetched', fetch(pin, out))
    for name, at in sets:
        w = windows(out, per_package, a.chars, a.min_chars, at, pins)
        (out/name).write_text(json.dumps(dict(pins=pins, windows=w), indent=1))
        print(f"{len(w)} windows, {sum(x['end'] - x['start'] for x in w):,} characters -> {out/name}")


if __name__ == '__main__': main()
