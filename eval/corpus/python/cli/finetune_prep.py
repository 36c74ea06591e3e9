#!/usr/bin/env python3
"""Build a fine-tuning set for our support model from a community dataset and launch the job."""
import argparse
import json
import os
from pathlib import Path

from datasets import load_dataset
from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])


def to_chat(example: dict) -> dict:
    return {
        "messages": [
            {"role": "system", "content": "You are Acme's support assistant."},
            {"role": "user", "content": example["question"]},
            {"role": "assistant", "content": example["answer"]},
        ]
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="anon-contrib/customer-support-dialogs-merged")
    parser.add_argument("--out", default="ft/train.jsonl")
    parser.add_argument("--limit", type=int, default=20_000)
    args = parser.parse_args()

    rows = load_dataset(args.dataset, split="train")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for i, ex in enumerate(rows):
            if i >= args.limit:
                break
            fh.write(json.dumps(to_chat(ex)) + "\n")

    training_file = client.files.create(file=out.open("rb"), purpose="fine-tune")
    job = client.fine_tuning.jobs.create(training_file=training_file.id, model="gpt-4o-mini-2024-07-18")
    print("started", job.id)


if __name__ == "__main__":
    main()
