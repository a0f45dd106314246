# Solutions to the exercises of nbs/04a_metrics.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def bpc(loss, n_tokens, n_chars):
    return loss * n_tokens / n_chars / math.log(2)   # total nats, per character, in bits

# %% Exercise 2
def unigram_logp(ids, V):
    counts = np.bincount(np.asarray(ids), minlength=V) + 1   # add one: an unseen token is not impossible
    return torch.tensor(np.log(counts / counts.sum()), dtype=torch.float32)

# %% Exercise 3
@torch.no_grad()
def greedy(model, tokenizer, prompt, n_tokens):
    model.eval()
    ids = tokenizer.encode(prompt).ids
    x, state, out = torch.tensor([ids]), None, []
    for _ in range(n_tokens):
        logits, state = model(x, state)
        out.append(logits[0, -1].argmax().item())
        x = torch.tensor([[out[-1]]])             # the state holds the rest
    return tokenizer.decode(ids + out)

# %% Exercise 4
class Forgetful(torch.nn.Module):
    def __init__(self, model): super().__init__(); self.model = model
    def forward(self, ids, state=None): return self.model(ids, None)   # each piece of k tokens starts afresh

def forgetful_bpc(model, tokenizer, text, k):
    return evaluate_text(Forgetful(model), tokenizer, text, batch_size=1, seq_len=k)['bpc']
