"""Regenerate eval/corpus/<corpus>/labels.json for the TypeScript corpora from spec_<corpus>.py.

    python3 eval/labels_src/resolve_ts.py typescript      # dev set
    python3 eval/labels_src/resolve_ts.py typescript-b    # held-out set

Same scheme as resolve.py: each label is anchored to a substring that must occur on exactly one
line of its file ('=' prefix: the whole stripped line), so edits to a file cannot silently
shift a label onto the wrong line.
"""
import collections, importlib, json, os, sys
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
corpus = sys.argv[1] if len(sys.argv) > 1 else 'typescript'
SPEC = importlib.import_module('spec_' + corpus.replace('-', '_')).SPEC
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
json.dump({'files': files}, open(os.path.join(root, 'labels.json'), 'w'), indent=2)
open(os.path.join(root, 'labels.json'), 'a').write('\n')
c = collections.Counter(x['category'] for v in files.values() for x in v.get('findings', []))
print('files', len(files), 'safe', sum(1 for v in files.values() if v.get('safe')))
print('labels per category', sorted(c.items()), 'total', sum(c.values()))
fc = collections.Counter(x['category'] for v in files.values() for x in {y['category']: y for y in v.get('findings', [])}.values())
print('files per category', sorted(fc.items()))
for p in files:
    if p.endswith('.json'): continue
    n = len(open(os.path.join(root, p), encoding='utf-8').read().rstrip('\n').split('\n'))
    if not 30 <= n <= 150: print('LEN', p, n)
sys.exit(1 if errors else 0)
