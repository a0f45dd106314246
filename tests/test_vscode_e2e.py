"""The VS Code extension (vscode-extension/): its unit tests (npm ci + npm test) and the
end-to-end test in a real VS Code (code-server + Chromium, vscode-extension/e2e/).

The e2e installs its toolchain first (vscode-extension/e2e/setup.sh: apt, pip, npm; ~2 min on a
bare machine, ~0 s after). A test is skipped only when that install fails because the package
registries cannot be reached; any other failure fails. The e2e uses the real `ssl4code serve`
when `ssl4code.serve` imports and a checkpoint is available, else a fake server
(SSL4CODE_E2E_REAL=1 / =0 force either). On failure, a screenshot and logs are in
.e2e/artifacts/ (or $SSL4CODE_E2E_CACHE/artifacts/).
"""
import os, shutil, subprocess, sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXT = REPO / 'vscode-extension'


def registry_reachable():
    "Whether npm reaches its registry, asked of npm itself (`npm ping`), so it follows whatever registry or mirror npm is set up with."
    try:
        return run(['npm', 'ping'], timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def run(cmd, timeout, **kw):
    return subprocess.run(cmd, cwd=kw.pop('cwd', EXT), capture_output=True, text=True, timeout=timeout, **kw)


def explain(r):
    return f'exit {r.returncode}\n--- stdout\n{r.stdout[-6000:]}\n--- stderr\n{r.stderr[-6000:]}'


@pytest.fixture(scope='module')
def node_modules():
    "`npm ci` in vscode-extension/ (from package-lock.json)."
    assert shutil.which('npm'), 'npm is not on PATH: the extension needs Node.js 20+ and npm'
    r = run(['npm', 'ci', '--no-audit', '--no-fund'], timeout=600)
    if r.returncode != 0:
        if not registry_reachable():
            pytest.skip('npm ci failed and the npm registry is unreachable (no network)')
        pytest.fail(f'npm ci failed:\n{explain(r)}')
    return EXT / 'node_modules'


def test_extension_unit_tests(node_modules):
    r = run(['npm', 'test'], timeout=300)
    assert r.returncode == 0, explain(r)
    assert '# fail 0' in r.stdout and '# pass 0' not in r.stdout, explain(r)


def test_extension_in_real_vscode(node_modules):
    env = {**os.environ, 'PYTHON': sys.executable}
    setup = run(['bash', str(EXT / 'e2e' / 'setup.sh')], timeout=1500, env=env)
    if setup.returncode == 3:
        pytest.skip(f'the e2e toolchain (chromium, playwright, Node 24, code-server) could not be installed: '
                    f'no network\n{setup.stderr[-2000:]}')
    assert setup.returncode == 0, f'e2e setup failed:\n{explain(setup)}'
    r = run([sys.executable, str(EXT / 'e2e' / 'run_e2e.py')], timeout=900, cwd=REPO)
    assert r.returncode == 0, f'the end-to-end test failed (screenshot and logs: see the end of stderr):\n{explain(r)}'
    assert 'PASSED' in r.stderr
