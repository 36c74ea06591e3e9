"""Regenerate eval/corpus/python/labels.json from spec.py (labels anchored to a unique substring of the line)."""
import json, os, sys, collections
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec import SPEC
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'corpus', 'python')
files = {}
errors = []
actual = set()
for d, _, fs in os.walk(root):
    for f in fs:
        rel = os.path.relpath(os.path.join(d, f), root)
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
json.dump({'files': files}, open(os.path.join(root, 'labels.json'), 'w'), indent=2)
c = collections.Counter(x['category'] for v in files.values() for x in v.get('findings', []))
py = [p for p in files if p.endswith('.py')]
print('files', len(files), 'py', len(py), 'safe py', sum(1 for p in py if files[p].get('safe')), 'vuln py', sum(1 for p in py if not files[p].get('safe')))
print(sorted(c.items()), sum(c.values()))
# file-level count per category
fc = collections.Counter(x['category'] for v in files.values() for x in {y['category']: y for y in v.get('findings', [])}.values())
print('files per category', sorted(fc.items()))
for p in py:
    n = len(open(os.path.join(root, p)).read().rstrip('\n').split('\n'))
    if not 30 <= n <= 120: print('LEN', p, n)
