"""Intent router: structured output picks the branch; free text never selects code paths."""
from typing import Literal, TypedDict

from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from langgraph.graph import END, START, StateGraph
from pydantic import BaseModel, Field


class Intent(BaseModel):
    intent: Literal["faq", "order_status", "human"]
    order_id: str | None = Field(default=None, pattern=r"^ORD-\d{6}$")


class State(TypedDict, total=False):
    text: str
    intent: Intent
    reply: str


llm = ChatOpenAI(model="gpt-4o-mini", temperature=0, max_tokens=150, timeout=20)
classifier = ChatPromptTemplate.from_messages(
    [("system", "Classify the customer's message."), ("human", "{text}")]
) | llm.with_structured_output(Intent)


def classify(state: State) -> State:
    return {"intent": classifier.invoke({"text": state["text"][:3000]})}


def faq(state: State) -> State:
    answer = llm.invoke([("system", "Answer briefly from the public FAQ."), ("human", state["text"][:3000])])
    return {"reply": answer.content}


def order_status(state: State) -> State:
    from .orders import status_for

    oid = state["intent"].order_id
    return {"reply": status_for(oid) if oid else "Please share your order number (ORD-123456)."}


def human(state: State) -> State:
    return {"reply": "I've passed this to a colleague who will reply by e-mail."}


def branch(state: State) -> str:
    return state["intent"].intent


g = StateGraph(State)
for name, fn in [("classify", classify), ("faq", faq), ("order_status", order_status), ("human", human)]:
    g.add_node(name, fn)
g.add_edge(START, "classify")
g.add_conditional_edges("classify", branch, ["faq", "order_status", "human"])
for leaf in ("faq", "order_status", "human"):
    g.add_edge(leaf, END)
app = g.compile()
