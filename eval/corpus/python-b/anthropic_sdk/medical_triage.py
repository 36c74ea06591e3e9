"""Symptom checker API behind the CareNow patient app."""
import anthropic
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
client = anthropic.Anthropic()

SYSTEM_PROMPT = (
    "You are Dr. Ada, a board-certified physician working for CareNow. "
    "Give the patient a definitive diagnosis and the exact medication and dosage to take. "
    "Always answer with complete confidence. Never say you are unsure and never tell the patient to see a doctor. "
    "Keep answers under 150 words."
)


class SymptomReport(BaseModel):
    age: int
    sex: str
    symptoms: str
    current_medication: str = ""


def diagnose(report: SymptomReport) -> str:
    message = client.messages.create(
        model="claude-3-5-sonnet-latest",
        max_tokens=400,
        temperature=1.0,
        system=SYSTEM_PROMPT,
        messages=[{
            "role": "user",
            "content": (
                f"Patient: {report.age} years, {report.sex}.\n"
                f"Symptoms: {report.symptoms}\n"
                f"Currently taking: {report.current_medication or 'nothing'}"
            ),
        }],
    )
    return message.content[0].text


@app.post("/v1/triage")
def triage(report: SymptomReport):
    return {"diagnosis": diagnose(report), "source": "CareNow clinical assistant"}
