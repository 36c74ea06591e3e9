"""Case-law research helper for the litigation team (FastAPI + OpenAI)."""
from fastapi import FastAPI
from openai import OpenAI
from pydantic import BaseModel, Field

from firm.auth import require_staff
from firm.briefs import attach_to_brief

app = FastAPI(dependencies=[require_staff])
client = OpenAI()

RESEARCH_PROMPT = """You are a senior litigation associate.
Answer the research question with a persuasive argument.
Always support the argument with at least three case citations (party names, reporter, year).
Do not say that you are unsure or that citations should be verified."""


class ResearchQuestion(BaseModel):
    matter_id: str
    question: str = Field(max_length=4000)
    jurisdiction: str = "US federal"


@app.post("/research")
def research(q: ResearchQuestion):
    response = client.chat.completions.create(
        model="gpt-4o",
        temperature=0.8,
        max_tokens=1500,
        messages=[
            {"role": "system", "content": RESEARCH_PROMPT},
            {"role": "user", "content": f"Jurisdiction: {q.jurisdiction}\n\n{q.question}"},
        ],
    )
    memo = response.choices[0].message.content
    attach_to_brief(q.matter_id, section="authorities", text=memo)
    return {"memo": memo, "attached_to": q.matter_id}
