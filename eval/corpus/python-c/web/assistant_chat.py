"""Authenticated in-app assistant; streams answers with bounded cost."""
import os

from anthropic import AsyncAnthropic
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field

from app.auth import User, current_user
from app.ratelimit import limiter

app = FastAPI()
client = AsyncAnthropic(api_key=os.environ["ANTHROPIC_API_KEY"], timeout=30.0, max_retries=2)

SYSTEM = "You are the in-app help assistant for Acme Projects. Be concise."
MAX_HISTORY = 8


class Turn(BaseModel):
    role: str = Field(pattern="^(user|assistant)$")
    content: str = Field(max_length=4000)


class ChatIn(BaseModel):
    message: str = Field(min_length=1, max_length=4000)
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY)


@app.post("/assistant")
@limiter.limit("20/minute")
async def assistant(body: ChatIn, user: User = Depends(current_user)):
    if not user.has_feature("assistant"):
        raise HTTPException(status_code=403)
    messages = [t.model_dump() for t in body.history] + [
        {"role": "user", "content": body.message}
    ]
    reply = await client.messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=600,
        system=SYSTEM,
        messages=messages,
    )
    return {"reply": reply.content[0].text}
