"""Write README.md from nbs/index.ipynb (Quarto, which nbdev_readme needs, cannot be installed offline).

Markdown cells are copied; code cells become fenced Python blocks followed by their text output;
cells starting with `#| hide` are dropped. `--check` exits 1 when README.md is out of date;
`--setup-commands` prints the two commands of the README's Set up section, one a line.
"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def _text_outputs(cell):
    out = []
    for o in cell.get('outputs', []):
        if o.get('output_type') == 'stream': out.append(''.join(o['text']))
        elif 'text/plain' in o.get('data', {}): out.append(''.join(o['data']['text/plain']) + '\n')
    return ''.join(out)

def render(nb):
    parts = []
    for c in nb['cells']:
        src = ''.join(c['source']).strip('\n')
        if c['cell_type'] == 'markdown': parts.append(src)
        elif c['cell_type'] == 'code' and not src.startswith('#| hide'):
            lines = [l for l in src.split('\n') if not l.startswith('#|')]
            parts.append('```python\n' + '\n'.join(lines) + '\n```')
            out = _text_outputs(c)
            if out: parts.append('```\n' + out.rstrip('\n') + '\n```')
    return '<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->\n\n' + '\n\n'.join(parts) + '\n'

def setup_commands(readme_text):
    "The shell commands of the README's `## Set up` section: install-and-run, then run-every-test."
    section = readme_text.split('## Set up', 1)[1].split('\n## ', 1)[0]
    return [b.split('```', 1)[0].strip() for b in section.split('```sh\n')[1:]]

def main(argv):
    if '--setup-commands' in argv:
        print('\n'.join(setup_commands((ROOT/'README.md').read_text(encoding='utf-8'))))
        return 0
    text = render(json.loads((ROOT/'nbs'/'index.ipynb').read_text(encoding='utf-8')))
    readme = ROOT/'README.md'
    if '--check' in argv:
        ok = readme.exists() and readme.read_text(encoding='utf-8') == text
        if not ok: print('README.md is out of date: run python tools/make_readme.py')
        return 0 if ok else 1
    readme.write_text(text, encoding='utf-8')
    return 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
