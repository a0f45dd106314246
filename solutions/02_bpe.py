# Solutions to the exercises of nbs/02_bpe.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def train_merges(text, n, verbose=False):
    ids, vocab, learned = list(text.encode('utf-8')), {i: bytes([i]) for i in range(256)}, []
    for idx in range(256, 256 + n):
        stats = get_stats(ids)
        if not stats: break                      # a single id left: nothing to merge
        pair = best_pair(stats)                  # most frequent; ties: smallest ids
        ids = merge(ids, pair, idx)
        vocab[idx] = vocab[pair[0]] + vocab[pair[1]]
        learned.append(vocab[idx])
        if verbose: print(f'{vocab[idx]!r} -> {len(ids)} ids', end='; ')
    return learned

train_merges(toy, 10, verbose=True); print()

# %% Exercise 2
def tokenizer_with(pattern, texts, vocab_size):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(pattern), behavior='isolated'),
                                                 pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()        # the same special tokens, alphabet and decoder: only the words change
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=list(SPECIAL_TOKENS), show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(texts, trainer)
    return tok

for name, pattern in [('python', PRETOKEN_PATTERN), ('seed', SEED_PATTERN), ('spaces', r'\S+|\s+'), ('lines', r'[^\n]*\n|[^\n]+')]:
    tok = tokenizer_with(pattern, train, 1000)
    mixed = sum(MIXED(tok.decode([i])) for i in range(MIN_VOCAB, 1000))
    print(f'{name:7s} {chars_per_token(tok, valid):.2f} chars/token, {mixed} mixed tokens')

# %% Exercise 3
def rare_share(tok, texts, min_count=10):
    ids = [i for e in tok.encode_batch(list(texts)) for i in e.ids]
    counts = np.bincount(np.array(ids, dtype=np.int64), minlength=tok.get_vocab_size())
    return (counts[MIN_VOCAB:] < min_count).mean()   # special tokens and bytes are not learned

big = train_tokenizer(train, 2048)                    # BPE is greedy: truncating = training to fewer tokens
for v in (512, 1024, 2048):
    t = truncate_tokenizer(big, v)
    print(f'{v}: {chars_per_token(t, valid):.2f} chars/token, {rare_share(t, train):.0%} of the learned tokens rare in train')
