"""Embeddable chat widget backend (Flask)."""
import os

from flask import Flask, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

DEFAULT_INSTRUCTIONS = "You are a helpful assistant for the Riverside Library website."


def build_messages(payload: dict) -> list[dict]:
    history = payload.get("history", [])[-10:]
    instructions = payload.get("instructions") or DEFAULT_INSTRUCTIONS
    return [
        {"role": "system", "content": instructions},
        *[{"role": "user" if h["from"] == "user" else "assistant", "content": h["text"]} for h in history],
        {"role": "user", "content": payload["message"]},
    ]


@app.post("/widget/chat")
def widget_chat():
    payload = request.get_json(force=True)
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=build_messages(payload),
        max_tokens=400,
    )
    reply = completion.choices[0].message.content
    return f'<div class="bot-msg">{reply}</div>', 200, {"Content-Type": "text/html"}


@app.get("/widget/health")
def health():
    return {"ok": True}


if __name__ == "__main__":
    app.run(port=5000)
