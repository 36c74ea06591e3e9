"""Assistant with long-term memory: it remembers facts users tell it."""
import uuid

from langchain_core.messages import SystemMessage
from langchain_core.runnables import RunnableConfig
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.memory import MemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore

llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=600)
store = InMemoryStore()

GLOBAL_NAMESPACE = ("kb", "facts")


def remember(state: MessagesState, config: RunnableConfig, *, store: BaseStore) -> dict:
    last = state["messages"][-1].content
    if last.lower().startswith("remember that"):
        fact = last[len("remember that"):].strip()
        store.put(GLOBAL_NAMESPACE, str(uuid.uuid4()), {"fact": fact, "by": config["configurable"]["user_id"]})
    return {}


def respond(state: MessagesState, config: RunnableConfig, *, store: BaseStore) -> dict:
    facts = store.search(GLOBAL_NAMESPACE, query=state["messages"][-1].content, limit=10)
    known = "\n".join(f"- {item.value['fact']}" for item in facts)
    system = SystemMessage(content="You are the company assistant. Facts you know to be true:\n" + known)
    return {"messages": [llm.invoke([system, *state["messages"][-20:]])]}


builder = StateGraph(MessagesState)
builder.add_node("remember", remember)
builder.add_node("respond", respond)
builder.add_edge(START, "remember")
builder.add_edge("remember", "respond")
graph = builder.compile(checkpointer=MemorySaver(), store=store)


def chat(user_id: str, thread_id: str, text: str) -> str:
    cfg = {"configurable": {"user_id": user_id, "thread_id": thread_id}}
    out = graph.invoke({"messages": [("user", text)]}, cfg)
    return out["messages"][-1].content
