"""Build the JupyterLab extension (jupyterlab-extension/) into the prebuilt one the package carries.

    python tools/build_labextension.py           # npm ci (when needed), tsc, jupyter labextension build
    python tools/build_labextension.py --check   # exit 1 if ssl4code/labextension/ is older than its sources

It needs Node.js 20+, npm and the Python packages jupyterlab (for `jupyter labextension build`).
The output, ssl4code/labextension/, is committed: installing ssl4code needs no Node. Next to the
build it writes build_info.json with a sha256 of the sources it was built from, which
tests/test_labextension_build.py compares with the sources of the checkout.
"""
import argparse, hashlib, json, shutil, subprocess, sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / 'jupyterlab-extension'
OUT = REPO / 'ssl4code' / 'labextension'
INFO = OUT / 'build_info.json'
REBUILD = 'python tools/build_labextension.py'
# what the build depends on: the code, the dependencies (locked) and the build settings
SOURCES = ['package.json', 'package-lock.json', 'tsconfig.json', 'install.json', 'src']


def source_files():
    "The files the build is made from, sorted, as paths relative to jupyterlab-extension/."
    files = []
    for name in SOURCES:
        p = SRC / name
        files += sorted(q for q in p.rglob('*') if q.is_file()) if p.is_dir() else [p]
    return [f.relative_to(SRC).as_posix() for f in files]


def sources_sha256():
    "sha256 over the names and contents of the source files (line ends normalized, so a checkout on Windows agrees)."
    h = hashlib.sha256()
    for name in source_files():
        data = (SRC / name).read_bytes().replace(b'\r\n', b'\n')
        h.update(f'{name}\0{len(data)}\0'.encode())
        h.update(data)
    return h.hexdigest()


def check():
    "Problems with the committed build, [] when it is current."
    if not INFO.is_file(): return [f'{INFO.relative_to(REPO)} is missing']
    info = json.loads(INFO.read_text())
    problems = []
    if info.get('sources_sha256') != sources_sha256():
        problems.append(f'the build in {OUT.relative_to(REPO)} was made from other sources than jupyterlab-extension/ holds now')
    built = json.loads((OUT / 'package.json').read_text()) if (OUT / 'package.json').is_file() else {}
    load = built.get('jupyterlab', {}).get('_build', {}).get('load')
    if not load or not (OUT / load).is_file(): problems.append('the build has no static/remoteEntry.*.js it names in its package.json')
    missing = [f for f in info.get('files', []) if not (OUT / f).is_file()]
    if missing: problems.append(f'files of the build are missing: {missing}')
    return problems


def run(cmd, **kw):
    print('+', ' '.join(cmd), flush=True)
    subprocess.run(cmd, cwd=SRC, check=True, **kw)


def build(ci=False):
    npm = shutil.which('npm')
    if not npm: sys.exit('npm is not on PATH: the build needs Node.js 20+ and npm')
    if ci or not (SRC / 'node_modules').is_dir(): run([npm, 'ci', '--no-audit', '--no-fund'])
    if OUT.exists(): shutil.rmtree(OUT)
    shutil.rmtree(SRC / 'lib', ignore_errors=True)
    (SRC / 'tsconfig.tsbuildinfo').unlink(missing_ok=True)
    run([npm, 'run', 'build:lib'])
    jupyter = Path(sys.executable).parent / 'jupyter'
    run([str(jupyter) if jupyter.exists() else 'jupyter', 'labextension', 'build', '.'])
    shutil.copyfile(SRC / 'install.json', OUT / 'install.json')
    files = sorted(p.relative_to(OUT).as_posix() for p in OUT.rglob('*') if p.is_file())
    INFO.write_text(json.dumps({'sources_sha256': sources_sha256(), 'sources': source_files(), 'files': files,
                                'rebuild': REBUILD}, indent=1) + '\n')
    print(f'built {OUT.relative_to(REPO)}: {len(files)} files')


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--check', action='store_true', help='only check that the committed build matches the sources')
    p.add_argument('--ci', action='store_true', help='always run `npm ci` (a clean install from package-lock.json)')
    a = p.parse_args()
    if a.check:
        problems = check()
        for m in problems: print(m, file=sys.stderr)
        if problems: sys.exit(f'the prebuilt JupyterLab extension is stale: rebuild it with `{REBUILD}` and commit ssl4code/labextension/')
        print('ssl4code/labextension/ is current')
    else: build(a.ci)
