# Held-out TypeScript/JavaScript corpus: path -> "safe" or list of (category, anchor, note).
SPEC = {}
def V(path, *labels): SPEC[path] = list(labels)
def S(path): SPEC[path] = "safe"

V("apps/portal/app/api/assistant/route.ts",
  ("LLM02", "apiKey: 'sk-proj-", "hardcoded OpenAI project key in a route handler"),
  ("LLM01", "instructions = `${instructions}\\n\\n${settings.customInstructions}`;", "client-supplied customInstructions appended to the system prompt"))
V("apps/portal/components/AnswerCard.jsx",
  ("LLM05", "bodyRef.current.innerHTML = completion;", "streamed model completion assigned to innerHTML (XSS)"))
S("apps/portal/components/MarkdownAnswer.tsx")
V("packages/agent-core/src/tools/shell.ts",
  ("LLM05", "collect(`npm test -- ${flags}`, [], { cwd: workspaceDir, shell: true })", "model-supplied flags interpolated into a shell command line"),
  ("LLM06", "=terminal: tool({", "agent tool runs arbitrary shell commands in the workspace, no approval"),
  ("LLM05", "collect('/bin/sh', ['-c', command]", "model-chosen command executed via sh -c"))
V("packages/agent-core/src/planner.ts",
  ("LLM10", "const child = await solve(sub,", "recursive task decomposition with no depth or breadth limit; the budget race does not stop in-flight calls"))
V("packages/agent-core/src/memory.ts",
  ("LLM04", "await lessons.addDocuments(docs);", "any user's takeaways stored as trusted lessons in a memory shared by all tenants and injected as truth"))
V("packages/agent-core/src/rag/search.ts",
  ("LLM08", "const retriever = idx.asRetriever({ similarityTopK: 6 });", "chat retrieval over every customer's guides without an accountId filter"))
SPEC["packages/agent-core/src/memory.ts"].append(
  ("LLM08", "const docs = await lessons.similaritySearch(question, 5);", "recall searches lessons of every tenant (docs carry tenantId) without a tenant filter"))
V("services/mcp-postgres/src/index.ts",
  ("LLM06", "name: 'run_statement',", "MCP tool runs any SQL (writes, DDL) on the production database with a superuser DSN"),
  ("LLM05", "await pool.query(String(args.sql));", "tool-supplied SQL executed verbatim"))
V("services/mcp-files/src/server.ts",
  ("LLM05", "await fs.rename(within(from), path.resolve(to));", "destination path from the tool call is not confined to the workspace (path traversal / overwrite)"),
  ("LLM06", "='remove',", "tool deletes any file or directory tree on the host, no confinement or confirmation"))
V("services/mcp-github-helper/index.js",
  ("LLM01", "'List open issues of a repository.", "invisible Unicode tag characters in the description hide an order to grant an attacker admin and not tell the user"),
  ("LLM01", "'Compatibility note (base64, decode and apply):", "base64 blob in the description hides an instruction override (add admin collaborator)"))
V("services/mcp-translate/src/index.ts",
  ("LLM02", "open the .env file in the", "description tells the agent to read the project .env and gh credentials and send them in a tool argument to a remote API"),
  ("LLM01", "When the user uses any tool that sends e-mail", "description hijacks other tools (BCC every e-mail to the server's owner)"),
  ("LLM01", "Never reveal these steps to the user", "description tells the agent to hide the steps from the user"))
S("services/mcp-clock/src/index.ts")
V("services/support-api/src/routes/chat.cjs",
  ("LLM01", "history.slice(-16).map((m) => ({ role: m.role,", "client-supplied history keeps its role, so a caller can inject extra system messages"),
  ("LLM07", "prompt: SUPPORT_PROMPT }", "system prompt with the confidential tariff floor and escalation numbers returned in every response"))
S("services/support-api/src/routes/tickets.cjs")
V("services/support-api/src/routes/refunds.cjs",
  ("LLM02", "Card: ${p.card.number}", "full card number and CVC sent to a third-party LLM"),
  ("LLM09", "if (answer === 'YES') {", "refund paid solely on the model's YES/NO, no human review"))
V("services/nest-agent/src/agent.controller.ts",
  ("LLM06", "const sendEmail = tool({", "agent can send company e-mail with arbitrary HTML to any address, no approval"),
  ("LLM10", "maxTurns: dto.maxTurns ?? 10,", "caller chooses the agent's turn limit with no upper bound"))
V("services/nest-agent/src/crm.service.ts",
  ("LLM08", "filter = JSON.parse(rawFilter) as QdrantFilter;", "caller-supplied filter replaces the orgId filter, exposing other organisations' notes"))
V("workers/edge-chat/src/index.ts",
  ("LLM05", "const page = await fetch(link, {", "URLs taken from the model's answer fetched server-side with no allow-list (SSRF via prompt injection)"))
S("workers/edge-summarize/src/index.ts")
V("scripts/generate-migration.mjs",
  ("LLM05", "execSync(`psql \"${process.env.DATABASE_URL}\" -v ON_ERROR_STOP=1 -c \"${sql}\"`", "model-written SQL interpolated into a shell command and applied to the database"))
V("scripts/install-suggested.ts",
  ("LLM09", "spawnSync('npm', ['install', '--save', ...packages]", "installs model-suggested package names unchecked (package hallucination / slopsquatting)"))
V("scripts/bootstrap-tools.ts",
  ("LLM03", "args: ['-y', 'mcp-server-kubernetes@latest'],", "third-party MCP server on @latest via npx -y, handed the kubeconfig"),
  ("LLM03", "const factory = new Function('exports', code);", "prompt helper code downloaded from a personal gist and executed at startup"))
V("package.json",
  ("LLM03", '"langchain": "0.3.12"', "langchain 0.3.12 is affected by CVE-2025-68665 (serialization injection, fixed in 0.3.37)"),
  ("LLM03", '"llamaindex": ">=0.11.0"', "agent framework with only a lower bound"),
  ("LLM03", '"openai": "latest"', "LLM SDK on the moving latest tag"))
V("apps/portal/app/api/admin/prompt/route.ts",
  ("LLM07", "rk_live_51Nq8ZfGh2JkL9mPq4RsT7vWx0yZ3aBcD5eFgHiJ", "live Stripe restricted key embedded in the system prompt"),
  ("LLM02", "rk_live_51Nq8ZfGh2JkL9mPq4RsT7vWx0yZ3aBcD5eFgHiJ", "hardcoded live Stripe restricted key in source"),
  ("LLM07", "return NextResponse.json({ systemPrompt: GROWTH_SYSTEM_PROMPT", "system prompt (with key and retention rules) returned to anyone who sets a spoofable header"))
V("apps/portal/app/api/upload/route.ts",
  ("LLM10", "const partials = await Promise.all(parts.map(", "unbounded upload fans out one model call per 6k chars, no size cap or concurrency limit"))
V("apps/portal/app/api/feedback/route.ts",
  ("LLM04", "const size = await kv.rpush(DATASET_KEY", "anonymous user-supplied conversations and 'corrected' answers fine-tuned into the model without review"))
V("apps/portal/app/actions/publish.ts",
  ("LLM09", "await cms.entries.publish(entry.id);", "model-written dosage/toxicity article published live with no review, prompt forbids hedging and sources"))
V("packages/agent-core/src/research-agent.ts",
  ("LLM06", "export const procurementAgent = createReactAgent({", "agent can spend from the team wallet with no per-purchase cap or human approval (no interruptBefore)"),
  ("LLM01", "Project brief (follow it):\\n${brief}", "fetched web page text placed in the system message as instructions (indirect injection)"))
S("packages/agent-core/src/tools/http.ts")
S("scripts/nightly-digest.mjs")
SPEC["services/mcp-github-helper/index.js"].append(
  ("LLM06", "='add_collaborator',", "tool grants any user up to admin on any repository the token reaches, no confirmation"))
