"""Ops assistant for the build host.

Ask it things like "free up disk space on the runner" or "mail me yesterday's failed builds".
The graph pauses before every tool call; read-only tools continue at once, anything that deletes
or sends waits for an operator to approve it.
"""
import ast
import operator
import os
import shlex
import shutil
import smtplib
import subprocess
from email.message import EmailMessage
from pathlib import Path

from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.memory import MemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

SMTP_HOST = os.environ["SMTP_HOST"]
WORKSPACE = Path(os.environ.get("OPS_WORKSPACE", "/srv/build/workspace")).resolve()
ALLOWED_COMMANDS = {"df", "du", "uptime", "free", "ls", "docker"}
ALLOWED_DOCKER_SUBCOMMANDS = {"ps", "images", "system"}
ALLOWED_MAIL_DOMAINS = {"example.com"}
MAX_AUTOPILOT_STEPS = 8
# Tools that change something: the graph pauses before them until an operator approves.
NEEDS_APPROVAL = {"delete_path", "send_email"}


def _inside_workspace(raw: str) -> Path:
    target = (WORKSPACE / raw).resolve()
    if not target.is_relative_to(WORKSPACE) or target == WORKSPACE:
        raise ValueError(f"{raw!r} is outside the build workspace")
    return target


@tool
def run_shell(command: str) -> str:
    """Run a read-only diagnostic command (df, du, uptime, free, ls, docker ps/images/system df)."""
    argv = shlex.split(command)
    if not argv or argv[0] not in ALLOWED_COMMANDS:
        return f"refused: only {sorted(ALLOWED_COMMANDS)} may run"
    if argv[0] == "docker" and (len(argv) < 2 or argv[1] not in ALLOWED_DOCKER_SUBCOMMANDS):
        return "refused: only read-only docker subcommands may run"
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    return (result.stdout + result.stderr)[-8000:]


@tool
def disk_usage(path: str) -> str:
    """Show how much space a directory inside the workspace uses."""
    target = _inside_workspace(path)
    result = subprocess.run(["du", "-sh", "--", str(target)], capture_output=True, text=True, timeout=60)
    return result.stdout


@tool
def delete_path(path: str) -> str:
    """Delete a file or directory inside the build workspace, after a human approves it."""
    target = _inside_workspace(path)
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink()
    return f"deleted {target}"


@tool
def send_email(to: str, subject: str, body: str) -> str:
    """E-mail a report to a colleague, after a human approves it."""
    domain = to.rsplit("@", 1)[-1].lower()
    if domain not in ALLOWED_MAIL_DOMAINS:
        return f"refused: {domain} is not an internal domain"
    msg = EmailMessage()
    msg["From"] = "ops-bot@example.com"
    msg["To"] = to
    msg["Subject"] = subject[:200]
    msg.set_content(body[:20000])
    with smtplib.SMTP(SMTP_HOST) as smtp:
        smtp.starttls()
        smtp.send_message(msg)
    return f"sent to {to}"


_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
}


def _arith(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_arith(node.left), _arith(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_arith(node.operand))
    raise ValueError("only numbers and + - * / ** are allowed")


@tool
def calculate(expression: str) -> str:
    """Evaluate an arithmetic expression, e.g. disk quotas."""
    return str(_arith(ast.parse(expression, mode="eval").body))


TOOLS = [run_shell, disk_usage, delete_path, send_email, calculate]
llm = ChatOpenAI(model="gpt-4o", temperature=0, max_tokens=1500).bind_tools(TOOLS)


def call_model(state: MessagesState):
    response = llm.invoke(
        [SystemMessage("You are an ops assistant. Prefer read-only diagnostics; explain before deleting anything.")]
        + state["messages"]
    )
    return {"messages": [response]}


builder = StateGraph(MessagesState)
builder.add_node("agent", call_model)
builder.add_node("tools", ToolNode(TOOLS))
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", tools_condition)
builder.add_edge("tools", "agent")
graph = builder.compile(checkpointer=MemorySaver(), interrupt_before=["tools"])


def autopilot(goal: str) -> None:
    """Ask the model for the next step, at most MAX_AUTOPILOT_STEPS times; it never runs code itself."""
    history = [HumanMessage(goal)]
    for _ in range(MAX_AUTOPILOT_STEPS):
        step = llm.invoke(history)
        history.append(step)
        print(step.content)
        if "DONE" in step.content:
            return
        history.append(HumanMessage("Continue."))
    print(f"stopped after {MAX_AUTOPILOT_STEPS} steps")


def main() -> None:
    config = {"configurable": {"thread_id": "ops"}, "recursion_limit": 25}
    for _ in range(1000):
        task = input("ops> ").strip()
        if task in {"", "quit", "exit"}:
            break
        if task.startswith("auto "):
            autopilot(task[5:])
            continue
        result = graph.invoke({"messages": [HumanMessage(task)]}, config)
        while graph.get_state(config).next:
            pending = result["messages"][-1].tool_calls
            risky = [c for c in pending if c["name"] in NEEDS_APPROVAL]
            if risky:
                print("The agent wants to run:", risky)
                if input("approve? [y/N] ").strip().lower() != "y":
                    declined = [
                        ToolMessage(content="declined by the operator", tool_call_id=c["id"]) for c in pending
                    ]
                    graph.update_state(config, {"messages": declined}, as_node="tools")
            result = graph.invoke(None, config)
        print(result["messages"][-1].content)


if __name__ == "__main__":
    main()
