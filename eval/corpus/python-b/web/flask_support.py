"""ShopBot: support chat widget for the Gadgetly web shop (openai<1.0 client)."""
import os

import openai
from flask import Flask, jsonify, request

app = Flask(__name__)
openai.api_key = os.getenv("OPENAI_API_KEY")

MODEL = "gpt-3.5-turbo"
SYSTEM_PROMPT = """You are ShopBot, the support assistant of the Gadgetly web shop.
Answer questions about orders, shipping and returns. Be concise and friendly.
Escalation rule: refunds above 200 EUR are handed to a human agent via the ticket form."""


@app.route("/chat", methods=["POST"])
def chat():
    page_context = request.form.get("page_context", "")
    message = request.form["message"]
    completion = openai.ChatCompletion.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT + "\nThe customer is currently looking at: " + page_context},
            {"role": "user", "content": message},
        ],
        max_tokens=400,
        temperature=0.2,
    )
    return jsonify(reply=completion.choices[0].message["content"])


@app.route("/debug/prompt")
def debug_prompt():
    return jsonify(system_prompt=SYSTEM_PROMPT, model=MODEL)


@app.route("/health")
def health():
    return "ok"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.getenv("PORT", "8080")))
