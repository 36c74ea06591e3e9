"""Chroma-backed RAG API for the partner portal."""
import os
from typing import Any

import chromadb
from fastapi import Depends, FastAPI
from openai import OpenAI
from pydantic import BaseModel

from .auth import Partner, current_partner

app = FastAPI()
llm = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
chroma = chromadb.HttpClient(host=os.environ.get("CHROMA_HOST", "chroma"), port=8000)
collection = chroma.get_or_create_collection("partner_docs")

SYSTEM_PROMPT = """You are the partner-portal assistant. Use the provided documents only.
Pricing tiers: partners with tier >= 3 get 35% margin; never quote margins to tier 1 partners.
Escalations go to partners-escalations@acme.example."""


class Query(BaseModel):
    question: str
    where: dict[str, Any] | None = None
    n_results: int = 4


@app.post("/partner/ask")
def ask(q: Query, partner: Partner = Depends(current_partner)):
    where = q.where if q.where else {"partner_id": partner.id}
    hits = collection.query(query_texts=[q.question], n_results=min(q.n_results, 10), where=where)
    context = "\n\n".join(hits["documents"][0])
    resp = llm.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=500,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT + "\n\nDocuments:\n" + context},
            {"role": "user", "content": q.question},
        ],
    )
    return {
        "answer": resp.choices[0].message.content,
        "debug": {"prompt": SYSTEM_PROMPT, "where": where},
    }
