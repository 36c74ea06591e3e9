import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, FailOn } from '../engine/config.js';
import { PathError } from '../engine/files.js';
import { packageInfo, REPORT_FORMATS, type ReportFormat } from '../engine/report/index.js';
import { allRules } from '../engine/rules/index.js';
import { UsageError } from './errors.js';
import { scanCommand } from './scan.js';

const EXIT_HELP = `
Exit codes:
  0  passed
  1  the threshold failed: trust score below --min-score, or an unsuppressed issue at or above --fail-on
  2  usage or I/O error (unknown option, missing path, bad config or baseline)`;

/** Entry point for bin/agentcop.js. Sets process.exitCode rather than exiting, so output drains. */
export async function main(argv: string[]): Promise<void> {
  // A reader that closes the pipe early (`| head`) is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  try {
    await buildProgram((code) => (process.exitCode = code)).parseAsync(argv);
  } catch (err) {
    process.exitCode = handleError(err);
  }
}

function handleError(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander already printed its message; its exit code 1 means a usage error here.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof PathError) {
    process.stderr.write(`agentcop: ${err.message}\n`);
    return 2;
  }
  const e = err as Error;
  process.stderr.write(`agentcop: ${e?.message ?? String(err)}\n`);
  if (process.env.AGENTCOP_DEBUG && e?.stack) process.stderr.write(`${e.stack}\n`);
  return 2;
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('agentcop');
  // Set before any subcommand exists: commander copies these settings into subcommands.
  program
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`agentcop: ${str.replace(/^error: /, '')}`) })
    .showHelpAfterError('(run with --help for usage)');
  program
    .description('Security checkpoint for AI agent code: OWASP LLM Top 10 (2025) and Agentic (ASI) risks.')
    .version(packageInfo().version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help');

  program
    .command('scan')
    .description('scan files and folders for agent security issues')
    .argument('[paths...]', 'files or folders to scan (default: .)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(REPORT_FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .option('--min-score <n>', 'exit 1 when the trust score is below N, 0-100 (default: min_score from config, else 0)', parseScore)
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 on any unsuppressed issue at or above this severity (default: fail_on from config, else none)').choices(
        FailOn.options,
      ),
    )
    .option('-c, --config <file>', 'config file (default: .agentcop.yml or .agentcop.yaml in the scanned root)')
    .option('--baseline <file>', 'suppress issues whose fingerprints are in FILE (default: baseline from config)')
    .option('--write-baseline <file>', 'write the fingerprints of the current issues to FILE (and exit 0 unless there is an error)')
    .option('--framework <name>', 'framework hint: langchain, crewai, autogen, …')
    .option('--no-color', 'no colours in the text report (also when NO_COLOR is set or stdout is not a terminal)')
    .option('-q, --quiet', 'no progress or messages on stderr; the text report shows only the summary line')
    .addHelpText('after', EXIT_HELP)
    .action(async (paths: string[], opts: Record<string, unknown>) => {
      const output = opts.output as string | undefined;
      const color = opts.color !== false && !output && process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
      setExit(
        await scanCommand(paths.length ? paths : ['.'], {
          format: opts.format as ReportFormat,
          output,
          minScore: opts.minScore as number | undefined,
          failOn: opts.failOn as FailOn | undefined,
          config: opts.config as string | undefined,
          baseline: opts.baseline as string | undefined,
          writeBaseline: opts.writeBaseline as string | undefined,
          framework: opts.framework as string | undefined,
          color,
          quiet: opts.quiet === true,
        }),
      );
    });

  program
    .command('rules')
    .description('list every rule with its OWASP, ASI and CWE ids')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { format: 'text' | 'json' }) => {
      process.stdout.write(opts.format === 'json' ? rulesJson() : rulesText());
      setExit(0);
    });

  program
    .command('serve')
    .description('run the AgentCop REST API server (PGlite in --data-dir, or PostgreSQL with --database-url)')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)', parsePort)
    .option('--host <host>', 'address to bind (default: HOST or 127.0.0.1; 0.0.0.0 for all interfaces)')
    .option('--database-url <url>', 'PostgreSQL URL (default: DATABASE_URL; without one, embedded PGlite)')
    .option('--data-dir <dir>', 'PGlite data directory (default: AGENTCOP_DATA_DIR or ./.agentcop)')
    .action(async (opts: { port?: number; host?: string; databaseUrl?: string; dataDir?: string }) => {
      // Loaded here so `agentcop scan` never pays for Fastify and the database drivers.
      const { optionsFromEnv, serve } = await import('../server/serve.js');
      const env = optionsFromEnv();
      await serve({
        ...env,
        port: opts.port ?? env.port,
        host: opts.host ?? env.host,
        databaseUrl: opts.databaseUrl ?? env.databaseUrl,
        dataDir: opts.dataDir ?? env.dataDir,
      });
      // The process now lives until SIGTERM/SIGINT; serve() sets the exit code on shutdown.
    });

  program.addHelpText('after', EXIT_HELP);
  return program;
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return Number(value);
}

function parseScore(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 100) throw new InvalidArgumentError('expected a whole number from 0 to 100');
  return Number(value);
}

function rulesJson(): string {
  const rules = allRules().map(({ meta }) => ({
    id: meta.id,
    owasp: meta.owasp,
    asi: meta.asi ?? null,
    cwe: meta.cwe,
    severity: meta.severity,
    title: meta.title,
    description: meta.description,
    fix: meta.fix,
    languages: meta.languages,
  }));
  return `${JSON.stringify(rules, null, 2)}\n`;
}

function rulesText(): string {
  const rows = allRules().map(({ meta }) => [meta.id, meta.owasp, meta.asi ?? '-', meta.cwe, meta.severity, meta.title]);
  const header = ['RULE', 'OWASP', 'ASI', 'CWE', 'SEVERITY', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return `${[fmt(header), ...rows.map(fmt)].join('\n')}\n${rows.length} rules\n`;
}
