import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFiles, isSupportedFile, languageOf, PathError } from '../engine/files.js';

describe('languageOf', () => {
  it.each([
    ['a/b.py', 'python'],
    ['nb/x.ipynb', 'notebook'],
    ['x.js', 'javascript'],
    ['x.mjs', 'javascript'],
    ['x.cjs', 'javascript'],
    ['x.jsx', 'javascript'],
    ['x.ts', 'typescript'],
    ['x.tsx', 'tsx'],
    ['requirements.txt', 'requirements'],
    ['deps/requirements-dev.txt', 'requirements'],
    ['pyproject.toml', 'pyproject'],
    ['web/package.json', 'package-json'],
    ['mcp.json', 'mcp-config'],
    ['.mcp.json', 'mcp-config'],
    ['.cursor/mcp.json', 'mcp-config'],
    ['.vscode/mcp.json', 'mcp-config'],
    ['claude_desktop_config.json', 'mcp-config'],
    ['.codeium/windsurf/mcp_config.json', 'mcp-config'],
    ['cline_mcp_settings.json', 'mcp-config'],
    ['.gemini/settings.json', 'mcp-config'],
    ['skills/x/SKILL.md', 'instructions'],
    ['AGENTS.md', 'instructions'],
    ['CLAUDE.md', 'instructions'],
    ['.cursorrules', 'instructions'],
    ['.windsurfrules', 'instructions'],
    ['prompts/review.prompt.md', 'instructions'],
    ['.github/copilot-instructions.md', 'instructions'],
    ['.github/instructions/python.instructions.md', 'instructions'],
    ['.cursor/rules/style.mdc', 'instructions'],
    ['HEARTBEAT.md', 'instructions'],
    ['docs/notes.mdc', null],
    ['.claude/settings.json', 'claude-settings'],
    ['README.md', null],
    ['notes.txt', null],
    ['settings.json', null],
    ['types.d.ts', null],
    ['Makefile', null],
  ])('%s -> %s', (p, lang) => {
    expect(languageOf(p)).toBe(lang);
    expect(isSupportedFile(p)).toBe(lang !== null);
  });
});

describe('collectFiles', () => {
  let tmp: string;
  const write = (rel: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    writeFileSync(path.join(tmp, rel), content);
  };

  beforeAll(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'agentcop-files-'));
    write('src/agent.py', 'x = 1\n');
    write('src/web/app.ts', 'export {}\n');
    write('src/README.md', '# not scanned\n');
    write('node_modules/pkg/index.js', 'x\n');
    write('.venv/lib/a.py', 'x\n');
    write('myenv/pyvenv.cfg', 'home = /usr\n');
    write('myenv/lib/b.py', 'x\n');
    write('build/out.js', 'x\n');
    write('tests/test_agent.py', 'x\n');
    write('binary.py', Buffer.from([0x69, 0x00, 0x01]));
    write('latin1.py', Buffer.from('s = "caf\xe9"\n', 'latin1'));
    write('big.py', 'x = 1\n'.repeat(100));
    write('.claude/settings.json', '{}\n');
    symlinkSync(tmp, path.join(tmp, 'src', 'loop'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('walks folders, keeps supported files and skips vendored ones', async () => {
    const r = await collectFiles([tmp]);
    expect(r.root).toBe(tmp);
    expect(r.files.map((f) => f.path)).toEqual(['.claude/settings.json', 'big.py', 'latin1.py', 'src/agent.py', 'src/web/app.ts', 'tests/test_agent.py']);
    expect(typeof r.files[0].content).toBe('string');
  });

  it('skips binary files and files over the size limit with a notice', async () => {
    const r = await collectFiles([tmp], { maxFileBytes: 100 });
    expect(r.files.map((f) => f.path)).not.toContain('big.py');
    expect(r.notices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'binary.py', kind: 'skipped', message: 'binary file' }),
        expect.objectContaining({ file: 'big.py', kind: 'skipped' }),
      ]),
    );
  });

  it('decodes invalid UTF-8 with replacement characters and says so', async () => {
    const r = await collectFiles([tmp]);
    const f = r.files.find((x) => x.path === 'latin1.py')!;
    expect(f.content).toContain('caf\uFFFD');
    expect(r.notices).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'latin1.py', message: expect.stringMatching(/UTF-8/) })]));
  });

  it('applies config ignore and paths globs relative to the root', async () => {
    const ignored = await collectFiles([tmp], { config: { ignore: ['tests/**', '*.ts'] } });
    expect(ignored.files.map((f) => f.path)).toEqual(['.claude/settings.json', 'big.py', 'latin1.py', 'src/agent.py']);
    const only = await collectFiles([tmp], { config: { paths: ['src'] } });
    expect(only.files.map((f) => f.path)).toEqual(['src/agent.py', 'src/web/app.ts']);
  });

  it('takes a single file relative to its own folder, even inside an ignored folder', async () => {
    const r = await collectFiles([path.join(tmp, 'node_modules/pkg/index.js')]);
    expect(r.root).toBe(path.join(tmp, 'node_modules/pkg'));
    expect(r.files.map((f) => f.path)).toEqual(['index.js']);
  });

  it('uses the common folder of several paths as the root', async () => {
    const r = await collectFiles([path.join(tmp, 'src/web'), path.join(tmp, 'tests/test_agent.py')]);
    expect(r.root).toBe(tmp);
    expect(r.files.map((f) => f.path)).toEqual(['src/web/app.ts', 'tests/test_agent.py']);
  });

  it('throws a PathError for a path that does not exist', async () => {
    await expect(collectFiles([path.join(tmp, 'nope')])).rejects.toBeInstanceOf(PathError);
    await expect(collectFiles([path.join(tmp, 'nope')])).rejects.toThrow(/path not found/);
  });
});
