"""End-to-end test of the ssl4code VS Code extension in a real VS Code.

VS Code runs as code-server (VS Code in the browser) on Node 24, both installed by setup.sh into
the cache folder (default <repo>/.e2e); Playwright drives Debian's Chromium. The test

1. checks that the .vsix packaged in the Python package (ssl4code/assets/ssl4code.vsix) is built
   from the current sources (else: rebuild it with `python tools/build_vsix.py`),
2. installs it into a fresh code-server profile with `ssl4code vscode install --cli <code-server>`,
3. starts no completion server: `ssl4code.serverUrl` points at a free port and the extension
   must start `ssl4code serve` itself (the real one when available, see below, else the
   deterministic fake_server.py beside this file, through a stand-in `python`); opens a Python
   file and waits for the extension's "server ready" line,
4. inline: types code, waits for ghost text from the server, accepts it with Tab, saves and
   checks the file on disk,
5. dropdown: switches `ssl4code.mode` to "dropdown", asks for suggestions (Ctrl+Space), picks the
   server's item, saves and checks the file,
6. server killed: the editor stays usable (typing and saving work), the status bar says
   "no server", one warning pops up; the status bar item's "Start server" starts a new one;
   clicking the item turns completions off, clicking again on,
7. notebook: in an .ipynb, a cell that uses a function defined in an earlier cell gets ghost
   text that completes the function's name (the earlier cell is the prefix); Tab, save, check,
8. closes VS Code (SIGTERM to code-server) and checks that the server the extension started is
   gone (its process and its port).

Which server: SSL4CODE_E2E_REAL=1 requires the real one, =0 forces the fake; unset, the real one
is used when `import ssl4code.serve` works and a checkpoint is available: SSL4CODE_E2E_CHECKPOINT,
or the package's default model (ssl4code/assets/default.pt).

On failure it saves a screenshot, the browser console and the servers' logs to the artifacts
folder (--artifacts, default <cache>/artifacts) and exits 1.

    python vscode-extension/e2e/run_e2e.py [--fake | --real] [--checkpoint C] [--headed]
"""
import argparse, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.error, urllib.request
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXT = HERE.parent
REPO = EXT.parent
CACHE = Path(os.environ.get('SSL4CODE_E2E_CACHE', REPO / '.e2e'))
NODE24_BIN = next((CACHE / 'node24' / 'node_modules').glob('node-linux-*/bin'), CACHE / 'node24' / 'missing')
CODE_SERVER = CACHE / 'code-server' / 'node_modules' / '.bin' / 'code-server'
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync']
GHOST = '.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text'
SUGGEST_ROWS = '.suggest-widget.visible .monaco-list-row'


class E2EFailure(AssertionError):
    pass


def log(msg):
    print(f'[e2e {time.strftime("%H:%M:%S")}] {msg}', file=sys.stderr, flush=True)


def check(cond, msg):
    if not cond:
        raise E2EFailure(msg)


# Playwright's sync API handles browser events (console messages...) only while it has control:
# once a page is open, waits go through page.wait_for_timeout (see pause()).
_page = None


def pause(seconds):
    if _page is not None:
        _page.wait_for_timeout(seconds * 1000)
    else:
        time.sleep(seconds)


def wait_for(fn, timeout, what, interval=0.2):
    "Polls `fn` until it returns something truthy; raises E2EFailure naming `what` after `timeout` s."
    end = time.monotonic() + timeout
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() > end:
            raise E2EFailure(f'timed out after {timeout} s waiting for {what}')
        pause(interval)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def http(url, body=None, timeout=5):
    "GET (body None) or POST JSON; returns (status, parsed JSON or text); status 0 when unreachable."
    data = None if body is None else json.dumps(body).encode()
    # the header tells the fake server's log this request came from the test, not the editor
    req = urllib.request.Request(url, data=data, headers={'Content-Type': 'application/json', 'X-SSL4CODE-E2E-PROBE': '1'})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    except (urllib.error.URLError, OSError):
        return 0, None
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


# ---------------------------------------------------------------- servers

def real_server_choice(python, checkpoint):
    "(use_real, why) following SSL4CODE_E2E_REAL and what is installed."
    want = os.environ.get('SSL4CODE_E2E_REAL', '').strip()
    if want == '0':
        return False, 'SSL4CODE_E2E_REAL=0'
    probe = subprocess.run([python, '-c', 'import ssl4code.serve, ssl4code, pathlib; '
                            'print(pathlib.Path(ssl4code.__file__).parent / "assets" / "default.pt")'],
                           capture_output=True, text=True)
    importable = probe.returncode == 0
    default_ckpt = Path(probe.stdout.strip()) if importable else None
    have_ckpt = bool(checkpoint) or (default_ckpt is not None and default_ckpt.exists())
    if want == '1':
        if not importable:
            raise E2EFailure(f'SSL4CODE_E2E_REAL=1 but `import ssl4code.serve` fails:\n{probe.stderr[-2000:]}')
        if not have_ckpt:
            raise E2EFailure('SSL4CODE_E2E_REAL=1 but no checkpoint: set SSL4CODE_E2E_CHECKPOINT or ship ssl4code/assets/default.pt')
        return True, 'SSL4CODE_E2E_REAL=1'
    if not importable:
        return False, 'ssl4code.serve is not importable'
    if not have_ckpt:
        return False, 'no checkpoint (SSL4CODE_E2E_CHECKPOINT unset, no ssl4code/assets/default.pt)'
    return True, 'ssl4code.serve and a checkpoint are available'


class Server:
    """The completion server the extension starts: the real `ssl4code serve`, or the fake one.

    The extension runs `<ssl4code.pythonPath> -c <code> serve --port N`; `python_path()` gives it
    this Python (real, no checkpoint), or a small script that adds --checkpoint, or one that runs
    fake_server.py on the port it is given. `attach` learns the URL and pid from the extension."""

    def __init__(self, real, python, checkpoint, workdir):
        self.real, self.python, self.checkpoint, self.workdir = real, python, checkpoint, workdir
        self.requests_path = workdir / 'requests.jsonl'
        self.url = self.pid = None

    def python_path(self):
        if self.real and not self.checkpoint:
            return self.python
        script = self.workdir / 'bin' / 'python-for-extension'
        script.parent.mkdir(parents=True, exist_ok=True)
        if self.real:
            body = f'exec "{self.python}" "$@" --checkpoint "{self.checkpoint}"\n'
        else:
            body = ('port=\nwhile [ $# -gt 0 ]; do [ "$1" = --port ] && port=$2; shift; done\n'
                    f'exec "{self.python}" "{HERE / "fake_server.py"}" --port "$port" --log "{self.requests_path}"\n')
        script.write_text('#!/bin/sh\n' + body)
        script.chmod(0o755)
        return str(script)

    def attach(self, url, pid):
        self.url, self.pid = url, pid

    def alive(self):
        if self.pid is None:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        try:  # a zombie waiting for its parent counts as gone
            return Path(f'/proc/{self.pid}/stat').read_text().split(') ', 1)[1][0] != 'Z'
        except (OSError, IndexError):
            return True

    def stop(self):
        "Kills the server behind the extension's back (SIGTERM), as a crash would."
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
            wait_for(lambda: not self.alive(), 10, f'the server (pid {self.pid}) to exit')

    def kill(self):
        "Clean-up: SIGKILL the server if it is still there (no waiting through the page)."
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)

    def complete(self, prefix, suffix=''):
        status, body = http(self.url + '/v1/completions', {'language': 'python', 'segments': {'prefix': prefix, 'suffix': suffix}}, timeout=60)
        check(status == 200 and isinstance(body, dict), f'/v1/completions answered {status}: {body}')
        return [c.get('text', '') for c in body.get('choices', [])]

    def requests(self):
        "The requests the editor sent to the fake server (not the test's own probes), oldest first."
        if self.real or not self.requests_path.exists():
            return []
        rows = [json.loads(line) for line in self.requests_path.read_text().splitlines() if line.strip()]
        return [r for r in rows if not r.get('probe')]


def stop_group(proc, timeout=10):
    "Ends a process we started in its own session, and its children."
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout)


def tail(path, n=3000):
    try:
        return Path(path).read_text(errors='replace')[-n:]
    except OSError:
        return ''


# ---------------------------------------------------------------- build, code-server

def packaged_vsix():
    "The .vsix the Python package carries; fails when it is older than the extension's sources."
    sys.path.insert(0, str(REPO / 'tools'))
    import build_vsix
    why = build_vsix.stale_reason()
    check(why is None, f'{why}: rebuild it with: {build_vsix.REBUILD}')
    return build_vsix.VSIX


def code_server_env(home):
    env = dict(os.environ)
    env.update(PATH=f'{NODE24_BIN}{os.pathsep}{env.get("PATH", "")}', HOME=str(home), TMPDIR=str(home / 'tmp'),
               XDG_CONFIG_HOME=str(home / '.config'), XDG_DATA_HOME=str(home / '.local/share'),
               XDG_CACHE_HOME=str(home / '.cache'))
    # no marketplace: a closed local port instead of open-vsx.org (this test needs no gallery)
    env['EXTENSIONS_GALLERY'] = json.dumps({'serviceUrl': 'http://127.0.0.1:9/gallery', 'itemUrl': 'http://127.0.0.1:9/items'})
    for k in ('VSCODE_IPC_HOOK_CLI', 'VSCODE_PID', 'VSCODE_CWD', 'ELECTRON_RUN_AS_NODE'):
        env.pop(k, None)
    (home / 'tmp').mkdir(parents=True, exist_ok=True)
    return env


def user_settings(server_url, python_path, **extra):
    s = {
        'files.hotExit': 'off', 'chat.disableAIFeatures': True,
        'workbench.secondarySideBar.defaultVisibility': 'hidden', 'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': False, 'editor.inlineSuggest.enabled': True,
        'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': False,
        'extensions.autoUpdate': False, 'workbench.tips.enabled': False, 'git.enabled': False,
        'workbench.enableExperiments': False,
        'ssl4code.serverUrl': server_url, 'ssl4code.debounceMs': 50, 'ssl4code.mode': 'inline',
        'ssl4code.pythonPath': python_path, 'ssl4code.startServer': True,
    }
    s.update(extra)
    return s


class CodeServer:
    def __init__(self, workdir, workspace, vsix, server_url, python_path, python):
        self.workdir, self.workspace = workdir, workspace
        self.home = workdir / 'home'
        self.user_data = workdir / 'user-data'
        self.extensions = workdir / 'extensions'
        self.settings_path = self.user_data / 'User' / 'settings.json'
        self.env = code_server_env(self.home)
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.log_path = workdir / 'code-server.log'
        self.vsix, self.server_url, self.python_path, self.python = vsix, server_url, python_path, python
        self.proc = None

    def write_settings(self, **extra):
        self.settings_path.parent.mkdir(parents=True, exist_ok=True)
        self.settings_path.write_text(json.dumps(user_settings(self.server_url, self.python_path, **extra), indent=2))

    def start(self, timeout):
        check(CODE_SERVER.exists(), f'{CODE_SERVER} is missing: run vscode-extension/e2e/setup.sh')
        self.write_settings()
        base = [str(CODE_SERVER), '--user-data-dir', str(self.user_data), '--extensions-dir', str(self.extensions)]
        # `ssl4code vscode install`, with code-server (and this profile) as the editor's command line
        cli = self.workdir / 'bin' / 'code-server'
        cli.parent.mkdir(parents=True, exist_ok=True)
        cli.write_text('#!/bin/sh\nexec ' + ' '.join(f'"{a}"' for a in base) + ' "$@"\n')
        cli.chmod(0o755)
        install = ('import sys; from ssl4code.core import COMMANDS, main; from ssl4code.vscode import cli_vscode; '
                   'sys.exit(main(["vscode"] + sys.argv[1:]) if "vscode" in COMMANDS else cli_vscode(sys.argv[1:]))')
        log(f'ssl4code vscode install --cli {cli} (a fresh profile)')
        r = subprocess.run([self.python, '-c', install, 'install', '--cli', str(cli)], env=self.env, capture_output=True, text=True, timeout=180)
        check(r.returncode == 0 and 'ssl4code' in r.stdout + r.stderr, f'ssl4code vscode install failed ({r.returncode}):\n{r.stdout}\n{r.stderr}')
        check(str(self.vsix) in r.stdout, f'ssl4code vscode install did not install the packaged {self.vsix}:\n{r.stdout}')
        installed = list(self.extensions.glob('ssl4code.ssl4code-*'))
        check(installed, f'the extension is not in {self.extensions}: {list(self.extensions.iterdir())}')
        log(f'installed {installed[0].name}; starting code-server on {self.url}')
        self._log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen(base + ['--bind-addr', f'127.0.0.1:{self.port}', '--auth', 'none', '--disable-telemetry',
                                             '--disable-update-check', '--disable-workspace-trust', str(self.workspace)],
                                     env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        def up():
            if self.proc.poll() is not None:
                raise E2EFailure(f'code-server exited with {self.proc.returncode}:\n{tail(self.log_path)}')
            return http(self.url + '/healthz')[0] == 200
        wait_for(up, timeout, 'code-server /healthz')

    def close(self, timeout=20):
        "Closes VS Code as a user would: SIGTERM to code-server alone, which shuts its extension host down."
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                raise E2EFailure(f'code-server did not exit within {timeout} s of SIGTERM')

    def stop(self):
        if self.proc:
            try:
                os.killpg(self.proc.pid, 0)
                stop_group(self.proc)  # whatever is left of the group
            except ProcessLookupError:
                pass
            self._log.close()
            self.proc = None


# ---------------------------------------------------------------- the editor, through Playwright

class Editor:
    def __init__(self, page, path):
        self.page, self.path = page, path
        self.console = []
        page.on('console', lambda m: self.console.append(m.text))

    def open(self, code_server_url, workspace, timeout):
        self.page.goto(f'{code_server_url}/?folder={workspace}', timeout=timeout * 1000)
        self.page.wait_for_selector('.monaco-workbench', timeout=timeout * 1000)
        row = self.page.locator('.explorer-folders-view .monaco-list-row', has_text=self.path.name)
        row.first.wait_for(timeout=timeout * 1000)
        row.first.click()
        self.page.wait_for_selector('.editor-instance .monaco-editor .view-lines', timeout=timeout * 1000)
        wait_for(lambda: any('ssl4code: activated' in m for m in self.console), timeout, 'the extension to activate')
        self.page.locator('.editor-instance .monaco-editor .view-lines').first.click()
        self.page.keyboard.press('Control+End')

    def server_ready(self, since=0):
        "(url, pid) from the extension's 'server ready' line after console message `since`, else None."
        for m in self.console[since:]:
            if 'ssl4code: server failed' in m:
                raise E2EFailure(f'the extension could not start the server: {m}')
            found = re.search(r'ssl4code: server ready at (http://127\.0\.0\.1:\d+) \(started, pid (\d+)\)', m)
            if found:
                return found.group(1), int(found.group(2))
        return None

    def focus_file(self):
        "Back to the Python file's editor, cursor at the end."
        self.page.locator('.tabs-container .tab', has_text=self.path.name).first.click()
        self.page.locator('.editor-instance .monaco-editor .view-lines').first.click()
        self.page.keyboard.press('Control+End')

    def type(self, text, delay=40):
        for part in re.split(r'(\n)', text):
            if part == '\n':
                self.page.keyboard.press('Enter')
            elif part:
                self.page.keyboard.type(part, delay=delay)

    def ghost(self):
        "The ghost text now shown (all its styled pieces joined), '' if none."
        pieces = self.page.locator(GHOST).all_inner_texts()
        return ''.join(pieces).replace('\u00a0', ' ')

    def wait_ghost(self, timeout):
        return wait_for(lambda: self.ghost().strip() and self.ghost(), timeout, 'ghost text')

    def save(self, timeout=10):
        "Ctrl+S (always after an edit) and the file's new content, read from disk."
        before = self.path.stat().st_mtime_ns
        self.page.keyboard.press('Control+s')
        wait_for(lambda: self.path.stat().st_mtime_ns != before, timeout, 'the file to be saved')
        wait_for(lambda: self.page.locator('.tab.active.dirty').count() == 0, timeout, 'the editor tab to be clean')
        # the file may be caught between its truncation and its write: the test's files are never empty
        return wait_for(lambda: self.path.read_text(), timeout, 'the saved file to have its text')

    def status_item(self):
        return self.page.locator('.statusbar-item', has_text='ssl4code').first

    def status_text(self):
        try:
            return self.status_item().inner_text(timeout=1000).replace('\u00a0', ' ')
        except Exception:
            return ''

    def set_mode(self, mode, cs, timeout=15):
        "Writes ssl4code.mode to the workspace settings and waits until the extension has it."
        # (code-server does not notice edits of the user settings file, it does the workspace's)
        seen = len(self.console)
        settings = cs.workspace / '.vscode' / 'settings.json'
        settings.parent.mkdir(exist_ok=True)
        settings.write_text(json.dumps({'ssl4code.mode': mode}))
        wait_for(lambda: any(f'mode={mode}' in m for m in self.console[seen:]), timeout, f'the extension to switch to mode {mode}')

    def suggest_labels(self):
        return [r.get_attribute('aria-label') or r.inner_text() for r in self.page.locator(SUGGEST_ROWS).all()]

    def notifications(self, text):
        return self.page.locator('.notification-toast', has_text=text).count()


def norm(s):
    return re.sub(r'\s+', '', s)


def first_line(s):
    return s.split('\n', 1)[0].rstrip()


# ---------------------------------------------------------------- the scenario

# What the test types, best first; it takes the first one that the server completes on the same
# line (a small real model may have nothing likely enough to say after some of them). The fake
# server completes the first of each list. While the last key is typed, the editor may show
# what it kept from the answer for the prompt without that key, so prompts whose last key
# falls in the middle of a long word (`ra` of `range`) come first.
INLINE_PROMPTS = ['def add(a, b):\n    return ', 'for i in ra', 'import o', 'import sy', 'from os import pa', 'x = se']
DROPDOWN_PROMPTS = ['result = ad', 'import o', 'import sy', 'from os import pa', 'x = se', 'for i in ra']


def pick_prompt(server, before, prompts, what):
    "The first of `prompts` (typed after the text `before`) that the server completes on its line."
    answers = {}
    for prompt in prompts:
        choices = server.complete(before + prompt)
        if any(len(first_line(c).strip()) >= 2 for c in choices):   # the test types one character of it
            return prompt
        answers[prompt] = choices
    raise E2EFailure(f'the server proposes nothing usable for {what} after any of these prompts: {answers}')


MIDLINE_PROMPTS = ['print(', 'print(sys.arg', 'print(os.path.jo', 'print(len(', 'print(str(']


def balanced(line):
    "Every bracket of `line` closed by one of its kind, in order."
    stack = []
    for ch in line:
        if ch in '([{': stack.append(ch)
        elif ch in ')]}':
            if not stack or '([{'[')]}'.index(ch)] != stack.pop(): return False
    return not stack


def pick_midline(server, before, fake):
    "A prompt ending inside brackets that the editor closes as they are typed, which the server completes there."
    answers = {}
    for prompt in MIDLINE_PROMPTS[:1] if fake else MIDLINE_PROMPTS[1:]:
        choices = server.complete(before + '\n' + prompt, ')' * prompt.count('(') + '\n')
        if choices and choices[0].strip(): return prompt
        answers[prompt] = choices
    raise E2EFailure(f'the server proposes nothing mid-line after any of these prompts: {answers}')


def scenario(editor, server, cs, fake, timeout):
    page = editor.page
    # 1. inline: ghost text from the server, Tab accepts it
    before = editor.path.read_text()  # the cursor is at its end
    prompt = pick_prompt(server, before, INLINE_PROMPTS, 'ghost text')
    keys = re.sub(r'\n[ \t]+', '\n', prompt)  # the editor indents by itself
    log(f'inline: typing {prompt!r}')
    editor.type(keys[:-1])
    text = editor.save()
    check(text == before + prompt[:-1], f'typed {keys[:-1]!r}; the file ends with {text[len(before):]!r}, not {prompt[:-1]!r}')
    editor.type(keys[-1])
    base = before + prompt
    ghost = editor.wait_ghost(timeout)
    log(f'inline: ghost text {ghost!r}')
    check(page.locator('.suggest-widget.visible').count() == 0, 'the suggestion list is open over the ghost text')
    sent = [r['body'] for r in server.requests() if r['path'] == '/v1/completions']
    # from the server: its answer for this prefix, or (typed through) for the one a key shorter
    choices = server.complete(base) + [c[1:] for c in server.complete(base[:-1]) if c.startswith(base[-1])]
    check(any(norm(c).startswith(norm(ghost)) for c in choices), f'ghost text {ghost!r} is not from the server, which proposes {choices!r}')
    if fake:
        check(ghost.strip() == 'a + b', f'expected ghost text "a + b" (the fake server\'s, trimmed), got {ghost!r}')
        check(any(b.get('language') == 'python' and b['segments']['prefix'] == base for b in sent),
              f'no request with the document as prefix; got prefixes {[b["segments"]["prefix"][-30:] for b in sent]}')

    # typing the suggestion's first character: the rest stays (VS Code keeps it, then the server's
    # answer for the longer text: the rest again)
    first = ghost.lstrip()[0]
    typed = ghost[:ghost.index(first) + 1]
    editor.type(typed)
    rest = wait_for(lambda: norm(editor.ghost()) == norm(ghost[len(typed):]) and editor.ghost(), timeout,
                    f'the rest of the ghost text {ghost[len(typed):]!r} after typing {typed!r} (shown: {editor.ghost()!r})')
    log(f'inline: typed {typed!r}, ghost text now {rest!r}')
    page.keyboard.press('Tab')
    # keys are handled in order, so the save sees what Tab did; the ghost text may not go: a real
    # model can have a new suggestion right after the accepted text (`+ b` again after `a + b`)
    text = editor.save()
    check(text.startswith(base), f'the file on disk lost what was typed:\n{text!r}\nexpected it to start with\n{base!r}')
    added = text[len(base):]
    check(norm(added) == norm(ghost) and added.strip(), f'after Tab the file has {added!r} after the cursor, the ghost text was {ghost!r}')
    if fake:
        check(text == base + 'a + b', f'file on disk after Tab: {text!r}')
    log(f'inline: accepted, file on disk ends with {text[-40:]!r}')

    # mid-line: the editor closes `(` as it is typed (`print(|)`); the server trims its answer against
    # the `)` already there, the extension shows it as it comes, and Tab leaves the line balanced
    mid = pick_midline(server, editor.path.read_text(), fake)
    log(f'inline mid-line: typing {mid!r}')
    editor.type('\n' + mid)
    ghost = editor.wait_ghost(timeout)
    log(f'inline mid-line: ghost text {ghost!r}')
    if fake:
        check(ghost == '"hello"', f'mid-line ghost text: expected \'"hello"\', got {ghost!r}')
    page.keyboard.press('Tab')
    text = editor.save()
    line = text.rstrip('\n').rsplit('\n', 1)[-1]
    check(balanced(line), f'mid-line accept left the line unbalanced: {line!r}')
    check(line.strip().startswith(mid) and len(line.strip()) > len(mid) + mid.count('('), f'mid-line accept: the line is {line!r}')
    if fake:
        check(text.rstrip().endswith('print("hello")'), f'mid-line accept: file ends with {text[-40:]!r}')
    log(f'inline mid-line: accepted, the line reads {line.strip()!r}')
    page.keyboard.press('End')  # after the ')' that was already there

    # 2. dropdown: switch the mode; Ctrl+Space lists the server's completion; pick it
    log('dropdown: switching ssl4code.mode to "dropdown"')
    editor.set_mode('dropdown', cs)
    editor.type('\n')
    page.keyboard.press('Shift+Tab')  # out of the function body, whatever the auto-indent did
    before = editor.save()
    prompt = pick_prompt(server, before, DROPDOWN_PROMPTS, 'the dropdown')
    log(f'dropdown: typing {prompt!r}')
    editor.type(prompt)
    base = editor.save()
    check(base == before + prompt, f'typed {prompt!r}; the file ends with {base[len(before):]!r}')
    word = re.search(r'[A-Za-z_][A-Za-z0-9_]*$', base).group(0)
    choices = server.complete(base)
    wanted = [word + first_line(c) for c in choices if first_line(c).strip()]
    check(wanted, f'the server proposes nothing usable for the dropdown after {base[-30:]!r}: {choices!r}')
    if fake:
        check(wanted[0] == 'add(1, 2)', f'fake server: unexpected item {wanted[0]!r}')
    check(not editor.ghost().strip(), f'ghost text shown in dropdown mode: {editor.ghost()!r}')

    def ours():  # (row index, label) of the first row that is one of the server's items
        for i, aria in enumerate(editor.suggest_labels()):
            matches = [w for w in wanted if aria == w or aria.startswith(w + ',')]  # aria-label: "label, kind"
            if matches:
                return i, max(matches, key=len)
        return None
    found = None
    for attempt in range(5):
        page.keyboard.press('Control+Space')
        try:
            found = wait_for(ours, 4, 'our item in the suggestion list')
            break
        except E2EFailure:
            page.keyboard.press('Escape')
    check(found, f'the suggestion list never showed {wanted[0]!r}; it showed {editor.suggest_labels()!r}')
    log(f'dropdown: suggestion list shows {editor.suggest_labels()!r}')
    index, label = found
    page.locator(SUGGEST_ROWS).nth(index).click()
    wait_for(lambda: page.locator('.suggest-widget.visible').count() == 0, 5, 'the suggestion list to close')
    text = editor.save()
    check(text == base[:len(base) - len(word)] + label, f'after picking {label!r} the file ends with {text[-60:]!r}')
    log(f'dropdown: picked {label!r}, file on disk ends with {text[-40:]!r}')

    # 3. the server the extension started dies: the editor stays usable and says so, once
    log(f'killing the server the extension started (pid {server.pid}); back to inline mode')
    server.stop()
    editor.set_mode('inline', cs)
    editor.type('\nz = ')
    wait_for(lambda: 'no server' in editor.status_text(), timeout, 'the status bar to say "no server"')
    wait_for(lambda: editor.notifications('server exited'), 10, 'the "server exited" warning')
    editor.type('4')
    pause(0.3)
    editor.type('2 ')
    pause(0.5)
    text = editor.save()
    check(text.endswith('z = 42 ') or text.rstrip().endswith('z = 42'), f'typing without a server: file ends with {text[-40:]!r}')
    check(not editor.ghost().strip(), f'ghost text without a server: {editor.ghost()!r}')
    warnings = editor.notifications('server exited') + editor.notifications('cannot reach')
    check(warnings == 1, f'expected one warning about the server, saw {warnings}')
    log(f'server killed: status {editor.status_text()!r}, {warnings} warning, typing and saving work')

    # the status bar item offers to start the server again
    seen = len(editor.console)
    editor.status_item().click()
    page.locator('.quick-input-widget').first.wait_for(state='visible', timeout=10000)
    page.keyboard.type('Start server')
    page.keyboard.press('Enter')
    url, pid = wait_for(lambda: editor.server_ready(seen), 120 if server.real else 30, 'the restarted server')
    check(pid != server.pid, f'"Start server" did not start a new server (pid {pid})')
    server.attach(url, pid)
    wait_for(lambda: re.search(r'ssl4code$', editor.status_text().strip()), timeout, f'the status bar to say ready (it says {editor.status_text()!r})')
    log(f'"Start server" from the status bar: a new server at {url} (pid {pid})')

    # 4. clicking the status bar item disables completions, clicking again enables them
    editor.focus_file()
    editor.status_item().click()
    wait_for(lambda: 'off' in editor.status_text(), 10, 'the status bar to say "off" after a click')
    log(f'status bar click: {editor.status_text()!r}')
    editor.status_item().click()
    wait_for(lambda: 'off' not in editor.status_text(), 10, 'the status bar to say "on" after a second click')

    # 5. a notebook: a cell using a function defined in an earlier cell
    notebook(editor, server, timeout)


NOTEBOOK_CELLS = ['def compute_average(values):\n    return sum(values) / len(values)\n', '']
NOTEBOOK_PROMPT = 'result = compute_av'


def notebook_json(cells):
    return {'cells': [{'cell_type': 'code', 'execution_count': None, 'id': f'cell{i}', 'metadata': {}, 'outputs': [],
                       'source': c.splitlines(keepends=True)} for i, c in enumerate(cells)],
            'metadata': {'kernelspec': {'display_name': 'Python 3', 'language': 'python', 'name': 'python3'},
                         'language_info': {'name': 'python'}},
            'nbformat': 4, 'nbformat_minor': 5}


def notebook(editor, server, timeout):
    page = editor.page
    path = editor.path.parent / 'demo.ipynb'
    log(f'notebook: opening {path.name}')
    page.locator('.explorer-folders-view .monaco-list-row', has_text=path.name).first.click()
    cells = page.locator('.notebook-editor .cell-editor-container .monaco-editor .view-lines')
    wait_for(lambda: cells.count() >= 2, timeout, 'the notebook\'s two code cells')
    prefix = NOTEBOOK_CELLS[0].rstrip() + '\n\n' + NOTEBOOK_PROMPT
    expected = server.complete(prefix)
    log(f'notebook: the server completes the earlier cell + {NOTEBOOK_PROMPT!r} with {expected!r}')
    check(any(norm(c).startswith('erage') for c in expected),
          f'the server does not complete compute_av -> compute_average after the defining cell: {expected!r}')
    cells.nth(1).click()
    editor.type(NOTEBOOK_PROMPT)
    ghost = editor.wait_ghost(timeout)
    log(f'notebook: ghost text {ghost!r}')
    check(norm(ghost).startswith('erage'), f'the ghost text in the second cell does not complete compute_average: {ghost!r}')
    if not server.real:
        sent = [r['body']['segments']['prefix'] for r in server.requests() if r['path'] == '/v1/completions']
        check(prefix in sent, f'no request had the earlier cell as prefix; prefixes sent: {[p[-60:] for p in sent[-5:]]}')
    page.keyboard.press('Tab')
    before = path.stat().st_mtime_ns
    page.keyboard.press('Control+s')
    wait_for(lambda: path.stat().st_mtime_ns != before, 10, 'the notebook to be saved')
    source = ''.join(json.loads(path.read_text())['cells'][1]['source'])
    check(source.startswith('result = compute_average'), f'after Tab the second cell holds {source!r}')
    log(f'notebook: accepted, the cell on disk is {source!r}')


def run(args):
    from playwright.sync_api import sync_playwright  # installed by setup.sh

    t0 = time.monotonic()
    python = args.python or sys.executable
    checkpoint = args.checkpoint or os.environ.get('SSL4CODE_E2E_CHECKPOINT') or None
    if args.fake:
        real, why = False, '--fake'
    elif args.real:
        os.environ['SSL4CODE_E2E_REAL'] = '1'
        real, why = real_server_choice(python, checkpoint)
    else:
        real, why = real_server_choice(python, checkpoint)
    log(f'server: {"real ssl4code serve" if real else "fake"} ({why})')
    artifacts = Path(args.artifacts or CACHE / 'artifacts')
    vsix = packaged_vsix()
    workdir = Path(tempfile.mkdtemp(prefix='ssl4code-e2e-', dir='/tmp'))
    workspace = workdir / 'workspace'
    workspace.mkdir()
    demo = workspace / 'demo.py'
    demo.write_text('# ssl4code end-to-end test\n\n')
    (workspace / 'demo.ipynb').write_text(json.dumps(notebook_json(NOTEBOOK_CELLS), indent=1))
    server = Server(real, python, checkpoint, workdir)
    nothing_there = f'http://127.0.0.1:{free_port()}'  # no server answers here: the extension must start one
    cs = CodeServer(workdir, workspace, vsix, nothing_there, server.python_path(), python)
    editor = None
    ok = False
    with ExitStack() as stack:
        stack.callback(server.kill)
        stack.callback(cs.stop)
        try:
            cs.start(timeout=90)
            pw = stack.enter_context(sync_playwright())
            chromium = shutil.which('chromium') or '/usr/bin/chromium'
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=not args.headed)
            stack.callback(browser.close)
            page = browser.new_page(viewport={'width': 1400, 'height': 900})
            global _page
            _page = page
            editor = Editor(page, demo)
            log('opening the workspace in VS Code')
            editor.open(cs.url, workspace, timeout=90)
            url, pid = wait_for(editor.server_ready, 120 if real else 30, 'the extension to start its server')
            check(url != nothing_there, f'the extension used {url}, where nothing answered')
            server.attach(url, pid)
            wait_for(lambda: re.search(r'ssl4code$', editor.status_text().strip()), args.timeout,
                     f'the status bar to say ready (it says {editor.status_text()!r})')
            log(f'VS Code ready, extension active, its server at {url} (pid {pid}) after {time.monotonic() - t0:.0f} s')
            scenario(editor, server, cs, fake=not real, timeout=args.timeout)
            # 6. closing VS Code stops the server the extension started
            log('closing VS Code (SIGTERM to code-server)')
            cs.close()
            wait_for(lambda: not server.alive(), 15, f'the server (pid {server.pid}) to exit after VS Code closed')
            check(http(server.url + '/v1/health')[0] == 0, f'something still answers at {server.url} after VS Code closed')
            # (nothing here signalled the server: it went because the extension stopped it as VS Code closed)
            log(f'VS Code closed: the server (pid {server.pid}) is gone, {server.url} does not answer')
            ok = True
        except Exception as e:
            save_artifacts(artifacts, editor, server, cs, e)
        finally:
            if ok:
                shutil.rmtree(workdir, ignore_errors=True)
    log(f'{"PASSED" if ok else "FAILED"} in {time.monotonic() - t0:.0f} s')
    return 0 if ok else 1


def save_artifacts(artifacts, editor, server, cs, error):
    artifacts.mkdir(parents=True, exist_ok=True)
    log(f'FAILURE: {type(error).__name__}: {error}')
    if editor is not None:
        try:
            editor.page.screenshot(path=str(artifacts / 'failure.png'))
            log(f'screenshot: {artifacts / "failure.png"}')
        except Exception as e:
            log(f'no screenshot: {e}')
        (artifacts / 'browser-console.log').write_text('\n'.join(editor.console))
    for p in (server.requests_path, cs.log_path):
        if Path(p).exists():
            shutil.copy(p, artifacts / Path(p).name)
    logs = cs.user_data / 'logs'  # code-server's logs, the "ssl4code" output channel among them
    if logs.exists():
        shutil.copytree(logs, artifacts / 'code-server-logs', dirs_exist_ok=True)
    (artifacts / 'error.txt').write_text(f'{type(error).__name__}: {error}\n')
    log(f'logs in {artifacts}')


def main(argv=None):
    p = argparse.ArgumentParser(description='End-to-end test of the ssl4code VS Code extension in code-server.')
    g = p.add_mutually_exclusive_group()
    g.add_argument('--fake', action='store_true', help='use the fake server (fake_server.py)')
    g.add_argument('--real', action='store_true', help='require the real `ssl4code serve` (same as SSL4CODE_E2E_REAL=1)')
    p.add_argument('--checkpoint', help='checkpoint for the real server (default: $SSL4CODE_E2E_CHECKPOINT, else the packaged model)')
    p.add_argument('--python', help='the Python with ssl4code, which installs the extension and runs the server (default: this one)')
    p.add_argument('--artifacts', help='where to put the screenshot and logs on failure (default: <cache>/artifacts)')
    p.add_argument('--timeout', type=float, default=20, help='seconds to wait for each thing to appear in the editor')
    p.add_argument('--headed', action='store_true', help='show the browser (needs a display)')
    try:
        return run(p.parse_args(argv))
    except (E2EFailure, subprocess.CalledProcessError) as e:
        log(f'FAILED before VS Code started: {e}')
        return 1


if __name__ == '__main__':
    sys.exit(main())
