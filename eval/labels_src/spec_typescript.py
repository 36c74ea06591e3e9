# path -> "safe" or list of (category, anchor substring on labelled line, note)
SPEC = {}
def V(path, *labels): SPEC[path] = list(labels)
def S(path): SPEC[path] = "safe"

V("ai_sdk/support_chat_route.ts",
  ("LLM01", "Workspace owner instructions: ${greeting}", "member-editable workspace greeting interpolated into the system prompt"))
V("ai_sdk/devops_tools.ts",
  ("LLM06", "runShell: tool({", "agent told to act without asking gets an arbitrary shell tool on the bastion, no approval"),
  ("LLM05", "await execAsync(command, {", "model-chosen command run through exec (shell)"))
V("ai_sdk/sql_report.ts",
  ("LLM05", "const result = await pool.query(sql);", "model-written SQL executed verbatim on the warehouse"))
V("ai_sdk/research_agent.ts",
  ("LLM05", "await fetch(url, { redirect: 'follow' })", "model-chosen URL fetched without allow-list (SSRF)"),
  ("LLM10", "while (true) {", "research loop stops only when the model says DONE; no step cap"))
S("ai_sdk/safe_weather_tools.ts")
S("ai_sdk/safe_approval_refund.ts")
V("langchain/ticket_chain.ts",
  ("LLM02", "apiKey: 'sk-proj-", "hardcoded OpenAI API key"),
  ("LLM01", "+ ticket.customer.signature +", "customer-written signature text concatenated into the system message"))
V("langchain/rag_workspace.ts",
  ("LLM08", "return store.similaritySearch(question, 6);", "search over every workspace's chunks without a workspaceId filter"))
V("langchain/feedback_memory.ts",
  ("LLM04", "await verified.addDocuments([", "anonymous 'corrections' stored as expert-verified ground truth fed to every user's prompt"))
S("langchain/safe_prompt_template.ts")
V("langchain/shell_agent.ts",
  ("LLM06", "const terminal = new DynamicTool({", "any Slack user's agent gets an unrestricted bash tool on the build server, no approval"),
  ("LLM05", "return execSync(input, {", "model-chosen command run through execSync (shell)"),
  ("LLM10", "maxIterations: Infinity", "agent executor iteration cap removed (Infinity)"))
V("langchain/calc_chain.js",
  ("LLM05", "const fn = new Function(", "model-written expression compiled with new Function"))
V("langgraph/release_graph.ts",
  ("LLM06", ".compile();", "graph with production deploy/rollback tools compiled without interruptBefore or any approval"),
  ("LLM10", "{ recursionLimit: 5_000 },", "recursion limit so high the agent loop is effectively unbounded"))
S("langgraph/safe_hitl_graph.ts")
V("langgraph/profile_memory.ts",
  ("LLM07", "use staff PIN 4471-AUR and the PMS token ${process.env.PMS_API_TOKEN}", "staff PIN and PMS API token embedded in the system prompt"),
  ("LLM04", "await config.store!.put(SHARED_FACTS", "any guest's 'remember' message stored as a fact injected into every guest's system prompt"))
V("openai_sdk/refund_decider.ts",
  ("LLM09", "if (verdict.startsWith('APPROVE')) {", "refunds paid out solely on the model's one-word verdict, no human review"))
V("openai_sdk/function_calling_loop.ts",
  ("LLM05", "const full = path.join(DOCS_ROOT, file);", "model-chosen file joined to the docs root without containment check (path traversal)"),
  ("LLM10", "for (;;) {", "tool-calling loop with no iteration cap"))
V("openai_sdk/claims_summarizer.ts",
  ("LLM02", "log.info({ apiKey, model", "OpenAI API key written to the logs"),
  ("LLM02", "SSN ${c.policyholder.ssn}", "SSN, date of birth and bank account sent to a third-party LLM"))
S("openai_sdk/safe_structured_router.ts")
V("openai_sdk/batch_summaries.ts",
  ("LLM10", "max_tokens: maxTokens,", "request body max_tokens flows to the model call with no upper bound"),
  ("LLM10", "await Promise.all(documents.map(", "unbounded number of documents per request fanned out into parallel LLM calls"))
V("anthropic_sdk/inbox_agent.ts",
  ("LLM06", "name: 'purge_messages',", "triage agent can permanently delete any mail matching a model-written query, no confirmation"),
  ("LLM01", "=${mail.body}`;", "untrusted inbound e-mail body placed in the system prompt as instructions"))
V("anthropic_sdk/prompt_debug.ts",
  ("LLM07", "password Pb!2024-hris-ro", "database credentials embedded in the system prompt"),
  ("LLM07", "system_prompt: SYSTEM_PROMPT,", "debug endpoint returns the full system prompt to any caller"))
V("anthropic_sdk/computer_use.ts",
  ("LLM05", "spawn(command, { shell: true", "model-chosen command run through a shell"),
  ("LLM10", "while (true) {", "autonomous computer-use loop with no step limit"),
  ("LLM06", "tools: [{ type: 'bash_20250124', name: 'bash' }],", "unrestricted bash tool on the user's workstation with no approval step"))
S("anthropic_sdk/safe_tool_use.ts")
V("openai_agents/billing_agent.ts",
  ("LLM06", "const applyCredit = tool({", "customer-facing agent can credit any amount to any customer id, no cap or approval"),
  ("LLM01", "What the customer wrote about themselves in their profile: ${profile.aboutMe}", "customer-controlled profile text formatted into the agent instructions"))
V("openai_agents/concierge_leak.ts",
  ("LLM07", "override code HG-STAFF-9921", "secret discount code kept in the instructions, guarded only by the prompt"),
  ("LLM07", "execute: async () => CONCIERGE_INSTRUCTIONS,", "tool returns the full system prompt to the guest"))
S("openai_agents/safe_guarded_agent.ts")
V("openai_agents/payout_review.ts",
  ("LLM02", "env: process.env", "tool exposes every environment variable (secrets) to the model"),
  ("LLM09", "if (!verdict.isFraud) {", "payout released solely on the model's fraud verdict"))
V("mcp/repo_tools_server.ts",
  ("LLM05", "await run(`rg --line-number", "tool arguments interpolated into a shell command (command injection)"),
  ("LLM06", "'write_file',", "tool writes/overwrites any file on the machine, no confinement"))
V("mcp/weather_server.ts",
  ("LLM01", "'<IMPORTANT>',", "<IMPORTANT> tool-poisoning block in the tool description"),
  ("LLM02", "read the file ~/.ssh/id_rsa", "description asks the agent to read SSH/AWS secrets and pass them in a tool argument that is sent to a remote host"),
  ("LLM01", "do not tell the user", "description tells the agent to hide the step from the user"))
V("mcp/notes_server.ts",
  ("LLM01", "'Search notes by keyword and sort them.", "directive hidden with zero-width characters in the tool description"),
  ("LLM02", "'Search notes by keyword and sort them.", "hidden directive asks the agent to copy ~/.env secrets into a tool call"),
  ("LLM05", "WHERE body LIKE '%${keyword}%' ORDER BY ${sortBy}", "tool arguments interpolated into SQL (injection)"))
S("mcp/safe_docs_server.ts")
V("mcp/http_tools_server.mjs",
  ("LLM05", "const res = await fetch(target, {", "tool-supplied URL fetched with no allow-list (SSRF)"),
  ("LLM02", "process.env[name] ?? '(unset)'", "tool returns any environment variable (secrets) to the model"))
V("llamaindex/hr_index.ts",
  ("LLM08", "const queryEngine = index.asQueryEngine({ similarityTopK: 5 });", "query engine over every client company's HR documents with no companyId filter"))
V("llamaindex/kb_webhook.ts",
  ("LLM04", "await index.insert(toDocument(post));", "unauthenticated webhook inserts arbitrary forum posts into the public bot's knowledge base, marked official"))
S("llamaindex/safe_filtered_query.ts")
V("react/ChatTranscript.tsx",
  ("LLM05", "<div className=\"bubble bubble--assistant\" dangerouslySetInnerHTML", "model markdown rendered to HTML and injected with dangerouslySetInnerHTML, unsanitised (XSS)"))
V("web/widget_server.js",
  ("LLM02", "apiKey: 'sk-ant-api03-", "hardcoded Anthropic API key"),
  ("LLM05", "<div class=\"faq-a\">${reply}</div>", "model output returned as HTML without escaping (XSS)"))
V("web/plugin_host.ts",
  ("LLM03", "vm.runInNewContext(source, sandbox", "unsigned skill code downloaded from a marketplace and run with require/process exposed"),
  ("LLM03", "args: ['-y', '@partnerco/crm-mcp-server'],", "third-party MCP server fetched unpinned with npx -y and given the CRM token"))
V("deps/agent-api/package.json",
  ("LLM03", '"@langchain/community": "latest"', "agent framework on the moving latest tag"),
  ("LLM03", '"@langchain/core": "0.3.57"', "@langchain/core 0.3.57 is affected by CVE-2025-68665 (serialization injection, fixed in 0.3.80)"),
  ("LLM03", '"@langchain/openai": "*"', "LLM dependency with any version allowed"),
  ("LLM03", 'github:helix-labs/agent-toolbelt#main', "agent tool package installed from a moving git branch"))
V("web/tenant_search.ts",
  ("LLM08", "const result = await articles.namespace(tenant).query(", "Pinecone namespace chosen by an unauthenticated request header: any caller reads any tenant's articles"),
  ("LLM08", "const hits = await articles.namespace(tenant).query(", "same header-chosen namespace feeds another tenant's articles into the answer"))
V("web/claims_autopilot.ts",
  ("LLM09", "if (assessment.covered) {", "warranty payout scheduled solely on the model's assessment, amount also model-chosen, no human review"))
