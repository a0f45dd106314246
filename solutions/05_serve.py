# Solutions to the exercises of nbs/05_serve.ipynb. Each section replaces the starter code of the
# exercise's cell (everything above its `def _check` or `check(...)` line); tests/test_exercises.py runs them.

# %% Exercise 1
def bad_bodies():
    "{error message: a request body that gets it}"
    return {'the request body is not valid UTF-8': b'{"prompt": "\xff"}',   # \xff starts no UTF-8 character
            'the request body must be a JSON object': '["for i in "]',      # valid JSON, but a list
            "'prompt' must be a string, not list": '{"prompt": ["for"]}',
            "'n' must be an integer from 1 to 10": '{"prompt": "for", "n": 0}'}

# %% Exercise 2
def ghost_text(client, prefix, suffix='', language='python'):
    r = client.post('/v1/completions', json={'language': language, 'segments': {'prefix': prefix, 'suffix': suffix}})
    choices = r.json['choices']
    return choices[0]['text'] if choices else ''

# %% Exercise 3
def play_editor(client, prefixes, taken):
    for p in prefixes:
        cid = client.post('/v1/completions', json={'segments': {'prefix': p}}).json['id']
        client.post('/v1/events', json={'type': 'view', 'completion_id': cid, 'choice_index': 0})
        client.post('/v1/events', json={'type': 'select' if p in taken else 'dismiss', 'completion_id': cid, 'choice_index': 0})

# %% Exercise 4
class ServedWords(WordCompleter):
    checkpoint, device, context_chars = None, 'cpu', 0          # what /health reports
    def ghost(self, prefix, suffix='', **options):               # /v1/completions also passes `cancelled` and `block`
        return self(prefix, suffix)[:1]

def served_words(): return ServedWords()

# %% Exercise 5
def burst(users):
    app, results = create_app(comp), {}
    def ask(k, user):
        results[k] = app.test_client().post('/v1/completions', json={'segments': {'prefix': 'for i in '}, 'user': user}).json
    with comp.lock:                       # the model is busy: every request waits, and only the newest per user is answered
        threads = [threading.Thread(target=ask, args=(k, u)) for k, u in enumerate(users)]
        for t in threads: t.start(); time.sleep(0.2)
    for t in threads: t.join()
    return sum(bool(r['choices']) for r in results.values())
