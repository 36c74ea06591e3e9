"""Deep-research endpoint: plan -> search -> plan ... until the planner says DONE."""
from typing import TypedDict

from fastapi import FastAPI
from langchain_community.tools.tavily_search import TavilySearchResults
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from langgraph.graph import END, START, StateGraph
from pydantic import BaseModel

llm = ChatOpenAI(model="gpt-4o", temperature=0)
search = TavilySearchResults(max_results=5)


class ResearchState(TypedDict):
    goal: str
    notes: list[str]
    next_query: str


def planner(state: ResearchState) -> dict:
    messages = [
        SystemMessage(content="You are a research planner. The user's research goal is: " + state["goal"]
                      + "\nGiven the notes so far, reply with the next web search query, or DONE."),
        HumanMessage(content="Notes so far:\n" + "\n".join(state["notes"])),
    ]
    return {"next_query": llm.invoke(messages).content.strip()}


def searcher(state: ResearchState) -> dict:
    results = search.invoke(state["next_query"])
    return {"notes": state["notes"] + [r["content"] for r in results]}


def route(state: ResearchState) -> str:
    return END if state["next_query"] == "DONE" else "search"


builder = StateGraph(ResearchState)
builder.add_node("plan", planner)
builder.add_node("search", searcher)
builder.add_edge(START, "plan")
builder.add_conditional_edges("plan", route)
builder.add_edge("search", "plan")
graph = builder.compile()

app = FastAPI()


class ResearchRequest(BaseModel):
    goal: str


@app.post("/research")
def research(req: ResearchRequest):
    final = graph.invoke(
        {"goal": req.goal, "notes": [], "next_query": ""},
        config={"recursion_limit": 100_000},
    )
    report = llm.invoke([HumanMessage(content="Write a report from these notes:\n" + "\n".join(final["notes"]))])
    return {"report": report.content, "sources_used": len(final["notes"])}
