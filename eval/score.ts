// Blind evaluation: scan every file of a labelled corpus one at a time and compare the issues
// with the hand-written labels in <corpus>/labels.json.
//
//   npx tsx eval/score.ts [corpusDir] [--verbose] [--json] [--results fake.json]
//
// A finding matches a label when the file and the OWASP category agree and the lines differ by
// at most LINE_TOLERANCE. Each label is matched at most once (maximum matching, closest lines
// first). Extra findings of the same category within the tolerance of a matched label are
// duplicates: neither TP nor FP. Every other finding is a FP; every unmatched label is a FN.
// `--results` reads precomputed issues ({"<rel path>": [{owasp, line, rule}, …]}) instead of
// running the scanner, which is how the scoring itself is tested.
// The script always exits 0: it measures, it does not gate.
//
// Corpora: eval/corpus/python (the default), python-b and python-c are Python agents; configs and configs-b
// hold MCP client configs, agent instruction files and coding-agent settings; typescript and
// typescript-b are TS/JS agents, MCP servers and package.json manifests (labels regenerated from
// eval/labels_src/spec_typescript*.py by resolve.py). Each file is scanned
// under its path relative to the corpus, dot-folders included, so `x/.vscode/mcp.json` and
// `x/.claude/settings.json` keep the file type their folder gives them.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LINE_TOLERANCE = 2;
const CATEGORIES = ['LLM01', 'LLM02', 'LLM03', 'LLM04', 'LLM05', 'LLM06', 'LLM07', 'LLM08', 'LLM09', 'LLM10'] as const;
type Category = (typeof CATEGORIES)[number];

interface Label {
  category: Category;
  line: number;
  note?: string;
}
type FileLabels = { safe: true } | { findings: Label[] };
interface LabelsFile {
  files: Record<string, FileLabels>;
}
/** The part of an engine Issue the scoring needs. */
interface Found {
  owasp: string;
  line: number;
  rule?: string;
  title?: string;
}

interface Fp {
  file: string;
  line: number;
  category: string;
  rule: string;
  title: string;
}
interface Fn {
  file: string;
  line: number;
  category: string;
  note: string;
}
interface Counts {
  tp: number;
  fp: number;
  fn: number;
  duplicates: number;
}

export interface ScoreReport {
  corpus: string;
  files: number;
  labelled_findings: number;
  safe_files: number;
  safe_files_with_findings: number;
  safe_file_false_alarm_rate: number | null;
  safe_files_flagged: string[];
  per_category: Record<string, Counts & { precision: number | null; recall: number | null; f1: number | null }>;
  overall: Counts & { precision: number | null; recall: number | null; f1: number | null };
  false_positives: Fp[];
  false_negatives: Fn[];
  errors: { file: string; message: string }[];
  unlabelled_files: string[];
}

// ---------------------------------------------------------------------------------------------
// Matching

/** Maximum bipartite matching of findings to labels of one file and category (|Δline| ≤ tol). */
function matchOne(labels: Label[], found: Found[], tol: number): { matched: Map<number, number>; dupes: Set<number> } {
  // Candidate labels per finding, closest first, so augmenting paths prefer near pairs.
  const cands = found.map((f) =>
    labels
      .map((l, i) => ({ i, d: Math.abs(l.line - f.line) }))
      .filter((c) => c.d <= tol)
      .sort((a, b) => a.d - b.d || a.i - b.i)
      .map((c) => c.i),
  );
  const labelOwner = new Array<number>(labels.length).fill(-1); // label index -> finding index
  const tryAssign = (fi: number, seen: Set<number>): boolean => {
    for (const li of cands[fi]) {
      if (seen.has(li)) continue;
      seen.add(li);
      if (labelOwner[li] === -1 || tryAssign(labelOwner[li], seen)) {
        labelOwner[li] = fi;
        return true;
      }
    }
    return false;
  };
  // Process findings closest-to-some-label first.
  const order = found
    .map((f, fi) => ({ fi, d: Math.min(...labels.map((l) => Math.abs(l.line - f.line)), Infinity) }))
    .sort((a, b) => a.d - b.d || a.fi - b.fi)
    .map((x) => x.fi);
  for (const fi of order) tryAssign(fi, new Set());
  const matched = new Map<number, number>(); // finding -> label
  labelOwner.forEach((fi, li) => {
    if (fi >= 0) matched.set(fi, li);
  });
  const dupes = new Set<number>();
  found.forEach((f, fi) => {
    if (matched.has(fi)) return;
    for (const li of matched.values()) {
      if (Math.abs(labels[li].line - f.line) <= tol) {
        dupes.add(fi);
        return;
      }
    }
  });
  return { matched, dupes };
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
/** F1 = 2TP / (2TP + FP + FN): equals 2PR/(P+R) and is 0, not undefined, when one side is empty. */
const f1of = (c: Counts): number | null => ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);

export function scoreCorpus(
  labels: LabelsFile,
  results: Map<string, Found[]>,
  corpus = '',
  errors: { file: string; message: string }[] = [],
  tol = LINE_TOLERANCE,
): ScoreReport {
  const counts = new Map<string, Counts>();
  const bucket = (c: string) => {
    let x = counts.get(c);
    if (!x) counts.set(c, (x = { tp: 0, fp: 0, fn: 0, duplicates: 0 }));
    return x;
  };
  for (const c of CATEGORIES) bucket(c);
  const fps: Fp[] = [];
  const fns: Fn[] = [];
  let safeFiles = 0;
  const safeFlagged: string[] = [];
  let labelled = 0;
  const unlabelled: string[] = [];

  const allFiles = new Set([...results.keys(), ...Object.keys(labels.files)]);
  for (const file of [...allFiles].sort()) {
    const entry = labels.files[file];
    if (!entry) unlabelled.push(file);
    const fileLabels: Label[] = entry && 'findings' in entry ? entry.findings : [];
    const found = results.get(file) ?? [];
    labelled += fileLabels.length;
    if (!entry || 'safe' in entry) {
      safeFiles++;
      if (found.length > 0) safeFlagged.push(file);
    }
    const cats = new Set<string>([...fileLabels.map((l) => l.category), ...found.map((f) => f.owasp)]);
    for (const cat of cats) {
      const ls = fileLabels.filter((l) => l.category === cat);
      const fs = found.filter((f) => f.owasp === cat);
      const { matched, dupes } = matchOne(ls, fs, tol);
      const b = bucket(cat);
      b.tp += matched.size;
      b.duplicates += dupes.size;
      fs.forEach((f, fi) => {
        if (matched.has(fi) || dupes.has(fi)) return;
        b.fp++;
        fps.push({ file, line: f.line, category: cat, rule: f.rule ?? '?', title: f.title ?? '' });
      });
      const hit = new Set(matched.values());
      ls.forEach((l, li) => {
        if (hit.has(li)) return;
        b.fn++;
        fns.push({ file, line: l.line, category: cat, note: l.note ?? '' });
      });
    }
  }

  const withRates = (c: Counts) => {
    const precision = ratio(c.tp, c.tp + c.fp);
    const recall = ratio(c.tp, c.tp + c.fn);
    return { ...c, precision, recall, f1: f1of(c) };
  };
  const total: Counts = { tp: 0, fp: 0, fn: 0, duplicates: 0 };
  const perCategory: ScoreReport['per_category'] = {};
  for (const [cat, c] of [...counts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    perCategory[cat] = withRates(c);
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
    total.duplicates += c.duplicates;
  }
  const byPos = (a: { file: string; line: number }, b: { file: string; line: number }) =>
    a.file.localeCompare(b.file) || a.line - b.line;
  return {
    corpus,
    files: allFiles.size,
    labelled_findings: labelled,
    safe_files: safeFiles,
    safe_files_with_findings: safeFlagged.length,
    safe_file_false_alarm_rate: ratio(safeFlagged.length, safeFiles),
    safe_files_flagged: safeFlagged,
    per_category: perCategory,
    overall: withRates(total),
    false_positives: fps.sort(byPos),
    false_negatives: fns.sort(byPos),
    errors,
    unlabelled_files: unlabelled,
  };
}

// ---------------------------------------------------------------------------------------------
// Corpus walking and scanning

function walk(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full, root));
    else out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out;
}

async function scanCorpus(corpusDir: string, files: string[]) {
  const { scan } = await import('../engine/index.js');
  const results = new Map<string, Found[]>();
  const errors: { file: string; message: string }[] = [];
  for (const rel of files) {
    try {
      const res = await scan([{ path: rel, content: readFileSync(path.join(corpusDir, rel)) }]);
      results.set(
        rel,
        res.issues.map((i) => ({ owasp: i.owasp, line: i.line, rule: i.rule, title: i.title })),
      );
    } catch (err) {
      errors.push({ file: rel, message: (err as Error).message });
      results.set(rel, []);
    }
  }
  return { results, errors };
}

// ---------------------------------------------------------------------------------------------
// Output

const pct = (x: number | null) => (x === null ? '  -  ' : x.toFixed(3));

function printTable(r: ScoreReport, verbose: boolean): void {
  const out: string[] = [];
  out.push(`corpus: ${r.corpus}`);
  out.push(`files: ${r.files}   labelled findings: ${r.labelled_findings}   safe files: ${r.safe_files}`);
  out.push('');
  const head = ['category', 'TP', 'FP', 'FN', 'dup', 'precision', 'recall', 'F1'];
  const rows = Object.entries(r.per_category).map(([cat, c]) => [
    cat,
    String(c.tp),
    String(c.fp),
    String(c.fn),
    String(c.duplicates),
    pct(c.precision),
    pct(c.recall),
    pct(c.f1),
  ]);
  const o = r.overall;
  const all = ['overall', String(o.tp), String(o.fp), String(o.fn), String(o.duplicates), pct(o.precision), pct(o.recall), pct(o.f1)];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length), all[i].length));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  out.push(fmt(head));
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) out.push(fmt(row));
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  out.push(fmt(all));
  out.push('');
  out.push(
    `safe files with any finding: ${r.safe_files_with_findings}/${r.safe_files}` +
      (r.safe_file_false_alarm_rate === null ? '' : ` (${(r.safe_file_false_alarm_rate * 100).toFixed(1)}%)`),
  );
  if (r.unlabelled_files.length) out.push(`warning: ${r.unlabelled_files.length} file(s) without labels were treated as safe: ${r.unlabelled_files.join(', ')}`);
  if (r.errors.length) {
    out.push(`scan errors: ${r.errors.length}`);
    for (const e of r.errors.slice(0, verbose ? Infinity : 5)) out.push(`  ${e.file}: ${e.message}`);
  }
  if (verbose) {
    out.push('');
    out.push(`false positives (${r.false_positives.length}):`);
    for (const f of r.false_positives) out.push(`  ${f.file}:${f.line}  ${f.category}  ${f.rule}${f.title ? `  (${f.title})` : ''}`);
    out.push('');
    out.push(`false negatives (${r.false_negatives.length}):`);
    for (const f of r.false_negatives) out.push(`  ${f.file}:${f.line}  ${f.category}  ${f.note}`);
    out.push('');
    out.push(`safe files flagged (${r.safe_files_flagged.length}):`);
    for (const f of r.safe_files_flagged) out.push(`  ${f}`);
  }
  console.log(out.join('\n'));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose') || args.includes('-v');
  const json = args.includes('--json');
  let fake: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--results') fake = args[++i];
    else if (a.startsWith('--results=')) fake = a.slice('--results='.length);
    else if (!a.startsWith('-')) positional.push(a);
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const corpusDir = positional[0] ? path.resolve(positional[0]) : path.join(here, 'corpus', 'python');
  const labels = JSON.parse(readFileSync(path.join(corpusDir, 'labels.json'), 'utf8')) as LabelsFile;
  const files = walk(corpusDir).filter((f) => f !== 'labels.json');

  let results: Map<string, Found[]>;
  let errors: { file: string; message: string }[] = [];
  if (fake) {
    const raw = JSON.parse(readFileSync(fake, 'utf8')) as Record<string, Found[]>;
    results = new Map(files.map((f) => [f, raw[f] ?? []]));
  } else {
    ({ results, errors } = await scanCorpus(corpusDir, files));
  }
  const report = scoreCorpus(labels, results, path.relative(process.cwd(), corpusDir) || '.', errors);
  if (json) console.log(JSON.stringify(report, null, 2));
  else printTable(report, verbose);
}

const isEntryPoint = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) {
  main().catch((err: unknown) => {
    console.error(`eval/score.ts: ${(err as Error)?.stack ?? String(err)}`);
    process.exitCode = 0;
  });
}
