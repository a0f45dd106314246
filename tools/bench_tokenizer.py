"""Measure tokenizer training time and encoding throughput on the standard-library corpus.

    python tools/bench_tokenizer.py [--vocab-size 4096] [--data DIR] [--repeat 3]

Builds the corpus with `ssl4code.data.build_dataset` (the default of `ssl4code data`) in a
temporary folder unless --data names a dataset folder. Prints wall-clock figures and CPU time
(all threads), plus the load average: on a shared machine, wall-clock speed depends on what
else is running, CPU time much less.
"""
import argparse, os, sys, tempfile, time
from pathlib import Path

from ssl4code.bpe import DEFAULT_VOCAB_SIZE, FILE_SEP, encode_text, train_tokenizer


def stdlib_splits(data=None):
    "Texts of the train split and the whole train text of the stdlib corpus (or of the dataset folder `data`)."
    if data is None:
        try:
            import io
            from ssl4code.data import build_dataset
            data = Path(tempfile.mkdtemp())/'stdlib'
            build_dataset(data, log=io.StringIO())
        except ImportError:  # no data stage: read the stdlib's .py files directly
            import sysconfig
            root = Path(sysconfig.get_paths()['stdlib'])
            files = [p for p in sorted(root.rglob('*.py')) if 'site-packages' not in p.parts]
            texts = []
            for p in files:
                try: texts.append(p.read_text(encoding='utf-8'))
                except (OSError, UnicodeDecodeError): pass
            return texts, ''.join(FILE_SEP + t for t in texts)
    text = (Path(data)/'train.txt').read_text(encoding='utf-8')
    return [t for t in text.split(FILE_SEP) if t], text


def timed(f):
    w, c = time.perf_counter(), time.process_time()
    r = f()
    return r, time.perf_counter() - w, time.process_time() - c


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--vocab-size', type=int, default=DEFAULT_VOCAB_SIZE)
    p.add_argument('--data', help='dataset folder (default: build the stdlib corpus)')
    p.add_argument('--repeat', type=int, default=3, help='best of N runs for encoding (default: 3)')
    a = p.parse_args()
    texts, text = stdlib_splits(a.data)
    mb = len(text.encode('utf-8')) / 1e6
    load0 = os.getloadavg()[0]
    print(f'corpus: {len(texts):,} files, {mb:.1f} MB ({len(text)/1e6:.1f} M chars); {os.cpu_count()} cores, load average {load0:.1f}')
    tok, wall, cpu = timed(lambda: train_tokenizer(texts, a.vocab_size))
    print(f'training ({tok.get_vocab_size():,} tokens): {wall:.1f} s wall, {cpu:.1f} s CPU (goal: <= 30 s)')
    best = None
    for _ in range(a.repeat):
        ids, wall, cpu = timed(lambda: encode_text(tok, text))
        if best is None or wall < best[0]: best = (wall, cpu)
    wall, cpu = best
    print(f'encoding: {mb/wall:.1f} MB/s wall ({wall:.2f} s), {mb/cpu:.1f} MB per CPU-second (goal: >= 5 MB/s); '
          f'{len(ids):,} tokens, {len(text)/len(ids):.2f} chars/token')
    print(f'load average after: {os.getloadavg()[0]:.1f}')
    return 0


if __name__ == '__main__': sys.exit(main())
