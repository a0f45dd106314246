# Solutions to the exercises of nbs/01_data.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def drop_reasons(folder, **limits):
    out = Counter()
    for path, data, reason in walk_folder(folder):
        if reason is None: reason = clean_text(data, **limits)[1]   # the walker first, then the cleaning rules
        out[reason or 'kept'] += 1
    return out

print(drop_reasons(stdlib_dir()/'email'), drop_reasons(stdlib_dir()/'email', max_mean_line=35))   # half of it goes

# %% Exercise 2
import hashlib

def unique_texts(blobs):
    texts, seen, duplicates = [], set(), 0
    for data in blobs:
        text, reason = clean_text(data)
        if reason: continue
        h = hashlib.sha256(text.encode()).digest()   # after cleaning: line endings and a BOM no longer differ
        if h in seen: duplicates += 1
        else: seen.add(h); texts.append(text)
    return texts, duplicates

# %% Exercise 3
def file_split(files, valid_ratio=0.2, seed=0):
    rng = random.Random(seed)   # a private generator: the same split for the same seed, whatever ran before
    return {f['path']: 'valid' if rng.random() < valid_ratio else 'train' for f in files}

def leak(split_of, files):
    train = {f['project'] for f in files if split_of[f['path']] == 'train'}
    valid = [f for f in files if split_of[f['path']] == 'valid']
    return sum(f['project'] in train for f in valid) / max(1, len(valid))

# %% Exercise 4
# a table line: a one-character string or a hex mapping, then a comment ('\x80'  # 0x80 -> EURO SIGN)
TABLE_LINE = re.compile(r"^\s*('(\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|.)'|0x[0-9a-fA-F]+\s*:\s*(0x[0-9a-fA-F]+|None)),?\s*#")

def looks_generated(text):
    lines = [l for l in text.split('\n') if l.strip()]
    return sum(bool(TABLE_LINE.match(l)) for l in lines) > 0.3 * len(lines)

flagged = [p for p, data, reason in walk_folder(stdlib_dir()) if reason is None
           and (t := clean_text(data)[0]) and looks_generated(t)]
print(len(flagged), 'flagged, outside encodings/:', [p for p in flagged if not p.startswith('encodings/')])
