"""Customer-service agent built with LangGraph that can look up orders and refund them."""
import os
from typing import Annotated, TypedDict

import requests
from langchain_core.messages import AnyMessage, HumanMessage, SystemMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition

PAYMENTS_API = "https://payments.internal.example/v2"


@tool
def lookup_order(order_id: str) -> dict:
    """Fetch an order with its items and total."""
    return requests.get(f"{PAYMENTS_API}/orders/{order_id}", timeout=10).json()


@tool
def issue_refund(order_id: str, amount: float, reason: str) -> str:
    """Refund the given amount to the customer's original payment method."""
    resp = requests.post(
        f"{PAYMENTS_API}/refunds",
        json={"order_id": order_id, "amount": amount, "reason": reason},
        headers={"Authorization": f"Bearer {os.environ['PAYMENTS_TOKEN']}"},
        timeout=10,
    )
    return resp.text


class State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


tools = [lookup_order, issue_refund]
llm = ChatOpenAI(model="gpt-4o", temperature=0).bind_tools(tools)
SYSTEM = SystemMessage(content="You are a helpful customer-service agent. Resolve the customer's problem.")


def agent(state: State) -> dict:
    return {"messages": [llm.invoke([SYSTEM] + state["messages"])]}


builder = StateGraph(State)
builder.add_node("agent", agent)
builder.add_node("tools", ToolNode(tools))
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", tools_condition)
builder.add_edge("tools", "agent")
graph = builder.compile()


def chat(customer_message: str) -> str:
    result = graph.invoke({"messages": [HumanMessage(content=customer_message)]}, {"recursion_limit": 20})
    return result["messages"][-1].content


if __name__ == "__main__":
    print(chat(input("Customer: ")))
