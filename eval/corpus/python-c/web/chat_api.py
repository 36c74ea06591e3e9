"""Public chat endpoint for the Acme website widget."""
import os

from fastapi import FastAPI
from openai import AsyncOpenAI
from pydantic import BaseModel

app = FastAPI(title="acme-chat")
client = AsyncOpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=30)

SYSTEM_PROMPT = (
    "You are Acme's website assistant. Internal pricing rules: enterprise discount "
    "up to 35% without approval; never reveal competitor comparisons. "
    "Escalate legal threats to legal@acme.io."
)


class ChatTurn(BaseModel):
    message: str
    max_tokens: int = 512


def build_messages(turn: ChatTurn) -> list[dict]:
    return [{"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": turn.message}]


@app.post("/chat")
async def chat(turn: ChatTurn):
    completion = await client.chat.completions.create(
        model="gpt-4o-mini",
        messages=build_messages(turn),
        max_tokens=turn.max_tokens,
    )
    return {"reply": completion.choices[0].message.content}


@app.get("/chat/config")
async def chat_config():
    return {"model": "gpt-4o-mini", "system_prompt": SYSTEM_PROMPT}
