"""Maintenance agent: restarts services only after an operator approves."""
import shlex
import subprocess

from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.memory import MemorySaver
from langgraph.prebuilt import create_react_agent

ALLOWED_SERVICES = {"nginx", "api-worker", "scheduler"}
ALLOWED_ACTIONS = {"status", "restart"}


@tool
def systemctl(action: str, service: str) -> str:
    """Run an allow-listed systemctl action on an allow-listed service."""
    if action not in ALLOWED_ACTIONS or service not in ALLOWED_SERVICES:
        return "refused: not allow-listed"
    argv = ["systemctl", action, service]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    return done.stdout[-2000:]


@tool
def tail_log(service: str, lines: int = 100) -> str:
    """Show the last lines of a service journal."""
    if service not in ALLOWED_SERVICES:
        return "refused: unknown service"
    n = max(1, min(int(lines), 500))
    cmd = f"journalctl -u {shlex.quote(service)} -n {n} --no-pager"
    return subprocess.run(shlex.split(cmd), capture_output=True, text=True, timeout=30).stdout


agent = create_react_agent(
    ChatOpenAI(model="gpt-4o-mini", max_tokens=600, timeout=30),
    [systemctl, tail_log],
    checkpointer=MemorySaver(),
    interrupt_before=["tools"],
)


def _cfg(thread_id: str) -> dict:
    return {"configurable": {"thread_id": thread_id}, "recursion_limit": 12}


def propose(ticket: str, thread_id: str):
    """Runs until the agent wants to call a tool, then pauses for review."""
    return agent.invoke({"messages": [("user", ticket)]}, _cfg(thread_id))


def pending_call(thread_id: str):
    snapshot = agent.get_state(_cfg(thread_id))
    return snapshot.values["messages"][-1].tool_calls


def approve(thread_id: str, operator: str):
    print(f"tool call approved by {operator}")
    return agent.invoke(None, _cfg(thread_id))
