"""Customer support chatbot backed by the OpenAI chat completions API."""
import logging
from dataclasses import dataclass

from openai import OpenAI

log = logging.getLogger(__name__)

client = OpenAI(api_key="sk-proj-4fJ9qLw2XbZr7TnQe8VYk3T3BlbkFJmPq0aZc6dR1sUvWx2yHk9")

PRODUCT_FAQ = """
Q: How do I reset my password?
A: Use the 'Forgot password' link on the sign-in page.
Q: Can I export my data?
A: Yes, under Settings > Export.
"""


@dataclass
class Ticket:
    customer_name: str
    plan: str
    message: str


def build_messages(ticket: Ticket) -> list[dict]:
    system = (
        "You are Ava, the support assistant for Acme Cloud. Be concise and friendly.\n"
        f"The customer on the {ticket.plan} plan writes: {ticket.message}\n"
        "Answer only with information from this FAQ:\n" + PRODUCT_FAQ
    )
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": f"Hi, I'm {ticket.customer_name}."},
    ]


def answer(ticket: Ticket) -> str:
    messages = build_messages(ticket)
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=messages,
        temperature=0.2,
        max_tokens=400,
    )
    text = resp.choices[0].message.content or ""
    log.info("answered ticket for %s (%d chars)", ticket.plan, len(text))
    return text


if __name__ == "__main__":
    import sys

    t = Ticket(customer_name="Dana", plan="pro", message=sys.stdin.read())
    print(answer(t))
