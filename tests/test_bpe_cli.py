"""`ssl4code tokenizer` as a real process: a tiny dataset is encoded; bad input gives a message, not a traceback."""
import json, shutil, subprocess, sys
from pathlib import Path

import numpy as np

FILE_SEP = '<|file|>'


def run(*args):
    exe = shutil.which('ssl4code', path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, '-c', 'import sys; from ssl4code.core import main; sys.exit(main())']
    return subprocess.run(cmd + ['tokenizer', *map(str, args)], capture_output=True, text=True, timeout=300)


def test_encodes_a_dataset(tmp_path):
    files = ['def add(a, b):\n    return a + b\n', 'class Point:\n    x: int = 0\n    y: int = 0\n',
             'import os\nprint(os.getcwd())  # café ☕\n'] * 20
    (tmp_path/'train.txt').write_text(''.join(FILE_SEP + f for f in files[:-2]), encoding='utf-8')
    (tmp_path/'valid.txt').write_text(''.join(FILE_SEP + f for f in files[-2:]), encoding='utf-8')
    r = run(tmp_path, '--vocab-size', '300')
    assert r.returncode == 0, r.stderr
    info = json.loads((tmp_path/'tokens.json').read_text())
    assert info['vocab_size'] == 300 and info['dtype'] == 'uint16'
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(str(tmp_path/'tokenizer.json'))
    for split in ('train', 'valid'):
        ids = np.load(tmp_path/f'{split}.npy', mmap_mode='r')
        assert info['splits'][split]['tokens'] == len(ids)
        text = (tmp_path/f'{split}.txt').read_text(encoding='utf-8')
        assert tok.decode(ids.tolist(), skip_special_tokens=False) == text


def test_bad_input_is_a_message(tmp_path):
    for args, words in [((tmp_path/'missing',), 'no such folder'), ((tmp_path,), 'no train.txt'),
                        ((tmp_path, '--vocab-size', '10'), 'at least 260')]:
        if args[-1] == '10': (tmp_path/'train.txt').write_text(FILE_SEP + 'x = 1\n')
        r = run(*args)
        assert r.returncode == 2 and words in r.stderr and 'Traceback' not in r.stderr, r.stderr


def test_help_shows_the_default():
    r = run('--help')
    assert r.returncode == 0 and '--vocab-size' in r.stdout and 'default: 4096' in r.stdout
