import subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def test_readme_is_generated_from_index_notebook():
    r = subprocess.run([sys.executable, 'tools/make_readme.py', '--check'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

def test_readme_has_the_two_setup_commands():
    text = (ROOT/'README.md').read_text()
    blocks = [b.split('```')[0].strip() for b in text.split('```sh\n')[1:]]
    assert len(blocks) == 2, blocks
    assert 'pip install' in blocks[0] and 'ssl4code' in blocks[0]
    assert 'pytest' in blocks[1]
