# Solutions to the exercises of nbs/07_vscode.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def manifest():
    with zipfile.ZipFile(vsix_path()) as z: return json.loads(z.read('extension/package.json'))

# %% Exercise 2
def defaults():
    return {k: v['default'] for k, v in manifest()['contributes']['configuration']['properties'].items()}

def settings():
    return 'ssl4code.debounceMs', 'ssl4code.pythonPath'   # the wait after the last keystroke; the server's Python

# %% Exercise 3
def fake_editor(folder, name='code', exit_code=0):
    p = Path(folder)/name
    p.write_text(f'#!/bin/sh\necho "$@" > "{p}.args"\nexit {exit_code}\n')
    p.chmod(0o755)                       # executable, or shutil.which does not find it
    return p

# %% Exercise 4
def predicted():
    return 'codium'                      # EDITOR_CLIS order: codium comes before cursor

def argv_for_cursor():
    return ['install', '--cli', 'cursor', '--', '--extensions-dir', '/tmp/ext']
