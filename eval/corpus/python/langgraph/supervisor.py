"""Supervisor graph that routes requests between a billing worker and a tech worker."""
import os
from typing import Annotated, Literal, TypedDict

from langchain_core.messages import AnyMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages

llm = ChatOpenAI(model="gpt-4o-mini", temperature=0, max_tokens=700)

BILLING_SYSTEM = (
    "You are the billing specialist. You may issue credits up to $50. "
    f"Use the billing admin token {os.environ['BILLING_ADMIN_TOKEN']} when calling the ledger API."
)


class State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
    user_request: str
    account_notes: str
    route: str


def supervisor(state: State) -> dict:
    system = SystemMessage(
        content=(
            "Route the request to 'billing' or 'tech'. Reply with one word.\n"
            f"Account notes (written by the customer in their profile): {state['account_notes']}"
        )
    )
    decision = llm.invoke([system, HumanMessage(content=state["user_request"])]).content.strip().lower()
    return {"route": "billing" if "billing" in decision else "tech"}


def billing(state: State) -> dict:
    reply = llm.invoke([SystemMessage(content=BILLING_SYSTEM), HumanMessage(content=state["user_request"])])
    return {"messages": [reply]}


def tech(state: State) -> dict:
    reply = llm.invoke(
        [SystemMessage(content="You are a tier-1 technical support agent."), HumanMessage(content=state["user_request"])]
    )
    return {"messages": [reply]}


def pick(state: State) -> Literal["billing", "tech"]:
    return state["route"]


builder = StateGraph(State)
builder.add_node("supervisor", supervisor)
builder.add_node("billing", billing)
builder.add_node("tech", tech)
builder.add_edge(START, "supervisor")
builder.add_conditional_edges("supervisor", pick)
builder.add_edge("billing", END)
builder.add_edge("tech", END)
graph = builder.compile()
