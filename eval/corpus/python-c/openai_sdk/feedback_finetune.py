"""Nightly job: turns thumbs-up chats into fine-tuning data and starts a job."""
import json
import os
import tempfile

from openai import OpenAI

from chatlog import fetch_rated_conversations

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
BASE_MODEL = "gpt-4o-mini-2024-07-18"


def to_example(convo: dict) -> dict:
    return {"messages": [
        {"role": "system", "content": "You are the Acme support assistant."},
        {"role": "user", "content": convo["user_text"]},
        {"role": "assistant", "content": convo["user_suggested_answer"] or convo["bot_text"]},
    ]}


def write_dataset(convos: list[dict]) -> str:
    fd, path = tempfile.mkstemp(suffix=".jsonl")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for convo in convos:
            fh.write(json.dumps(to_example(convo)) + "\n")
    return path


def nightly() -> str:
    liked = [c for c in fetch_rated_conversations(days=1) if c["rating"] > 0]
    dataset_path = write_dataset(liked)
    with open(dataset_path, "rb") as fh:
        uploaded = client.files.create(file=fh, purpose="fine-tune")
    job = client.fine_tuning.jobs.create(training_file=uploaded.id, model=BASE_MODEL)
    return job.id


if __name__ == "__main__":
    print(nightly())
