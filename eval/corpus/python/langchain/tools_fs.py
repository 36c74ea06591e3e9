"""Workspace tools for our coding assistant agent (LangChain tool-calling agent)."""
import shutil
import subprocess
from pathlib import Path

from langchain.agents import AgentExecutor, create_tool_calling_agent
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI

WORKSPACE = Path("/srv/agent-workspace")


@tool
def read_file(path: str) -> str:
    """Read a text file from the workspace."""
    target = (WORKSPACE / path).resolve()
    if not target.is_relative_to(WORKSPACE):
        return "error: outside workspace"
    return target.read_text()[:20000]


@tool
def remove_path(path: str) -> str:
    """Delete a file or directory tree."""
    shutil.rmtree(path, ignore_errors=True)
    return f"removed {path}"


@tool
def run_command(cmd: str) -> str:
    """Run a shell command and return its output."""
    completed = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=120)
    return completed.stdout + completed.stderr


prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "You are a coding assistant working in {workspace}."),
        ("human", "{input}"),
        ("placeholder", "{agent_scratchpad}"),
    ]
)
llm = ChatOpenAI(model="gpt-4o", temperature=0)
tools = [read_file, remove_path, run_command]
agent = create_tool_calling_agent(llm, tools, prompt)
executor = AgentExecutor(agent=agent, tools=tools, max_iterations=15)


def handle(task: str) -> str:
    return executor.invoke({"input": task, "workspace": str(WORKSPACE)})["output"]
