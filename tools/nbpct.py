"""Convert notebooks to and from a plain "percent" script, for editing notebooks in a text editor.

    python tools/nbpct.py to-py nbs/01_data.ipynb /tmp/01_data.py
    python tools/nbpct.py to-nb /tmp/01_data.py nbs/01_data.ipynb

Cells start with `# %%` (code) or `# %% [markdown]` (markdown; each line prefixed with `# `).
Converting back keeps the outputs of code cells whose source did not change.
"""
import hashlib, json, sys
from pathlib import Path

def nb_to_py(nb):
    parts = []
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown':
            body = '\n'.join(('# ' + l) if l else '#' for l in src.split('\n'))
            parts.append('# %% [markdown]\n' + body)
        else: parts.append('# %%\n' + src)
    return '\n\n'.join(parts) + '\n'

def py_to_cells(text):
    cells, kind, lines = [], None, []
    def flush():
        if kind is None: return
        while lines and not lines[-1].strip(): lines.pop()
        if kind == 'markdown': src = '\n'.join(l[2:] if l.startswith('# ') else l.lstrip('#') for l in lines)
        else: src = '\n'.join(lines)
        cells.append((kind, src))
    for line in text.split('\n'):
        if line.startswith('# %%'):
            flush()
            kind, lines = ('markdown' if '[markdown]' in line else 'code'), []
        elif kind is not None: lines.append(line)
    flush()
    return cells

def _src(s):
    ls = s.split('\n')
    return [l + '\n' for l in ls[:-1]] + ([ls[-1]] if ls[-1] else [])

def py_to_nb(text, old=None):
    outputs = {}
    for c in (old or {}).get('cells', []):
        if c['cell_type'] == 'code': outputs.setdefault(''.join(c['source']), c.get('outputs', []))
    cells, seen = [], set()
    for kind, src in py_to_cells(text):
        cid = hashlib.sha1(src.encode()).hexdigest()[:8]
        while cid in seen: cid = hashlib.sha1(cid.encode()).hexdigest()[:8]
        seen.add(cid)
        c = {'cell_type': kind, 'id': cid, 'metadata': {}, 'source': _src(src)}
        if kind == 'code': c.update(execution_count=None, outputs=outputs.get(src, []))
        cells.append(c)
    meta = (old or {}).get('metadata') or {'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'}}
    return {'cells': cells, 'metadata': meta, 'nbformat': 4, 'nbformat_minor': 5}

if __name__ == '__main__':
    cmd, src, dst = sys.argv[1:4]
    if cmd == 'to-py': Path(dst).write_text(nb_to_py(json.loads(Path(src).read_text())))
    elif cmd == 'to-nb':
        old = json.loads(Path(dst).read_text()) if Path(dst).exists() else None
        Path(dst).write_text(json.dumps(py_to_nb(Path(src).read_text(), old), indent=1, ensure_ascii=False) + '\n')
    else: sys.exit(__doc__)
