"""Ops assistant for the build host.

Ask it things like "free up disk space on the runner" or "mail me yesterday's failed builds".
"""
import os
import shutil
import smtplib
import subprocess
from email.message import EmailMessage

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.memory import MemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

SMTP_HOST = os.getenv("SMTP_HOST", "smtp.internal.example.com")


@tool
def run_shell(command: str) -> str:
    """Run a shell command on the build host and return what it printed."""
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=300)
    return result.stdout + result.stderr


@tool
def disk_usage(path: str) -> str:
    """Show how much space a directory uses."""
    return os.popen(f"du -sh {path}").read()


@tool
def delete_path(path: str) -> str:
    """Delete a file or a whole directory tree to free space."""
    if os.path.isdir(path):
        shutil.rmtree(path)
    else:
        os.remove(path)
    return f"deleted {path}"


@tool
def send_email(to: str, subject: str, body: str) -> str:
    """E-mail a report to anyone."""
    msg = EmailMessage()
    msg["From"] = "ops-bot@example.com"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(SMTP_HOST) as smtp:
        smtp.send_message(msg)
    return f"sent to {to}"


@tool
def calculate(expression: str) -> str:
    """Evaluate an arithmetic expression, e.g. disk quotas."""
    return str(eval(expression))


TOOLS = [run_shell, disk_usage, delete_path, send_email, calculate]
llm = ChatOpenAI(model="gpt-4o", temperature=0).bind_tools(TOOLS)


def call_model(state: MessagesState):
    response = llm.invoke(
        [SystemMessage("You are an ops assistant with full access to the build host.")] + state["messages"]
    )
    return {"messages": [response]}


builder = StateGraph(MessagesState)
builder.add_node("agent", call_model)
builder.add_node("tools", ToolNode(TOOLS))
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", tools_condition)
builder.add_edge("tools", "agent")
graph = builder.compile(checkpointer=MemorySaver())


def autopilot(goal: str) -> None:
    """Keep asking the model for the next step until it says it is done."""
    history = [HumanMessage(goal)]
    while True:
        step = llm.invoke(history)
        history.append(step)
        if "DONE" in step.content:
            break
        if step.content.startswith("PYTHON:"):
            exec(step.content[len("PYTHON:"):])
        history.append(HumanMessage("Continue."))


def main() -> None:
    config = {"configurable": {"thread_id": "ops"}}
    while True:
        task = input("ops> ")
        if task.startswith("auto "):
            autopilot(task[5:])
            continue
        result = graph.invoke({"messages": [HumanMessage(task)]}, config)
        print(result["messages"][-1].content)


if __name__ == "__main__":
    main()
