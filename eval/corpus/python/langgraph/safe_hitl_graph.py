"""Deployment assistant: every tool call pauses for a human before it runs."""
import subprocess
from typing import Literal

from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.memory import MemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

ALLOWED_SERVICES = {"web", "worker", "scheduler"}


@tool
def restart_service(service: str) -> str:
    """Restart one of the application services (web, worker, scheduler)."""
    if service not in ALLOWED_SERVICES:
        return f"unknown service {service!r}"
    out = subprocess.run(["systemctl", "restart", f"app-{service}.service"], capture_output=True, text=True, timeout=60)
    return out.stderr or "restarted"


tools = [restart_service]
llm = ChatOpenAI(model="gpt-4o", temperature=0, max_tokens=500).bind_tools(tools)


def agent(state: MessagesState) -> dict:
    return {"messages": [llm.invoke(state["messages"])]}


def should_continue(state: MessagesState) -> Literal["tools", "__end__"]:
    return "tools" if state["messages"][-1].tool_calls else END


builder = StateGraph(MessagesState)
builder.add_node("agent", agent)
builder.add_node("tools", ToolNode(tools))
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", should_continue)
builder.add_edge("tools", "agent")

graph = builder.compile(checkpointer=MemorySaver(), interrupt_before=["tools"])


def run(thread_id: str, text: str) -> None:
    config = {"configurable": {"thread_id": thread_id}, "recursion_limit": 20}
    for event in graph.stream({"messages": [("user", text)]}, config, stream_mode="values"):
        event["messages"][-1].pretty_print()
    pending = graph.get_state(config)
    if pending.next:
        if input("Approve the tool call above? [y/N] ").strip().lower() == "y":
            for event in graph.stream(None, config, stream_mode="values"):
                event["messages"][-1].pretty_print()
        else:
            print("Cancelled.")
