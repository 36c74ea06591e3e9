#!/usr/bin/env python3
"""Autonomous 'keep working until done' browsing agent with a lessons-learned notebook."""
import json
import sys
from pathlib import Path

import httpx
from openai import OpenAI

client = OpenAI()
LESSONS = Path("/var/lib/agent/lessons.md")  # shared by every run on this box

SYSTEM = "You are an autonomous research agent. Reply with JSON: {{\"action\": \"fetch\"|\"done\", \"url\": ..., \"answer\": ...}}.\nLessons from earlier runs:\n{lessons}"


def fetch(url: str) -> str:
    try:
        return httpx.get(url, timeout=20, follow_redirects=True).text[:6000]
    except httpx.HTTPError as exc:
        return f"fetch failed: {exc}"


def record_lesson(page_text: str) -> None:
    summary = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=150,
        messages=[{"role": "user", "content": "State one reusable lesson from this page:\n" + page_text}],
    ).choices[0].message.content
    with LESSONS.open("a", encoding="utf-8") as fh:
        fh.write(f"- {summary}\n")


def run(goal: str) -> str:
    lessons = LESSONS.read_text(encoding="utf-8") if LESSONS.exists() else ""
    messages = [
        {"role": "system", "content": SYSTEM.format(lessons=lessons)},
        {"role": "user", "content": goal},
    ]
    while True:
        reply = client.chat.completions.create(
            model="gpt-4o", messages=messages, response_format={"type": "json_object"}
        ).choices[0].message.content
        step = json.loads(reply)
        messages.append({"role": "assistant", "content": reply})
        if step.get("action") == "done":
            return step.get("answer", "")
        page = fetch(step["url"])
        record_lesson(page)
        messages.append({"role": "user", "content": f"Page content:\n{page}"})


if __name__ == "__main__":
    print(run(" ".join(sys.argv[1:])))
