"""On-call helper agent that can inspect and fix hosts."""
import os
import shutil
import subprocess

from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.memory import MemorySaver
from langgraph.prebuilt import create_react_agent

SERVICE_ROOT = "/srv/apps"


@tool
def run_shell(cmd: str) -> str:
    """Run a shell command on the on-call host and return its output."""
    proc = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=120)
    return proc.stdout[-4000:] + proc.stderr[-2000:]


@tool
def remove_path(path: str) -> str:
    """Delete a file or directory under the service root to free disk space."""
    target = os.path.realpath(os.path.join(SERVICE_ROOT, path))
    if not target.startswith(SERVICE_ROOT + os.sep):
        return "refused: outside service root"
    if os.path.isdir(target):
        shutil.rmtree(target)
    else:
        os.remove(target)
    return f"removed {target}"


@tool
def disk_usage(path: str = "/") -> str:
    """Report disk usage for a mount point."""
    total, used, free = shutil.disk_usage(path)
    return f"total={total} used={used} free={free}"


ONCALL_TOOLS = [run_shell, remove_path, disk_usage]

oncall_agent = create_react_agent(
    ChatOpenAI(model="gpt-4o", temperature=0, max_tokens=1000),
    ONCALL_TOOLS,
    checkpointer=MemorySaver(),
    prompt="You are an SRE assistant. Fix the reported incident autonomously.",
)


def handle_alert(alert_text: str, thread: str) -> str:
    out = oncall_agent.invoke(
        {"messages": [("user", alert_text)]},
        {"configurable": {"thread_id": thread}, "recursion_limit": 30},
    )
    return out["messages"][-1].content
