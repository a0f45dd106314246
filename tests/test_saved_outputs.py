"""A reader on GitHub sees what the prose talks about: every lesson is saved executed.

A code cell must carry saved output when running it shows something: its last statement is a bare
expression (a value Jupyter displays; for a call, unless it is one that returns None, such as a
test), or it prints, displays or plots. No saved output may be an error. Lessons are
executed and saved by `python tools/run_course.py --save`.
"""
import ast, json, re
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p.stem for p in (ROOT/'nbs').glob('[0-9]*.ipynb') if 'experiments' not in p.name)
SHOWS = re.compile(r'^(print|display|HTML|Markdown|plot_\w+|show_\w+|draw_\w+)$')
QUIET = re.compile(r'^(print|test\w*|check\w*|set_\w+|roundtrip|unlink|manual_seed|seed|wait|update|close|start|join|append)$')   # calls that return None (print: below)
# Cells that show nothing on purpose, by lesson and a fragment of their source, with the reason.
ALLOWED = {'06_jupyterlab': {'def _fails(data, msg):': 'a test: every call of the helper returns None'}}


def _name(f):
    "The called function's name: `plt.plot` -> 'plot', `print` -> 'print'."
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ''


def _run_nodes(node):
    "The nodes that run when the cell runs: not the bodies of functions and classes it defines."
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)): continue
        yield child
        yield from _run_nodes(child)


def shows_something(src):
    "Whether running the cell displays something (see the module's docstring)."
    code = '\n'.join('' if l.lstrip().startswith(('%', '!')) else l for l in src.splitlines())
    try: tree = ast.parse(code)
    except SyntaxError: return False
    if not tree.body: return False
    last = tree.body[-1]
    if isinstance(last, ast.Expr) and not isinstance(last.value, (ast.Constant, ast.Await)):
        if not isinstance(last.value, ast.Call) or not QUIET.match(_name(last.value.func) or 'print'): return True
    for node in _run_nodes(tree):
        if isinstance(node, ast.Call) and SHOWS.match(_name(node.func) or ''):
            # a print into a buffer or a file shows nothing
            if any(k.arg == 'file' for k in node.keywords): continue
            return True
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == 'plt': return True
    return False


@pytest.mark.parametrize('lesson', LESSONS)
def test_lesson_is_saved_executed(lesson):
    cells = json.loads((ROOT/'nbs'/f'{lesson}.ipynb').read_text())['cells']
    missing, errors = [], []
    for i, c in enumerate(cells):
        if c['cell_type'] != 'code': continue
        src = ''.join(c['source'])
        if '#| eval: false' in src: continue
        if any(o.get('output_type') == 'error' for o in c.get('outputs', [])): errors.append(i)
        allowed = any(frag in src for frag in ALLOWED.get(lesson, {}))
        if shows_something(src) and not c.get('outputs') and not allowed: missing.append((i, src.splitlines()[0][:80]))
    assert not errors, f'{lesson}: cells {errors} saved with an error'
    assert not missing, (f'{lesson}: these cells show something when run but have no saved output; '
                         f'run `python tools/run_course.py --save` before committing:\n' +
                         '\n'.join(f'  cell {i}: {first}' for i, first in missing))


def test_the_rule():
    assert shows_something('x = 1\nx') and shows_something('print(3)') and shows_something('plt.plot([1])')
    assert shows_something('for i in range(2): print(i)') and shows_something("HTML('<b>x</b>')")
    assert shows_something('f(3)') and not shows_something('x = 1') and not shows_something('test_eq(1, 1)') and not shows_something('def f(): pass')
    assert not shows_something("print('x', file=buf)") and not shows_something('"a docstring"')
    assert not shows_something('def f():\n    print(1)\n    plt.plot([1])') and not shows_something('g = lambda: print(1)')
