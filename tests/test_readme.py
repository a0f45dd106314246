import subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def test_readme_is_generated_from_index_notebook():
    r = subprocess.run([sys.executable, 'tools/make_readme.py', '--check'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

def test_readme_has_the_two_setup_commands():
    sys.path.insert(0, str(ROOT/'tools'))
    from make_readme import setup_commands
    blocks = setup_commands((ROOT/'README.md').read_text())
    assert len(blocks) == 2 and all('\n' not in b for b in blocks), blocks
    assert 'pip install' in blocks[0] and 'ssl4code' in blocks[0]
    assert 'pytest' in blocks[1]
