"""Symptom information API behind the CareNow patient app."""
import anthropic
from fastapi import FastAPI
from pydantic import BaseModel, Field

from carenow.kb import search_clinical_guidance
from carenow.triage import RED_FLAG_TERMS

app = FastAPI()
client = anthropic.Anthropic()

DISCLAIMER = (
    "This is general health information, not a diagnosis. "
    "Please contact your doctor or CareNow's nurse line for advice about your situation."
)

SYSTEM_PROMPT = (
    "You provide general health information for CareNow patients. Use only the guidance passages "
    "inside <guidance> tags and cite the passage ids you used. If the passages do not cover the question, "
    "say you don't know. Do not diagnose and do not recommend specific doses."
)


class SymptomQuestion(BaseModel):
    symptoms: str = Field(max_length=2000)


@app.post("/v1/symptom-info")
def symptom_info(question: SymptomQuestion):
    if any(term in question.symptoms.lower() for term in RED_FLAG_TERMS):
        return {"answer": "Your symptoms may need urgent care. Call 112 or go to the nearest emergency department.",
                "escalated": True}
    passages = search_clinical_guidance(question.symptoms, top_k=4)
    guidance = "\n".join(f"[{p.id}] {p.text}" for p in passages)
    message = client.messages.create(
        model="claude-3-5-sonnet-latest",
        max_tokens=400,
        temperature=0,
        system=SYSTEM_PROMPT,
        messages=[{"role": "user", "content": f"<guidance>\n{guidance}\n</guidance>\n\nQuestion: {question.symptoms}"}],
    )
    return {
        "answer": message.content[0].text,
        "sources": [p.id for p in passages],
        "disclaimer": DISCLAIMER,
        "escalated": False,
    }
