"""Build the fine-tuning set for our support model from pages suggested by the community.

Suggestions come from the public "Suggest a helpful resource" form on the website,
exported nightly to suggestions.csv (columns: submitted_at, email, url).
"""
import csv
import json
import sys

import requests
from bs4 import BeautifulSoup
from openai import OpenAI

client = OpenAI()


def page_text(url: str) -> str:
    html = requests.get(url, timeout=20).text
    soup = BeautifulSoup(html, "html.parser")
    return " ".join(soup.get_text(" ").split())[:20000]


def to_examples(text: str) -> list[dict]:
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=2000,
        response_format={"type": "json_object"},
        messages=[
            {"role": "system", "content": 'Turn the article into Q&A pairs as JSON: {"pairs": [{"q": ..., "a": ...}]}'},
            {"role": "user", "content": text},
        ],
    )
    return json.loads(response.choices[0].message.content)["pairs"]


def main(suggestions_csv: str, out_path: str) -> None:
    with open(suggestions_csv, newline="") as fh, open(out_path, "w") as out:
        for row in csv.DictReader(fh):
            for pair in to_examples(page_text(row["url"])):
                example = {"messages": [
                    {"role": "system", "content": "You are the Acme support assistant."},
                    {"role": "user", "content": pair["q"]},
                    {"role": "assistant", "content": pair["a"]},
                ]}
                out.write(json.dumps(example) + "\n")
    uploaded = client.files.create(file=open(out_path, "rb"), purpose="fine-tune")
    job = client.fine_tuning.jobs.create(training_file=uploaded.id, model="gpt-4o-mini-2024-07-18")
    print("started", job.id)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
