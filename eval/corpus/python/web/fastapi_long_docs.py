"""Summarise uploaded documents of any length (map-reduce over chunks)."""
import asyncio
import os

from fastapi import FastAPI, UploadFile
from openai import AsyncOpenAI

app = FastAPI()
client = AsyncOpenAI(api_key=os.environ["OPENAI_API_KEY"])
CHUNK = 4000


async def summarise_part(text: str) -> str:
    r = await client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=300,
        messages=[
            {"role": "system", "content": "Summarise this part of a longer document."},
            {"role": "user", "content": text},
        ],
    )
    return r.choices[0].message.content


async def reduce(summaries: list[str]) -> str:
    r = await client.chat.completions.create(
        model="gpt-4o",
        max_tokens=800,
        messages=[
            {"role": "system", "content": "Merge these partial summaries into one."},
            {"role": "user", "content": "\n\n".join(summaries)},
        ],
    )
    return r.choices[0].message.content


@app.post("/summaries")
async def summarise(file: UploadFile):
    text = (await file.read()).decode("utf-8", errors="ignore")
    parts = [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)]
    partials = await asyncio.gather(*(summarise_part(p) for p in parts))
    return {"chunks": len(parts), "summary": await reduce(list(partials))}
