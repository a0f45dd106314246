"""Ghost text in a real JupyterLab (issue 21), end to end, with the real shipped model.

A real `jupyter lab` starts on a free port of 127.0.0.1 with a token, from this checkout: Jupyter is
pointed at the prebuilt front end (ssl4code/labextension/) and at the server extension's config
(jupyter-config/) through JUPYTER_PATH and JUPYTER_CONFIG_PATH, since an editable install (CI's) installs
no data_files (tests/test_jupyterlab_install.py checks a plain install). Then:
- Debian's Chromium, driven by Playwright, opens a notebook whose first cell defines `greet` (which
  makes the server load the model, lazily, before the first keystroke), types `message = gr` in the
  second cell, sees the model's ghost text, accepts it with Tab, saves, and the saved .ipynb holds the
  typed text followed by exactly the ghost text;
- the completion endpoint refuses requests without Jupyter's token (403) and answers with it, and the
  Jupyter server, model loaded, still listens on its own port only.

The browser test installs its toolchain first, as the VS Code e2e does (apt: chromium; pip: playwright;
seconds when present). It is skipped only when that install fails and the package clients cannot reach
their registries (`npm ping`, `pip index`); any other failure fails. On failure a screenshot, the
browser console and the server log are in .e2e/jupyterlab/ (or $SSL4CODE_E2E_CACHE/jupyterlab/).
About 15-25 s on 2 cores.
"""
import json, os, shutil, signal, socket, subprocess, sys, time, urllib.error, urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get('SSL4CODE_E2E_CACHE', REPO / '.e2e')) / 'jupyterlab'
TOKEN = 'ssl4code-e2e-token'
EARLIER = 'def greet(name):\n    return "hello " + name'
TYPED = 'message = gr'


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def notebook(cells):
    return {'nbformat': 4, 'nbformat_minor': 5,
            'metadata': {'kernelspec': {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}},
            'cells': [{'cell_type': 'code', 'id': f'c{i}', 'metadata': {}, 'source': s, 'outputs': [], 'execution_count': None}
                      for i, s in enumerate(cells)]}


def request(url, data=None, headers=None, method=None):
    "`(status, body)` of an HTTP request (no exception for 4xx/5xx)."
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(url, body, headers={'Content-Type': 'application/json', **(headers or {})}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r: return r.status, r.read().decode()
    except urllib.error.HTTPError as e: return e.code, e.read().decode()


@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    "A running `jupyter lab` with ssl4code's two extensions from this checkout: (base url, notebook path, log path)."
    tmp = tmp_path_factory.mktemp('jupyterlab')
    work, data = tmp / 'work', tmp / 'data'
    work.mkdir()
    (data / 'labextensions').mkdir(parents=True)
    (data / 'labextensions' / 'ssl4code').symlink_to(REPO / 'ssl4code' / 'labextension')
    nb = work / 'ghost.ipynb'
    nb.write_text(json.dumps(notebook([EARLIER, ''])))
    env = {k: v for k, v in os.environ.items() if not k.startswith('JUPYTER')}
    env.update(HOME=str(tmp), JUPYTER_CONFIG_DIR=str(tmp / 'config'), JUPYTER_DATA_DIR=str(tmp / 'user-data'),
               JUPYTER_RUNTIME_DIR=str(tmp / 'runtime'), JUPYTER_PATH=str(data),
               JUPYTER_CONFIG_PATH=str(REPO / 'jupyter-config'), PYTHONPATH=os.pathsep.join(
                   [str(REPO)] + [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]))
    env.pop('SSL4CODE_CHECKPOINT', None)                       # the shipped model
    port = free_port()
    jupyter = Path(sys.executable).parent / 'jupyter'
    cmd = [str(jupyter) if jupyter.exists() else 'jupyter', 'lab', '--no-browser', '--ip=127.0.0.1', f'--port={port}',
           '--ServerApp.port_retries=0', f'--IdentityProvider.token={TOKEN}', f'--ServerApp.root_dir={work}',
           f'--LabApp.user_settings_dir={tmp / "settings"}', f'--LabApp.workspaces_dir={tmp / "workspaces"}']
    if hasattr(os, 'geteuid') and os.geteuid() == 0: cmd.append('--allow-root')
    log = tmp / 'lab.log'
    with open(log, 'w') as out:
        proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f'http://127.0.0.1:{port}'
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, f'jupyter lab exited ({proc.returncode}):\n{log.read_text()[-5000:]}'
            try:
                if request(f'{base}/api/status', headers={'Authorization': f'token {TOKEN}'})[0] == 200: break
            except OSError: pass
            assert time.monotonic() < deadline, f'jupyter lab did not start in 90 s:\n{log.read_text()[-5000:]}'
            time.sleep(0.3)
        yield base, nb, log, proc.pid
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try: proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def test_server_extension_loaded(lab):
    base, _, log, _ = lab
    assert 'ssl4code: completions at /ssl4code/complete' in log.read_text(), log.read_text()[-5000:]


# ---- the browser test's toolchain: Debian's Chromium and Playwright for Python (never `playwright install`)

def registries_unreachable():
    "True when neither npm nor pip can reach its package registry (asked through the clients themselves)."
    def fails(cmd):
        try: return subprocess.run(cmd, capture_output=True, timeout=60).returncode != 0
        except (OSError, subprocess.TimeoutExpired): return True
    return fails(['npm', 'ping']) and fails([sys.executable, '-m', 'pip', 'index', 'versions', 'playwright'])


def install_toolchain():
    "Install what is missing; '' when ready, else what failed."
    steps = []
    if not shutil.which('chromium'):
        sudo = [] if os.geteuid() == 0 else ['sudo']
        steps += [sudo + ['apt-get', 'update', '-qq'],
                  sudo + ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium']]
    try: import playwright  # noqa: F401
    except ImportError: steps.append([sys.executable, '-m', 'pip', 'install', '-q', 'playwright'])
    for cmd in steps:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        if r.returncode != 0: return f'{" ".join(cmd)} failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}'
    return ''


@pytest.fixture(scope='module')
def chromium():
    failure = install_toolchain()
    if failure and registries_unreachable():
        pytest.skip(f'the browser toolchain (chromium, playwright) could not be installed: no network\n{failure}')
    assert not failure, failure
    return shutil.which('chromium')


def model_info(base):
    status, body = request(f'{base}/ssl4code/complete', method='GET', headers={'Authorization': f'token {TOKEN}'})
    assert status == 200, body
    return json.loads(body)


def saved_source(nb, i):
    "Cell `i`'s source as saved; '' while JupyterLab is still writing the file (seen empty mid-save)."
    try: src = json.loads(nb.read_text())['cells'][i]['source']
    except (ValueError, IndexError, KeyError): return ''
    return ''.join(src) if isinstance(src, list) else src


def test_ghost_text_in_a_real_jupyterlab(lab, chromium):
    from playwright.sync_api import sync_playwright
    base, nb, log, _ = lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert not model_info(base)['loaded']                     # lazy: nothing has asked for a completion yet
    console = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'])
        page = browser.new_page(viewport={'width': 1400, 'height': 900})
        page.on('console', lambda m: console.append(f'{m.type}: {m.text}'))
        try:
            t0 = time.monotonic()
            page.goto(f'{base}/lab/tree/{nb.name}?token={TOKEN}')
            cells = page.locator('.jp-NotebookPanel .jp-Notebook .jp-Cell')
            cells.nth(1).locator('.cm-content').wait_for(timeout=60_000)
            deadline = time.monotonic() + 30
            while not any('ssl4code: inline completion provider registered' in m for m in console):
                assert time.monotonic() < deadline, 'the ssl4code front end did not load'
                page.wait_for_timeout(100)
            t_open = time.monotonic() - t0
            # opening JupyterLab asked the server to load the model (GET ?load=1), before any keystroke
            deadline = time.monotonic() + 60
            while not model_info(base)['loaded']:
                assert time.monotonic() < deadline, 'opening JupyterLab did not make the server load the model'
                page.wait_for_timeout(200)
            t_loaded = time.monotonic() - t0
            cells.nth(1).locator('.cm-content').click()
            t_type = time.monotonic()
            posts = []
            page.on('request', lambda r: posts.append(r) if r.method == 'POST' and '/ssl4code/complete' in r.url else None)
            page.keyboard.type(TYPED, delay=40)
            ghost = page.locator('span.jp-GhostText[data-provided-by="ssl4code"]')
            ghost.wait_for(timeout=60_000)                   # the first request loads the model
            t_ghost = time.monotonic() - t_type
            shown = ghost.inner_text()
            # JupyterLab asks the provider at every keystroke; the debounce sends only a few of them
            assert 1 <= len(posts) <= len(TYPED) // 2, f'{len(posts)} requests for {len(TYPED)} keystrokes'
            assert shown.startswith('eet'), f'ghost text {shown!r}: expected the name defined in the earlier cell'
            page.keyboard.press('Tab')
            page.keyboard.press('Control+s')
            deadline = time.monotonic() + 20
            while (typed := saved_source(nb, 1)) == '':
                assert time.monotonic() < deadline, 'the notebook was not saved'
                page.wait_for_timeout(100)
            assert typed == TYPED + shown
            assert saved_source(nb, 0) == EARLIER
            print(f'notebook open {t_open:.1f} s, model loaded {t_loaded:.1f} s, ghost text {shown!r} '
                  f'{t_ghost:.1f} s after typing began, {len(posts)} requests for {len(TYPED)} keystrokes')
        except BaseException:
            page.screenshot(path=str(ARTIFACTS / 'failure.png'))
            (ARTIFACTS / 'console.log').write_text('\n'.join(console))
            shutil.copyfile(log, ARTIFACTS / 'lab.log')
            print(f'screenshot, browser console and server log in {ARTIFACTS}', file=sys.stderr)
            raise
        finally:
            browser.close()


def listening_ports(pid):
    "The TCP ports process `pid` listens on (Linux: its socket inodes looked up in /proc/net/tcp*)."
    inodes = set()
    for fd in Path(f'/proc/{pid}/fd').iterdir():
        try: target = os.readlink(fd)
        except OSError: continue
        if target.startswith('socket:['): inodes.add(target[8:-1])
    ports = set()
    for table in ('/proc/net/tcp', '/proc/net/tcp6'):
        if not Path(table).exists(): continue
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if f[3] == '0A' and f[9] in inodes: ports.add(int(f[1].rsplit(':', 1)[1], 16))   # 0A: LISTEN
    return ports


def test_endpoint_needs_jupyters_token(lab):
    base, _, log, pid = lab
    url = f'{base}/ssl4code/complete'
    req = {'before': [EARLIER], 'prefix': TYPED, 'suffix': '', 'after': [], 'client': 'curl', 'seq': 1}
    assert request(url, req)[0] == 403                                             # no token at all
    assert request(url, req, {'Authorization': 'token wrong'})[0] == 403            # a wrong one
    # with a valid XSRF pair (a page of another site can't set it, but a script can): still no token, still 403
    assert request(url, req, {'Cookie': '_xsrf=abc', 'X-XSRFToken': 'abc'})[0] == 403
    assert request(url, method='GET')[0] == 403
    status, body = request(url, req, {'Authorization': f'token {TOKEN}'})
    assert status == 200, body
    answer = json.loads(body)
    assert answer['stale'] is False and answer['completions'], answer
    assert answer['completions'][0]['text'].startswith('eet'), answer             # greet, from the earlier cell
    status, body = request(url, {'prefix': 3}, {'Authorization': f'token {TOKEN}'})
    assert status == 400 and "'prefix' must be a string" in body, body
    status, body = request(url, method='GET', headers={'Authorization': f'token {TOKEN}'})
    assert status == 200 and json.loads(body)['loaded'] and json.loads(body)['checkpoint'].endswith('default.pt'), body
    if Path(f'/proc/{pid}/fd').is_dir():                    # the model runs inside Jupyter: no port of its own
        assert listening_ports(pid) == {int(base.rsplit(':', 1)[1])}, listening_ports(pid)
