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
"""
import argparse, json, shutil, subprocess, sys, tempfile, zipfile
from pathlib import Path

PINS = ['attrs==23.2.0', 'boltons==23.1.1', 'more-itertools==10.2.0', 'requests==2.31.0',
        'sortedcontainers==2.4.0', 'toolz==0.12.1']


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


def windows(out, per_package, chars, min_chars, at=1/3):
    "Windows `{file, start, end}` (paths relative to `out`) starting at the first line start past `at` of each file."
    found = []
    for pin in PINS:
        files = sorted(f for f in (out/pin.split('==')[0]).rglob('*.py') if f.stat().st_size >= min_chars)
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
    a = p.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    for pin in PINS: print('fetched', fetch(pin, out))
    for name, at in [('windows.json', 1/3), ('tune.json', 2/3)]:
        w = windows(out, a.per_package, a.chars, a.min_chars, at)
        (out/name).write_text(json.dumps(dict(pins=PINS, windows=w), indent=1))
        print(f"{len(w)} windows, {sum(x['end'] - x['start'] for x in w):,} characters -> {out/name}")


if __name__ == '__main__': main()
