# Solutions to the exercises of nbs/08a_memory.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def recall(memory, h, k):
    _, found = memory.search(h, k)                       # values of the keys the index found
    keys = memory.floats()                               # every key, as the memory holds it
    _, true = sqdist(h, keys, (keys ** 2).sum(1)).topk(k, largest=False)
    truth = memory.values[true]                          # values of the true nearest keys
    return sum(len(set(a.tolist()) & set(b.tolist())) for a, b in zip(found, truth)) / truth.numel()

for probe in (1, 2, 4, 12):
    torch.manual_seed(1)
    m = Memory.index(torch.randn(3000, 8).half(), torch.arange(3000), torch.zeros(3000, dtype=torch.long), cells=12, probe=probe)
    print(probe, recall(m, torch.randn(4, 8), 5))
