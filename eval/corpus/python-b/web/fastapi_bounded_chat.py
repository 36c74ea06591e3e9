"""Chat API for the Pawsome pet-insurance app (LangChain + FastAPI)."""
import time
from collections import defaultdict

from fastapi import Depends, FastAPI, HTTPException
from langchain_core.chat_history import InMemoryChatMessageHistory
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field

from pawsome.auth import Member, current_member

app = FastAPI(title="Pawsome chat")
llm = ChatOpenAI(model="gpt-4o", temperature=0.3, timeout=30)

HISTORIES: dict[str, InMemoryChatMessageHistory] = defaultdict(InMemoryChatMessageHistory)
REQUESTS: dict[str, list[float]] = defaultdict(list)
RATE_LIMIT_PER_MINUTE = 20
SYSTEM = SystemMessage(content="You help Pawsome members with questions about their pet-insurance policy.")


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, max_length=2000)
    max_tokens: int = Field(default=512, ge=1, le=1024)


def check_rate_limit(member_id: str) -> None:
    now = time.monotonic()
    recent = [t for t in REQUESTS[member_id] if now - t < 60]
    if len(recent) >= RATE_LIMIT_PER_MINUTE:
        raise HTTPException(429, "too many requests")
    REQUESTS[member_id] = recent + [now]


@app.post("/v1/chat")
def chat(req: ChatRequest, member: Member = Depends(current_member)):
    check_rate_limit(member.id)
    history = HISTORIES[member.id]
    history.add_message(HumanMessage(content=req.message))
    answer = llm.bind(max_tokens=req.max_tokens).invoke([SYSTEM] + history.messages[-12:])
    history.add_message(answer)
    return {"answer": answer.content}


@app.post("/v1/chat/reset")
def reset(member: Member = Depends(current_member)):
    HISTORIES.pop(member.id, None)
    return {"status": "cleared"}
