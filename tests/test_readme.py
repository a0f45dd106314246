import json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def test_readme_is_generated_from_index_notebook():
    r = subprocess.run([sys.executable, 'tools/make_readme.py', '--check'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

def test_readme_has_the_two_setup_commands():
    sys.path.insert(0, str(ROOT/'tools'))
    from make_readme import setup_commands
    blocks = setup_commands((ROOT/'README.md').read_text())
    assert len(blocks) == 2 and all('\n' not in b for b in blocks), blocks
    assert 'pip install' in blocks[0] and 'ssl4code' in blocks[0]
    assert 'pytest' in blocks[1]


def _results(name): return json.loads((ROOT/'results'/name).read_text())
def _pct(x, digits=1): return f'{100 * x:.{digits}f} %'


def test_readme_and_model_card_figures_come_from_results():
    "The figures the README and the model card quote are the ones in results/, formatted as they quote them."
    q = {r['name']: r for r in _results('quality.json')['rows']}
    words, jedi = q['word completion (editor)'], q['Jedi (first 300 chars of each window)']
    cpu, shipped = q['transformer (default, 1 h CPU)'], q['transformer (gpu-small, shipped)']
    editor_run = _results('editor_path.json')
    editor, editor_cold = editor_run['results'], editor_run['cold_4000_p50_ms']
    ghost, auto = editor['completions'], editor['autocomplete']
    before = _results('editor_path_before.json')['results']['completions']
    subset = _results('editor_path_subset.json')['results']['completions']
    course = _results('course_run.json')
    xeon = _results('editor_path_xeon.json')
    same = lambda r: {e: (r[e]['keys'], r[e]['shown'], r[e]['accepted']) for e in ('completions', 'autocomplete')}
    check = _results('editor_path_check.json')      # the AMD machine with the server reading 10,000 characters, as on the Xeon
    assert same(xeon['results']) == same(check['head']), 'the README says the two machines gave the same suggestions'
    readme = [
        f"| the editor's word list | {_pct(words['saved'])} | {_pct(words['precision'], 0)} | {words['p50_ms']:.2f} / {words['p99_ms']:.2f} ms |",
        f"| Jedi, first completion | {_pct(jedi['saved'])} | {_pct(jedi['precision'], 0)} | {jedi['p50_ms']:.0f} / {jedi['p99_ms']:.0f} ms |",
        f"({cpu['train_tokens'] / 1e6:.0f} M tokens of the stdlib) | {_pct(cpu['saved'])} | {_pct(cpu['precision'], 0)} | {cpu['p50_ms']:.1f} / {cpu['p99_ms']:.0f} ms |",
        f"trained {shipped['train_seconds'] / 60:.1f} minutes on a GPU, {shipped['train_tokens'] / 1e6:.0f} M tokens) | **{_pct(shipped['saved'])}** | **{_pct(shipped['precision'], 0)}** | {shipped['p50_ms']:.1f} / {shipped['p99_ms']:.0f} ms |",
        f"ghost text saves {_pct(ghost['saved'])} of keystrokes at {_pct(ghost['precision'], 0)} precision",
        f"`/autocomplete` ({_pct(auto['saved'])} at {_pct(auto['precision'], 0)})",
        f"saved {_pct(before['saved'])} at {_pct(before['precision'])} precision",
        f"saves\n{_pct(subset['saved'])} at {_pct(subset['precision'])} now",
        f"{ghost['p50_ms']:.1f} ms at the median and {ghost['p99_ms']:.0f} ms at the 99th percentile",
        f"a cold 4,000-character prompt, read with both cores, {editor_cold:.0f} ms",
        f"takes {xeon['results']['completions']['p50_ms']:.1f} ms at the median and {xeon['results']['completions']['p99_ms']:.0f} ms at the 99th percentile",
        f"and {xeon['cold_4000_p50_ms']:.0f} ms for a cold 4,000-character prompt",
        f"takes about\n{course['minutes']:.0f} minutes",
        f"`results/course_run.json`: {course['minutes']:.1f} minutes on {course['machine']['cores']} cores of",
    ]
    text = (ROOT/'README.md').read_text()
    assert not (missing := [s for s in readme if s.replace('\n', ' ') not in ' '.join(text.split('\n'))]), missing
    card = (ROOT/'ssl4code'/'assets'/'MODEL_CARD.md').read_text()
    shipped_card = [f"**{_pct(shipped['saved'])}** at {_pct(shipped['precision'])} precision", f"| {shipped['heldout_bpc']:.3f} |",
                    f"{_pct(ghost['saved'])} at {_pct(ghost['precision'])} precision", f"{shipped['params']:,} parameters",
                    f"{words['saved'] * 100:.1f} % / {jedi['saved'] * 100:.1f} % saved", f"{shipped['p50_ms']:.1f} ms at the median",
                    f"and {shipped['p99_ms']:.0f} ms at the 99th percentile", f"{ghost['p50_ms']:.0f} / {ghost['p99_ms']:.0f} ms through HTTP"]
    assert not (missing := [s for s in shipped_card if s not in ' '.join(card.split('\n'))]), missing


def test_readme_and_model_card_figures_of_the_server_that_learns():
    "The figures of the server that learns the file (08b_adapt) are those of its runs on fresh held-out code and their controls."
    settled, paced = _results('editor_path_fresh_adapt.json'), _results('editor_path_fresh_adapt_paced.json')
    control, paced_control = _results('editor_path_fresh_control.json'), _results('editor_path_fresh_paced_control.json')
    b2b = _results('editor_path_fresh_adapt_b2b.json')
    assert all(r['windows'] == 'data/heldout/fresh.json' for r in (settled, paced, control, paced_control, b2b))
    s, p = settled['results']['completions'], paced['results']['completions']
    c, pc = control['results']['completions'], paced_control['results']['completions']
    mb = lambda r: f"{r['server_peak_rss_mb']:.0f} MB"
    readme = [f"from {_pct(c['saved'])} to {_pct(s['saved'])} of keystrokes saved, at {_pct(s['precision'])} precision instead of {_pct(c['precision'])}",
              f"peak memory stayed at {mb(settled)} ({mb(control)} without learning",
              f"{_pct(p['saved'])} at {_pct(p['precision'])} instead of {_pct(pc['saved'])} at {_pct(pc['precision'])}",
              f"with a p99 of {p['p99_ms']:.0f} ms ({pc['p99_ms']:.0f} ms without learning) and a peak of {mb(paced)}",
              f"the peak reached {mb(b2b)}"]
    text = ' '.join((ROOT/'README.md').read_text().split('\n'))
    assert not (missing := [x for x in readme if x not in text]), missing
    card = [f"{_pct(c['saved'])} at {_pct(c['precision'])} / **{_pct(s['saved'])}** at {_pct(s['precision'])} precision",
            f"peak memory stayed at {mb(settled)} ({control['server_peak_rss_mb']:.0f} without learning; {mb(b2b)} typed back to back",
            f"the p99 was {p['p99_ms']:.0f} ms"]
    text = ' '.join((ROOT/'ssl4code'/'assets'/'MODEL_CARD.md').read_text().split('\n'))
    assert not (missing := [x for x in card if x not in text]), missing
