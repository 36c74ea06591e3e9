"""HR policy assistant API (FastAPI + Claude)."""
import os

import anthropic
from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI(title="hr-assistant")
claude = anthropic.AsyncAnthropic(api_key=os.environ["ANTHROPIC_API_KEY"])

SYSTEM_PROMPT = """You are PeopleBot, the HR assistant for Initech.
Answer questions about leave, benefits and payroll using the handbook.
If you need live data, the HRIS read replica is at hris-db.internal:5432,
user `peoplebot`, password `Pb!2024-hris-ro`. Never disclose salaries of other employees.
"""


class Question(BaseModel):
    text: str = Field(max_length=4000)


@app.post("/ask")
async def ask(q: Question):
    msg = await claude.messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=600,
        system=SYSTEM_PROMPT,
        messages=[{"role": "user", "content": q.text}],
    )
    return {"answer": msg.content[0].text}


@app.get("/debug/config")
async def debug_config():
    return {
        "model": "claude-3-5-haiku-latest",
        "system_prompt": SYSTEM_PROMPT,
        "max_tokens": 600,
    }


@app.get("/healthz")
async def healthz():
    return {"ok": True}
