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
