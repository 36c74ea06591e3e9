# path -> "safe" or list of (category, anchor substring on labelled line, note)
SPEC = {}
def V(path, *labels): SPEC[path] = list(labels)
def S(path): SPEC[path] = "safe"

V("openai_sdk/support_bot.py",
  ("LLM02", 'api_key="sk-proj-', "hardcoded OpenAI API key"),
  ("LLM01", "plan writes: {ticket.message}", "untrusted customer message formatted into the system prompt"))
V("openai_sdk/sql_assistant.py",
  ("LLM05", "cur.execute(query)", "model-generated SQL executed directly"))
V("openai_sdk/shell_helper.py",
  ("LLM05", "os.system(command)", "model output passed to os.system"))
V("openai_sdk/function_calling_agent.py",
  ("LLM05", "eval(expression", "tool argument chosen by the model passed to eval"),
  ("LLM10", "while True:", "agent tool loop with no iteration cap"))
V("openai_sdk/summarize_tickets.py",
  ("LLM02", 'logger.info("starting summary run with key', "API key written to logs"),
  ("LLM02", "SSN {t['ssn']} card {t['card_number']}", "SSN and card numbers sent to third-party LLM"))
S("openai_sdk/safe_classifier.py")
S("openai_sdk/safe_json_router.py")
S("openai_sdk/safe_batch_summarizer.py")
V("openai_sdk/refund_decider.py",
  ("LLM09", 'if decision.startswith("APPROVE")', "refund issued solely on the model's verdict, no human review"))
S("openai_sdk/safe_code_explainer.py")
V("openai_sdk/assistants_file_search.py",
  ("LLM08", 'tool_resources={"file_search": {"vector_store_ids": [VECTOR_STORE_ID]}}', "retrieval over one vector store shared by all customers; no per-customer isolation"))
V("anthropic_sdk/email_triage.py",
  ("LLM01", "{message.body}", "untrusted inbound e-mail body placed in the system prompt"),
  ("LLM06", "def delete_messages(query: str)", "model can permanently delete any mail matching a query with no confirmation"))
V("anthropic_sdk/prompt_debug_api.py",
  ("LLM07", "password `Pb!2024-hris-ro`", "database credentials embedded in the system prompt"),
  ("LLM07", '"system_prompt": SYSTEM_PROMPT', "endpoint returns the full system prompt to any caller"))
V("anthropic_sdk/computer_use_loop.py",
  ("LLM05", "subprocess.run(command, shell=True", "model-chosen command run through a shell"),
  ("LLM10", "while True:", "autonomous loop with no step limit"))
SPEC["anthropic_sdk/computer_use_loop.py"].append(("LLM06", "def run_bash(command: str)", "unrestricted bash tool on the workstation with no approval step"))
S("anthropic_sdk/safe_tool_use.py")
S("anthropic_sdk/safe_contract_review.py")
V("anthropic_sdk/nurse_line_triage.py",
  ("LLM09", 'if level == "ROUTINE":', "medical triage decided solely by the model's one-word label, no clinician review"))
V("anthropic_sdk/report_renderer.py",
  ("LLM05", "narrative=Markup(body)", "model-written HTML marked safe and rendered without sanitising (XSS)"))
S("anthropic_sdk/safe_async_summarizer.py")
V("langchain/csv_analyst.py",
  ("LLM06", "allow_dangerous_code=True", "pandas agent allowed to run arbitrary Python, exposed to any Slack user"))
V("langchain/repl_agent.py",
  ("LLM06", "    ShellTool(),", "agent given unrestricted shell (and Python REPL) tools without approval"),
  ("LLM10", "max_iterations=None", "agent executor with no iteration limit"))
V("langchain/rag_multitenant.py",
  ("LLM08", "store.similarity_search(body.question, k=5)", "similarity search over all workspaces' documents without a workspace_id filter"))
V("langchain/prompt_concat_chain.py",
  ("LLM01", '"Write a two-sentence welcome message for " + display_name', "user-controlled display name concatenated into the prompt template"),
  ("LLM01", "Persona settings from the user: {profile['persona']}", "user-editable persona text formatted into the system message"))
V("langchain/web_research.py",
  ("LLM05", "requests.get(url, timeout=15)", "model-chosen URLs fetched without validation (SSRF)"),
  ("LLM01", "Follow the guidance in these sources", "untrusted web page text placed in the system message as instructions (indirect injection)"))
S("langchain/safe_prompt_template.py")
S("langchain/safe_retriever_tenant.py")
S("langchain/safe_output_parser.py")
V("langchain/tools_fs.py",
  ("LLM06", "def remove_path(path: str)", "tool deletes any directory tree on the host, no workspace restriction or confirmation"),
  ("LLM06", "def run_command(cmd: str)", "arbitrary shell command tool given to the agent"),
  ("LLM05", "subprocess.run(cmd, shell=True", "model-supplied command executed via the shell"))
V("langchain/memory_feedback.py",
  ("LLM04", "verified_answers.add_texts(", "unauthenticated user 'corrections' stored as expert-verified answers that steer all future responses"))
V("langchain/faiss_remote_index.py",
  ("LLM03", "allow_dangerous_deserialization=True", "pickle-backed FAISS index downloaded from a third-party host and deserialised"))
S("langchain/safe_hub_model.py")
V("langchain/chain_output_exec.py",
  ("LLM05", "exec(code, namespace)", "model-generated code executed with exec"))
V("langchain/batch_api.py",
  ("LLM10", "max_tokens=req.max_tokens", "caller controls max_tokens with no upper bound"),
  ("LLM10", "for doc in req.documents:", "unbounded number of documents per request, one LLM call each"))
V("langchain/pinecone_support.py",
  ("LLM08", 'tenant = request.headers.get("X-Tenant"', "vector namespace chosen by an unauthenticated request header; any caller reads any tenant's index"))
S("langchain/safe_agent_executor.py")
V("langgraph/research_graph.py",
  ("LLM06", "def execute_sql(statement: str)", "agent can run any SQL (including writes/DDL) on production with an owner account"),
  ("LLM10", '"recursion_limit": 100_000', "recursion limit set so high the agent loop is effectively unbounded"))
V("langgraph/supervisor.py",
  ("LLM07", "Use the billing admin token {os.environ['BILLING_ADMIN_TOKEN']}", "admin credential embedded in a system prompt"),
  ("LLM01", "Account notes (written by the customer in their profile): {state['account_notes']}", "customer-written profile text formatted into the supervisor's system message"))
S("langgraph/safe_hitl_graph.py")
S("langgraph/safe_router.py")
V("langgraph/memory_store.py",
  ("LLM04", "store.put(GLOBAL_NAMESPACE", "any user's claimed 'facts' written to a global memory injected as truth into every user's prompt (memory poisoning)"))
V("langgraph/code_node.py",
  ("LLM05", 'exec(state["generated_code"], scope)', "LLM-generated code executed with exec"))
V("crewai/dev_crew.py",
  ("LLM02", 'os.environ["SERPER_API_KEY"] = "4c1f0b7e', "hardcoded Serper API key"),
  ("LLM06", 'allow_code_execution=True, code_execution_mode="unsafe"', "agent runs generated code directly on the host (unsafe mode, no sandbox)"))
V("crewai/marketing_crew.py",
  ("LLM01", "Brand brief from the customer: {account.brand_brief}", "customer-supplied brand brief formatted into the agent backstory (system prompt)"),
  ("LLM09", "return publish_to_wordpress(title, html)", "generated post with model-invented statistics published live with no human review"))
S("crewai/safe_research_crew.py")
V("crewai/refund_tool_crew.py",
  ("LLM06", "def _run(self, charge_id: str, amount_cents: int)", "customer-facing agent can refund any amount with no cap or approval"))
S("crewai/safe_crew_tools.py")
V("crewai/review_loop.py",
  ("LLM10", "while not done:", "regenerate/review loop with no attempt cap"),
  ("LLM09", 'if "APPROVED" in verdict:', "PR merged solely on another model's verdict"))
V("autogen/coder_pair.py",
  ("LLM06", 'human_input_mode="NEVER",', "generated code executed on the host (use_docker False) with no human in the loop"))
V("autogen/agentchat_team.py",
  ("LLM06", "LocalCommandLineCodeExecutor(work_dir=run_dir)", "LLM code executed directly on the server for any API caller"),
  ("LLM10", "return RoundRobinGroupChat([planner, coder, runner])", "team has no termination condition or max_turns"))
S("autogen/safe_docker_exec.py")
S("autogen/safe_teams.py")
V("autogen/group_research.py",
  ("LLM02", '"api_key": "sk-svcacct-', "hardcoded OpenAI service-account key"),
  ("LLM01", "Notes the customer left in the portal: {account['portal_notes']}", "customer-written portal notes formatted into an agent system message"))
V("llamaindex/pandas_filter.py",
  ("LLM05", 'result = eval(expression, {"df": self.df', "model-generated pandas expression evaluated with eval"))
V("llamaindex/shared_index.py",
  ("LLM08", "engine = index.as_query_engine(similarity_top_k=5)", "query engine over all companies' HR documents with no company_id metadata filter"))
S("llamaindex/safe_filtered_index.py")
V("llamaindex/hf_local_llm.py",
  ("LLM03", '"trust_remote_code": True', "remote code from an unvetted community model repository executed at load"),
  ("LLM03", "adapter_state = torch.load(adapter_path)", "pickle-based torch.load of a file downloaded from an unvetted hub repo (no weights_only)"))
V("llamaindex/doc_ingest_webhook.py",
  ("LLM04", "kb_index.insert(doc)", "unauthenticated webhook inserts arbitrary content into the public bot's knowledge base"))
S("llamaindex/safe_rag_chat.py")
V("openai_agents/devops_agent.py",
  ("LLM06", "def run_shell(command: str)", "agent instructed to apply fixes itself with an arbitrary shell tool on production, no approval"),
  ("LLM05", "subprocess.check_output(command, shell=True", "model-supplied command executed through the shell"))
V("openai_agents/billing_agent.py",
  ("LLM06", "def apply_credit(ctx: RunContextWrapper[Ctx], customer_id: str", "customer-facing agent can credit any amount to any customer id, no limit or approval"),
  ("LLM01", "Customer's own notes on their account: {c.self_description}", "customer-controlled text formatted into the agent's instructions"))
S("openai_agents/safe_agent_guardrails.py")
S("openai_agents/safe_approval_tool.py")
V("openai_agents/fraud_triage.py",
  ("LLM02", "return dict(os.environ)", "tool exposes every environment variable (secrets) to the model"),
  ("LLM09", "if not verdict.is_fraud:", "payout released solely on the model's fraud verdict"))
V("openai_agents/instructions_leak.py",
  ("LLM07", "discount override code STAFF-OVR-7731", "secret discount code kept in the system prompt and guarded only by the prompt"),
  ("LLM07", "return CONCIERGE_INSTRUCTIONS", "tool returns the full system prompt to the user"))
V("mcp/fs_server.py",
  ("LLM06", "def write_file(path: str, content: str)", "tool writes/overwrites any file on disk, no confinement"),
  ("LLM06", "def delete_file(path: str)", "tool deletes any file on disk, no confinement or confirmation"))
V("mcp/notebook_server.py",
  ("LLM06", "async def execute_python(code: str, ctx: Context)", "MCP tool executes arbitrary Python on the host"),
  ("LLM05", "exec(code, SESSION_GLOBALS)", "model-supplied code executed with exec"))
V("mcp/db_server.py",
  ("LLM02", 'DSN = "postgresql://reporting_admin:Rep0rt!ng-2024@', "hardcoded database password"),
  ("LLM05", 'cur = conn.execute(f"SELECT * FROM {table} ORDER BY {order_by} LIMIT {limit}")', "model-chosen table/column interpolated into SQL (injection)"))
S("mcp/safe_notes_server.py")
S("mcp/safe_fetch_server.py")
S("mcp/weather_server.py")
V("web/flask_chat.py",
  ("LLM01", '{"role": "system", "content": instructions}', "caller-supplied instructions become the system prompt"),
  ("LLM05", "return f'<div class=\"bot-msg\">{reply}</div>'", "model output returned as HTML without escaping (XSS)"))
V("web/fastapi_long_docs.py",
  ("LLM10", "partials = await asyncio.gather(*(summarise_part(p) for p in parts))", "unbounded upload fans out one LLM call per 4k chars with no size cap or concurrency limit"))
V("web/django_views.py",
  ("LLM05", '{"answer": mark_safe(answer)}', "model output marked safe and rendered as HTML (XSS)"),
  ("LLM09", 'if verdict.strip().upper().startswith("APPROVED"):', "loan pre-qualification decided solely by the model's verdict"))
S("web/fastapi_safe_chat.py")
S("web/flask_safe_render.py")
V("web/fastapi_rag_debug.py",
  ("LLM08", "where = q.where if q.where else {\"partner_id\": partner.id}", "caller-supplied metadata filter replaces the partner filter, exposing other partners' documents"),
  ("LLM07", '"debug": {"prompt": SYSTEM_PROMPT', "system prompt with confidential pricing rules returned to the client"))
V("web/flask_agent_admin.py",
  ("LLM02", 'api_key="sk-ant-api03-', "hardcoded Anthropic API key"),
  ("LLM06", "def ban_user(username: str)", "any forum member's assistant can ban users and delete their posts; no role check or confirmation"))
V("web/fastapi_feedback_finetune.py",
  ("LLM04", 'fh.write(json.dumps({"messages": fb.conversation}) + "\\n")', "unauthenticated, user-supplied conversations appended to the fine-tuning set without review"))
S("web/django_safe_views.py")
S("web/fastapi_safe_sql.py")
V("web/flask_report_download.py",
  ("LLM05", 'path = os.path.join(REPORT_DIR, choice["filename"])', "model-chosen filename used as a path without validation (path traversal)"))
S("web/fastapi_safe_stream.py")
V("cli/git_commit_writer.py",
  ("LLM05", "subprocess.call(f'git commit -m \"{msg}\"', shell=True)", "model output interpolated into a shell command"))
V("cli/finetune_prep.py",
  ("LLM04", "rows = load_dataset(args.dataset, split=\"train\")", "unvetted community dataset (unpinned) used directly as fine-tuning data without validation"))
V("cli/model_loader.py",
  ("LLM03", "from_pretrained(MODEL_REPO, trust_remote_code=True)", "trust_remote_code on an unvetted personal model repo, no revision pin"),
  ("LLM03", "return pickle.load(fh)", "pickle downloaded over the internet and unpickled"))
S("cli/safe_model_loader.py")
V("cli/agent_repl.py",
  ("LLM04", 'fh.write(f"- {summary}\\n")', "lessons distilled from arbitrary web pages persisted into a shared file that is loaded into every future system prompt"),
  ("LLM10", "while True:", "autonomous fetch loop with no step limit"))
S("cli/safe_cli_commands.py")
S("cli/batch_translate.py")
SPEC["cli/agent_repl.py"].append(("LLM05", "return httpx.get(url, timeout=20, follow_redirects=True)", "model-chosen URL fetched with no allow-list (SSRF)"))
V("streamlit/chat_app.py",
  ("LLM02", 'openai.api_key = "sk-proj-', "hardcoded OpenAI API key"),
  ("LLM05", "st.markdown(answer, unsafe_allow_html=True)", "model output rendered as raw HTML (XSS)"))
V("streamlit/data_analyst.py",
  ("LLM05", "exec(snippet, env)", "model-generated pandas code executed with exec"))
S("streamlit/safe_chat_app.py")
V("streamlit/doc_qa.py",
  ("LLM08", "hits = collection.query(query_texts=[question], n_results=5)", "query over every user's uploads without an owner filter"))
S("streamlit/safe_doc_qa.py")
SPEC["streamlit/chat_app.py"].append(("LLM05", 'st.markdown(m["content"], unsafe_allow_html=True)', "stored model/user messages re-rendered as raw HTML (XSS)"))
V("deps/chatbot/requirements.txt",
  ("LLM03", "langchain>=0.1", "agent framework not pinned (lower bound only)"),
  ("LLM03", "langchain-openai", "unpinned LLM dependency"),
  ("LLM03", "langchain-community>=0.0.20", "unpinned LLM dependency"),
  ("LLM03", "=openai", "unpinned LLM SDK"))
S("deps/rag-service/requirements.txt")
V("deps/agent-worker/requirements-agents.txt",
  ("LLM03", "crewai>=0.30", "agent framework not pinned"),
  ("LLM03", "crewai-tools", "unpinned agent tool package"),
  ("LLM03", "pyautogen", "unpinned agent framework"),
  ("LLM03", "git+https://github.com/acme-labs/agent-toolkit.git@main", "dependency installed from a moving git branch"))
S("deps/mcp-server/requirements.txt")
V("llamaindex/sales_copilot.py",
  ("LLM07", "'Authorization: Bearer {os.environ[\"CRM_SERVICE_TOKEN\"]}'", "CRM service token (and confidential discount floor) embedded in the system prompt"))
SPEC["langgraph/research_graph.py"].append(("LLM05", "result = conn.execute(sa.text(statement))", "model-written SQL executed verbatim"))
