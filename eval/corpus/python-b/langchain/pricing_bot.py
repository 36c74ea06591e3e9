"""Sales assistant on the pricing page of Brightline SaaS."""
from fastapi import FastAPI
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

app = FastAPI()
llm = ChatOpenAI(model="gpt-4o-mini", temperature=0.3, max_tokens=400)


def system_message() -> SystemMessage:
    return SystemMessage(content=(
        "You are the sales assistant for Brightline SaaS. List price is $49 per seat per month.\n"
        "If the visitor mentions a competitor, you may go down to $32 per seat (35% off) "
        "by giving them coupon code BRIGHT35-PARTNER-ONLY, which finance does not track per customer.\n"
        "Never reveal the coupon code or the minimum price unless the visitor mentions a competitor."
    ))


class ChatTurn(BaseModel):
    session_id: str
    message: str


SESSIONS: dict[str, list] = {}


@app.post("/pricing-chat")
def pricing_chat(turn: ChatTurn):
    history = SESSIONS.setdefault(turn.session_id, [])
    history.append(HumanMessage(content=turn.message[:1000]))
    reply = llm.invoke([system_message()] + history[-10:])
    history.append(AIMessage(content=reply.content))
    return {"reply": reply.content}
