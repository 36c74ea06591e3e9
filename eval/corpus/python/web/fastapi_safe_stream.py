"""Streaming completions over SSE with a hard deadline and fixed budgets."""
import asyncio
import os

from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from openai import AsyncOpenAI
from pydantic import BaseModel, Field

app = FastAPI()
client = AsyncOpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=30.0)
DEADLINE_SECONDS = 45
MAX_OUTPUT_TOKENS = 700


class Prompt(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


async def token_stream(text: str):
    stream = await client.chat.completions.create(
        model="gpt-4o-mini",
        stream=True,
        max_tokens=MAX_OUTPUT_TOKENS,
        messages=[
            {"role": "system", "content": "You are a concise writing assistant."},
            {"role": "user", "content": text},
        ],
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE_SECONDS
    async for chunk in stream:
        if loop.time() > deadline:
            await stream.close()
            yield "event: error\ndata: deadline exceeded\n\n"
            return
        delta = chunk.choices[0].delta.content if chunk.choices else None
        if delta:
            yield f"data: {delta}\n\n"
    yield "event: done\ndata: \n\n"


@app.post("/complete/stream")
async def complete(prompt: Prompt):
    return StreamingResponse(token_stream(prompt.text), media_type="text/event-stream")
