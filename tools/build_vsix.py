"""Build the VS Code extension and put it in the Python package: ssl4code/assets/ssl4code.vsix.

    python tools/build_vsix.py           # npm ci (when needed) + npm run package, then copy and record
    python tools/build_vsix.py --check   # exit 1 when the packaged .vsix is older than the sources

Beside the .vsix it writes ssl4code/assets/ssl4code.vsix.json: the sha256 of the extension's
sources (the files listed by `source_files`, which are what goes into the .vsix) and of the .vsix
itself. tests/test_vsix.py recomputes the first and fails when they differ, so CI catches a
.vsix that was not rebuilt after the extension changed. The .vsix is re-zipped with fixed
timestamps and a fixed order, so the same sources give the same bytes.
"""
import hashlib, json, shutil, subprocess, sys, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXT = ROOT/'vscode-extension'
ASSETS = ROOT/'ssl4code'/'assets'
VSIX = ASSETS/'ssl4code.vsix'
RECORD = ASSETS/'ssl4code.vsix.json'
REBUILD = 'python tools/build_vsix.py'

def source_files():
    "The extension's files that determine the .vsix: manifest, lock file, compiler settings, README, sources."
    fixed = ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md', '.vscodeignore']
    return [EXT/f for f in fixed] + sorted((EXT/'src').rglob('*.ts'))

def sources_sha256():
    h = hashlib.sha256()
    for f in source_files():
        h.update(f.relative_to(EXT).as_posix().encode() + b'\0')
        h.update(f.read_bytes().replace(b'\r\n', b'\n') + b'\0')
    return h.hexdigest()

def file_sha256(path): return hashlib.sha256(Path(path).read_bytes()).hexdigest()

def normalize_zip(src, dst):
    "Copy the zip `src` to `dst` with entries in name order and a fixed timestamp (reproducible bytes)."
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for name in sorted(zin.namelist()):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            zout.writestr(info, zin.read(name))

def build():
    npm = shutil.which('npm')
    if not npm: raise SystemExit('build_vsix: npm is not on PATH (Node.js 20+ is needed to build the extension)')
    if not (EXT/'node_modules'/'.bin'/'vsce').exists():
        subprocess.run([npm, 'ci', '--no-audit', '--no-fund'], cwd=EXT, check=True)
    shutil.rmtree(EXT/'out', ignore_errors=True)  # nothing stale goes in
    subprocess.run([npm, 'run', 'package'], cwd=EXT, check=True)
    ASSETS.mkdir(parents=True, exist_ok=True)
    normalize_zip(EXT/'ssl4code.vsix', VSIX)
    version = json.loads((EXT/'package.json').read_text())['version']
    record = {'extension_version': version, 'sources_sha256': sources_sha256(), 'vsix_sha256': file_sha256(VSIX),
              'sources': [f.relative_to(ROOT).as_posix() for f in source_files()], 'rebuild': REBUILD}
    RECORD.write_text(json.dumps(record, indent=1) + '\n')
    print(f'{VSIX.relative_to(ROOT)}: {VSIX.stat().st_size:,} bytes, extension {version}, sources {record["sources_sha256"][:12]}')

def stale_reason():
    "Why the packaged .vsix does not match the sources, or None when it does."
    if not VSIX.exists() or not RECORD.exists(): return f'{VSIX.relative_to(ROOT)} or its record is missing'
    record = json.loads(RECORD.read_text())
    if record.get('sources_sha256') != sources_sha256():
        return 'the extension sources changed since the .vsix was built'
    if record.get('vsix_sha256') != file_sha256(VSIX): return 'the .vsix is not the one the record describes'
    return None

def main(argv):
    if '--check' in argv:
        why = stale_reason()
        if why: print(f'{why}: rebuild it with: {REBUILD}')
        return 1 if why else 0
    build()
    return 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
