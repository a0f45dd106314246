"""The JupyterLab extension as shipped: the committed prebuilt front end matches its sources, and a plain
(non-editable) install of the package makes Jupyter list both extensions as enabled.

CI installs the package editable, which installs no data_files, so the install test makes a real plain
install of this checkout into a fresh virtual environment of its own (one that sees this environment's
packages through a .pth file; the build uses this environment's setuptools when it can make wheels,
else pip's default isolated build, which fetches setuptools from the package index). In that
environment sys.prefix is the new one, so Jupyter finds the extensions exactly where a user's
`pip install ssl4code` puts them, with no search-path settings. `jupyter labextension list` and
`jupyter server extension list` are run as the modules those commands are (`python -m
jupyterlab.labextensions list`, ...) with the new environment's interpreter. About 6-10 s.
"""
import os, subprocess, sys, sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_labextension_build_is_current():
    "ssl4code/labextension/ was built from the sources in jupyterlab-extension/ (else: rebuild and commit)."
    r = subprocess.run([sys.executable, 'tools/build_labextension.py', '--check'], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.fixture(scope='module')
def plain_install(tmp_path_factory):
    "A new virtual environment with this checkout installed the plain way (`pip install .`, no -e)."
    tmp = tmp_path_factory.mktemp('plain_install')
    # a copy of what git tracks, so the build leaves nothing in the checkout
    files = subprocess.run(['git', 'ls-files', '-z', 'setup.py', 'settings.ini', 'pyproject.toml', 'README.md', 'ssl4code',
                            'jupyter-config'], cwd=REPO, capture_output=True, check=True).stdout.decode().split('\0')
    src = tmp / 'src'
    for f in filter(None, files):
        (src / f).parent.mkdir(parents=True, exist_ok=True)
        (src / f).write_bytes((REPO / f).read_bytes())
    venv = tmp / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(venv)], check=True, timeout=120)
    py = venv / 'bin' / 'python'
    site = Path(subprocess.run([str(py), '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
                               capture_output=True, text=True, check=True).stdout.strip())
    site.mkdir(parents=True, exist_ok=True)
    (site / 'parent_env.pth').write_text(sysconfig.get_paths()['purelib'] + '\n')   # jupyter, torch, pip, setuptools
    env = {k: v for k, v in os.environ.items() if not k.startswith(('PYTHONPATH', 'JUPYTER_', 'PIP_'))}
    env.update(JUPYTER_CONFIG_DIR=str(tmp / 'user-config'), JUPYTER_DATA_DIR=str(tmp / 'user-data'),
               PIP_DISABLE_PIP_VERSION_CHECK='1')
    # build with this environment's setuptools when it can make wheels (>= 70.1, or the wheel package),
    # else as pip does by default, in an isolated build environment (which asks the package index)
    local = subprocess.run([sys.executable, '-c', 'import importlib.util as u, setuptools; from packaging.version import parse; '
                            'assert u.find_spec("wheel") or parse(setuptools.__version__) >= parse("70.1")'],
                           capture_output=True).returncode == 0
    how = ['--no-build-isolation', '--no-index'] if local else []
    r = subprocess.run([str(py), '-m', 'pip', 'install', '--no-deps', *how, '-q', str(src)],
                       env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return py, venv, env


def run_in(plain_install, *args):
    py, venv, env = plain_install
    # run outside the checkout: `python -c`/`-m` put the working directory first on sys.path
    r = subprocess.run([str(py), *args], cwd=venv.parent, env=env, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout + r.stderr


def test_installed_from_the_new_environment(plain_install):
    _, venv, _ = plain_install
    rc, out = run_in(plain_install, '-c', 'import ssl4code.jupyterlab as m; print(m.__file__)')
    assert rc == 0 and Path(out.strip()).is_relative_to(venv), out     # not this checkout, not an editable install
    assert (venv / 'share/jupyter/labextensions/ssl4code/package.json').is_file()
    assert (venv / 'etc/jupyter/jupyter_server_config.d/ssl4code.json').is_file()


def test_jupyter_labextension_list(plain_install):
    _, venv, _ = plain_install
    rc, out = run_in(plain_install, '-m', 'jupyterlab.labextensions', 'list')       # = `jupyter labextension list`
    assert rc == 0, out
    out = strip_colours(out)
    section = out.split(str(venv / 'share/jupyter/labextensions'), 1)
    assert len(section) == 2, f'the new environment holds no lab extension:\n{out}'
    line = next((l for l in section[1].splitlines() if l.strip().startswith('ssl4code ')), '')
    assert 'enabled' in line and 'OK' in line and '(python, ssl4code)' in line, out


def test_jupyter_server_extension_list(plain_install):
    _, venv, _ = plain_install
    rc, out = run_in(plain_install, '-m', 'jupyter_server.extension.serverextension', 'list')   # = `jupyter server extension list`
    assert rc == 0, out
    out = strip_colours(out)
    section = out.split(f'Config dir: {venv / "etc/jupyter"}', 1)
    assert len(section) == 2, f'the new environment has no Jupyter config:\n{out}'
    mine = section[1].split('Config dir:', 1)[0]
    assert 'ssl4code.jupyterlab enabled' in ' '.join(mine.split()), out
    assert 'ssl4code.jupyterlab OK' in ' '.join(mine.split()), out     # it imports, with its load function


def strip_colours(text):
    import re
    return re.sub(r'\x1b\[[0-9;]*m', '', text)
