"""Distributed training on the CPU: `torchrun --nproc_per_node=2` with the gloo backend.

Two processes train the tiny preset for a few steps on a tiny corpus. They must read different
data, end with identical weights, match one process trained with both their batches, and leave
a checkpoint that a single process resumes.
"""
import io, os, shutil, subprocess, sys, sysconfig
from pathlib import Path

import pytest
import torch

from ssl4code import bpe, data
from ssl4code.checkpoint import load_checkpoint
from ssl4code.train import train, weights_digest

STDLIB = Path(sysconfig.get_paths()['stdlib'])
FILES = ['argparse.py', 'ast.py', 'bisect.py', 'calendar.py', 'csv.py', 'dataclasses.py', 'fnmatch.py',
         'heapq.py', 'textwrap.py', 'shlex.py', 'json/decoder.py', 'json/encoder.py']
STEPS, BATCH = 6, 2


def _torchrun():
    p = Path(sys.executable).parent/'torchrun'
    return str(p) if p.exists() else shutil.which('torchrun')


@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp('ddp')
    src = root/'src'
    src.mkdir()
    for f in FILES: shutil.copy(STDLIB/f, src/f.replace('/', '_'))
    d = root/'data'
    data.build_dataset(d, [str(src)], log=io.StringIO())
    bpe.encode_dataset(d, vocab_size=400, progress=False)
    return d


def torchrun(*args, timeout=120):
    ssl4code = [sys.executable, '-c', 'import sys; from ssl4code.core import main; sys.exit(main())']
    cmd = [_torchrun(), '--standalone', '--nproc_per_node=2', '--no-python', *ssl4code, 'train', *map(str, args)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert r.returncode == 0, r.stderr[-3000:]
    return r


@pytest.mark.parametrize('model', ['lstm', 'transformer'])
def test_two_processes(corpus, tmp_path, model):
    run = tmp_path/'ddp'
    torchrun(corpus, '--model', model, '--preset', 'tiny', '--steps', STEPS, '--batch-size', BATCH,
             '--dropout', 0, '--out', run)
    net, _, ck = load_checkpoint(run/'model.pt')
    ranks = ck['meta']['ranks']
    assert ck['meta']['world'] == 2 and len(ranks) == 2
    assert ranks[0]['data_crc'] != ranks[1]['data_crc'], 'both processes read the same batches'
    assert ranks[0]['weights'] == ranks[1]['weights'] == weights_digest(net), 'the replicas diverged'

    # Two processes with B rows each take the same steps as one process with 2B rows.
    one = train(corpus, model, 'tiny', out=tmp_path/'one', steps=STEPS, batch_size=2 * BATCH,
                model_config={'dropout': 0.0}, view=None)
    w1, w2 = one.raw.state_dict(), net.state_dict()
    assert max((w1[k] - w2[k]).abs().max().item() for k in w1) < 1e-4

    # The distributed checkpoint resumes in a single process.
    t = train(corpus, out=run, resume=True, steps=STEPS + 2, view=None)
    assert t.step == STEPS + 2 and t.world == 1
    assert load_checkpoint(run/'model.pt')[2]['meta']['step'] == STEPS + 2
