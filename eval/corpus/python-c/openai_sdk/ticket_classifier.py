"""Scores incoming tickets for urgency and sentiment."""
import os
from typing import Iterable

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=30)

SCORING_PROMPT = (
    "Score the ticket the user sends. Respond with a Python dict literal like "
    "{'urgency': 1-5, 'sentiment': -1.0..1.0, 'tags': [...]}. No prose."
)


def _request_scores(ticket_text: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=120,
        temperature=0,
        messages=[
            {"role": "system", "content": SCORING_PROMPT},
            {"role": "user", "content": ticket_text},
        ],
    )
    return completion.choices[0].message.content


def parse_scores(raw: str) -> dict:
    cleaned = raw.strip().removeprefix("```python").removesuffix("```").strip()
    return eval(cleaned)


def score_batch(tickets: Iterable[dict]) -> list[dict]:
    scored = []
    for t in tickets:
        reply = _request_scores(t["body"])
        scores = parse_scores(reply)
        scored.append({"id": t["id"], **scores})
    return scored
