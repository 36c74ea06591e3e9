"""Web research assistant built on LangGraph."""
from typing import Annotated, TypedDict

import httpx
from fastapi import FastAPI
from pydantic import BaseModel
from langchain_anthropic import ChatAnthropic
from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.graph import END, StateGraph
from langgraph.graph.message import add_messages

llm = ChatAnthropic(model="claude-3-5-sonnet-latest", max_tokens=1024)


class ResearchState(TypedDict):
    messages: Annotated[list, add_messages]
    source_url: str
    page: str


def fetch(state: ResearchState):
    resp = httpx.get(state["source_url"], timeout=10, follow_redirects=True)
    return {"page": resp.text[:20000]}


def analyse(state: ResearchState):
    guidance = "You are a research assistant. Reference material:\n" + state["page"]
    reply = llm.invoke([SystemMessage(content=guidance)] + state["messages"])
    return {"messages": [reply]}


def should_continue(state: ResearchState):
    last = state["messages"][-1].content
    return END if "FINAL ANSWER" in last else "analyse"


builder = StateGraph(ResearchState)
builder.add_node("fetch", fetch)
builder.add_node("analyse", analyse)
builder.set_entry_point("fetch")
builder.add_edge("fetch", "analyse")
builder.add_conditional_edges("analyse", should_continue)
graph = builder.compile()

api = FastAPI()


class ResearchRequest(BaseModel):
    url: str
    question: str
    depth: int = 25


@api.post("/research")
def research(req: ResearchRequest):
    result = graph.invoke(
        {"messages": [HumanMessage(content=req.question)], "source_url": req.url},
        config={"recursion_limit": req.depth},
    )
    return {"answer": result["messages"][-1].content}
