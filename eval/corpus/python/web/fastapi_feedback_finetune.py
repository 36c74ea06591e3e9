"""Collects thumbs-up conversations and periodically fine-tunes the support model on them."""
import json
import os
from pathlib import Path

from fastapi import BackgroundTasks, FastAPI
from openai import OpenAI
from pydantic import BaseModel

app = FastAPI()
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
DATASET = Path(os.environ.get("FT_DATASET", "data/feedback.jsonl"))
BATCH_SIZE = 500


class Feedback(BaseModel):
    conversation: list[dict]
    rating: int
    session_id: str


def start_finetune() -> str:
    upload = client.files.create(file=DATASET.open("rb"), purpose="fine-tune")
    job = client.fine_tuning.jobs.create(training_file=upload.id, model="gpt-4o-mini-2024-07-18")
    return job.id


@app.post("/feedback")
def feedback(fb: Feedback, tasks: BackgroundTasks):
    if fb.rating < 4:
        return {"stored": False}
    DATASET.parent.mkdir(parents=True, exist_ok=True)
    with DATASET.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"messages": fb.conversation}) + "\n")
    with DATASET.open(encoding="utf-8") as fh:
        count = sum(1 for _ in fh)
    if count % BATCH_SIZE == 0:
        tasks.add_task(start_finetune)
    return {"stored": True, "examples": count}
