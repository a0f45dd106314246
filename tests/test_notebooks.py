"""Run every notebook's tests (the cells not flagged slow) with nbdev_test, one notebook per test."""
import os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p.name for p in (ROOT/'nbs').glob('*.ipynb'))

@pytest.mark.parametrize('nb', NOTEBOOKS)
def test_notebook(nb):
    nbdev_test = Path(sys.executable).parent/'nbdev_test'
    r = subprocess.run([str(nbdev_test), '--path', f'nbs/{nb}', '--n_workers', '0'], cwd=ROOT,
                       capture_output=True, text=True, timeout=900, env={**os.environ, 'PYTHONUNBUFFERED': '1'})
    assert r.returncode == 0, f'{nb} failed:\n{r.stdout[-6000:]}\n{r.stderr[-6000:]}'
