// Builds the GitHub Action into action/dist: one ESM bundle, the .wasm files it loads at run time,
// a package.json and the licences of what was bundled. The runner executes action/dist/index.js
// with no node_modules anywhere near it, so everything it needs must be in that folder. The
// output is committed and CI rebuilds it and diffs, so nothing here may depend on the time, the
// machine or the absolute path of the checkout.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'action', 'dist');
const require = createRequire(path.join(root, 'package.json'));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: ['action/src/index.ts'],
  outfile: 'action/dist/index.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  // The tests run the bundle on the Node the project develops on (20); the runner uses 24.
  target: 'node20',
  charset: 'utf8',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // Bundled CommonJS packages call require() for Node built-ins, which an ES module lacks.
  banner: { js: "import { createRequire as __agentcopCreateRequire } from 'node:module';\nconst require = __agentcopCreateRequire(import.meta.url);" },
});

// web-tree-sitter finds its runtime with new URL('web-tree-sitter.wasm', import.meta.url), and
// engine/parse looks for tree-sitter-<grammar>.wasm beside the module first: in the bundle,
// import.meta.url is index.js, so both belong next to it.
const wasm = [path.join(path.dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm')];
for (const name of Object.keys(pkg.dependencies ?? {}).filter((d) => /^tree-sitter-[a-z0-9-]+$/.test(d)).sort()) {
  const dir = path.dirname(require.resolve(`${name}/package.json`));
  const files = readdirSync(dir).filter((f) => /^tree-sitter-[a-z0-9_-]+\.wasm$/.test(f)).sort();
  if (!files.length) throw new Error(`${name} ships no grammar .wasm file`);
  wasm.push(...files.map((f) => path.join(dir, f)));
}
for (const file of wasm) copyFileSync(file, path.join(dist, path.basename(file)));

// engine/report/version.ts walks up from the module to a package.json named agentcop for the
// version in reports; "type": "module" makes Node load index.js as ESM wherever dist is copied.
const distPkg = { name: pkg.name, version: pkg.version, private: true, type: 'module', ...(pkg.homepage ? { homepage: pkg.homepage } : {}), ...(pkg.repository ? { repository: pkg.repository } : {}) };
writeFileSync(path.join(dist, 'package.json'), `${JSON.stringify(distPkg, null, 2)}\n`);

writeFileSync(path.join(dist, 'licenses.txt'), licences(Object.keys(metafile.inputs), wasm));

/** The licence of every third-party package that ended up in dist, sorted, one block each. */
function licences(inputs, wasmFiles) {
  const dirs = new Set();
  for (const file of [...inputs, ...wasmFiles.map((f) => path.relative(root, f))]) {
    const parts = file.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const depth = parts[at + 1].startsWith('@') ? 3 : 2;
    dirs.add(parts.slice(0, at + depth).join('/'));
  }
  const blocks = new Map();
  for (const dir of dirs) {
    const meta = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(path.join(root, dir)).filter((f) => /^(licen[cs]e|copying)/i.test(f)).sort()[0];
    const text = licenceFile ? readFileSync(path.join(root, dir, licenceFile), 'utf8').trim() : `(no licence file; package.json says ${meta.license ?? 'nothing'})`;
    blocks.set(`${meta.name}@${meta.version}`, `${meta.name} ${meta.version} (${meta.license ?? 'unknown'})\n\n${text}\n`);
  }
  return [...blocks.keys()].sort().map((k) => blocks.get(k)).join(`\n${'-'.repeat(72)}\n\n`);
}

const size = (f) => readFileSync(path.join(dist, f)).length;
const files = readdirSync(dist).sort();
console.log(`action/dist: ${files.map((f) => `${f} ${(size(f) / 1024).toFixed(0)} KiB`).join(', ')}`);
if (!existsSync(path.join(dist, 'index.js'))) throw new Error('no bundle written');
