"""The package's shape: one concept per module, imports one way, lessons that only teach.

Checks the rules of the architecture (shared/ARCHITECTURE.md) that a change could break silently:
no import cycle among the package's modules (imports inside functions included), no module over
500 lines, and no lesson over 3,000 words of prose (the experiments notebook keeps the record and
is exempt).
"""
import ast, json, re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT/'ssl4code'
MODULES = {p.stem: p for p in PKG.glob('*.py') if not p.stem.startswith('_')}


def imported_modules(path):
    "The package's modules that `path` imports, at any depth (functions included)."
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ''
            if node.level or mod.startswith('ssl4code'):
                name = mod.removeprefix('ssl4code').lstrip('.').split('.')[0]
                found |= {name} if name else {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split('.')[1] for a in node.names if a.name.startswith('ssl4code.')}
    return found & set(MODULES)


def test_no_import_cycle():
    graph = {m: imported_modules(p) - {m} for m, p in MODULES.items()}
    state = {}
    def visit(m, path):
        if state.get(m) == 'done': return
        assert state.get(m) != 'open', f"import cycle: {' -> '.join(path + [m])}"
        state[m] = 'open'
        for n in sorted(graph[m]): visit(n, path + [m])
        state[m] = 'done'
    for m in sorted(graph): visit(m, [])


def test_modules_are_small():
    sizes = {m: len(p.read_text().splitlines()) for m, p in MODULES.items()}
    assert max(sizes.values()) <= 500, sizes


def prose_words(nb):
    cells = json.loads(nb.read_text())['cells']
    return sum(len(''.join(c['source']).split()) for c in cells if c['cell_type'] == 'markdown')


def test_lessons_are_short():
    lessons = [p for p in (ROOT/'nbs').glob('[0-9]*.ipynb') if 'experiments' not in p.name]
    assert len(lessons) >= 5
    words = {p.name: prose_words(p) for p in lessons}
    assert max(words.values()) <= 3000, words


def test_lessons_hold_no_lab_log():
    "Dated results belong in the experiments notebook and results/, not in lessons."
    dated = re.compile(r'\b20\d\d-\d\d-\d\d\b|\b(measured|on) (January|February|March|April|May|June|July|August|September|October|November|December)\b')
    for p in (ROOT/'nbs').glob('[0-9]*.ipynb'):
        if 'experiments' in p.name: continue
        for c in json.loads(p.read_text())['cells']:
            if c['cell_type'] == 'markdown':
                assert not dated.search(''.join(c['source'])), f"{p.name}: a dated result in a lesson: {''.join(c['source'])[:200]}"
