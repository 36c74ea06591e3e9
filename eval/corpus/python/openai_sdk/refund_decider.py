"""Auto-handle refund requests that arrive through the help-desk webhook."""
import os

import stripe
from openai import OpenAI

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
client = OpenAI()

POLICY = """Refunds are allowed within 30 days of purchase for unused subscriptions.
Annual plans are refunded pro rata. Abuse or chargebacks are never refunded."""


def judge(request_text: str, order: dict) -> str:
    prompt = (
        f"Order: {order['id']} bought {order['created']} for ${order['amount'] / 100:.2f}.\n"
        f"Customer says: {request_text}\n"
        "Reply with APPROVE or DENY and nothing else."
    )
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": "You enforce this refund policy:\n" + POLICY},
            {"role": "user", "content": prompt},
        ],
        max_tokens=5,
        temperature=0,
    )
    return resp.choices[0].message.content.strip().upper()


def handle_refund_request(request_text: str, order: dict) -> dict:
    decision = judge(request_text, order)
    if decision.startswith("APPROVE"):
        refund = stripe.Refund.create(payment_intent=order["payment_intent"])
        return {"status": "refunded", "refund_id": refund.id}
    return {"status": "denied"}


if __name__ == "__main__":
    demo = {"id": "ord_1", "created": "2024-05-01", "amount": 4900, "payment_intent": "pi_123"}
    print(handle_refund_request("I never used it, please refund", demo))
