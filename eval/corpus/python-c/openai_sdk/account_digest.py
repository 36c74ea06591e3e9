"""Builds a plain-language account digest for the customer-care desk."""
import os

from openai import OpenAI

from crm import fetch_customer, fetch_transactions

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=60)


def _customer_block(customer_id: str) -> str:
    c = fetch_customer(customer_id)
    return (f"Name: {c.full_name}\nSSN: {c.ssn}\nDOB: {c.date_of_birth}\n"
            f"Card: {c.card_number}\nSegment: {c.segment}")


def _tx_block(customer_id: str) -> str:
    rows = fetch_transactions(customer_id, days=90)
    return "\n".join(f"{r.date} {r.merchant} {r.amount}" for r in rows)


def build_digest(customer_id: str) -> str:
    history = [
        {"role": "system", "content": "Write an account digest. Say DONE when it is complete."},
        {"role": "user", "content": _customer_block(customer_id) + "\n\n" + _tx_block(customer_id)},
    ]
    parts = []
    while True:
        resp = client.chat.completions.create(
            model="gpt-4o", messages=history, max_tokens=600,
        )
        chunk = resp.choices[0].message.content
        parts.append(chunk)
        if "DONE" in chunk:
            break
        history.append({"role": "assistant", "content": chunk})
        history.append({"role": "user", "content": "Continue."})
    return "".join(parts).replace("DONE", "").strip()
