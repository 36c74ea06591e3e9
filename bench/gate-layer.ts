// The realistic permission layer, base layer, gate policy and call mix both halves of
// `npm run bench:gate` use: what a coding/ops agent with a dozen tools would carry.
export const BASE_LAYER = {
  tools: { block: ['delete_*', 'drop_*', 'shell_sudo', 'fs.rm*'] },
  data: { deny: ['**/.ssh/**', '**/.env', '**/secrets/**', '/etc/shadow'] },
};


export const AGENT_LAYER = {
  tools: {
    allow: ['read_*', 'write_file', 'list_*', 'search_*', 'http_get', 'http_post', 'send_email', 'send_slack_message', 'run_tests', 'git_*', 'create_ticket', 'query_db'],
    block: ['git_push_force'],
  },
  data: {
    read: ['/workspace/**', '/data/shared/**', '/tmp/agent/**'],
    write: ['/workspace/out/**', '/tmp/agent/**'],
    deny: ['/workspace/.git/config', '/data/shared/hr/**'],
  },
  network: { allow: ['api.github.com', '*.atlassian.net', 'api.openai.com', '*.internal-docs.example.com', 'hooks.example.com'], block_outbound: true },
};

/** For the informative HTTP run with a per-run cap: one exact SQL upsert per call. */
export const CAPPED_AGENT_LAYER = { ...AGENT_LAYER, compute: { max_tool_calls_per_run: 1_000_000_000 } };

export const GATE_POLICY = `
default: allow
block:
  - tool: http_post
    when: { url: { $regex: "^http://" } }
require_approval:
  - tool: send_email
    when: { to: { $regex: "@(?!example\\\\.com$)" } }
  - tool: query_db
    when: { statement: { $regex: "^(?:UPDATE|DELETE|INSERT)" } }
  - tool: create_ticket
    when: { priority: { $in: [P0, P1] } }
allow: [read_*, list_*, search_*]
`;

/** Allowed calls of the kinds the layer sees most (every one answers allow). */
export const CALLS: { tool_name: string; parameters: Record<string, unknown> }[] = [
  { tool_name: 'read_file', parameters: { path: '/workspace/src/app/server.ts', encoding: 'utf8' } },
  { tool_name: 'http_get', parameters: { url: 'https://api.github.com/repos/acme/widgets/pulls?state=open&per_page=50', headers: { accept: 'application/vnd.github+json' } } },
  { tool_name: 'search_code', parameters: { query: 'function handleRefund', repo: 'acme/widgets', limit: 20 } },
  { tool_name: 'write_file', parameters: { path: '/workspace/out/report.md', content: '# Weekly report\n\nAll 412 tests pass. Coverage 87%. Two flaky tests quarantined.\n' } },
  { tool_name: 'send_email', parameters: { to: 'team@example.com', subject: 'Deploy finished', body: 'The deploy of widgets 2.4.1 finished at 14:02 UTC without errors.' } },
  { tool_name: 'query_db', parameters: { statement: 'SELECT id, status FROM orders WHERE created_at > now() - interval \'1 day\' LIMIT 100' } },
];
