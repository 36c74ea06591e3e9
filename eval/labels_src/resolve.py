"""Regenerate eval/corpus/<corpus>/labels.json from its spec module.

    python3 eval/labels_src/resolve.py                 # python (spec.py)
    python3 eval/labels_src/resolve.py typescript      # spec_typescript.py
    python3 eval/labels_src/resolve.py typescript-b    # held-out set, spec_typescript_b.py

Each label is anchored to a substring that must occur on exactly one line of its file ('=' prefix:
the whole stripped line), so edits to a file cannot silently shift a label onto the wrong line.
"""
import collections, importlib, json, os, sys
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
corpus = sys.argv[1] if len(sys.argv) > 1 else 'python'
SPEC = importlib.import_module('spec' if corpus == 'python' else 'spec_' + corpus.replace('-', '_')).SPEC
# Corpus files are meant to read like real modules: short scripts or padded fixtures stand out.
MAX_LINES = 120 if corpus == 'python' else 150
root = os.path.join(here, '..', 'corpus', corpus)
files, errors, actual = {}, [], set()
for d, _, fs in os.walk(root):
    for f in fs:
        rel = os.path.relpath(os.path.join(d, f), root).replace(os.sep, '/')
        if rel != 'labels.json': actual.add(rel)
for p in sorted(actual - set(SPEC)): errors.append(f'unlabelled file {p}')
for p in sorted(set(SPEC) - actual): errors.append(f'missing file {p}')
for path, spec in sorted(SPEC.items()):
    if path not in actual: continue
    lines = open(os.path.join(root, path), encoding='utf-8').read().split('\n')
    if spec == 'safe':
        files[path] = {'safe': True}; continue
    out = []
    for cat, anchor, note in spec:
        if anchor.startswith('='):
            hits = [i + 1 for i, l in enumerate(lines) if l.strip() == anchor[1:]]
        else:
            hits = [i + 1 for i, l in enumerate(lines) if anchor in l]
        if len(hits) != 1:
            errors.append(f'{path}: anchor {anchor!r} matched {hits}')
            continue
        out.append({'category': cat, 'line': hits[0], 'note': note})
    out.sort(key=lambda x: x['line'])
    files[path] = {'findings': out}
for e in errors: print('ERROR', e)
with open(os.path.join(root, 'labels.json'), 'w') as f:
    json.dump({'files': files}, f, indent=2)
    f.write('\n')
c = collections.Counter(x['category'] for v in files.values() for x in v.get('findings', []))
print('files', len(files), 'safe', sum(1 for v in files.values() if v.get('safe')))
print('labels per category', sorted(c.items()), 'total', sum(c.values()))
fc = collections.Counter(x['category'] for v in files.values() for x in {y['category']: y for y in v.get('findings', [])}.values())
print('files per category', sorted(fc.items()))
for p in files:
    if p.endswith('.json') or p.endswith('.txt') or p.endswith('.md'): continue
    n = len(open(os.path.join(root, p), encoding='utf-8').read().rstrip('\n').split('\n'))
    if not 30 <= n <= MAX_LINES: print('LEN', p, n)
sys.exit(1 if errors else 0)
