"""Customer-service agent built with LangGraph; refunds pause for a human supervisor."""
import os
from typing import Annotated, TypedDict

import requests
from langchain_core.messages import AnyMessage, SystemMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.memory import MemorySaver
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition

PAYMENTS_API = "https://payments.internal.example/v2"
AUTO_LIMIT_EUR = 50.0


@tool
def lookup_order(order_id: str) -> dict:
    """Fetch an order with its items and total."""
    return requests.get(f"{PAYMENTS_API}/orders/{order_id}", timeout=10).json()


@tool
def request_refund(order_id: str, amount: float, reason: str) -> str:
    """Request a refund; it is executed only after a supervisor approves it."""
    order = requests.get(f"{PAYMENTS_API}/orders/{order_id}", timeout=10).json()
    if amount <= 0 or amount > min(order["total"], AUTO_LIMIT_EUR):
        return f"Refunds above {AUTO_LIMIT_EUR} EUR or the order total must go through a ticket."
    resp = requests.post(
        f"{PAYMENTS_API}/refunds",
        json={"order_id": order_id, "amount": amount, "reason": reason[:200]},
        headers={"Authorization": f"Bearer {os.environ['PAYMENTS_TOKEN']}"},
        timeout=10,
    )
    return resp.text


class State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


tools = [lookup_order, request_refund]
llm = ChatOpenAI(model="gpt-4o", temperature=0, max_tokens=800).bind_tools(tools)
SYSTEM = SystemMessage(content="You are a helpful customer-service agent. Resolve the customer's problem.")


def agent(state: State) -> dict:
    return {"messages": [llm.invoke([SYSTEM] + state["messages"])]}


builder = StateGraph(State)
builder.add_node("agent", agent)
builder.add_node("tools", ToolNode(tools))
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", tools_condition)
builder.add_edge("tools", "agent")
# Every tool call stops here until a supervisor resumes the thread from the review console.
graph = builder.compile(checkpointer=MemorySaver(), interrupt_before=["tools"])


def start_conversation(thread_id: str, customer_message: str) -> dict:
    config = {"configurable": {"thread_id": thread_id}, "recursion_limit": 20}
    return graph.invoke({"messages": [("user", customer_message[:2000])]}, config)


def supervisor_approve(thread_id: str) -> dict:
    """Called from the review console after a human checked the pending tool call."""
    return graph.invoke(None, {"configurable": {"thread_id": thread_id}, "recursion_limit": 20})
