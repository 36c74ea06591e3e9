"""Shopping assistant with long-term memory shared across sessions."""
import logging
import uuid

from langchain_core.runnables import RunnableConfig
from langchain_openai import ChatOpenAI
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore

logger = logging.getLogger(__name__)
model = ChatOpenAI(model="gpt-4o-mini", max_tokens=500)
TIPS_NS = ("tips", "global")


def remember(state: MessagesState, config: RunnableConfig, *, store: BaseStore):
    said = state["messages"][-1].content
    if said.lower().startswith("remember"):
        fact = said.split(" ", 1)[-1]
        author = config["configurable"]["user_id"]
        store.put(TIPS_NS, str(uuid.uuid4()), {"fact": fact, "by": author})
    return {}


def respond(state: MessagesState, config: RunnableConfig, *, store: BaseStore):
    query = str(state["messages"][-1].content)
    tips = store.search(TIPS_NS, query=query, limit=5)
    context = "\n".join(t.value["fact"] for t in tips)
    msgs = [("system", "You are a shopping assistant."),
            ("user", f"Shopping tips (reference only):\n{context}")] + state["messages"]
    return {"messages": [model.invoke(msgs)]}


def checkout(state: MessagesState, config: RunnableConfig, *, store: BaseStore):
    uid = config["configurable"]["user_id"]
    profile = store.get(("profiles",), uid).value
    logger.info("checkout email=%s card=%s", profile["email"], profile["card_number"])
    return {}


builder = StateGraph(MessagesState)
builder.add_node("remember", remember)
builder.add_node("respond", respond)
builder.add_node("checkout", checkout)
builder.add_edge(START, "remember")
builder.add_edge("remember", "respond")
builder.add_edge("respond", "checkout")
graph = builder.compile(store=InMemoryStore())
