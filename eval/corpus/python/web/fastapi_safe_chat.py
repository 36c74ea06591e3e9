"""Public chat endpoint: size limits, fixed token budget, timeouts, per-IP rate limit."""
import os
import time
from collections import defaultdict, deque

from fastapi import FastAPI, HTTPException, Request
from openai import AsyncOpenAI
from pydantic import BaseModel, Field

app = FastAPI()
client = AsyncOpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=20.0, max_retries=1)

SYSTEM_PROMPT = "You are the assistant for Lakeside Dental. Answer questions about opening hours and services."
WINDOW_SECONDS, MAX_REQUESTS = 60, 20
_hits: dict[str, deque] = defaultdict(deque)


class Turn(BaseModel):
    role: str = Field(pattern="^(user|assistant)$")
    content: str = Field(max_length=2000)


class ChatIn(BaseModel):
    message: str = Field(min_length=1, max_length=2000)
    history: list[Turn] = Field(default_factory=list, max_length=10)


def rate_limit(ip: str) -> None:
    now = time.monotonic()
    q = _hits[ip]
    while q and now - q[0] > WINDOW_SECONDS:
        q.popleft()
    if len(q) >= MAX_REQUESTS:
        raise HTTPException(status_code=429, detail="slow down")
    q.append(now)


@app.post("/chat")
async def chat(body: ChatIn, request: Request):
    rate_limit(request.client.host)
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    messages += [t.model_dump() for t in body.history]
    messages.append({"role": "user", "content": body.message})
    resp = await client.chat.completions.create(model="gpt-4o-mini", messages=messages, max_tokens=350)
    return {"reply": resp.choices[0].message.content}
