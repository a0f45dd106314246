"""Every lesson ends with 3-5 exercises; the checked ones start open and are solved by solutions/.

A lesson's exercises section starts at the markdown heading `## Exercises` and runs on its own
(its first cell imports what the exercises use), so it is tested without running the lesson:
- as the student first sees it, each `check(...)` must report 'not answered yet';
- with the starter code (what is above the cell's first line that starts with `def _check` or
  `check(`) replaced by the section
  `# %% Exercise N` of `solutions/LESSON.py`, every check must pass under SSL4CODE_STRICT_EXERCISES=1.
"""
import json, os, re, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p.stem for p in (ROOT/'nbs').glob('[0-9]*.ipynb') if 'experiments' not in p.name)
CHECK = re.compile(r"^check\('(Exercise \d+)'", re.M)
CHECK_CODE = re.compile(r'^(def _check\w*\(|check\()', re.M)   # where a cell's starter code ends


def exercise_cells(lesson):
    "The cells of the lesson's exercises section (a list of (kind, source))."
    cells = [(c['cell_type'], ''.join(c['source'])) for c in json.loads((ROOT/'nbs'/f'{lesson}.ipynb').read_text())['cells']]
    start = [i for i, (k, s) in enumerate(cells) if k == 'markdown' and s.split('\n')[0].strip() == '## Exercises']
    assert len(start) == 1, f'{lesson}: needs one "## Exercises" section, found {len(start)}'
    return cells[start[0]:]


def solutions(lesson):
    "{'Exercise N': code} from solutions/LESSON.py."
    p = ROOT/'solutions'/f'{lesson}.py'
    if not p.exists(): return {}
    parts = re.split(r'^# %% (Exercise \d+)\s*$', p.read_text(), flags=re.M)
    return {parts[i]: parts[i + 1].strip('\n') for i in range(1, len(parts), 2)}


def with_solutions(code_cells, sols):
    out = []
    for src in code_cells:
        m = CHECK.search(src)
        if m and m.group(1) in sols: src = sols[m.group(1)] + '\n' + src[CHECK_CODE.search(src).start():]
        out.append(src)
    return out


RUNNER = '''
import json, os, sys
from execnb.nbio import dict2nb, mk_cell
from execnb.shell import CaptureShell
cells = json.load(sys.stdin)
nb = dict2nb({'cells': [mk_cell(s) for s in cells], 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5})
os.chdir(sys.argv[1])
CaptureShell(path=sys.argv[1]).run_all(nb, exc_stop=True)
text = []
for c in nb.cells:
    for o in c.get('outputs', []):
        if o.get('name') == 'stdout': text.append(''.join(o['text']))
print(json.dumps(''.join(text)))
'''


def run_cells(cells, strict):
    env = {**os.environ, 'PYTHONUNBUFFERED': '1'}
    env.pop('SSL4CODE_STRICT_EXERCISES', None)
    if strict: env['SSL4CODE_STRICT_EXERCISES'] = '1'
    r = subprocess.run([sys.executable, '-c', RUNNER, str(ROOT/'nbs')], input=json.dumps(cells), capture_output=True,
                       text=True, env=env, timeout=600)
    assert r.returncode == 0, f'the exercises failed:\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}'
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize('lesson', LESSONS)
def test_exercises(lesson):
    cells = exercise_cells(lesson)
    headings = [s for k, s in cells if k == 'markdown' and s.startswith('### Exercise')]
    assert 3 <= len(headings) <= 5, f'{lesson}: {len(headings)} exercises (3 to 5 wanted)'
    code = [s for k, s in cells if k == 'code']
    checked = [m.group(1) for s in code for m in [CHECK.search(s)] if m]
    assert checked, f'{lesson}: no exercise has a check'
    sols = solutions(lesson)
    assert not (missing := [e for e in checked if e not in sols]), f'{lesson}: no solution for {missing} in solutions/{lesson}.py'
    # as the student meets them: every check open
    shown = run_cells(code, strict=False)
    for name in checked: assert f'{name}: not answered yet' in shown, f'{lesson}: {name} is not open at the start:\n{shown}'
    # with the solutions: every check right
    shown = run_cells(with_solutions(code, sols), strict=True)
    for name in checked: assert f'{name}: right' in shown, f'{lesson}: {name}:\n{shown}'
