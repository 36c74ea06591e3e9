"""Collect thumbs-up answers from the chat widget and fine-tune on them every night."""
import json
import os

from flask import Flask, jsonify, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()

TRAINING_FILE = "data/feedback_training.jsonl"
BASE_MODEL = "gpt-4o-mini-2024-07-18"


@app.post("/api/feedback")
def feedback():
    data = request.get_json(force=True)
    if data.get("rating") == "up":
        example = {"messages": [{"role": "user", "content": data["prompt"]},
                                {"role": "assistant", "content": data["completion"]}]}
        with open(TRAINING_FILE, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(example) + "\n")
    return jsonify(status="thanks")


def nightly_finetune() -> str:
    """Run from cron: upload everything collected so far and start a fine-tuning job."""
    if not os.path.exists(TRAINING_FILE):
        return "nothing to do"
    with open(TRAINING_FILE, "rb") as fh:
        uploaded = client.files.create(file=fh, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(training_file=uploaded.id, model=BASE_MODEL, suffix="support-bot")
    os.rename(TRAINING_FILE, TRAINING_FILE + f".{job.id}")
    return job.id


@app.get("/api/model")
def current_model():
    with open("data/current_model.txt") as fh:
        return jsonify(model=fh.read().strip())


if __name__ == "__main__":
    app.run(port=8080)
