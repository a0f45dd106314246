"""Run the course as a student would: every lesson, top to bottom, in order, on this machine.

    python tools/run_course.py                 # executed notebooks go to course_run/
    python tools/run_course.py --save          # ... and their outputs back into nbs/ (before a commit)
    python tools/run_course.py --record        # ... and the timing into results/course_run.json

All cells run, as they do in Jupyter: the course-size cells too (the student's own corpus,
tokenizer and 10-minute model, flagged `course` so that CI's nbdev_test skips them). A lesson that
raises stops the run with its traceback. The last line printed is `course: N.N minutes`.
"""
import argparse, json, os, platform, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'
LESSONS = ['00_core', '01_data', '02_bpe', '03_models', '04_train', '04a_metrics', '04b_checkpoint', '04c_monitor',
           '05_serve', '05a_search', '05b_complete', '05c_evaluate', '05d_jupyter', '06_jupyterlab', '07_vscode',
           '08_learn', '08a_memory', '08b_adapt']


def machine():
    import torch
    cpu = platform.processor() or platform.machine()
    try: cpu = next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))
    except (OSError, StopIteration): pass
    return {'cpu': cpu, 'cores': os.cpu_count(), 'gpu': torch.cuda.get_device_name() if torch.cuda.is_available() else None,
            'torch': torch.__version__, 'python': platform.python_version()}


def run_lesson(name, out):
    "Execute nbs/NAME.ipynb top to bottom (in nbs/, as Jupyter would) and write it to OUT."
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    nb = read_nb(NBS/f'{name}.ipynb')
    os.chdir(NBS)
    CaptureShell(path=NBS).run_all(nb, exc_stop=True)
    write_nb(nb, out/f'{name}.ipynb')


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--out', default=str(ROOT/'course_run'), help='folder for the executed notebooks (default: course_run/)')
    p.add_argument('--only', nargs='+', metavar='LESSON', help='run these lessons only (names as in nbs/, no .ipynb)')
    p.add_argument('--save', action='store_true', help="copy the executed lessons' outputs back into nbs/ (then nbdev_clean)")
    p.add_argument('--record', action='store_true', help='write the timing to results/course_run.json')
    a = p.parse_args(argv)
    lessons = a.only or LESSONS
    unknown = [l for l in lessons if l not in LESSONS]
    if unknown: p.error(f"not lessons: {', '.join(unknown)} (choose from {', '.join(LESSONS)})")
    out = Path(a.out).resolve(); out.mkdir(parents=True, exist_ok=True)   # the lessons run in nbs/
    # each lesson runs in a fresh process, as a student opens a fresh kernel per notebook
    times, start = {}, time.time()
    for name in lessons:
        t0 = time.time()
        r = subprocess.run([sys.executable, __file__, '--_one', name, str(out)], cwd=ROOT)
        if r.returncode: sys.exit(f'{name} failed (above); the course stops here')
        times[name] = time.time() - t0
        print(f'{name:16s} {times[name]/60:5.1f} min', flush=True)
    total = time.time() - start
    if a.save:
        for name in lessons: (NBS/f'{name}.ipynb').write_bytes((out/f'{name}.ipynb').read_bytes())
        subprocess.run([str(Path(sys.executable).parent/'nbdev_clean')], cwd=ROOT, check=True)
    if a.record and not a.only:
        rec = {'command': 'python tools/run_course.py --record', 'machine': machine(), 'load_average': os.getloadavg(),
               'date': time.strftime('%Y-%m-%d'), 'minutes': round(total/60, 1),
               'lessons': {k: round(v/60, 2) for k, v in times.items()}}
        (ROOT/'results'/'course_run.json').write_text(json.dumps(rec, indent=1) + '\n')
    print(f'course: {total/60:.1f} minutes')


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == '--_one':
        run_lesson(sys.argv[2], Path(sys.argv[3]))
    else: main()
