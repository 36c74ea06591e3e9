"""ShopBot: support chat widget for the Gadgetly web shop (openai<1.0 client)."""
import os

import openai
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
openai.api_key = os.getenv("OPENAI_API_KEY")

MODEL = "gpt-3.5-turbo"
SYSTEM_PROMPT = """You are ShopBot, the support assistant of the Gadgetly web shop.
Answer questions about orders, shipping and returns. Be concise and friendly.
The system message may name the shop page the customer is viewing."""

PAGES = {
    "cart": "the shopping cart",
    "checkout": "the checkout page",
    "returns": "the returns and refunds page",
    "product": "a product detail page",
}


@app.route("/chat", methods=["POST"])
def chat():
    page = PAGES.get(request.form.get("page", ""), "the home page")
    message = request.form.get("message", "")
    if not message or len(message) > 2000:
        abort(400)
    completion = openai.ChatCompletion.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": f"{SYSTEM_PROMPT}\nThe customer is currently looking at {page}."},
            {"role": "user", "content": message},
        ],
        max_tokens=400,
        temperature=0.2,
    )
    return jsonify(reply=completion.choices[0].message["content"])


@app.route("/health")
def health():
    return "ok"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.getenv("PORT", "8080")))
