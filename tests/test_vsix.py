"""The VS Code extension packaged in the Python package (ssl4code/assets/ssl4code.vsix) is built
from the current extension sources. No Node needed: tools/build_vsix.py recorded the sources'
sha256 when it built the .vsix; a change to vscode-extension/ without a rebuild fails here."""
import json, sys, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
import build_vsix as B


def test_packaged_vsix_is_built_from_the_current_sources():
    why = B.stale_reason()
    assert why is None, f'{why}: rebuild it with `{B.REBUILD}` (needs Node.js 20+ and npm) and commit ssl4code/assets/'


def test_packaged_vsix_holds_the_extension():
    ext = B.EXT
    with zipfile.ZipFile(B.VSIX) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read('extension/package.json'))
        readme = z.read('extension/readme.md').decode()
    source = json.loads((ext/'package.json').read_text())
    for key in ('name', 'publisher', 'version', 'main', 'activationEvents', 'contributes'):
        assert manifest[key] == source[key], key
    assert readme.replace('\r\n', '\n') == (ext/'README.md').read_text().replace('\r\n', '\n')
    compiled = {f'extension/out/src/{p.stem}.js' for p in (ext/'src').glob('*.ts')}
    assert compiled <= names, compiled - names
    assert not any('node_modules' in n or '/test/' in n for n in names), sorted(names)
    assert B.VSIX.stat().st_size < 200_000


def test_stale_sources_are_detected(tmp_path, monkeypatch):
    "The check can fail: a changed source file changes the hash."
    before = B.sources_sha256()
    src = tmp_path/'vscode-extension'
    for f in B.source_files():
        dst = src/f.relative_to(B.EXT)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(f.read_bytes())
    monkeypatch.setattr(B, 'EXT', src)
    assert B.sources_sha256() == before
    (src/'src'/'extension.ts').write_text((src/'src'/'extension.ts').read_text() + '\n// changed\n')
    assert B.sources_sha256() != before
    assert B.stale_reason() == 'the extension sources changed since the .vsix was built'
